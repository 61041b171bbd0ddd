package analytics

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
)

// BenchResult compares the cohort analytics with one hand-written SQL query
// computing the same aggregates, in the same run.
type BenchResult struct {
	Children        int
	Analytics, SQL  time.Duration // medians
	Snapshot        time.Duration // of which reading the children
	Rounds          int
	Pearson, SQLCor float64
}

func (b BenchResult) String() string {
	return fmt.Sprintf("%d children in care; medians of %d rounds:\n"+
		"  cohort analytics (all figures): %7.1f ms (of which reading the children %.1f ms)\n"+
		"  one hand-written SQL query:     %7.1f ms\n"+
		"  analytics / SQL:                %.2f (aim: within 1.3)\n"+
		"  Pearson r: Go %.6f, SQL corr() %.6f",
		b.Children, b.Rounds, ms(b.Analytics), ms(b.Snapshot), ms(b.SQL), b.Analytics.Seconds()/b.SQL.Seconds(), b.Pearson, b.SQLCor)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// handSQL computes the cohort aggregates in one statement: counts, the
// correlation, quartiles of weekly cost by band and placement type, the
// prevalence of each level in each domain, and the EHC medians.
const handSQL = `
WITH kids AS (
    SELECT c.la_id, c.child_id, c.ehc_plan FROM children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id AND cp.started_on <= $2 AND (cp.ended_on IS NULL OR cp.ended_on > $2)
    WHERE c.la_id = ANY($1)
), latest AS (
    SELECT DISTINCT ON (a.la_id, a.child_id) a.la_id, a.child_id, a.approved_levels FROM needs_assessments a
    WHERE a.la_id = ANY($1) AND a.status = 'approved' AND a.assessed_on <= $2
    ORDER BY a.la_id, a.child_id, a.assessed_on DESC, a.assessment_id DESC
), lv AS (
    SELECT l.la_id, l.child_id, u.domain_code, u.level FROM latest l JOIN kids k USING (la_id, child_id),
    unnest(l.approved_levels) WITH ORDINALITY AS u(level, domain_code)
), need AS (
    SELECT la_id, child_id, sum(level) AS score,
           CASE WHEN max(level) = 4 OR count(*) FILTER (WHERE level = 3) >= 3 THEN 'complex'
                WHEN max(level) = 3 THEN 'high' WHEN max(level) = 2 THEN 'medium' ELSE 'low' END AS band
    FROM lv GROUP BY la_id, child_id
), cost AS (
    SELECT pc.la_id, pc.child_id, sum(pc.weekly_pence) / 100.0 AS weekly FROM cost_spans pc
    JOIN kids k ON k.la_id = pc.la_id AND k.child_id = pc.child_id
    WHERE pc.effective_from <= $2 AND (pc.effective_to IS NULL OR pc.effective_to >= $2)
    GROUP BY pc.la_id, pc.child_id
), place AS (
    SELECT DISTINCT ON (e.la_id, e.child_id) e.la_id, e.child_id, e.place, e.place_provider FROM episodes e
    JOIN kids k ON k.la_id = e.la_id AND k.child_id = e.child_id
    WHERE e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on > $2)
    ORDER BY e.la_id, e.child_id, e.started_on DESC
), x AS (
    SELECT k.ehc_plan, n.score, n.band, c.weekly, p.place, p.place_provider
    FROM kids k LEFT JOIN need n USING (la_id, child_id) LEFT JOIN cost c USING (la_id, child_id) LEFT JOIN place p USING (la_id, child_id)
)
SELECT 'all', '', count(*), corr(score, weekly), 0::float8, 0::float8, 0::float8 FROM x
UNION ALL
SELECT band, place, count(*), percentile_cont(0.25) WITHIN GROUP (ORDER BY weekly), percentile_cont(0.5) WITHIN GROUP (ORDER BY weekly),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY weekly), 0 FROM x WHERE band IS NOT NULL AND weekly IS NOT NULL GROUP BY band, place
UNION ALL
SELECT domain_code::text, level::text, count(*), 0, 0, 0, 0 FROM lv GROUP BY domain_code, level
UNION ALL
SELECT 'ehc', ehc_plan::text, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY weekly), 0, 0, 0 FROM x WHERE weekly IS NOT NULL GROUP BY ehc_plan`

// Bench times the cohort analytics for the councils on a date against handSQL.
func Bench(ctx context.Context, pool *pgxpool.Pool, las []int32, asOf time.Time, rounds int) (BenchResult, error) {
	q := db.New(pool)
	res := BenchResult{Rounds: rounds}
	var ta, ts, tq []time.Duration
	for range rounds {
		start := time.Now()
		kids, err := Snapshot(ctx, q, las, asOf)
		if err != nil {
			return res, err
		}
		snap := time.Since(start)
		rules, err := Rules(ctx, q, las)
		if err != nil {
			return res, err
		}
		c := Compute(kids, Filter{}, asOf, 12, rules)
		ta, ts = append(ta, time.Since(start)), append(ts, snap)
		res.Children, res.Pearson = c.N, c.Pearson.Value

		start = time.Now()
		rows, err := pool.Query(ctx, handSQL, las, asOf)
		if err != nil {
			return res, err
		}
		for rows.Next() {
			var k1, k2 string
			var n int64
			var a, b, c2, d *float64
			if err := rows.Scan(&k1, &k2, &n, &a, &b, &c2, &d); err != nil {
				return res, err
			}
			if k1 == "all" && a != nil {
				res.SQLCor = *a
			}
		}
		if err := rows.Err(); err != nil {
			return res, err
		}
		tq = append(tq, time.Since(start))
	}
	res.Analytics, res.Snapshot, res.SQL = median(ta), median(ts), median(tq)
	return res, nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
