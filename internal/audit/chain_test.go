package audit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestCouncilRequestsDoNotQueue: two requests of one council, each holding an
// uncommitted audit insert, both get their inserts through and commit. Under
// schema 017's lock, held to commit, the second insert waited for the first
// transaction to end, so it timed out here.
func TestCouncilRequestsDoNotQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, _ := setup(t)
	var txs []pgx.Tx
	for i := range 2 {
		tx, err := app.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		// A deadline on the insert alone: the first transaction is still open
		// while the second inserts.
		ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = audit.Record(ictx, tx, audit.Event{LAID: 352, Action: "view", Entity: "child", EntityID: fmt.Sprint(100 + i)})
		cancel()
		if err != nil {
			t.Fatalf("insert %d while another of the council's transactions holds an uncommitted event: %v", i+1, err)
		}
		txs = append(txs, tx)
	}
	// Committed in the opposite order to their inserts.
	for i := len(txs) - 1; i >= 0; i-- {
		if err := txs[i].Commit(ctx); err != nil {
			t.Fatalf("commit %d: %v", i+1, err)
		}
	}
	reports, err := audit.Verify(ctx, app, []int32{352})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Break != nil || reports[0].Events != 6 || reports[0].Unlinked != 0 {
		t.Fatalf("after two overlapping transactions: %+v; want 6 linked events, chain intact", reports)
	}
}

// TestChainersLinkConcurrentRequests: many requests of one council record
// events at once while two chainers (two server processes) link them; the
// chain is then complete, in order, and verifies.
func TestChainersLinkConcurrentRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	const workers, each = 8, 40
	chainers := []*audit.Chainer{audit.NewChainer(app, slog.Default(), time.Second), audit.NewChainer(app, slog.Default(), time.Second)}
	stop := make(chan struct{})
	var linkers sync.WaitGroup
	linked := make([]int64, len(chainers))
	linkErrs := make(chan error, len(chainers))
	for i, c := range chainers {
		linkers.Add(1)
		go func() {
			defer linkers.Done()
			for {
				n, err := c.Link(ctx)
				if err != nil {
					linkErrs <- err
					return
				}
				linked[i] += n
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				// As a page does: its events held, then written in one transaction.
				rctx, b := audit.WithBatch(ctx)
				for k := range 3 {
					if err := audit.Record(rctx, app, audit.Event{LAID: 352, Action: "view", Entity: "child", EntityID: fmt.Sprint(w*10000 + i*10 + k)}); err != nil {
						errs <- err
						return
					}
				}
				if err := b.Flush(rctx, app); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	linkers.Wait()
	close(errs)
	close(linkErrs)
	for err := range errs {
		t.Fatal(err)
	}
	for err := range linkErrs {
		t.Fatal(err)
	}
	if linked[0]+linked[1] == 0 {
		t.Errorf("the chainers linked nothing while the requests ran")
	}
	reports, err := audit.Verify(ctx, app, []int32{352})
	if err != nil {
		t.Fatal(err)
	}
	const total = 4 + workers*each*3
	if len(reports) != 1 || reports[0].Break != nil || reports[0].Events != total || reports[0].Unlinked != 0 {
		t.Fatalf("after %d concurrent events: %+v; want %d linked, chain intact", workers*each*3, reports, total)
	}
	// Every event is linked exactly once, and the chain numbers 1…n.
	var events, links, maxSeq, pending int64
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM audit_events WHERE la_id = 352),
		(SELECT count(DISTINCT event_id) FROM audit_links WHERE chain = 352), (SELECT max(seq) FROM audit_links WHERE chain = 352),
		(SELECT count(*) FROM audit_pending)`).Scan(&events, &links, &maxSeq, &pending); err != nil {
		t.Fatal(err)
	}
	if events != total || links != total || maxSeq != total || pending != 0 {
		t.Errorf("events %d, linked %d, last link %d, pending %d; want %d, %d, %d, 0", events, links, maxSeq, pending, total, total, total)
	}
	t.Logf("linked by the chainers while the requests ran: %d and %d of %d", linked[0], linked[1], workers*each*3)
}

// TestChainerRunLinksAfterCommit: a running chainer links a batch soon after
// it commits, without verify.
func TestChainerRunLinksAfterCommit(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app, owner := setup(t)
	done := make(chan struct{})
	go func() { audit.NewChainer(app, slog.Default(), 20*time.Millisecond).Run(ctx); close(done) }()
	rctx, b := audit.WithBatch(ctx)
	if err := audit.Record(rctx, app, audit.Event{LAID: 355, Action: "view", Entity: "child", EntityID: "9"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(rctx, app); err != nil {
		t.Fatal(err)
	}
	var pending int64 = -1
	for range 500 { // up to 10 s
		if err := owner.QueryRow(ctx, "SELECT count(*) FROM audit_pending").Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if pending != 0 {
		t.Fatalf("%d events still unlinked with a chainer running", pending)
	}
	var seq int64
	if err := owner.QueryRow(context.Background(), `SELECT l.seq FROM audit_links l JOIN audit_events e USING (event_id)
		WHERE e.la_id = 355 AND e.entity_id = '9'`).Scan(&seq); err != nil || seq != 2 {
		t.Fatalf("the new event's link = %d, %v; want link 2 of council 355's chain", seq, err)
	}
}

// TestVerifyFindsEventsLeftOutOfTheChain: an event that never reached the
// queue (only the owner can arrange that) is a break once it is older than
// LinkBound; one committed a moment ago is only counted.
func TestVerifyFindsEventsLeftOutOfTheChain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		age   string
		broke bool
	}{
		{"just committed", "0 seconds", false},
		{"two minutes old", "2 minutes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			app, owner := setup(t)
			var id int64
			if err := pgx.BeginFunc(ctx, owner, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_pending"); err != nil {
					return err
				}
				if err := tx.QueryRow(ctx, `INSERT INTO audit_events (at, la_id, action, entity, entity_id)
					VALUES (now() - $1::interval, 352, 'view', 'child', '77') RETURNING event_id`, tt.age).Scan(&id); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_pending")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			reports, err := audit.Verify(ctx, app, []int32{352})
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 1 || reports[0].Unlinked != 1 || reports[0].Events != 4 {
				t.Fatalf("Verify = %+v; want 4 linked and 1 unlinked", reports)
			}
			b := reports[0].Break
			if tt.broke && (b == nil || b.EventID != id || !strings.Contains(b.Reason, "in no chain")) {
				t.Errorf("event left out %s: break %v; want event %d in no chain", tt.age, b, id)
			}
			if !tt.broke && b != nil {
				t.Errorf("event committed just now: break %v; want none (it is only counted)", b)
			}
		})
	}
}

// TestAppCannotForgeTheChain: the server's role cannot write, change or
// remove a link, nor empty the queue so that an event escapes the chain;
// calling the linker only links what is really there.
func TestAppCannotForgeTheChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	if _, err := audit.LinkPending(ctx, app, nil); err != nil {
		t.Fatal(err)
	}
	// One more event, still pending, so the queue has something to remove.
	if err := audit.Record(ctx, app, audit.Event{LAID: 352, Action: "view", Entity: "child", EntityID: "5"}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"INSERT INTO audit_links (chain, seq, event_id, prev_hash, hash) VALUES (352, 99, 1, '', '')",
		"UPDATE audit_links SET hash = prev_hash",
		"UPDATE audit_links SET seq = seq + 100 WHERE chain = 352",
		"DELETE FROM audit_links",
		"TRUNCATE audit_links",
		"ALTER TABLE audit_links DISABLE TRIGGER audit_links_no_change",
		"DROP TABLE audit_links",
		"SELECT count(*) FROM audit_pending",
		"DELETE FROM audit_pending",
		"INSERT INTO audit_pending (chain, event_id) VALUES (352, 1)",
		"TRUNCATE audit_pending",
		"UPDATE audit_events SET action = 'nothing'",
		"DELETE FROM audit_events",
		"ALTER TABLE audit_events DISABLE TRIGGER audit_events_pending",
		"DROP TRIGGER audit_events_pending ON audit_events",
		"CREATE OR REPLACE FUNCTION audit_events_pending() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
		"CREATE OR REPLACE FUNCTION audit_event_payload(e audit_events, seq bigint) RETURNS text LANGUAGE sql AS $$ SELECT '' $$",
		"SELECT audit_link(NULL, 0, false)",
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := app.Exec(ctx, sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("%s as hearth_app = %v; want it refused", sql, err)
			}
			t.Logf("refused: %s %s", pgErr.Code, pgErr.Message)
		})
	}
	// The links a council's session reads are its council's only, as with the events.
	for _, tc := range []struct {
		councils postgres.Councils
		want     string
	}{{postgres.OnlyCouncils(355), "355"}, {postgres.OnlyCouncils(352), "352"}, {postgres.Councils{}, ""}} {
		var seen string
		if err := app.QueryRow(postgres.WithCouncils(ctx, tc.councils), "SELECT coalesce(string_agg(DISTINCT chain::text, ','), '') FROM audit_links").Scan(&seen); err != nil {
			t.Fatal(err)
		}
		if seen != tc.want {
			t.Errorf("a session of councils %v reads the links of chains %q; want %q", tc.councils, seen, tc.want)
		}
	}
	var links, pending int64
	if err := owner.QueryRow(ctx, "SELECT (SELECT count(*) FROM audit_links), (SELECT count(*) FROM audit_pending)").Scan(&links, &pending); err != nil {
		t.Fatal(err)
	}
	if links != 7 || pending != 1 {
		t.Errorf("after the attempts: %d links, %d pending; want 7 and 1", links, pending)
	}
	reports, err := audit.Verify(ctx, app, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if r.Break != nil || r.Unlinked != 0 {
			t.Errorf("chain %d after the attempts: %+v; want intact and complete", r.LAID, r)
		}
	}
}
