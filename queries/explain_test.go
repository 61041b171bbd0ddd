package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// wholeTable lists the queries that read a council's table from end to end on
// purpose, and why. Anything else that does fails the test.
var wholeTable = map[string]string{
	"AuditList":       "the auditor's list, newest first: walks the trail back by event_id and stops at the page's limit",
	"UnusualAccess":   "the auditor's report compares every account holding a role, and every family name, with the period's events",
	"ImportHeartbeat": "touches only running imports (a handful), through the partial index of running imports",
	"ImportFail":      "touches one import through the partial index of running imports",
	"RCCsOfCouncil":   "memberships hold one row per council and cooperative",
	// On the small planning database the planner takes the partial index of
	// open allocations or grants, which leads with the person, and checks the
	// council as a second condition; not yet checked on the national demo.
	"AllocationEnd":   "open allocations: partial index chosen on the small planning database",
	"CaseloadWorkers": "open grants: partial index chosen on the small planning database",
	"RoleListAll":     "casbin loads every grant in force at start-up and whenever grants change",
	"ImportGet": "reads by import_id, which has its own unique index (imports_id_key); the planner may take " +
		"the council's index with the id as its second column instead",
	"UserCount": "serve counts the accounts once, to decide whether to load the demo",
	// A scope of "every child of these councils, or the caller's allocated
	// children" is an OR the generic plan cannot split by council; custom
	// plans (the first five executions of each prepared statement) use the
	// council indexes.
	"ReviewsDue": "scope: all children of some councils or the caller's allocated children",
	// The refresher's list of kept past dates (schema/031) across councils:
	// councils × kept dates, a few thousand rows, read once a refresh.
	"AsOfToBuild": "the refresher's work list of kept past dates across every council (a few thousand rows)",
	"AsOfExpire":  "the refresher forgets kept past dates across every council (a few thousand rows)",
}

// TestQueriesUseTheirIndexes plans every query sqlc generates (a generic plan,
// with sequential scans priced out, so the planner uses any index it can) and
// fails on each read of a table with an la_id column that is a sequential
// scan, or an index scan whose conditions do not include the index's leading
// column (a walk over the whole index). EXPLAIN_DATABASE_URL points it at a
// loaded database (the national demo, `make explain`); by default it plans on
// a small demo region.
func TestQueriesUseTheirIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var pool *pgxpool.Pool
	if u := os.Getenv("EXPLAIN_DATABASE_URL"); u != "" {
		var err error
		if pool, err = pgxpool.New(ctx, u); err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
	} else {
		// Planned as the owner, so each query is judged on its own
		// conditions: under row-level security every read gains a council
		// condition, which would hide a query that forgot its own.
		var app *pgxpool.Pool
		app, pool = dbtest.NewWithOwner(t)
		// A fixed region and day: the same statistics, so the same plans, on
		// every run.
		day := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
		if err := demo.Load(ctx, app, demo.Generate(demo.Options{Seed: 3, Children: 200, AsOf: day})); err != nil {
			t.Fatal(err)
		}
	}
	tenant, leading := catalogue(t, pool)
	qs := generatedQueries(t)
	if len(qs) < 100 {
		t.Fatalf("found only %d queries in internal/db", len(qs))
	}
	planned := 0
	for _, q := range qs {
		plan, err := explain(ctx, pool, q.sql)
		if err != nil {
			t.Errorf("%s: cannot plan: %v", q.name, err)
			continue
		}
		planned++
		bad := scans(plan, tenant, leading)
		if reason, ok := wholeTable[q.name]; ok {
			if len(bad) == 0 {
				// Plans follow the statistics, so an entry may not be needed
				// on every database: say so rather than fail.
				t.Logf("%s is listed as reading whole tables (%s) but did not here", q.name, reason)
			}
			continue
		}
		for _, b := range bad {
			t.Errorf("%s: %s", q.name, b)
		}
	}
	t.Logf("planned %d of %d queries", planned, len(qs))
}

type query struct{ name, sql string }

var constRE = regexp.MustCompile("(?s)const \\w+ = `-- name: (\\w+) :(\\w+)\\n(.*?)`")

// generatedQueries reads the SQL of every query from sqlc's output.
func generatedQueries(t *testing.T) []query {
	t.Helper()
	files, err := filepath.Glob("../internal/db/*.sql.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated queries: %v", err)
	}
	var out []query
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range constRE.FindAllStringSubmatch(string(b), -1) {
			if m[2] == "copyfrom" {
				continue
			}
			out = append(out, query{name: m[1], sql: m[3]})
		}
	}
	return out
}

var paramRE = regexp.MustCompile(`\$(\d+)`)

// explain returns the generic plan of sql with sequential scans priced out.
// Nothing is executed: EXPLAIN without ANALYZE only plans.
func explain(ctx context.Context, pool *pgxpool.Pool, sql string) (any, error) {
	n := 0
	for _, m := range paramRE.FindAllStringSubmatch(sql, -1) {
		k, _ := strconv.Atoi(m[1])
		n = max(n, k)
	}
	args := strings.TrimSuffix(strings.Repeat("NULL, ", n), ", ")
	var plan any
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, s := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL plan_cache_mode = force_generic_plan",
			"PREPARE explain_me AS " + sql} {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		ex := "EXPLAIN (FORMAT JSON) EXECUTE explain_me"
		if n > 0 {
			ex += "(" + args + ")"
		}
		var raw []byte
		if err := tx.QueryRow(ctx, ex).Scan(&raw); err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &plan); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DEALLOCATE explain_me")
		return err
	})
	return plan, err
}

// catalogue lists the tables (and materialized views) with an la_id column,
// and each index's leading column.
func catalogue(t *testing.T, pool *pgxpool.Pool) (map[string]bool, map[string]string) {
	t.Helper()
	ctx := context.Background()
	tenant := map[string]bool{}
	rows, err := pool.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE a.attname = 'la_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'm', 'p')
		AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'local_authorities'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tenant[n] = true
	}
	rows.Close()
	leading := map[string]string{}
	// Only B-trees need their leading column; a GiST index (the exclusion
	// constraints) serves a condition on any of its columns.
	rows, err = pool.Query(ctx, `SELECT i.relname, coalesce(a.attname, '') FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
		LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
		WHERE i.relnamespace = 'public'::regnamespace`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var idx, col string
		if err := rows.Scan(&idx, &col); err != nil {
			t.Fatal(err)
		}
		leading[idx] = col
	}
	rows.Close()
	if len(tenant) < 10 {
		t.Fatalf("only %d council tables found", len(tenant))
	}
	return tenant, leading
}

// scans walks a plan and describes each read of a council's table that is
// not led by an index's first column.
func scans(plan any, tenant map[string]bool, leading map[string]string) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case []any:
			for _, x := range n {
				walk(x)
			}
		case map[string]any:
			if p, ok := n["Plan"]; ok {
				walk(p)
				return
			}
			typ, _ := n["Node Type"].(string)
			rel, _ := n["Relation Name"].(string)
			idx, _ := n["Index Name"].(string)
			cond, _ := n["Index Cond"].(string)
			switch {
			case typ == "Seq Scan" && tenant[rel]:
				out = append(out, fmt.Sprintf("reads all of %s (sequential scan; filter %v)", rel, n["Filter"]))
			case slices.Contains([]string{"Index Scan", "Index Only Scan", "Bitmap Index Scan"}, typ) && idx != "":
				col := leading[idx]
				// A walk with no condition at all is the planner reading a table
				// in index order for a merge join, where the query wants most of
				// it; a condition that leaves out the index's first column is a
				// query looking a record up by the wrong key.
				if col != "" && cond != "" && (tenant[rel] || rel == "") && !regexp.MustCompile(`\b`+col+`\b`).MatchString(cond) {
					out = append(out, fmt.Sprintf("walks the whole of index %s (conditions %q do not include its leading column %s)", idx, cond, col))
				}
			}
			if kids, ok := n["Plans"]; ok {
				walk(kids)
			}
		}
	}
	walk(plan)
	return out
}
