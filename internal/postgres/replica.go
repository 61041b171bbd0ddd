package postgres

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Reads chooses where analytics reads go: a streaming replica
// (DATABASE_REPLICA_URL) while it keeps up, the primary otherwise. Cohort,
// regional and report figures read whole councils; on the replica they do
// not compete with page views and imports for the primary's two cores.
// Writes, the audit trail among them, always go to the primary.
type Reads struct {
	Primary, Replica *pgxpool.Pool
	// MaxLag is how far behind the primary the replica may be before reads
	// go back to the primary. Figures a few seconds old are fine; figures
	// that miss this morning's import are not.
	MaxLag time.Duration
	// Every is how often the replica's lag is measured.
	Every time.Duration
	Log   *slog.Logger

	// Served counts the reads handed the replica: the proof, in tests and
	// on a dashboard, that the standby is doing the work.
	Served atomic.Int64

	mu        sync.Mutex
	checked   time.Time
	lag       time.Duration
	reachable bool
}

// DefaultMaxLag is the lag past which analytics read the primary.
const DefaultMaxLag = 30 * time.Second

// Pool is the pool a read should use now. Without a replica it is the primary.
func (r *Reads) Pool(ctx context.Context) *pgxpool.Pool {
	if r == nil {
		return nil
	}
	if r.Replica == nil {
		return r.Primary
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	every := r.Every
	if every == 0 {
		every = time.Second
	}
	if time.Since(r.checked) >= every {
		r.checked = time.Now()
		lag, err := ReplicaLag(ctx, r.Replica)
		was := r.reachable && r.lag <= r.maxLag()
		r.lag, r.reachable = lag, err == nil
		now := r.reachable && r.lag <= r.maxLag()
		if was != now && r.Log != nil {
			if now {
				r.Log.Info("analytics read the replica again", "lag", lag)
			} else {
				r.Log.Warn("analytics read the primary: the replica is behind or unreachable", "lag", lag, "max_lag", r.maxLag(), "err", err)
			}
		}
	}
	if r.reachable && r.lag <= r.maxLag() {
		r.Served.Add(1)
		return r.Replica
	}
	return r.Primary
}

type readsKey struct{}

// WithReads returns a context whose whole-council analytics reads (cohort
// snapshots for the regional figures, forecasts and reports, which take a
// pool or queries from their callers) go through r: the server sets it once
// for every request, so those packages need not each be handed the replica.
func WithReads(ctx context.Context, r *Reads) context.Context {
	if r == nil {
		return ctx
	}
	return context.WithValue(ctx, readsKey{}, r)
}

// ReplicaFor is the replica a whole-council read on ctx should use now, or
// nil when ctx carries none, or it lags past its bound or cannot be reached:
// then the caller's own pool (the primary) answers.
func ReplicaFor(ctx context.Context) *pgxpool.Pool {
	r, _ := ctx.Value(readsKey{}).(*Reads)
	if r == nil || r.Replica == nil {
		return nil
	}
	if p := r.Pool(ctx); p == r.Replica {
		return p
	}
	return nil
}

func (r *Reads) maxLag() time.Duration {
	if r.MaxLag == 0 {
		return DefaultMaxLag
	}
	return r.MaxLag
}

// ReplicaLag is how far a standby's replay is behind what it has received: 0
// when it has replayed everything, otherwise the time since the last
// transaction it replayed committed on the primary. A server that is not in
// recovery (a primary given as the replica by mistake) has no lag.
func ReplicaLag(ctx context.Context, pool *pgxpool.Pool) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var secs float64
	err := pool.QueryRow(ctx, `SELECT CASE
		WHEN NOT pg_is_in_recovery() THEN 0
		WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
		ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9) END::float8`).Scan(&secs)
	if err != nil {
		return 0, err
	}
	return time.Duration(secs * float64(time.Second)), nil
}
