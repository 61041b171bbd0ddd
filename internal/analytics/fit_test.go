package analytics

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fifty child pages of one council on a cold cache read the council once,
// and each gets its own child's fit; a page after the medians expire is
// answered at once from the old ones while one read refreshes them.
func TestChildFitReadsTheCouncilOnce(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)
	now := day
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var reads atomic.Int32
	release := make(chan struct{})
	kids := []Child{
		{ChildID: 1, Assessed: true, Band: "low", Group: "family", WeeklyPence: 50000},
		{ChildID: 2, Assessed: true, Band: "low", Group: "family", WeeklyPence: 500000},
		{ChildID: 3, Assessed: true, Band: "high", Group: "family", WeeklyPence: 300000},
	}
	s := &Service{Now: clock, cache: map[cacheKey]*councilFit{}, refreshing: map[cacheKey]bool{}}
	s.readCouncil = func(ctx context.Context, la int32, asOf time.Time) ([]Child, error) {
		reads.Add(1)
		<-release
		return kids, nil
	}
	var wg sync.WaitGroup
	fits := make([]Fit, 50)
	for i := range fits {
		wg.Go(func() {
			f, ok, err := s.ChildFit(context.Background(), 352, int64(1+i%3))
			if err != nil || !ok {
				t.Errorf("page %d: ok %v, err %v", i, ok, err)
			}
			fits[i] = f
		})
	}
	time.Sleep(50 * time.Millisecond) // let the pages pile up on the one read
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("50 pages on a cold cache read the council %d times; want 1", n)
	}
	// Child 2 costs £5,000 against the low band's median of (£500, £5,000).
	if f := fits[1]; math.Abs(f.Ratio-5000.0/2750) > 1e-12 || f.BandN != 2 {
		t.Errorf("child 2's fit: %+v; want ratio %v of 2 children", f, 5000.0/2750)
	}
	if f, _, _ := s.ChildFit(context.Background(), 352, 99); f.BandN != 0 {
		t.Errorf("a child not in care today has a fit: %+v", f)
	}
	// Expired: answered from the old medians, one read in the background.
	mu.Lock()
	now = now.Add(fitFresh + time.Minute)
	mu.Unlock()
	for range 10 {
		if _, ok, err := s.ChildFit(context.Background(), 352, 1); !ok || err != nil {
			t.Fatalf("expired medians: ok %v, err %v", ok, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for reads.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("after expiry the council was read %d times in all; want 2", n)
	}
}

// MediansOf and FitAgainst give what comparing with the whole council gives,
// worked out here by hand from the children.
func TestMediansMatchTheCouncil(t *testing.T) {
	t.Parallel()
	var kids []Child
	for i := range 40 {
		kids = append(kids, Child{ChildID: int64(i), Assessed: i%7 != 0, Band: Bands[i%4], Group: []string{"family", "home"}[i%2],
			WeeklyPence: int64(i%5) * 30000})
	}
	for _, k := range kids {
		got := FitAgainst(k, MediansOf(kids))
		var same []float64
		for _, c := range kids {
			if c.Assessed && c.HasCost() && c.Band == k.Band {
				same = append(same, float64(c.WeeklyPence)/100)
			}
		}
		if !k.Assessed || !k.HasCost() {
			if got.BandN != 0 {
				t.Errorf("child %d (unassessed or no cost) compared with %d", k.ChildID, got.BandN)
			}
			continue
		}
		if got.BandN != len(same) || got.BandMedian != Quantile(same, 0.5) {
			t.Errorf("child %d: median %v of %d; want %v of %d", k.ChildID, got.BandMedian, got.BandN, Quantile(same, 0.5), len(same))
		}
	}
}
