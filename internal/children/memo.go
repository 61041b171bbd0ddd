package children

import (
	"context"
	"sync"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// Memo holds the children one request has read, so that the services a page
// calls (the child's record, needs, placements, court cases) each authorise
// the child without reading it again: the child page read the same row five
// times. It lives in the request's context (WithMemo, installed once per
// request by the HTTP server's authentication middleware) and dies with the
// request, so a change of allocation or of grants takes effect on the next
// request; a change made by this request forgets the child (forget).
//
// Only rows the caller was allowed to see are kept, keyed by user and child
// (a row carries the caller's own allocation flag). A refusal is never kept:
// each asks the database again and is audited as it always was.
type Memo struct {
	mu   sync.Mutex
	rows map[memoKey]db.ChildGetRow
}

type memoKey struct{ user, child int64 }

type memoCtxKey struct{}

// WithMemo returns a context carrying a new, empty memo for one request.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoCtxKey{}, &Memo{rows: map[memoKey]db.ChildGetRow{}})
}

func memoFrom(ctx context.Context) *Memo {
	m, _ := ctx.Value(memoCtxKey{}).(*Memo)
	return m
}

// recall returns the row the request already read for the user and child.
func recall(ctx context.Context, userID, childID int64) (db.ChildGetRow, bool) {
	m := memoFrom(ctx)
	if m == nil {
		return db.ChildGetRow{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.rows[memoKey{userID, childID}]
	return c, ok
}

// remember keeps a row the user was allowed to see, for the rest of the request.
func remember(ctx context.Context, userID int64, c db.ChildGetRow) {
	if m := memoFrom(ctx); m != nil {
		m.mu.Lock()
		m.rows[memoKey{userID, c.ChildID}] = c
		m.mu.Unlock()
	}
}

// forget drops every user's row for the child: the request has changed the
// child or its allocations, so a later read in it must see the change.
func forget(ctx context.Context, childID int64) {
	if m := memoFrom(ctx); m != nil {
		m.mu.Lock()
		for k := range m.rows {
			if k.child == childID {
				delete(m.rows, k)
			}
		}
		m.mu.Unlock()
	}
}

// read returns the child as the caller may see it, from the request's memo
// or the database (pgx.ErrNoRows when they may not see it).
func read(ctx context.Context, q *db.Queries, sc authz.Scope, userID, childID int64) (db.ChildGetRow, error) {
	if c, ok := recall(ctx, userID, childID); ok {
		return c, nil
	}
	c, err := q.ChildGet(ctx, db.ChildGetParams{ChildID: childID, AllLaIds: sc.All, AllocatedLaIds: sc.Own, UserID: userID})
	if err == nil {
		remember(ctx, userID, c)
	}
	return c, err
}
