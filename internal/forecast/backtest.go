package forecast

import (
	"fmt"
	"math"
	"time"
)

// BacktestOptions say where to cut history and how far to look.
type BacktestOptions struct {
	// Origins are the past as-of dates: each fit sees only what was known
	// on its origin.
	Origins []time.Time
	// WindowMonths is the reference window before each origin.
	WindowMonths int
	// HalfLifeMonths weights Hearth's window towards its end (0: not).
	HalfLifeMonths float64
	// Horizons are the forecast lengths scored, in months (6, 12, 24).
	Horizons []int
	Paths    int
	Seed     uint64
	// ModelError widens Hearth's intervals by the model error measured at
	// past origins before each origin (CalibrateModelError).
	ModelError bool
}

// Score is one model's backtest at one horizon. MAPE is the mean absolute
// percentage error over every origin and every month from 1 to the horizon;
// AtHorizon is the same for the horizon month alone; Coverage80 is the share
// of those points whose truth fell inside the 80% interval (total,
// categories and bands together; NaN for a model with no intervals).
type Score struct {
	Horizon    int
	Points     int
	Total      Error
	Category   [NumCategories]Error
	Band       [NumAgeBands]Error
	Coverage80 float64
	Coverage95 float64
	// SeriesCoverage80 and SeriesCoverage95 are the coverages of each series alone (total,
	// categories, age bands; NaN for a model with no intervals), so a
	// publisher can leave out the series it withholds: every series has
	// Points points, so Coverage80 is their mean.
	SeriesCoverage80 [series]float64
	SeriesCoverage95 [series]float64
}

// Error is a mean absolute percentage error over the months to the horizon
// and at the horizon month.
type Error struct{ MAPE, AtHorizon float64 }

// Backtest holds both models' scores side by side. Compat's bands are its own
// brackets (0–1, 1–5, 5–10, 10–16, 16+), scored against the children's true
// ages; both models' categories are scored against Hearth's category map,
// which is what the children were in.
type Backtest struct {
	Options BacktestOptions
	Hearth  []Score
	Compat  []Score
}

// RunBacktest fits both models at each origin and scores their forecasts
// against what the same history says happened.
func RunBacktest(eps []Episode, o BacktestOptions) (*Backtest, error) {
	maxH, err := o.check()
	if err != nil {
		return nil, err
	}
	return scoreBacktest(o, maxH, func(_ int, origin time.Time) (*Forecast, *Forecast, func(step int) actual, error) {
		from := origin.AddDate(0, -o.WindowMonths, 0)
		m, err := FitWeighted(eps, from, origin, o.HalfLifeMonths*30.4375)
		if err != nil {
			return nil, nil, nil, err
		}
		cm, err := FitCompat(eps, from, origin)
		if err != nil {
			return nil, nil, nil, err
		}
		f, cf, err := originForecasts(o, maxH, m, cm, func() (*ModelError, error) {
			return CalibrateModelError(eps, origin, o.WindowMonths, o.HalfLifeMonths*30.4375)
		})
		if err != nil {
			return nil, nil, nil, err
		}
		return f, cf, func(step int) actual {
			d := StepEnd(origin, step)
			var a actual
			a.total, a.category, a.band = Count(eps, d)
			a.compatBand = CountCompat(eps, d)
			return a
		}, nil
	})
}

// originForecasts are both models' forecasts from one backtest origin:
// Hearth's simulated (and widened, with BacktestOptions.ModelError, by the
// model error modelError measures) and the anchor's projected.
func originForecasts(o BacktestOptions, maxH int, m *Model, cm *Compat, modelError func() (*ModelError, error)) (f, cf *Forecast, err error) {
	if f, err = m.Simulate(Options{Months: maxH, Paths: o.Paths, Seed: o.Seed}); err != nil {
		return nil, nil, err
	}
	if o.ModelError {
		me, err := modelError()
		if err != nil {
			return nil, nil, err
		}
		f.Widen(me)
	}
	if cf, err = cm.Project(maxH, 1); err != nil {
		return nil, nil, err
	}
	return f, cf, nil
}

// actual is what happened at a month end a backtest scores: the counts in
// care by category and band, and by the anchor's brackets.
type actual struct {
	total      float64
	category   [NumCategories]float64
	band       [NumAgeBands]float64
	compatBand [NumAgeBands]float64
}

// scoreBacktest is the scoring RunBacktest and PooledBacktest share: at each
// origin (its index and date), run gives Hearth's forecast, the anchor's and
// what happened at each step after the origin, and both are scored at every
// horizon.
func scoreBacktest(o BacktestOptions, maxH int, run func(oi int, origin time.Time) (f, cf *Forecast, truth func(step int) actual, err error)) (*Backtest, error) {
	type acc struct {
		n                  [2]float64 // points: all months, horizon month
		tot                [2]float64
		cat                [NumCategories][2]float64
		band               [NumAgeBands][2]float64
		in80, in95, series float64
		in80s, in95s       [series]float64 // by series (seriesOf's order)
	}
	hearth := make([]acc, len(o.Horizons))
	compat := make([]acc, len(o.Horizons))
	ape := func(f, a float64) float64 {
		if a == 0 {
			return math.Abs(f) * 100 // an empty cell scored on its count, not divided by zero
		}
		return math.Abs(f-a) / a * 100
	}
	for oi, origin := range o.Origins {
		f, cf, truth, err := run(oi, origin)
		if err != nil {
			return nil, fmt.Errorf("backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		for step := 1; step <= maxH; step++ {
			a := truth(step)
			tot, cat, band := a.total, a.category, a.band
			hm, cmo := f.Months[step-1], cf.Months[step-1]
			for hi, h := range o.Horizons {
				if step > h {
					continue
				}
				for k := range 2 {
					if k == 1 && step != h {
						continue
					}
					ha, ca := &hearth[hi], &compat[hi]
					ha.n[k]++
					ca.n[k]++
					ha.tot[k] += ape(hm.Total.Mean, tot)
					ca.tot[k] += ape(cmo.Total.Mean, tot)
					for c := range NumCategories {
						ha.cat[c][k] += ape(hm.Category[c].Mean, cat[c])
						ca.cat[c][k] += ape(cmo.Category[c].Mean, cat[c])
					}
					for b := range NumAgeBands {
						ha.band[b][k] += ape(hm.Band[b].Mean, band[b])
						ca.band[b][k] += ape(cmo.Band[b].Mean, a.compatBand[b])
					}
				}
				ha := &hearth[hi]
				check := func(s int, iv Interval, v float64) {
					ha.series++
					if v >= iv.P10 && v <= iv.P90 {
						ha.in80++
						ha.in80s[s]++
					}
					if v >= iv.P025 && v <= iv.P975 {
						ha.in95++
						ha.in95s[s]++
					}
				}
				check(0, hm.Total, tot)
				for c := range NumCategories {
					check(1+c, hm.Category[c], cat[c])
				}
				for b := range NumAgeBands {
					check(1+NumCategories+b, hm.Band[b], band[b])
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
		for k := range series {
			s.SeriesCoverage80[k], s.SeriesCoverage95[k] = math.NaN(), math.NaN()
		}
		if intervals && a.series > 0 {
			s.Coverage80, s.Coverage95 = a.in80/a.series, a.in95/a.series
			for k := range series {
				s.SeriesCoverage80[k], s.SeriesCoverage95[k] = a.in80s[k]/a.n[0], a.in95s[k]/a.n[0]
			}
		}
		return s
	}
	bt := &Backtest{Options: o}
	for i, h := range o.Horizons {
		bt.Hearth = append(bt.Hearth, score(hearth[i], h, true))
		bt.Compat = append(bt.Compat, score(compat[i], h, false))
	}
	return bt, nil
}

// QuarterlyOrigins are month ends every three months from first to last.
// A first date inside a month starts from the month end before it (1
// December 2024 → 30 November 2024), so every origin is a month end and its
// forecast months are whole, whichever of RunBacktest and PooledBacktest
// scores them.
func QuarterlyOrigins(first, last time.Time) []time.Time {
	var out []time.Time
	if !isMonthEnd(first) {
		first = monthEnd(first, -1)
	}
	for d := first; !d.After(last); d = monthEnd(d, 3) {
		out = append(out, d)
	}
	return out
}
