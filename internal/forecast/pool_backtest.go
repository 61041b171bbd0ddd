package forecast

import (
	"fmt"
	"math"
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

// backtestMonths are the month ends a backtest scores, in order.
func backtestMonths(o BacktestOptions, maxH int) []time.Time {
	first, last := o.Origins[0], o.Origins[0]
	for _, d := range o.Origins {
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	var out []time.Time
	for d := monthEnd(first, 1); !d.After(monthEnd(last, maxH)); d = monthEnd(d, 1) {
		out = append(out, d)
	}
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
	type acc struct {
		n                  [2]float64
		tot                [2]float64
		cat                [NumCategories][2]float64
		band               [NumAgeBands][2]float64
		in80, in95, series float64
	}
	hearth := make([]acc, len(o.Horizons))
	compat := make([]acc, len(o.Horizons))
	ape := func(f, a float64) float64 {
		if a == 0 {
			return math.Abs(f) * 100
		}
		return math.Abs(f-a) / a * 100
	}
	for oi, origin := range o.Origins {
		ms := make([]*Model, len(ins))
		cs := make([]*CompatInputs, len(ins))
		for i, in := range ins {
			ms[i], cs[i] = in.Models[oi], in.Compat[oi]
		}
		m, err := Sum(ms...)
		if err != nil {
			return nil, nil, fmt.Errorf("pooled backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		f, err := m.Simulate(Options{Months: maxH, Paths: o.Paths, Seed: o.Seed})
		if err != nil {
			return nil, nil, fmt.Errorf("pooled backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		cm, err := SumCompat(cs...)
		if err != nil {
			return nil, nil, fmt.Errorf("pooled backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		cf, err := cm.Project(maxH, 1)
		if err != nil {
			return nil, nil, fmt.Errorf("pooled backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		for step := 1; step <= maxH; step++ {
			k := index[monthEnd(origin, step).Unix()]
			tot, cat, band := act.Total[k], act.Category[k], act.Band[k]
			hm, cmo := f.Months[step-1], cf.Months[step-1]
			for hi, h := range o.Horizons {
				if step > h {
					continue
				}
				for j := range 2 {
					if j == 1 && step != h {
						continue
					}
					ha, ca := &hearth[hi], &compat[hi]
					ha.n[j]++
					ca.n[j]++
					ha.tot[j] += ape(hm.Total.Mean, tot)
					ca.tot[j] += ape(cmo.Total.Mean, tot)
					for c := range NumCategories {
						ha.cat[c][j] += ape(hm.Category[c].Mean, cat[c])
						ca.cat[c][j] += ape(cmo.Category[c].Mean, cat[c])
					}
					for b := range NumAgeBands {
						ha.band[b][j] += ape(hm.Band[b].Mean, band[b])
						ca.band[b][j] += ape(cmo.Band[b].Mean, cband[k][b])
					}
				}
				a := &hearth[hi]
				check := func(iv Interval, v float64) {
					a.series++
					if v >= iv.P10 && v <= iv.P90 {
						a.in80++
					}
					if v >= iv.P025 && v <= iv.P975 {
						a.in95++
					}
				}
				check(hm.Total, tot)
				for c := range NumCategories {
					check(hm.Category[c], cat[c])
				}
				for b := range NumAgeBands {
					check(hm.Band[b], band[b])
				}
			}
		}
	}
	score := func(a acc, h int, intervals bool) Score {
		s := Score{Horizon: h, Points: int(a.n[0]), Coverage80: math.NaN(), Coverage95: math.NaN()}
		e := func(v [2]float64) Error { return Error{MAPE: v[0] / a.n[0], AtHorizon: v[1] / a.n[1]} }
		s.Total = e(a.tot)
		for c := range NumCategories {
			s.Category[c] = e(a.cat[c])
		}
		for b := range NumAgeBands {
			s.Band[b] = e(a.band[b])
		}
		if intervals && a.series > 0 {
			s.Coverage80, s.Coverage95 = a.in80/a.series, a.in95/a.series
		}
		return s
	}
	bt := &Backtest{Options: o}
	for i, h := range o.Horizons {
		bt.Hearth = append(bt.Hearth, score(hearth[i], h, true))
		bt.Compat = append(bt.Compat, score(compat[i], h, false))
	}
	return bt, act, nil
}
