package analytics_test

import (
	"context"
	"log/slog"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// TestCohortAgainstSQL checks the Go figures on the demo region against a
// second method: one SQL query written straight from the tables, with
// PostgreSQL's own corr() and percentile_cont().
func TestCohortAgainstSQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 8, Children: 600, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	svc := analytics.New(pool, az)
	svc.Now = dbtest.Clock(asOf)
	var comm int64
	if err := pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'").Scan(&comm); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Cohort(ctx, comm, analytics.Filter{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	var n, both int
	var pearson, ehcWith, ehcWithout float64
	var prevEmo3 int
	err = pool.QueryRow(ctx, `
		WITH kids AS (
			SELECT c.child_id, c.ehc_plan FROM children c
			WHERE c.la_id = 352 AND EXISTS (SELECT 1 FROM care_periods p WHERE p.la_id = 352 AND p.child_id = c.child_id
				AND p.started_on <= $1 AND (p.ended_on IS NULL OR p.ended_on > $1))
		), latest AS (
			SELECT DISTINCT ON (a.child_id) a.child_id, a.assessment_id FROM needs_assessments a
			WHERE a.la_id = 352 AND a.status = 'approved' AND a.assessed_on <= $1 AND a.child_id IN (SELECT child_id FROM kids)
			ORDER BY a.child_id, a.assessed_on DESC, a.assessment_id DESC
		), scores AS (
			SELECT l.child_id, sum(r.level) AS score,
			       bool_or(r.domain_code = 'emotional_health' AND r.level = 3) AS emo3
			FROM latest l JOIN needs_ratings r ON r.la_id = 352 AND r.assessment_id = l.assessment_id GROUP BY l.child_id
		), costs AS (
			SELECT pc.child_id, sum(pc.weekly_pence) / 100.0 AS weekly FROM cost_spans pc
			WHERE pc.la_id = 352 AND pc.child_id IN (SELECT child_id FROM kids) AND pc.effective_from <= $1 AND (pc.effective_to IS NULL OR pc.effective_to >= $1)
			GROUP BY pc.child_id
		)
		SELECT (SELECT count(*) FROM kids),
		       count(*) FILTER (WHERE s.score IS NOT NULL AND co.weekly IS NOT NULL),
		       corr(s.score, co.weekly),
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY co.weekly) FILTER (WHERE k.ehc_plan),
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY co.weekly) FILTER (WHERE NOT k.ehc_plan),
		       count(*) FILTER (WHERE s.emo3)
		FROM kids k LEFT JOIN scores s USING (child_id) LEFT JOIN costs co USING (child_id)`, asOf).Scan(&n, &both, &pearson, &ehcWith, &ehcWithout, &prevEmo3)
	if err != nil {
		t.Fatal(err)
	}
	if c.N != n || c.Both != both || n < 150 {
		t.Errorf("n: Go %d (with both %d), SQL %d (%d)", c.N, c.Both, n, both)
	}
	if math.Abs(c.Pearson.Value-pearson) > 1e-9 {
		t.Errorf("Pearson: Go %.12f, SQL corr() %.12f", c.Pearson.Value, pearson)
	}
	if math.Abs(c.EHC.WithMedian-ehcWith) > 1e-9 || math.Abs(c.EHC.WithoutMedian-ehcWithout) > 1e-9 {
		t.Errorf("EHC medians: Go %v/%v, SQL %v/%v", c.EHC.WithMedian, c.EHC.WithoutMedian, ehcWith, ehcWithout)
	}
	if c.Prevalence[0][3] != prevEmo3 {
		t.Errorf("emotional health at level 3: Go %d, SQL %d", c.Prevalence[0][3], prevEmo3)
	}
	t.Logf("n %d, both %d, Pearson %.3f, Spearman %.3f, EHC %.0f vs %.0f, step-down %d (£%.0f a year)",
		c.N, c.Both, c.Pearson.Value, c.Spearman.Value, c.EHC.WithMedian, c.EHC.WithoutMedian, len(c.StepDown.Candidates), c.StepDown.Annual)
	// Snapshots leave references out; the candidates a page lists have theirs.
	for _, k := range c.StepDown.Candidates {
		var ref string
		if err := pool.QueryRow(ctx, "SELECT child_ref FROM children WHERE child_id = $1", k.Child.ChildID).Scan(&ref); err != nil || ref != k.Child.ChildRef {
			t.Errorf("candidate %d: reference %q, want %q (%v)", k.Child.ChildID, k.Child.ChildRef, ref, err)
		}
	}
	// A council the caller does not belong to is refused.
	if _, err := svc.Cohort(ctx, comm, analytics.Filter{LAID: 355}, asOf); err == nil {
		t.Error("Manchester's commissioner saw Salford's cohort")
	}
}

// TestCurrentViewMatchesTheTables: today's figures come from the refreshed
// view; they must equal the snapshot worked out from the tables.
func TestCurrentViewMatchesTheTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	today := dbtest.Today(t)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 10, Children: 300, AsOf: today})); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(ctx, pool, today); err != nil {
		t.Fatal(err)
	}
	q := db.New(pool)
	viaView, err := analytics.Snapshot(ctx, q, []int32{352, 355, 356, 358}, today)
	if err != nil {
		t.Fatal(err)
	}
	// Mark the view as of another day, so the same call works from the tables.
	if _, err := pool.Exec(ctx, "UPDATE child_current_refreshed SET as_of = as_of - 1"); err != nil {
		t.Fatal(err)
	}
	viaTables, err := analytics.Snapshot(ctx, q, []int32{352, 355, 356, 358}, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(viaView) < 250 || !reflect.DeepEqual(viaView, viaTables) {
		t.Errorf("today's view (%d children) differs from the tables (%d)", len(viaView), len(viaTables))
	}
	// Ages are worked out in SQL; they must be Go's whole years (children.Age).
	for _, k := range viaView {
		var dob time.Time
		if err := pool.QueryRow(ctx, "SELECT date_of_birth FROM children WHERE child_id = $1", k.ChildID).Scan(&dob); err != nil {
			t.Fatal(err)
		}
		if want := children.Age(dob, today); k.Age != want || k.BirthYM != int32(dob.Year()*100+int(dob.Month())) {
			t.Errorf("child born %s: age %d, birth month %d; want %d", dob.Format(time.DateOnly), k.Age, k.BirthYM, want)
		}
	}
}
