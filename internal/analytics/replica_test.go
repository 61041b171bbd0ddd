package analytics_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
)

// TestCohortReadsTheReplica starts a real hot standby of the test cluster
// (pg_basebackup -R), pauses its replay, and adds a child in care on the
// primary: the cohort's figures leave that child out while the replica is
// within its lag bound (so they came from the replica), and count it once the
// bound is passed (they came from the primary). The commissioning report, a
// forecast and the regional figures read the standby too.
func TestCohortReadsTheReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the whole test cluster")
	}
	t.Parallel()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	appURL, ownerURL := dbtest.URLs(t)
	open := func(url string, port uint16) *pgxpool.Pool {
		t.Helper()
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		if port != 0 {
			cfg.Port = port
		}
		u := fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, cfg.Database)
		pool, err := postgres.OpenWith(ctx, u, postgres.Options{Unscoped: postgres.AllCouncils(), MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		return pool
	}
	primary, owner := open(appURL, 0), open(ownerURL, 0)
	asOf := dbtest.Today(t)
	if err := demo.Load(ctx, primary, demo.Generate(demo.Options{Seed: 8, Children: 300, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}

	base, err := os.MkdirTemp("", "hearth-standby-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil { // the postgres user reaches it
		t.Fatal(err)
	}
	standby, err := postgres.StartStandby(ctx, log, ownerURL, filepath.Join(base, "standby"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := standby.Stop(context.Background()); err != nil {
			t.Log(err)
		}
	})
	replica, replicaOwner := open(appURL, uint16(standby.Port)), open(ownerURL, uint16(standby.Port))
	var inRecovery bool
	if err := replica.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil || !inRecovery {
		t.Fatalf("the standby is not in recovery (%v, %v)", inRecovery, err)
	}

	az, err := authz.New(ctx, primary, log)
	if err != nil {
		t.Fatal(err)
	}
	svc := analytics.New(primary, az)
	svc.Now = dbtest.Clock(asOf)
	reads := &postgres.Reads{Primary: primary, Replica: replica, MaxLag: time.Hour, Every: time.Nanosecond}
	svc.Reads = reads
	var comm int64
	if err := primary.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'").Scan(&comm); err != nil {
		t.Fatal(err)
	}
	cohort := func() int {
		t.Helper()
		c, err := svc.Cohort(ctx, comm, analytics.Filter{}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		return c.N
	}
	before := cohort()
	if before == 0 {
		t.Fatal("no children in care in Manchester")
	}
	// Lag is the time since the last transaction the standby replayed, so it
	// must have replayed one before replay is paused: a standby that has
	// replayed none since it started counts as far behind, and under make
	// test's parallel packages pg_basebackup can finish with none replayed.
	if _, err := owner.Exec(ctx, "CREATE TABLE replica_probe (x int)"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		var seen bool
		if err := replicaOwner.QueryRow(ctx, "SELECT to_regclass('replica_probe') IS NOT NULL AND pg_last_xact_replay_timestamp() IS NOT NULL").Scan(&seen); err != nil {
			t.Fatal(err)
		}
		if seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby did not replay a committed transaction in two minutes; its log ends:\n%s", standby.LogTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := replicaOwner.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	var child int64
	if err := owner.QueryRow(ctx, `INSERT INTO children (la_id, child_ref, date_of_birth, sex, ethnicity)
		VALUES (352, 'REPLICA1', $1::date - 3000, 'M', 'WBRI') RETURNING child_id`, asOf).Scan(&child); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO care_periods (la_id, child_id, started_on) VALUES (352, $1, $2::date - 100)`, child, asOf); err != nil {
		t.Fatal(err)
	}
	if got := cohort(); got != before {
		t.Errorf("within the lag bound the cohort counts %d children; want the replica's %d (replay paused before the new child)", got, before)
	}
	var onReplica bool
	if err := reads.Pool(ctx).QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&onReplica); err != nil || !onReplica {
		t.Errorf("within the lag bound reads go to a server in recovery: %v (%v)", onReplica, err)
	}
	// The commissioning report, a forecast and the regional figures are
	// handed the primary by their callers; the request's context routes their
	// reads of whole councils to the standby (the server sets it on every
	// request). Each must be served by it: the report's count leaves out the
	// new child, and the replica's count of reads served moves for each.
	rctx := postgres.WithReads(ctx, reads)
	pr := proceedings.New(primary, az)
	served := func(what string, fn func() error) {
		t.Helper()
		n := reads.Served.Load()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if reads.Served.Load() == n {
			t.Errorf("%s did not read the standby", what)
		}
	}
	served("the commissioning report", func() error {
		data, err := report.GatherCommissioning(rctx, primary, pr, 352, asOf)
		if err == nil && data.Cohort.N != before {
			t.Errorf("the report counts %d children; want the standby's %d", data.Cohort.N, before)
		}
		return err
	})
	served("the forecast", func() error {
		_, err := forecasting.Build(rctx, primary, 352, forecasting.Defaults(asOf))
		return err
	})
	var analyst int64
	var rcc int32
	if err := primary.QueryRow(ctx, `SELECT u.user_id, r.rcc_id FROM users u, regional_cooperatives r
		WHERE u.email = 'rcc.analyst@gm-rcc.demo.hearth.test' AND r.code = $1`, demo.RCC.Code).Scan(&analyst, &rcc); err != nil {
		t.Fatal(err)
	}
	served("the regional figures", func() error {
		reg := sharing.New(primary, az)
		reg.Now = dbtest.Clock(asOf)
		_, err := reg.Region(rctx, analyst, rcc, analytics.Filter{}, asOf, pr)
		return err
	})
	// Past the bound the figures come from the primary. The new child's WAL
	// reaches the standby once the primary's WAL writer flushes it — behind
	// whatever WAL other tests' database clones are streaming to it, which
	// under make test's parallel packages can take tens of seconds.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		lag, err := postgres.ReplicaLag(ctx, replica)
		if err != nil {
			t.Fatal(err)
		}
		if lag > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("with replay paused and the primary written to, the standby reports no lag; its log ends:\n%s", standby.LogTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
	reads.MaxLag = time.Millisecond
	if got := cohort(); got != before+1 {
		t.Errorf("past the lag bound the cohort counts %d children; want the primary's %d", got, before+1)
	}
	if reads.Pool(ctx) != primary {
		t.Error("past the lag bound reads still go to the replica")
	}
}
