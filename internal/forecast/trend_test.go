package forecast

import (
	"math"
	"testing"
)

// TestTrendByHand: entrants rising exactly 20% a year on the log scale over a
// three-year window are fitted a slope of 0.2 with the standard error worked
// by hand (1/√(N·Var(t)), t the parts' middles, weighted by their counts);
// the slope clears two standard errors, so it is shrunk by k = 1 − 4se²/β²;
// and the expected projection's entrants start from the rate at the
// window's end and grow by the shrunk slope, month by month.
func TestTrendByHand(t *testing.T) {
	m := &Model{From: day("2023-04-01"), To: day("2026-04-01"), Start: make([]float64, LeaveMonths*NumCategories), Bins: &TrendStats{}}
	x := m.binYears()
	const beta = 0.2
	var total float64
	for k := range TrendBins {
		n := 400 * math.Exp(beta*x[k])
		m.Bins.Entries[k][Fostering] = n
		total += n
	}
	m.Entries[FirstEntry][10][Fostering] = total
	tr := m.FitTrend()
	got := tr.Entrants[Fostering]
	if !near(got.Fitted, beta, 1e-9) {
		t.Fatalf("fitted slope %.12f; want %g", got.Fitted, beta)
	}
	var mean, sq float64
	for k := range TrendBins {
		w := m.Bins.Entries[k][Fostering] / total
		mean += w * x[k]
		sq += w * x[k] * x[k]
	}
	se := 1 / math.Sqrt(total*(sq-mean*mean))
	if !near(got.FittedSE, se, 1e-9) {
		t.Errorf("standard error %.9f; want %.9f", got.FittedSE, se)
	}
	k := 1 - 4*se*se/(beta*beta)
	if !near(got.PerYear, beta*k, 1e-9) || !near(got.SE, se*math.Sqrt(k), 1e-9) {
		t.Errorf("shrunk slope %+v; want %g ± %g", got, beta*k, se*math.Sqrt(k))
	}
	// Nothing was seen for the other categories or any move: no trend.
	if tr.Entrants[Residential] != (Slope{}) || tr.Dest[Exit] != (Slope{}) {
		t.Errorf("a trend from no data: %+v, %+v", tr.Entrants[Residential], tr.Dest[Exit])
	}
	// The rate at the window's end is the average × Σe / Σ e·e^(βt) with
	// equal parts, then e^(β·t/12) in forecast month s, t its middle in
	// months. The as-of date is 1 April, so the first month runs 29 days to
	// 30 April (a = 29/StepDays of a month: a·the entrants, middle a/2) and
	// month s ≥ 2 is whole, its middle at a + s − 1.5.
	var sw float64
	for k := range TrendBins {
		sw += math.Exp(got.PerYear * x[k])
	}
	avg := total / m.WindowDays() * StepDays
	f, err := m.Project(Options{Months: 12})
	if err != nil {
		t.Fatal(err)
	}
	if f.Trend == nil {
		t.Fatal("the projection reports no trend")
	}
	a := 29 / StepDays
	for s := 1; s <= 12; s++ {
		share, mid := 1.0, a+float64(s)-1.5
		if s == 1 {
			share, mid = a, a/2
		}
		want := share * avg * TrendBins / sw * math.Exp(got.PerYear*mid/12)
		if !near(f.Months[s-1].Entrants, want, 1e-9*want) {
			t.Errorf("month %d: %.9f entrants; want %.9f", s, f.Months[s-1].Entrants, want)
		}
	}
	// Turned off, the average rate every month.
	flat, _ := m.Project(Options{Months: 12, NoTrend: true})
	if flat.Trend != nil || !near(flat.Months[11].Entrants, avg, 1e-9*avg) {
		t.Errorf("no trend: %.6f entrants in month 12, trend %v; want %.6f", flat.Months[11].Entrants, flat.Trend, avg)
	}
}

// TestTrendShrinksNoise: a slope within two standard errors of none is not
// continued at all.
func TestTrendShrinksNoise(t *testing.T) {
	m := &Model{From: day("2023-04-01"), To: day("2026-04-01"), Start: make([]float64, LeaveMonths*NumCategories), Bins: &TrendStats{}}
	for k, n := range []float64{10, 12, 9, 11, 10, 13} {
		m.Bins.Entries[k][Supported] = n
	}
	s := m.FitTrend().Entrants[Supported]
	if s.Fitted == 0 || math.Abs(s.Fitted) >= 2*s.FittedSE {
		t.Fatalf("fitted %+v; the case wants a slope within two standard errors", s)
	}
	if s.PerYear != 0 || s.SE != 0 {
		t.Errorf("noise continued: %+v", s)
	}
}

// TestInfantsEnterByMonthOfAge: babies seen entering at birth are placed at
// month 0, so none of a month's e entrants leaves the Under 1 band the next
// month; spread evenly (a model without InfantEntries) a twelfth of them is
// at month 11 and has turned 1 a month later.
func TestInfantsEnterByMonthOfAge(t *testing.T) {
	// From a month end, so both steps are whole months.
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Entries[FirstEntry][0][Fostering] = 120
	even, _ := m.Project(Options{Months: 2})
	m.InfantEntries[0][Fostering] = 120
	atBirth, _ := m.Project(Options{Months: 2})
	e := 120 / m.WindowDays() * StepDays
	if got := atBirth.Months[1].Band[Under1].Mean; !near(got, 2*e, 1e-9) {
		t.Errorf("at birth: %.6f under 1 after two months; want %.6f", got, 2*e)
	}
	if got, want := even.Months[1].Band[Under1].Mean, 2*e-e/12; !near(got, want, 1e-9) {
		t.Errorf("evenly: %.6f under 1 after two months; want %.6f", got, want)
	}
	if got := even.Months[1].Band[Age1to4].Mean; !near(got, e/12, 1e-9) {
		t.Errorf("evenly: %.6f turned 1; want %.6f", got, e/12)
	}
}
