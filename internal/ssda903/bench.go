package ssda903

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BenchResult compares the import with plain COPY of the same rows into the
// same tables, on the same database in the same run.
type BenchResult struct {
	Children, Episodes, Rows int
	Import, Read, Copy       time.Duration // medians
	Rounds                   int
	Each                     []BenchRound // every round, in order
}

// BenchRound is one round: the import, then COPY of the same rows, in the same
// process one after the other, so a round that finds stale statistics (left
// by the round before's delete) shows in its own ratio rather than hiding in
// a median.
//
// Stats is the statistics refresh after the import committed, which runs
// beside the import's report and is not in its time (the bench waits for
// it before COPY).
type BenchRound struct{ Import, Copy, Stats time.Duration }

// Ratio is the round's import speed as a share of COPY's.
func (r BenchRound) Ratio() float64 { return r.Copy.Seconds() / r.Import.Seconds() }

// Ratio is the import's speed as a share of COPY's (1 = as fast as COPY).
func (b BenchResult) Ratio() float64 { return b.Copy.Seconds() / b.Import.Seconds() }

func (b BenchResult) String() string {
	rps := func(d time.Duration) float64 { return float64(b.Rows) / d.Seconds() }
	return fmt.Sprintf("%d children, %d episodes, %d rows in all; medians of %d rounds:\n"+
		"  import (read, check, load): %7.2fs  %9.0f rows/s  (of which reading and checking %.2fs)\n"+
		"  COPY of the same rows:      %7.2fs  %9.0f rows/s\n"+
		"  import speed / COPY speed:  %.2f (aim: at least 0.5)",
		b.Children, b.Episodes, b.Rows, b.Rounds, b.Import.Seconds(), rps(b.Import), b.Read.Seconds(),
		b.Copy.Seconds(), rps(b.Copy), b.Ratio()) + b.rounds()
}

func (b BenchResult) rounds() string {
	var sb strings.Builder
	for i, r := range b.Each {
		fmt.Fprintf(&sb, "\n  round %d: import %.2fs, COPY %.2fs, ratio %.2f (then statistics refreshed beside the report: %.2fs)", i+1, r.Import.Seconds(), r.Copy.Seconds(), r.Ratio(), r.Stats.Seconds())
	}
	return sb.String()
}

// Worst is the lowest ratio of any round.
func (b BenchResult) Worst() float64 {
	w := 0.0
	for i, r := range b.Each {
		if i == 0 || r.Ratio() < w {
			w = r.Ratio()
		}
	}
	return w
}

// Bench imports a synthetic national-scale return (History on: every child's
// whole run of episodes) into council laID, then COPYs the same rows into the
// same tables, rounds times each, emptying the tables between rounds. The
// import runs on app, as the server's imports do (hearth_app, under row-level
// security); COPY, the limit, runs on pool (the owner, straight into the tables).
func Bench(ctx context.Context, pool, app *pgxpool.Pool, log *slog.Logger, laID int32, children, rounds int) (BenchResult, error) {
	tables := Synthesize(SynthOptions{Seed: 1, Children: children, Year: 2026, History: true})
	parsed := Read(2026, SynthFiles(tables))
	if parsed.Errors() > 0 {
		return BenchResult{}, fmt.Errorf("synthetic return has %d errors: %v", parsed.Errors(), parsed.Problems[0])
	}
	res := BenchResult{Children: len(parsed.Headers), Episodes: len(parsed.Episodes), Rounds: rounds,
		Rows: len(parsed.Headers) + len(parsed.Episodes) + len(parsed.UASC) + countSDQ(parsed) + len(parsed.Missing) + len(parsed.Reviews)}
	empty := func() error {
		_, err := pool.Exec(ctx, `DELETE FROM placement_costs WHERE la_id = $1; `, laID)
		if err != nil {
			return err
		}
		_, err = pool.Exec(ctx, `DELETE FROM children WHERE la_id = $1`, laID)
		return err
	}
	// Round 1 is then a first import into a fresh, analysed, empty council
	// (issue 19): statistics that say every table is empty.
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		return res, err
	}
	im := &Importer{Pool: app, Log: log}
	var imports, reads, copies []time.Duration
	for range rounds {
		if err := empty(); err != nil {
			return res, err
		}
		start := time.Now()
		Read(2026, SynthFiles(tables))
		reads = append(reads, time.Since(start))
		start = time.Now()
		if _, err := im.Import(ctx, 0, laID, 2026, SynthFiles(tables), nil); err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
		imports = append(imports, time.Since(start))
		// The statistics refresh that follows a committed import runs beside
		// its report; it must not run into (and slow) the COPY baseline.
		stats := im.StatsSettled()
		if err := empty(); err != nil {
			return res, err
		}
		start = time.Now()
		if err := copyRows(ctx, pool, laID, parsed); err != nil {
			return res, fmt.Errorf("copy: %w", err)
		}
		copies = append(copies, time.Since(start))
		res.Each = append(res.Each, BenchRound{Import: imports[len(imports)-1], Copy: copies[len(copies)-1], Stats: stats})
	}
	res.Import, res.Read, res.Copy = median(imports), median(reads), median(copies)
	return res, empty()
}

// copyRows is the limit: the same rows COPYed straight into the same tables,
// in one transaction, with child IDs looked up once.
func copyRows(ctx context.Context, pool *pgxpool.Pool, laID int32, r *Return) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		str := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"children"}, []string{"la_id", "child_ref", "date_of_birth", "sex", "ethnicity", "upn"},
			pgx.CopyFromSlice(len(r.Headers), func(i int) ([]any, error) {
				h := r.Headers[i]
				return []any{laID, h.Child, h.DOB, h.Sex, h.Ethnic, str(h.UPN)}, nil
			})); err != nil {
			return err
		}
		// As the import does (and any sound bulk load): the rows that point at
		// these children are checked against statistics that count them.
		// Without this the limit itself ran the foreign-key checks as walks of
		// the council, and one COPY of missing episodes took minutes.
		if _, err := tx.Exec(ctx, "ANALYZE children"); err != nil {
			return err
		}
		ids := map[string]int64{}
		rows, err := tx.Query(ctx, "SELECT child_ref, child_id FROM children WHERE la_id = $1", laID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var ref string
			var id int64
			if err := rows.Scan(&ref, &id); err != nil {
				return err
			}
			ids[ref] = id
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// The same providers as the import links (it leaves them in place between rounds).
		prov := map[string]int64{}
		prows, err := tx.Query(ctx, "SELECT ofsted_urn, provider_id FROM providers WHERE ofsted_urn IS NOT NULL")
		if err != nil {
			return err
		}
		for prows.Next() {
			var u string
			var id int64
			if err := prows.Scan(&u, &id); err != nil {
				return err
			}
			prov[u] = id
		}
		if err := prows.Err(); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"episodes"}, []string{"la_id", "child_id", "started_on", "ended_on", "rne", "legal_status", "cin",
			"place", "place_provider", "provider_id", "urn", "rec", "reason_place_change", "home_postcode", "placement_postcode", "source"},
			pgx.CopyFromSlice(len(r.Episodes), func(i int) ([]any, error) {
				e := r.Episodes[i]
				var pid any
				if id, ok := prov[e.URN]; ok && e.URN != "" {
					pid = id
				}
				return []any{laID, ids[e.Child], e.DECOM, e.DEC, e.RNE, e.LS, e.CIN, e.Place, str(e.Provider), pid, str(e.URN), str(e.REC), str(e.Reason),
					str(e.HomePost), str(e.PlacePost), "ssda903"}, nil
			})); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"missing_episodes"}, []string{"la_id", "child_id", "kind", "started_on", "ended_on"},
			pgx.CopyFromSlice(len(r.Missing), func(i int) ([]any, error) {
				m := r.Missing[i]
				return []any{laID, ids[m.Child], m.Kind, m.Start, m.End}, nil
			})); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"lac_reviews"}, []string{"la_id", "child_id", "reviewed_on", "code"},
			pgx.CopyFromSlice(len(r.Reviews), func(i int) ([]any, error) {
				v := r.Reviews[i]
				return []any{laID, ids[v.Child], v.On, v.Code}, nil
			})); err != nil {
			return err
		}
		var sdq [][]any
		for _, o := range r.OC2 {
			if o.SDQ != nil {
				sdq = append(sdq, []any{laID, ids[o.Child], r.Year.End(), *o.SDQ, "ssda903"})
			}
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"sdq_readings"}, []string{"la_id", "child_id", "taken_on", "score", "source"}, pgx.CopyFromRows(sdq))
		return err
	})
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
