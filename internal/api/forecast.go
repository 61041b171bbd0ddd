package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/valid"
)

// forecastResult reads the council and parameters and runs the forecast,
// authorised on the council for act.
func (a *API) forecastResult(r *http.Request, act authz.Action) (*forecasting.Result, error) {
	q := r.URL.Query()
	la, err := ParseLA(q.Get("la"))
	if err != nil {
		return nil, err
	}
	if la == nil {
		return nil, valid.Errorf("la", "name the council: la=352")
	}
	svc := forecasting.New(a.Pool, a.Authz)
	p, err := forecasting.ParseParams(q.Get, svc.Today())
	if err != nil {
		return nil, valid.Errorf("params", "%s", err.Error())
	}
	if err := p.Check(); err != nil {
		return nil, valid.Errorf("params", "%s", err.Error())
	}
	u := auth.UserFrom(r.Context())
	res, err := svc.Council(r.Context(), u.UserID, *la, p, act)
	if errors.Is(err, forecasting.ErrNoHistory) || errors.Is(err, forecast.ErrOptions) {
		return nil, valid.Errorf("as_of", "%s", err.Error())
	}
	return res, err
}

func (a *API) forecastJSON(w http.ResponseWriter, r *http.Request) {
	res, err := a.forecastResult(r, authz.Read)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, forecasting.ViewOf(res))
}

func (a *API) forecastCSV(w http.ResponseWriter, r *http.Request) {
	res, err := a.forecastResult(r, authz.Export)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="forecast-%d-%s.csv"`, res.LAID, res.Params.AsOf.Format(time.DateOnly)))
	if err := forecasting.WriteCSV(w, res); err != nil {
		a.Log.Error("forecast csv", "err", err)
	}
}
