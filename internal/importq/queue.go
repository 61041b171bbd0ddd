// Package importq runs imports in the background, taking turns between
// councils so that one council's big or slow file never holds up another's,
// and keeps a lease on each import it holds so that one whose process dies is
// marked failed with the reason instead of showing "running" for ever.
package importq

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
)

// Lease is how long an import may go without a heartbeat before it is taken
// to have died; Beat is how often a live one renews it.
const (
	Lease = 2 * time.Minute
	Beat  = 20 * time.Second
)

// Stale is the reason given for an import whose lease lapsed.
const Stale = "the import stopped without finishing (the server or command running it was stopped or crashed); import the files again"

// Job is one import to run.
type Job struct {
	ID  int64
	LA  int32
	Run func(ctx context.Context) error
}

// Queue runs jobs on a few workers. It takes councils in turn (round robin)
// and runs at most one import per council at a time, so a council queueing
// five national-size files waits behind itself, not in front of everyone.
type Queue struct {
	pool    *pgxpool.Pool
	log     *slog.Logger
	workers int

	mu      sync.Mutex
	waiting map[int32][]Job
	ring    []int32 // councils with waiting jobs, in turn order
	running map[int32]bool
	held    map[int64]bool // queued or running: their leases are renewed
	wake    chan struct{}
}

// New makes a queue with the given number of workers (at least one).
func New(pool *pgxpool.Pool, log *slog.Logger, workers int) *Queue {
	return &Queue{pool: pool, log: log, workers: max(1, workers), waiting: map[int32][]Job{},
		running: map[int32]bool{}, held: map[int64]bool{}, wake: make(chan struct{}, 1)}
}

// Start marks failed the imports whose lease lapsed while nothing held them
// (the server was restarted), then runs the workers and the heartbeat until
// ctx ends.
func (q *Queue) Start(ctx context.Context) {
	// The queue's own bookkeeping (leases, stale imports) spans councils; each
	// import narrows its context to its own council when it runs.
	ctx = postgres.WithCouncils(ctx, postgres.AllCouncils())
	Sweep(ctx, q.pool, q.log)
	for range q.workers {
		go q.work(ctx)
	}
	go func() {
		t := time.NewTicker(Beat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				q.beat(ctx)
				Sweep(ctx, q.pool, q.log)
			}
		}
	}()
}

// Submit queues a job behind the council's own earlier ones.
func (q *Queue) Submit(j Job) {
	q.mu.Lock()
	if len(q.waiting[j.LA]) == 0 {
		q.ring = append(q.ring, j.LA)
	}
	q.waiting[j.LA] = append(q.waiting[j.LA], j)
	q.held[j.ID] = true
	q.mu.Unlock()
	q.signal()
}

func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest job of the first council in turn that has none
// running, and sends that council to the back of the turn order.
func (q *Queue) next() (Job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, la := range q.ring {
		if q.running[la] {
			continue
		}
		js := q.waiting[la]
		j := js[0]
		q.ring = append(q.ring[:i:i], q.ring[i+1:]...)
		if len(js) > 1 {
			q.waiting[la] = js[1:]
			q.ring = append(q.ring, la)
		} else {
			delete(q.waiting, la)
		}
		q.running[la] = true
		return j, true
	}
	return Job{}, false
}

func (q *Queue) done(j Job) {
	q.mu.Lock()
	delete(q.running, j.LA)
	delete(q.held, j.ID)
	q.mu.Unlock()
	q.signal()
}

func (q *Queue) work(ctx context.Context) {
	for {
		j, ok := q.next()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-q.wake:
				continue
			}
		}
		q.run(ctx, j)
		q.done(j)
		q.signal() // another worker may be waiting on a council this one freed
	}
}

// run runs a job; a panic or an error it did not record marks it failed.
func (q *Queue) run(ctx context.Context, j Job) {
	defer func() {
		if p := recover(); p != nil {
			q.log.Error("import panicked", "import_id", j.ID, "panic", p, "stack", string(debug.Stack()))
			Fail(ctx, q.pool, q.log, j.ID, fmt.Sprintf("Hearth failed while importing (%v); the import team has the details", p))
		}
	}()
	if err := j.Run(ctx); err != nil {
		// Run records its own outcome; this only catches one that stayed running.
		Fail(ctx, q.pool, q.log, j.ID, err.Error())
	}
}

func (q *Queue) beat(ctx context.Context) {
	q.mu.Lock()
	ids := make([]int64, 0, len(q.held))
	for id := range q.held {
		ids = append(ids, id)
	}
	q.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	if err := db.New(q.pool).ImportHeartbeat(context.WithoutCancel(ctx), ids); err != nil {
		q.log.Warn("import heartbeat", "err", err)
	}
}

// Heartbeat renews one import's lease until the returned stop is called; the
// command line uses it for the import it runs itself.
func Heartbeat(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, id int64) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(Beat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := db.New(pool).ImportHeartbeat(ctx, []int64{id}); err != nil && ctx.Err() == nil {
					log.Warn("import heartbeat", "import_id", id, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// Sweep marks failed every running import whose lease has lapsed.
func Sweep(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	rows, err := db.New(pool).ImportFailStale(context.WithoutCancel(ctx), db.ImportFailStaleParams{Failure: Stale, LeaseSeconds: Lease.Seconds()})
	if err != nil {
		log.Warn("import sweep", "err", err)
		return
	}
	for _, r := range rows {
		log.Warn("import lease lapsed; marked failed", "import_id", r.ImportID, "la_id", r.LaID)
	}
}

// Fail marks a running import failed with the reason (a finished one is left alone).
func Fail(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, id int64, reason string) {
	if err := db.New(pool).ImportFail(context.WithoutCancel(ctx), db.ImportFailParams{ImportID: id, Failure: reason}); err != nil {
		log.Error("marking import failed", "import_id", id, "err", err)
	}
}
