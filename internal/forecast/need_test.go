package forecast

import (
	"math"
	"strings"
	"testing"
)

// TestProjectNeedsByHand: two need bands, low and high. 100 children aged 5
// in fostering, all low; fostering loses 10% a month (out of care); a low
// child moves to high with a month's chance of 0.1, and nobody moves back;
// fostering gains 2 entrants aged 5 a month, half low and half high. As of a
// month end, so both steps are whole months:
//
//	month 1: low  100×0.9×0.9 + 1 = 82;   high 100×0.9×0.1 + 1 = 10
//	month 2: low  82×0.81 + 1 = 67.42;   high 10×0.9 + 82×0.9×0.1 + 1 = 17.38
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
	for b := range NumAgeBands {
		nm.Exposure[b] = make([]float64, 3)
		nm.Moves[b] = [][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 3)}
	}
	for c := range NumCategories {
		nm.Entries[c] = make([]float64, 3)
	}
	nm.Exposure[Age5to9] = []float64{0, 1e6, 1e6}
	nm.Moves[Age5to9][1][2] = lambda * 1e6
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
	for i, want := range []struct{ low, high float64 }{{82, 10}, {67.42, 17.38}} {
		mo := nf.Months[i]
		low, high := mo.Mix[1][Fostering][Age5to9], mo.Mix[2][Fostering][Age5to9]
		if !near(low, want.low, 1e-9) || !near(high, want.high, 1e-9) || mo.Mix[0][Fostering][Age5to9] != 0 {
			t.Errorf("month %d: low %.6f, high %.6f, unknown %.6f; want %.2f, %.2f, 0", i+1, low, high, mo.Mix[0][Fostering][Age5to9], want.low, want.high)
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
	if got, want := sp[1].Total, (67.42*1000+17.38*3000)*31/7; !near(got, want, 1e-6) {
		t.Errorf("May spend %.4f pence; want %.4f from the projected need bands", got, want)
	}
	if got, want := sp[1].Need["high"], 17.38*3000*31/7; !near(got, want, 1e-6) {
		t.Errorf("May spend on high needs %.4f pence; want %.4f", got, want)
	}
}

// TestFitNeedsByHand: hand-counted need-band days at risk, moves and
// entrants over the window 2025-01-01 to 2026-01-01.
//
//	child a (born 2015-06-01, so 5–9 until 2025-06-01), in fostering all
//	  year; low from 2024-12-01, high from 2025-03-01: 5–9 low 59 days
//	  (1 Jan – 1 Mar), 5–9 high 92 (1 Mar – 1 Jun), 10–15 high 214 (1 Jun –
//	  1 Jan); one move low → high in 5–9; high on the as-of date.
//	child b (born 2022-01-01), first entry 2025-07-01 aged 3 into
//	  residential, not yet assessed: entrant of unknown need; 1–4 unknown 62
//	  days (1 Jul – 1 Sep); low from 2025-09-01: 1–4 low 122 days; one move
//	  unknown → low; an assessment dated after the as-of date is not known.
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
		{"5–9 low days", nm.Exposure[Age5to9][low], 59},
		{"5–9 high days", nm.Exposure[Age5to9][high], 92},
		{"10–15 high days", nm.Exposure[Age10to15][high], 214},
		{"1–4 unknown days", nm.Exposure[Age1to4][unk], 62},
		{"1–4 low days", nm.Exposure[Age1to4][low], 122},
		{"5–9 low → high", nm.Moves[Age5to9][low][high], 1},
		{"1–4 unknown → low", nm.Moves[Age1to4][unk][low], 1},
		{"1–4 low → high (after the as-of date)", nm.Moves[Age1to4][low][high], 0},
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
