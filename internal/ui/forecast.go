package ui

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/valid"
)

// forecastRoutes are the council forecast's pages.
func (s *Server) forecastRoutes(r chi.Router) {
	s.handle(r, "GET", "/forecast", authz.Forecast, authz.Read, s.forecastPage)
	s.handle(r, "POST", "/forecast/scenarios", authz.Forecast, authz.Write, s.scenarioSave)
	s.handle(r, "GET", "/region/forecast", authz.Region, authz.Read, s.regionForecastPage)
}

// scenarioSave saves a named scenario for the council and goes back to the
// forecast, where it is compared with the others.
func (s *Server) scenarioSave(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	var n int32
	if _, err := fmt.Sscanf(r.PostForm.Get("la"), "%d", &n); err != nil {
		s.fail(w, r, valid.Errorf("la", "%q is not a council code", r.PostForm.Get("la")))
		return
	}
	var ps valid.Problems
	num := func(field string, scale float64) float64 {
		v := strings.TrimSpace(r.PostForm.Get(field))
		if v == "" {
			return 0
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			ps.Add(field, "%q is not a number", v)
		}
		return x * scale
	}
	sc := forecast.Scenario{Name: strings.TrimSpace(r.PostForm.Get("name")), StepDownShare: num("step_down_pct", 0.01), ProceedingsWeeks: num("proceedings_weeks", 1),
		ProceedingsPerYear: num("proceedings_per_year", 1), DelayPencePerWeek: num("delay_pounds_per_week", 100), InHouseCarers: num("in_house_carers", 1),
		EntrantChange: num("entrants_pct", 0.01)}
	if err := ps.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.forecasting().SaveScenario(r.Context(), u.UserID, n, 0, 0, sc); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/forecast?la=%d&as_of=%s#scenarios", n, url.QueryEscape(r.PostForm.Get("as_of"))), http.StatusSeeOther)
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
	councils, err := s.councilsWhere(r, authz.Forecast, authz.Read) // the councils svc.Councils gives
	if err != nil {
		s.fail(w, r, err)
		return
	}
	saved, err := svc.Scenarios(r.Context(), u.UserID, res)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := forecasting.ViewOf(res)
	data := map[string]any{"V": v, "Scenarios": scenarioRows(saved), "CanSave": s.Authz.Allowed(u.UserID, authz.CouncilDomain(la), authz.Forecast, authz.Write), "Councils": councils, "LA": la, "Q": r.URL.RawQuery, "Categories": categoryNames(), "Bands": bandNames(),
		"Total": bandedFigure(forecasting.TotalChart(res))}
	for c := range forecast.Category(forecast.NumCategories) {
		data["Chart"+c.String()] = bandedFigure(forecasting.CategoryChart(res, c))
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

// scenarioRow is a saved scenario as the page shows it.
type scenarioRow struct {
	Name, Levers, Pounds  string
	Children, Residential float64
	Notes                 []string
}

func scenarioRows(saved []forecasting.Saved) []scenarioRow {
	out := make([]scenarioRow, 0, len(saved))
	for _, sv := range saved {
		r, sc := sv.Result, sv.Result.Scenario
		var levers []string
		if sc.StepDownShare > 0 {
			levers = append(levers, fmt.Sprintf("step down %.0f%% of candidates", 100*sc.StepDownShare))
		}
		if sc.ProceedingsWeeks > 0 {
			levers = append(levers, fmt.Sprintf("proceedings %g weeks shorter (%g cases a year, £%.0f a week)", sc.ProceedingsWeeks, sc.ProceedingsPerYear, sc.DelayPencePerWeek/100))
		}
		if sc.InHouseCarers > 0 {
			levers = append(levers, fmt.Sprintf("%g new in-house foster carers", sc.InHouseCarers))
		}
		if sc.EntrantChange != 0 {
			levers = append(levers, fmt.Sprintf("entrants %+.0f%%", 100*sc.EntrantChange))
		}
		row := scenarioRow{Name: sc.Name, Levers: strings.Join(levers, "; "), Children: r.ChildrenAtEnd, Notes: r.Notes}
		if n := len(r.Months); n > 0 {
			row.Residential = r.Months[n-1].Category[forecast.Residential]
		}
		sign := "+"
		if r.Pence < 0 {
			sign = "−"
		}
		row.Pounds = sign + chart.Pounds(math.Abs(r.Pence)/100)
		out = append(out, row)
	}
	return out
}

// bandedFigure draws a forecast chart with its intervals as shaded bands,
// then its "Show the data" table with every line, bounds included.
func bandedFigure(c chart.Chart) template.HTML {
	return forecasting.Banded(c).SVG() + chart.Table(c)
}
