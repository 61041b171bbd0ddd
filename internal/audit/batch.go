package audit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
)

// Batch holds a request's audit events until just before its answer is sent,
// then writes them in one transaction. A child page records four or five
// events (the record, needs, placements, the case); written one by one they
// cost a WAL flush each, which at 300 pages a second is most of what the
// disk does. An event still reaches the trail before the person sees
// anything: the server writes the batch before the first byte of the answer,
// and answers an error instead if it cannot.
//
// Only events recorded on the pool are held. An event recorded inside a
// transaction is part of that transaction's change and commits with it.
type Batch struct {
	mu     sync.Mutex
	events []held
	closed bool
}

type held struct {
	e         Event
	detail    []byte
	at        time.Time
	requestID string
}

type batchKey struct{}

// WithBatch returns a context whose audit events on the pool wait in the
// returned Batch until Flush.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{}
	return context.WithValue(ctx, batchKey{}, b), b
}

// hold keeps e for the batch; false once the batch has been written, when
// the event must be written on its own.
func (b *Batch) hold(h held) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.events = append(b.events, h)
	return true
}

// Len is how many events are waiting.
func (b *Batch) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

// Flush writes the waiting events in one transaction and closes the batch:
// events recorded after it are written at once. It is not cancelled with the
// request: a view already served must reach the trail even if the person has
// gone.
func (b *Batch) Flush(ctx context.Context, pool *pgxpool.Pool) error {
	b.mu.Lock()
	events := b.events
	b.events, b.closed = nil, true
	b.mu.Unlock()
	if len(events) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	// No lock is taken: the events are linked into their chains after commit
	// (Chainer, schema 036), so a council's requests commit side by side. The
	// councils of refusals are looked up first; then every event goes in one
	// statement, which is atomic on its own: one round trip, not a
	// transaction of one INSERT each (BEGIN, four INSERTs, COMMIT were six).
	var p db.AuditInsertManyParams
	for _, h := range events {
		if err := fillCouncil(ctx, pool, &h.e); err != nil {
			return err
		}
		e := h.e
		p.At = append(p.At, h.at)
		p.UserIds = append(p.UserIds, e.UserID)
		p.LaIds = append(p.LaIds, e.LAID)
		p.Actions = append(p.Actions, e.Action)
		p.Entities = append(p.Entities, e.Entity)
		p.EntityIds = append(p.EntityIds, e.EntityID)
		p.Outcomes = append(p.Outcomes, e.Outcome)
		p.RequestIds = append(p.RequestIds, h.requestID)
		p.Details = append(p.Details, string(h.detail))
	}
	if err := db.New(pool).AuditInsertMany(ctx, p); err != nil {
		return fmt.Errorf("audit: write the request's %d events: %w", len(events), err)
	}
	kick()
	return nil
}

func batchFrom(ctx context.Context, q db.DBTX) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	if b == nil {
		return nil
	}
	if _, onPool := q.(*pgxpool.Pool); !onPool {
		return nil
	}
	return b
}

func fillCouncil(ctx context.Context, q db.DBTX, e *Event) error {
	if e.LAID == 0 && e.Outcome != OK && e.EntityID != "" {
		// A refusal names a record the person may not see, so the service
		// could not read its council; the audit trail still needs it.
		n, err := CouncilOf(ctx, q, e.Entity, e.EntityID)
		if err != nil {
			return fmt.Errorf("audit %s %s: council of the record: %w", e.Action, e.Entity, err)
		}
		e.LAID = n
	}
	return nil
}
