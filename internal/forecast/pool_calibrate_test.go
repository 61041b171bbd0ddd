package forecast

import (
	"errors"
	"math"
	"testing"
	"time"
)

// TestPooledModelErrorEqualsCalibrate: the model error worked out from three
// councils' summed calibration inputs is CalibrateModelError on their pooled
// histories, every sum of squares and count, and so widens a forecast's
// intervals alike; inputs for another as-of date or window are refused.
func TestPooledModelErrorEqualsCalibrate(t *testing.T) {
	hists, pooled := synthCouncils([]uint64{31, 32, 33}, []float64{60, 90, 40}, day0(2012, 4, 1))
	for _, tc := range []struct {
		asOf     time.Time
		window   int
		halfLife float64
	}{
		{day("2024-09-30"), 24, 0},
		{day("2024-11-15"), 36, 0}, // not a month end
		{day("2025-02-28"), 12, 180},
	} {
		t.Run(tc.asOf.Format(time.DateOnly), func(t *testing.T) {
			var ins []*CalibrationInputs
			for _, eps := range hists {
				in, err := CalibrationInputsOf(eps, tc.asOf, tc.window, tc.halfLife)
				if err != nil {
					t.Fatal(err)
				}
				ins = append(ins, in)
			}
			got, err := PooledModelError(ins...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := CalibrateModelError(pooled, tc.asOf, tc.window, tc.halfLife)
			if err != nil {
				t.Fatal(err)
			}
			var scored float64
			for s := range series {
				if len(got.SumSq[s]) != len(want.SumSq[s]) {
					t.Fatalf("series %d: %d horizons; want %d", s, len(got.SumSq[s]), len(want.SumSq[s]))
				}
				for h := range want.SumSq[s] {
					if got.N[s][h] != want.N[s][h] || math.Abs(got.SumSq[s][h]-want.SumSq[s][h]) > 1e-9*(1+want.SumSq[s][h]) {
						t.Errorf("series %d at %d months: pooled inputs %g over %g; pooled histories %g over %g", s, h+1,
							got.SumSq[s][h], got.N[s][h], want.SumSq[s][h], want.N[s][h])
					}
					scored += want.SumSq[s][h]
				}
			}
			if scored == 0 {
				t.Fatal("the calibration scored no error at all: the comparison proves nothing")
			}
			m, err := FitWeighted(pooled, tc.asOf.AddDate(0, -tc.window, 0), tc.asOf, tc.halfLife)
			if err != nil {
				t.Fatal(err)
			}
			f1, err := m.Simulate(Options{Months: 12, Paths: MinPaths, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			f2, err := m.Simulate(Options{Months: 12, Paths: MinPaths, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			plain := f1.Months[11].Total
			f1.Widen(got)
			f2.Widen(want)
			if a, b := f1.Months[11].Total, f2.Months[11].Total; math.Abs(a.P10-b.P10) > 1e-6 || math.Abs(a.P90-b.P90) > 1e-6 {
				t.Errorf("12-month total widened from pooled inputs %.3f–%.3f; from pooled histories %.3f–%.3f", a.P10, a.P90, b.P10, b.P90)
			}
			t.Logf("12-month total: plain 80%% %.1f–%.1f, widened %.1f–%.1f", plain.P10, plain.P90, f1.Months[11].Total.P10, f1.Months[11].Total.P90)
		})
	}
	a, err := CalibrationInputsOf(hists[0], day("2024-09-30"), 24, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		other func() (*CalibrationInputs, error)
	}{
		{"another as-of date", func() (*CalibrationInputs, error) { return CalibrationInputsOf(hists[1], day("2024-12-31"), 24, 0) }},
		{"another window", func() (*CalibrationInputs, error) { return CalibrationInputsOf(hists[1], day("2024-09-30"), 12, 0) }},
	} {
		b, err := tc.other()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := PooledModelError(a, b); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: err %v; want ErrMismatch", tc.name, err)
		}
	}
	broken := *a
	broken.Models = broken.Models[:2]
	if _, err := PooledModelError(&broken); !errors.Is(err, ErrOptions) {
		t.Errorf("two origins' models: err %v; want ErrOptions", err)
	}
}
