package forecasting

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/valid"
)

// RegionRequest reads which cooperative (rcc, by code; the user's first by
// default) and the parameters, and gives the regional forecast. Asking for
// a cooperative the user does not work for is refused and audited, as is
// council staff asking at all (against their councils, so their auditor
// sees it).
func (s *Service) RegionRequest(ctx context.Context, userID int64, get func(string) string) (*Regional, error) {
	mine := s.RCCs(userID)
	q := db.New(s.pool)
	if len(mine) == 0 && get("rcc") == "" {
		if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region_forecast", Outcome: audit.Denied},
			s.authz.Councils(userID, authz.Account, authz.Read), nil); err != nil {
			return nil, err
		}
		return nil, children.ErrForbidden
	}
	var rccID int32
	if v := get("rcc"); v != "" {
		r, err := q.RCCByCode(ctx, v)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, valid.Errorf("rcc", "%q is not a regional care cooperative's code", v)
		}
		if err != nil {
			return nil, err
		}
		rccID = r.RccID // Region decides, and audits a refusal
	} else {
		rccID = mine[0]
	}
	p, err := ParseParams(get, s.Today())
	if err == nil {
		err = p.Check()
	}
	if err != nil {
		return nil, valid.Errorf("params", "%s", err.Error())
	}
	sc, err := ParseScenario(get)
	if err != nil {
		return nil, err
	}
	var scs []forecast.Scenario
	if sc != nil {
		scs = append(scs, *sc)
	}
	r, err := s.Region(ctx, userID, rccID, p, scs...)
	if errors.Is(err, ErrNoSharedInputs) || errors.Is(err, forecast.ErrOptions) {
		return nil, valid.Errorf("rcc", "%s", err.Error())
	}
	return r, err
}

// ScenarioFields are the query fields of a regional scenario, with what
// each is in: step_down_pct (per cent of step-down candidates), entrants_pct
// (per cent change), proceedings_weeks, proceedings_per_year,
// delay_pounds_per_week and in_house_carers.
var ScenarioFields = []string{"step_down_pct", "entrants_pct", "proceedings_weeks", "proceedings_per_year", "delay_pounds_per_week", "in_house_carers"}

// ParseScenario reads a regional scenario's levers from a query: nil when
// no lever is given. A regional scenario is not saved (saved scenarios
// belong to a council, schema 028); it is worked out on each request.
func ParseScenario(get func(string) string) (*forecast.Scenario, error) {
	var ps valid.Problems
	given := false
	num := func(field string, scale float64) float64 {
		v := strings.TrimSpace(get(field))
		if v == "" {
			return 0
		}
		given = true
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			ps.Add(field, "%q is not a number", v)
			return 0
		}
		return x * scale
	}
	sc := forecast.Scenario{Name: strings.TrimSpace(get("scenario")), StepDownShare: num("step_down_pct", 0.01), EntrantChange: num("entrants_pct", 0.01),
		ProceedingsWeeks: num("proceedings_weeks", 1), ProceedingsPerYear: num("proceedings_per_year", 1), DelayPencePerWeek: num("delay_pounds_per_week", 100),
		InHouseCarers: num("in_house_carers", 1)}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if !given {
		return nil, nil
	}
	if sc.Name == "" {
		sc.Name = "Regional scenario"
	}
	if err := sc.Check(); err != nil {
		return nil, valid.Errorf("scenario", "%s", err.Error())
	}
	return &sc, nil
}

// RegionalCSVHeader names the columns of WriteRegionalCSV.
var RegionalCSVHeader = []string{"rcc", "month_end", "series", "group", "mean", "p2_5", "p10", "p90", "p97_5",
	"population", "protection", "as_of", "window_from", "window_to", "months", "paths", "seed", "method", "intervals"}

// WriteRegionalCSV writes the regional forecast as published: withheld
// figures are c, as in every regional table; every row carries its basis.
func WriteRegionalCSV(w io.Writer, r *Regional) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(RegionalCSVHeader); err != nil {
		return err
	}
	meta := []string{r.Population, r.Protection, r.Params.AsOf.Format(time.DateOnly), r.WindowFrom.Format(time.DateOnly), r.WindowTo.Format(time.DateOnly),
		strconv.Itoa(r.Params.Months), strconv.Itoa(r.Params.Paths), strconv.FormatUint(r.Params.Seed, 10), r.Method, intervalsParam(r)}
	for _, mo := range r.Months {
		d := mo.Date.Format(time.DateOnly)
		row := func(series, group string, p Published) error {
			return cw.Write(append([]string{r.RCC, d, series, group, p.Mean.String(), p.P025.String(), p.P10.String(), p.P90.String(), p.P975.String()}, meta...))
		}
		if err := row("total", "all children", mo.Total); err != nil {
			return err
		}
		for c := range forecast.Category(forecast.NumCategories) {
			if err := row("category", c.String(), mo.Category[c]); err != nil {
				return err
			}
		}
		for b := range forecast.AgeBand(forecast.NumAgeBands) {
			if err := row("age band", b.String(), mo.Band[b]); err != nil {
				return err
			}
		}
	}
	// Spend, sufficiency, the compatibility mode and scenarios follow, as
	// published, in the same columns: a single figure goes in mean.
	one := func(date time.Time, series, group, v string) error {
		return cw.Write(append([]string{r.RCC, date.Format(time.DateOnly), series, group, v, "", "", "", ""}, meta...))
	}
	for _, sp := range r.Spend {
		if err := one(sp.Date, "spend £", "all children", sp.Total.String()); err != nil {
			return err
		}
		for c := range forecast.Category(forecast.NumCategories) {
			if err := one(sp.Date, "spend £", c.String(), sp.Category[c].String()); err != nil {
				return err
			}
		}
		for _, n := range sp.Need {
			if err := one(sp.Date, "spend £ by need band", n.NeedBand, n.Figure.String()); err != nil {
				return err
			}
		}
		for _, w := range []struct {
			who string
			f   Figure
		}{{"social care", sp.SocialCare}, {"education", sp.Education}, {"health", sp.Health}} {
			if err := one(sp.Date, "spend £ by who pays", w.who, w.f.String()); err != nil {
				return err
			}
		}
	}
	for _, su := range r.Sufficiency {
		g := su.Category + " / " + su.NeedBand
		for _, x := range []struct{ series, v string }{{"sufficiency: children needing", su.Needed.String()},
			{"sufficiency: in-region places (category)", su.Places.String()}, {"sufficiency: gap (category)", su.Gap.String()},
			{"sufficiency: out-of-area % (category)", su.OutOfArea.String()}} {
			if err := one(su.Quarter, x.series, g, x.v); err != nil {
				return err
			}
		}
	}
	for _, cm := range r.Compat {
		if err := one(cm.Date, "cs-demand-model method", "all children", cm.Total.String()); err != nil {
			return err
		}
		for c := range forecast.Category(forecast.NumCategories) {
			if err := one(cm.Date, "cs-demand-model method", c.String(), cm.Category[c].String()); err != nil {
				return err
			}
		}
	}
	if n := len(r.Months); n > 0 {
		end := r.Months[n-1].Date
		for _, sc := range r.Scenarios {
			for _, x := range []struct{ series, v string }{{"scenario: change in children at end", sc.ChildrenAtEnd.String()},
				{"scenario: change in £ over the horizon", sc.Pounds.String()}, {"scenario: change in £ over the first 12 months", sc.FirstYear.String()}} {
				if err := one(end, x.series, sc.Scenario.Name, x.v); err != nil {
					return err
				}
			}
		}
	}
	if r.Backtest != nil {
		for _, sc := range r.Backtest.Scores {
			for _, pair := range sc.Series {
				for _, x := range []struct{ who, v string }{{"Hearth", pair.Hearth.String()}, {"cs-demand-model method", pair.Compat.String()}} {
					if err := one(r.Params.AsOf, fmt.Sprintf("backtest: %s MAPE over months 1-%d", x.who, sc.Horizon), pair.Name, x.v); err != nil {
						return err
					}
				}
			}
			if err := one(r.Params.AsOf, fmt.Sprintf("backtest: truth inside Hearth's 80%% interval, months 1-%d", sc.Horizon), "all series", sc.Coverage80.String()); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("regional forecast csv: %w", err)
	}
	return nil
}

// intervalsParam is the CSV's intervals column: how the 80% and 95% bounds
// were made.
func intervalsParam(r *Regional) string {
	if r.ModelError {
		return "widened for model error"
	}
	return "simulated, not widened"
}

// RegionalChart draws one regional series as published: withheld months
// are left out of the line rather than drawn as zero.
func RegionalChart(r *Regional, title string, get func(RegionalMonth) Published) chart.Chart {
	ss := []chart.Series{{Name: "Forecast (mean)"}, {Name: "80% interval, lower"}, {Name: "80% interval, upper"},
		{Name: "95% interval, lower"}, {Name: "95% interval, upper"}}
	for _, mo := range r.Months {
		x := chart.Days(mo.Date)
		p := get(mo)
		for k, f := range []Figure{p.Mean, p.P10, p.P90, p.P025, p.P975} {
			if f.Suppressed {
				continue
			}
			ss[k].Points = append(ss[k].Points, chart.Point{X: x, Y: f.V, Label: fmt.Sprintf("%s: %s", mo.Date.Format("Jan 2006"), f)})
		}
	}
	return chart.Chart{Kind: chart.Line, Title: title + " — regional forecast with 80% and 95% intervals", XTime: true, YLabel: "children", AsOf: r.Params.AsOf,
		// The source line is one line under the chart: the population and
		// protection are stated in full beside it (page, PDF, CSV).
		Source: fmt.Sprintf("Shared inputs of %d councils. Window %s to %s; %d paths, seed %d; intervals %s. Rounded to 5; below %d withheld", len(r.Councils),
			r.WindowFrom.Format(time.DateOnly), r.WindowTo.Format(time.DateOnly), r.Params.Paths, r.Params.Seed, intervalsParam(r), r.Control.MinCount),
		Series: ss, Height: 260}
}
