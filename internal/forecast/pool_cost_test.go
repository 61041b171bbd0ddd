package forecast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCostInputsEqualPooledSamples: the cost model made from three
// councils' summed cost cells is the cost model of their pooled children:
// every unit cost (with its fallback), the need mix, the commissioning
// groups and so the spend and sufficiency of a forecast are the same.
func TestCostInputsEqualPooledSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	needs := []string{"", "low", "medium", "high", "complex"}
	groups := []string{"Agency foster care", "In-house foster care", "Children's home"}
	var all []CostSample
	var ins []CostInputs
	for range 3 {
		var s []CostSample
		for range 40 + r.IntN(60) {
			w := int64(500 + r.IntN(900000))
			ed := int64(r.IntN(int(w / 4)))
			s = append(s, CostSample{Category: Category(r.IntN(NumCategories)), Group: groups[r.IntN(len(groups))], NeedBand: needs[r.IntN(len(needs))],
				Band: AgeBand(r.IntN(NumAgeBands)), Weekly: w, SocialCare: w - ed, Education: ed})
		}
		all = append(all, s...)
		ins = append(ins, CostInputsOf(s))
	}
	want, err := NewCostModel(all, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	sum := SumCostInputs(ins...)
	if sum.Children() != len(all) {
		t.Fatalf("summed inputs hold %d children; want %d", sum.Children(), len(all))
	}
	got, err := NewCostModelFromInputs(sum, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, a, b float64) {
		t.Helper()
		if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(b)) {
			t.Errorf("%s: from inputs %.12g, pooled %.12g", what, a, b)
		}
	}
	var fallbacks int
	for c := range Category(NumCategories) {
		for b := range AgeBand(NumAgeBands) {
			for _, n := range needs {
				u, v := got.Unit(c, n, b), want.Unit(c, n, b)
				what := fmt.Sprintf("unit %s %q %s", c, n, b)
				if u.Basis != v.Basis || u.Children != v.Children {
					t.Errorf("%s: basis %q from %d children; pooled %q from %d", what, u.Basis, u.Children, v.Basis, v.Children)
				}
				if u.Basis != "category × need × age" {
					fallbacks++
				}
				same(what+" weekly", u.Weekly, v.Weekly)
				same(what+" education", u.Education, v.Education)
				same(what+" need share", got.NeedShare(c, b, n), want.NeedShare(c, b, n))
			}
		}
	}
	if fallbacks == 0 {
		t.Error("no unit cost fell back to a coarser match: the test does not exercise the fallbacks")
	}
	for _, g := range groups {
		u, _ := got.GroupUnit(g)
		v, _ := want.GroupUnit(g)
		same("group "+g, u.Weekly, v.Weekly)
	}
	if fmt.Sprint(got.Needs()) != fmt.Sprint(want.Needs()) {
		t.Errorf("need bands %q; pooled %q", got.Needs(), want.Needs())
	}
	f := &Forecast{AsOf: day("2026-03-31")}
	for i := range 6 {
		mo := Month{Date: monthEnd(f.AsOf, i+1)}
		for c := range NumCategories {
			for b := range NumAgeBands {
				mo.Mix[c][b] = float64(1 + r.IntN(50))
			}
		}
		f.Months = append(f.Months, mo)
	}
	gs, ws := got.Spend(f), want.Spend(f)
	for i := range gs {
		same(fmt.Sprintf("spend month %d", i+1), gs[i].Total, ws[i].Total)
		same(fmt.Sprintf("health month %d", i+1), gs[i].Health, ws[i].Health)
		for c := range NumCategories {
			same(fmt.Sprintf("spend month %d %s", i+1, Category(c)), gs[i].Category[c], ws[i].Category[c])
		}
	}
	var places, out [NumCategories]float64
	places[Residential], out[Residential] = 20, 0.3
	gsu, wsu := got.SufficiencyByQuarter(f, places, out), want.SufficiencyByQuarter(f, places, out)
	if len(gsu) != len(wsu) {
		t.Fatalf("%d sufficiency rows; pooled %d", len(gsu), len(wsu))
	}
	for i := range gsu {
		same("sufficiency needed", gsu[i].Needed, wsu[i].Needed)
		same("sufficiency out of area", gsu[i].OutOfArea, wsu[i].OutOfArea)
	}
	// What a council shares is refused when it is not a cost: a negative sum
	// or a cell of no children.
	bad := SumCostInputs(ins...)
	bad.Cells[0].Weekly = -1
	if _, err := NewCostModelFromInputs(bad, 0); err == nil {
		t.Error("a negative weekly cost was accepted")
	}
}

// TestSumCompatEqualsPooledFit: the compatibility mode made from three
// councils' daily compat inputs is cs-demand-model's method fitted on their
// pooled histories: every rate, entrant rate and start figure, and so the
// projection, agree to 1e-9. Adding the councils' fitted rates instead
// would not (the method averages daily ratios of moves to the pooled stock),
// which is why councils share daily sums.
func TestSumCompatEqualsPooledFit(t *testing.T) {
	from, to := day("2024-03-31"), day("2024-09-30")
	var pooled []Episode
	var ins []*CompatInputs
	var rates float64
	for i, seed := range []uint64{3, 4, 5} {
		eps := randomHistory(seed, 80+20*i)
		for j := range eps {
			eps[j].Child = fmt.Sprintf("%d-%s", i, eps[j].Child)
		}
		pooled = append(pooled, eps...)
		in, err := FitCompatInputs(eps, from, to)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
		m, err := FitCompat(eps, from, to)
		if err != nil {
			t.Fatal(err)
		}
		rates += m.Rates[2*NumCategories+int(Fostering)][compatNIC]
	}
	// What councils share goes through JSON, compactly (the stock's changes).
	for i, in := range ins {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var back CompatInputs
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(back) != fmt.Sprint(*in) {
			t.Fatalf("council %d's compat inputs changed through JSON", i+1)
		}
		ins[i] = &back
	}
	got, err := SumCompat(ins...)
	if err != nil {
		t.Fatal(err)
	}
	want, err := FitCompat(pooled, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for s := range compatStates {
		if !near(got.Start[s], want.Start[s], 1e-9) || !near(got.Entrants[s], want.Entrants[s], 1e-12) {
			t.Errorf("state %d: start %g entrants %g; pooled %g, %g", s, got.Start[s], got.Entrants[s], want.Start[s], want.Entrants[s])
		}
		for u := range compatStates + 1 {
			if !near(got.Rates[s][u], want.Rates[s][u], 1e-12) {
				t.Errorf("rate %d → %d: %.15g; pooled %.15g", s, u, got.Rates[s][u], want.Rates[s][u])
			}
		}
	}
	if w := want.Rates[2*NumCategories+int(Fostering)][compatNIC]; near(rates, w, 1e-6) {
		t.Errorf("the councils' own rates add up to the pooled rate (%g): the test cannot tell pooling from adding", w)
	}
	gf, err := got.Project(12, 1)
	if err != nil {
		t.Fatal(err)
	}
	wf, err := want.Project(12, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range gf.Months {
		if !near(gf.Months[i].Total.Mean, wf.Months[i].Total.Mean, 1e-9*math.Max(1, wf.Months[i].Total.Mean)) {
			t.Errorf("month %d: %g; pooled %g", i+1, gf.Months[i].Total.Mean, wf.Months[i].Total.Mean)
		}
	}
	if _, err := SumCompat(ins[0], &CompatInputs{From: from.AddDate(0, -1, 0), To: to}); err == nil {
		t.Error("compat inputs over another window were added")
	}
}

// TestPooledBacktestEqualsRunBacktest: the regional backtest on three
// councils' summed backtest inputs scores both models exactly as
// RunBacktest does on their pooled histories: every error and coverage,
// with the plain intervals and with the model-error widening.
func TestPooledBacktestEqualsRunBacktest(t *testing.T) {
	hists, _ := synthCouncils([]uint64{21, 22, 23}, []float64{50, 80, 30}, day0(2012, 4, 1))
	for _, widen := range []bool{false, true} {
		t.Run(fmt.Sprintf("model error %v", widen), func(t *testing.T) {
			o := BacktestOptions{Origins: QuarterlyOrigins(day("2024-03-31"), day("2024-09-30")), WindowMonths: 24, Horizons: []int{6, 12}, Paths: MinPaths, Seed: 4, ModelError: widen}
			var pooled []Episode
			var ins []*BacktestInputs
			for _, eps := range hists {
				pooled = append(pooled, eps...)
				in, err := BacktestInputsOf(eps, o)
				if err != nil {
					t.Fatal(err)
				}
				ins = append(ins, in)
			}
			got, act, err := PooledBacktest(o, ins...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := RunBacktest(pooled, o)
			if err != nil {
				t.Fatal(err)
			}
			if tot, _, _ := Count(pooled, act.Months[0]); act.Total[0] != tot {
				t.Errorf("summed actuals %g on %s; pooled history %g", act.Total[0], act.Months[0].Format(time.DateOnly), tot)
			}
			same := func(what string, a, b float64) {
				t.Helper()
				if !(math.IsNaN(a) && math.IsNaN(b)) && math.Abs(a-b) > 1e-6 {
					t.Errorf("%s: pooled inputs %.9g, pooled histories %.9g", what, a, b)
				}
			}
			for i := range want.Hearth {
				for _, m := range []struct {
					name string
					g, w Score
				}{{"Hearth", got.Hearth[i], want.Hearth[i]}, {"compat", got.Compat[i], want.Compat[i]}} {
					h := fmt.Sprintf("%s at %d months", m.name, m.w.Horizon)
					if m.g.Points != m.w.Points {
						t.Errorf("%s: %d points; want %d", h, m.g.Points, m.w.Points)
					}
					same(h+" total", m.g.Total.MAPE, m.w.Total.MAPE)
					same(h+" total at horizon", m.g.Total.AtHorizon, m.w.Total.AtHorizon)
					same(h+" coverage", m.g.Coverage80, m.w.Coverage80)
					same(h+" coverage 95", m.g.Coverage95, m.w.Coverage95)
					for c := range NumCategories {
						same(h+" "+Category(c).String(), m.g.Category[c].MAPE, m.w.Category[c].MAPE)
					}
					for b := range NumAgeBands {
						same(h+" "+AgeBand(b).String(), m.g.Band[b].MAPE, m.w.Band[b].MAPE)
					}
				}
			}
			if want.Hearth[1].Total.MAPE == 0 || math.IsNaN(want.Hearth[1].Coverage80) {
				t.Errorf("the pooled backtest scored nothing: %+v", want.Hearth[1])
			}
			t.Logf("12-month coverage of the 80%% interval: %.1f%%", 100*got.Hearth[1].Coverage80)
			// Inputs fitted over another window are refused, not scored as this one.
			other := o
			other.WindowMonths = o.WindowMonths - 1
			if _, _, err := PooledBacktest(other, ins...); !errors.Is(err, ErrOptions) {
				t.Errorf("PooledBacktest over %d months of inputs fitted over %d: err %v; want ErrOptions", other.WindowMonths, o.WindowMonths, err)
			}
			if !widen {
				// Plain inputs carry no widening's sums: a widened pooled
				// backtest on them is refused, not silently plain.
				wide := o
				wide.ModelError = true
				if _, _, err := PooledBacktest(wide, ins...); !errors.Is(err, ErrOptions) {
					t.Errorf("widened PooledBacktest on plain inputs: err %v; want ErrOptions", err)
				}
			}
		})
	}
}
