package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// anchorReference is a second, deliberately naive implementation of the
// cs-demand-model method as forecasting.md states it, sharing no code with
// compat.go beyond the category map: it walks every day and every episode,
// keys states by strings and steps one day at a time. The compatibility
// check is that both give the same expected counts.
func anchorReference(eps []Episode, from, to time.Time, months int) []map[string]float64 {
	type ep struct {
		child      string
		dob        time.Time
		start, end time.Time // end zero = open
		place      string
	}
	byKid := map[string][]ep{}
	for _, e := range eps {
		if e.Start.After(to) {
			continue
		}
		if e.End.After(to) {
			e.End = time.Time{}
		}
		byKid[e.Child] = append(byKid[e.Child], ep{e.Child, e.DOB, e.Start, e.End, e.Place})
	}
	endOf := func(e ep) time.Time {
		if e.end.IsZero() {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return e.end
	}
	var all []ep
	kids := make([]string, 0, len(byKid))
	for k := range byKid {
		kids = append(kids, k)
	}
	sort.Strings(kids)
	for _, k := range kids {
		es := byKid[k]
		sort.SliceStable(es, func(i, j int) bool {
			if !es[i].start.Equal(es[j].start) {
				return es[i].start.Before(es[j].start)
			}
			return endOf(es[i]).After(endOf(es[j]))
		})
		var a []ep
		for _, e := range es {
			if len(a) > 0 && a[len(a)-1].start.Equal(e.start) {
				continue // same start: the one ending last was sorted first
			}
			if len(a) > 0 && endOf(a[len(a)-1]).Equal(endOf(e)) {
				continue // same end: keep the earlier-starting, longer one
			}
			a = append(a, e)
		}
		for i := 0; i+1 < len(a); i++ {
			if endOf(a[i]).After(a[i+1].start) {
				a[i].end = a[i+1].start
			}
		}
		all = append(all, a...)
	}
	brackets := []float64{0, 1, 5, 10, 16, 30}
	bracket := func(dob, d time.Time) int {
		y := d.Sub(dob).Hours() / 24 / 365.24
		for i := 0; i < 5; i++ {
			if y >= brackets[i] && y < brackets[i+1] {
				return i
			}
		}
		return -1
	}
	state := func(e ep) string {
		b := bracket(e.dob, e.start)
		if b < 0 {
			return ""
		}
		return fmt.Sprintf("%d/%s", b, CompatCategoryOf(e.place))
	}
	stockOn := func(d time.Time) map[string]float64 {
		s := map[string]float64{}
		for _, e := range all {
			if st := state(e); st != "" && !e.start.After(d) && endOf(e).After(d) {
				s[st]++
			}
		}
		return s
	}
	nDays := int(to.Sub(from).Hours() / 24)
	rates := map[string]map[string]float64{}
	add := func(a, b string, v float64) {
		if rates[a] == nil {
			rates[a] = map[string]float64{}
		}
		rates[a][b] += v
	}
	entrants := map[string]float64{}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		prev := stockOn(d.AddDate(0, 0, -1))
		moves := map[[2]string]float64{}
		for _, e := range all {
			st := state(e)
			if st == "" {
				continue
			}
			if e.end.Equal(d) {
				dst := "NIC"
				for _, f := range all {
					if f.child == e.child && f.start.Equal(d) && state(f) != "" {
						dst = state(f)
					}
				}
				if dst != st {
					moves[[2]string{st, dst}]++
				}
			}
			if e.start.Equal(d) {
				cont := false
				for _, f := range all {
					if f.child == e.child && f.end.Equal(d) {
						cont = true
					}
				}
				if !cont {
					entrants[st] += 1 / float64(nDays)
				}
			}
		}
		for k, v := range moves {
			if prev[k[0]] > 0 {
				add(k[0], k[1], v/prev[k[0]]/float64(nDays))
			}
		}
	}
	cats := []string{"Fostering", "Residential", "Supported", "Other"}
	for b := 0; b < 5; b++ {
		for _, c := range cats {
			from := fmt.Sprintf("%d/%s", b, c)
			r := 1 / ((brackets[b+1] - brackets[b]) * 365.24)
			if b < 4 {
				add(from, fmt.Sprintf("%d/%s", b+1, c), r)
			} else {
				add(from, "NIC", r)
			}
		}
	}
	pop := stockOn(to)
	var out []map[string]float64
	d := to
	for m := 1; m <= months; m++ {
		// Month ends from the as-of date: the as-of month's own end first
		// when the as-of date is inside its month.
		target := time.Date(to.Year(), to.Month()+time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
		if to.AddDate(0, 0, 1).Day() != 1 {
			target = time.Date(to.Year(), to.Month()+time.Month(m), 0, 0, 0, 0, 0, time.UTC)
		}
		for d.Before(target) {
			next := map[string]float64{}
			for s, v := range pop {
				next[s] += v
			}
			for s, v := range pop {
				var tot float64
				for _, r := range rates[s] {
					tot += r
				}
				if tot == 0 {
					continue
				}
				out := v * math.Min(tot, 1)
				next[s] -= out
				for dst, r := range rates[s] {
					if dst != "NIC" {
						next[dst] += out * r / tot
					}
				}
			}
			for s, v := range entrants {
				next[s] += v
			}
			pop = next
			d = d.AddDate(0, 0, 1)
		}
		snap := map[string]float64{}
		for s, v := range pop {
			snap[s] = v
		}
		out = append(out, snap)
	}
	return out
}

// randomHistory is a small messy history: overlapping and same-day
// episodes, re-entries, K3 and Z11 codes.
func randomHistory(seed uint64, children int) []Episode {
	r := rand.New(rand.NewPCG(seed, 1))
	places := []string{"U1", "U4", "U6", "K2", "R1", "H5", "P2", "K3", "Z11", "A4", "P1"}
	var eps []Episode
	base := day("2023-01-01")
	for i := range children {
		id := fmt.Sprintf("c%03d", i)
		dob := base.AddDate(0, 0, -r.IntN(19*365))
		t := base.AddDate(0, 0, r.IntN(700))
		for range 1 + r.IntN(4) {
			e := Episode{Child: id, DOB: dob, Start: t, Place: places[r.IntN(len(places))]}
			if r.IntN(5) > 0 {
				e.End = t.AddDate(0, 0, 5+r.IntN(300))
				t = e.End
				if r.IntN(4) == 0 {
					t = t.AddDate(0, 0, r.IntN(60)) // a gap: the next is a re-entry
				}
				if r.IntN(10) == 0 {
					t = t.AddDate(0, 0, -3) // an overlap to be cut back
				}
			}
			if e.Start.Before(dob) {
				continue
			}
			eps = append(eps, e)
			if e.End.IsZero() {
				break
			}
		}
	}
	return eps
}

// TestCompatReproducesAnchorMethod is the compatibility check: on the same
// messy episodes, the compatibility mode and the naive reference give the
// same expected counts in every state, each month, for a year.
func TestCompatReproducesAnchorMethod(t *testing.T) {
	eps := randomHistory(3, 120)
	// From a month end, and from a day inside a month (its first month end
	// is that month's: 30 September from the 15th, after 15 daily steps).
	for _, to := range []time.Time{day("2024-09-30"), day("2024-09-15")} {
		from := to.AddDate(0, -6, 0)
		m, err := FitCompat(eps, from, to)
		if err != nil {
			t.Fatal(err)
		}
		f, err := m.Project(12, 1)
		if err != nil {
			t.Fatal(err)
		}
		if f.Start < 20 {
			t.Fatalf("only %.0f children in care at the start; the test needs a real population", f.Start)
		}
		if want := StepEnd(to, 1); !f.Months[0].Date.Equal(want) {
			t.Errorf("as of %s: first month end %s; want %s", to.Format(time.DateOnly), f.Months[0].Date.Format(time.DateOnly), want.Format(time.DateOnly))
		}
		ref := anchorReference(eps, from, to, 12)
		for i, mo := range f.Months {
			for b := range NumAgeBands {
				for c := range Category(NumCategories) {
					want := ref[i][fmt.Sprintf("%d/%s", b, c)]
					if got := mo.Mix[c][b]; !near(got, want, 1e-9*math.Max(1, want)) {
						t.Errorf("as of %s, month %d, bracket %s, %s: compat %.9f; reference %.9f", to.Format(time.DateOnly), i+1, CompatBracketNames[b], c, got, want)
					}
				}
			}
		}
	}
	// The anchor's weakness kept on purpose: K3 is Other in compat mode.
	if CompatCategoryOf("K3") != Other || CategoryOf("K3") != Supported {
		t.Error("K3: compat mode should put it in Other, Hearth's model in Supported")
	}
}

// TestCompatByHand: one state, no moves but leaving: 10 children aged 12
// (bracket 10–16) in fostering on the window's last day; in the window an
// eleventh left, on one day of a 10-day window, when the stock the day before
// was 11, so the rate out is (1/11)/10 = 1/110 a day, plus ageing
// 1/(6×365.24) = 1/2191.44. One day later:
//
//	10 × (1 − 1/110 − 1/2191.44) = 9.904528…  in 10–16, and
//	10 × 1/2191.44 = 0.004563… aged into 16–30.
func TestCompatByHand(t *testing.T) {
	var eps []Episode
	dob := day("2012-01-01")
	for i := range 10 {
		eps = append(eps, Episode{Child: fmt.Sprint("k", i), DOB: dob, Start: day("2024-06-01"), Place: "U4"})
	}
	eps = append(eps, Episode{Child: "gone", DOB: dob, Start: day("2024-06-01"), End: day("2024-09-25"), Place: "U4", Reason: "E4A"})
	m, err := FitCompat(eps, day("2024-09-20"), day("2024-09-30"))
	if err != nil {
		t.Fatal(err)
	}
	ageing := 1 / (6 * 365.24)
	s := 3*NumCategories + int(Fostering)
	if got := m.Rates[s][compatNIC]; !near(got, 1.0/110, 1e-12) {
		t.Errorf("rate out of 10–16 fostering = %g; want 1/110", got)
	}
	pop := m.compatStep(m.Start, 1)
	if want := 10 * (1 - 1.0/110 - ageing); !near(pop[s], want, 1e-9) {
		t.Errorf("after a day: %.9f in 10–16 fostering; want %.9f", pop[s], want)
	}
	if want := 10 * ageing; !near(pop[s+NumCategories], want, 1e-9) {
		t.Errorf("after a day: %.9f in 16–30 fostering; want %.9f", pop[s+NumCategories], want)
	}
}
