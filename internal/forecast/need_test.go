package forecast

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestProjectNeedsByHand: two need bands, low and high. 100 children aged 5
// in fostering, all low; fostering loses 10% a month (out of care); a low
// child moves to high with a month's chance of 0.1, and nobody moves back;
// fostering gains 2 entrants aged 5 a month, half low and half high, who
// arrive through the month and so have half of it to move: a low entrant is
// still low at the month end with chance √0.9 = 0.948683. As of a month end,
// so both steps are whole months:
//
//	month 1: low  100×0.9×0.9 + √0.9 = 81.948683
//	         high 100×0.9×0.1 + 1 + (1 − √0.9) = 10.051317
//	month 2: low  81.948683×0.81 + √0.9 = 67.327117
//	         high 10.051317×0.9 + 81.948683×0.09 + 1 + (1 − √0.9) = 17.472883
//
// and the totals, 92 and 84.8, are the demand model's own.
func TestProjectNeedsByHand(t *testing.T) {
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Start[60*NumCategories+int(Fostering)] = 100
	lambda := math.Log(1/0.9) / StepDays
	m.Exposure[Age5to9][Fostering] = 1e6
	m.Events[Age5to9][Fostering][Exit] = lambda * 1e6
	m.Entries[FirstEntry][5][Fostering] = 2 / StepDays * m.WindowDays()
	nm := &NeedModel{Bands: []string{NeedUnknown, "low", "high"}, Start: make([]float64, LeaveMonths*NumCategories*3)}
	for c := range NumCategories {
		nm.Exposure[c] = make([]float64, 3)
		nm.Moves[c] = [][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 3)}
		nm.Entries[c] = make([]float64, 3)
	}
	nm.Exposure[Fostering] = []float64{0, 1e6, 1e6}
	nm.Moves[Fostering][1][2] = lambda * 1e6
	nm.Entries[Fostering] = []float64{0, 7, 7}
	nm.Start[(60*NumCategories+int(Fostering))*3+1] = 100
	nf, err := m.ProjectNeeds(nm, Options{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := m.Project(Options{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := math.Sqrt(0.9)
	low1, high1 := 81+r, 10+(1-r)
	low2, high2 := low1*0.81+r, high1*0.9+low1*0.09+1+(1-r)
	for i, want := range []struct{ low, high float64 }{{low1, high1}, {low2, high2}} {
		mo := nf.Months[i]
		low, high := mo.Mix[1][Fostering][Age5to9], mo.Mix[2][Fostering][Age5to9]
		if !near(low, want.low, 1e-9) || !near(high, want.high, 1e-9) || mo.Mix[0][Fostering][Age5to9] != 0 {
			t.Errorf("month %d: low %.6f, high %.6f, unknown %.6f; want %.6f, %.6f, 0", i+1, low, high, mo.Mix[0][Fostering][Age5to9], want.low, want.high)
		}
		if tot := low + high; !near(tot, plain.Months[i].Total.Mean, 1e-9) {
			t.Errorf("month %d: need bands sum to %.6f; the demand model has %.6f", i+1, tot, plain.Months[i].Total.Mean)
		}
		if !mo.Date.Equal(plain.Months[i].Date) {
			t.Errorf("month %d ends %s; the demand model's %s", i+1, mo.Date, plain.Months[i].Date)
		}
	}
	// Spend prices the forecast's own need bands: low £10 and high £30 a
	// week (5 children each, so category × need), month 2 (May, 31 days).
	var samples []CostSample
	for range 5 {
		samples = append(samples,
			CostSample{Category: Fostering, NeedBand: "low", Band: Age5to9, Weekly: 1000, SocialCare: 1000},
			CostSample{Category: Fostering, NeedBand: "high", Band: Age5to9, Weekly: 3000, SocialCare: 3000})
	}
	cm, err := NewCostModel(samples, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.SetNeeds(nf); err != nil {
		t.Fatal(err)
	}
	sp := cm.Spend(plain)
	if got, want := sp[1].Total, (low2*1000+high2*3000)*31/7; !near(got, want, 1e-6) {
		t.Errorf("May spend %.4f pence; want %.4f from the projected need bands", got, want)
	}
	if got, want := sp[1].Need["high"], high2*3000*31/7; !near(got, want, 1e-6) {
		t.Errorf("May spend on high needs %.4f pence; want %.4f", got, want)
	}
}

// TestFitNeedsByHand: hand-counted need-band days at risk, moves and
// entrants over the window 2025-01-01 to 2026-01-01.
//
//	child a (born 2015-06-01), in fostering all year; low from 2024-12-01,
//	  high from 2025-03-01: fostering low 59 days (1 Jan – 1 Mar), fostering
//	  high 306 (1 Mar – 1 Jan); one move low → high in fostering; high on the
//	  as-of date.
//	child b (born 2022-01-01), first entry 2025-07-01 aged 3 into
//	  residential, not yet assessed: entrant of unknown need; residential
//	  unknown 62 days (1 Jul – 1 Sep); low from 2025-09-01: residential low
//	  122 days; one move unknown → low; an assessment dated after the as-of
//	  date is not known.
func TestFitNeedsByHand(t *testing.T) {
	eps := []Episode{
		{Child: "a", DOB: day("2015-06-01"), Start: day("2024-01-01"), Place: "U4"},
		{Child: "b", DOB: day("2022-01-01"), Start: day("2025-07-01"), Place: "K2"},
	}
	needs := NeedHistory{
		"a": {{day("2024-12-01"), "low"}, {day("2025-03-01"), "high"}},
		"b": {{day("2025-09-01"), "low"}, {day("2026-02-01"), "high"}},
	}
	nm, err := FitNeeds(eps, needs, []string{"low", "high"}, day("2025-01-01"), day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	const unk, low, high = 0, 1, 2
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"fostering low days", nm.Exposure[Fostering][low], 59},
		{"fostering high days", nm.Exposure[Fostering][high], 306},
		{"residential unknown days", nm.Exposure[Residential][unk], 62},
		{"residential low days", nm.Exposure[Residential][low], 122},
		{"fostering low → high", nm.Moves[Fostering][low][high], 1},
		{"residential unknown → low", nm.Moves[Residential][unk][low], 1},
		{"residential low → high (after the as-of date)", nm.Moves[Residential][low][high], 0},
		{"residential entrants, unknown need", nm.Entries[Residential][unk], 1},
		{"a on the as-of date, fostering, high", nm.Start[(AgeMonths(day("2015-06-01"), day("2026-01-01"))*NumCategories+int(Fostering))*3+high], 1},
		{"b on the as-of date, residential, low", nm.Start[(AgeMonths(day("2022-01-01"), day("2026-01-01"))*NumCategories+int(Residential))*3+low], 1},
	} {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s: %g; want %g", c.name, c.got, c.want)
		}
	}
	var tot float64
	for _, v := range nm.Start {
		tot += v
	}
	if tot != 2 {
		t.Errorf("%g children at the start; want 2", tot)
	}
	// A band the instrument does not have is refused by child and date.
	needs["b"] = append(needs["b"], NeedChange{day("2026-03-01"), "extreme"})
	_, err = FitNeeds(eps, needs, []string{"low", "high"}, day("2025-01-01"), day("2026-01-01"))
	if err == nil || !strings.Contains(err.Error(), `child b, assessment on 2026-03-01: need band "extreme"`) {
		t.Errorf("unknown band: %v; want it refused by child and date", err)
	}
}

// TestBacktestNeeds: on the synthetic council with dated need assessments
// (SynthesizeNeeds: needs drifting up in residential care, down elsewhere),
// fitted at each quarter end from March 2022 to March 2025 on a 36-month
// window, the need-band model's 12-month forecast of the children in each
// named need band is within 5% (MAPE over the months to the horizon), and of
// the children not yet assessed (about 40, waiting for a first assessment)
// within 15%: a Poisson count of 40 alone is 16% a standard deviation, about
// 12.6% a mean absolute deviation, so that is chance's floor. Over the bands
// it is no worse on average than holding today's mix within each category
// and age band (what the costs did before). It is not better in every band:
// on this history held mixes are about half a point closer for high and
// complex needs, whose drift is slow, and the test says so rather than hide
// it. The episodes are Synthesize's, unchanged by the needs.
func TestBacktestNeeds(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 13-origin backtest: run without -short or -race")
	}
	_, eps := Synthesize(DefaultSynth(1))
	needs := SynthesizeNeeds(eps, 1)
	if _, again := Synthesize(DefaultSynth(1)); len(again) != len(eps) || again[len(again)-1] != eps[len(eps)-1] {
		t.Fatal("the episodes changed when needs were drawn")
	}
	bt, err := BacktestNeeds(eps, needs, SynthNeedBands, BacktestOptions{
		Origins: QuarterlyOrigins(day("2022-03-31"), day("2025-03-31")), WindowMonths: 36, Horizons: []int{6, 12},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range bt.Scores {
		line := ""
		for n, band := range bt.Bands {
			if band == NeedUnknown {
				band = "not assessed"
			}
			line += fmt.Sprintf("  %s %.1f%% (held %.1f%%)", band, s.Model[n], s.Held[n])
		}
		t.Logf("%d months:%s", s.Horizon, line)
	}
	s := bt.Scores[1]
	var model, held float64
	for n, band := range bt.Bands {
		limit := 5.0
		if band == NeedUnknown {
			limit = 15
		}
		if s.Model[n] > limit {
			t.Errorf("need band %q: 12-month MAPE %.2f%%; want ≤ %g%%", band, s.Model[n], limit)
		}
		model += s.Model[n] / float64(len(bt.Bands))
		held += s.Held[n] / float64(len(bt.Bands))
	}
	if model > held {
		t.Errorf("need bands: 12-month MAPE %.2f%% on average, worse than today's mix held (%.2f%%)", model, held)
	}
}
