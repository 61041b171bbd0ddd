package forecasting_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/forecasting"
)

// TestCacheSingleFlight: eight reports asking for the same council's
// forecast at once build it once; another as-of date, or any change to what
// the forecast reads, builds it again; a failure is not kept.
func TestCacheSingleFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	today := dbtest.Today(t)
	var builds atomic.Int32
	release := make(chan struct{})
	fail := atomic.Bool{}
	c := &forecasting.Cache{Max: 4, Builder: func(_ context.Context, _ *pgxpool.Pool, la int32, p forecasting.Params) (*forecasting.Result, error) {
		builds.Add(1)
		<-release
		if fail.Load() {
			return nil, errors.New("database away")
		}
		return &forecasting.Result{LAID: la, Params: p}, nil
	}}
	p := forecasting.Defaults(today)
	var wg sync.WaitGroup
	results := make([]*forecasting.Result, 8)
	for i := range results {
		wg.Go(func() {
			r, err := c.Build(ctx, pool, 352, p)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	for builds.Load() == 0 {
		runtime.Gosched() // until one is building; the others must wait for it
	}
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("eight at once built the forecast %d times; want 1", n)
	}
	for i, r := range results {
		if r != results[0] {
			t.Errorf("caller %d got another forecast", i)
		}
	}
	if _, err := c.Build(ctx, pool, 352, p); err != nil || builds.Load() != 1 {
		t.Errorf("asking again: %d builds, %v; want it cached", builds.Load(), err)
	}
	q := p
	q.AsOf = q.AsOf.AddDate(0, -1, 0)
	if _, err := c.Build(ctx, pool, 352, q); err != nil || builds.Load() != 2 {
		t.Errorf("another as-of date: %d builds, %v; want 2", builds.Load(), err)
	}
	// A committed change to what the forecast reads moves the change
	// number on (schema 015): the cached forecast is out of date.
	if _, err := pool.Exec(ctx, "SELECT nextval('child_current_changes')"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Build(ctx, pool, 352, p); err != nil || builds.Load() != 3 {
		t.Errorf("after a change: %d builds, %v; want 3", builds.Load(), err)
	}
	fail.Store(true)
	q.AsOf = q.AsOf.AddDate(0, -1, 0)
	if _, err := c.Build(ctx, pool, 352, q); err == nil {
		t.Error("a failed build answered without its error")
	}
	fail.Store(false)
	if _, err := c.Build(ctx, pool, 352, q); err != nil || builds.Load() != 5 {
		t.Errorf("after a failure: %d builds, %v; want it built again (5)", builds.Load(), err)
	}
}
