package importq

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// TestTurns: councils take turns and a council runs one import at a time, so
// council B's one small file runs before council A's second and third.
func TestTurns(t *testing.T) {
	t.Parallel()
	q := New(nil, slog.New(slog.DiscardHandler), 2)
	for _, j := range []Job{{ID: 1, LA: 352}, {ID: 2, LA: 352}, {ID: 3, LA: 352}, {ID: 4, LA: 355}, {ID: 5, LA: 356}} {
		q.Submit(j)
	}
	take := func() int64 {
		j, ok := q.next()
		if !ok {
			return 0
		}
		return j.ID
	}
	// A's first runs; with it running, the next worker takes B, not A's second.
	if a, b := take(), take(); a != 1 || b != 4 {
		t.Fatalf("first two taken: %d, %d; want 1 and 4", a, b)
	}
	if c := take(); c != 5 {
		t.Fatalf("third taken: %d; want 5 (council 356)", c)
	}
	if d := take(); d != 0 {
		t.Fatalf("taken %d while council 352 is still running its first; want none", d)
	}
	q.done(Job{ID: 1, LA: 352})
	if e := take(); e != 2 {
		t.Fatalf("after 352's first finished, taken %d; want 2", e)
	}
}

// TestLeaseAndFailure: an import whose lease lapsed is marked failed with the
// reason; a live one is left running; a job that panics or fails ends failed.
func TestLeaseAndFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	log := slog.New(slog.DiscardHandler)
	if _, err := pool.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES (352, 'E08000003', 'Manchester') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	begin := func() int64 {
		id, err := db.New(pool).ImportBegin(ctx, db.ImportBeginParams{LaID: 352, Kind: "ssda903", Files: []string{"a.csv"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	status := func(id int64) (string, string) {
		var s string
		var f *string
		if err := pool.QueryRow(ctx, `SELECT status, failure FROM imports WHERE import_id = $1`, id).Scan(&s, &f); err != nil {
			t.Fatal(err)
		}
		if f == nil {
			return s, ""
		}
		return s, *f
	}
	dead, live := begin(), begin()
	if _, err := pool.Exec(ctx, `UPDATE imports SET heartbeat_at = now() - interval '3 minutes' WHERE import_id = $1`, dead); err != nil {
		t.Fatal(err)
	}
	Sweep(ctx, pool, log)
	if s, f := status(dead); s != "failed" || f != Stale {
		t.Errorf("import with a lapsed lease: %s %q; want failed with the reason", s, f)
	}
	if s, _ := status(live); s != "running" {
		t.Errorf("live import: %s; want running", s)
	}

	q := New(pool, log, 1)
	panics, fails := begin(), begin()
	q.run(ctx, Job{ID: panics, LA: 352, Run: func(context.Context) error { panic("index out of range") }})
	q.run(ctx, Job{ID: fails, LA: 352, Run: func(context.Context) error { return errors.New("disk full") }})
	if s, f := status(panics); s != "failed" || f == "" {
		t.Errorf("job that panicked: %s %q; want failed with a reason", s, f)
	}
	if s, f := status(fails); s != "failed" || f != "disk full" {
		t.Errorf("job that failed: %s %q; want failed, disk full", s, f)
	}
}
