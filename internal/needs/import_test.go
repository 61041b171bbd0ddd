package needs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/needs"
)

// history builds n approved assessments for Manchester's children, on dates
// none of them has an assessment yet, as a needs history file gives them.
func history(tb testing.TB, pool *pgxpool.Pool, n int, approver, author string) []needs.HistoryRow {
	tb.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT child_ref, date_of_birth FROM children WHERE la_id = 352 AND date_of_birth < '2024-01-01' ORDER BY child_ref`)
	if err != nil {
		tb.Fatal(err)
	}
	type kid struct {
		ref string
		dob time.Time
	}
	var kids []kid
	for rows.Next() {
		var k kid
		if err := rows.Scan(&k.ref, &k.dob); err != nil {
			tb.Fatal(err)
		}
		kids = append(kids, k)
	}
	if len(kids) == 0 {
		tb.Fatal("no children in Manchester")
	}
	held := map[string]bool{}
	hr, err := pool.Query(ctx, `SELECT c.child_ref || ' ' || a.assessed_on::text FROM needs_assessments a JOIN children c USING (la_id, child_id) WHERE a.la_id = 352`)
	if err != nil {
		tb.Fatal(err)
	}
	for hr.Next() {
		var k string
		if err := hr.Scan(&k); err != nil {
			tb.Fatal(err)
		}
		held[k] = true
	}
	var out []needs.HistoryRow
	for i := range n {
		k := kids[i%len(kids)]
		// Dates from 2024 at 3-day steps per child, after birth and before
		// the demo's as-of date, moved a day off any the demo already holds.
		day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 3*(i/len(kids)))
		if held[k.ref+" "+day.Format(time.DateOnly)] {
			day = day.AddDate(0, 0, 1) // the next history date is two days on
		}
		levels := map[string]*int32{}
		for d, code := range domains {
			l := int32((i + d) % 5)
			levels[code] = &l
		}
		out = append(out, needs.HistoryRow{ChildRef: k.ref, AssessedOn: day.Format(time.DateOnly), Instrument: "hearth-12", Status: "approved",
			Approver: approver, ApprovedOn: day.AddDate(0, 0, 7).Format(time.DateOnly), Author: author, Levels: levels,
			Evidence: map[string]string{"educational_progress": fmt.Sprintf("imported note %d", i)}})
	}
	return out
}

// TestImportHistory loads hundreds of approved assessments in one call, checks
// they are held as approved with their levels and audited as imports by the
// approver, that the same file again writes nothing, and that one bad row
// refuses the whole file with the row and column named.
func TestImportHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	approver, author := "team.manager@manchester.demo.hearth.test", "social.worker@manchester.demo.hearth.test"
	rows := history(t, b.pool, 400, approver, author)
	tm := b.users["team.manager@manchester"]
	var before, audits int64
	_ = b.pool.QueryRow(ctx, "SELECT count(*) FROM needs_assessments WHERE la_id = 352 AND status = 'approved'").Scan(&before)
	rep, err := b.svc.ImportHistory(ctx, tm, 0, 352, "history.json", rows, nil)
	if err != nil {
		t.Fatalf("ImportHistory: %v %+v", err, rep.Problems[:min(5, len(rep.Problems))])
	}
	if rep.Imported != 400 || !rep.Loaded {
		t.Fatalf("report %+v; want 400 imported", rep)
	}
	var after int64
	_ = b.pool.QueryRow(ctx, "SELECT count(*) FROM needs_assessments WHERE la_id = 352 AND status = 'approved'").Scan(&after)
	if after-before != 400 {
		t.Errorf("approved assessments grew by %d; want 400", after-before)
	}
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND action = 'import' AND entity = 'needs_assessment' AND user_id = $1`,
		tm).Scan(&audits); err != nil || audits != 400 {
		t.Errorf("imports audited against the approver: %d (%v); want 400", audits, err)
	}
	// The first row's levels, in domain order, are what the analytics read.
	var levels []int32
	if err := b.pool.QueryRow(ctx, `SELECT a.approved_levels FROM needs_assessments a JOIN children c USING (la_id, child_id)
		WHERE c.child_ref = $1 AND a.assessed_on = $2`, rows[0].ChildRef, rows[0].AssessedOn).Scan(&levels); err != nil {
		t.Fatal(err)
	}
	for d, code := range domains {
		if levels[d] != *rows[0].Levels[code] {
			t.Errorf("approved_levels[%d] = %d; want %d", d, levels[d], *rows[0].Levels[code])
		}
	}
	again, err := b.svc.ImportHistory(ctx, tm, 0, 352, "history.json", rows, nil)
	if err != nil || again.Imported != 0 || again.Unchanged != 400 {
		t.Errorf("the same history again: %v %+v; want 400 unchanged", err, again)
	}

	// One bad row refuses the whole file, each problem named.
	fresh := history(t, b.pool, 30, approver, author)
	for i := range fresh {
		fresh[i].AssessedOn = "2023-06-0" + fmt.Sprint(1+i%8)
		fresh[i].ApprovedOn = "2023-06-20"
	}
	bad := append([]needs.HistoryRow(nil), fresh...)
	bad[3].Status = "draft"
	bad[5].Approver = author
	bad[5].Author = author
	two := int32(9)
	bad[7].Levels = map[string]*int32{"educational_progress": &two}
	bad[9].Instrument = "valuing-care"
	data, _ := json.Marshal(needs.HistoryFile{Assessments: bad})
	parsed, _, ps := needs.ReadHistory(strings.NewReader(string(data)))
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	rep, err = b.svc.ImportHistory(ctx, tm, 0, 352, "bad.json", parsed, nil)
	if !errors.Is(err, needs.ErrHistoryRefused) {
		t.Fatalf("bad history: %v; want refused", err)
	}
	want := map[string]bool{"4 status": false, "6 approver": false, "8 educational_progress": false, "8 emotional_health": false, "10 instrument": false}
	for _, p := range rep.Problems {
		k := fmt.Sprintf("%d %s", p.Row, p.Column)
		if _, ok := want[k]; ok {
			want[k] = true
		}
	}
	for k, found := range want {
		if !found {
			t.Errorf("no problem for row/column %s in %+v", k, rep.Problems)
		}
	}
	var now int64
	_ = b.pool.QueryRow(ctx, "SELECT count(*) FROM needs_assessments WHERE la_id = 352 AND status = 'approved'").Scan(&now)
	if now != after {
		t.Errorf("a refused history changed the assessments: %d → %d", after, now)
	}
	// A social worker may not import a history.
	if _, err := b.svc.ImportHistory(ctx, b.users["social.worker@manchester"], 0, 352, "h.json", fresh, nil); err == nil {
		t.Error("a social worker imported a needs history")
	}
	// Another instrument's codes come in through a mapping file.
	m := needs.Mapping{From: "vc", To: "hearth-12", Domains: map[string]string{}}
	for i, c := range domains {
		m.Domains[fmt.Sprintf("VC%02d", i+1)] = c
	}
	mapped := history(t, b.pool, 5, approver, author)
	for i := range mapped {
		mapped[i].Instrument = "vc"
		mapped[i].AssessedOn, mapped[i].ApprovedOn = "2022-02-0"+fmt.Sprint(1+i), "2022-03-01"
		lv := map[string]*int32{}
		for j, c := range domains {
			lv[fmt.Sprintf("VC%02d", j+1)] = mapped[i].Levels[c]
		}
		mapped[i].Levels = lv
	}
	if rep, err := b.svc.ImportHistory(ctx, tm, 0, 352, "vc.csv", mapped, &m); err != nil || rep.Imported != 5 {
		t.Errorf("mapped history: %v %+v", err, rep)
	}
}

// BenchmarkImportHistory times one call loading 600 approved assessments (the
// held-out cohort had 588) into a fresh database each round.
func BenchmarkImportHistory(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		pool := dbtest.New(b)
		if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 3, Children: 80, AsOf: asOf})); err != nil {
			b.Fatal(err)
		}
		az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		svc := needs.New(pool, az)
		svc.Now = func() time.Time { return asOf.Add(12 * time.Hour) }
		var tm int64
		_ = pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'team.manager@manchester.demo.hearth.test'").Scan(&tm)
		rows := history(b, pool, 600, "team.manager@manchester.demo.hearth.test", "social.worker@manchester.demo.hearth.test")
		b.StartTimer()
		rep, err := svc.ImportHistory(ctx, tm, 0, 352, "history.json", rows, nil)
		if err != nil || rep.Imported != 600 {
			b.Fatalf("%v %+v", err, rep.Problems[:min(3, len(rep.Problems))])
		}
	}
}
