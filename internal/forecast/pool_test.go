package forecast

import (
	"errors"
	"math"
	"testing"
	"time"
)

// synthCouncils are synthetic councils' histories, one per seed with its
// first entrants a year, from the given day, and their pooled history.
// Children are distinct across councils (each council's are prefixed).
func synthCouncils(seeds []uint64, entrants []float64, from time.Time) (councils [][]Episode, pooled []Episode) {
	for i, seed := range seeds {
		o := DefaultSynth(seed)
		o.EntrantsPerYear = entrants[i]
		o.From = from
		_, eps := Synthesize(o)
		for j := range eps {
			eps[j].Child = string(rune('A'+i)) + "-" + eps[j].Child
		}
		councils = append(councils, eps)
		pooled = append(pooled, eps...)
	}
	return councils, pooled
}

// TestSumEqualsPooledFit: the regional model fitted on the sum of three
// councils' shared statistics is the model fitted on their pooled episode
// histories, figure for figure, and so simulates to the same forecast; with
// a half-life weighting too. A model over another window cannot be added.
func TestSumEqualsPooledFit(t *testing.T) {
	councils, pooled := synthCouncils([]uint64{11, 12, 13}, []float64{60, 90, 40}, day0(2006, 4, 1))
	from, to := day("2023-03-31"), day("2026-03-31")
	for _, half := range []float64{0, 365} {
		var ms []*Model
		for _, eps := range councils {
			m, err := FitWeighted(eps, from, to, half)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		sum, err := Sum(ms...)
		if err != nil {
			t.Fatal(err)
		}
		want, err := FitWeighted(pooled, from, to, half)
		if err != nil {
			t.Fatal(err)
		}
		if err := sum.Check(); err != nil {
			t.Errorf("half-life %g: the sum fails its own check: %v", half, err)
		}
		same := func(what string, a, b float64) {
			if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(b)) {
				t.Errorf("half-life %g: %s: sum %.12g, pooled %.12g", half, what, a, b)
			}
		}
		for b := range NumAgeBands {
			for c := range NumCategories {
				same("days at risk "+AgeBand(b).String()+" "+Category(c).String(), sum.Exposure[b][c], want.Exposure[b][c])
				for j := range NumCategories + 1 {
					same("moves", sum.Events[b][c][j], want.Events[b][c][j])
				}
			}
		}
		for k := range 2 {
			for y := range 18 {
				for c := range NumCategories {
					same("entrants", sum.Entries[k][y][c], want.Entries[k][y][c])
				}
			}
		}
		for s := range want.Start {
			same("start", sum.Start[s], want.Start[s])
		}
		var infants float64
		for k := range 12 {
			for c := range NumCategories {
				same("entrants under 1 by month", sum.InfantEntries[k][c], want.InfantEntries[k][c])
				infants += want.InfantEntries[k][c]
			}
		}
		if infants == 0 {
			t.Errorf("half-life %g: the fit counted no entrants under 1 by month of age", half)
		}
		// The trend's statistics add too, so the region's trend is the
		// pooled histories' trend.
		if sum.Bins == nil || want.Bins == nil {
			t.Fatalf("half-life %g: trend statistics missing (sum %v, pooled %v)", half, sum.Bins != nil, want.Bins != nil)
		}
		for k := range TrendBins {
			for b := range NumAgeBands {
				for c := range NumCategories {
					same("trend days at risk", sum.Bins.Exposure[k][b][c], want.Bins.Exposure[k][b][c])
					for j := range NumCategories + 1 {
						same("trend moves", sum.Bins.Events[k][b][c][j], want.Bins.Events[k][b][c][j])
					}
				}
			}
			for c := range NumCategories {
				same("trend entrants", sum.Bins.Entries[k][c], want.Bins.Entries[k][c])
			}
		}
		st, wt := sum.FitTrend(), want.FitTrend()
		for j := range NumCategories + 1 {
			same("trend slope", st.Dest[j].PerYear, wt.Dest[j].PerYear)
		}
		same("aged out", sum.AgedOut, want.AgedOut)
		same("staying put", sum.StayingPut, want.StayingPut)
		same("entry days", sum.EntryDays, want.EntryDays)
		if sum.Children != want.Children || want.StartTotal() < 500 {
			t.Errorf("half-life %g: children %d, pooled %d; %v in care", half, sum.Children, want.Children, want.StartTotal())
		}
		o := Options{Months: 12, Paths: MinPaths, Seed: 4}
		fs, err := sum.Simulate(o)
		if err != nil {
			t.Fatal(err)
		}
		fp, err := want.Simulate(o)
		if err != nil {
			t.Fatal(err)
		}
		for i := range fs.Months {
			same("simulated total mean", fs.Months[i].Total.Mean, fp.Months[i].Total.Mean)
			same("simulated total P90", fs.Months[i].Total.P90, fp.Months[i].Total.P90)
		}
	}
	// A council fitted over another window is refused, not added.
	other, err := Fit(councils[0], day("2023-06-30"), to)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := Fit(councils[1], from, to)
	if _, err := Sum(first, other); !errors.Is(err, ErrMismatch) {
		t.Errorf("adding models over different windows: %v", err)
	}
	if _, err := Sum(); !errors.Is(err, ErrMismatch) {
		t.Errorf("sum of nothing: %v", err)
	}
	bad := *first
	bad.Start = bad.Start[:10]
	if err := bad.Check(); err == nil {
		t.Error("a model with 10 start states passes its check")
	}
	// A council that shared no trend statistics (shared before they
	// existed) leaves the region without a trend, not with the others'.
	old := *first
	old.Bins = nil
	if s, err := Sum(first, &old); err != nil || s.Bins != nil {
		t.Errorf("sum with a council without trend statistics: bins %v, %v", s != nil && s.Bins != nil, err)
	}
	neg := *first
	neg.Bins = &TrendStats{}
	neg.Bins.Entries[2][Fostering] = -1
	if err := neg.Check(); err == nil {
		t.Error("negative trend entrants pass the check")
	}
}
