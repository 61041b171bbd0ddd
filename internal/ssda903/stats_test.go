package ssda903_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// A first import into a council the planner believes empty leaves the tables
// it bulk-loaded with statistics that count its rows, so the next import (and
// the pages) are not planned as if the council had no children (issue 19).
func TestFirstImportRefreshesStatistics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	if _, err := owner.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES (352, 'E08000003', 'Manchester')`); err != nil {
		t.Fatal(err)
	}
	// Freshly analysed and empty, as a new database is.
	if _, err := owner.Exec(ctx, `ANALYZE children; ANALYZE episodes`); err != nil {
		t.Fatal(err)
	}
	reltuples := func(table string) float64 {
		t.Helper()
		var n float64
		if err := owner.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"children", "episodes"} {
		if n := reltuples(table); n > 0 {
			t.Fatalf("before the import the planner counts %v rows in %s; want none", n, table)
		}
	}
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 3, Children: 2500, Year: 2026, History: true})
	im := &ssda903.Importer{Pool: app, Log: slog.New(slog.DiscardHandler)}
	rep, err := im.Import(ctx, 0, 352, 2026, ssda903.SynthFiles(tables), nil)
	if err != nil {
		t.Fatal(err)
	}
	var kids, eps int64
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM children), (SELECT count(*) FROM episodes)`).Scan(&kids, &eps); err != nil {
		t.Fatal(err)
	}
	if kids != 2500 || !rep.Imported {
		t.Fatalf("imported %d children (report %+v); want 2500", kids, rep.Imported)
	}
	// The tables other than children are refreshed beside the report.
	im.StatsSettled()
	// ANALYZE samples, but below its sample size it reads every row.
	for table, want := range map[string]int64{"children": kids, "episodes": eps} {
		if n := reltuples(table); int64(n) != want {
			t.Errorf("after the import the planner counts %v rows in %s; want %d", n, table, want)
		}
	}
}
