package analytics

import (
	"math"
	"testing"
)

// Hand-worked: x = 1..5, y = 2, 4, 5, 4, 5.
// Means 3 and 4; deviations x: −2 −1 0 1 2, y: −2 0 1 0 1.
// Σdxdy = 4 + 0 + 0 + 0 + 2 = 6; Σdx² = 10; Σdy² = 6; r = 6 / √60 = 0.774597.
// Ranks of y (ties averaged): 1, 2.5, 4.5, 2.5, 4.5; Spearman = Pearson(1..5, ranks):
// rank deviations −2 −0.5 1.5 −0.5 1.5, Σ = 4 + 0.5 + 0 − 0.5 + 3 = 7, Σd² = 4+0.25+2.25+0.25+2.25 = 9,
// so ρ = 7 / √(10 × 9) = 0.737865.
func TestCorrelationsByHand(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{2, 4, 5, 4, 5}
	if r := Pearson(x, y); math.Abs(r-6/math.Sqrt(60)) > 1e-12 {
		t.Errorf("Pearson = %v; want %v", r, 6/math.Sqrt(60))
	}
	if r := Spearman(x, y); math.Abs(r-7/math.Sqrt(90)) > 1e-12 {
		t.Errorf("Spearman = %v; want %v", r, 7/math.Sqrt(90))
	}
	if !math.IsNaN(Pearson([]float64{1, 1, 1}, []float64{1, 2, 3})) {
		t.Error("a constant series has no correlation")
	}
}

// percentile_cont: positions p × (n − 1) between sorted values.
// For 10, 20, 30, 40: median at 1.5 → 25; q1 at 0.75 → 17.5; q3 at 2.25 → 32.5.
func TestQuantileLikePostgreSQL(t *testing.T) {
	xs := []float64{40, 10, 30, 20}
	for p, want := range map[float64]float64{0.5: 25, 0.25: 17.5, 0.75: 32.5, 0: 10, 1: 40} {
		if q := Quantile(xs, p); q != want {
			t.Errorf("Quantile(%v) = %v; want %v", p, q, want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("the median of nothing is not a number")
	}
}
