// Package audit writes the append-only audit trail: every view of and change to a
// child's record, every refused access, every sign-in. The table refuses updates
// and deletes (a trigger), so the application can only add to it.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// Outcomes of an audited action.
const (
	OK       = "ok"
	Denied   = "denied"
	NotFound = "not_found"
	Failed   = "failed"
)

// Event is one audited action.
type Event struct {
	UserID   int64 // 0 when nobody is signed in
	LAID     int32 // the council whose record it is; 0 if none
	Action   string
	Entity   string
	EntityID string
	Outcome  string
	Detail   map[string]any
}

type ctxKey struct{}

// WithRequestID returns a context that carries the request ID into audit events.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the request ID carried by ctx.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Record writes an event through q, which may be a transaction, so that a change
// and its audit event commit together.
func Record(ctx context.Context, q db.DBTX, e Event) error {
	if e.Outcome == "" {
		e.Outcome = OK
	}
	detail := []byte("{}")
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		detail = b
	}
	var uid *int64
	if e.UserID != 0 {
		uid = &e.UserID
	}
	var la *int32
	if e.LAID != 0 {
		la = &e.LAID
	}
	err := db.New(q).AuditInsert(ctx, db.AuditInsertParams{
		At: time.Now(), UserID: uid, LaID: la, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		Outcome: e.Outcome, RequestID: RequestID(ctx), Detail: detail,
	})
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}
