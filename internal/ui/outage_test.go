package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/postgres"
)

// TestDatabaseRestartSignsNobodyOut restarts PostgreSQL (a cluster of the
// test's own, so no other test is disturbed) while a signed-in social worker
// keeps reading and writing. Requests during the outage get 503 with a plain
// message and keep the session cookie; none gets 401; every write that was
// acknowledged is in the database afterwards; and once the server is back the
// same session works.
func TestDatabaseRestartSignsNobodyOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	c, err := postgres.StartCluster(ctx, log, dir, postgres.ClusterOptions{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = postgres.StopCluster(context.Background(), log, dir)
		if c.ServerDir != "" {
			_ = os.RemoveAll(c.ServerDir)
		}
	})
	owner, err := postgres.Open(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	err = postgres.Migrate(ctx, owner)
	owner.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The server's own role, as in production; the test's reads see every council.
	pool, err := postgres.OpenWith(ctx, c.AppURL(), postgres.Options{Unscoped: postgres.AllCouncils(), MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	b := setupOn(t, pool, false)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)

	var (
		mu       sync.Mutex
		acked    []string // SDQ dates whose save was answered 303
		statuses = map[int]int{}
		n        atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	worker := func() {
		defer wg.Done()
		for i := 0; i < 400 && !stop.Load(); i++ {
			k := n.Add(1)
			var res *http.Response
			var err error
			day := first.AddDate(0, 0, int(k)).Format(time.DateOnly)
			if k%2 == 0 {
				res, err = sw.PostForm(b.ts.URL+fmt.Sprintf("/children/%d/sdq", child), url.Values{"taken_on": {day}, "score": {"12"}})
			} else {
				res, err = sw.Get(b.ts.URL + fmt.Sprintf("/children/%d", child))
			}
			if err != nil {
				t.Errorf("request %d: %v", k, err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			mu.Lock()
			statuses[res.StatusCode]++
			if k%2 == 0 && res.StatusCode == http.StatusSeeOther {
				acked = append(acked, day)
			}
			mu.Unlock()
			if res.StatusCode == http.StatusServiceUnavailable && !strings.Contains(string(body), "cannot reach its database") {
				t.Errorf("503 without the outage message: %.300s", body)
			}
			for _, ck := range res.Cookies() {
				if ck.Name == "hearth_session" && ck.MaxAge < 0 {
					t.Errorf("request %d (%d) deleted the session cookie", k, res.StatusCode)
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	for range 4 {
		wg.Add(1)
		go worker()
	}
	time.Sleep(300 * time.Millisecond)
	if err := postgres.StopCluster(ctx, log, dir); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := postgres.StartCluster(ctx, log, dir, postgres.ClusterOptions{Fast: true}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	t.Logf("responses by status: %v; %d writes acknowledged", statuses, len(acked))
	if statuses[http.StatusUnauthorized] > 0 || statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answered 401 and %d answered 500 during a restart; want 503 only", statuses[401], statuses[500])
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Error("no request met the outage: the test shows nothing")
	}
	for _, day := range acked {
		var ok bool
		if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM sdq_readings WHERE child_id = $1 AND taken_on = $2)", child, day).Scan(&ok); err != nil || !ok {
			t.Errorf("the SDQ of %s was acknowledged but is not stored (%v)", day, err)
		}
	}
	if res, _ := b.get(t, sw, fmt.Sprintf("/children/%d", child)); res.StatusCode != http.StatusOK {
		t.Errorf("after the restart the same session gets %d; want 200", res.StatusCode)
	}
}
