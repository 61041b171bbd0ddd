package forecast

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// A regional backtest needs, for each past origin, the model each council
// would have fitted then, and what happened after: both are sums over
// children (the model's statistics, the anchor's daily sums, the counts in
// care at each month end), so each council works them out in its own scope
// and the region adds them. PooledBacktest on the sums is RunBacktest on the
// pooled histories (TestPooledBacktestEqualsRunBacktest); the scoring below
// follows RunBacktest's exactly. The opt-in model-error widening is not
// offered: it needs the histories.

// BacktestInputs are one council's sums for a backtest.
type BacktestInputs struct {
	// WindowMonths is the reference window the models were fitted over,
	// so inputs fitted over another window are refused, not scored.
	WindowMonths int             `json:"window_months"`
	Origins      []time.Time     `json:"origins"`
	Models       []*Model        `json:"models"`
	Compat       []*CompatInputs `json:"compat"`
	// Months are the month ends after the first origin up to the last
	// origin plus the longest horizon; the counts are what the history says
	// was in care then (Count, CountCompat).
	Months     []time.Time              `json:"months"`
	Total      []float64                `json:"total"`
	Category   [][NumCategories]float64 `json:"category"`
	Band       [][NumAgeBands]float64   `json:"band"`
	CompatBand [][NumAgeBands]float64   `json:"compat_band"`
	// Calibration is the model-error widening's sums at each origin, on
	// the history as known then: shared when the backtest widens
	// (BacktestOptions.ModelError), as the regional forecast does.
	Calibration []*CalibrationInputs `json:"calibration,omitempty"`
}

func (o BacktestOptions) check() (maxH int, err error) {
	if len(o.Origins) == 0 || len(o.Horizons) == 0 || o.WindowMonths < 1 {
		return 0, fmt.Errorf("%w: a backtest needs origins, horizons and a window", ErrOptions)
	}
	for _, h := range o.Horizons {
		maxH = max(maxH, h)
	}
	return maxH, nil
}

// backtestMonths are the month ends a backtest scores, in order: every
// StepEnd of every origin (an origin inside a month has a short first step).
func backtestMonths(o BacktestOptions, maxH int) []time.Time {
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, origin := range o.Origins {
		for step := 1; step <= maxH; step++ {
			if d := StepEnd(origin, step); !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// BacktestInputsOf works out a council's backtest sums from its history.
func BacktestInputsOf(eps []Episode, o BacktestOptions) (*BacktestInputs, error) {
	maxH, err := o.check()
	if err != nil {
		return nil, err
	}
	in := &BacktestInputs{WindowMonths: o.WindowMonths, Origins: o.Origins, Months: backtestMonths(o, maxH)}
	for _, origin := range o.Origins {
		from := origin.AddDate(0, -o.WindowMonths, 0)
		m, err := FitWeighted(eps, from, origin, o.HalfLifeMonths*30.4375)
		if err != nil {
			return nil, fmt.Errorf("backtest inputs at %s: %w", origin.Format(time.DateOnly), err)
		}
		ci, err := FitCompatInputs(eps, from, origin)
		if err != nil {
			return nil, fmt.Errorf("backtest inputs at %s: %w", origin.Format(time.DateOnly), err)
		}
		in.Models, in.Compat = append(in.Models, m), append(in.Compat, ci)
		if o.ModelError {
			cal, err := CalibrationInputsOf(eps, origin, o.WindowMonths, o.HalfLifeMonths*30.4375)
			if err != nil {
				return nil, fmt.Errorf("backtest inputs at %s: %w", origin.Format(time.DateOnly), err)
			}
			in.Calibration = append(in.Calibration, cal)
		}
	}
	for _, d := range in.Months {
		tot, cat, band := Count(eps, d)
		in.Total, in.Category, in.Band = append(in.Total, tot), append(in.Category, cat), append(in.Band, band)
		in.CompatBand = append(in.CompatBand, CountCompat(eps, d))
	}
	return in, nil
}

// Check says what is wrong with backtest inputs read from outside.
func (in *BacktestInputs) Check(o BacktestOptions) error {
	maxH, err := o.check()
	if err != nil {
		return err
	}
	months := backtestMonths(o, maxH)
	if in.WindowMonths != o.WindowMonths {
		return fmt.Errorf("%w: backtest inputs fitted over %d months, want %d", ErrOptions, in.WindowMonths, o.WindowMonths)
	}
	if len(in.Origins) != len(o.Origins) || len(in.Models) != len(o.Origins) || len(in.Compat) != len(o.Origins) {
		return fmt.Errorf("%w: backtest inputs for %d origins, want %d", ErrOptions, len(in.Models), len(o.Origins))
	}
	for i, d := range o.Origins {
		if !in.Origins[i].Equal(d) || in.Models[i] == nil || in.Compat[i] == nil {
			return fmt.Errorf("%w: backtest inputs: origin %d is %s, want %s", ErrOptions, i+1, in.Origins[i].Format(time.DateOnly), d.Format(time.DateOnly))
		}
		if err := in.Models[i].Check(); err != nil {
			return err
		}
		if err := in.Compat[i].Check(); err != nil {
			return err
		}
	}
	if o.ModelError {
		if len(in.Calibration) != len(o.Origins) {
			return fmt.Errorf("%w: backtest inputs: model-error sums for %d origins, want %d", ErrOptions, len(in.Calibration), len(o.Origins))
		}
		for i, cal := range in.Calibration {
			if err := cal.Check(); err != nil {
				return err
			}
			if !cal.AsOf.Equal(o.Origins[i]) || cal.WindowMonths != o.WindowMonths {
				return fmt.Errorf("%w: backtest inputs: model-error sums %d for %s over %d months, want %s over %d", ErrOptions,
					i+1, cal.AsOf.Format(time.DateOnly), cal.WindowMonths, o.Origins[i].Format(time.DateOnly), o.WindowMonths)
			}
		}
	}
	if len(in.Months) != len(months) || len(in.Total) != len(months) || len(in.Category) != len(months) || len(in.Band) != len(months) || len(in.CompatBand) != len(months) {
		return fmt.Errorf("%w: backtest inputs: %d months of counts, want %d", ErrOptions, len(in.Total), len(months))
	}
	for _, v := range in.Total {
		if v < 0 || math.IsNaN(v) {
			return fmt.Errorf("%w: backtest inputs: a count of %g", ErrOptions, v)
		}
	}
	return nil
}

// BacktestActuals are the summed counts a pooled backtest scored against,
// by month end, so a publisher can tell which series are small.
type BacktestActuals struct {
	Months   []time.Time
	Total    []float64
	Category [][NumCategories]float64
	Band     [][NumAgeBands]float64
}

// PooledBacktest scores both models on the councils' summed backtest inputs.
func PooledBacktest(o BacktestOptions, ins ...*BacktestInputs) (*Backtest, *BacktestActuals, error) {
	maxH, err := o.check()
	if err != nil {
		return nil, nil, err
	}
	if len(ins) == 0 {
		return nil, nil, fmt.Errorf("pooled backtest of no councils: %w", ErrMismatch)
	}
	for i, in := range ins {
		if err := in.Check(o); err != nil {
			return nil, nil, fmt.Errorf("backtest inputs %d: %w", i+1, err)
		}
	}
	months := backtestMonths(o, maxH)
	act := &BacktestActuals{Months: months, Total: make([]float64, len(months)), Category: make([][NumCategories]float64, len(months)),
		Band: make([][NumAgeBands]float64, len(months))}
	cband := make([][NumAgeBands]float64, len(months))
	for _, in := range ins {
		for k := range months {
			act.Total[k] += in.Total[k]
			for c := range NumCategories {
				act.Category[k][c] += in.Category[k][c]
			}
			for b := range NumAgeBands {
				act.Band[k][b] += in.Band[k][b]
				cband[k][b] += in.CompatBand[k][b]
			}
		}
	}
	index := map[int64]int{}
	for k, d := range months {
		index[d.Unix()] = k
	}
	bt, err := scoreBacktest(o, maxH, func(oi int, d time.Time) (*Forecast, *Forecast, func(step int) actual, error) {
		ms := make([]*Model, len(ins))
		cs := make([]*CompatInputs, len(ins))
		var cals []*CalibrationInputs
		for i, in := range ins {
			ms[i], cs[i] = in.Models[oi], in.Compat[oi]
			if o.ModelError {
				cals = append(cals, in.Calibration[oi])
			}
		}
		m, err := Sum(ms...)
		if err != nil {
			return nil, nil, nil, err
		}
		cm, err := SumCompat(cs...)
		if err != nil {
			return nil, nil, nil, err
		}
		f, cf, err := originForecasts(o, maxH, m, cm, func() (*ModelError, error) { return PooledModelError(cals...) })
		if err != nil {
			return nil, nil, nil, err
		}
		return f, cf, func(step int) actual {
			k := index[StepEnd(d, step).Unix()]
			return actual{total: act.Total[k], category: act.Category[k], band: act.Band[k], compatBand: cband[k]}
		}, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pooled %w", err)
	}
	return bt, act, nil
}
