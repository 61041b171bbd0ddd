package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/mfa"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/ui"
)

// secretKey is HEARTH_SECRET_KEY, or — on the private development cluster
// only, where nothing real is kept — a key made once in the data directory,
// so `make run` can set up single sign-on and second factors.
func secretKey(cfg config.Config, log *slog.Logger) (sealing.Key, error) {
	k, err := sealing.FromEnv()
	if err != nil || k != nil || cfg.DatabaseURL != "" {
		if k == nil && err == nil {
			log.Warn("HEARTH_SECRET_KEY is not set: single sign-on and second factors cannot be set up")
		}
		return k, err
	}
	f := filepath.Join(cfg.DataDir, "secret.key")
	log.Info("private cluster: using the development secret key", "file", f)
	return sealing.DevKey(f)
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	// api.WriteJSON logs an answer it cannot encode through the default logger.
	slog.SetDefault(log)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demoIfEmpty := fs.Bool("demo-if-empty", false, "load the demo region when the database has no users")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.MigrateOnStart {
		if err := migrate(ctx, cfg, log, true); err != nil {
			return err
		}
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	// The server must not be able to rewrite the audit trail or see past
	// row-level security: refuse to serve as the owner or a superuser.
	if err := postgres.CheckAppRole(ctx, pool); err != nil {
		return err
	}
	// Background work below says which councils it touches; until a request
	// says otherwise, nothing.
	ctx = postgres.WithCouncils(ctx, postgres.Councils{})
	if *demoIfEmpty {
		n, err := db.New(pool).UserCount(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			log.Info("empty database: loading the demo region")
			reg := demo.Generate(demo.Options{Seed: 1})
			if err := demo.Load(ctx, pool, reg); err != nil {
				return err
			}
		}
		printSignIns(stdout, cfg)
	}

	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	go az.Listen(ctx)
	authSvc := auth.New(pool, auth.Settings{SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax,
		LockAfter: cfg.LockAfter, LockFor: cfg.LockFor})
	an := analytics.New(pool, az)
	if an.Reads, err = openReplica(ctx, cfg, log, pool); err != nil {
		return err
	}
	if an.Reads.Replica != nil {
		defer an.Reads.Replica.Close()
	}
	key, err := secretKey(cfg, log)
	if err != nil {
		return err
	}
	if key != nil {
		n, err := mfa.New(pool, az, key).SealStored(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			log.Info("sealed second-factor secrets stored before sealing", "count", n)
		}
	}
	srv, err := ui.New(ui.Deps{Pool: pool, Log: log, Auth: authSvc, Authz: az, Children: children.New(pool, az), Needs: needs.New(pool, az),
		Placements: placements.New(pool, az), Proceedings: proceedings.New(pool, az), Analytics: an,
		Sharing: sharing.New(pool, az), Importer: &ssda903.Importer{Pool: pool, Authz: az, Log: log},
		SecureCookies: cfg.SecureCookies, SecretKey: key})
	if err != nil {
		return err
	}
	go expireSessions(ctx, authSvc, log)
	go refreshCurrent(ctx, pool, log, an.Today)
	go audit.NewChainer(pool, log, time.Second).Run(ctx) // links audit events into their chains after commit (decision 38)
	startPprof(log)                                      // HEARTH_PPROF_ADDR, loopback only

	hs := &http.Server{Addr: cfg.ListenAddr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Regional, forecast and report reads of whole councils go to the replica (postgres.WithReads).
		BaseContext: func(net.Listener) context.Context { return postgres.WithReads(context.Background(), an.Reads) }}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	log.Info("hearth is serving", "url", "http://"+displayAddr(ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil || host == "127.0.0.1" || host == "::" || host == "" {
		return "localhost:" + port
	}
	return a
}

func printSignIns(w io.Writer, cfg config.Config) {
	reg := demo.Generate(demo.Options{Seed: 1, Children: 1})
	fmt.Fprintf(w, "\nDemo sign-ins (password for all: %s):\n", demo.Password)
	for _, s := range demo.SignIns(reg) {
		fmt.Fprintf(w, "  %-14s %s\n", s[0], s[1])
	}
	fmt.Fprintf(w, "\nOpen http://%s/ — stop with Ctrl-C; `go run ./cmd/hearth devdb stop` stops the database.\n\n", displayAddr(cfg.ListenAddr))
}

// expireSessions deletes ended sessions every few minutes.
func expireSessions(ctx context.Context, a *auth.Service, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("expire sessions", "err", err)
			} else if n > 0 {
				log.Debug("expired sessions deleted", "count", n)
			}
		}
	}
}

// refreshCurrent keeps today's view of children in care fresh: at start, then
// every two minutes (schema/008; figures for today say when it was refreshed).
func refreshCurrent(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, today func() time.Time) {
	t := time.NewTicker(2 * time.Minute)
	defer t.Stop()
	for {
		start := time.Now()
		if err := analytics.RefreshCurrent(ctx, pool, today()); err != nil && ctx.Err() == nil {
			log.Warn("refresh today's children in care", "err", err)
		} else {
			log.Debug("refreshed today's children in care", "took", time.Since(start))
		}
		// Past month-ends and dates asked for (schema/031), within the tick.
		if _, err := analytics.RefreshPast(ctx, pool, log, today(), 90*time.Second); err != nil && ctx.Err() == nil {
			log.Warn("keep past dates' children in care", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
