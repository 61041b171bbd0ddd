package forecast

import (
	"fmt"
	"math"
	"time"
)

// At regional scale chance is small beside the model's own error, and the
// plain simulated intervals under-cover (England: 59% of 12-month points
// inside the 80% band, 86% widened), so the regional forecast is widened as
// Widen widens a council's. CalibrateModelError needs the histories; what it
// uses of them is, again, sums over children: the model's statistics at the
// CalibrationOrigins quarter ends before the as-of date (each fitted on the
// history as known on the as-of date) and the counts in care at the month
// ends it scores against. Each council works these out in its own scope
// (CalibrationInputsOf); PooledModelError adds them, projects the summed
// models and scores them as CalibrateModelError does on the pooled
// histories (TestPooledModelErrorEqualsCalibrate).

// CalibrationInputs are one council's sums for the model-error widening at
// an as-of date.
type CalibrationInputs struct {
	AsOf         time.Time `json:"as_of"`
	WindowMonths int       `json:"window_months"`
	HalfLifeDays float64   `json:"half_life_days,omitempty"`
	// Models are fitted at the quarter ends 3, 6, … months before AsOf
	// (CalibrationOrigins of them), on the history as known on AsOf.
	Models []*Model `json:"models"`
	// Truth is what that history says was in care at each month end h
	// months before AsOf (h = 0 … 3·CalibrationOrigins − 1), by series
	// (total, categories, age bands).
	Truth [][series]float64 `json:"truth"`
}

// calibrationOrigin is the k-th past origin (k = 1 …) CalibrateModelError
// fits at, and calibrationDay the month end h months before the as-of date
// it scores against. Both count from the last month end on or before the
// as-of date (from 1 December, 30 November: the end of December is not yet
// known).
func calibrationOrigin(asOf time.Time, k int) time.Time { return monthEnd(calibrationBase(asOf), -3*k) }

func calibrationDay(asOf time.Time, h int) time.Time { return monthEnd(calibrationBase(asOf), -h) }

func calibrationBase(asOf time.Time) time.Time {
	if isMonthEnd(asOf) {
		return asOf
	}
	return monthEnd(asOf, -1)
}

// CalibrationInputsOf works out a council's calibration sums from its
// history, for the as-of date, window and half-life of its forecast.
func CalibrationInputsOf(eps []Episode, asOf time.Time, windowMonths int, halfLifeDays float64) (*CalibrationInputs, error) {
	if windowMonths < 1 {
		return nil, fmt.Errorf("%w: calibration needs a window", ErrOptions)
	}
	known := AsKnownOn(eps, asOf)
	in := &CalibrationInputs{AsOf: asOf, WindowMonths: windowMonths, HalfLifeDays: halfLifeDays}
	for h := range 3 * CalibrationOrigins {
		tot, cat, band := Count(known, calibrationDay(asOf, h))
		var v [series]float64
		v[0] = tot
		for c := range NumCategories {
			v[1+c] = cat[c]
		}
		for b := range NumAgeBands {
			v[1+NumCategories+b] = band[b]
		}
		in.Truth = append(in.Truth, v)
	}
	for k := 1; k <= CalibrationOrigins; k++ {
		origin := calibrationOrigin(asOf, k)
		m, err := FitWeighted(known, origin.AddDate(0, -windowMonths, 0), origin, halfLifeDays)
		if err != nil {
			return nil, fmt.Errorf("calibrating at %s: %w", origin.Format(time.DateOnly), err)
		}
		in.Models = append(in.Models, m)
	}
	return in, nil
}

// Check says what is wrong with calibration inputs read from outside.
func (in *CalibrationInputs) Check() error {
	if in == nil {
		return fmt.Errorf("%w: calibration inputs missing", ErrOptions)
	}
	if len(in.Models) != CalibrationOrigins || len(in.Truth) != 3*CalibrationOrigins {
		return fmt.Errorf("%w: calibration inputs for %d origins and %d month ends, want %d and %d", ErrOptions,
			len(in.Models), len(in.Truth), CalibrationOrigins, 3*CalibrationOrigins)
	}
	for k, m := range in.Models {
		if m == nil {
			return fmt.Errorf("%w: calibration inputs: origin %d missing", ErrOptions, k+1)
		}
		if want := calibrationOrigin(in.AsOf, k+1); !m.To.Equal(want) {
			return fmt.Errorf("%w: calibration inputs: origin %d is %s, want %s", ErrOptions, k+1, m.To.Format(time.DateOnly), want.Format(time.DateOnly))
		}
		if err := m.Check(); err != nil {
			return err
		}
	}
	for _, v := range in.Truth {
		for _, x := range v {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%w: calibration inputs: a count of %g", ErrOptions, x)
			}
		}
	}
	return nil
}

// PooledModelError is CalibrateModelError on the councils' pooled
// histories, from their calibration sums: the same as-of date, window and
// half-life are required of every council.
func PooledModelError(ins ...*CalibrationInputs) (*ModelError, error) {
	if len(ins) == 0 {
		return nil, fmt.Errorf("model error of no councils: %w", ErrMismatch)
	}
	first := ins[0]
	for i, in := range ins {
		if err := in.Check(); err != nil {
			return nil, fmt.Errorf("calibration inputs %d: %w", i+1, err)
		}
		if !in.AsOf.Equal(first.AsOf) || in.WindowMonths != first.WindowMonths || in.HalfLifeDays != first.HalfLifeDays {
			return nil, fmt.Errorf("calibration inputs %d are for %s over %d months (half-life %g), inputs 1 for %s over %d months (half-life %g): %w",
				i+1, in.AsOf.Format(time.DateOnly), in.WindowMonths, in.HalfLifeDays,
				first.AsOf.Format(time.DateOnly), first.WindowMonths, first.HalfLifeDays, ErrMismatch)
		}
	}
	maxH := 3 * CalibrationOrigins
	me := &ModelError{}
	for s := range series {
		me.SumSq[s] = make([]float64, maxH)
		me.N[s] = make([]float64, maxH)
	}
	truth := make([][series]float64, maxH)
	for _, in := range ins {
		for h := range maxH {
			for s := range series {
				truth[h][s] += in.Truth[h][s]
			}
		}
	}
	for k := 1; k <= CalibrationOrigins; k++ {
		ms := make([]*Model, len(ins))
		for i, in := range ins {
			ms[i] = in.Models[k-1]
		}
		m, err := Sum(ms...)
		if err != nil {
			return nil, fmt.Errorf("pooled model error at %s: %w", calibrationOrigin(first.AsOf, k).Format(time.DateOnly), err)
		}
		if m.StartTotal() == 0 {
			continue // nobody in care yet: nothing to learn
		}
		f, err := m.Project(Options{Months: 3 * k})
		if err != nil {
			return nil, err
		}
		for h := 1; h <= 3*k; h++ {
			got, want := seriesOf(f.Months[h-1]), truth[3*k-h]
			for s := range series {
				r := math.Log((want[s] + 1) / (got[s] + 1))
				me.SumSq[s][h-1] += r * r
				me.N[s][h-1]++
			}
		}
	}
	return me, nil
}
