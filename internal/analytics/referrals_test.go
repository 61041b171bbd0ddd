package analytics_test

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// TestReferralsAgainstSQL checks the Placements Data Standard figures on
// the needs-and-costs page against plain SQL over the same records: counts
// of preferred against actual setting, the foster-preferred-residential-used
// list, and the median weekly fee by urgency with PostgreSQL's
// percentile_cont; a band with too few placements is null with a reason.
func TestReferralsAgainstSQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 8, Children: 300, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	// A record for each placement of the standard's types, its answers
	// spread deterministically by child and start; 'today' kept to 3 so its
	// median is refused.
	if _, err := pool.Exec(ctx, `
		INSERT INTO pds_records (la_id, source, child_id, placement_started_on, child_ref, needed_by, communication_needs,
			communication_requirements, home_adaptation, cultural_needs, living_companions, pets, foster_suitability,
			residential_suitability, supported_suitability, risks_present, cost_total_pence, placement_location,
			preferred_location_local, education_continuity, provider_urn, siblings_placed_together, placement_type,
			referral_date, placement_date, cost_date)
		SELECT p.la_id, 'hearth', p.child_id, p.started_on, c.child_ref,
			CASE WHEN row_number() OVER (ORDER BY p.child_id, p.started_on) <= 3 THEN 'today'
			     ELSE (ARRAY['lt-5-days','gt-5-days',NULL])[1 + (p.child_id + extract(doy FROM p.started_on)::int) % 3] END,
			'no', ARRAY['none'], false, 'not-known', 'no-preference', 'no',
			(ARRAY['preferred','unsuitable','suitable-not-preferred'])[1 + p.child_id % 3],
			(ARRAY['preferred','unsuitable'])[1 + (p.child_id / 3) % 2],
			'unsuitable', '{}', 50000 + (p.child_id * 7919) % 600000, 'M14', true, true, 'SC000001', 0,
			CASE WHEN p.place IN ('K1','K2') THEN 'residential' WHEN p.place IN ('H5','K3','P2') THEN 'supported-accommodation' ELSE 'foster' END,
			p.started_on, p.started_on, p.started_on
		FROM placements p JOIN children c USING (la_id, child_id)
		WHERE p.la_id = 352 AND p.place IN ('U4','U5','U6','K1','K2','H5','K3','P2') AND p.started_on <= $1`, asOf); err != nil {
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
	r := c.Referrals
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pds_records WHERE la_id = 352`).Scan(&n); err != nil || r == nil || r.N != n || n < 20 {
		t.Fatalf("records: %v, %v; want %d (at least 20)", r, err, n)
	}
	rows, err := pool.Query(ctx, `
		WITH prefs AS (
			SELECT 'foster' AS preferred, placement_type FROM pds_records WHERE la_id = 352 AND foster_suitability = 'preferred'
			UNION ALL SELECT 'residential', placement_type FROM pds_records WHERE la_id = 352 AND residential_suitability = 'preferred'
			UNION ALL SELECT 'supported-accommodation', placement_type FROM pds_records WHERE la_id = 352 AND supported_suitability = 'preferred'
			UNION ALL SELECT 'none', placement_type FROM pds_records WHERE la_id = 352
				AND 'preferred' NOT IN (foster_suitability, residential_suitability, supported_suitability))
		SELECT preferred, placement_type, count(*) FROM prefs GROUP BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]int{}
	for rows.Next() {
		var p, a string
		var k int
		if err := rows.Scan(&p, &a, &k); err != nil {
			t.Fatal(err)
		}
		want[[2]string{p, a}] = k
	}
	got := map[[2]string]int{}
	for _, sc := range r.PreferredVsActual {
		got[[2]string{sc.Preferred, sc.Actual}] = sc.N
	}
	if len(got) != len(want) {
		t.Errorf("preferred vs actual: %v; SQL %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("preferred %s, actual %s: %d; SQL counts %d", k[0], k[1], got[k], v)
		}
	}
	var step int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pds_records WHERE la_id = 352 AND foster_suitability = 'preferred' AND placement_type = 'residential'`).Scan(&step); err != nil {
		t.Fatal(err)
	}
	if len(r.StepDown) != step {
		t.Errorf("foster preferred, residential used: %d; SQL %d", len(r.StepDown), step)
	}
	for _, u := range r.UrgencyCost {
		var k int
		var med *float64
		if err := pool.QueryRow(ctx, `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY cost_total_pence)
			FROM pds_records WHERE la_id = 352 AND coalesce(needed_by, 'not stated') = $1`, u.Urgency).Scan(&k, &med); err != nil {
			t.Fatal(err)
		}
		if u.N != k {
			t.Errorf("%s: n = %d; SQL %d", u.Urgency, u.N, k)
		}
		switch {
		case k < analytics.MinUrgencyN:
			if u.Median != nil || u.MedianWhy == "" {
				t.Errorf("%s (n %d): median %v, reason %q; want null with a reason", u.Urgency, k, u.Median, u.MedianWhy)
			}
		case u.Median == nil || math.Abs(*u.Median-*med) > 1e-9:
			t.Errorf("%s: median %v; percentile_cont %v", u.Urgency, u.Median, *med)
		}
	}
	if r.UrgencyCost[0].Urgency != "today" || r.UrgencyCost[0].Median != nil {
		t.Errorf("today: %+v; want too few for a median", r.UrgencyCost[0])
	}
}
