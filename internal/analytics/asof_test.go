package analytics_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestPastDatesMatchTheTables holds the kept past dates (schema/031) to the
// tables: for month-ends and a date asked for, before and after a move and an
// approved correction, every council's kept rows are the rows CohortSnapshot
// works out from the tables, and the figures the same; a write marks stale
// exactly the dates on or after the day it speaks of; and a build never
// reads under an uncommitted writer.
func TestPastDatesMatchTheTables(t *testing.T) {
	t.Parallel()
	bg := context.Background()
	pool := dbtest.New(t)
	today := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(bg, pool, demo.Generate(demo.Options{Seed: 5, Children: 500, AsOf: today})); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(bg, pool, today); err != nil {
		t.Fatal(err)
	}
	ctx := postgres.WithCouncils(bg, postgres.AllCouncils())
	q := db.New(pool)
	las, err := q.AsOfCouncils(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in, err := q.InstrumentGetByCode(ctx, needs.DefaultInstrument)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	dates := []time.Time{day("2025-06-30"), day("2025-12-31"), day("2026-01-15"), day("2026-02-28")}

	// figures are the cohort figures for every council on d, whichever path
	// SnapshotComputed takes.
	figures := func(d time.Time) analytics.Cohort {
		t.Helper()
		kids, err := analytics.Snapshot(ctx, q, las, d)
		if err != nil {
			t.Fatal(err)
		}
		c := analytics.Compute(kids, analytics.Filter{}, d, 12, nil)
		c.ComputedAt = time.Time{}
		return c
	}
	// same checks the kept rows of every date that is ready against the tables,
	// and returns which dates were ready.
	same := func(when string) map[time.Time]bool {
		t.Helper()
		ready := map[time.Time]bool{}
		for _, d := range dates {
			n, err := q.AsOfReady(ctx, db.AsOfReadyParams{LaIds: las, AsOf: d, InstrumentID: in.InstrumentID})
			if err != nil {
				t.Fatal(err)
			}
			ready[d] = n == int64(len(las))
			tables, err := q.CohortSnapshot(ctx, db.CohortSnapshotParams{AsOf: d, LaIds: las, InstrumentID: in.InstrumentID})
			if err != nil {
				t.Fatal(err)
			}
			kept, err := q.AsOfSnapshot(ctx, db.AsOfSnapshotParams{LaIds: las, AsOf: d})
			if err != nil {
				t.Fatal(err)
			}
			if !ready[d] {
				continue
			}
			if len(tables) == 0 || len(kept) != len(tables) {
				t.Fatalf("%s, %s: %d kept rows, %d from the tables", when, d.Format(time.DateOnly), len(kept), len(tables))
			}
			for i := range tables {
				if db.AsOfSnapshotRow(tables[i]) != kept[i] {
					t.Fatalf("%s, %s: kept %+v, tables %+v", when, d.Format(time.DateOnly), kept[i], tables[i])
				}
			}
		}
		return ready
	}
	refresh := func() {
		t.Helper()
		if _, err := analytics.RefreshPast(bg, pool, slog.New(slog.DiscardHandler), today, time.Minute); err != nil {
			t.Fatal(err)
		}
	}

	before := map[time.Time]analytics.Cohort{}
	for _, d := range dates {
		before[d] = figures(d) // from the tables: nothing kept yet; 2026-01-15 is asked for
	}
	refresh()
	for d, ok := range same("built") {
		if !ok {
			t.Errorf("%s was not kept after the refresh", d.Format(time.DateOnly))
		}
		if got := figures(d); !reflect.DeepEqual(got, before[d]) {
			t.Errorf("%s: figures from the kept rows differ from the tables'", d.Format(time.DateOnly))
		}
	}

	// A move: change the placement of an episode that started on 2026-02-02
	// or later and is open on 2026-02-28.
	var child int64
	var la int32
	var started time.Time
	err = pool.QueryRow(ctx, `SELECT la_id, child_id, started_on FROM episodes
		WHERE started_on > '2026-01-15' AND started_on <= '2026-02-28' AND (ended_on IS NULL OR ended_on > '2026-02-28')
		  AND place <> 'K2' ORDER BY la_id, child_id LIMIT 1`).Scan(&la, &child, &started)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE episodes SET place = 'K2', place_provider = 'PR4' WHERE la_id = $1 AND child_id = $2 AND started_on = $3`, la, child, started); err != nil {
		t.Fatal(err)
	}
	ready := same("after the move")
	for _, d := range dates {
		if want := d.Before(started); ready[d] != want {
			t.Errorf("after a move dated %s: %s kept %v, want %v", started.Format(time.DateOnly), d.Format(time.DateOnly), ready[d], want)
		}
	}
	moved := figures(day("2026-02-28"))
	if reflect.DeepEqual(moved, before[day("2026-02-28")]) {
		t.Errorf("the move changed no figure on 2026-02-28: the test proves nothing")
	}
	refresh()
	for d, ok := range same("rebuilt after the move") {
		if !ok {
			t.Errorf("%s was not rebuilt", d.Format(time.DateOnly))
		}
	}
	if got := figures(day("2026-02-28")); !reflect.DeepEqual(got, moved) {
		t.Errorf("2026-02-28 rebuilt after the move: figures differ from the tables'")
	}

	// An approved correction dated 2025-12-01 of an earlier assessment: every
	// date from 2025-12-01 is stale, 2025-06-30 is not.
	tag, err := pool.Exec(ctx, `INSERT INTO needs_assessments (la_id, child_id, instrument_id, assessed_on, reason, status, author_id,
			approver_id, approved_at, supersedes, approved_levels)
		SELECT a.la_id, a.child_id, a.instrument_id, '2025-12-01', 'other', 'approved', a.author_id, a.approver_id, now(), a.assessment_id,
		       array_fill(3, ARRAY[12])
		FROM needs_assessments a
		WHERE a.status = 'approved' AND a.assessed_on < '2025-11-01' AND a.instrument_id = $1
		  AND NOT EXISTS (SELECT 1 FROM needs_assessments b WHERE b.la_id = a.la_id AND b.child_id = a.child_id AND b.assessed_on > a.assessed_on)
		ORDER BY a.la_id, a.assessment_id LIMIT 1`, in.InstrumentID)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("correction: %v, %v", tag, err)
	}
	ready = same("after the correction")
	for _, d := range dates {
		if want := d.Before(day("2025-12-01")); ready[d] != want {
			t.Errorf("after a correction dated 2025-12-01: %s kept %v, want %v", d.Format(time.DateOnly), ready[d], want)
		}
	}
	corrected := figures(day("2025-12-31"))
	if reflect.DeepEqual(corrected, before[day("2025-12-31")]) {
		t.Errorf("the correction changed no figure on 2025-12-31: the test proves nothing")
	}
	refresh()
	for d, ok := range same("rebuilt after the correction") {
		if !ok {
			t.Errorf("%s was not rebuilt", d.Format(time.DateOnly))
		}
	}
	if got := figures(day("2025-12-31")); !reflect.DeepEqual(got, corrected) {
		t.Errorf("2025-12-31 rebuilt after the correction: figures differ from the tables'")
	}

	// A writer not yet committed: a build refuses rather than read around it,
	// and the write, once committed, marks the date stale.
	tx, err := pool.BeginTx(postgres.WithCouncils(bg, postgres.OnlyCouncils(la)), pgx.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE episodes SET place = 'U4' WHERE la_id = $1 AND child_id = $2 AND started_on = $3`, la, child, started); err != nil {
		t.Fatal(err)
	}
	if _, err := analytics.BuildAsOf(bg, pool, la, day("2026-02-28"), in.InstrumentID); !errors.Is(err, analytics.ErrBusy) {
		t.Errorf("build beside an uncommitted writer: %v, want ErrBusy", err)
	}
	if err := tx.Commit(bg); err != nil {
		t.Fatal(err)
	}
	if ready := same("after the committed write"); ready[day("2026-02-28")] {
		t.Errorf("2026-02-28 still kept after a committed write to it")
	}
}
