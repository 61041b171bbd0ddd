package forecast

import (
	"fmt"
	"math"
	"time"
)

// The simulation's intervals carry chance (the flows of children) and the
// uncertainty of the estimated rates, but not the model's own error: its
// rates are constant over the horizon, so it lags behind a trend (a rising
// residential share), and that lag grows with the horizon. At a council of
// 1,500 chance hides it; at 100,000 children it is most of the error, and
// the simulated 80% intervals held the truth at about half the backtest
// points.
//
// ModelError measures that error from the council's own past: the model is
// fitted at CalibrationOrigins quarter ends before the as-of date (each on
// what was known then) and projected to the as-of date, and its log errors
// against what happened are collected by series and horizon. Widen then
// takes away the chance the simulation already describes (its own spread at
// that horizon) and treats what is left as a model error growing linearly
// with the horizon, σ(h) = d·h, with d fitted by least squares per series.
// The intervals are widened on the log scale to hold both, centred where
// they were. Everything it uses was known on the as-of date.

// CalibrationOrigins is how many past quarter ends ModelError fits at.
const CalibrationOrigins = 4

// ModelError holds the past log errors by series (total, categories, age
// bands) and horizon in months.
type ModelError struct {
	// SumSq and N are the sums of squared log errors and their number, by
	// series and horizon (index h−1).
	SumSq [series][]float64
	N     [series][]float64
}

// CalibrateModelError fits the model at the CalibrationOrigins quarter ends
// before asOf with the same window and half-life and scores each projection
// up to asOf against the history known on asOf.
func CalibrateModelError(eps []Episode, asOf time.Time, windowMonths int, halfLifeDays float64) (*ModelError, error) {
	known := AsKnownOn(eps, asOf)
	maxH := 3 * CalibrationOrigins
	me := &ModelError{}
	for s := range series {
		me.SumSq[s] = make([]float64, maxH)
		me.N[s] = make([]float64, maxH)
	}
	// The truth at each month end to the last one on or before the as-of
	// date (from 1 December, 30 November: the end of December is not yet
	// known).
	base := asOf
	if !isMonthEnd(asOf) {
		base = monthEnd(asOf, -1)
	}
	truth := map[int][series]float64{}
	for h := 0; h < maxH; h++ {
		d := monthEnd(base, -h)
		tot, cat, band := Count(known, d)
		var v [series]float64
		v[0] = tot
		for c := range NumCategories {
			v[1+c] = cat[c]
		}
		for b := range NumAgeBands {
			v[1+NumCategories+b] = band[b]
		}
		truth[h] = v
	}
	for k := 1; k <= CalibrationOrigins; k++ {
		origin := monthEnd(base, -3*k)
		from := origin.AddDate(0, -windowMonths, 0)
		m, err := FitWeighted(known, from, origin, halfLifeDays)
		if err != nil {
			return nil, fmt.Errorf("calibrating at %s: %w", origin.Format(time.DateOnly), err)
		}
		if m.StartTotal() == 0 {
			continue // nobody in care yet: nothing to learn
		}
		f, err := m.Project(Options{Months: 3 * k})
		if err != nil {
			return nil, err
		}
		for h := 1; h <= 3*k; h++ {
			mo := f.Months[h-1]
			want := truth[3*k-h]
			got := seriesOf(mo)
			for s := range series {
				r := math.Log((want[s] + 1) / (got[s] + 1))
				me.SumSq[s][h-1] += r * r
				me.N[s][h-1]++
			}
		}
	}
	return me, nil
}

func seriesOf(mo Month) (v [series]float64) {
	v[0] = mo.Total.Mean
	for c := range NumCategories {
		v[1+c] = mo.Category[c].Mean
	}
	for b := range NumAgeBands {
		v[1+NumCategories+b] = mo.Band[b].Mean
	}
	return v
}

func intervalOf(mo *Month, s int) *Interval {
	switch {
	case s == 0:
		return &mo.Total
	case s <= NumCategories:
		return &mo.Category[s-1]
	}
	return &mo.Band[s-1-NumCategories]
}

// z80 and z95 are the standard normal's 90th and 97.5th percentiles.
const (
	z80 = 1.2815515655446004
	z95 = 1.959963984540054
)

// Drift is the fitted model error per month of horizon for each series
// (log scale), beyond the forecast's own simulated spread. The mean squared
// past error at each horizon includes the model's lag (a bias) as well as
// its scatter; both are what an interval about the forecast must hold.
func (me *ModelError) Drift(f *Forecast) (d [series]float64) {
	for s := range series {
		var num, den float64
		for h := 1; h <= len(me.N[s]) && h <= len(f.Months); h++ {
			n := me.N[s][h-1]
			if n == 0 {
				continue
			}
			iv := intervalOf(&f.Months[h-1], s)
			sim := (math.Log(iv.P90+1) - math.Log(iv.P10+1)) / (2 * z80)
			// The excess is summed before it is floored at zero: with
			// four past origins the error at one horizon is mostly chance,
			// and flooring each horizon's excess on its own would keep
			// the chance above the simulated spread and drop that below,
			// widening a council's intervals for noise.
			excess := me.SumSq[s][h-1]/n - sim*sim
			num += n * excess * float64(h*h)
			den += n * float64(h*h*h*h)
		}
		if den > 0 && num > 0 {
			d[s] = math.Sqrt(num / den)
		}
	}
	return d
}

// Widen widens the forecast's intervals to hold the model's own error as
// well as chance, on the log scale about the median; the means and medians
// are unchanged. It records the drift it used.
func (f *Forecast) Widen(me *ModelError) {
	if me == nil {
		return
	}
	d := me.Drift(f)
	f.Drift = d[:]
	frac := FirstStep(f.AsOf)
	for i := range f.Months {
		// The horizon in model months: a short first step is a part of one.
		h := frac + float64(i)
		for s := range series {
			if d[s] == 0 {
				continue
			}
			iv := intervalOf(&f.Months[i], s)
			mid := math.Log(iv.P50 + 1)
			sim := (math.Log(iv.P90+1) - math.Log(iv.P10+1)) / (2 * z80)
			sd := math.Sqrt(sim*sim + d[s]*d[s]*h*h)
			// Each bound keeps its own side's skew, scaled to the wider spread.
			edge := func(q, z float64) float64 {
				if sim > 0 {
					return math.Exp(mid+(math.Log(q+1)-mid)*sd/sim) - 1
				}
				return math.Exp(mid+z*sd) - 1
			}
			iv.P10, iv.P90 = max(0, edge(iv.P10, -z80)), edge(iv.P90, z80)
			iv.P025, iv.P975 = max(0, edge(iv.P025, -z95)), edge(iv.P975, z95)
		}
	}
}
