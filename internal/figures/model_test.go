package figures_test

import (
	"math"
	"sort"
	"time"
)

// The model: what each figure should be, worked out from the definitions in
// docs/ with nothing from the production code.
//
//   - A child is in care on a day when an episode is open that day. An
//     episode runs from its start (DECOM) to the day before its end (DEC):
//     the end is the day the next episode starts, or the first day out of care.
//   - A placement is a run of episodes; every episode starts one except one
//     that only changes the legal status (decisions.md 15).
//   - The cost of a child on a day is the cost of the placement open that
//     day: of the costs recorded for that placement, the one from the latest
//     date on or before the day (design.md §9). Nothing else.
//   - Need score is the sum of the levels; the band is complex if any domain
//     is 4 or three or more are 3, high if one or two are 3, medium if any is
//     2, low otherwise (design.md §4). A child's assessment on a day is the
//     latest approved one dated by then, leaving out any that an approved
//     correction dated by then replaces (decisions.md 26).
//   - Step-down and the cost of delay as design.md §5 and delay-model.md say.

type episode struct {
	start       time.Time
	end         *time.Time
	rne, legal  string
	place       int
	rec, reason string
	urn         string
}

type entry struct {
	from   time.Time
	weekly int64
}

type tplacement struct {
	start time.Time
	end   *time.Time
	place int
	costs []entry
	form  bool // started by a move on the web form
}

// open says whether the placement (or episode) is open on a day.
func open(start time.Time, end *time.Time, d time.Time) bool {
	return !start.After(d) && (end == nil || end.After(d))
}

// episodes is the child's whole record: the returns' episodes, then the web
// form's moves while the child is in care.
func (k kidSpec) episodes(fam, kid int) []episode {
	// Every placement type used is registered with Ofsted in England (rule
	// 218): agency carers and homes, and the council's own fostering service.
	urn := func(p, n int) string {
		base := 100000
		if places[p].provider == "PR1" {
			base = 500000 // the council's fostering service's carers
		}
		return "SC" + itoa6(base+(fam*7+kid*3+n*11)%400000)
	}
	eps := []episode{{start: k.start, rne: "S", legal: k.legal, place: k.place, urn: urn(k.place, 0)}}
	in := true
	cur := func() *episode { return &eps[len(eps)-1] }
	for n, e := range k.life {
		switch {
		case e.kind == "enter" && !in && e.on.After(*cur().end):
			eps = append(eps, episode{start: e.on, rne: "S", legal: "V2", place: e.place, urn: urn(e.place, n+1)})
			in = true
		case !in || e.kind == "enter" || !e.on.After(cur().start):
		case e.kind == "move":
			c := cur()
			c.end, c.rec, c.reason = ptr(e.on), "X1", "CARPL"
			eps = append(eps, episode{start: e.on, rne: "P", legal: c.legal, place: e.place, urn: urn(e.place, n+1)})
		case e.kind == "legal" && cur().legal == "C1":
			c := cur()
			c.end, c.rec = ptr(e.on), "X1"
			eps = append(eps, episode{start: e.on, rne: "L", legal: "C2", place: c.place, urn: c.urn})
		case e.kind == "leave":
			c := cur()
			c.end, c.rec, c.reason = ptr(e.on), "E13", "CARPL"
			in = false
		}
	}
	for _, m := range k.moves {
		if !in || !m.on.After(cur().start) {
			continue
		}
		c := cur()
		c.end, c.rec, c.reason = ptr(m.on), "X1", "CARPL"
		eps = append(eps, episode{start: m.on, rne: "P", legal: c.legal, place: m.place})
	}
	return eps
}

func itoa6(n int) string {
	b := []byte("000000")
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

// placementsOf groups episodes: each starts a placement unless it only
// changed the legal status.
func placementsOf(eps []episode) []tplacement {
	var out []tplacement
	for _, e := range eps {
		if e.rne != "L" || len(out) == 0 {
			out = append(out, tplacement{start: e.start, place: e.place, form: e.start.After(yearEnd2)})
		}
		out[len(out)-1].end = e.end
	}
	return out
}

// assessment is one the run applied, in the order it applied them.
type assessment struct {
	index    int // in the family's list
	seq      int
	on       time.Time
	levels   [12]int32
	approved bool
	corrects int
}

// oracle is the model's state for one family.
type oracle struct {
	f      family
	eps    [][]episode
	places [][]tplacement
	assess [][]assessment // per child
	seq    int
}

func newOracle(f family) *oracle {
	o := &oracle{f: f}
	for i, k := range f.kids {
		eps := k.episodes(f.id, i)
		o.eps = append(o.eps, eps)
		o.places = append(o.places, placementsOf(eps))
		o.assess = append(o.assess, nil)
	}
	return o
}

func (o *oracle) placementOn(kid int, d time.Time) *tplacement {
	for i := range o.places[kid] {
		p := &o.places[kid][i]
		if open(p.start, p.end, d) {
			return p
		}
	}
	return nil
}

func (o *oracle) inCare(kid int, d time.Time) bool { return o.placementOn(kid, d) != nil }

// known says whether Hearth holds the placement at a time: a return's
// placements from when it is loaded, a form's from the move.
func known(p *tplacement, at time.Time) bool {
	switch {
	case p.form:
		return !at.Before(p.start)
	case !p.start.After(yearEnd1):
		return !at.Before(return1)
	case !p.start.After(yearEnd2):
		return !at.Before(return2)
	}
	return false
}

// acceptCost decides whether a cost op makes sense, and records it.
func (o *oracle) acceptCost(c costOp) (*tplacement, bool) {
	p := o.placementOn(c.kid, c.on)
	if p == nil || !known(p, c.at) {
		return nil, false
	}
	for _, e := range p.costs {
		if !e.from.Before(c.on) {
			return nil, false
		}
	}
	p.costs = append(p.costs, entry{c.on, c.weekly})
	return p, true
}

// acceptCensus: a census row is for a child in care on its date whom Hearth
// holds in care when it is loaded (before the 2025/26 return).
func (o *oracle) acceptCensus(c censusRow) bool {
	d := censuses[c.census].on
	p := o.placementOn(c.kid, d)
	if p == nil || !o.inCare(c.kid, yearEnd1) {
		return false
	}
	var kept []entry
	for _, e := range p.costs {
		if !e.from.Equal(d) {
			kept = append(kept, e)
		}
	}
	p.costs = append(kept, entry{d, c.weekly})
	return true
}

func (o *oracle) acceptMove(kid int, m formMove) (*tplacement, bool) {
	p := o.placementOn(kid, m.on)
	if p == nil || !p.start.Equal(m.on) || !p.form {
		return nil, false
	}
	if m.weekly > 0 {
		p.costs = append(p.costs, entry{m.on, m.weekly})
	}
	return p, true
}

// acceptAssess decides whether an assessment can be written as the op says
// (a correction needs what it corrects to be approved), and records it.
func (o *oracle) acceptAssess(i int) bool {
	a := o.f.assess[i]
	if a.flow == "dropped" || a.corrects == -2 {
		return false
	}
	if a.corrects >= 0 {
		ok := false
		for _, x := range o.assess[a.kid] {
			ok = ok || x.index == a.corrects && x.approved
		}
		if !ok {
			return false
		}
	}
	o.seq++
	o.assess[a.kid] = append(o.assess[a.kid], assessment{index: i, seq: o.seq, on: a.on, levels: a.levels,
		approved: a.flow == "approve" || a.flow == "return-approve", corrects: a.corrects})
	return true
}

// cost is the child's weekly cost on a day, in pence, and whether there is one.
func (o *oracle) cost(kid int, d time.Time) (int64, bool) {
	p := o.placementOn(kid, d)
	if p == nil {
		return 0, false
	}
	var best *entry
	for i := range p.costs {
		e := &p.costs[i]
		if !e.from.After(d) && (best == nil || e.from.After(best.from)) {
			best = e
		}
	}
	if best == nil {
		return 0, false
	}
	return best.weekly, true
}

// current is the child's assessment in force on a day, if any.
func (o *oracle) current(kid int, d time.Time) *assessment {
	var best *assessment
	for i := range o.assess[kid] {
		a := &o.assess[kid][i]
		if !a.approved || a.on.After(d) {
			continue
		}
		replaced := false
		for _, c := range o.assess[kid] {
			replaced = replaced || c.approved && c.corrects == a.index && !c.on.After(d)
		}
		if replaced {
			continue
		}
		if best == nil || a.on.After(best.on) || a.on.Equal(best.on) && a.seq > best.seq {
			best = a
		}
	}
	return best
}

func score(l [12]int32) int32 {
	var s int32
	for _, x := range l {
		s += x
	}
	return s
}

func band(l [12]int32) string {
	threes, two, four := 0, false, false
	for _, x := range l {
		threes += map[bool]int{true: 1}[x == 3]
		two = two || x == 2
		four = four || x == 4
	}
	switch {
	case four || threes >= 3:
		return "complex"
	case threes > 0:
		return "high"
	case two:
		return "medium"
	}
	return "low"
}

// childFigures is one child's figures on a day.
type childFigures struct {
	inCare   bool
	weekly   int64 // −1 when none
	assessed bool
	score    int32
	band     string
	place    int
}

func (o *oracle) child(kid int, d time.Time) childFigures {
	p := o.placementOn(kid, d)
	if p == nil {
		return childFigures{weekly: -1}
	}
	c := childFigures{inCare: true, weekly: -1, place: p.place}
	if w, ok := o.cost(kid, d); ok {
		c.weekly = w
	}
	if a := o.current(kid, d); a != nil {
		c.assessed, c.score, c.band = true, score(a.levels), band(a.levels)
	}
	return c
}

// median is the middle value, halfway between the two middle ones for an
// even count.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// cohortFigures are the council's figures on a day.
type cohortFigures struct {
	n, costed, assessed int
	bands               map[string]int
	familyMedian        map[string]float64 // pounds a week
	stepDown            float64            // pounds a year
}

func cohort(models []*oracle, d time.Time) cohortFigures {
	c := cohortFigures{bands: map[string]int{}, familyMedian: map[string]float64{}}
	var kids []childFigures
	for _, o := range models {
		for k := range o.f.kids {
			if x := o.child(k, d); x.inCare {
				kids = append(kids, x)
			}
		}
	}
	family := map[string][]float64{}
	for _, k := range kids {
		c.n++
		if k.weekly >= 0 {
			c.costed++
		}
		if k.assessed {
			c.assessed++
			c.bands[k.band]++
		}
		if k.assessed && k.weekly >= 0 && places[k.place].family {
			family[k.band] = append(family[k.band], float64(k.weekly)/100)
		}
	}
	for b, xs := range family {
		c.familyMedian[b] = median(xs)
	}
	// Step-down: children's homes (K1, K2) with low or medium needs, saving
	// (their weekly cost − the family-based median for their band) × 52.
	for _, k := range kids {
		m, ok := c.familyMedian[k.band]
		if places[k.place].code != "K2" || !k.assessed || k.weekly < 0 || (k.band != "low" && k.band != "medium") || !ok {
			continue
		}
		if s := (float64(k.weekly)/100 - m) * 52; s > 0 {
			c.stepDown += s
		}
	}
	return c
}

// Delay: the national defaults of delay-model.md.
const (
	targetWeeks      = 26
	standardHearings = 3
	perHearing       = 1500_00
	socialWorkWeekly = 2 * 50_00
	contactPerChild  = 3 * 40_00
	defaultPlacement = 1000_00
)

type delayFigures struct {
	included        bool
	placementWeekly int64
	total           int64
}

// delay is the family's case's cost of delay for a period, as of asOf.
func (o *oracle) delay(from, to, asOf time.Time) delayFigures {
	c := o.f.proceed
	if c == nil || c.issued.After(to) || c.concluded != nil && c.concluded.Before(from) {
		return delayFigures{}
	}
	end := asOf
	if c.concluded != nil && !c.concluded.After(asOf) {
		end = *c.concluded
	}
	weeks := end.Sub(c.issued).Hours() / 24 / 7
	over := math.Max(0, weeks-targetWeeks)
	win := c.issued
	if over > 0 {
		win = c.issued.AddDate(0, 0, 7*targetWeeks)
	}
	f := delayFigures{included: true}
	for k := range o.f.kids {
		// Each day costs the placement open that day: its recorded cost, the
		// default when it has none, nothing when the child is not in care.
		var days, sum float64
		for d := win; d.Before(end); d = d.AddDate(0, 0, 1) {
			days++
			if w, ok := o.cost(k, d); ok {
				sum += float64(w)
			} else if o.inCare(k, d) {
				sum += defaultPlacement
			}
		}
		if days == 0 {
			f.placementWeekly += defaultPlacement
		} else {
			f.placementWeekly += int64(math.Round(sum / days))
		}
	}
	weekly := f.placementWeekly + socialWorkWeekly + contactPerChild*int64(len(o.f.kids))
	counted := 0
	for _, h := range c.hearings {
		if !h.on.After(asOf) && h.outcome != "vacated" {
			counted++
		}
	}
	var experts int64
	for _, e := range c.experts {
		if !e.on.After(asOf) {
			experts += e.pence
		}
	}
	f.total = int64(math.Round(over*float64(weekly))) + int64(max(0, counted-standardHearings))*perHearing + experts
	return f
}
