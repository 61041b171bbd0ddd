// Package dbtest gives each test its own PostgreSQL database, cloned from a
// template migrated once per schema version (named by a hash of the migration
// files), and dropped when the test ends. Only _test files import it.
//
// Tests run as the server does, as hearth_app (the role without ownership,
// under row-level security): New's pool is hearth_app's, with one difference
// from the server's, that a context carrying no councils sees every council, so
// fixtures can be written without ceremony. A context that carries councils
// (postgres.WithCouncils, as every request does) sees only those. NewWithOwner
// also gives the owner's pool, for what only the owner may do.
//
// The server is TEST_DATABASE_URL (any database of a server where the user may
// create databases and roles); without it, a private cluster in the temporary directory is
// started and shared by every test process. When CI is set and no server can be
// had, tests fail rather than skip.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/schema"
)

// TimeZone is set on every test connection: a zone far from UTC flushes out
// code that confuses dates with instants.
const TimeZone = "Pacific/Chatham"

var (
	serverOnce  sync.Once
	serverURL   string
	serverErr   error
	appRoleOnce sync.Once
	appRoleErr  error
	tmplOnce    sync.Once
	tmplName    string
	tmplErr     error
)

// New returns a pool, as hearth_app, on a fresh, migrated database for this test.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	app, _ := NewWithOwner(t)
	return app
}

// NewWithOwner returns pools on a fresh, migrated database for this test: as
// hearth_app, and as the owner that ran the migrations.
func NewWithOwner(t testing.TB) (app, owner *pgxpool.Pool) {
	t.Helper()
	name := newDatabase(t)
	return open(t, appURL(t, name), postgres.AllCouncils()), open(t, withDatabase(t, adminURL(t), name), postgres.Councils{})
}

// URL returns hearth_app's connection string for a fresh, migrated database,
// for tests that start the whole program (which opens its own pool).
func URL(t testing.TB) string {
	t.Helper()
	app, _ := URLs(t)
	return app
}

// URLs returns hearth_app's and the owner's connection strings for a fresh,
// migrated database (DATABASE_URL and DATABASE_OWNER_URL).
func URLs(t testing.TB) (app, owner string) {
	t.Helper()
	name := newDatabase(t)
	return appURL(t, name), withDatabase(t, adminURL(t), name)
}

func open(t testing.TB, url string, unscoped postgres.Councils) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.OpenWith(context.Background(), url, postgres.Options{
		Unscoped: unscoped, MaxConns: 8, RuntimeParams: map[string]string{"timezone": TimeZone}})
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func appURL(t testing.TB, database string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(adminURL(t))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", postgres.AppRole, postgres.AppPassword(cfg.Password),
		cfg.Host, cfg.Port, database)
}

// newDatabase clones the template into a database dropped when the test ends.
func newDatabase(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin := adminURL(t)
	tmpl := template(t, admin)

	name := "hearth_test_" + randomHex(6)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return name
}

func adminURL(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
			serverURL = u
			return
		}
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-test-cluster-%d", os.Getuid()))
		c, err := postgres.StartCluster(context.Background(), slog.New(slog.DiscardHandler), dir,
			postgres.ClusterOptions{Fast: true})
		if err != nil {
			serverErr = err
			return
		}
		serverURL = c.URL()
	})
	if serverErr == nil {
		appRoleOnce.Do(func() { appRoleErr = ensureAppRole(serverURL) })
		if appRoleErr != nil {
			t.Fatalf("dbtest: %v", appRoleErr)
		}
	}
	if serverErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("dbtest: no PostgreSQL server (set TEST_DATABASE_URL, or run make test): %v", serverErr)
		}
		t.Skipf("dbtest: no PostgreSQL server (set TEST_DATABASE_URL, or run make test): %v", serverErr)
	}
	return serverURL
}

// ensureAppRole gives the server's hearth_app the password appURL uses.
func ensureAppRole(admin string) error {
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return postgres.EnsureAppRole(ctx, conn, postgres.AppPassword(cfg.Password))
}

// template makes sure the migrated template for the current schema exists.
func template(t testing.TB, admin string) string {
	t.Helper()
	tmplOnce.Do(func() { tmplName, tmplErr = ensureTemplate(admin) })
	if tmplErr != nil {
		t.Fatalf("dbtest: template: %v", tmplErr)
	}
	return tmplName
}

func ensureTemplate(admin string) (string, error) {
	ctx := context.Background()
	h := sha256.New()
	err := fs.WalkDir(schema.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(schema.FS, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	name := "hearth_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]

	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	// One process builds the template; the others wait and reuse it.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(7464201002)"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(7464201002)") //nolint:errcheck
	var ready bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&ready); err != nil {
		return "", err
	}
	if ready {
		return name, nil
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	pool, err := postgres.Open(ctx, withDatabaseErr(admin, name))
	if err != nil {
		return "", err
	}
	err = postgres.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s IS_TEMPLATE true", name)); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(t testing.TB, url, database string) string {
	t.Helper()
	u := withDatabaseErr(url, database)
	if u == "" {
		t.Fatalf("dbtest: cannot parse database url")
	}
	return u
}

func withDatabaseErr(url, database string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, database)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// AssertNoIdentifiers fails if text (a page, an API answer, a CSV or a
// PDF's text) holds any child's name, reference, UPN, date of birth or a
// piece of assessment evidence. Dates the text publishes for other reasons
// (an as-of date, an agreement's start) are not taken for birth dates.
func AssertNoIdentifiers(t testing.TB, pool *pgxpool.Pool, text string, published ...time.Time) {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT child_ref, given_name || ' ' || family_name, coalesce(upn, ''), to_char(date_of_birth, 'YYYY-MM-DD') FROM children`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var ids [4]string
		if err := rows.Scan(&ids[0], &ids[1], &ids[2], &ids[3]); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if i == 3 && slices.ContainsFunc(published, func(d time.Time) bool { return d.Format(time.DateOnly) == id }) {
				continue
			}
			if id != "" && strings.Contains(text, id) {
				t.Errorf("%q left the council", id)
			}
		}
		checked++
	}
	var evidence []string
	erows, err := pool.Query(ctx, `SELECT DISTINCT evidence FROM needs_ratings WHERE length(evidence) > 20 LIMIT 500`)
	if err != nil {
		t.Fatal(err)
	}
	defer erows.Close()
	for erows.Next() {
		var e string
		if err := erows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		evidence = append(evidence, e)
	}
	for _, e := range evidence {
		if strings.Contains(text, e) {
			t.Errorf("evidence %q left the council", e)
		}
	}
	if checked < 100 || len(evidence) == 0 {
		t.Fatalf("checked only %d children and %d pieces of evidence", checked, len(evidence))
	}
}

// DefaultToday is the day tests take for "today" unless HEARTH_TEST_TODAY
// moves it. It is pinned so the suite gives the same answer on every day it
// runs; `make test-dates` runs the date-sensitive tests on awkward days too.
const DefaultToday = "2026-12-01"

// Today is the tests' injected "today": HEARTH_TEST_TODAY (YYYY-MM-DD) or
// DefaultToday, never the wall clock.
func Today(t testing.TB) time.Time {
	t.Helper()
	v := os.Getenv("HEARTH_TEST_TODAY")
	if v == "" {
		v = DefaultToday
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		t.Fatalf("HEARTH_TEST_TODAY=%q is not a date like 2026-12-01", v)
	}
	return d
}

// Clock is a service's Now for tests: mid-morning of day, so code that takes
// the date of an instant sees day whatever the zone.
func Clock(day time.Time) func() time.Time {
	return func() time.Time { return day.Add(10 * time.Hour) }
}
