package figures_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// A history is one family: one or two children who come into care in
// 2024/25, with what happens to them until 1 December 2026 ("today"), as the
// council records it. Every part of it is a unit the shrinker can drop; a unit
// that no longer makes sense once others are gone (a move after leaving care,
// a correction of an assessment that was dropped) is skipped, by the run and
// by the model alike.

var (
	today    = day("2026-12-01")
	return1  = day("2025-05-01") // the 2024/25 SSDA903 return is loaded
	return2  = day("2026-04-08") // the 2025/26 return
	yearEnd1 = day("2025-03-31")
	yearEnd2 = day("2026-03-31")
	// Cost censuses: the date each describes, and when it is loaded.
	censuses = []struct{ on, at time.Time }{{day("2025-09-30"), day("2025-10-15")}, {day("2026-03-31"), day("2026-04-05")}}
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ds(t time.Time) string { return t.Format(time.DateOnly) }

// place is a placement type the histories use, with its group as commissioners
// name them (design.md §5: family-based care is foster or kinship care).
type place struct {
	code, provider, group string
	family                bool
}

var places = []place{
	{"U4", "PR1", "In-house foster care", true},
	{"U6", "PR4", "Agency foster care", true},
	{"K2", "PR4", "Children's home", false},
	{"U3", "PR1", "Kinship care", true},
}

// lifeEvent is something a return reports: a move, a change of legal status
// (interim to full care order), leaving care, or coming back into care.
type lifeEvent struct {
	on    time.Time
	kind  string // move, legal, leave, enter
	place int
}

// formMove is a move recorded on the web form in 2026/27, with the new
// placement's weekly cost when the form gives one.
type formMove struct {
	on     time.Time
	place  int
	weekly int64 // pence; 0 when not given
}

type kidSpec struct {
	dob    time.Time
	start  time.Time
	place  int
	legal  string // C1 or V2
	life   []lifeEvent
	moves  []formMove
	ehc    bool
	sexMF  string
	domain int // for the UPN
}

// costOp records, on the child's page at `at`, the weekly cost from `on` of
// the placement the child is in on that day.
type costOp struct {
	kid    int
	on, at time.Time
	weekly int64
}

// censusRow is a child's line in one of the two cost censuses.
type censusRow struct {
	kid, census int
	weekly      int64
}

// assessOp is a needs assessment: written, submitted and then approved,
// returned and approved, left submitted, or returned. corrects is the index
// of an earlier assessment of the same child this one corrects, or -1.
type assessOp struct {
	kid      int
	on, at   time.Time
	levels   [12]int32
	flow     string // approve, return-approve, submitted, returned
	corrects int
}

type hearingSpec struct {
	on            time.Time
	kind, outcome string
}

type expertSpec struct {
	on    time.Time
	pence int64
}

type caseSpec struct {
	issued    time.Time
	concluded *time.Time
	hearings  []hearingSpec
	experts   []expertSpec
}

type family struct {
	id      int
	kids    []kidSpec
	costs   []costOp
	census  []censusRow
	assess  []assessOp
	proceed *caseSpec
}

func randDay(r *rand.Rand, from, to time.Time) time.Time {
	n := int(to.Sub(from).Hours() / 24)
	if n <= 0 {
		return from
	}
	return from.AddDate(0, 0, r.IntN(n+1))
}

func genFamily(r *rand.Rand, id int) family {
	f := family{id: id}
	n := 1
	if r.Float64() < 0.3 {
		n = 2 // siblings, in one case
	}
	start := randDay(r, day("2024-04-01"), day("2025-02-28"))
	for i := range n {
		k := kidSpec{dob: randDay(r, day("2009-06-01"), day("2022-12-31")), start: start, place: r.IntN(len(places)),
			legal: []string{"C1", "V2"}[r.IntN(2)], ehc: r.Float64() < 0.2, sexMF: []string{"M", "F"}[r.IntN(2)], domain: r.IntN(1000)}
		if i > 0 && r.Float64() < 0.5 {
			k.start = start.AddDate(0, 0, r.IntN(60))
		}
		if k.dob.After(k.start) {
			k.dob = k.start.AddDate(-1, 0, 0)
		}
		in := true
		for on := k.start.AddDate(0, 0, 20+r.IntN(150)); on.Before(yearEnd2); on = on.AddDate(0, 0, 20+r.IntN(180)) {
			e := lifeEvent{on: on, place: r.IntN(len(places))}
			switch x := r.Float64(); {
			case !in:
				e.kind, in = "enter", true
			case x < 0.55:
				e.kind = "move"
			case x < 0.75:
				e.kind = "legal"
			default:
				e.kind, in = "leave", false
			}
			k.life = append(k.life, e)
		}
		for on := day("2026-04-10").AddDate(0, 0, r.IntN(60)); on.Before(day("2026-11-25")); on = on.AddDate(0, 0, 30+r.IntN(150)) {
			if r.Float64() < 0.6 {
				m := formMove{on: on, place: r.IntN(len(places))}
				if r.Float64() < 0.6 {
					m.weekly = weekly(r, m.place)
				}
				k.moves = append(k.moves, m)
			}
		}
		f.kids = append(f.kids, k)
	}
	for ki, k := range f.kids {
		for range 1 + r.IntN(4) {
			on := randDay(r, k.start, day("2026-11-28"))
			skip := false
			for _, c := range censuses { // see costOp: a cost just after a census, entered before it, is another story
				skip = skip || on.After(c.on) && on.Before(c.on.AddDate(0, 0, 21))
			}
			if skip {
				continue
			}
			f.costs = append(f.costs, costOp{kid: ki, on: on, at: on.AddDate(0, 0, r.IntN(30)), weekly: weekly(r, r.IntN(len(places)))})
		}
		for c := range censuses {
			if r.Float64() < 0.6 {
				f.census = append(f.census, censusRow{kid: ki, census: c, weekly: weekly(r, r.IntN(len(places)))})
			}
		}
		var mine []int
		for range r.IntN(4) {
			a := assessOp{kid: ki, on: randDay(r, k.start, day("2026-11-20")), corrects: -1,
				flow: []string{"approve", "approve", "approve", "return-approve", "submitted", "returned"}[r.IntN(6)]}
			if len(mine) > 0 && r.Float64() < 0.35 {
				a.corrects = mine[r.IntN(len(mine))]
				// A correction may be dated before or after what it corrects.
				a.on = f.assess[a.corrects].on.AddDate(0, 0, r.IntN(121)-60)
				if a.on.Before(k.start) {
					a.on = k.start
				}
				a.flow = []string{"approve", "approve", "submitted"}[r.IntN(3)]
			}
			a.at = a.on.AddDate(0, 0, r.IntN(20))
			if a.corrects >= 0 && !a.at.After(f.assess[a.corrects].at) {
				a.at = f.assess[a.corrects].at.AddDate(0, 0, 1+r.IntN(10))
			}
			if a.on.After(day("2026-11-25")) {
				a.on = day("2026-11-25")
			}
			if a.at.Before(a.on) {
				a.at = a.on
			}
			if a.at.After(today) {
				a.at = today
			}
			for d := range a.levels {
				a.levels[d] = int32([]int{0, 0, 1, 1, 1, 2, 2, 3, 4}[r.IntN(9)])
			}
			f.assess = append(f.assess, a)
			mine = append(mine, len(f.assess)-1)
		}
	}
	if r.Float64() < 0.5 {
		c := &caseSpec{issued: randDay(r, start.AddDate(0, -3, 0), day("2026-06-30"))}
		if x := c.issued.AddDate(0, 0, 100+r.IntN(400)); r.Float64() < 0.7 && x.Before(today) {
			c.concluded = &x
		}
		end := today.AddDate(0, 0, -1)
		if c.concluded != nil {
			end = *c.concluded
		}
		for range 1 + r.IntN(7) {
			c.hearings = append(c.hearings, hearingSpec{on: randDay(r, c.issued, end), kind: []string{"cmh", "fcmh", "fcmh", "irh", "final", "other"}[r.IntN(6)],
				outcome: []string{"effective", "effective", "effective", "adjourned", "vacated"}[r.IntN(5)]})
		}
		for range r.IntN(3) {
			c.experts = append(c.experts, expertSpec{on: randDay(r, c.issued, end), pence: int64(2000+r.IntN(40000)) * 100})
		}
		f.proceed = c
	}
	return f
}

// weekly is a weekly cost in pence near the market for a placement type; odd
// pennies keep two costs from being equal by chance.
func weekly(r *rand.Rand, p int) int64 {
	base := []int64{450, 950, 5200, 300}[p]
	return base*100*int64(70+r.IntN(60))/100 + int64(r.IntN(100))
}

// units lists what the shrinker may drop, as closures that remove one unit.
func (f family) units() []func(family) family {
	var out []func(family) family
	if len(f.kids) > 1 {
		out = append(out, func(g family) family {
			g.kids = g.kids[:1]
			g.costs = filter(g.costs, func(c costOp) bool { return c.kid == 0 })
			g.census = filter(g.census, func(c censusRow) bool { return c.kid == 0 })
			keep := map[int]int{}
			var as []assessOp
			for i, a := range g.assess {
				if a.kid == 0 {
					keep[i] = len(as)
					as = append(as, a)
				}
			}
			for i := range as {
				if as[i].corrects >= 0 {
					if j, ok := keep[as[i].corrects]; ok {
						as[i].corrects = j
					} else {
						as[i].corrects = -2 // corrects something dropped: skipped
					}
				}
			}
			g.assess = as
			return g
		})
	}
	if f.proceed != nil {
		out = append(out, func(g family) family { g.proceed = nil; return g })
		for i := range f.proceed.hearings {
			out = append(out, func(g family) family {
				c := *g.proceed
				c.hearings = without(c.hearings, i)
				g.proceed = &c
				return g
			})
		}
		for i := range f.proceed.experts {
			out = append(out, func(g family) family {
				c := *g.proceed
				c.experts = without(c.experts, i)
				g.proceed = &c
				return g
			})
		}
	}
	for i, a := range f.assess {
		if a.flow == "dropped" {
			continue
		}
		out = append(out, func(g family) family {
			g.assess = append([]assessOp(nil), g.assess...)
			g.assess[i].flow = "dropped"
			return g
		})
	}
	for i := range f.costs {
		out = append(out, func(g family) family { g.costs = without(g.costs, i); return g })
	}
	for i := range f.census {
		out = append(out, func(g family) family { g.census = without(g.census, i); return g })
	}
	for ki, k := range f.kids {
		for i := range k.life {
			out = append(out, func(g family) family {
				g.kids = append([]kidSpec(nil), g.kids...)
				g.kids[ki].life = without(g.kids[ki].life, i)
				return g
			})
		}
		for i := range k.moves {
			out = append(out, func(g family) family {
				g.kids = append([]kidSpec(nil), g.kids...)
				g.kids[ki].moves = without(g.kids[ki].moves, i)
				return g
			})
		}
	}
	return out
}

func filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func without[T any](xs []T, i int) []T {
	out := append([]T(nil), xs[:i]...)
	return append(out, xs[i+1:]...)
}

// size is how many units a family has, for "shortest".
func (f family) size() int { return len(f.units()) + len(f.kids) }

func (f family) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "family %d:\n", f.id)
	for i, k := range f.kids {
		fmt.Fprintf(&b, "  child %d: born %s, into care %s in %s (%s), legal status %s\n", i, ds(k.dob), ds(k.start), places[k.place].code, places[k.place].group, k.legal)
		for _, e := range k.life {
			fmt.Fprintf(&b, "    %s %s", ds(e.on), e.kind)
			if e.kind == "move" || e.kind == "enter" {
				fmt.Fprintf(&b, " to %s", places[e.place].code)
			}
			b.WriteString(" (SSDA903 return)\n")
		}
		for _, m := range k.moves {
			fmt.Fprintf(&b, "    %s move to %s on the web form", ds(m.on), places[m.place].code)
			if m.weekly > 0 {
				fmt.Fprintf(&b, " with a weekly cost of %s", pounds(m.weekly))
			}
			b.WriteString("\n")
		}
	}
	for _, c := range f.costs {
		fmt.Fprintf(&b, "  child %d: weekly cost %s from %s, entered %s\n", c.kid, pounds(c.weekly), ds(c.on), ds(c.at))
	}
	for _, c := range f.census {
		fmt.Fprintf(&b, "  child %d: census of %s says %s\n", c.kid, ds(censuses[c.census].on), pounds(c.weekly))
	}
	for i, a := range f.assess {
		if a.flow == "dropped" {
			continue
		}
		fmt.Fprintf(&b, "  child %d: assessment %d dated %s, %s, levels %v", a.kid, i, ds(a.on), a.flow, a.levels)
		if a.corrects >= 0 {
			fmt.Fprintf(&b, ", correcting assessment %d", a.corrects)
		}
		b.WriteString("\n")
	}
	if c := f.proceed; c != nil {
		fmt.Fprintf(&b, "  case issued %s", ds(c.issued))
		if c.concluded != nil {
			fmt.Fprintf(&b, ", concluded %s", ds(*c.concluded))
		}
		b.WriteString("\n")
		hs := append([]hearingSpec(nil), c.hearings...)
		sort.Slice(hs, func(i, j int) bool { return hs[i].on.Before(hs[j].on) })
		for _, h := range hs {
			fmt.Fprintf(&b, "    hearing %s %s %s\n", ds(h.on), h.kind, h.outcome)
		}
		for _, e := range c.experts {
			fmt.Fprintf(&b, "    expert commissioned %s, %s\n", ds(e.on), pounds(e.pence))
		}
	}
	return b.String()
}

func pounds(p int64) string { return fmt.Sprintf("£%d.%02d", p/100, p%100) }
