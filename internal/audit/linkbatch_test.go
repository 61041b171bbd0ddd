package audit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// pendingEvents records n events of council 352 in one transaction, as a
// busy moment leaves them for the chainer.
func pendingEvents(t testing.TB, app *pgxpool.Pool, n int) {
	t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, app, func(tx pgx.Tx) error {
		for i := range n {
			if err := audit.Record(audit.WithRequestID(ctx, fmt.Sprint("req-", i)), tx, audit.Event{
				LAID: 352, UserID: int64(7 + i%3), Action: "view", Entity: "child", EntityID: fmt.Sprint(i),
				Detail: map[string]any{"i": i, "note": "semi;colon: ünïcode"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBatchLinksInOneCall: a council's backlog of pending events is linked by
// one call of audit_link (schema 038: one INSERT of every link), and the chain
// it leaves verifies — verify recomputes each hash in Go, so the set-based
// linking gives the same hashes event by event as the chain's definition.
func TestBatchLinksInOneCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	const n = 1500
	pendingEvents(t, app, n)
	var pending int64
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM audit_pending WHERE chain = 352`).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending != n+4 { // setup's four events of Manchester are pending too
		t.Fatalf("%d pending before linking; want %d", pending, n+4)
	}
	var linked int64
	if err := app.QueryRow(ctx, `SELECT audit_link(ARRAY[352], 5000, true)`).Scan(&linked); err != nil {
		t.Fatal(err)
	}
	if linked != pending {
		t.Fatalf("one call linked %d of %d pending events", linked, pending)
	}
	var left, seqs, maxSeq int64
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM audit_pending WHERE chain = 352),
		count(DISTINCT seq), max(seq) FROM audit_links WHERE chain = 352`).Scan(&left, &seqs, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if left != 0 || seqs != pending || maxSeq != pending {
		t.Fatalf("after one call: %d still pending, %d links, last place %d; want 0, %d, %d", left, seqs, maxSeq, pending, pending)
	}
	reports, err := audit.Verify(ctx, app, []int32{352})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Break != nil || reports[0].Events != pending || reports[0].Unlinked != 0 {
		t.Fatalf("verify after the batch: %+v; want %d linked events, chain intact", reports, pending)
	}
	// A second batch continues the chain from its end.
	pendingEvents(t, app, 10)
	if n, err := audit.LinkPending(ctx, app, []int32{352}); err != nil || n != 10 {
		t.Fatalf("second batch: linked %d (%v); want 10", n, err)
	}
	if reports, err = audit.Verify(ctx, app, []int32{352}); err != nil || reports[0].Break != nil || reports[0].Events != pending+10 {
		t.Fatalf("verify after the second batch: %+v (%v)", reports, err)
	}
}

// BenchmarkLink measures linking a backlog of 1,000 pending events of one
// council; the figure to read is ns/event (schema 036 linked one statement
// per event, 038 one per chain a call).
func BenchmarkLink(b *testing.B) {
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(b)
	if _, err := owner.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES (352, 'E08000003', 'Manchester')`); err != nil {
		b.Fatal(err)
	}
	const backlog = 1000
	for b.Loop() {
		b.StopTimer()
		pendingEvents(b, app, backlog)
		b.StartTimer()
		if n, err := audit.LinkPending(ctx, app, []int32{352}); err != nil || n != backlog {
			b.Fatalf("linked %d (%v); want %d", n, err, backlog)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*backlog), "ns/event")
}
