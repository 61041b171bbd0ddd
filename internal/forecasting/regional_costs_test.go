package forecasting_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sharing"
)

// independent is the regional spend, sufficiency, compatibility figures
// and scenario worked out as if the RCC held the councils' records: the
// pooled episodes fitted together, the pooled children's weekly costs,
// their in- and out-of-area counts.
type independent struct {
	f, compat *forecast.Forecast
	model     *forecast.Model
	costs     *forecast.CostModel
	in, out   [forecast.NumCategories]int
	costed    int
}

func pooledCosts(t *testing.T, rg region, las []int32, p forecasting.Params) independent {
	t.Helper()
	var all []forecast.Episode
	var samples []forecast.CostSample
	var ind independent
	for _, la := range las {
		ctx := postgres.WithCouncils(context.Background(), postgres.OnlyCouncils(la))
		q := db.New(rg.pool)
		h, err := forecasting.History(ctx, q, la, p.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		for i := range h {
			h[i].Child = strconv.Itoa(int(la)) + "/" + h[i].Child
		}
		all = append(all, h...)
		kids, err := analytics.Snapshot(ctx, q, []int32{la}, p.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		splits, err := q.ForecastCostSplit(ctx, db.ForecastCostSplitParams{LaID: la, AsOf: p.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		pays := map[int64]db.ForecastCostSplitRow{}
		for _, s := range splits {
			pays[s.ChildID] = s
		}
		for _, k := range kids {
			c := forecast.CategoryOf(k.Place)
			if k.OutOfArea {
				ind.out[c]++
			} else {
				ind.in[c]++
			}
			if !k.HasCost() || k.Age >= 18 {
				continue
			}
			s := forecast.CostSample{Category: c, Group: k.Group, NeedBand: k.Band, Band: forecast.BandOfMonths(12 * k.Age), Weekly: k.WeeklyPence, SocialCare: k.WeeklyPence}
			if sp, ok := pays[k.ChildID]; ok && sp.WeeklyPence == k.WeeklyPence {
				s.SocialCare, s.Education, s.Health = sp.SocialCarePence, sp.EducationPence, sp.HealthPence
			}
			samples = append(samples, s)
		}
	}
	from := p.AsOf.AddDate(0, -p.WindowMonths, 0)
	m, err := forecast.Fit(all, from, p.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if ind.f, err = m.Simulate(forecast.Options{Months: p.Months, Paths: p.Paths, Seed: p.Seed}); err != nil {
		t.Fatal(err)
	}
	ind.model = m
	if ind.costs, err = forecast.NewCostModel(samples, p.Uplift); err != nil {
		t.Fatal(err)
	}
	ind.costed = len(samples)
	cm, err := forecast.FitCompat(all, from, p.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if ind.compat, err = cm.Project(p.Months, 1); err != nil {
		t.Fatal(err)
	}
	return ind
}

// leaks lists every published figure of the regional spend, sufficiency,
// compatibility figures and scenario that breaks the protection at minCount
// (a figure shown for fewer children, or not rounded), or that is not the
// independent computation's; and counts the figures withheld.
func leaks(r *forecasting.Regional, ind independent, minCount, maxNoise int) (problems []string, withheld int) {
	min := float64(minCount)
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	kids := func(what string, got forecasting.Figure, want float64) {
		switch {
		case got.Suppressed:
			withheld++
			if want > min+forecasting.RoundTo {
				bad("%s: withheld; the figure is %.1f", what, want)
			}
		case want < min:
			bad("%s: %v shown for %.2f children, below %d", what, got, want, minCount)
		case math.Mod(got.V, forecasting.RoundTo) != 0 || math.Abs(got.V-want) > forecasting.RoundTo:
			bad("%s: %v published, %.2f independently: want it rounded to %d", what, got, want, forecasting.RoundTo)
		}
	}
	pounds := func(what string, got forecasting.Figure, pence, children float64) {
		switch {
		case got.Suppressed:
			withheld++
			if children > min+1 {
				bad("%s: withheld beside %.1f children", what, children)
			}
		case children < min:
			bad("%s: £%v shown beside %.2f children, below %d", what, got.V, children, minCount)
		case math.Mod(got.V, forecasting.MoneyRoundTo) != 0 || math.Abs(got.V-pence/100) > forecasting.MoneyRoundTo/2+1:
			bad("%s: £%v published, £%.2f independently: want it rounded to £%d", what, got.V, pence/100, forecasting.MoneyRoundTo)
		}
	}
	spend := ind.costs.Spend(ind.f)
	if len(r.Spend) != len(spend) {
		bad("%d months of spend; want %d", len(r.Spend), len(spend))
		return problems, withheld
	}
	for i, sp := range r.Spend {
		mo, d := ind.f.Months[i], sp.Date.Format(time.DateOnly)
		pounds("spend "+d, sp.Total, spend[i].Total, mo.Total.Mean)
		pounds("education "+d, sp.Education, spend[i].Education, mo.Total.Mean)
		for c := range forecast.NumCategories {
			pounds(fmt.Sprintf("spend %s %s", d, forecast.Category(c)), sp.Category[c], spend[i].Category[c], mo.Category[c].Mean)
		}
	}
	suff := ind.costs.SufficiencyByQuarter(ind.f, [forecast.NumCategories]float64{}, [forecast.NumCategories]float64{})
	if len(r.Sufficiency) != len(suff) {
		bad("%d sufficiency rows; want %d", len(r.Sufficiency), len(suff))
		return problems, withheld
	}
	for i, s := range r.Sufficiency {
		kids(fmt.Sprintf("needing %s %s %s", s.Quarter.Format(time.DateOnly), s.Category, s.NeedBand), s.Needed, suff[i].Needed)
		n := ind.in[suff[i].Category]
		switch {
		case s.Places.Suppressed:
			if n >= minCount+maxNoise {
				bad("in-region places %s: withheld for %d", s.Category, n)
			}
		case n == 0 && s.Places.N == 0:
			// An empty cell may be shown as empty (the zero mask withholds some).
		case n < minCount:
			bad("in-region places %s: %v shown for %d children", s.Category, s.Places, n)
		case s.Places.N < n-maxNoise || s.Places.N > n+maxNoise:
			bad("in-region places %s: %v shown for %d, beyond the noise", s.Category, s.Places, n)
		}
		if !s.Gap.Suppressed && (s.Places.Suppressed || math.Mod(s.Gap.V, forecasting.RoundTo) != 0) {
			bad("gap %s %s: %v shown beside places %v", s.Quarter.Format(time.DateOnly), s.Category, s.Gap, s.Places)
		}
	}
	for i, c := range r.Compat {
		kids("compat total "+c.Date.Format(time.DateOnly), c.Total, ind.compat.Months[i].Total.Mean)
		for k := range forecast.NumCategories {
			kids(fmt.Sprintf("compat %s %s", c.Date.Format(time.DateOnly), forecast.Category(k)), c.Category[k], ind.compat.Months[i].Category[k].Mean)
		}
	}
	return problems, withheld
}

// TestRegionalForecastCosts: the regional forecast's spend by category and
// need band, sufficiency, compatibility-mode figures and a scenario are made
// from the councils' shared aggregates only, equal (as published) the same
// figures worked out on their pooled records, and are protected: the same
// checks find figures for fewer than 5 children shown, and unrounded, when
// the protection is off. A council that ends sharing is out of every one of
// them at once.
func TestRegionalForecastCosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 240)
	p := forecasting.Defaults(rg.today)
	p.Months = 12
	p.Seed = 3
	sc := forecast.Scenario{Name: "More in-house carers, fewer entrants", EntrantChange: -0.2, InHouseCarers: 10, StepDownShare: 0.5}
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, p, sc)
	if err != nil {
		t.Fatal(err)
	}
	if r.CostNote != "" || len(r.Spend) != 12 || len(r.Sufficiency) == 0 || len(r.Compat) != 12 || len(r.Scenarios) != 1 {
		t.Fatalf("regional forecast: note %q, %d months of spend, %d sufficiency rows, %d compat months, %d scenarios",
			r.CostNote, len(r.Spend), len(r.Sufficiency), len(r.Compat), len(r.Scenarios))
	}
	las := []int32{352, 355, 356, 358}
	ind := pooledCosts(t, rg, las, p)
	problems, withheld := leaks(r, ind, r.Control.MinCount, r.Control.MaxNoise)
	for _, pr := range problems {
		t.Error(pr)
	}
	if withheld == 0 {
		t.Error("no spend, sufficiency or compat figure is withheld: the test region must have small ones to prove they are")
	}
	if c := r.Costed; c.Suppressed || math.Abs(float64(c.N-ind.costed)) > float64(r.Control.MaxNoise) {
		t.Errorf("costed children published as %v; %d costed", c, ind.costed)
	}
	// The scenario, against the independent model and costs, with the
	// step-down head count as published.
	want := sc
	want.StepDownCandidates = float64(r.StepDown.N)
	if r.StepDown.Suppressed {
		want.StepDownCandidates = 0
	}
	sr, err := forecast.RunScenario(ind.model, ind.costs, forecast.Options{Months: p.Months}, want)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Scenarios[0]
	if got.Pounds.Suppressed || math.Abs(got.Pounds.V-sr.Pence/100) > forecasting.MoneyRoundTo/2+1 || math.Mod(got.Pounds.V, forecasting.MoneyRoundTo) != 0 {
		t.Errorf("scenario: £%v published; £%.2f independently", got.Pounds, sr.Pence/100)
	}
	if math.Abs(sr.ChildrenAtEnd) >= float64(r.Control.MinCount) {
		if got.ChildrenAtEnd.Suppressed || math.Abs(got.ChildrenAtEnd.V-sr.ChildrenAtEnd) > forecasting.RoundTo {
			t.Errorf("scenario: %v children at the end published; %.2f independently", got.ChildrenAtEnd, sr.ChildrenAtEnd)
		}
	} else if !got.ChildrenAtEnd.Suppressed {
		t.Errorf("scenario: a change of %.2f children published as %v", sr.ChildrenAtEnd, got.ChildrenAtEnd)
	}
	if sr.Pence >= 0 {
		t.Errorf("fewer entrants and in-house carers in place of agency ones save nothing (%.0f pence)", sr.Pence)
	}

	// With the protection off, the same checks fail: figures for fewer
	// than 5 children are shown, and money unrounded beside them.
	off, err := forecasting.BuildRegion(forecasting.WithControl(ctx, sharing.Exact), rg.pool, rg.rcc, p, rg.today, sc)
	if err != nil {
		t.Fatal(err)
	}
	if unprotected, _ := leaks(off, ind, r.Control.MinCount, r.Control.MaxNoise); len(unprotected) == 0 {
		t.Error("with the protection off the checks find nothing: they cannot tell a protected forecast from an unprotected one")
	} else {
		t.Logf("with the protection off, %d figures break it, for example %s", len(unprotected), unprotected[0])
	}

	// Salford ends its agreement: its children, costs and places are out
	// of the next regional forecast at once.
	admin := rg.users["la.admin@salford.demo.hearth.test"]
	ags, _, err := rg.sharing.CouncilAgreements(ctx, admin, 355)
	if err != nil || len(ags) != 1 {
		t.Fatalf("Salford's agreements: %v, %v", ags, err)
	}
	if err := rg.sharing.End(ctx, admin, 355, ags[0].AgreementID); err != nil {
		t.Fatal(err)
	}
	after, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, p)
	if err != nil {
		t.Fatal(err)
	}
	ind3 := pooledCosts(t, rg, []int32{352, 356, 358}, p)
	problems, _ = leaks(after, ind3, after.Control.MinCount, after.Control.MaxNoise)
	for _, pr := range problems {
		t.Error("after Salford ended: " + pr)
	}
	if a, b := after.Spend[0].Total, r.Spend[0].Total; a.Suppressed || b.Suppressed || a.V >= b.V {
		t.Errorf("first month's spend %v with Salford, %v without: Salford's costs are still counted", b, a)
	}
}

// TestRegionalBacktest: the regional backtest on the councils' shared sums
// scores both models as a backtest of their pooled histories does, and
// withholds the series whose counts fall below the smallest count. The
// second case is an as-of date whose window start AddDate normalises (31 May
// less 3 months is 3 March, as 29 February less 36 months is 1 March): the
// councils once counted their backtest window back from that day, a month
// short, and the published errors were another window's (issue 21).
func TestRegionalBacktest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 240)
	// A smallest count of 15, as TestRegionalForecast sets: since the demo's
	// history has leavers its past counts are level, and at 5 no series of
	// a 240-child region need fall below it, so withholding went unshown.
	if err := rg.sharing.SetDisclosure(ctx, "gm-rcc", 15, 3, 5); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		asOf   time.Time
		window int
	}{
		{"today, 36-month window", rg.today, 36},
		// The demo's agreements start on 1 May 2025.
		{"31 May 2025, 3-month window", time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := forecasting.Defaults(tc.asOf)
			p.Months, p.WindowMonths = 6, tc.window
			r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Backtest == nil {
				t.Fatalf("no regional backtest: %s", r.BacktestNote)
			}
			if r.Backtest.WindowMonths != tc.window {
				t.Errorf("backtest over %d months; want %d", r.Backtest.WindowMonths, tc.window)
			}
			var all []forecast.Episode
			for _, la := range []int32{352, 355, 356, 358} {
				h, err := forecasting.History(postgres.WithCouncils(ctx, postgres.OnlyCouncils(la)), db.New(rg.pool), la, p.AsOf)
				if err != nil {
					t.Fatal(err)
				}
				for i := range h {
					h[i].Child = strconv.Itoa(int(la)) + "/" + h[i].Child
				}
				all = append(all, h...)
			}
			want, err := forecast.RunBacktest(all, forecasting.RegionBacktest(p.AsOf, p.WindowMonths, p))
			if err != nil {
				t.Fatal(err)
			}
			var withheld, compared, differs int
			for i, s := range r.Backtest.Scores {
				for _, pair := range s.Series {
					t.Logf("%2d months  %-40s Hearth %7s  cs-demand-model %7s", s.Horizon, pair.Name, pair.Hearth, pair.Compat)
				}
				t.Logf("%2d months  inside Hearth's 80%% interval: %s", s.Horizon, s.Coverage80)
				w, c := want.Hearth[i], want.Compat[i]
				wants := []struct{ h, c float64 }{{w.Total.MAPE, c.Total.MAPE}}
				for k := range forecast.NumCategories {
					wants = append(wants, struct{ h, c float64 }{w.Category[k].MAPE, c.Category[k].MAPE})
				}
				for k := range forecast.NumAgeBands {
					wants = append(wants, struct{ h, c float64 }{w.Band[k].MAPE, c.Band[k].MAPE})
				}
				var inside float64
				var shown int
				for j, pair := range s.Series {
					if pair.Hearth.Suppressed {
						withheld++
						continue
					}
					inside += w.SeriesCoverage80[j]
					shown++
					compared++
					if math.Abs(pair.Hearth.V-wants[j].h) > 0.05+1e-9 || math.Abs(pair.Compat.V-wants[j].c) > 0.05+1e-9 {
						t.Errorf("%d months, %s: published %v / %v; pooled histories %.3f / %.3f", s.Horizon, pair.Name, pair.Hearth, pair.Compat, wants[j].h, wants[j].c)
					}
				}
				// Coverage is a share of the shown series' points only: the
				// withheld series' truths inside or outside their intervals
				// are not published through it.
				if shown > 0 {
					cov := 100 * inside / float64(shown)
					if s.Coverage80.Suppressed || math.Abs(s.Coverage80.V-cov) > 0.05+1e-9 {
						t.Errorf("%d months: coverage %v; pooled, over the %d series shown, %.2f%%", s.Horizon, s.Coverage80, shown, cov)
					}
					if math.Abs(cov-100*w.Coverage80) > 0.05 {
						differs++
					}
				}
			}
			if withheld == 0 {
				t.Error("no backtest series withheld in a 240-child region: small series must be c")
			}
			if compared == 0 {
				t.Error("every backtest series withheld: nothing was compared")
			}
			t.Logf("coverage over the shown series differs from the share over all series at %d of %d horizons", differs, len(r.Backtest.Scores))
		})
	}
}
