package forecast

import (
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
// up to asOf against the history known on asOf. It is worked out from the
// history's calibration sums (CalibrationInputsOf) exactly as a region's is
// from its councils' (PooledModelError, pool_calibrate.go): one
// implementation, whose origins and month ends are calibrationOrigin and
// calibrationDay.
func CalibrateModelError(eps []Episode, asOf time.Time, windowMonths int, halfLifeDays float64) (*ModelError, error) {
	in, err := CalibrationInputsOf(eps, asOf, windowMonths, halfLifeDays)
	if err != nil {
		return nil, err
	}
	return PooledModelError(in)
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
