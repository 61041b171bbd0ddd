package ui

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/valid"
)

// forecastRoutes are the council forecast's pages.
func (s *Server) forecastRoutes(r chi.Router) {
	s.handle(r, "GET", "/forecast", authz.Forecast, authz.Read, s.forecastPage)
}

func (s *Server) forecasting() *forecasting.Service {
	svc := forecasting.New(s.Pool, s.Authz)
	svc.Now = s.Children.Now
	return svc
}

// forecastPage shows a council's forecast: children in care with 80% and
// 95% intervals, by category and age band, the compatibility mode beside
// it, spend and sufficiency, each figure with its population, window, as-of
// date and parameters.
func (s *Server) forecastPage(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	svc := s.forecasting()
	mine := svc.Councils(u.UserID)
	if len(mine) == 0 {
		s.fail(w, r, errForbidden)
		return
	}
	q := r.URL.Query()
	la := mine[0]
	if v := q.Get("la"); v != "" {
		var n int32
		if _, err := fmt.Sscanf(v, "%d", &n); err != nil {
			s.fail(w, r, valid.Errorf("la", "%q is not a council code", v))
			return
		}
		la = n
	}
	p, err := forecasting.ParseParams(q.Get, svc.Today())
	if err == nil {
		err = p.Check()
	}
	if err != nil {
		s.fail(w, r, valid.Errorf("params", "%s", err.Error()))
		return
	}
	res, err := svc.Council(r.Context(), u.UserID, la, p, authz.Read)
	if errors.Is(err, forecasting.ErrNoHistory) {
		err = valid.Errorf("as_of", "%s", err.Error())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	las, err := db.New(s.Pool).LocalAuthorityList(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	allowed := map[int32]bool{}
	for _, id := range mine {
		allowed[id] = true
	}
	var councils []db.LocalAuthority
	for _, c := range las {
		if allowed[c.LaID] {
			councils = append(councils, c)
		}
	}
	v := forecasting.ViewOf(res)
	data := map[string]any{"V": v, "Councils": councils, "LA": la, "Q": r.URL.RawQuery, "Categories": categoryNames(), "Bands": bandNames(),
		"Total": forecastChart(res, "Children in care", func(m forecast.Month) forecast.Interval { return m.Total }, func(i int) float64 { return res.Compat.Months[i].Total.Mean }).SVG()}
	for c := range forecast.Category(forecast.NumCategories) {
		data["Chart"+c.String()] = forecastChart(res, c.String(), func(m forecast.Month) forecast.Interval { return m.Category[c] },
			func(i int) float64 { return res.Compat.Months[i].Category[c].Mean }).SVG()
	}
	s.render(w, r, http.StatusOK, "forecast", page{Title: "Forecast", Data: data})
}

func categoryNames() []string {
	out := make([]string, forecast.NumCategories)
	for c := range forecast.Category(forecast.NumCategories) {
		out[c] = c.String()
	}
	return out
}

func bandNames() []string {
	out := make([]string, forecast.NumAgeBands)
	for b := range forecast.AgeBand(forecast.NumAgeBands) {
		out[b] = b.String()
	}
	return out
}

// forecastChart draws one series: the mean, the 80% and 95% interval's
// edges, and the compatibility mode's expected count.
func forecastChart(res *forecasting.Result, title string, get func(forecast.Month) forecast.Interval, compat func(int) float64) chart.Chart {
	ss := []chart.Series{{Name: "Forecast (mean)"}, {Name: "80% interval, lower"}, {Name: "80% interval, upper"}, {Name: "95% interval, lower"}, {Name: "95% interval, upper"}, {Name: "cs-demand-model method"}}
	for i, mo := range res.Forecast.Months {
		x := chart.Days(mo.Date)
		iv := get(mo)
		for k, y := range []float64{iv.Mean, iv.P10, iv.P90, iv.P025, iv.P975, compat(i)} {
			ss[k].Points = append(ss[k].Points, chart.Point{X: x, Y: y, Label: fmt.Sprintf("%s: %.0f", mo.Date.Format("Jan 2006"), y)})
		}
	}
	return chart.Chart{Kind: chart.Line, Title: title + " — forecast with 80% and 95% intervals", XTime: true, YLabel: "children", AsOf: res.Params.AsOf,
		Source: fmt.Sprintf("%s. Reference window %s to %s; %d paths, seed %d.", res.Population, res.WindowFrom.Format(time.DateOnly), res.WindowTo.Format(time.DateOnly), res.Params.Paths, res.Params.Seed),
		Series: ss, Height: 260}
}
