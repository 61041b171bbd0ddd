package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// benchCmd runs the performance workloads in a scratch database (hearth_bench)
// on the same server, so a council's data is never touched.
func benchCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return errors.New("usage: hearth bench import [--children N] [--rounds N]")
	}
	fs := flag.NewFlagSet("bench import", flag.ContinueOnError)
	n := fs.Int("children", 80000, "children in the synthetic return (national scale is about 80,000)")
	rounds := fs.Int("rounds", 3, "rounds of each workload; medians are reported")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	dsn, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
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
	res, err := ssda903.Bench(ctx, pool, log, 352, *n, *rounds)
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
