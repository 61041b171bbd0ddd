package forecast

import (
	"errors"
	"fmt"
	"time"
)

// The model is a function of sufficient statistics: days at risk and moves
// per band and category, entrants by kind, year of age and category, the
// stock on the as-of date by month of age and category, and the counts of
// children reaching 18. Each is a sum over children, so the sum of several
// councils' statistics is exactly the statistics of their pooled histories
// (TestSumEqualsPooledFit). A regional care cooperative therefore never needs
// a council's episodes: each council works out its own statistics inside its
// own scope and shares only those (internal/forecasting, regional.go).

// ErrMismatch reports models that cannot be added: fitted over different
// windows or weightings.
var ErrMismatch = errors.New("models fitted over different reference windows cannot be added")

// Sum is the model of the pooled histories of the councils whose models are
// given. Every model must be fitted over the same window with the same
// half-life. Children is the sum of the councils' children: children are
// distinct across councils (one council looks after a child at a time; a
// child moving council is a new child to the second, as in SSDA903).
func Sum(ms ...*Model) (*Model, error) {
	if len(ms) == 0 {
		return nil, fmt.Errorf("sum of no models: %w", ErrMismatch)
	}
	first := ms[0]
	out := &Model{From: first.From, To: first.To, HalfLifeDays: first.HalfLifeDays, EntryDays: first.EntryDays,
		Start: make([]float64, LeaveMonths*NumCategories), Bins: &TrendStats{}}
	for i, m := range ms {
		if m == nil {
			return nil, fmt.Errorf("model %d: missing: %w", i+1, ErrMismatch)
		}
		if !m.From.Equal(first.From) || !m.To.Equal(first.To) || m.HalfLifeDays != first.HalfLifeDays {
			return nil, fmt.Errorf("model %d is fitted over %s to %s (half-life %g), model 1 over %s to %s (half-life %g): %w",
				i+1, m.From.Format(time.DateOnly), m.To.Format(time.DateOnly), m.HalfLifeDays,
				first.From.Format(time.DateOnly), first.To.Format(time.DateOnly), first.HalfLifeDays, ErrMismatch)
		}
		if len(m.Start) != len(out.Start) {
			return nil, fmt.Errorf("model %d has %d start states, want %d: %w", i+1, len(m.Start), len(out.Start), ErrMismatch)
		}
		for b := range NumAgeBands {
			for c := range NumCategories {
				out.Exposure[b][c] += m.Exposure[b][c]
				for j := range NumCategories + 1 {
					out.Events[b][c][j] += m.Events[b][c][j]
				}
			}
		}
		for k := range 2 {
			for y := range 18 {
				for c := range NumCategories {
					out.Entries[k][y][c] += m.Entries[k][y][c]
				}
			}
		}
		for k := range 12 {
			for c := range NumCategories {
				out.InfantEntries[k][c] += m.InfantEntries[k][c]
			}
		}
		for s, n := range m.Start {
			out.Start[s] += n
		}
		// A council that shared no trend statistics leaves the region
		// without a trend rather than with a trend of the others only.
		if m.Bins == nil || out.Bins == nil {
			out.Bins = nil
		} else {
			out.Bins.add(m.Bins)
		}
		out.AgedOut += m.AgedOut
		out.StayingPut += m.StayingPut
		out.Children += m.Children
	}
	return out, nil
}

// Check says what is wrong with a model read from outside (a council's
// shared statistics): the window, the length of the start population, and
// any negative or non-finite figure, by name.
func (m *Model) Check() error {
	var errs []error
	if !m.From.Before(m.To) {
		errs = append(errs, ErrWindow)
	}
	if len(m.Start) != LeaveMonths*NumCategories {
		errs = append(errs, fmt.Errorf("start population: %d states, want %d", len(m.Start), LeaveMonths*NumCategories))
	}
	bad := func(v float64) bool { return v < 0 || v != v || v > 1e12 }
	for b := range NumAgeBands {
		for c := range NumCategories {
			if bad(m.Exposure[b][c]) {
				errs = append(errs, fmt.Errorf("days at risk, %s %s: %g", AgeBand(b), Category(c), m.Exposure[b][c]))
			}
			for j := range NumCategories + 1 {
				if bad(m.Events[b][c][j]) {
					errs = append(errs, fmt.Errorf("moves, %s %s to %d: %g", AgeBand(b), Category(c), j, m.Events[b][c][j]))
				}
			}
		}
	}
	for k := range 2 {
		for y := range 18 {
			for c := range NumCategories {
				if bad(m.Entries[k][y][c]) {
					errs = append(errs, fmt.Errorf("entrants, kind %d, age %d, %s: %g", k, y, Category(c), m.Entries[k][y][c]))
				}
			}
		}
	}
	for k := range 12 {
		for c := range NumCategories {
			if bad(m.InfantEntries[k][c]) {
				errs = append(errs, fmt.Errorf("entrants under 1, month %d, %s: %g", k, Category(c), m.InfantEntries[k][c]))
			}
		}
	}
	for s, n := range m.Start {
		if bad(n) {
			errs = append(errs, fmt.Errorf("start population, state %d: %g", s, n))
		}
	}
	if m.Bins != nil {
		errs = append(errs, m.Bins.check()...)
	}
	if bad(m.AgedOut) || bad(m.StayingPut) || m.Children < 0 {
		errs = append(errs, fmt.Errorf("aged out %g, staying put %g, children %d", m.AgedOut, m.StayingPut, m.Children))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrOptions, err)
	}
	return nil
}
