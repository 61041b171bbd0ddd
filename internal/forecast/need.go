package forecast

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Need band as a state of the demand model, where needs are known. A
// child's need band on a day is the band of their latest approved
// assessment on or before it, and NeedUnknown before the first: a child is
// never dropped for want of an assessment. The need-band model adds that
// band to the model's states (month of age × category × need band):
// entrants arrive in the need bands the window's entrants were in on the
// day they entered, and children move between need bands at hazards
// estimated as the other moves are (changes of band while in care over the
// days at risk in each category and band, pooled over ages: needs drift with
// placement — up more often in residential care — more than with age, and a
// council's reassessments are too few to split by both). Moves
// between categories, leaving and ageing are the demand model's own, the
// same in every need band: Hearth's rates are not fitted by need band, so
// the need-band model says where the forecast children's needs will be,
// not that needs change who leaves.

// NeedUnknown is the need band of a child with no approved assessment yet
// (as CostSample.NeedBand has it).
const NeedUnknown = ""

// NeedChange is a child's need band from a day on: the band of an approved
// assessment on that day.
type NeedChange struct {
	On   time.Time
	Band string
}

// NeedHistory is each child's need band changes, by the child's key in
// Episode.Child, in date order.
type NeedHistory map[string][]NeedChange

// NeedModel is the need-band part of the model over the same reference
// window as the demand model it was fitted beside.
type NeedModel struct {
	// Bands are the need bands, NeedUnknown first, then the bands in the
	// order given to FitNeeds (the instrument's rank order).
	Bands []string
	// Exposure is days in care by category and need band inside the window
	// (under 18, as the demand model's).
	Exposure [NumCategories][]float64
	// Moves counts changes of need band while in care in the window by the
	// category the child was in, from band and to band.
	Moves [NumCategories][][]float64
	// Entries counts the window's new periods of care by category and the
	// need band on the day of entry.
	Entries [NumCategories][]float64
	// Start is the population on the as-of date by month of age, category
	// and need band (index (age*NumCategories + category)*len(Bands) + band).
	Start []float64
}

func (nm *NeedModel) bandIndex() map[string]int {
	ix := make(map[string]int, len(nm.Bands))
	for i, b := range nm.Bands {
		ix[b] = i
	}
	return ix
}

// ErrNeedBands reports a need band list that cannot index the model.
var ErrNeedBands = errors.New("need bands")

// FitNeeds fits the need-band model over [from, to) beside the demand
// model: the same episodes, known as on to. bands are the named need bands
// in rank order; a child's band not among them is refused by name.
func FitNeeds(eps []Episode, needs NeedHistory, bands []string, from, to time.Time) (*NeedModel, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("fit needs %s to %s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), ErrWindow)
	}
	if err := Validate(eps); err != nil {
		return nil, fmt.Errorf("fit needs: %w", err)
	}
	nm := &NeedModel{Bands: append([]string{NeedUnknown}, bands...)}
	ix := nm.bandIndex()
	if len(ix) != len(nm.Bands) {
		return nil, fmt.Errorf("%w: %q has a band twice (or the empty name, which is %q)", ErrNeedBands, bands, "not assessed")
	}
	var errs []error
	for child, ch := range needs {
		for i, c := range ch {
			if _, ok := ix[c.Band]; !ok {
				errs = append(errs, fmt.Errorf("child %s, assessment on %s: need band %q is not one of %q", child, c.On.Format(time.DateOnly), c.Band, bands))
			}
			if i > 0 && c.On.Before(ch[i-1].On) {
				errs = append(errs, fmt.Errorf("child %s: need bands out of date order (%s after %s)", child, c.On.Format(time.DateOnly), ch[i-1].On.Format(time.DateOnly)))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return cmp.Compare(a.Error(), b.Error()) })
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("fit needs: %w", err)
	}
	k := len(nm.Bands)
	for c := range NumCategories {
		nm.Exposure[c] = make([]float64, k)
		nm.Moves[c] = make([][]float64, k)
		for i := range k {
			nm.Moves[c][i] = make([]float64, k)
		}
	}
	for c := range NumCategories {
		nm.Entries[c] = make([]float64, k)
	}
	nm.Start = make([]float64, LeaveMonths*NumCategories*k)
	for _, ch := range byChild(AsKnownOn(eps, to)) {
		dob := ch[0].DOB
		leave := Birthday(dob, LeaveMonths)
		changes := knownNeeds(needs[ch[0].Child], to)
		at := func(d time.Time) int { return ix[needOn(changes, d)] }
		for i, e := range ch {
			c := CategoryOf(e.Place)
			end := e.End
			if end.IsZero() || end.After(to) {
				end = to
			}
			lo, hi := maxTime(e.Start, from), minTime(end, to, leave)
			// Days at risk, split on the need changes; each change
			// inside the stay is a move.
			if lo.Before(hi) {
				cur, t := at(lo), lo
				for _, nc := range changes {
					if !nc.On.After(lo) || !nc.On.Before(hi) {
						continue
					}
					nb := ix[nc.Band]
					nm.Exposure[c][cur] += days(t, nc.On)
					if nb != cur {
						nm.Moves[c][cur][nb]++
					}
					t, cur = nc.On, nb
				}
				nm.Exposure[c][cur] += days(t, hi)
			}
			if !e.Start.Before(from) && e.Start.Before(to) && !continues(ch, i) {
				if am := AgeMonths(dob, e.Start); am >= 0 && am < LeaveMonths {
					nm.Entries[c][at(e.Start)]++
				}
			}
			if e.Open(to) {
				if am := AgeMonths(dob, to); am >= 0 && am < LeaveMonths {
					nm.Start[(am*NumCategories+int(c))*k+at(to)]++
				}
			}
		}
	}
	return nm, nil
}

// knownNeeds is a child's changes made on or before d.
func knownNeeds(ch []NeedChange, d time.Time) []NeedChange {
	n := 0
	for n < len(ch) && !ch[n].On.After(d) {
		n++
	}
	return ch[:n]
}

// needOn is the band of the latest change on or before d.
func needOn(ch []NeedChange, d time.Time) string {
	band := NeedUnknown
	for _, c := range ch {
		if c.On.After(d) {
			break
		}
		band = c.Band
	}
	return band
}

// Rate is the daily hazard of moving from need band i to j in category c.
func (nm *NeedModel) Rate(c Category, i, j int) float64 {
	if nm.Exposure[c][i] <= 0 {
		return 0
	}
	return nm.Moves[c][i][j] / nm.Exposure[c][i]
}

// stepProbs are a step's probabilities of moving between need bands, by
// category (the one a child is in at the step's end): competing hazards over stepDays.
func (nm *NeedModel) stepProbs(stepDays float64) [NumCategories][][]float64 {
	k := len(nm.Bands)
	var q [NumCategories][][]float64
	for b := range Category(NumCategories) {
		q[b] = make([][]float64, k)
		for i := range k {
			q[b][i] = make([]float64, k)
			var tot float64
			for j := range k {
				if j != i {
					tot += nm.Rate(b, i, j)
				}
			}
			q[b][i][i] = 1
			if tot <= 0 {
				continue
			}
			out := 1 - math.Exp(-tot*stepDays)
			for j := range k {
				if j != i {
					q[b][i][j] = out * nm.Rate(b, i, j) / tot
				}
			}
			q[b][i][i] = 1 - out
		}
	}
	return q
}

// entryShares is the need band mix of each category's entrants; where the
// window saw none, they arrive unassessed.
func (nm *NeedModel) entryShares() [NumCategories][]float64 {
	k := len(nm.Bands)
	var sh [NumCategories][]float64
	for c := range NumCategories {
		sh[c] = make([]float64, k)
		var tot float64
		for _, v := range nm.Entries[c] {
			tot += v
		}
		if tot == 0 {
			sh[c][0] = 1
			continue
		}
		for j, v := range nm.Entries[c] {
			sh[c][j] = v / tot
		}
	}
	return sh
}

// NeedMonth is the expected number in care at a month end by need band
// (index as NeedForecast.Bands), category and age band.
type NeedMonth struct {
	Date time.Time
	Mix  [][NumCategories][NumAgeBands]float64
}

// NeedForecast is the expected-value projection of the model's states with
// need band.
type NeedForecast struct {
	Bands  []string
	Months []NeedMonth
}

// ProjectNeeds is the expected-value projection over month of age ×
// category × need band: each step the demand model's moves, leaving,
// ageing and entrants as Project makes them (its trend and its short first
// step included), then moves between need bands at the need model's
// hazards over the step's days among those still in care, and entrants in
// the window's need band mix of their category, moving between bands over
// half the step (they arrive through it). Summed over need bands it is
// Project's projection.
func (m *Model) ProjectNeeds(nm *NeedModel, o Options) (*NeedForecast, error) {
	if err := o.check(false); err != nil {
		return nil, err
	}
	k := len(nm.Bands)
	if k == 0 || len(nm.Start) != LeaveMonths*NumCategories*k {
		return nil, fmt.Errorf("%w: the need model has %d bands and %d start states", ErrNeedBands, k, len(nm.Start))
	}
	f := m.header("hearth-expected", o)
	rates := m.rates()
	cur := slices.Clone(nm.Start)
	next := make([]float64, len(cur))
	ent := m.entrantsPerStep(o.EntrantChange)
	ent1 := ent
	shares := m.allMonthShares()
	tp, ent0 := m.trendStart(f, &rates, ent)
	entShare := nm.entryShares()
	frac := FirstStep(m.To)
	out := &NeedForecast{Bands: nm.Bands}
	moved := make([]float64, k)
	for step := 1; step <= o.Months; step++ {
		age, mid := 1.0, stepMid(frac, step)
		if step == 1 {
			age = frac
		}
		r := rates
		if f.Trend != nil {
			for b := range NumAgeBands {
				for c := range NumCategories {
					for j := range NumCategories + 1 {
						r[b][c][j] *= stepFactor(tp.dest[j], mid)
					}
				}
			}
		}
		p := probsOver(&r, age*StepDays)
		q := nm.stepProbs(age * StepDays)
		// Entrants arrive through the step, so on average they have half
		// of it to be assessed (or reassessed) by its end.
		qe := nm.stepProbs(age * StepDays / 2)
		for y := range 18 {
			for c := range NumCategories {
				if f.Trend != nil {
					ent[y][c] = ent0[y][c] * stepFactor(tp.ent[c], mid)
				} else {
					ent[y][c] = ent1[y][c]
				}
				ent[y][c] *= age
			}
		}
		clear(next)
		// put moves v children of need band n from month of age am to
		// category j: the share age a month older (leaving at 18), then
		// across need bands at the rates of the category j they are in.
		put := func(am, j, n int, v float64) {
			if v == 0 {
				return
			}
			for _, to := range [2]struct {
				am int
				v  float64
			}{{am + 1, v * age}, {am, v * (1 - age)}} {
				if to.am >= LeaveMonths || to.v == 0 {
					continue
				}
				base := (to.am*NumCategories + j) * k
				for n2 := range k {
					next[base+n2] += to.v * q[j][n][n2]
				}
			}
		}
		for am := range LeaveMonths {
			b := BandOfMonths(am)
			for c := range NumCategories {
				for n := range k {
					v := cur[(am*NumCategories+c)*k+n]
					if v == 0 {
						continue
					}
					stay := v
					for j := range NumCategories + 1 {
						mv := v * p[b][c][j]
						stay -= mv
						if j < NumCategories {
							put(am, j, n, mv)
						}
					}
					put(am, c, n, stay)
				}
			}
		}
		clear(moved)
		for y := range 18 {
			for c := range NumCategories {
				e := ent[y][c]
				sh := &shares[y][c]
				for mo := range 12 {
					base := ((y*12+mo)*NumCategories + c) * k
					qb := qe[c]
					for n := range k {
						v := e * sh[mo] * entShare[c][n]
						if v == 0 {
							continue
						}
						for n2 := range k {
							next[base+n2] += v * qb[n][n2]
						}
					}
				}
			}
		}
		cur, next = next, cur
		nmo := NeedMonth{Date: StepEnd(m.To, step), Mix: make([][NumCategories][NumAgeBands]float64, k)}
		for am := range LeaveMonths {
			b := BandOfMonths(am)
			for c := range NumCategories {
				for n := range k {
					nmo.Mix[n][c][b] += cur[(am*NumCategories+c)*k+n]
				}
			}
		}
		out.Months = append(out.Months, nmo)
	}
	return out, nil
}

// SetNeeds gives each month of the forecast its children by need band: the
// month's mean children in each category and age band (Mix, the
// simulation's) shared across need bands as the need-band projection shares
// them. Spend and sufficiency then price and count the forecast's own need
// bands instead of today's mix.
func (f *Forecast) SetNeeds(nf *NeedForecast) error {
	if len(nf.Months) < len(f.Months) {
		return fmt.Errorf("%w: %d need months for %d forecast months", ErrNeedBands, len(nf.Months), len(f.Months))
	}
	f.NeedBands = nf.Bands
	for i := range f.Months {
		mo, nmo := &f.Months[i], nf.Months[i]
		if !mo.Date.Equal(nmo.Date) {
			return fmt.Errorf("%w: month %d ends %s in the forecast and %s in the need projection", ErrNeedBands, i+1, mo.Date.Format(time.DateOnly), nmo.Date.Format(time.DateOnly))
		}
		mo.Need = make(map[string]*[NumCategories][NumAgeBands]float64, len(nf.Bands))
		for n, band := range nf.Bands {
			var v [NumCategories][NumAgeBands]float64
			for c := range NumCategories {
				for b := range NumAgeBands {
					var tot float64
					for n2 := range nf.Bands {
						tot += nmo.Mix[n2][c][b]
					}
					if tot > 0 {
						v[c][b] = mo.Mix[c][b] * nmo.Mix[n][c][b] / tot
					}
				}
			}
			mo.Need[band] = &v
		}
	}
	return nil
}

// NeedCount is what the history says was in care on day d by need band (the
// band then), under 18.
func NeedCount(eps []Episode, needs NeedHistory, d time.Time) map[string]float64 {
	out := map[string]float64{}
	for _, e := range eps {
		if !e.Open(d) {
			continue
		}
		if am := AgeMonths(e.DOB, d); am < 0 || am >= LeaveMonths {
			continue
		}
		out[needOn(needs[e.Child], d)]++
	}
	return out
}

// NeedScore is the need-band backtest at one horizon: for each need band
// (NeedBacktest.Bands), the mean absolute percentage error of the children
// in care in that band over every origin and month from 1 to the horizon,
// for the need-band model (Model) and for today's mix held within each
// category and age band as the costs did before it (Held).
type NeedScore struct {
	Horizon     int
	Model, Held []float64
}

// NeedBacktest scores the need-band projection against what happened.
type NeedBacktest struct {
	Bands  []string
	Scores []NeedScore
}

// BacktestNeeds fits the demand and need-band models at each origin (each
// on what was known then) and compares the projected children by need band
// with the history's count on each month end: the band each child in care
// then had by their assessments to that day. The demand model's expected
// projection carries both, so the figure is the need-band model's error on
// top of the demand model's.
func BacktestNeeds(eps []Episode, needs NeedHistory, bands []string, o BacktestOptions) (*NeedBacktest, error) {
	if len(o.Origins) == 0 || len(o.Horizons) == 0 || o.WindowMonths < 1 {
		return nil, fmt.Errorf("%w: a backtest needs origins, horizons and a window", ErrOptions)
	}
	maxH := slices.Max(o.Horizons)
	bt := &NeedBacktest{Bands: append([]string{NeedUnknown}, bands...)}
	k := len(bt.Bands)
	type acc struct {
		n           float64
		model, held []float64
	}
	accs := make([]acc, len(o.Horizons))
	for i := range accs {
		accs[i] = acc{model: make([]float64, k), held: make([]float64, k)}
	}
	ape := func(f, a float64) float64 {
		if a == 0 {
			return math.Abs(f) * 100
		}
		return math.Abs(f-a) / a * 100
	}
	for _, origin := range o.Origins {
		from := origin.AddDate(0, -o.WindowMonths, 0)
		m, err := FitWeighted(eps, from, origin, o.HalfLifeMonths*30.4375)
		if err != nil {
			return nil, fmt.Errorf("need backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		nm, err := FitNeeds(eps, needs, bands, from, origin)
		if err != nil {
			return nil, fmt.Errorf("need backtest at %s: %w", origin.Format(time.DateOnly), err)
		}
		nf, err := m.ProjectNeeds(nm, Options{Months: maxH})
		if err != nil {
			return nil, err
		}
		// Today's mix: the origin's share of each need band within each
		// category and age band.
		var start [NumCategories][NumAgeBands][]float64
		for c := range NumCategories {
			for b := range NumAgeBands {
				start[c][b] = make([]float64, k)
			}
		}
		for s, v := range nm.Start {
			st := s / k
			am, c := st/NumCategories, st%NumCategories
			start[c][BandOfMonths(am)][s%k] += v
		}
		for step := 1; step <= maxH; step++ {
			nmo := nf.Months[step-1]
			truth := NeedCount(eps, needs, nmo.Date)
			var model, held = make([]float64, k), make([]float64, k)
			for c := range NumCategories {
				for b := range NumAgeBands {
					var tot, t0 float64
					for n := range k {
						tot += nmo.Mix[n][c][b]
						t0 += start[c][b][n]
					}
					for n := range k {
						model[n] += nmo.Mix[n][c][b]
						if t0 > 0 {
							held[n] += tot * start[c][b][n] / t0
						} else if n == 0 {
							held[n] += tot
						}
					}
				}
			}
			for hi, h := range o.Horizons {
				if step > h {
					continue
				}
				a := &accs[hi]
				a.n++
				for n := range k {
					a.model[n] += ape(model[n], truth[bt.Bands[n]])
					a.held[n] += ape(held[n], truth[bt.Bands[n]])
				}
			}
		}
	}
	for hi, h := range o.Horizons {
		a := accs[hi]
		s := NeedScore{Horizon: h, Model: make([]float64, k), Held: make([]float64, k)}
		for n := range k {
			s.Model[n], s.Held[n] = a.model[n]/a.n, a.held[n]/a.n
		}
		bt.Scores = append(bt.Scores, s)
	}
	return bt, nil
}
