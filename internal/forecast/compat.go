package forecast

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// The compatibility mode reproduces data-to-insight/cs-demand-model v0.5.1
// (../shared/docs/forecasting.md, "Method"), weaknesses included, so that a
// council can see how its own forecast compares with the one the sector
// knows: age brackets 0–1, 1–5, 5–10, 10–16 and 16–30 fixed at the start of
// each episode; its category map (K3 and Z11–Z14 fall into Other); daily
// transition ratios averaged over the window; entrants a constant number a
// day, re-entries included; ageing a constant daily rate; a deterministic
// projection in steps of whole days.

// CompatBrackets are the anchor's age brackets in years, the last running to 30.
var CompatBrackets = [NumAgeBands + 1]float64{0, 1, 5, 10, 16, 30}

// CompatBracketNames label the anchor's brackets.
var CompatBracketNames = [NumAgeBands]string{"0 to 1", "1 to 5", "5 to 10", "10 to 16", "16+"}

const compatYear = 365.24

// CompatCategoryOf is the anchor's category map: Fostering U1–U6,
// Residential K2 and R1, Supported H5 and P2, and Other for every other code.
func CompatCategoryOf(place string) Category {
	switch place {
	case "U1", "U2", "U3", "U4", "U5", "U6":
		return Fostering
	case "K2", "R1":
		return Residential
	case "H5", "P2":
		return Supported
	}
	return Other
}

// CompatBracketOf is the bracket of an age in years; −1 outside 0–30.
func CompatBracketOf(years float64) int {
	for b := range NumAgeBands {
		if years >= CompatBrackets[b] && years < CompatBrackets[b+1] {
			return b
		}
	}
	return -1
}

const compatStates = NumAgeBands * NumCategories
const compatNIC = compatStates // not in care, the sink

// Compat is the anchor's model fitted over a window.
type Compat struct {
	From, To time.Time
	// Rates[s][t] is the daily rate from state s (bracket×4+category) to
	// state t, or to compatNIC; ageing included.
	Rates [compatStates][compatStates + 1]float64
	// Entrants per day into each state.
	Entrants [compatStates]float64
	// Start is the stock on the reference end date.
	Start [compatStates]float64
}

type cEp struct {
	child      string
	dob        time.Time
	start, end int // days since epoch; end = math.MaxInt32 while open
	state      int
}

const openEnd = math.MaxInt32

func dayNum(t time.Time) int { return int(t.Unix() / 86400) }

// compatClean is the anchor's data preparation: of two episodes starting the
// same day only the one ending last is kept; of two ending the same day the
// longer; an overlap is cut back to the next start.
func compatClean(eps []Episode) []cEp {
	var out []cEp
	for _, ch := range byChild(eps) {
		var es []cEp
		for _, e := range ch {
			end := openEnd
			if !e.End.IsZero() {
				end = dayNum(e.End)
			}
			years := float64(dayNum(e.Start)-dayNum(e.DOB)) / compatYear
			b := CompatBracketOf(years)
			if b < 0 {
				continue
			}
			es = append(es, cEp{child: e.Child, dob: e.DOB, start: dayNum(e.Start), end: end, state: b*NumCategories + int(CompatCategoryOf(e.Place))})
		}
		// Same start: keep the latest end.
		slices.SortStableFunc(es, func(a, b cEp) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
		es = slices.CompactFunc(es, func(a, b cEp) bool { return a.start == b.start })
		// Same end: keep the longer (the earlier start).
		var kept []cEp
		for i, e := range es {
			if i > 0 && kept[len(kept)-1].end == e.end {
				continue
			}
			kept = append(kept, e)
		}
		for i := range len(kept) - 1 {
			if kept[i].end > kept[i+1].start {
				kept[i].end = kept[i+1].start
			}
		}
		out = append(out, kept...)
	}
	return out
}

// FitCompat fits the anchor's model over [from, to). The anchor's rates
// are daily ratios averaged over the window, so the fit is worked out from
// the daily sums (FitCompatInputs) exactly as a region's is from its
// councils' (SumCompat): one implementation of the rate arithmetic.
func FitCompat(eps []Episode, from, to time.Time) (*Compat, error) {
	in, err := FitCompatInputs(eps, from, to)
	if err != nil {
		return nil, fmt.Errorf("fit compat: %w", err)
	}
	return SumCompat(in)
}

// compatStep advances the population by n days in one step, as the anchor
// does: rates compound as 1 − (1 − r)^n, the outflow is capped at the
// population and split in proportion to the rates, entrants are × n.
func (m *Compat) compatStep(pop [compatStates]float64, n int) [compatStates]float64 {
	next := pop
	for s := range compatStates {
		var tot float64
		var r [compatStates + 1]float64
		for t := range compatStates + 1 {
			r[t] = 1 - math.Pow(1-m.Rates[s][t], float64(n))
			tot += r[t]
		}
		if tot <= 0 || pop[s] == 0 {
			continue
		}
		out := pop[s] * min(tot, 1)
		next[s] -= out
		for t := range compatStates {
			next[t] += out * r[t] / tot
		}
	}
	for s := range compatStates {
		next[s] += m.Entrants[s] * float64(n)
	}
	return next
}

// Project runs the anchor's projection in steps of stepDays (1 as its CLI
// does) and reports each month end (StepEnd: the first is the as-of month's
// own end when the as-of date is inside it), by category and by the anchor's
// brackets (in Band). The not-in-care sink is left out, as the anchor's charts do.
func (m *Compat) Project(months, stepDays int) (*Forecast, error) {
	if err := (Options{Months: months}).check(false); err != nil {
		return nil, err
	}
	if stepDays < 1 || stepDays > 92 {
		return nil, fmt.Errorf("%w: step: %d days; want 1 to 92", ErrOptions, stepDays)
	}
	f := &Forecast{Method: "cs-demand-model", AsOf: m.To, WindowFrom: m.From, WindowTo: m.To, Options: Options{Months: months}}
	pop := m.Start
	for _, v := range pop {
		f.Start += v
	}
	d := dayNum(m.To)
	for step := 1; step <= months; step++ {
		target := dayNum(StepEnd(m.To, step))
		for d < target {
			k := min(stepDays, target-d)
			pop = m.compatStep(pop, k)
			d += k
		}
		var mo Month
		mo.Date = StepEnd(m.To, step)
		var tot float64
		for b := range NumAgeBands {
			for c := range NumCategories {
				v := pop[b*NumCategories+c]
				tot += v
				mo.Mix[c][b] += v
				mo.Category[c].Mean += v
				mo.Band[b].Mean += v
			}
		}
		mo.Total = point(tot)
		for c := range NumCategories {
			mo.Category[c] = point(mo.Category[c].Mean)
		}
		for b := range NumAgeBands {
			mo.Band[b] = point(mo.Band[b].Mean)
		}
		f.Months = append(f.Months, mo)
	}
	return f, nil
}

// CountCompat is what the history says was in care on day d in the anchor's
// brackets, by the child's true age that day (under 18).
func CountCompat(eps []Episode, d time.Time) (band [NumAgeBands]float64) {
	for _, e := range eps {
		if !e.Open(d) || AgeMonths(e.DOB, d) >= LeaveMonths {
			continue
		}
		if b := CompatBracketOf(float64(dayNum(d)-dayNum(e.DOB)) / compatYear); b >= 0 {
			band[b]++
		}
	}
	return band
}
