package audit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// Chainer links committed events into their councils' hash chains after the
// transactions that recorded them have committed (schema 036). Recording an
// event takes no lock, so a council's page views commit side by side; the
// chainer is the only writer of a chain, and takes the chain's lock only
// while it links it. One runs in each server process: two processes' chainers
// share the work through the database's try-locks, and whatever one skips
// the other, or the next tick, links.
//
// An event is durable, and its page may be sent, once its own transaction
// has committed: the link only makes it tamper-evident, and `hearth audit
// verify` links anything still pending before it checks.
type Chainer struct {
	q     db.DBTX
	log   *slog.Logger
	every time.Duration
	kick  chan struct{}
}

// settle is how long the chainer waits after a kick before linking.
const settle = 50 * time.Millisecond

// running is the process's chainer, woken by Kick after a batch commits.
var running atomic.Pointer[Chainer]

// NewChainer links through q (the server's pool), at least every interval.
func NewChainer(q db.DBTX, log *slog.Logger, every time.Duration) *Chainer {
	if every <= 0 {
		every = time.Second
	}
	return &Chainer{q: q, log: log, every: every, kick: make(chan struct{}, 1)}
}

// Run links until ctx ends: after each Kick (events were just committed),
// and every interval (events committed inside other transactions, and chains
// another linker held when this one tried).
func (c *Chainer) Run(ctx context.Context) {
	running.Store(c)
	defer running.CompareAndSwap(c, nil)
	t := time.NewTicker(c.every)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
			// Let the kicks of a busy moment gather: one link transaction
			// for many requests' events, not one each (each costs a
			// transaction and a WAL flush of its own).
			select {
			case <-ctx.Done():
				return
			case <-time.After(settle):
			}
		case <-t.C:
		}
		_, err := c.Link(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			// Logged once until it works again: during a database outage
			// every tick fails, and the events wait in the queue.
			c.log.Error("audit chain: linking failed; events wait in the queue", "err", err)
			failing = true
		case err == nil && failing:
			c.log.Info("audit chain: linking again")
			failing = false
		}
	}
}

// Link links what is pending in every chain no other linker holds, and
// returns how many events it linked: one pass of Run.
func (c *Chainer) Link(ctx context.Context) (int64, error) { return link(ctx, c.q, nil, false) }

// Kick wakes the chainer without waiting; kicks while it is busy coalesce.
func (c *Chainer) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// kick wakes the process's chainer, if one runs.
func kick() {
	if c := running.Load(); c != nil {
		c.Kick()
	}
}
