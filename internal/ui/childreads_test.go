package ui_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/dbtest"
)

// statements counts the sqlc-named statements a pool runs, by name.
type statements struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if name, ok := strings.CutPrefix(d.SQL, "-- name: "); ok {
		name, _, _ = strings.Cut(name, " ")
		s.mu.Lock()
		s.n[name]++
		s.mu.Unlock()
	}
	return ctx
}

func (s *statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the counts since the last take.
func (s *statements) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.n
	s.n = map[string]int{}
	return n
}

// TestChildPageReadsTheChildOnce: the child page's services (record, needs,
// placements, court cases) authorise the child from one read of it in the
// request (children.WithMemo), with the caller's allocation in the same
// statement, and its audit events are written in one statement; a later request reads it afresh, so an allocation ended between
// two requests refuses the second.
func TestChildPageReadsTheChildOnce(t *testing.T) {
	t.Parallel()
	base := dbtest.New(t)
	count := &statements{n: map[string]int{}}
	cfg := base.Config()
	cfg.ConnConfig.Tracer = count
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	b := setupOn(t, pool, false)
	// The social worker's child in care proceedings, so every section of the
	// page (needs, placements, cases) asks about the child.
	child := b.scalar(t, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id)
		JOIN proceeding_children pc ON pc.la_id = a.la_id AND pc.child_id = a.child_id
		WHERE u.email = $1 AND a.valid_to IS NULL ORDER BY a.child_id LIMIT 1`, socialWorker)
	path := "/children/" + itoa(child)
	for _, tc := range []struct {
		who   string
		cases bool // the page shows the court case
	}{
		{socialWorker, true},
		{teamManager, true},
	} {
		t.Run(tc.who, func(t *testing.T) {
			c := b.signIn(t, tc.who)
			// The first page of the process fills the council medians and the
			// instrument cache; the page measured is the next.
			b.get(t, c, path)
			count.take()
			res, body := b.get(t, c, path)
			n := count.take()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if tc.cases && !strings.Contains(body, "/proceedings/") {
				t.Fatalf("the page shows no court case, so the case section was not exercised")
			}
			if n["ChildGet"] != 1 || n["ChildAllocatedTo"] != 0 || n["ChildCouncil"] != 0 {
				t.Errorf("the child page ran ChildGet %d, ChildAllocatedTo %d, ChildCouncil %d times; want 1, 0, 0 (all: %v)",
					n["ChildGet"], n["ChildAllocatedTo"], n["ChildCouncil"], n)
			}
			// Instruments never change once installed: read once per service.
			if n["InstrumentGet"] != 0 {
				t.Errorf("the child page read its instrument again (InstrumentGet %d)", n["InstrumentGet"])
			}
			// The page's four audit events (record, needs, assessment,
			// placements) go in one statement.
			if n["AuditInsertMany"] != 1 || n["AuditInsert"] != 0 {
				t.Errorf("the child page wrote its audit events with AuditInsertMany %d, AuditInsert %d statements; want 1, 0",
					n["AuditInsertMany"], n["AuditInsert"])
			}
			total := 0
			for _, k := range n {
				total += k
			}
			t.Logf("%d statements: %v", total, n)
		})
	}

	// The memo is the request's: once the allocation ends, the next page is
	// refused (and audited), not served from anything kept.
	sw := b.signIn(t, socialWorker)
	if res, _ := b.get(t, sw, path); res.StatusCode != http.StatusOK {
		t.Fatalf("before: status %d", res.StatusCode)
	}
	refusals := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'child' AND entity_id = $1 AND outcome <> 'ok'`, itoa(child))
	if _, err := pool.Exec(context.Background(), `UPDATE allocations SET valid_to = valid_from + 1 WHERE child_id = $1 AND valid_to IS NULL`, child); err != nil {
		t.Fatal(err)
	}
	count.take()
	if res, _ := b.get(t, sw, path); res.StatusCode != http.StatusNotFound {
		t.Fatalf("after the allocation ended: status %d, want 404", res.StatusCode)
	}
	if n := count.take(); n["ChildGet"] != 1 {
		t.Errorf("after the allocation ended the page ran ChildGet %d times, want 1 (afresh)", n["ChildGet"])
	}
	if after := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'child' AND entity_id = $1 AND outcome <> 'ok'`, itoa(child)); after != refusals+1 {
		t.Errorf("refusals audited: %d before, %d after; want one more", refusals, after)
	}
}
