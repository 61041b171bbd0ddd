package sharing

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// The attacks here are a curious analyst's: they know the method and its
// parameters (the noise bound, the threshold, that some empty cells are c),
// see every published figure of every query they try, and work out the
// range each count could take, combining every line that must add up.

// asOf is the attack tests' fixed date.
var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

// demoSnapshot loads the demo region (1,500 children, seed 1, as `hearth
// demo` does) and reads it once, as the page's service does.
func demoSnapshot(t *testing.T) pooled {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 1, Children: 1500, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(ctx, pool, asOf); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s := New(pool, az)
	s.Now = func() time.Time { return asOf }
	var rcc int32
	if err := pool.QueryRow(ctx, "SELECT rcc_id FROM regional_cooperatives WHERE code = 'gm-rcc'").Scan(&rcc); err != nil {
		t.Fatal(err)
	}
	p, err := s.load(ctx, rcc, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.kids) < 1000 || len(p.members) != 4 {
		t.Fatalf("demo region: %d children, %d councils sharing", len(p.kids), len(p.members))
	}
	return p
}

// published lists every count a region publishes, by where it is. Cost
// rows the region leaves out are groups with nobody in them: the attacker
// knows they are 0, so they are listed as a shown 0.
func published(r Region) map[string]Cell {
	out := map[string]Cell{}
	if r.Empty != "" {
		return out
	}
	for name, t := range tables(r) {
		for i := range t.Cells {
			for j, c := range t.Cells[i] {
				out[name+"/"+t.Rows[i]+"/"+t.Cols[j]] = c
			}
			out[name+"/"+t.Rows[i]+"/total"] = t.RowTotals[i]
		}
		for j := range t.Cols {
			out[name+"/total/"+t.Cols[j]] = t.ColTotals[j]
		}
		out[name+"/total"] = t.Total
	}
	for _, row := range append(slices.Clone(r.Benchmark), r.Pooled) {
		for k, c := range rowCells(row) {
			out["row/"+row.Council+"/"+k] = c
		}
	}
	for _, b := range analytics.Bands {
		for _, g := range analytics.Groups {
			out["cost/"+b+"/"+g] = Cell{}
		}
	}
	for _, c := range r.Costs {
		out["cost/"+c.Band+"/"+c.Group] = c.N
	}
	for _, c := range r.Time {
		out["time/"+c.Band] = c.N
	}
	for _, c := range r.EHC {
		out["ehc/"+c.Plan] = c.N
	}
	for _, p := range r.Market.Providers {
		for i, c := range p.N {
			out["market/"+p.Name+"/"+r.Market.Councils[i]] = c
		}
	}
	for _, d := range append(slices.Clone(r.Delay), r.DelayPool) {
		out["delay/"+d.Council] = d.Cases
	}
	return out
}

func tables(r Region) map[string]Table {
	return map[string]Table{"bands": r.Bands, "groups": r.Groups, "prevalence": r.Prevalence, "need": r.Need,
		"provision": r.Provision, "area": r.Area, "miles": r.Miles}
}

var measures = []string{"children", "assessed", "costed", "pearson_n", "out", "over20", "stepdown"}

func rowCells(x Row) map[string]Cell {
	return map[string]Cell{"children": x.Children, "assessed": x.Assessed, "costed": x.Costed, "pearson_n": x.PearsonN,
		"out": x.OutOfArea, "over20": x.Over20, "stepdown": x.StepDown}
}

// lines lists what must add up within one published region: every row and
// column of every table to its total, the totals to the grand total, each
// side-by-side column to the region's row, and a few identities between
// tables (time in care adds up to the children assessed; EHC to those costed).
func lines(r Region) [][]string {
	if r.Empty != "" {
		return nil
	}
	var out [][]string // whole first, then its parts
	for name, t := range tables(r) {
		rowTotals := []string{name + "/total"}
		for _, row := range t.Rows {
			l := []string{name + "/" + row + "/total"}
			for _, c := range t.Cols {
				l = append(l, name+"/"+row+"/"+c)
			}
			out, rowTotals = append(out, l), append(rowTotals, name+"/"+row+"/total")
		}
		colTotals := []string{name + "/total"}
		for _, c := range t.Cols {
			l := []string{name + "/total/" + c}
			for _, row := range t.Rows {
				l = append(l, name+"/"+row+"/"+c)
			}
			out, colTotals = append(out, l), append(colTotals, name+"/total/"+c)
		}
		out = append(out, rowTotals, colTotals)
	}
	for _, m := range measures {
		l := []string{"row/Region/" + m}
		for _, row := range r.Benchmark {
			l = append(l, "row/"+row.Council+"/"+m)
		}
		out = append(out, l)
	}
	delay := []string{"delay/Region"}
	for _, d := range r.Delay {
		delay = append(delay, "delay/"+d.Council)
	}
	timeLine := []string{"row/Region/assessed"}
	for _, b := range analytics.TimeInCareBands {
		timeLine = append(timeLine, "time/"+b)
	}
	return append(out, delay, timeLine, []string{"row/Region/costed", "ehc/with", "ehc/without"})
}

// interval is what the attacker knows of a count.
type interval struct{ lo, hi int }

// knows is what a published cell tells an attacker who knows the method.
func knows(c Cell, ctl Control) (interval, bool) {
	switch {
	case c.NotApplicable:
		return interval{}, false
	case c.NotShared:
		return interval{0, 0}, true // left out of every total it would be in
	case c.Suppressed && ctl.ZeroMask > 0:
		return interval{0, ctl.MinCount - 1 + ctl.MaxNoise}, true
	case c.Suppressed:
		return interval{1, ctl.MinCount - 1 + ctl.MaxNoise}, true
	case c.N == 0:
		return interval{0, 0}, true
	}
	return interval{max(ctl.MinCount, c.N-ctl.MaxNoise), c.N + ctl.MaxNoise}, true
}

// narrow tightens every interval by the constraints (whole = sum of parts)
// until nothing changes: the attacker's best knowledge.
func narrow(iv map[string]interval, cons [][]string) {
	for range 50 {
		changed := false
		for _, l := range cons {
			w := l[0]
			sumLo, sumHi := 0, 0
			for _, p := range l[1:] {
				sumLo, sumHi = sumLo+iv[p].lo, sumHi+iv[p].hi
			}
			a := iv[w]
			if b := (interval{max(a.lo, sumLo), min(a.hi, sumHi)}); b != a {
				iv[w], changed = b, true
			}
			for _, p := range l[1:] {
				a, x := iv[p], iv[w]
				b := interval{max(a.lo, x.lo-(sumHi-a.hi)), min(a.hi, x.hi-(sumLo-a.lo))}
				if b != a {
					iv[p], changed = b, true
				}
			}
		}
		if !changed {
			return
		}
	}
}

// attack is one attacker's tally.
type attack struct {
	queries, cells, small     int // queries tried; cells attacked; of them, true counts 1–4
	pinnedSmall, pinnedOthers int // attacked cells the attacker knows exactly
	within3                   int // true 1–4 counts the attacker narrows to 2 or 3 values
	wrong                     int // truths outside the attacker's range: the model is wrong
}

// query is a region as published and as it truly is.
type query struct {
	pub, truth map[string]Cell
	lines      [][]string
}

// run attacks the region with n random filters, each split by a partition
// that is known to cover it (UASC, EHC plan, age band, need band, placement).
func run(t *testing.T, p pooled, ctl Control, n int, seed uint64) attack {
	rnd := rand.New(rand.NewPCG(seed, 7))
	p.ctl = ctl
	truth := p
	truth.ctl = Exact
	cache := map[string]query{}
	ask := func(f analytics.Filter) query {
		k, _ := json.Marshal(f)
		if q, ok := cache[string(k)]; ok {
			return q
		}
		pub := p.figures(f, asOf)
		q := query{pub: published(pub), truth: published(truth.figures(f, asOf)), lines: lines(pub)}
		cache[string(k)] = q
		return q
	}
	var a attack
	for range n {
		f := randomFilter(rnd, p)
		parts := partition(rnd, f)
		for parts == nil {
			f = randomFilter(rnd, p)
			parts = partition(rnd, f)
		}
		qs := []query{ask(f)}
		for _, pf := range parts {
			qs = append(qs, ask(pf))
		}
		a.queries += len(qs)
		// One space of unknowns: each query's cells, named by query.
		iv := map[string]interval{}
		var cons [][]string
		for i, q := range qs {
			pre := string(rune('A'+i)) + ":"
			for where, c := range q.pub {
				if x, ok := knows(c, ctl); ok {
					iv[pre+where] = x
				}
			}
			for _, l := range q.lines {
				if con := prefixed(pre, l, iv); con != nil {
					cons = append(cons, con)
				}
			}
		}
		// The whole is the sum of its parts, cell by cell, where the cell
		// counts children (court cases do not follow the filter, and
		// step-down candidates depend on who else is in the cohort).
		for where := range qs[0].pub {
			if strings.HasPrefix(where, "delay/") || strings.HasSuffix(where, "/stepdown") {
				continue
			}
			con := []string{"A:" + where}
			sum, ok := 0, true
			for i, q := range qs[1:] {
				c, in := q.truth[where]
				_, pub := q.pub[where]
				ok = ok && in && pub
				sum += c.N
				con = append(con, string(rune('B'+i))+":"+where)
			}
			if ok && sum == qs[0].truth[where].N {
				if c := prefixed("", con, iv); c != nil {
					cons = append(cons, c)
				}
			}
		}
		narrow(iv, cons)
		for i, q := range qs {
			pre := string(rune('A'+i)) + ":"
			for where, c := range q.pub {
				x, ok := iv[pre+where]
				tc, known := q.truth[where]
				if !ok || !known || c.NotShared || c.NotApplicable {
					continue
				}
				a.cells++
				v := tc.N
				if v < x.lo || v > x.hi {
					a.wrong++
					if a.wrong < 5 {
						t.Logf("%s%s: true %d outside [%d, %d] (published %v)", pre, where, v, x.lo, x.hi, c)
					}
				}
				if v >= 1 && v <= 4 {
					a.small++
					switch {
					case x.lo == x.hi:
						a.pinnedSmall++
					case x.hi-x.lo <= 2:
						a.within3++
					}
				} else if x.lo == x.hi && v > 0 && !(c.N == v && ctl.MaxNoise == 0) {
					a.pinnedOthers++
				}
			}
		}
	}
	return a
}

// prefixed names a line's cells in one query's space; a line with a cell
// the attacker knows nothing of (z) says nothing.
func prefixed(pre string, l []string, iv map[string]interval) []string {
	out := make([]string, len(l))
	for i, w := range l {
		if _, ok := iv[pre+w]; !ok {
			return nil
		}
		out[i] = pre + w
	}
	return out
}

func randomFilter(r *rand.Rand, p pooled) analytics.Filter {
	var f analytics.Filter
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	if r.IntN(4) == 0 {
		f.LAID = p.members[r.IntN(len(p.members))].LAID
	}
	if r.IntN(4) == 0 {
		f.Group = pick(analytics.Groups[:5])
	}
	if r.IntN(4) == 0 {
		f.Band = pick(append(slices.Clone(analytics.Bands), "none"))
	}
	if r.IntN(3) == 0 {
		f.AgeBand = pick(analytics.AgeBands)
	}
	if r.IntN(5) == 0 {
		f.TimeInCare = pick(analytics.TimeInCareBands)
	}
	if r.IntN(6) == 0 {
		f.LegalStatus = pick([]string{"C2", "V2", "E1", "J2", "L1"})
	}
	if r.IntN(5) == 0 {
		b := r.IntN(2) == 0
		f.UASC = &b
	}
	if r.IntN(6) == 0 {
		b := r.IntN(2) == 0
		f.EHC = &b
	}
	return f
}

// partition splits a filter's children into groups that cover them all, by
// something the filter does not already fix.
func partition(r *rand.Rand, f analytics.Filter) []analytics.Filter {
	for range 50 {
		var out []analytics.Filter
		switch r.IntN(5) {
		case 0:
			if f.UASC != nil {
				continue
			}
			for _, b := range []bool{true, false} {
				g := f
				g.UASC = &b
				out = append(out, g)
			}
		case 1:
			if f.EHC != nil {
				continue
			}
			for _, b := range []bool{true, false} {
				g := f
				g.EHC = &b
				out = append(out, g)
			}
		case 2:
			if f.AgeBand != "" {
				continue
			}
			for _, b := range analytics.AgeBands {
				g := f
				g.AgeBand = b
				out = append(out, g)
			}
		case 3:
			if f.Band != "" {
				continue
			}
			for _, b := range append(slices.Clone(analytics.Bands), "none") {
				g := f
				g.Band = b
				out = append(out, g)
			}
		case 4:
			if f.Group != "" {
				continue
			}
			for _, b := range analytics.Groups {
				g := f
				g.Group = b
				out = append(out, g)
			}
		}
		return out
	}
	return nil // the filter fixes everything a partition could split
}

// TestAttacks runs the three attacks on the demo region (same-output
// differencing, complementary filters and averaging), under the
// region's protection and with it turned off (counts 1–4 withheld, every
// other count exact), so the test shows it can fail.
func TestAttacks(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 1,500-child demo region")
	}
	p := demoSnapshot(t)
	combos := 2000
	if raceEnabled {
		combos = 150
	}
	on := run(t, p, Default, combos, 1)
	off := run(t, p, Control{MinCount: 5}, combos, 1)
	for name, a := range map[string]attack{"protected": on, "unprotected": off} {
		t.Logf("%s: %d filter combinations, %d queries, %d cells attacked (%d true counts of 1–4): %d of those pinned exactly, %d narrowed to 2 or 3 values; %d other counts pinned",
			name, combos, a.queries, a.cells, a.small, a.pinnedSmall, a.within3, a.pinnedOthers)
	}
	if on.wrong > 0 || off.wrong > 0 {
		t.Errorf("the attacker's ranges missed the truth %d and %d times: the attack is not what it claims", on.wrong, off.wrong)
	}
	if on.pinnedSmall != 0 {
		t.Errorf("protected: %d counts of 1–4 worked out exactly", on.pinnedSmall)
	}
	if off.pinnedSmall < combos/20 {
		t.Errorf("unprotected: only %d counts of 1–4 pinned: the attack is too weak to show anything", off.pinnedSmall)
	}
	if on.small < combos/2 {
		t.Errorf("only %d counts of 1–4 attacked", on.small)
	}
	averaging(t, p)
}

// averaging: the same query, asked 100 times, gets the same answer, so
// averaging repeated answers learns nothing.
func averaging(t *testing.T, p pooled) {
	p.ctl = Default
	r := rand.New(rand.NewPCG(5, 5))
	for range 3 {
		f := randomFilter(r, p)
		first, _ := json.Marshal(p.figures(f, asOf))
		for range 100 {
			again, _ := json.Marshal(p.figures(f, asOf))
			if string(again) != string(first) {
				t.Fatalf("filter %+v answered differently on asking again", f)
			}
		}
	}
}
