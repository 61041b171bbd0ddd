package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/forecasting"
)

// regionForecastRoutes are the regional forecast's answers: for those who
// may read an RCC's regional figures, as published under its disclosure
// control (the CSV is the same published figures, so it needs no more than
// the page and its PDF).
func (a *API) regionForecastRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/region/forecast", authz.Region, authz.Read, a.regionForecastJSON},
		{"GET", "/api/v1/region/forecast.csv", authz.Region, authz.Read, a.regionForecastCSV},
	}
}

func (a *API) regionForecast(r *http.Request) (*forecasting.Regional, error) {
	u := auth.UserFrom(r.Context())
	svc := forecasting.New(a.Pool, a.Authz)
	// The sharing service's clock decides which agreements are in force.
	svc.Now = a.Sharing.Now
	return svc.RegionRequest(r.Context(), u.UserID, r.URL.Query().Get)
}

func (a *API) regionForecastJSON(w http.ResponseWriter, r *http.Request) {
	res, err := a.regionForecast(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, res)
}

func (a *API) regionForecastCSV(w http.ResponseWriter, r *http.Request) {
	res, err := a.regionForecast(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="forecast-%s-%s.csv"`, res.RCCCode, res.Params.AsOf.Format(time.DateOnly)))
	if err := forecasting.WriteRegionalCSV(w, res); err != nil {
		a.Log.Error("regional forecast csv", "err", err)
	}
}
