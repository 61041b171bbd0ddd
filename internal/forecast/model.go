package forecast

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// StepDays is the length of a model month: transitions are hazards per day,
// turned into a month's probability as 1 − exp(−λ·StepDays).
const StepDays = 365.25 / 12

// Exit is the destination index for leaving care in Model.Events.
const Exit = NumCategories

// Entry kinds: a first period of care, and a return after leaving.
const (
	FirstEntry = 0
	ReEntry    = 1
)

// Model is Hearth's demand model fitted over a reference window.
type Model struct {
	// From and To bound the reference window [From, To); To is the as-of date:
	// the start population is the children in care on To.
	From, To time.Time
	// Exposure is days in care in each band and category inside the window,
	// counted only while the child is under 18.
	Exposure [NumAgeBands][NumCategories]float64
	// Events counts moves out of each band and category: to another
	// category, or to Exit. A new episode in the same category is no move.
	Events [NumAgeBands][NumCategories][NumCategories + 1]float64
	// Entries counts new periods of care started in the window by kind
	// (first or re-entry), year of age at entry and category.
	Entries [2][18][NumCategories]float64
	// InfantEntries counts entrants under 1 (both kinds, weighted as
	// Entries) by month of age: most babies enter care in their first
	// weeks, so spreading year 0's entrants evenly over its months would
	// age them too slowly out of the Under 1 band. Zero everywhere (a model
	// shared before it existed): spread evenly.
	InfantEntries [12][NumCategories]float64 `json:",omitempty"`
	// Start is the population on To by month of age and category
	// (index age*NumCategories + category).
	Start []float64
	// AgedOut and StayingPut count children reaching 18 inside the window,
	// and those of them who stayed with their carers (REC E17).
	AgedOut, StayingPut float64
	// Children is the number of distinct children in the history.
	Children int
	// HalfLifeDays, when positive, weights the window towards its end: an
	// event or a day at risk counts 2^(−age/half-life), so rates follow a
	// trend (a rising residential share) without giving up the older
	// months' data. EntryDays is the weighted length of the window.
	HalfLifeDays float64
	EntryDays    float64
	// Bins holds the window's statistics again, split into TrendBins equal
	// parts of time and never weighted, so the trend of each destination's
	// rate and of each category's entrants can be fitted (trend.go). A
	// model without them (shared before they existed) has no trend.
	Bins *TrendStats `json:",omitempty"`
}

// WindowDays is the length of the reference window in days.
func (m *Model) WindowDays() float64 { return m.To.Sub(m.From).Hours() / 24 }

// Rate is the daily hazard of a move from band b, category c to destination
// j (a category, or Exit).
func (m *Model) Rate(b AgeBand, c Category, j int) float64 {
	if m.Exposure[b][c] <= 0 {
		return 0
	}
	return m.Events[b][c][j] / m.Exposure[b][c]
}

// entryDays is the (weighted) length of the window entrants are divided by.
func (m *Model) entryDays() float64 {
	if m.EntryDays > 0 {
		return m.EntryDays
	}
	return m.WindowDays()
}

// EntrantsPerDay is the daily rate of entrants of a kind, year of age and
// category.
func (m *Model) EntrantsPerDay(kind, year int, c Category) float64 {
	d := m.entryDays()
	if d <= 0 {
		return 0
	}
	return m.Entries[kind][year][c] / d
}

// StartTotal is the number of children in care on the as-of date.
func (m *Model) StartTotal() float64 {
	var t float64
	for _, n := range m.Start {
		t += n
	}
	return t
}

// ErrWindow reports a reference window that is empty or reversed.
var ErrWindow = errors.New("the reference window must start before it ends")

// Validate checks episodes and says which one is wrong and why.
func Validate(eps []Episode) error {
	var errs []error
	for i, e := range eps {
		switch {
		case e.Child == "":
			errs = append(errs, fmt.Errorf("episode %d: no child", i+1))
		case e.DOB.IsZero():
			errs = append(errs, fmt.Errorf("episode %d (child %s): no date of birth", i+1, e.Child))
		case e.Start.IsZero():
			errs = append(errs, fmt.Errorf("episode %d (child %s): no start date", i+1, e.Child))
		case e.Start.Before(e.DOB.AddDate(0, 0, -1)):
			errs = append(errs, fmt.Errorf("episode %d (child %s): starts %s, before birth on %s", i+1, e.Child, e.Start.Format(time.DateOnly), e.DOB.Format(time.DateOnly)))
		case !e.End.IsZero() && e.End.Before(e.Start):
			errs = append(errs, fmt.Errorf("episode %d (child %s): ends %s, before it starts on %s", i+1, e.Child, e.End.Format(time.DateOnly), e.Start.Format(time.DateOnly)))
		}
	}
	return errors.Join(errs...)
}

// byChild groups episodes by child, each child's in order of start.
func byChild(eps []Episode) [][]Episode {
	s := slices.Clone(eps)
	slices.SortFunc(s, func(a, b Episode) int {
		return cmp.Or(cmp.Compare(a.Child, b.Child), a.Start.Compare(b.Start), a.End.Compare(b.End))
	})
	var out [][]Episode
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j].Child == s[i].Child {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func days(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 }

// Fit estimates the model over the reference window [from, to) from the
// episodes. Only what was known on to is used: episodes starting after it are
// ignored and episodes ending after it count as open, so Fit can be run at
// any past date for a backtest.
func Fit(eps []Episode, from, to time.Time) (*Model, error) {
	return FitWeighted(eps, from, to, 0)
}

// FitWeighted is Fit with the window weighted towards its end by a half-life
// in days (0: every day alike).
func FitWeighted(eps []Episode, from, to time.Time, halfLifeDays float64) (*Model, error) {
	if halfLifeDays < 0 || math.IsNaN(halfLifeDays) {
		return nil, fmt.Errorf("%w: half-life %g days", ErrOptions, halfLifeDays)
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("fit %s to %s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), ErrWindow)
	}
	if err := Validate(eps); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	m := &Model{From: from, To: to, Start: make([]float64, LeaveMonths*NumCategories), HalfLifeDays: halfLifeDays}
	tau := halfLifeDays / math.Ln2
	w := func(d time.Time) float64 {
		if tau == 0 {
			return 1
		}
		return math.Exp(-days(d, to) / tau)
	}
	span := func(a, b time.Time) float64 {
		if tau == 0 {
			return days(a, b)
		}
		return tau * (math.Exp(-days(b, to)/tau) - math.Exp(-days(a, to)/tau))
	}
	if tau > 0 {
		m.EntryDays = span(from, to)
	}
	m.Bins = &TrendStats{}
	binOf := func(d time.Time) int {
		return min(TrendBins-1, max(0, int(days(from, d)/m.WindowDays()*TrendBins)))
	}
	for _, ch := range byChild(AsKnownOn(eps, to)) {
		m.Children++
		dob := ch[0].DOB
		leave := Birthday(dob, LeaveMonths)
		for i, e := range ch {
			c := CategoryOf(e.Place)
			end := e.End
			if end.IsZero() || end.After(to) {
				end = to
			}
			// Days at risk, split on the birthdays that change band.
			lo, hi := maxTime(e.Start, from), minTime(end, to, leave)
			for b := AgeBand(0); b < NumAgeBands && lo.Before(hi); b++ {
				bEnd := minTime(hi, Birthday(dob, bandStartMonths[b+1]))
				bStart := maxTime(lo, Birthday(dob, bandStartMonths[b]))
				if bStart.Before(bEnd) {
					m.Exposure[b][c] += span(bStart, bEnd)
					m.Bins.addExposure(m, b, c, bStart, bEnd)
				}
			}
			next := continuation(ch, i)
			// The move out, if it happened inside the window.
			if !e.End.IsZero() && !e.End.Before(from) && e.End.Before(to) {
				am := AgeMonths(dob, e.End)
				switch {
				case am >= LeaveMonths:
					if next < 0 {
						m.AgedOut++
						if e.Reason == "E17" {
							m.StayingPut++
						}
					}
				case next >= 0:
					if nc := CategoryOf(ch[next].Place); nc != c {
						m.Events[BandOfMonths(am)][c][nc] += w(e.End)
						m.Bins.Events[binOf(e.End)][BandOfMonths(am)][c][nc]++
					}
				default:
					m.Events[BandOfMonths(am)][c][Exit] += w(e.End)
					m.Bins.Events[binOf(e.End)][BandOfMonths(am)][c][Exit]++
				}
			}
			// The start of a new period of care inside the window.
			if !e.Start.Before(from) && e.Start.Before(to) && !continues(ch, i) {
				if am := AgeMonths(dob, e.Start); am >= 0 && am < LeaveMonths {
					kind := FirstEntry
					if i > 0 {
						kind = ReEntry
					}
					m.Entries[kind][am/12][c] += w(e.Start)
					if am < 12 {
						m.InfantEntries[am][c] += w(e.Start)
					}
					m.Bins.Entries[binOf(e.Start)][c]++
				}
			}
			if e.Open(to) {
				if am := AgeMonths(dob, to); am >= 0 && am < LeaveMonths {
					m.Start[am*NumCategories+int(c)]++
				}
			}
		}
	}
	return m, nil
}

// AsKnownOn is the history as it stood on day d: later episodes dropped and
// later ends reopened.
func AsKnownOn(eps []Episode, d time.Time) []Episode {
	out := make([]Episode, 0, len(eps))
	for _, e := range eps {
		if e.Start.After(d) {
			continue
		}
		if e.End.After(d) {
			e.End, e.Reason = time.Time{}, ""
		}
		out = append(out, e)
	}
	return out
}

// continuation is the index of the episode that follows ch[i] without a
// break (starting on or before the day it ends), or −1.
func continuation(ch []Episode, i int) int {
	e := ch[i]
	if e.End.IsZero() {
		return -1
	}
	for j := i + 1; j < len(ch); j++ {
		if !ch[j].Start.After(e.End) {
			if !ch[j].Start.Before(e.Start) && j != i {
				return j
			}
			continue
		}
		break
	}
	return -1
}

// continues reports whether ch[i] follows an earlier episode without a break.
func continues(ch []Episode, i int) bool {
	for j := range i {
		if !ch[j].End.IsZero() && !ch[j].End.Before(ch[i].Start) || ch[j].End.IsZero() {
			return true
		}
	}
	return false
}

func maxTime(a time.Time, bs ...time.Time) time.Time {
	for _, b := range bs {
		if b.After(a) {
			a = b
		}
	}
	return a
}

func minTime(a time.Time, bs ...time.Time) time.Time {
	for _, b := range bs {
		if b.Before(a) {
			a = b
		}
	}
	return a
}

// monthEnd is the last day of the month m months after d's month.
func monthEnd(d time.Time, m int) time.Time {
	return time.Date(d.Year(), d.Month()+time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
}

// isMonthEnd reports whether d is the last day of its month.
func isMonthEnd(d time.Time) bool { return d.AddDate(0, 0, 1).Day() == 1 }

// StepEnd is the date forecast month step (1, 2, …) ends on, counting from
// the as-of date: the end of the as-of month itself when the as-of date is
// not its last day (from 1 December the first month end is 31 December, not
// 31 January), then each month end after it. From a month end (31 December)
// the first is the next month's end (31 January).
func StepEnd(asOf time.Time, step int) time.Time {
	if isMonthEnd(asOf) {
		return monthEnd(asOf, step)
	}
	return monthEnd(asOf, step-1)
}

// FirstStep is the first step's length as a share of a model month
// (StepDays): 1 from a month end, and the days from the as-of date to the
// end of its month over StepDays otherwise (30/30.4375 from 1 December).
// The model's later steps are whole months of age.
func FirstStep(asOf time.Time) float64 {
	if isMonthEnd(asOf) {
		return 1
	}
	return min(1, days(asOf, monthEnd(asOf, 0))/StepDays)
}

// stepMid is the middle of forecast month step, in model months after the
// as-of date, when the first step is frac of a month long: where a trend
// is read for the step.
func stepMid(frac float64, step int) float64 {
	if step == 1 {
		return frac / 2
	}
	return frac + float64(step) - 1.5
}

// Count is what the history says was in care on day d, by category and band.
func Count(eps []Episode, d time.Time) (total float64, cat [NumCategories]float64, band [NumAgeBands]float64) {
	for _, e := range eps {
		if !e.Open(d) {
			continue
		}
		am := AgeMonths(e.DOB, d)
		if am < 0 || am >= LeaveMonths {
			continue
		}
		total++
		cat[CategoryOf(e.Place)]++
		band[BandOfMonths(am)]++
	}
	return total, cat, band
}

// probs turns the fitted hazards into a month's probabilities of each
// destination, for every band and category.
func (m *Model) probs(rates *[NumAgeBands][NumCategories][NumCategories + 1]float64) (p [NumAgeBands][NumCategories][NumCategories + 1]float64) {
	return probsOver(rates, StepDays)
}

// probsOver is probs for a step of stepDays days (a short first step).
func probsOver(rates *[NumAgeBands][NumCategories][NumCategories + 1]float64, stepDays float64) (p [NumAgeBands][NumCategories][NumCategories + 1]float64) {
	for b := range NumAgeBands {
		for c := range NumCategories {
			var tot float64
			for j := range NumCategories + 1 {
				tot += rates[b][c][j]
			}
			if tot <= 0 {
				continue
			}
			out := 1 - math.Exp(-tot*stepDays)
			for j := range NumCategories + 1 {
				p[b][c][j] = out * rates[b][c][j] / tot
			}
		}
	}
	return p
}

func (m *Model) rates() (r [NumAgeBands][NumCategories][NumCategories + 1]float64) {
	for b := range AgeBand(NumAgeBands) {
		for c := range Category(NumCategories) {
			for j := range NumCategories + 1 {
				r[b][c][j] = m.Rate(b, c, j)
			}
		}
	}
	return r
}

// monthShares is how a year of age's entrants in category c spread over its
// months: by the window's infants for year 0 where it saw any, evenly
// otherwise.
func (m *Model) monthShares(y int, c int) (sh [12]float64) {
	var tot float64
	if y == 0 {
		for k := range 12 {
			tot += m.InfantEntries[k][c]
		}
	}
	for k := range 12 {
		if tot > 0 {
			sh[k] = m.InfantEntries[k][c] / tot
		} else {
			sh[k] = 1.0 / 12
		}
	}
	return sh
}
