package ssda903_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// changeNumber is the last number taken from child_current_changes, which
// today's view compares with the one it was refreshed at (schema 015, 035).
func (b *bundle) changeNumber(t *testing.T) int64 {
	t.Helper()
	return b.count(t, "SELECT coalesce(pg_sequence_last_value('child_current_changes'::regclass), 0)")
}

// An import writes thousands of rows to what today's view reads; it must
// still mark the view stale (one number, at commit), and only once: the
// per-row trigger took a number per row, ~125,000 trigger calls for a
// 20,000-child return (docs/scaling.md).
func TestImportTakesOneChangeNumber(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	before := b.changeNumber(t)
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 7, Children: 40, Year: 2026, History: true})
	rep, err := b.im.Import(ctx, b.analyst, 352, 2026, ssda903.SynthFiles(tables), nil)
	if err != nil {
		t.Fatalf("import: %v (%d errors)", err, rep.Errors)
	}
	if rep.Counts["episodes"].Inserted < 40 {
		t.Fatalf("the import wrote %d episodes; the test needs a real load", rep.Counts["episodes"].Inserted)
	}
	if got := b.changeNumber(t) - before; got != 1 {
		t.Errorf("the import took %d change numbers, want exactly 1", got)
	}
}

// The once-per-transaction flag is rolled back with a savepoint, so a write
// that survives a rolled-back one still marks the view stale, and a
// transaction rolled back whole marks nothing.
func TestChangeNumberFollowsSavepoints(t *testing.T) {
	b := setup(t)
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 9, Children: 5, Year: 2026})
	if _, err := b.im.Import(context.Background(), b.analyst, 352, 2026, ssda903.SynthFiles(tables), nil); err != nil {
		t.Fatal(err)
	}
	ctx := postgres.WithCouncils(context.Background(), postgres.OnlyCouncils(352))
	touch := `UPDATE children SET updated_at = now() WHERE la_id = 352`
	for _, tc := range []struct {
		name   string
		run    func(tx pgx.Tx) error
		commit bool
		want   int64
	}{
		{"write, savepoint rolled back, write again", func(tx pgx.Tx) error {
			sp, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := sp.Exec(ctx, touch); err != nil {
				return err
			}
			if err := sp.Rollback(ctx); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, touch)
			return err
		}, true, 1},
		{"only the rolled-back savepoint wrote", func(tx pgx.Tx) error {
			sp, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := sp.Exec(ctx, touch); err != nil {
				return err
			}
			return sp.Rollback(ctx)
		}, true, 0},
		{"many statements, one transaction", func(tx pgx.Tx) error {
			for range 3 {
				if _, err := tx.Exec(ctx, touch); err != nil {
					return err
				}
			}
			return nil
		}, true, 1},
		{"rolled back whole", func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, touch)
			return err
		}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if b.count(t, "SELECT count(*) FROM children WHERE la_id = 352") == 0 {
				t.Fatal("no Manchester child to write to")
			}
			before := b.changeNumber(t)
			tx, err := b.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.run(tx); err != nil {
				_ = tx.Rollback(ctx)
				t.Fatal(err)
			}
			if tc.commit {
				err = tx.Commit(ctx)
			} else {
				err = tx.Rollback(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := b.changeNumber(t) - before; got != tc.want {
				t.Errorf("took %d change numbers, want %d", got, tc.want)
			}
		})
	}
}

// The checks across tables run beside the load, in its transaction: a
// return they refuse writes nothing, even when the load itself failed on
// what they found (a child twice in Header breaks the children's unique key
// before the checks finish), and the council sees the rule, not the
// database's error.
func TestChecksBesideTheLoadRefuseWhole(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 8, Children: 30, Year: 2026, History: true})
	lines := bytes.SplitAfter(tables[ssda903.Header], []byte("\n"))
	whole := tables[ssda903.Header]
	tables[ssda903.Header] = append(append([]byte{}, whole...), lines[1]...)
	children := b.count(t, "SELECT count(*) FROM children WHERE la_id = 352")
	episodes := b.count(t, "SELECT count(*) FROM episodes WHERE la_id = 352")
	rep, err := b.im.Import(ctx, b.analyst, 352, 2026, ssda903.SynthFiles(tables), nil)
	if !errors.Is(err, ssda903.ErrRefused) {
		t.Fatalf("import: %v, want refused", err)
	}
	if rep.Imported || rep.Failure != "" {
		t.Errorf("imported %v, failure %q: want a refusal with the checks' problems", rep.Imported, rep.Failure)
	}
	found := false
	for _, p := range rep.Problems {
		found = found || p.Rule == "INT32"
	}
	if !found {
		t.Errorf("no INT32 problem (child twice in Header) among %d problems", len(rep.Problems))
	}
	if c, e := b.count(t, "SELECT count(*) FROM children WHERE la_id = 352"), b.count(t, "SELECT count(*) FROM episodes WHERE la_id = 352"); c != children || e != episodes {
		t.Errorf("children %d → %d, episodes %d → %d: a refused return wrote", children, c, episodes, e)
	}
	// The same return without the repeated row imports: the refusal was the checks'.
	tables[ssda903.Header] = whole
	if rep, err := b.im.Import(ctx, b.analyst, 352, 2026, ssda903.SynthFiles(tables), nil); err != nil || rep.Counts["episodes"].Inserted == 0 {
		t.Errorf("the return without the repeat: %v, %d episodes inserted", err, rep.Counts["episodes"].Inserted)
	}
}

// A bulk load into tables whose statistics say they are (nearly) empty
// refreshes them once committed, beside the report, so the pages that read
// the tables next plan on the rows now there; StatsSettled waits for it.
func TestBulkLoadRefreshesStatistics(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	believed := func() float64 {
		var n float64
		if err := b.pool.QueryRow(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'episodes'::regclass").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := believed()
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 10, Children: 700, Year: 2026, History: true})
	rep, err := b.im.Import(ctx, b.analyst, 352, 2026, ssda903.SynthFiles(tables), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := rep.Counts["episodes"].Inserted
	if n < 2000 || before >= float64(n) {
		t.Fatalf("%d episodes inserted, statistics counted %.0f before: the test needs a bulk load into a table believed smaller", n, before)
	}
	b.im.StatsSettled()
	if after := believed(); after < float64(n) {
		t.Errorf("after the import settled, the planner believes episodes holds %.0f rows; %d were loaded", after, n)
	}
}
