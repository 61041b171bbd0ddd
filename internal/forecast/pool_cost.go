package forecast

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// The regional forecast prices, sizes and compares its demand from what
// member councils share, never from their children's records. The cost
// model is a function of sums over children alike in category × need band
// × age band (and, for the foster carer lever, commissioning group), and
// the compatibility mode of the daily stock and moves per state; so, as for
// the demand model (pool.go), each council works these sums out inside its
// own scope, the region adds them, and the result is exactly what the
// pooled records would give (TestCostInputsEqualPooledSamples,
// TestSumCompatEqualsPooledFit).

// CostCell is the summed weekly costs of a council's children in care who
// are alike in category, need band and age band. Money is pence a week.
type CostCell struct {
	Category   Category `json:"category"`
	NeedBand   string   `json:"need_band"`
	Band       AgeBand  `json:"band"`
	Children   int      `json:"children"`
	Weekly     float64  `json:"weekly"`
	SocialCare float64  `json:"social_care"`
	Education  float64  `json:"education"`
	Health     float64  `json:"health"`
}

// GroupCost is the summed weekly costs of the children in one commissioning
// group (in-house or agency fostering...), for the foster carer lever.
type GroupCost struct {
	Group      string  `json:"group"`
	Children   int     `json:"children"`
	Weekly     float64 `json:"weekly"`
	SocialCare float64 `json:"social_care"`
	Education  float64 `json:"education"`
	Health     float64 `json:"health"`
}

// CostInputs are the sums the cost model is made from.
type CostInputs struct {
	Cells  []CostCell  `json:"cells"`
	Groups []GroupCost `json:"groups"`
}

// CostInputsOf sums samples into cells and groups.
func CostInputsOf(samples []CostSample) CostInputs {
	type key struct {
		c    Category
		need string
		b    AgeBand
	}
	cells := map[key]*CostCell{}
	groups := map[string]*GroupCost{}
	for _, s := range samples {
		k := key{s.Category, s.NeedBand, s.Band}
		c := cells[k]
		if c == nil {
			c = &CostCell{Category: s.Category, NeedBand: s.NeedBand, Band: s.Band}
			cells[k] = c
		}
		c.Children++
		c.Weekly += float64(s.Weekly)
		c.SocialCare += float64(s.SocialCare)
		c.Education += float64(s.Education)
		c.Health += float64(s.Health)
		g := groups[s.Group]
		if g == nil {
			g = &GroupCost{Group: s.Group}
			groups[s.Group] = g
		}
		g.Children++
		g.Weekly += float64(s.Weekly)
		g.SocialCare += float64(s.SocialCare)
		g.Education += float64(s.Education)
		g.Health += float64(s.Health)
	}
	var out CostInputs
	for _, c := range cells {
		out.Cells = append(out.Cells, *c)
	}
	for _, g := range groups {
		out.Groups = append(out.Groups, *g)
	}
	out.sort()
	return out
}

func (in *CostInputs) sort() {
	slices.SortFunc(in.Cells, func(a, b CostCell) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.NeedBand, b.NeedBand), cmp.Compare(a.Band, b.Band))
	})
	slices.SortFunc(in.Groups, func(a, b GroupCost) int { return cmp.Compare(a.Group, b.Group) })
}

// SumCostInputs adds councils' cost inputs.
func SumCostInputs(ins ...CostInputs) CostInputs {
	var all []CostCell
	var groups []GroupCost
	for _, in := range ins {
		all = append(all, in.Cells...)
		groups = append(groups, in.Groups...)
	}
	type key struct {
		c    Category
		need string
		b    AgeBand
	}
	cells := map[key]*CostCell{}
	var out CostInputs
	for _, c := range all {
		k := key{c.Category, c.NeedBand, c.Band}
		if s := cells[k]; s != nil {
			s.Children += c.Children
			s.Weekly += c.Weekly
			s.SocialCare += c.SocialCare
			s.Education += c.Education
			s.Health += c.Health
			continue
		}
		cc := c
		cells[k] = &cc
	}
	gs := map[string]*GroupCost{}
	for _, g := range groups {
		if s := gs[g.Group]; s != nil {
			s.Children += g.Children
			s.Weekly += g.Weekly
			s.SocialCare += g.SocialCare
			s.Education += g.Education
			s.Health += g.Health
			continue
		}
		gg := g
		gs[g.Group] = &gg
	}
	for _, c := range cells {
		out.Cells = append(out.Cells, *c)
	}
	for _, g := range gs {
		out.Groups = append(out.Groups, *g)
	}
	out.sort()
	return out
}

// Check says what is wrong with cost inputs read from outside, by cell.
func (in CostInputs) Check() error {
	var errs []error
	bad := func(v float64) bool { return v < 0 || v != v || v > 1e13 }
	for i, c := range in.Cells {
		if c.Category < 0 || c.Category >= NumCategories || c.Band < 0 || c.Band >= NumAgeBands {
			errs = append(errs, fmt.Errorf("cost cell %d: category %d, age band %d out of range", i+1, c.Category, c.Band))
			continue
		}
		if c.Children <= 0 || bad(c.Weekly) || bad(c.SocialCare) || bad(c.Education) || bad(c.Health) {
			errs = append(errs, fmt.Errorf("cost cell %d (%s, %q, %s): %d children, weekly %g", i+1, c.Category, c.NeedBand, c.Band, c.Children, c.Weekly))
		}
	}
	for i, g := range in.Groups {
		if g.Children <= 0 || bad(g.Weekly) || bad(g.SocialCare) || bad(g.Education) || bad(g.Health) {
			errs = append(errs, fmt.Errorf("cost group %d (%q): %d children, weekly %g", i+1, g.Group, g.Children, g.Weekly))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrOptions, err)
	}
	return nil
}

// Children is the number of children the inputs were summed over.
func (in CostInputs) Children() int {
	var n int
	for _, c := range in.Cells {
		n += c.Children
	}
	return n
}

// NewCostModelFromInputs is NewCostModel on the children the inputs were
// summed from: the same unit costs, fallbacks and need mix.
func NewCostModelFromInputs(in CostInputs, uplift float64) (*CostModel, error) {
	if math.IsNaN(uplift) || uplift < -0.5 || uplift > 1 {
		return nil, fmt.Errorf("%w: uplift: %g; want −0.5 to 1 (a share a year)", ErrOptions, uplift)
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	if len(in.Cells) == 0 {
		return nil, errors.New("cost model: no children with a recorded weekly cost")
	}
	return costModelOf(in, uplift), nil
}

// costModelOf builds the cost model from summed cells, for a council (from
// its children, NewCostModel) and a region (from its councils' sums) alike:
// each cell adds to the five levels of the fallback ladder, category × need
// band × age band, category × need band, category × age band, category and
// all children, which CostModel.Unit falls through below MinCostSample.
func costModelOf(in CostInputs, uplift float64) *CostModel {
	cm := &CostModel{Uplift: uplift, cells: map[costKey]*UnitCost{}, mix: map[[2]int]map[string]float64{}, groups: map[string]*UnitCost{}}
	add := func(k costKey, c CostCell) {
		u := cm.cells[k]
		if u == nil {
			u = &UnitCost{}
			cm.cells[k] = u
		}
		u.Children += c.Children
		u.Weekly += c.Weekly
		u.SocialCare += c.SocialCare
		u.Education += c.Education
		u.Health += c.Health
	}
	seen := map[string]bool{}
	for _, c := range in.Cells {
		add(costKey{c.Category, c.NeedBand, c.Band}, c)
		add(costKey{c.Category, c.NeedBand, -1}, c)
		add(costKey{c.Category, "*", c.Band}, c)
		add(costKey{c.Category, "*", -1}, c)
		add(costKey{-1, "*", -1}, c)
		k := [2]int{int(c.Category), int(c.Band)}
		if cm.mix[k] == nil {
			cm.mix[k] = map[string]float64{}
		}
		cm.mix[k][c.NeedBand] += float64(c.Children)
		if !seen[c.NeedBand] {
			seen[c.NeedBand] = true
			cm.needs = append(cm.needs, c.NeedBand)
		}
	}
	for _, g := range in.Groups {
		cm.groups[g.Group] = &UnitCost{Children: g.Children, Weekly: g.Weekly, SocialCare: g.SocialCare, Education: g.Education, Health: g.Health}
	}
	slices.Sort(cm.needs)
	for _, u := range cm.groups {
		n := float64(u.Children)
		u.Weekly, u.SocialCare, u.Education, u.Health = u.Weekly/n, u.SocialCare/n, u.Education/n, u.Health/n
	}
	for _, u := range cm.cells {
		n := float64(u.Children)
		u.Weekly, u.SocialCare, u.Education, u.Health = u.Weekly/n, u.SocialCare/n, u.Education/n, u.Health/n
	}
	for _, m := range cm.mix {
		var t float64
		for _, v := range m {
			t += v
		}
		for k := range m {
			m[k] /= t
		}
	}
	return cm
}

// NeedShare is the share of a category's children of an age band in a need
// band, as the costs and sufficiency hold it.
func (cm *CostModel) NeedShare(c Category, b AgeBand, need string) float64 {
	return cm.needMix(c, b)[need]
}

// CompatMove is the number of the anchor's moves from one state to another
// ending on a day of the window (Day counts from the window's first day).
type CompatMove struct {
	Day  int     `json:"day"`
	From int     `json:"from"`
	To   int     `json:"to"`
	N    float64 `json:"n"`
}

// CompatInputs are what the compatibility mode is a function of: the stock
// in each of the anchor's states on every day from the day before the
// window to its end, the moves ending each day, and the entrants per state.
// The anchor averages daily ratios of moves to the previous day's stock, so
// a region needs the councils' daily sums, not their fitted rates.
type CompatInputs struct {
	From     time.Time               `json:"from"`
	To       time.Time               `json:"to"`
	Stock    [][compatStates]float64 `json:"stock"`
	Moves    []CompatMove            `json:"moves"`
	Entrants [compatStates]float64   `json:"entrants"`
}

// FitCompatInputs works out the compatibility mode's daily sums over
// [from, to), prepared exactly as FitCompat prepares the episodes.
func FitCompatInputs(eps []Episode, from, to time.Time) (*CompatInputs, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("compat inputs %s to %s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), ErrWindow)
	}
	if err := Validate(eps); err != nil {
		return nil, fmt.Errorf("compat inputs: %w", err)
	}
	es := compatClean(AsKnownOn(eps, to))
	d0, d1 := dayNum(from), dayNum(to)
	n := d1 - d0
	in := &CompatInputs{From: from, To: to, Stock: make([][compatStates]float64, n+2)}
	diff := make([][compatStates]float64, n+3)
	for _, e := range es {
		lo, hi := max(e.start, d0-1), min(e.end, d1+1)
		if lo >= hi {
			continue
		}
		diff[lo-(d0-1)][e.state]++
		diff[hi-(d0-1)][e.state]--
	}
	var run [compatStates]float64
	for i := range n + 2 {
		for s := range compatStates {
			run[s] += diff[i][s]
		}
		in.Stock[i] = run
	}
	moves := map[[3]int]float64{}
	byEnd := map[string]map[int]int{}
	starts := map[string]map[int]int{}
	for _, e := range es {
		if starts[e.child] == nil {
			starts[e.child], byEnd[e.child] = map[int]int{}, map[int]int{}
		}
		starts[e.child][e.start] = e.state
		if e.end != openEnd {
			byEnd[e.child][e.end] = 1
		}
	}
	for _, e := range es {
		if e.end >= d0 && e.end < d1 {
			dst := compatNIC
			if s, ok := starts[e.child][e.end]; ok {
				dst = s
			}
			if dst != e.state {
				moves[[3]int{e.end - d0, e.state, dst}]++
			}
		}
		if e.start >= d0 && e.start < d1 && byEnd[e.child][e.start] == 0 {
			in.Entrants[e.state]++
		}
	}
	for k, c := range moves {
		in.Moves = append(in.Moves, CompatMove{Day: k[0], From: k[1], To: k[2], N: c})
	}
	slices.SortFunc(in.Moves, func(a, b CompatMove) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return in, nil
}

// Check says what is wrong with compat inputs read from outside.
func (in *CompatInputs) Check() error {
	if !in.From.Before(in.To) {
		return ErrWindow
	}
	n := dayNum(in.To) - dayNum(in.From)
	if len(in.Stock) != n+2 {
		return fmt.Errorf("%w: compat stock: %d days, want %d", ErrOptions, len(in.Stock), n+2)
	}
	bad := func(v float64) bool { return v < 0 || v != v || v > 1e9 }
	for i, m := range in.Moves {
		if m.Day < 0 || m.Day >= n || m.From < 0 || m.From >= compatStates || m.To < 0 || m.To > compatStates || bad(m.N) {
			return fmt.Errorf("%w: compat move %d: %+v out of range", ErrOptions, i+1, m)
		}
	}
	for _, d := range in.Stock {
		for _, v := range d {
			if bad(v) {
				return fmt.Errorf("%w: compat stock: %g", ErrOptions, v)
			}
		}
	}
	for _, v := range in.Entrants {
		if bad(v) {
			return fmt.Errorf("%w: compat entrants: %g", ErrOptions, v)
		}
	}
	return nil
}

// SumCompat is the anchor's model fitted on the councils' pooled histories,
// from their compat inputs: the daily stocks and moves are added, then the
// daily ratios averaged as FitCompat does.
func SumCompat(ins ...*CompatInputs) (*Compat, error) {
	if len(ins) == 0 {
		return nil, fmt.Errorf("sum of no compat inputs: %w", ErrMismatch)
	}
	first := ins[0]
	n := dayNum(first.To) - dayNum(first.From)
	stock := make([][compatStates]float64, n+2)
	moves := map[[3]int]float64{}
	m := &Compat{From: first.From, To: first.To}
	for i, in := range ins {
		if in == nil || !in.From.Equal(first.From) || !in.To.Equal(first.To) {
			return nil, fmt.Errorf("compat inputs %d: another window: %w", i+1, ErrMismatch)
		}
		if err := in.Check(); err != nil {
			return nil, fmt.Errorf("compat inputs %d: %w", i+1, err)
		}
		for d := range stock {
			for s := range compatStates {
				stock[d][s] += in.Stock[d][s]
			}
		}
		for _, mv := range in.Moves {
			moves[[3]int{mv.Day, mv.From, mv.To}] += mv.N
		}
		for s := range compatStates {
			m.Entrants[s] += in.Entrants[s]
		}
	}
	m.Start = stock[n+1]
	for s := range compatStates {
		m.Entrants[s] /= float64(n)
	}
	for k, c := range moves {
		if prev := stock[k[0]][k[1]]; prev > 0 {
			m.Rates[k[1]][k[2]] += c / prev / float64(n)
		}
	}
	for b := range NumAgeBands {
		ageing := 1 / ((CompatBrackets[b+1] - CompatBrackets[b]) * compatYear)
		for c := range NumCategories {
			s := b*NumCategories + c
			if b+1 < NumAgeBands {
				m.Rates[s][s+NumCategories] += ageing
			} else {
				m.Rates[s][compatNIC] += ageing
			}
		}
	}
	return m, nil
}

// compatJSON is CompatInputs on the wire: the stock on the first day and
// then only its changes, since most days change few states.
type compatJSON struct {
	From     time.Time             `json:"from"`
	To       time.Time             `json:"to"`
	Days     int                   `json:"days"`
	Stock0   [compatStates]float64 `json:"stock0"`
	Changes  [][3]float64          `json:"changes"` // day, state, change
	Moves    []CompatMove          `json:"moves"`
	Entrants [compatStates]float64 `json:"entrants"`
}

// MarshalJSON writes the inputs compactly.
func (in *CompatInputs) MarshalJSON() ([]byte, error) {
	w := compatJSON{From: in.From, To: in.To, Days: len(in.Stock), Moves: in.Moves, Entrants: in.Entrants, Changes: [][3]float64{}}
	if w.Moves == nil {
		w.Moves = []CompatMove{}
	}
	if len(in.Stock) > 0 {
		w.Stock0 = in.Stock[0]
	}
	for d := 1; d < len(in.Stock); d++ {
		for s := range compatStates {
			if v := in.Stock[d][s] - in.Stock[d-1][s]; v != 0 {
				w.Changes = append(w.Changes, [3]float64{float64(d), float64(s), v})
			}
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON wrote, refusing changes out of range.
func (in *CompatInputs) UnmarshalJSON(b []byte) error {
	var w compatJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Days < 0 || w.Days > 40000 {
		return fmt.Errorf("%w: compat inputs: %d days", ErrOptions, w.Days)
	}
	*in = CompatInputs{From: w.From, To: w.To, Moves: w.Moves, Entrants: w.Entrants, Stock: make([][compatStates]float64, w.Days)}
	delta := make([][compatStates]float64, w.Days)
	for _, c := range w.Changes {
		d, s := int(c[0]), int(c[1])
		if d < 1 || d >= w.Days || s < 0 || s >= compatStates || float64(d) != c[0] || float64(s) != c[1] {
			return fmt.Errorf("%w: compat inputs: change %v out of range", ErrOptions, c)
		}
		delta[d][s] += c[2]
	}
	if w.Days > 0 {
		in.Stock[0] = w.Stock0
	}
	for d := 1; d < w.Days; d++ {
		for s := range compatStates {
			in.Stock[d][s] = in.Stock[d-1][s] + delta[d][s]
		}
	}
	return nil
}
