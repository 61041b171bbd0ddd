package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// benchCmd runs the performance workloads in a scratch database (hearth_bench)
// on the same server, so a council's data is never touched.
func benchCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "analytics" {
		return benchAnalytics(ctx, cfg, log, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "pages" {
		return benchPages(ctx, cfg, log, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "import" {
		return errors.New("usage: hearth bench import|analytics|pages [flags]")
	}
	fs := flag.NewFlagSet("bench import", flag.ContinueOnError)
	n := fs.Int("children", 80000, "children in the synthetic return (national scale is about 80,000)")
	rounds := fs.Int("rounds", 3, "rounds of each workload; medians are reported")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole bench to this file (go tool pprof)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	dsn, err := ownerURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if dsn == "" {
		return errors.New("bench import makes a scratch database as the owner: set DATABASE_OWNER_URL")
	}
	pool, err := scratchDB(ctx, dsn, "hearth_bench")
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES (352, 'E08000003', 'Manchester') ON CONFLICT DO NOTHING`); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench import: synthetic national-scale return into scratch database hearth_bench\n")
	// The import runs as the server's role, as the server's imports do.
	app, err := postgres.Open(ctx, benchAppURL(cfg, pool))
	if err != nil {
		return fmt.Errorf("bench import connects as hearth_app to the scratch database: %w", err)
	}
	defer app.Close()
	res, err := ssda903.Bench(ctx, pool, app, log, 352, *n, *rounds)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	return nil
}

// scratchDB creates (or recreates) a database beside the configured one and migrates it.
func scratchDB(ctx context.Context, dsn, name string) (*pgxpool.Pool, error) {
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return nil, err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create scratch database (the bench needs CREATEDB): %w", err)
	}
	scratch := dsn + " dbname=" + name // keyword/value form: the later dbname wins
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		scratch = u.String()
	}
	pool, err := postgres.Open(ctx, scratch)
	if err != nil {
		return nil, err
	}
	return pool, postgres.Migrate(ctx, pool)
}

// benchAnalytics times the cohort analytics and the commissioning report on
// the configured database (read only), nationally (every council) and for one
// council.
func benchAnalytics(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench analytics", flag.ContinueOnError)
	rounds := fs.Int("rounds", 3, "rounds; medians are reported")
	asOfFlag := fs.String("as-of", "", "date (default today)")
	council := fs.String("council", "", "also time one council (ONS or LA code) and its commissioning report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	asOf := time.Now().UTC().Truncate(24 * time.Hour)
	if *asOfFlag != "" {
		t, err := time.Parse(time.DateOnly, *asOfFlag)
		if err != nil {
			return fmt.Errorf("--as-of: %q is not a date", *asOfFlag)
		}
		asOf = t
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, cfg, log, false); err != nil {
		return err
	}
	// As the server does: today's figures read the refreshed view.
	if err := analytics.RefreshCurrent(ctx, pool, time.Now().UTC().Truncate(24*time.Hour)); err != nil {
		return err
	}
	las, err := db.New(pool).LocalAuthorityList(ctx)
	if err != nil {
		return err
	}
	var all []int32
	for _, la := range las {
		all = append(all, la.LaID)
	}
	if today := time.Now().UTC().Truncate(24 * time.Hour); asOf.Before(today) {
		la := all[0]
		if *council != "" {
			if la, err = councilID(ctx, pool, *council); err != nil {
				return err
			}
		}
		return benchPast(ctx, pool, log, all, la, asOf, today, *rounds, stdout)
	}
	fmt.Fprintf(stdout, "bench analytics, as of %s, every council (%d):\n", asOf.Format(time.DateOnly), len(all))
	res, err := analytics.Bench(ctx, pool, all, asOf, *rounds)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	if *council == "" {
		return nil
	}
	la, err := councilID(ctx, pool, *council)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "one council (%d):\n", la)
	if res, err = analytics.Bench(ctx, pool, []int32{la}, asOf, *rounds); err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	var times []time.Duration
	for range *rounds {
		start := time.Now()
		data, err := report.GatherCommissioning(ctx, pool, proceedings.New(pool, az), la, asOf)
		if err != nil {
			return err
		}
		if _, err := report.CommissioningPDF(data); err != nil {
			return err
		}
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Fprintf(stdout, "  commissioning report PDF, gathered and written: %.1f ms median (aim: under 500 ms)\n", float64(times[len(times)/2].Microseconds())/1000)
	return nil
}

// benchAppURL is hearth_app's URL for the scratch database: DATABASE_URL's
// role and password (or the private cluster's), the scratch database's host.
func benchAppURL(cfg config.Config, owner *pgxpool.Pool) string {
	o := owner.Config().ConnConfig
	user, password := postgres.AppRole, postgres.AppPassword(o.Password)
	if cfg.DatabaseURL != "" {
		if c, err := pgx.ParseConfig(cfg.DatabaseURL); err == nil {
			user, password = c.User, c.Password
		}
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(user, password), Host: fmt.Sprintf("%s:%d", o.Host, o.Port),
		Path: "/" + o.Database, RawQuery: "sslmode=disable"}
	if o.TLSConfig != nil {
		u.RawQuery = "sslmode=require"
	}
	return u.String()
}
