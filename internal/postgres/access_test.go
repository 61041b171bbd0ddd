package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/postgres"
)

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

// setup loads a small demo region as the owner and returns both pools.
func setup(t *testing.T) (app, owner *pgxpool.Pool) {
	t.Helper()
	app, owner = dbtest.NewWithOwner(t)
	if err := demo.Load(context.Background(), owner, demo.Generate(demo.Options{Seed: 3, Children: 60, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(context.Background(), "SELECT child_current_refresh($1)", asOf); err != nil {
		t.Fatal(err)
	}
	return app, owner
}

// directory tables carry la_id but say who holds which role where; they are
// read before anyone has signed in, so they are outside row-level security.
var directory = []string{"local_authorities", "rcc_memberships", "role_assignments"}

// TestAppPrivileges checks hearth_app against the rule in schema/016 for every
// relation there is, so a table added by a later migration without its grants
// or row-level security fails here.
func TestAppPrivileges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, owner := dbtest.NewWithOwner(t)

	var super, bypass, login bool
	var owns int64
	err := owner.QueryRow(ctx, `SELECT rolsuper, rolbypassrls, rolcanlogin,
		(SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid)
		FROM pg_roles r WHERE rolname = 'hearth_app'`).Scan(&super, &bypass, &login, &owns)
	if err != nil {
		t.Fatal(err)
	}
	if super || bypass || !login || owns != 0 {
		t.Errorf("hearth_app: superuser %v, bypasses RLS %v, can log in %v, owns %d objects; want false, false, true, 0", super, bypass, login, owns)
	}

	for _, p := range privilegeProblems(t, owner) {
		t.Error(p)
	}

	// A table a later migration adds without the grant step, and a view that
	// runs as its owner, are both caught.
	for _, sql := range []string{
		"CREATE TABLE rogue_notes (la_id integer NOT NULL, note text)",
		"CREATE VIEW rogue_view AS SELECT la_id FROM children",
	} {
		if _, err := owner.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(privilegeProblems(t, owner), "\n")
	for _, want := range []string{"hearth_app on rogue_notes (r) = []", "council table rogue_notes: row-level security false",
		"view rogue_view runs as its owner", "hearth_app on rogue_view (v) = []"} {
		if !strings.Contains(got, want) {
			t.Errorf("with a table and a view made without the grant step, problems = %s; want %q", got, want)
		}
	}
	// And the grant step, run after every migration, puts them right.
	if _, err := owner.Exec(ctx, "SELECT hearth_grant_app()"); err != nil {
		t.Fatal(err)
	}
	if p := privilegeProblems(t, owner); len(p) != 0 {
		t.Errorf("after hearth_grant_app: %v", p)
	}
}

// privilegeProblems lists every way hearth_app's privileges differ from the rule.
func privilegeProblems(t *testing.T, owner *pgxpool.Pool) []string {
	t.Helper()
	ctx := context.Background()
	var problems []string
	rows, err := owner.Query(ctx, `
		SELECT c.relname, c.relkind::text, c.relrowsecurity,
		       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'la_id' AND NOT a.attisdropped),
		       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND 'hearth_app'::regrole = ANY(p.polroles)),
		       coalesce('security_invoker=true' = ANY(c.reloptions), false),
		       coalesce(pg_get_viewdef(c.oid) LIKE '%hearth_council_ids()%', false),
		       array_remove(ARRAY[
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'SELECT') THEN 'SELECT' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'INSERT') THEN 'INSERT' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'UPDATE') THEN 'UPDATE' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'DELETE') THEN 'DELETE' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'REFERENCES') THEN 'REFERENCES' END,
		         CASE WHEN has_table_privilege('hearth_app', c.oid, 'TRIGGER') THEN 'TRIGGER' END], NULL)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tenant := 0
	for rows.Next() {
		var name, kind string
		var rls, hasLA, policy, invoker, filters bool
		var privs []string
		if err := rows.Scan(&name, &kind, &rls, &hasLA, &policy, &invoker, &filters, &privs); err != nil {
			t.Fatal(err)
		}
		var want []string
		switch {
		case kind == "m", name == "schema_version", name == "schema_gaps":
		case kind == "v":
			want = []string{"SELECT"}
			if name == "child_current_visible" {
				if !filters {
					problems = append(problems, fmt.Sprintf("view %s runs as its owner but does not filter by hearth_council_ids()", name))
				}
			} else if !invoker {
				problems = append(problems, fmt.Sprintf("view %s runs as its owner, past row-level security; want security_invoker", name))
			}
		case name == "audit_events":
			want = []string{"SELECT", "INSERT"}
		case name == "audit_links": // written only by audit_link (schema 036)
			want = []string{"SELECT"}
		case name == "audit_pending":
		default:
			want = []string{"SELECT", "INSERT", "UPDATE", "DELETE"}
		}
		if !slices.Equal(privs, want) {
			problems = append(problems, fmt.Sprintf("hearth_app on %s (%s) = %v; want %v", name, kind, privs, want))
		}
		if (kind == "r" || kind == "p") && hasLA && !slices.Contains(directory, name) {
			tenant++
			if !rls || !policy {
				problems = append(problems, fmt.Sprintf("council table %s: row-level security %v, policy for hearth_app %v; want both", name, rls, policy))
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if tenant < 15 {
		problems = append(problems, fmt.Sprintf("only %d council tables found: the query is wrong", tenant))
	}
	return problems
}

// TestAuditTrailRefusedToApp: the server's own connection cannot remove,
// change or stop recording audit events.
func TestAuditTrailRefusedToApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	if _, err := app.Exec(ctx, `INSERT INTO audit_events (user_id, la_id, action, entity) VALUES (NULL, 352, 'view', 'child')`); err != nil {
		t.Fatalf("hearth_app cannot add an event: %v", err)
	}
	count := func() int64 {
		var n int64
		if err := owner.QueryRow(ctx, "SELECT count(*) FROM audit_events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, sql := range []string{
		"TRUNCATE audit_events",
		"DELETE FROM audit_events",
		"UPDATE audit_events SET action = 'nothing'",
		"UPDATE audit_links SET hash = prev_hash",
		"DELETE FROM audit_links",
		"DELETE FROM audit_pending",
		"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
		"ALTER TABLE audit_events DISABLE TRIGGER ALL",
		"ALTER TABLE audit_events DISABLE ROW LEVEL SECURITY",
		"DROP TRIGGER audit_events_no_change ON audit_events",
		"DROP TRIGGER audit_events_pending ON audit_events",
		"DROP TABLE audit_events",
		"SET session_replication_role = replica",
		"SELECT set_config('session_replication_role', 'replica', false)",
		"CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
		"ALTER TABLE audit_events RENAME TO audit_events_old",
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := app.Exec(ctx, sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("%s as hearth_app = %v; want it refused", sql, err)
			}
			// 42501 insufficient privilege, or 42939/P0001: refused by the owner's trigger.
			t.Logf("refused: %s %s", pgErr.Code, pgErr.Message)
		})
	}
	if after := count(); after != before {
		t.Errorf("audit events: %d before, %d after", before, after)
	}
}

// TestRowLevelSecurity turns the SQL scoping off (raw SQL, and queries given
// every council's ID) and shows the database still keeps each request to the
// councils it may see, and shows nothing to a connection that has not said.
func TestRowLevelSecurity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := setup(t)
	las := []int32{}
	for _, c := range demo.Councils {
		las = append(las, c.LAID)
	}
	mine, other := las[0], las[1]

	tables := councilTables(t, owner)
	nobody := postgres.WithCouncils(ctx, postgres.Councils{})
	one := postgres.WithCouncils(ctx, postgres.OnlyCouncils(mine))
	populated := 0
	for _, tbl := range tables {
		var all, ownerOther int64
		if err := owner.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE la_id = $1) FROM "+tbl, other).Scan(&all, &ownerOther); err != nil {
			t.Fatal(err)
		}
		if ownerOther > 0 {
			populated++
		}
		var seen, seenOther int64
		if err := app.QueryRow(nobody, "SELECT count(*) FROM "+tbl).Scan(&seen); err != nil {
			t.Fatal(err)
		}
		if seen != 0 {
			t.Errorf("%s: a connection that named no council sees %d of %d rows", tbl, seen, all)
		}
		if err := app.QueryRow(one, "SELECT count(*) FROM "+tbl+" WHERE la_id = $1", other).Scan(&seenOther); err != nil {
			t.Fatal(err)
		}
		if seenOther != 0 {
			t.Errorf("%s: council %d's request sees %d of council %d's rows", tbl, mine, seenOther, other)
		}
	}
	if populated < 8 {
		t.Fatalf("only %d council tables hold rows of council %d: the test shows little", populated, other)
	}

	// Queries asked for every council, as if the service forgot the scope.
	q := db.New(app)
	var child int64
	if err := owner.QueryRow(ctx, "SELECT child_id FROM children WHERE la_id = $1 LIMIT 1", other).Scan(&child); err != nil {
		t.Fatal(err)
	}
	if _, err := q.ChildGet(one, db.ChildGetParams{ChildID: child, AllLaIds: las}); !errors.Is(err, pgx.ErrNoRows) {
		t.Errorf("ChildGet(another council's child, every council) = %v; want no rows", err)
	}
	if la, err := q.ChildCouncil(one, child); err != nil || la != other {
		t.Errorf("ChildCouncil(another council's child) = %d, %v; want %d (the owning council, for the audit)", la, err, other)
	}
	var total int64
	if err := owner.QueryRow(ctx, "SELECT count(*) FROM child_current WHERE la_id = $1", mine).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if visible, err := q.CurrentCount(one, las); err != nil || visible != total || total == 0 {
		t.Errorf("CurrentCount(every council) for council %d = %d, %v; want its own %d", mine, visible, err, total)
	}
	if visible, err := q.CurrentCount(nobody, las); err != nil || visible != 0 {
		t.Errorf("CurrentCount with no council = %d, %v; want 0", visible, err)
	}
	if _, err := app.Exec(one, "SELECT count(*) FROM child_current"); err == nil {
		t.Error("hearth_app reads the materialized view child_current directly")
	}

	// Writes: another council's rows can be neither changed nor added.
	tag, err := app.Exec(one, "UPDATE children SET given_name = 'X' WHERE la_id = $1", other)
	if err != nil || tag.RowsAffected() != 0 {
		t.Errorf("update another council's children = %v, %d rows; want 0 rows", err, tag.RowsAffected())
	}
	_, err = app.Exec(one, `INSERT INTO children (la_id, child_ref, date_of_birth, sex, ethnicity) VALUES ($1, 'RLS-1', '2015-01-01', 'M', 'WBRI')`, other)
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("insert a child into another council = %v; want a row-level security refusal", err)
	}
	// COPY goes through the same policy (postgres.CopyFrom).
	err = pgx.BeginFunc(one, app, func(tx pgx.Tx) error {
		_, err := postgres.CopyFrom(one, tx, "children", []string{"la_id", "child_ref", "date_of_birth", "sex", "ethnicity"},
			pgx.CopyFromRows([][]any{{other, "RLS-2", asOf, "M", "WBRI"}}))
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("copy a child into another council = %v; want a row-level security refusal", err)
	}
	err = pgx.BeginFunc(one, app, func(tx pgx.Tx) error {
		_, err := postgres.CopyFrom(one, tx, "children", []string{"la_id", "child_ref", "date_of_birth", "sex", "ethnicity"},
			pgx.CopyFromRows([][]any{{mine, "RLS-3", asOf, "M", "WBRI"}}))
		return err
	})
	if err != nil {
		t.Errorf("copy a child into the request's own council: %v", err)
	}
}

// TestScopeDoesNotLeakBetweenRequests: a pooled connection carries the last
// request's councils only until the next request takes it.
func TestScopeDoesNotLeakBetweenRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, _ := setup(t)
	mine := demo.Councils[0].LAID
	count := func(ctx context.Context) int64 {
		var n int64
		if err := app.QueryRow(ctx, "SELECT count(*) FROM children").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 20 { // more rounds than the pool has connections
		if count(postgres.WithCouncils(ctx, postgres.OnlyCouncils(mine))) == 0 {
			t.Fatal("a council's request sees none of its children")
		}
		if n := count(postgres.WithCouncils(ctx, postgres.Councils{})); n != 0 {
			t.Fatalf("a request with no council after one with a council sees %d children", n)
		}
	}
}

func councilTables(t *testing.T, owner *pgxpool.Pool) []string {
	t.Helper()
	rows, err := owner.Query(context.Background(), `
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
		  -- keyed on la_id; audit_links and audit_pending are keyed on their chain (internal/audit tests them)
		  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'la_id' AND NOT a.attisdropped)
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestCheckAppRole: the server refuses the owner's connection and accepts
// hearth_app's.
func TestCheckAppRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	if err := postgres.CheckAppRole(ctx, app); err != nil {
		t.Errorf("CheckAppRole(hearth_app) = %v; want nil", err)
	}
	if err := postgres.CheckAppRole(ctx, owner); err == nil || !strings.Contains(err.Error(), "hearth_app") {
		t.Errorf("CheckAppRole(owner) = %v; want a refusal naming hearth_app", err)
	}
}
