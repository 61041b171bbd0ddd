package forecasting

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
)

// Cache keeps council forecasts for the commissioning report, so the report
// is not a second or two slower for its forecast chapter: one forecast per
// council, parameters and state of the data, worked out once however many
// ask at the same time (single flight), and dropped as soon as anything it
// reads changes (the change number of schema 015 is part of the key). It
// trusts its caller as Build does.
type Cache struct {
	// Max is how many forecasts are kept; the oldest goes first.
	Max int
	// Builder makes a forecast; nil means Build.
	Builder func(ctx context.Context, pool *pgxpool.Pool, la int32, p Params) (*Result, error)

	mu    sync.Mutex
	m     map[cacheKey]*cacheEntry
	order []cacheKey
}

type cacheKey struct {
	la      int32
	p       Params
	changes int64
}

type cacheEntry struct {
	done chan struct{}
	res  *Result
	err  error
}

// Chapters is the commissioning report's cache.
var Chapters = &Cache{Max: 32}

// Build is forecasting.Build through the cache. A Result is shared between
// callers and must not be changed.
func (c *Cache) Build(ctx context.Context, pool *pgxpool.Pool, la int32, p Params) (*Result, error) {
	changes, err := db.New(pool).ForecastChangeNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("forecast cache: %w", err)
	}
	p.AsOf = p.AsOf.UTC()
	key := cacheKey{la: la, p: p, changes: changes}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[cacheKey]*cacheEntry{}
	}
	if e, ok := c.m[key]; ok {
		c.mu.Unlock()
		select {
		case <-e.done:
			return e.res, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &cacheEntry{done: make(chan struct{})}
	c.m[key] = e
	c.order = append(c.order, key)
	for len(c.order) > max(c.Max, 1) {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	build := c.Builder
	if build == nil {
		build = Build
	}
	e.res, e.err = build(ctx, pool, la, p)
	if e.err != nil {
		// A failure (a cancelled request, the database away) is not kept.
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.res, e.err
}
