// Command hearth runs Hearth: the web service and its administrative commands.
//
//	hearth serve [--demo-if-empty]     migrate, then serve on LISTEN_ADDR
//	hearth migrate                     apply pending migrations (as the owner: DATABASE_OWNER_URL)
//	hearth audit verify [--council C]  recompute the audit trail's hash chains
//	hearth demo [--seed N] [--children N] [--as-of YYYY-MM-DD]
//	hearth user create|grant|revoke|token ...
//	hearth devdb start|stop|url [--dir DIR]
//
// The server and commands connect as hearth_app (DATABASE_URL); migrations run
// as the owner (DATABASE_OWNER_URL). Without DATABASE_URL every command uses the
// private PostgreSQL cluster under HEARTH_DATA_DIR (default .data), starting it
// if needed, which has both roles.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/postgres"
)

const usage = `usage: hearth <command> [flags]

commands:
  serve    migrate and serve the web service (--demo-if-empty loads the demo region into an empty database)
  migrate  apply pending database migrations (as the owner role, DATABASE_OWNER_URL)
  audit verify [--council CODE]
           recompute the audit trail's hash chains; name the first broken link (exit 1)
  demo     load the synthetic demo region (--seed, --children, --as-of)
  user     create a user, grant or revoke a role, issue an API token
  import ssda903 --council CODE --year YYYY [--problems FILE.csv] FILE...
           import an SSDA903 return (CSV tables or XML); nothing is imported if any file has an error
  export ssda903 --council CODE --year YYYY [-o DIR] [--xml]
           write every table Hearth holds for a council and year (CSV, or the DfE XML)
  report commissioning --council CODE --as-of YYYY-MM-DD -o FILE
           write the council commissioning report (PDF)
  report regional --rcc CODE --as-of YYYY-MM-DD -o FILE
           write a regional care cooperative's commissioning report (PDF)
  forecast --council CODE --as-of YYYY-MM-DD [--months N] [--csv FILE] [--backtest]
           forecast children in care, spend and sufficiency for a council, with intervals
  forecast --rcc CODE --as-of YYYY-MM-DD [--months N] [--out FILE.csv]
           the regional forecast from what member councils share, protected as the page publishes it
  rules ssda903 [--year YYYY] [FILE...]
           list the SSDA903 rules checked (errors and queries per year); with files, count each rule's problems in them
  bench import [--children N] [--rounds N]
           time the SSDA903 import against COPY of the same rows (in a scratch database)
  bench pages [--url U] [--sessions N] [--workers N] [--requests N] [--think D] [--runs N]
           load a running Hearth over HTTP with many signed-in people; req/s, p50, p99 against /accessibility
  instrument load FILE
           load a needs instrument from a JSON file (docs/instruments/ has an example)
  rcc create|show|join|leave|disclosure --rcc CODE …
           add a regional care cooperative; its memberships over time and disclosure thresholds
  council create --la CODE --ons CODE --name NAME
           add a council (then invite its staff on /staff)
  devdb    start, stop or locate the private development PostgreSQL cluster
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "hearth:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	cmd, rest := args[0], args[1:]
	// Administrative commands are run by whoever holds the database's
	// credentials, across the whole system; each that works on one council
	// narrows this to it. serve sets each request's councils from its user.
	ctx = postgres.WithCouncils(ctx, postgres.AllCouncils())
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, rest, stdout)
	case "migrate":
		return migrate(ctx, cfg, log, true)
	case "audit":
		return auditCmd(ctx, cfg, log, rest, stdout)
	case "demo":
		return demoCmd(ctx, cfg, log, rest, stdout)
	case "user":
		return userCmd(ctx, cfg, log, rest, stdin, stdout)
	case "import":
		return importCmd(ctx, cfg, log, rest, stdout)
	case "export":
		return exportCmd(ctx, cfg, log, rest, stdout)
	case "report":
		return reportCmd(ctx, cfg, log, rest, stdout)
	case "bench":
		return benchCmd(ctx, cfg, log, rest, stdout)
	case "instrument":
		return instrumentCmd(ctx, cfg, log, rest, stdout)
	case "rcc":
		return rccCmd(ctx, cfg, log, rest, stdout)
	case "forecast":
		return forecastCmd(ctx, cfg, log, rest, stdout)
	case "council":
		return councilCmd(ctx, cfg, log, rest, stdout)
	case "devdb":
		return devdbCmd(ctx, cfg, log, rest, stdout)
	case "rules":
		return rulesCmd(rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// clusterDir is where the private development cluster lives.
func clusterDir(cfg config.Config) string { return filepath.Join(cfg.DataDir, "postgres") }

// databaseURL is DATABASE_URL (hearth_app), or the private cluster's
// hearth_app URL (the cluster started if needed).
func databaseURL(ctx context.Context, cfg config.Config, log *slog.Logger) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	c, err := postgres.StartCluster(ctx, log, clusterDir(cfg), postgres.ClusterOptions{Port: 54329})
	if err != nil {
		return "", err
	}
	return c.AppURL(), nil
}

// ownerURL is DATABASE_OWNER_URL, or the private cluster's owner when
// DATABASE_URL is not set; "" when only the server's role is configured.
func ownerURL(ctx context.Context, cfg config.Config, log *slog.Logger) (string, error) {
	if cfg.OwnerURL != "" || cfg.DatabaseURL != "" {
		return cfg.OwnerURL, nil
	}
	c, err := postgres.StartCluster(ctx, log, clusterDir(cfg), postgres.ClusterOptions{Port: 54329})
	if err != nil {
		return "", err
	}
	return c.URL(), nil
}

// migrate applies pending migrations as the owner. Without an owner URL it
// fails when required, and otherwise leaves migrating to `hearth migrate`.
func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, required bool) error {
	url, err := ownerURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if url == "" {
		if required {
			return errors.New("migrations run as the owner role: set DATABASE_OWNER_URL " +
				"(or HEARTH_MIGRATE=false, and run `hearth migrate` with it as a release step; docs/deployment.md)")
		}
		return nil
	}
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer pool.Close()
	return postgres.Migrate(ctx, pool)
}

func openDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*pgxpool.Pool, error) {
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	return postgres.OpenWith(ctx, url, postgres.Options{MaxConns: postgres.ServerMaxConns(cfg.DBMaxConns, url)})
}

func devdbCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: hearth devdb start|stop|url [--dir DIR] [--fast]")
	}
	fs := flag.NewFlagSet("devdb", flag.ContinueOnError)
	dir := fs.String("dir", clusterDir(cfg), "cluster directory")
	fast := fs.Bool("fast", false, "no fsync: for throwaway test clusters only")
	port := fs.Int("port", 54329, "preferred port")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "start", "url":
		c, err := postgres.StartCluster(ctx, log, *dir, postgres.ClusterOptions{Port: *port, Fast: *fast})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, c.URL())
		return nil
	case "stop":
		return postgres.StopCluster(ctx, log, *dir)
	}
	return fmt.Errorf("devdb: unknown subcommand %q (start, stop or url)", args[0])
}

// asOfDate reads a --as-of or similar flag: a date, or today (UTC) when empty.
func asOfDate(v string) (time.Time, error) {
	if v == "" {
		return time.Now().UTC().Truncate(24 * time.Hour), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, fmt.Errorf("--as-of: %q is not a date like 2026-03-31", v)
	}
	return t, nil
}
