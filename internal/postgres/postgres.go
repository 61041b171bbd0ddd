// Package postgres owns Hearth's connection to PostgreSQL: the pool, migrations,
// transactions, the councils a connection may see (row-level security), and the
// private cluster used for development and tests.
//
// Two roles reach the database (docs/security.md): migrations run as the owner
// (MigrateURL), the server as hearth_app (Open), which owns nothing and whose
// every connection sees only the councils its context carries (WithCouncils).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"github.com/hearthcare/hearth/schema"
)

// Options tune a pool.
type Options struct {
	// Unscoped is what a connection taken with a context that carries no
	// councils may see. The zero value, no council, is what the server uses:
	// a path that forgot to say whose data it works on finds none. Tests widen
	// it (internal/dbtest) so that fixtures can be written plainly.
	Unscoped Councils
	// MaxConns caps the pool; 0 keeps pgxpool's default or the URL's pool_max_conns.
	MaxConns int32
	// RuntimeParams are added to every connection's startup parameters.
	RuntimeParams map[string]string
}

// ServerMaxConns is the size of the server's pool: configured (HEARTH_DB_MAX_CONNS),
// else the URL's pool_max_conns, else 4 a CPU and at least 8. pgxpool's own
// default is one a CPU, at least 4: on 2 cores that was 4 connections, one held
// by the grants listener, for pages that each wait on the disk, and 200
// sessions queued for them (issue 19).
func ServerMaxConns(configured int32, url string) int32 {
	switch {
	case configured > 0:
		return configured
	case strings.Contains(url, "pool_max_conns"):
		return 0
	}
	return int32(max(8, 4*runtime.GOMAXPROCS(0)))
}

// Open connects a pool and checks the server answers. Every connection, as it
// leaves the pool, is set to see only the councils its context carries.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return OpenWith(ctx, url, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, url string, opts Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	for k, v := range opts.RuntimeParams {
		cfg.ConnConfig.RuntimeParams[k] = v
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	unscoped := opts.Unscoped
	cfg.PrepareConn = func(ctx context.Context, conn *pgx.Conn) (bool, error) {
		if err := scopeConn(ctx, conn, unscoped); err != nil {
			// Destroy the connection: its setting is unknown.
			return false, fmt.Errorf("set the councils this connection may see: %w", err)
		}
		return true, nil
	}
	// JIT compilation costs 50–70 ms on any query above its cost threshold, more
	// than Hearth's page queries take to run (docs/decisions.md).
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(cfg.ConnConfig), err)
	}
	return pool, nil
}

func redact(c *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// migrationLockID is the advisory lock key that serialises concurrent migrators
// (several servers starting at once, or parallel test packages).
const migrationLockID = 7_464_201_001

// Migrate applies every pending migration in schema.FS under an advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		return fmt.Errorf("migrate: take lock: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and a held lock would block the next migrator.
		_, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockID)
	}()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), "schema_version")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, gaps, err := withGaps(schemaFS())
	if err != nil {
		return fmt.Errorf("migrate: load: %w", err)
	}
	if err := checkGaps(ctx, conn.Conn(), gaps); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := m.LoadMigrations(files); err != nil {
		return fmt.Errorf("migrate: load: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// After every migration, so tables added later get hearth_app's privileges
	// and row-level security by the one rule (schema/016).
	if _, err := conn.Exec(ctx, "SELECT hearth_grant_app()"); err != nil {
		return fmt.Errorf("migrate: grant hearth_app its privileges: %w", err)
	}
	return nil
}

// CheckAppRole refuses a connection that could rewrite the audit trail or see
// past row-level security: a superuser, a role that bypasses row-level
// security, or one that owns anything in the database. The server runs it at
// start, so a deployment that gives it the owner's URL fails at once.
func CheckAppRole(ctx context.Context, pool *pgxpool.Pool) error {
	var name string
	var super, bypass bool
	var owns int64
	err := pool.QueryRow(ctx, `
		SELECT r.rolname, r.rolsuper, r.rolbypassrls,
		       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		        WHERE c.relowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_temp%'
		          AND n.nspname NOT LIKE 'pg_toast%')
		FROM pg_roles r WHERE r.rolname = current_user`).Scan(&name, &super, &bypass, &owns)
	if err != nil {
		return fmt.Errorf("check the database role: %w", err)
	}
	switch {
	case super:
		return fmt.Errorf("DATABASE_URL connects as %s, a superuser: the server must connect as hearth_app (docs/deployment.md)", name)
	case bypass:
		return fmt.Errorf("DATABASE_URL connects as %s, which bypasses row-level security: the server must connect as hearth_app (docs/deployment.md)", name)
	case owns > 0:
		return fmt.Errorf("DATABASE_URL connects as %s, which owns %d tables: the server must connect as hearth_app, "+
			"and migrations run with DATABASE_OWNER_URL (docs/deployment.md)", name, owns)
	}
	return nil
}

func schemaFS() fs.FS { return schema.FS }

// InTx runs fn in a transaction, committing if it returns nil.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}

// IsUniqueViolation reports whether err is a unique-constraint failure.
func IsUniqueViolation(err error) bool {
	var pgErr interface{ SQLState() string }
	return errors.As(err, &pgErr) && pgErr.SQLState() == "23505"
}

// IsExclusionViolation reports whether err is PostgreSQL refusing a row that
// overlaps another under an exclusion constraint.
func IsExclusionViolation(err error) bool {
	var pgErr interface{ SQLState() string }
	return errors.As(err, &pgErr) && pgErr.SQLState() == "23P01"
}

// IsUnavailable reports whether err means the database could not be reached
// or went away (a restart, a failover, a network blip), rather than that it
// refused a query. Such a request may succeed if tried again in a moment.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01–57P03: the server is shutting
		// down or starting up.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	// pgx reports a connection lost mid-query as an unexported error type
	// that is safe to retry only when nothing was sent.
	return pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "failed to connect")
}

// ConstraintOf names the constraint or unique index PostgreSQL reported err
// against, or "" when it names none.
func ConstraintOf(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
