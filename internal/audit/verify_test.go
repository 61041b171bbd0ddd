package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// setup records events in two councils and with no council, as the server
// does, and returns both pools.
func setup(t *testing.T) (app, owner *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	app, owner = dbtest.NewWithOwner(t)
	if _, err := owner.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES
		(352, 'E08000003', 'Manchester'), (355, 'E08000006', 'Salford')`); err != nil {
		t.Fatal(err)
	}
	events := []audit.Event{
		{Action: "sign_in", Entity: "user", EntityID: "7", UserID: 7},
		{LAID: 352, Action: "view", Entity: "child", EntityID: "1", UserID: 7},
		{LAID: 352, Action: "export", Entity: "needs", Detail: map[string]any{"rows": 12, "note": "semi;colon: and ünïcode"}},
		{LAID: 355, Action: "view", Entity: "child", EntityID: "2", Outcome: audit.NotFound, UserID: 7},
		{LAID: 352, Action: "update", Entity: "child", EntityID: "1", UserID: 8},
		{Action: "sign_out", Entity: "user", EntityID: "7", UserID: 7},
		{LAID: 352, Action: "view", Entity: "child", EntityID: "3"},
	}
	for _, e := range events {
		if err := audit.Record(audit.WithRequestID(ctx, "req-"+e.Action), app, e); err != nil {
			t.Fatal(err)
		}
	}
	return app, owner
}

// TestPayloadMatchesDatabase: Go builds the same text the database hashed, so
// verify recomputes the chain without trusting the database's function.
func TestPayloadMatchesDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	if _, err := audit.LinkPending(ctx, app, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := owner.Query(ctx, `SELECT l.chain, l.seq, e.event_id, e.at, e.user_id, e.la_id, e.action, e.entity, e.entity_id,
		e.outcome, e.request_id, e.detail::text, l.prev_hash, l.hash, audit_event_payload(e, l.seq)
		FROM audit_events e JOIN audit_links l ON l.event_id = e.event_id ORDER BY e.event_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var l audit.Link
		var want string
		if err := rows.Scan(&l.LAID, &l.Seq, &l.EventID, &l.At, &l.UserID, &l.EventLA, &l.Action, &l.Entity, &l.EntityID,
			&l.Outcome, &l.RequestID, &l.Detail, &l.PrevHash, &l.Hash, &want); err != nil {
			t.Fatal(err)
		}
		if got := audit.Payload(l); got != want {
			t.Errorf("Payload(event %d) = %q; want %q", l.EventID, got, want)
		}
		n++
	}
	if n != 7 {
		t.Fatalf("%d events; want 7", n)
	}
	reports, err := audit.Verify(ctx, app, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int32]int64{}
	for _, r := range reports {
		if r.Break != nil {
			t.Errorf("council %d: untouched chain broken at %s", r.LAID, r.Break)
		}
		got[r.LAID] = r.Events
	}
	if want := map[int32]int64{0: 2, 352: 4, 355: 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("chains = %v; want %v", got, want)
	}
}

// TestVerifyNamesTamperedEvent: whatever the owner does to an event (the
// server cannot), verify names the first broken link.
func TestVerifyNamesTamperedEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper []string // $1 is the second event of council 352's chain
		reason string
	}{
		{"changed action", []string{"UPDATE audit_events SET action = 'nothing' WHERE event_id = $1"}, "contents do not match"},
		{"changed user", []string{"UPDATE audit_events SET user_id = 99 WHERE event_id = $1"}, "contents do not match"},
		{"changed detail", []string{`UPDATE audit_events SET detail = '{"rows": 1}' WHERE event_id = $1`}, "contents do not match"},
		{"changed time", []string{"UPDATE audit_events SET at = at - interval '1 day' WHERE event_id = $1"}, "contents do not match"},
		{"moved to another council", []string{"UPDATE audit_events SET la_id = 355 WHERE event_id = $1",
			"UPDATE audit_links SET chain = 355, seq = 1000 WHERE event_id = $1"}, "missing"},
		// Changed, then given the hash its new contents would have.
		{"rehashed alone", []string{"UPDATE audit_events SET action = 'y' WHERE event_id = $1",
			"UPDATE audit_links l SET hash = sha256(l.prev_hash || convert_to(audit_event_payload(e, l.seq), 'UTF8')) FROM audit_events e WHERE e.event_id = l.event_id AND l.event_id = $1"},
			"does not follow"},
		{"deleted", []string{"DELETE FROM audit_links WHERE event_id = $1", "DELETE FROM audit_events WHERE event_id = $1"}, "missing"},
		{"deleted, link kept", []string{"DELETE FROM audit_events WHERE event_id = $1"}, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			app, owner := setup(t)
			if _, err := audit.LinkPending(ctx, app, nil); err != nil {
				t.Fatal(err)
			}
			var second, third int64
			if err := owner.QueryRow(ctx, "SELECT event_id FROM audit_links WHERE chain = 352 AND seq = 2").Scan(&second); err != nil {
				t.Fatal(err)
			}
			if err := owner.QueryRow(ctx, "SELECT event_id FROM audit_links WHERE chain = 352 AND seq = 3").Scan(&third); err != nil {
				t.Fatal(err)
			}
			// The owner can switch the append-only triggers off; hearth_app cannot
			// (internal/postgres TestAuditTrailRefusedToApp, TestAppCannotForgeTheChain).
			steps := append([]string{"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
				"ALTER TABLE audit_links DISABLE TRIGGER audit_links_no_change"}, tt.tamper...)
			for _, sql := range steps {
				args := []any{}
				if strings.Contains(sql, "$1") {
					args = append(args, second)
				}
				if _, err := owner.Exec(ctx, sql, args...); err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
			}
			reports, err := audit.Verify(ctx, app, []int32{352})
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 1 || reports[0].Break == nil {
				t.Fatalf("Verify after %s = %+v; want council 352's chain broken", tt.name, reports)
			}
			b := reports[0].Break
			want := second
			if tt.name == "deleted" || tt.name == "deleted, link kept" || tt.name == "moved to another council" || tt.name == "rehashed alone" {
				want = third // the event after the gap, or after the rehashed one, no longer follows
			}
			if b.EventID != want || !strings.Contains(b.Reason, tt.reason) {
				t.Errorf("Verify after %s: broken at %s; want event %d (%s)", tt.name, b, want, tt.reason)
			}
			// The other council's chain is untouched.
			others, err := audit.Verify(ctx, app, []int32{355})
			if tt.name == "moved to another council" {
				// It arrives out of place in 355's chain too.
				if err != nil || len(others) != 1 || others[0].Break == nil || others[0].Break.EventID != second {
					t.Errorf("council 355 = %+v, %v; want broken at event %d", others, err, second)
				}
				return
			}
			if err != nil || len(others) != 1 || others[0].Break != nil {
				t.Errorf("council 355 = %+v, %v; want intact", others, err)
			}
		})
	}
}

// TestChainUnderConcurrency: events recorded at once in one council still
// make one unbroken chain.
func TestChainUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, _ := setup(t)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := audit.Record(ctx, app, audit.Event{LAID: 352, Action: "view", Entity: "child", EntityID: fmt.Sprint(w*1000 + i)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	reports, err := audit.Verify(ctx, app, []int32{352})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Break != nil || reports[0].Events != 4+workers*each {
		t.Fatalf("after %d concurrent events: %+v", workers*each, reports)
	}
}
