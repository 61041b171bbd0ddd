package analytics

import (
	"math"
	"testing"
	"time"
)

// TestComputeByHand: six children, figures worked out by hand.
//
//	child  band    group             weekly  ehc  score
//	1      low     In-house foster     500   no     10
//	2      low     Children's home    5000   no     12
//	3      medium  In-house foster     600   yes    18
//	4      medium  Children's home    6000   yes    20
//	5      high    Children's home    8000   no     30
//	6      —       Children's home    7000   no      (not assessed)
//
// Assessed and costed: 5. Scores 10 12 18 20 30, costs 500 5000 600 6000 8000.
// Family-based medians: low 500, medium 600. Step-down (K2, low/medium):
// child 2 (5000 − 500) × 52 = 234,000; child 4 (6000 − 600) × 52 = 280,800;
// total 514,800. Child 5 is high and child 6 has no band, so neither counts.
// EHC medians: with 600, 6000 → 3300; without 500, 5000, 8000, 7000 → 6000;
// difference −2700.
func TestComputeByHand(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	kid := func(id int64, band string, place, kind string, weekly int64, ehc bool, score int32) Child {
		k := Child{LAID: 352, ChildID: id, Place: place, ProviderKind: kind, Group: GroupOf(place, kind), WeeklyPence: weekly * 100, EHC: ehc,
			Age: 12, YearsInCare: 2, AssessedOn: asOf.AddDate(0, -2, 0)}
		if band != "" {
			k.Assessed, k.Band, k.Score = true, band, score
			k.Levels = make([]int32, 12)
		}
		return k
	}
	kids := []Child{
		kid(1, "low", "U6", "PR1", 500, false, 10), kid(2, "low", "K2", "PR4", 5000, false, 12), kid(3, "medium", "U6", "PR1", 600, true, 18),
		kid(4, "medium", "K2", "PR4", 6000, true, 20), kid(5, "high", "K2", "PR4", 8000, false, 30), kid(6, "", "K2", "PR4", 7000, false, 0),
	}
	rules := map[int32]StepRule{352: {Places: map[string]bool{"K1": true, "K2": true}, Bands: map[string]bool{"low": true, "medium": true}}}
	c := Compute(kids, Filter{}, asOf, 12, rules)
	if c.N != 6 || c.Assessed != 5 || c.Costed != 6 || c.Both != 5 || c.Bands["none"] != 1 {
		t.Errorf("counts: n %d assessed %d costed %d both %d unassessed %d", c.N, c.Assessed, c.Costed, c.Both, c.Bands["none"])
	}
	if c.StepDown.Annual != 514800 || len(c.StepDown.Candidates) != 2 || c.StepDown.Candidates[0].Child.ChildID != 4 {
		t.Errorf("step-down: %+v", c.StepDown)
	}
	if c.EHC.WithMedian != 3300 || c.EHC.WithoutMedian != 6000 || c.EHC.Difference != -2700 {
		t.Errorf("EHC: %+v", c.EHC)
	}
	x, y := []float64{10, 12, 18, 20, 30}, []float64{500, 5000, 600, 6000, 8000}
	if c.Pearson.N != 5 || math.Abs(c.Pearson.Value-Pearson(x, y)) > 1e-12 {
		t.Errorf("Pearson %+v", c.Pearson)
	}
	// Spearman by hand: ranks of y are 1 3 2 4 5 against 1 2 3 4 5; Σd² = 2, ρ = 1 − 6·2/(5·24) = 0.9.
	if math.Abs(c.Spearman.Value-0.9) > 1e-12 {
		t.Errorf("Spearman = %v; want 0.9", c.Spearman.Value)
	}
	// Filters: an empty cohort says why, and divides by nothing.
	none := Compute(kids, Filter{Group: Supported}, asOf, 12, rules)
	if none.N != 0 || none.Empty == "" || len(none.CostByBandGroup) != 0 {
		t.Errorf("empty cohort: %+v", none)
	}
	homes := Compute(kids, Filter{Group: Home}, asOf, 12, rules)
	if homes.N != 4 || homes.Bands["none"] != 1 {
		t.Errorf("homes: n %d", homes.N)
	}
	// A child's fit: child 2 costs 5000 against the low-band median of (500, 5000) = 2750.
	f := FitOf(kids[1], kids)
	if math.Abs(f.Ratio-5000.0/2750) > 1e-12 || len(f.Notes) == 0 {
		t.Errorf("fit: %+v", f)
	}
}

// BenchmarkCompute measures every cohort figure for 100,000 children.
func BenchmarkCompute(b *testing.B) {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	places := []string{"U6", "U4", "U3", "K2", "K3", "P1"}
	kids := make([]Child, 100000)
	for i := range kids {
		p := places[i%len(places)]
		k := Child{LAID: int32(352 + i%4), ChildID: int64(i), Place: p, ProviderKind: "PR4", Group: GroupOf(p, "PR4"), WeeklyPence: int64(50000 + (i*7919)%600000),
			ProviderID: int64(i % 40), Age: i % 18, YearsInCare: float64(i%9) / 2, EHC: i%3 == 0, Assessed: i%50 != 0, AssessedOn: asOf.AddDate(0, -(i % 14), 0),
			Levels: make([]int32, 12), Score: int32(i % 40), Band: Bands[i%4]}
		for d := range k.Levels {
			k.Levels[d] = int32((i + d) % 5)
		}
		kids[i] = k
	}
	rules := map[int32]StepRule{352: {Places: map[string]bool{"K2": true}, Bands: map[string]bool{"low": true, "medium": true}}}
	b.ReportAllocs()
	for b.Loop() {
		Compute(kids, Filter{}, asOf, 12, rules)
	}
}
