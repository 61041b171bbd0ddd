package figures_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/ssda903"
)

var (
	seedFlag      = flag.Uint64("seed", 0, "seed for the model-based test's histories (default HEARTH_MODEL_SEED or 20261201)")
	historiesFlag = flag.Int("histories", 0, "how many histories (default HEARTH_MODEL_HISTORIES or 240)")
)

// council is the demo council the histories live in; its demo children are
// left out, so every child in it is one of ours.
const council int32 = 356

func envInt(name string, def uint64) uint64 {
	if v, err := strconv.ParseUint(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

// TestFiguresAgainstModel applies random histories through the services and
// compares every figure with the model; on a failure it shrinks the first
// failing history and prints the shortest one that still fails.
func TestFiguresAgainstModel(t *testing.T) {
	t.Parallel()
	seed := *seedFlag
	if seed == 0 {
		seed = envInt("HEARTH_MODEL_SEED", 20261201)
	}
	n := *historiesFlag
	if n == 0 {
		n = int(envInt("HEARTH_MODEL_HISTORIES", 240))
	}
	r := rand.New(rand.NewPCG(seed, seed^0xf1e5))
	fams := make([]family, n)
	for i := range fams {
		fams[i] = genFamily(r, i)
	}
	w := newWorld(t)
	models := w.run(fams)
	bad := w.check(fams, models, checkDates(fams))
	t.Logf("seed %d: %d histories, %d children, %d operations applied, %d skipped as meaningless; %d figures compared",
		seed, n, w.kids, w.applied, w.skipped, w.compared)
	if len(bad) == 0 {
		return
	}
	for i, m := range bad {
		if i == 10 {
			t.Errorf("… and %d more differences", len(bad)-10)
			break
		}
		if m.fam < 0 {
			t.Errorf("council: %s", m.what)
		} else {
			t.Errorf("history %d: %s", fams[m.fam].id, m.what)
		}
	}
	if bad[0].fam < 0 {
		t.Errorf("only the council's figures differ; no one history to shrink")
		return
	}
	f := fams[bad[0].fam]
	small, why := shrink(t, f)
	t.Errorf("shortest failing history (%d units, from %d; seed %d, rerun with -seed=%d):\n%s\nfirst difference: %s",
		small.size(), f.size(), seed, seed, small, why)
}

type mismatch struct {
	fam  int
	what string
}

// shrink drops units of a failing history while it still fails.
func shrink(t *testing.T, f family) (family, string) {
	attempt := 0
	fails := func(g family) (failed bool, why string) {
		attempt++
		// A subtest per attempt, so each attempt's database is dropped at once.
		t.Run(fmt.Sprintf("shrink-%d", attempt), func(t *testing.T) {
			w := newWorld(t)
			models := w.run([]family{g})
			if bad := w.check([]family{g}, models, checkDates([]family{g})); len(bad) > 0 {
				failed, why = true, bad[0].what
			}
		})
		return failed, why
	}
	ok, why := fails(f)
	if !ok {
		return f, "(fails only beside other histories: the cohort figures)"
	}
	for tries, i := 0, 0; tries < 120; tries++ {
		us := f.units()
		if i >= len(us) {
			break
		}
		g := us[i](f)
		bad, w := fails(g)
		if os.Getenv("HEARTH_MODEL_DEBUG") != "" {
			t.Logf("shrink: without unit %d of %d, fails %v (%s)", i, len(us), bad, w)
		}
		if bad {
			f, why = g, w
			continue // the same index is now the next unit
		}
		i++
	}
	return f, why
}

// checkDates are the as-of dates every figure is compared on: year ends and
// census dates, and the days of and before some moves.
func checkDates(fams []family) []time.Time {
	ds := []time.Time{day("2024-09-30"), yearEnd1, censuses[0].on, day("2026-01-15"), yearEnd2, day("2026-08-31"), today}
	seen := map[time.Time]bool{}
	for _, d := range ds {
		seen[d] = true
	}
	for _, f := range fams {
		for _, k := range f.kids {
			for _, e := range k.life {
				if e.kind == "move" && len(seen) < 13 && !seen[e.on] {
					seen[e.on], seen[e.on.AddDate(0, 0, -1)] = true, true
					ds = append(ds, e.on.AddDate(0, 0, -1), e.on)
				}
			}
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	return ds
}

// world is one database with the demo region (less our council's children)
// and the services Hearth's pages and imports use.
type world struct {
	t                                         *testing.T
	ctx                                       context.Context
	pool                                      *pgxpool.Pool
	sw, manager, commissioner, court, analyst int64
	place                                     *placements.Service
	needs                                     *needs.Service
	proc                                      *proceedings.Service
	an                                        *analytics.Service
	im                                        *ssda903.Importer
	domains                                   []string
	ids                                       map[[2]int]int64 // (history, child) → child_id
	assessIDs                                 map[[2]int]int64 // (history, assessment) → assessment_id
	caseIDs                                   map[int]int64
	kids, applied, skipped, compared          int
}

var asOfDemo = day("2026-03-31")

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, ctx: ctx, pool: dbtest.New(t), ids: map[[2]int]int64{}, assessIDs: map[[2]int]int64{}, caseIDs: map[int]int64{}}
	reg := demo.Generate(demo.Options{Seed: 5, Children: 12, AsOf: asOfDemo})
	reg.Children = filter(reg.Children, func(c demo.Child) bool { return c.LAID != council })
	reg.Proceedings = nil // they name children by position
	if err := demo.Load(ctx, w.pool, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := w.pool.Exec(ctx, `DELETE FROM delay_parameters WHERE la_id = $1`, council); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, w.pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	w.place, w.needs, w.proc, w.an = placements.New(w.pool, az), needs.New(w.pool, az), proceedings.New(w.pool, az), analytics.New(w.pool, az)
	w.im = &ssda903.Importer{Pool: w.pool, Authz: az, Log: slog.New(slog.DiscardHandler)}
	for _, u := range []struct {
		id   *int64
		mail string
	}{{&w.sw, "social.worker"}, {&w.manager, "team.manager"}, {&w.commissioner, "commissioner"}, {&w.court, "court.officer"}, {&w.analyst, "la.analyst"}} {
		if err := w.pool.QueryRow(ctx, `SELECT user_id FROM users WHERE email = $1`, u.mail+"@stockport.demo.hearth.test").Scan(u.id); err != nil {
			t.Fatalf("user %s: %v", u.mail, err)
		}
	}
	q := db.New(w.pool)
	row, err := q.InstrumentGetByCode(ctx, needs.DefaultInstrument)
	if err != nil {
		t.Fatal(err)
	}
	in, err := needs.LoadInstrument(ctx, q, row.InstrumentID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in.Domains {
		w.domains = append(w.domains, d.DomainCode)
	}
	return w
}

func (w *world) at(t time.Time) func() time.Time { return dbtest.Clock(t) }

// action is one thing done at a time; returns and censuses gather every
// history's rows into one file.
type action struct {
	at   time.Time
	prio int // returns and moves before costs on the same day
	fam  int
	n    int
	do   func(*oracle) bool
}

func ref(fam, kid int) string { return fmt.Sprintf("F%05dK%d", fam, kid) }

// run applies every history, in time order across histories, and returns the
// model of each.
func (w *world) run(fams []family) []*oracle {
	models := make([]*oracle, len(fams))
	var acts []action
	for i, f := range fams {
		o := newOracle(f)
		models[i] = o
		w.kids += len(f.kids)
		for ki, k := range f.kids {
			for _, m := range k.moves {
				acts = append(acts, action{at: m.on, prio: 1, fam: i, do: func(o *oracle) bool { return w.move(o, ki, m) }})
			}
		}
		for _, c := range f.costs {
			// Entered once Hearth holds the placement.
			if p := o.placementOn(c.kid, c.on); p != nil {
				for _, k := range []time.Time{return1, return2, p.start} {
					if !known(p, c.at) && known(p, k) {
						c.at = k
					}
				}
			}
			at := c.at
			acts = append(acts, action{at: at, prio: 2, fam: i, do: func(o *oracle) bool { return w.cost(o, c) }})
		}
		for ai, a := range f.assess {
			at := a.at
			if at.Before(return1.AddDate(0, 0, 1)) {
				at = return1.AddDate(0, 0, 1)
			}
			acts = append(acts, action{at: at, prio: 3, fam: i, n: ai, do: func(o *oracle) bool { return w.assess(o, ai) }})
		}
		if f.proceed != nil {
			acts = append(acts, action{at: today, prio: 4, fam: i, do: func(o *oracle) bool { return w.proceedings(o) }})
		}
	}
	acts = append(acts, action{at: return1, do: func(*oracle) bool { w.ssda903(models, 2025); return true }},
		action{at: return2, do: func(*oracle) bool { w.ssda903(models, 2026); return true }})
	for c, cs := range censuses {
		acts = append(acts, action{at: cs.at, do: func(*oracle) bool { w.census(models, c); return true }})
	}
	sort.SliceStable(acts, func(i, j int) bool {
		a, b := acts[i], acts[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		return a.fam < b.fam || a.fam == b.fam && a.n < b.n
	})
	for _, a := range acts {
		if a.prio == 0 {
			a.do(nil)
			continue
		}
		if a.do(models[a.fam]) {
			w.applied++
		} else {
			w.skipped++
		}
	}
	return models
}

// ssda903 loads one year's return for every history, as the upload page does.
func (w *world) ssda903(models []*oracle, y ssda903.Year) {
	d := func(t time.Time) string { return t.Format("02/01/2006") }
	var hdr, eps [][]string
	for _, o := range models {
		for k, spec := range o.f.kids {
			var rows [][]string
			for _, e := range o.eps[k] {
				if e.start.After(y.End()) || e.end != nil && e.end.Before(y.Start()) {
					continue
				}
				row := []string{ref(o.f.id, k), d(e.start), e.rne, e.legal, "N1", places[e.place].code, places[e.place].provider, "", "", "",
					"M1 1AA", "M14 5AB", e.urn}
				if e.end != nil && !e.end.After(y.End()) {
					row[7], row[8], row[9] = d(*e.end), e.rec, e.reason
				}
				rows = append(rows, row)
			}
			if len(rows) == 0 {
				continue
			}
			hdr = append(hdr, []string{ref(o.f.id, k), spec.sexMF, d(spec.dob), "WBRI", fmt.Sprintf("A%011d%d", o.f.id*10+k, spec.domain%10), "", ""})
			eps = append(eps, rows...)
		}
	}
	var files []ssda903.File
	for _, tb := range []struct {
		t    ssda903.Table
		rows [][]string
	}{{ssda903.Header, hdr}, {ssda903.Episodes, eps}, {ssda903.UASC, nil}, {ssda903.OC2, nil}, {ssda903.Missing, nil}, {ssda903.Reviews, nil}} {
		var b bytes.Buffer
		if err := ssda903.WriteTable(&b, tb.t, tb.rows); err != nil {
			w.t.Fatal(err)
		}
		files = append(files, ssda903.File{Name: string(tb.t) + ".csv", Body: bytes.NewReader(b.Bytes())})
	}
	rep, err := w.im.Import(w.ctx, 0, council, y, files, nil)
	if err != nil {
		w.t.Fatalf("import %s: %v %+v", y, err, rep.Problems)
	}
	if os.Getenv("HEARTH_MODEL_DEBUG") != "" {
		w.t.Logf("import %s: %+v %+v", y, rep.Counts, rep.Problems)
	}
	for _, o := range models {
		for k := range o.f.kids {
			key := [2]int{o.f.id, k}
			if _, ok := w.ids[key]; ok {
				continue
			}
			var id int64
			if err := w.pool.QueryRow(w.ctx, `SELECT child_id FROM children WHERE la_id = $1 AND child_ref = $2`, council, ref(o.f.id, k)).Scan(&id); err != nil {
				continue // not in this return
			}
			w.ids[key] = id
			// The child is allocated to the social worker who writes their assessments.
			if _, err := w.pool.Exec(w.ctx, `INSERT INTO allocations (la_id, child_id, user_id, valid_from) VALUES ($1, $2, $3, $4)`,
				council, id, w.sw, o.f.kids[k].start); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

// census loads one cost census, as the census upload page does.
func (w *world) census(models []*oracle, c int) {
	var b strings.Builder
	b.WriteString("Placing authority,Identifier,Total weekly cost\n")
	rows := 0
	for _, o := range models {
		for _, r := range o.f.census {
			if r.census == c && o.acceptCensus(r) {
				fmt.Fprintf(&b, "%d,%s,%d.%02d\n", council, ref(o.f.id, r.kid), r.weekly/100, r.weekly%100)
				rows++
				w.applied++
			}
		}
	}
	if rows == 0 {
		return
	}
	w.place.Now = w.at(censuses[c].at)
	rep, err := w.place.ImportCensus(w.ctx, w.commissioner, council, censuses[c].on, "census.csv", strings.NewReader(b.String()))
	if err != nil || len(rep.Unmatched) > 0 {
		w.t.Fatalf("census %s: %v; unmatched %+v", ds(censuses[c].on), err, rep.Unmatched)
	}
}

func (w *world) fail(o *oracle, format string, args ...any) bool {
	w.t.Fatalf("history %d: %s\n%s", o.f.id, fmt.Sprintf(format, args...), o.f)
	return false
}

// cost records a weekly cost on the child's page.
func (w *world) cost(o *oracle, c costOp) bool {
	p, ok := o.acceptCost(c)
	if !ok {
		return false
	}
	w.place.Now = w.at(c.at)
	if _, err := w.place.AddCost(w.ctx, w.commissioner, w.ids[[2]int{o.f.id, c.kid}], p.start,
		placements.Cost{From: &c.on, Weekly: c.weekly, SocialCare: c.weekly}); err != nil {
		return w.fail(o, "add cost %s from %s to the placement of %s: %v", pounds(c.weekly), ds(c.on), ds(p.start), err)
	}
	return true
}

// move records a move on the web form.
func (w *world) move(o *oracle, kid int, m formMove) bool {
	if _, ok := o.acceptMove(kid, m); !ok {
		return false
	}
	w.place.Now = w.at(m.on)
	id := w.ids[[2]int{o.f.id, kid}]
	h, err := w.place.Get(w.ctx, w.commissioner, id)
	if err != nil {
		return w.fail(o, "child page: %v", err)
	}
	var open *db.Episode
	for i := range h.Episodes {
		if h.Episodes[i].EndedOn == nil {
			open = &h.Episodes[i]
		}
	}
	if open == nil {
		var got []string
		for _, e := range h.Episodes {
			got = append(got, fmt.Sprintf("%s–%v %s", ds(e.StartedOn), e.EndedOn, e.Rne))
		}
		return w.fail(o, "no open episode to move from on %s; Hearth holds %v", ds(m.on), got)
	}
	mv := placements.Move{On: m.on, Place: places[m.place].code, ProviderKind: places[m.place].provider, Reason: "CARPL",
		From: open.StartedOn, Version: open.Version}
	withCost(&mv, m.weekly)
	if err := w.place.RecordMove(w.ctx, w.commissioner, id, mv); err != nil {
		return w.fail(o, "move on %s: %v", ds(m.on), err)
	}
	return true
}

// assess writes an assessment and takes it through the workflow.
func (w *world) assess(o *oracle, i int) bool {
	if !o.acceptAssess(i) {
		return false
	}
	a := o.f.assess[i]
	w.needs.Now = w.at(a.at)
	d := needs.Draft{AssessedOn: a.on, Reason: "review"}
	for j, code := range w.domains {
		d.Ratings = append(d.Ratings, needs.Rating{Domain: code, Level: ptr(a.levels[j])})
	}
	if a.corrects >= 0 {
		d.Supersedes = ptr(w.assessIDs[[2]int{o.f.id, a.corrects}])
	}
	x, err := w.needs.Create(w.ctx, w.sw, w.ids[[2]int{o.f.id, a.kid}], d)
	if err == nil {
		x, err = w.needs.Submit(w.ctx, w.sw, x.AssessmentID, x.Version)
	}
	if err == nil && (a.flow == "return-approve" || a.flow == "returned") {
		x, err = w.needs.Return(w.ctx, w.manager, x.AssessmentID, x.Version, "add evidence for education")
		if err == nil && a.flow == "return-approve" {
			x, err = w.needs.Submit(w.ctx, w.sw, x.AssessmentID, x.Version)
		}
	}
	if err == nil && (a.flow == "approve" || a.flow == "return-approve") {
		x, err = w.needs.Approve(w.ctx, w.manager, x.AssessmentID, x.Version)
	}
	if err != nil {
		return w.fail(o, "assessment %d (%s): %v", i, a.flow, err)
	}
	w.assessIDs[[2]int{o.f.id, i}] = x.AssessmentID
	return true
}

// proceedings records the family's case, its hearings and experts.
func (w *world) proceedings(o *oracle) bool {
	c := o.f.proceed
	w.proc.Now = w.at(today)
	in := proceedings.Input{CaseNumber: fmt.Sprintf("FM%05d", o.f.id), Court: "Manchester", IssuedOn: c.issued, ConcludedOn: c.concluded}
	if c.concluded != nil {
		in.FinalOrder = "care"
	}
	for k := range o.f.kids {
		in.ChildIDs = append(in.ChildIDs, w.ids[[2]int{o.f.id, k}])
	}
	id, err := w.proc.Save(w.ctx, w.court, council, 0, in)
	if err != nil {
		return w.fail(o, "case: %v", err)
	}
	w.caseIDs[o.f.id] = id
	for _, h := range c.hearings {
		reason := ""
		if h.outcome != "effective" {
			reason = "a party was not ready"
		}
		if err := w.proc.AddHearing(w.ctx, w.court, id, proceedings.HearingInput{On: h.on, Kind: h.kind, Outcome: h.outcome, Reason: reason}); err != nil {
			return w.fail(o, "hearing: %v", err)
		}
	}
	for _, e := range c.experts {
		if err := w.proc.AddExpert(w.ctx, w.court, id, proceedings.ExpertInput{Kind: "parenting assessment", CommissionedOn: e.on, CostPence: e.pence}); err != nil {
			return w.fail(o, "expert: %v", err)
		}
	}
	return true
}

// check compares every figure with the model.
func (w *world) check(fams []family, models []*oracle, dates []time.Time) []mismatch {
	var bad []mismatch
	who := map[int64][2]int{}
	for k, id := range w.ids {
		who[id] = k
	}
	byID := map[int]int{}
	for i, f := range fams {
		byID[f.id] = i
	}
	note := func(fam int, format string, args ...any) {
		bad = append(bad, mismatch{fam: fam, what: fmt.Sprintf(format, args...)})
	}
	q := db.New(w.pool)
	for _, d := range dates {
		if d.Equal(today) {
			// Today's figures come from the refreshed view.
			if err := analytics.RefreshCurrent(w.ctx, w.pool, today); err != nil {
				w.t.Fatal(err)
			}
		}
		kids, err := analytics.Snapshot(w.ctx, q, []int32{council}, d)
		if err != nil {
			w.t.Fatal(err)
		}
		seen := map[[2]int]bool{}
		for _, k := range kids {
			key, ok := who[k.ChildID]
			if !ok {
				continue
			}
			seen[key] = true
			fi := byID[key[0]]
			m := models[fi].child(key[1], d)
			w.compared += 4
			switch {
			case !m.inCare:
				note(fi, "child %d on %s: in the cohort, but the model has them out of care", key[1], ds(d))
			case k.WeeklyPence != m.weekly:
				note(fi, "child %d on %s: weekly cost %d pence; the model says %d", key[1], ds(d), k.WeeklyPence, m.weekly)
			case k.Assessed != m.assessed || k.Assessed && (k.Score != m.score || k.Band != m.band):
				note(fi, "child %d on %s: assessed %v, score %d, band %q; the model says %v, %d, %q", key[1], ds(d), k.Assessed, k.Score, k.Band,
					m.assessed, m.score, m.band)
			}
		}
		for fi, o := range models {
			for k := range o.f.kids {
				if !seen[[2]int{o.f.id, k}] && o.child(k, d).inCare {
					note(fi, "child %d on %s: in care in the model, missing from the cohort", k, ds(d))
				}
			}
		}
		// The council's figures, as the needs-and-costs page works them out.
		w.an.Now = w.at(today)
		got, err := w.an.Cohort(w.ctx, w.analyst, analytics.Filter{LAID: council}, d)
		if err != nil {
			w.t.Fatal(err)
		}
		want := cohort(models, d)
		w.compared += 5 + len(want.familyMedian)
		fam := -1 // the council's figures belong to no one history
		if got.N != want.n || got.Costed != want.costed || got.Assessed != want.assessed {
			note(fam, "cohort on %s: %d children, %d with a cost, %d assessed; the model says %d, %d, %d", ds(d), got.N, got.Costed, got.Assessed,
				want.n, want.costed, want.assessed)
		}
		for b, n := range want.bands {
			if got.Bands[b] != n {
				note(fam, "cohort on %s: %d children with %s needs; the model says %d", ds(d), got.Bands[b], b, n)
			}
		}
		for b, m := range want.familyMedian {
			if g := got.StepDown.FamilyMedian[b].Value; math.Abs(g-m) > 0.005 {
				note(fam, "cohort on %s: median family-based weekly cost for %s needs £%.2f; the model says £%.2f", ds(d), b, g, m)
			}
		}
		if math.Abs(got.StepDown.Annual-want.stepDown) > 0.01 {
			note(fam, "cohort on %s: step-down saving £%.2f a year; the model says £%.2f", ds(d), got.StepDown.Annual, want.stepDown)
		}
	}
	// The child's page on some days, and their needs history today.
	for key, id := range w.ids {
		fi := byID[key[0]]
		for _, d := range []time.Time{censuses[0].on, yearEnd2, today} {
			w.place.Now = w.at(d)
			h, err := w.place.Get(w.ctx, w.commissioner, id)
			if err != nil {
				w.t.Fatal(err)
			}
			want, _ := models[fi].cost(key[1], d)
			w.compared++
			if h.WeeklyPenceNow != want {
				note(fi, "child %d's page on %s: current weekly cost %d pence; the model says %d", key[1], ds(d), h.WeeklyPenceNow, want)
			}
		}
		w.needs.Now = w.at(today)
		p, err := w.needs.History(w.ctx, w.sw, id)
		if err != nil {
			w.t.Fatal(err)
		}
		var got, want int64
		if p.Current != nil {
			got = p.Current.ID
		}
		if a := models[fi].current(key[1], today); a != nil {
			want = w.assessIDs[[2]int{key[0], a.index}]
		}
		w.compared++
		if got != want {
			note(fi, "child %d's needs history: current assessment %d; the model says %d", key[1], got, want)
		}
	}
	// The cost of delay per case, for last year and for this year to date.
	for _, p := range []struct{ from, to time.Time }{{day("2025-04-01"), yearEnd2}, {day("2026-04-01"), today}} {
		w.proc.Now = w.at(today)
		rep, err := w.proc.Delay(w.ctx, w.court, ptr(council), p.from, p.to)
		if err != nil {
			w.t.Fatal(err)
		}
		asOf := p.to
		if asOf.After(today) {
			asOf = today
		}
		got := map[int]proceedings.Breakdown{}
		for _, c := range rep.Cases {
			var id int
			if _, err := fmt.Sscanf(c.Case.CaseNumber, "FM%05d", &id); err == nil {
				got[id] = c.Breakdown
			}
		}
		for fi, o := range models {
			want := o.delay(p.from, p.to, asOf)
			b, ok := got[o.f.id]
			w.compared += 2
			switch {
			case ok != want.included:
				note(fi, "delay %s to %s: case listed %v; the model says %v", ds(p.from), ds(p.to), ok, want.included)
			case !ok:
			case b.PlacementWeekly != want.placementWeekly:
				note(fi, "delay %s to %s: placement cost %d pence a week; the model says %d", ds(p.from), ds(p.to), b.PlacementWeekly, want.placementWeekly)
			case abs(b.Total-want.total) > 1:
				note(fi, "delay %s to %s: cost of delay %d pence; the model says %d", ds(p.from), ds(p.to), b.Total, want.total)
			}
		}
	}
	// A history's own differences first: those can be shrunk.
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].fam >= 0 && (bad[j].fam < 0 || bad[i].fam < bad[j].fam) })
	return bad
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
