package forecast

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestProjectTwoStatesByHand: 100 children aged exactly 5 (band 5–9, which
// they cannot leave within two months) in fostering; fostering loses 10% a
// month, half to residential and half out of care; residential keeps everyone;
// 2 fostering entrants aged 5 arrive a month.
//
//	month 1: fostering 100×0.9 + 2 = 92;   residential 0 + 100×0.05 = 5
//	month 2: fostering  92×0.9 + 2 = 84.8; residential 5 +  92×0.05 = 9.6
//
// (Entrants aged 5 are spread over the twelve months of that year of age, all
// still in band 5–9.)
func TestProjectTwoStatesByHand(t *testing.T) {
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Start[60*NumCategories+int(Fostering)] = 100
	// λ·StepDays = ln(1/0.9) gives a month's chance of leaving of exactly 0.1.
	lambda := math.Log(1/0.9) / StepDays
	m.Exposure[Age5to9][Fostering] = 1e6
	m.Events[Age5to9][Fostering][Residential] = lambda / 2 * 1e6
	m.Events[Age5to9][Fostering][Exit] = lambda / 2 * 1e6
	// 2 a month: 2/StepDays a day over a 365-day window.
	m.Entries[FirstEntry][5][Fostering] = 2 / StepDays * m.WindowDays()
	f, err := m.Project(Options{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ fost, res float64 }{{92, 5}, {84.8, 9.6}} {
		got := f.Months[i]
		if !near(got.Category[Fostering].Mean, want.fost, 1e-9) || !near(got.Category[Residential].Mean, want.res, 1e-9) {
			t.Errorf("month %d: fostering %.6f, residential %.6f; want %.1f, %.1f", i+1, got.Category[Fostering].Mean, got.Category[Residential].Mean, want.fost, want.res)
		}
		if !near(got.Band[Age5to9].Mean, want.fost+want.res, 1e-9) {
			t.Errorf("month %d: band 5–9 %.6f; want %.1f", i+1, got.Band[Age5to9].Mean, want.fost+want.res)
		}
	}
	if d := f.Months[0].Date; !d.Equal(day("2026-04-30")) {
		t.Errorf("first month end %s; want 2026-04-30", d.Format(time.DateOnly))
	}
}

// TestProjectAgesOnBirthdays: with no moves at all, a child aged 15 years 11
// months is in 10–15 at the as-of date, in 16–17 a month later, and one aged
// 17 years 11 months has left care (aged out) a month later — not at a
// constant rate.
func TestProjectAgesOnBirthdays(t *testing.T) {
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Start[191*NumCategories+int(Fostering)] = 3
	m.Start[215*NumCategories+int(Residential)] = 2
	f, err := m.Project(Options{Months: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := f.Months[0]
	if got.Band[Age10to15].Mean != 0 || got.Band[Age16to17].Mean != 3 || got.Total.Mean != 3 || got.AgedOut != 2 {
		t.Errorf("after a month: 10–15 %.0f, 16–17 %.0f, total %.0f, aged out %.0f; want 0, 3, 3, 2",
			got.Band[Age10to15].Mean, got.Band[Age16to17].Mean, got.Total.Mean, got.AgedOut)
	}
}

// TestFitByHand: hand-counted days at risk, moves and entries.
//
//	window 2025-01-01 to 2026-01-01 (365 days)
//	child a (born 2015-06-01, so 9 until 2025-06-01, then 10):
//	  U4 2024-01-01 → 2025-03-01 (X1), then K2 2025-03-01 → 2025-09-28 (E4A)
//	  fostering 5–9: 59 days (1 Jan – 1 Mar); residential 5–9: 92 days (1 Mar
//	  – 1 Jun); residential 10–15: 119 days (1 Jun – 28 Sep)
//	  moves: 5–9 fostering → residential at 1 Mar; 10–15 residential → exit
//	child b (born 2008-02-10, 18 on 2026-02-10): first entry at 17 on
//	  2025-07-01 into K3, open: supported 16–17, 184 days (1 Jul – 1 Jan)
//	child c: left in 2023, back on 2025-11-01 aged 3 into U6: a re-entry;
//	  fostering 1–4, 61 days
func TestFitByHand(t *testing.T) {
	eps := []Episode{
		{Child: "a", DOB: day("2015-06-01"), Start: day("2024-01-01"), End: day("2025-03-01"), Place: "U4", Reason: "X1"},
		{Child: "a", DOB: day("2015-06-01"), Start: day("2025-03-01"), End: day("2025-09-28"), Place: "K2", Reason: "E4A"},
		{Child: "b", DOB: day("2008-02-10"), Start: day("2025-07-01"), Place: "K3"},
		{Child: "c", DOB: day("2022-05-05"), Start: day("2023-01-01"), End: day("2023-03-01"), Place: "U6", Reason: "E4A"},
		{Child: "c", DOB: day("2022-05-05"), Start: day("2025-11-01"), Place: "U6"},
	}
	m, err := Fit(eps, day("2025-01-01"), day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	exp := []struct {
		b    AgeBand
		c    Category
		want float64
	}{{Age5to9, Fostering, 59}, {Age5to9, Residential, 92}, {Age10to15, Residential, 119}, {Age16to17, Supported, 184}, {Age1to4, Fostering, 61}}
	for _, e := range exp {
		if got := m.Exposure[e.b][e.c]; got != e.want {
			t.Errorf("exposure %s %s = %g; want %g", e.b, e.c, got, e.want)
		}
	}
	if m.Events[Age5to9][Fostering][Residential] != 1 || m.Events[Age10to15][Residential][Exit] != 1 {
		t.Errorf("moves: 5–9 F→R %g, 10–15 R→exit %g; want 1, 1", m.Events[Age5to9][Fostering][Residential], m.Events[Age10to15][Residential][Exit])
	}
	if got := m.Rate(Age10to15, Residential, Exit); !near(got, 1.0/119, 1e-12) {
		t.Errorf("rate 10–15 residential → exit = %g; want 1/119", got)
	}
	if m.Entries[FirstEntry][17][Supported] != 1 || m.Entries[ReEntry][3][Fostering] != 1 || m.Entries[FirstEntry][3][Fostering] != 0 {
		t.Errorf("entries: first 17 supported %g, re-entry 3 fostering %g, first 3 fostering %g; want 1, 1, 0",
			m.Entries[FirstEntry][17][Supported], m.Entries[ReEntry][3][Fostering], m.Entries[FirstEntry][3][Fostering])
	}
	if m.StartTotal() != 2 || m.Start[(17*12+10)*NumCategories+int(Supported)] != 1 {
		t.Errorf("start population %g (b at 17y10m in supported %g); want 2 (1)", m.StartTotal(), m.Start[(17*12+10)*NumCategories+int(Supported)])
	}
}

func TestCategoryOfEveryCode(t *testing.T) {
	want := map[Category][]string{
		Fostering:   {"U1", "U2", "U3", "U4", "U5", "U6", "Q1", "Q2"},
		Residential: {"K1", "K2", "R1", "S1", "P3"},
		Supported:   {"H5", "P2", "K3"},
		Other:       {"A3", "A4", "A5", "A6", "P1", "R2", "R3", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"},
	}
	for c, codes := range want {
		for _, code := range codes {
			if got := CategoryOf(code); got != c {
				t.Errorf("CategoryOf(%q) = %s; want %s", code, got, c)
			}
		}
	}
}

func TestAgeMonths(t *testing.T) {
	for _, tc := range []struct {
		dob, d string
		want   int
	}{
		{"2010-05-15", "2010-06-14", 0}, {"2010-05-15", "2010-06-15", 1}, {"2010-01-31", "2010-02-28", 1},
		{"2008-03-31", "2026-03-30", 215}, {"2008-03-31", "2026-03-31", 216},
	} {
		if got := AgeMonths(day(tc.dob), day(tc.d)); got != tc.want {
			t.Errorf("AgeMonths(%s, %s) = %d; want %d", tc.dob, tc.d, got, tc.want)
		}
	}
}

func TestOptionsRefused(t *testing.T) {
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	for _, o := range []Options{{Months: 0, Paths: 1000}, {Months: 12, Paths: 10}, {Months: 12, Paths: 1000, EntrantChange: math.NaN()}} {
		if _, err := m.Simulate(o); err == nil {
			t.Errorf("Simulate(%+v) accepted; want an error", o)
		}
	}
	if _, err := Fit(nil, day("2026-01-01"), day("2025-01-01")); err == nil {
		t.Error("Fit with a reversed window accepted")
	}
	if _, err := Fit([]Episode{{Child: "a", DOB: day("2020-01-01"), Start: day("2025-01-01"), End: day("2024-01-01")}}, day("2025-01-01"), day("2026-01-01")); err == nil {
		t.Error("Fit accepted an episode ending before it starts")
	}
}

// TestSimulateMatchesExpectation: the simulation's mean agrees with the
// expected projection, its 80% interval sits inside its 95% one, and a seed
// gives the same figures twice.
func TestSimulateMatchesExpectation(t *testing.T) {
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	for am := range 200 {
		m.Start[am*NumCategories+int(Fostering)] = 3
		m.Start[am*NumCategories+int(Residential)] = 1
	}
	for b := range NumAgeBands {
		m.Exposure[b][Fostering], m.Exposure[b][Residential] = 1e5, 3e4
		m.Events[b][Fostering][Exit], m.Events[b][Fostering][Residential] = 20, 5
		m.Events[b][Residential][Exit], m.Events[b][Residential][Fostering] = 8, 3
	}
	for y := range 18 {
		m.Entries[FirstEntry][y][Fostering] = 20
	}
	o := Options{Months: 24, Paths: 1000, Seed: 7, FixedRates: true}
	exp, _ := m.Project(o)
	sim, err := m.Simulate(o)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := m.Simulate(o)
	for i, mo := range sim.Months {
		e := exp.Months[i].Total.Mean
		sd := math.Sqrt(e) // a generous bound on the path spread
		if !near(mo.Total.Mean, e, 3*sd/math.Sqrt(float64(o.Paths))*3) {
			t.Errorf("month %d: simulated mean %.2f; expected %.2f", i+1, mo.Total.Mean, e)
		}
		if !(mo.Total.P025 <= mo.Total.P10 && mo.Total.P10 <= mo.Total.P50 && mo.Total.P50 <= mo.Total.P90 && mo.Total.P90 <= mo.Total.P975) {
			t.Errorf("month %d: quantiles out of order %+v", i+1, mo.Total)
		}
		if mo.Total != again.Months[i].Total {
			t.Errorf("month %d: seed 7 gave %+v then %+v", i+1, mo.Total, again.Months[i].Total)
		}
	}
	if w := sim.Months[23].Total.P90 - sim.Months[23].Total.P10; w <= 0 {
		t.Errorf("80%% interval at 24 months has width %g; want > 0", w)
	}
}

// TestFitWeighted: with no half-life the weighted fit is the plain one; with
// a half-life of a year an event at the window's end counts 1 and one a year
// earlier 1/2, and a day at risk likewise.
func TestFitWeighted(t *testing.T) {
	eps := []Episode{
		{Child: "a", DOB: day("2014-01-01"), Start: day("2023-01-01"), End: day("2025-01-01"), Place: "U4", Reason: "E4A"},
		{Child: "b", DOB: day("2014-01-01"), Start: day("2023-01-01"), End: day("2025-12-31"), Place: "U4", Reason: "E4A"},
		{Child: "c", DOB: day("2014-01-01"), Start: day("2023-01-01"), Place: "U4"},
	}
	plain, _ := Fit(eps, day("2024-01-01"), day("2026-01-01"))
	same, _ := FitWeighted(eps, day("2024-01-01"), day("2026-01-01"), 0)
	if plain.Exposure != same.Exposure || plain.Events != same.Events {
		t.Error("FitWeighted with no half-life differs from Fit")
	}
	w, err := FitWeighted(eps, day("2024-01-01"), day("2026-01-01"), 365)
	if err != nil {
		t.Fatal(err)
	}
	// a's exit is 365 days before the end (weight 1/2), b's 1 day (≈ 1).
	if got, want := w.Events[Age10to15][Fostering][Exit], 0.5+math.Pow(0.5, 1.0/365); !near(got, want, 1e-9) {
		t.Errorf("weighted exits %.6f; want %.6f", got, want)
	}
	if _, err := FitWeighted(eps, day("2024-01-01"), day("2026-01-01"), -1); err == nil {
		t.Error("a negative half-life was accepted")
	}
}

// TestSimulateSameOnAnyCores: a seed gives identical intervals whether the
// paths run on one core or two, with and without the trend, because each
// path draws from its own generator seeded by its index.
func TestSimulateSameOnAnyCores(t *testing.T) {
	o := DefaultSynth(3)
	o.EntrantsPerYear = 200
	_, eps := Synthesize(o)
	m, err := Fit(eps, day("2023-03-31"), day("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{
		{Months: 12, Paths: 1000, Seed: 5},
		{Months: 12, Paths: 1000, Seed: 5, NoTrend: true},
	} {
		prev := runtime.GOMAXPROCS(1)
		one, err1 := m.Simulate(opts)
		runtime.GOMAXPROCS(2)
		two, err2 := m.Simulate(opts)
		runtime.GOMAXPROCS(prev)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		for i := range one.Months {
			if one.Months[i].Total != two.Months[i].Total || one.Months[i].Category != two.Months[i].Category || one.Months[i].Band != two.Months[i].Band {
				t.Fatalf("no trend %v, month %d: one core %+v, two cores %+v", opts.NoTrend, i+1, one.Months[i].Total, two.Months[i].Total)
			}
		}
		if one.Months[11].Total.P90 <= one.Months[11].Total.P10 {
			t.Errorf("no trend %v: an empty 80%% interval %+v", opts.NoTrend, one.Months[11].Total)
		}
	}
}

// TestFirstMonthEnd: a forecast's months end at the month ends after the
// as-of date, the first being the as-of month's own end when the as-of date
// is inside it. As of 1 December the first month end is 31 December, 30 days
// on (the as-of day is the day the stock is counted: it belongs to the
// record, as 31 December does to December when that is the as-of date); as
// of 31 December the first month is January.
func TestFirstMonthEnd(t *testing.T) {
	for _, c := range []struct {
		asOf  string
		ends  []string
		first float64 // the first step as a share of a model month
	}{
		{"2026-12-01", []string{"2026-12-31", "2027-01-31", "2027-02-28"}, 30 / StepDays},
		{"2026-12-31", []string{"2027-01-31", "2027-02-28", "2027-03-31"}, 1},
		{"2026-12-30", []string{"2026-12-31", "2027-01-31", "2027-02-28"}, 1 / StepDays},
		{"2027-02-28", []string{"2027-03-31", "2027-04-30", "2027-05-31"}, 1},
		{"2028-02-28", []string{"2028-02-29", "2028-03-31", "2028-04-30"}, 1 / StepDays},
	} {
		for i, want := range c.ends {
			if got := StepEnd(day(c.asOf), i+1); !got.Equal(day(want)) {
				t.Errorf("as of %s: month %d ends %s; want %s", c.asOf, i+1, got.Format(time.DateOnly), want)
			}
		}
		if got := FirstStep(day(c.asOf)); !near(got, c.first, 1e-12) {
			t.Errorf("as of %s: first step %.6f of a month; want %.6f", c.asOf, got, c.first)
		}
	}
	// Backtest origins from a day inside a month start at the month end
	// before it, so every origin's forecast months are whole.
	var got []string
	for _, d := range QuarterlyOrigins(day("2024-12-01"), day("2025-12-01")) {
		got = append(got, d.Format(time.DateOnly))
	}
	if want := "[2024-11-30 2025-02-28 2025-05-31 2025-08-31 2025-11-30]"; fmt.Sprint(got) != want {
		t.Errorf("quarterly origins from 1 December 2024: %v; want %s", got, want)
	}
}

// TestProjectShortFirstMonthByHand: as of 1 December 100 fostered children
// are 17 years 11 months old (about to leave at 18), 100 more are aged 5
// and leave care at a hazard λ a day, and fostering gains 2 entrants aged 5
// a model month. The first step runs 30 days to 31 December, a = 30/30.4375
// of a model month:
//
//	aged 17y11m: a share a turns 18 and leaves: 100a = 98.5626 aged out,
//	  100(1 − a) = 1.4374 still in care on 31 December, who leave on 31 January;
//	aged 5: 100·e^(−30λ) stay; with 30λ = 0.1: 90.4837;
//	entrants: 2a = 1.9713.
//
// Month 2 (January) is whole: 90.4837·e^(−StepDays·λ) + 2 aged 5.
func TestProjectShortFirstMonthByHand(t *testing.T) {
	lambda := 0.1 / 30
	m := &Model{From: day("2025-12-01"), To: day("2026-12-01"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Start[215*NumCategories+int(Fostering)] = 100
	m.Start[60*NumCategories+int(Fostering)] = 100
	m.Exposure[Age5to9][Fostering] = 1e6
	m.Events[Age5to9][Fostering][Exit] = lambda * 1e6
	m.Entries[FirstEntry][5][Fostering] = 2 / StepDays * m.WindowDays()
	f, err := m.Project(Options{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	a := 30 / StepDays
	stay := 100 * math.Exp(-0.1)
	m1, m2 := f.Months[0], f.Months[1]
	if !m1.Date.Equal(day("2026-12-31")) || !m2.Date.Equal(day("2027-01-31")) {
		t.Errorf("month ends %s, %s; want 2026-12-31, 2027-01-31", m1.Date.Format(time.DateOnly), m2.Date.Format(time.DateOnly))
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"December aged out", m1.AgedOut, 100 * a},
		{"December 16–17", m1.Band[Age16to17].Mean, 100 * (1 - a)},
		{"December 5–9", m1.Band[Age5to9].Mean, stay + 2*a},
		{"December entrants", m1.Entrants, 2 * a},
		{"January aged out", m2.AgedOut, 100 * (1 - a)},
		{"January 16–17", m2.Band[Age16to17].Mean, 0},
		{"January 5–9", m2.Band[Age5to9].Mean, (stay+2*a)*math.Exp(-lambda*StepDays) + 2},
	} {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s: %.6f; want %.6f", c.name, c.got, c.want)
		}
	}
	// The simulation steps alike: its mean over 4,000 paths (fixed rates)
	// is within four standard errors of the expectation.
	sf, err := m.Simulate(Options{Months: 2, Paths: 4000, Seed: 7, FixedRates: true})
	if err != nil {
		t.Fatal(err)
	}
	if !sf.Months[0].Date.Equal(day("2026-12-31")) {
		t.Errorf("simulated first month end %s; want 2026-12-31", sf.Months[0].Date.Format(time.DateOnly))
	}
	for _, c := range []struct {
		name      string
		got, want float64
		sd        float64 // of one path
	}{
		{"December aged out", sf.Months[0].AgedOut, 100 * a, math.Sqrt(100 * a * (1 - a))},
		{"December 16–17", sf.Months[0].Band[Age16to17].Mean, 100 * (1 - a), math.Sqrt(100 * a * (1 - a))},
		{"December 5–9", sf.Months[0].Band[Age5to9].Mean, stay + 2*a, math.Sqrt(100*0.1 + 2*a)},
	} {
		if se := c.sd / math.Sqrt(4000); math.Abs(c.got-c.want) > 4*se {
			t.Errorf("simulated %s: %.4f; want %.4f ± %.4f", c.name, c.got, c.want, 4*se)
		}
	}
}
