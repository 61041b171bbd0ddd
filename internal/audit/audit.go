// Package audit writes the append-only audit trail: every view of and change to a
// child's record, every refused access, every sign-in. The table refuses updates
// and deletes (a trigger), so the application can only add to it.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

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
	// Marshalled now: the caller may change its map once Record returns.
	detail, err := detailJSON(e)
	if err != nil {
		return err
	}
	h := held{e: e, detail: detail, at: time.Now(), requestID: RequestID(ctx)}
	if b := batchFrom(ctx, q); b != nil && b.hold(h) {
		return nil
	}
	if err := fillCouncil(ctx, q, &h.e); err != nil {
		return err
	}
	if err := insert(ctx, q, h); err != nil {
		return err
	}
	if _, onPool := q.(*pgxpool.Pool); onPool {
		kick() // committed: link it now (in a transaction, the next tick will)
	}
	return nil
}

func detailJSON(e Event) ([]byte, error) {
	if len(e.Detail) == 0 {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(e.Detail)
	if err != nil {
		return nil, fmt.Errorf("audit detail: %w", err)
	}
	return b, nil
}

func insert(ctx context.Context, q db.DBTX, h held) error {
	e := h.e
	var uid *int64
	if e.UserID != 0 {
		uid = &e.UserID
	}
	var la *int32
	if e.LAID != 0 {
		la = &e.LAID
	}
	err := db.New(q).AuditInsert(ctx, db.AuditInsertParams{
		At: h.at, UserID: uid, LaID: la, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		Outcome: e.Outcome, RequestID: h.requestID, Detail: h.detail,
	})
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}

// RecordCouncils writes the event once against each council it touched, so every
// council's auditor sees it; with no council, once with none. Detail may carry
// per-council values under perCouncil (one map per council), merged in.
func RecordCouncils(ctx context.Context, q db.DBTX, e Event, las []int32, perCouncil map[int32]map[string]any) error {
	las = slices.Clone(las)
	slices.Sort(las)
	las = slices.Compact(las)
	if len(las) == 0 {
		return Record(ctx, q, e)
	}
	for _, la := range las {
		ev := e
		ev.LAID = la
		if extra := perCouncil[la]; len(extra) > 0 {
			ev.Detail = maps.Clone(e.Detail)
			if ev.Detail == nil {
				ev.Detail = map[string]any{}
			}
			maps.Copy(ev.Detail, extra)
		}
		if err := Record(ctx, q, ev); err != nil {
			return err
		}
	}
	return nil
}

// CouncilOf is the council a record belongs to (0 when there is none), read
// past row-level security by the owner's hearth_council_of (schema 023): a
// refusal names a record the person may not see, and the audit trail records
// it against that record's council. It answers the council only, and only to
// the audit trail.
func CouncilOf(ctx context.Context, q db.DBTX, entity, id string) (int32, error) {
	return db.New(q).AuditCouncilOf(ctx, db.AuditCouncilOfParams{Entity: entity, EntityID: id})
}
