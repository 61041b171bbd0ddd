package ssda903

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
)

// Importer loads returns into Hearth.
type Importer struct {
	Pool  *pgxpool.Pool
	Authz *authz.Authorizer
	Log   *slog.Logger
}

// Progress hears how far an import has got.
type Progress func(stage string, done, total int64)

// Counts says what an import did to one kind of record.
type Counts struct {
	Rows      int64 `json:"rows"`
	Inserted  int64 `json:"inserted"`
	Updated   int64 `json:"updated"`
	Unchanged int64 `json:"unchanged"`
}

// Report is the outcome of an import: what was read, every problem, and what changed.
type Report struct {
	ImportID int64             `json:"import_id"`
	LAID     int32             `json:"la_id"`
	Year     string            `json:"year"`
	Imported bool              `json:"imported"`
	Files    []FileSummary     `json:"files"`
	Errors   int               `json:"errors"`
	Warnings int               `json:"warnings"`
	Problems []Problem         `json:"problems"` // at most MaxReported
	Counts   map[string]Counts `json:"counts"`
	Seconds  float64           `json:"seconds"`
}

// MaxReported caps the problems kept in a report; the counts are always whole.
const MaxReported = 5000

// ErrRefused is returned when a return has errors: nothing was imported.
var ErrRefused = errors.New("the return has errors; nothing was imported")

// Import reads and checks the files, then, if there is no error, loads them in
// one transaction: children from Header, episodes (merged by child and start
// date), UASC, SDQ scores from OC2, missing episodes and reviews; then rebuilds
// the affected children's care periods and legal statuses. Importing the same
// files again changes nothing.
func (im *Importer) Import(ctx context.Context, userID int64, laID int32, y Year, files []File, progress Progress) (Report, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	rep := Report{LAID: laID, Year: y.String(), Counts: map[string]Counts{}}
	// userID 0 is the command line: whoever can run it already holds the database.
	if userID != 0 && !im.Authz.Allowed(userID, authz.CouncilDomain(laID), authz.Placement, authz.Import) {
		_ = audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "ssda903", Outcome: audit.Denied})
		return rep, children.ErrForbidden
	}
	if y < 2000 || y > 2100 {
		return rep, fmt.Errorf("collection year %d: %w", y, errYear)
	}
	start := time.Now()
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if err := im.Pool.QueryRow(ctx, `INSERT INTO imports (la_id, kind, user_id, year, files, stage) VALUES ($1, 'ssda903', $2, $3, $4, 'reading')
		RETURNING import_id`, laID, nullID(userID), int(y), names).Scan(&rep.ImportID); err != nil {
		return rep, err
	}
	track := func(stage string, done, total int64) {
		progress(stage, done, total)
		if _, err := im.Pool.Exec(context.WithoutCancel(ctx), `UPDATE imports SET stage = $2, done = $3, total = $4 WHERE import_id = $1`,
			rep.ImportID, stage, done, total); err != nil {
			im.Log.Warn("import progress", "err", err)
		}
	}
	track("reading and checking", 0, 0)
	r := Read(y, files)
	rep.Files = r.Files
	rep.Errors, rep.Warnings = r.Errors(), len(r.Problems)-r.Errors()
	rep.Problems = r.Problems[:min(len(r.Problems), MaxReported)]
	var err error
	if rep.Errors == 0 {
		err = im.load(ctx, userID, laID, r, &rep, track)
		var ce *conflictError
		if errors.As(err, &ce) {
			rep.Problems = append(rep.Problems, ce.problems...)
			rep.Errors += len(ce.problems)
			err = nil
		}
		rep.Imported = err == nil && rep.Errors == 0
	}
	rep.Seconds = time.Since(start).Seconds()
	status := "imported"
	switch {
	case err != nil:
		status = "failed"
	case !rep.Imported:
		status = "refused"
	}
	body, _ := json.Marshal(rep)
	if _, uerr := im.Pool.Exec(context.WithoutCancel(ctx), `UPDATE imports SET status = $2, stage = $2, report = $3, finished_at = now() WHERE import_id = $1`,
		rep.ImportID, status, body); uerr != nil && err == nil {
		err = uerr
	}
	_ = audit.Record(context.WithoutCancel(ctx), im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "ssda903",
		EntityID: strconv.FormatInt(rep.ImportID, 10), Outcome: map[bool]string{true: audit.OK, false: audit.Failed}[rep.Imported],
		Detail: map[string]any{"year": rep.Year, "errors": rep.Errors, "warnings": rep.Warnings, "files": names}})
	if err != nil {
		return rep, err
	}
	if !rep.Imported {
		return rep, ErrRefused
	}
	return rep, nil
}

var errYear = errors.New("not a collection year")

// conflictError carries problems found against records already in Hearth.
type conflictError struct{ problems []Problem }

func (e *conflictError) Error() string {
	return fmt.Sprintf("%d conflicts with records in Hearth", len(e.problems))
}

func (im *Importer) load(ctx context.Context, userID int64, laID int32, r *Return, rep *Report, track Progress) error {
	total := int64(len(r.Headers) + len(r.Episodes) + len(r.UASC) + len(r.OC2) + len(r.Missing) + len(r.Reviews))
	var done int64
	step := func(stage string, n int) {
		done += int64(n)
		track(stage, done, total)
	}
	return pgx.BeginFunc(ctx, im.Pool, func(tx pgx.Tx) error {
		// One import per council at a time; other councils' imports and all reads carry on.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(746420, $1::int)`, laID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, stagingDDL); err != nil {
			return fmt.Errorf("staging tables: %w", err)
		}
		if err := copyStaging(ctx, tx, r); err != nil {
			return err
		}
		step("children", len(r.Headers))
		c, err := upsert(ctx, tx, upsertChildren, laID, int64(len(r.Headers)))
		if err != nil {
			return fmt.Errorf("children: %w", err)
		}
		rep.Counts["children"] = c
		if c, err = upsert(ctx, tx, updateUASC, laID, int64(len(r.UASC))); err != nil {
			return fmt.Errorf("uasc: %w", err)
		}
		rep.Counts["uasc"] = c
		step("episodes", len(r.UASC))
		if _, err := tx.Exec(ctx, insertProviders); err != nil {
			return fmt.Errorf("providers: %w", err)
		}
		if c, err = upsert(ctx, tx, upsertEpisodes, laID, int64(len(r.Episodes))); err != nil {
			return fmt.Errorf("episodes: %w", err)
		}
		rep.Counts["episodes"] = c
		step("checking against earlier returns", len(r.Episodes))
		if err := overlaps(ctx, tx, laID, r); err != nil {
			return err
		}
		if err := execAll(ctx, tx, rebuildPeriods, laID); err != nil {
			return fmt.Errorf("care periods and legal statuses: %w", err)
		}
		if c, err = upsert(ctx, tx, upsertMissing, laID, int64(len(r.Missing))); err != nil {
			return fmt.Errorf("missing: %w", err)
		}
		rep.Counts["missing"] = c
		if c, err = upsert(ctx, tx, upsertReviews, laID, int64(len(r.Reviews))); err != nil {
			return fmt.Errorf("reviews: %w", err)
		}
		rep.Counts["reviews"] = c
		if c, err = upsert(ctx, tx, upsertSDQ, laID, int64(countSDQ(r))); err != nil {
			return fmt.Errorf("sdq: %w", err)
		}
		rep.Counts["sdq"] = c
		step("finishing", len(r.Missing)+len(r.Reviews)+len(r.OC2))
		return nil
	})
}

func countSDQ(r *Return) int {
	n := 0
	for _, o := range r.OC2 {
		if o.SDQ != nil {
			n++
		}
	}
	return n
}

// upsert runs a statement returning one boolean per changed row (true when
// inserted) and counts what it did out of rows.
func upsert(ctx context.Context, tx pgx.Tx, sql string, laID int32, rows int64) (Counts, error) {
	c := Counts{Rows: rows}
	if err := tx.QueryRow(ctx, `WITH changed AS (`+sql+`)
		SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM changed`, laID).Scan(&c.Inserted, &c.Updated); err != nil {
		return c, err
	}
	c.Unchanged = rows - c.Inserted - c.Updated
	return c, nil
}

func copyStaging(ctx context.Context, tx pgx.Tx, r *Return) error {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	copies := []struct {
		table string
		cols  []string
		n     int
		row   func(i int) []any
	}{
		{"stage_children", []string{"child_ref", "dob", "sex", "ethnicity", "upn"}, len(r.Headers), func(i int) []any {
			h := r.Headers[i]
			return []any{h.Child, h.DOB, h.Sex, h.Ethnic, str(h.UPN)}
		}},
		{"stage_episodes", []string{"child_ref", "started_on", "ended_on", "rne", "ls", "cin", "place", "place_provider", "rec", "reason",
			"home_postcode", "placement_postcode", "urn"}, len(r.Episodes), func(i int) []any {
			e := r.Episodes[i]
			return []any{e.Child, e.DECOM, e.DEC, e.RNE, e.LS, e.CIN, e.Place, str(e.Provider), str(e.REC), str(e.Reason),
				str(e.HomePost), str(e.PlacePost), str(e.URN)}
		}},
		{"stage_uasc", []string{"child_ref", "duc"}, len(r.UASC), func(i int) []any { return []any{r.UASC[i].Child, r.UASC[i].DUC} }},
		{"stage_missing", []string{"child_ref", "kind", "started_on", "ended_on"}, len(r.Missing), func(i int) []any {
			m := r.Missing[i]
			return []any{m.Child, m.Kind, m.Start, m.End}
		}},
		{"stage_reviews", []string{"child_ref", "reviewed_on", "code"}, len(r.Reviews), func(i int) []any {
			v := r.Reviews[i]
			return []any{v.Child, v.On, v.Code}
		}},
	}
	for _, c := range copies {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromSlice(c.n, func(i int) ([]any, error) { return c.row(i), nil })); err != nil {
			return fmt.Errorf("stage %s: %w", c.table, err)
		}
	}
	var sdq [][]any
	for _, o := range r.OC2 {
		if o.SDQ != nil {
			sdq = append(sdq, []any{o.Child, r.Year.End(), *o.SDQ})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_sdq"}, []string{"child_ref", "taken_on", "score"}, pgx.CopyFromRows(sdq)); err != nil {
		return fmt.Errorf("stage sdq: %w", err)
	}
	_, err := tx.Exec(ctx, "ANALYZE stage_children; ANALYZE stage_episodes")
	return err
}

// overlaps refuses a return whose episodes overlap episodes already in Hearth
// from earlier returns (a corrected start date leaves the old episode behind).
func overlaps(ctx context.Context, tx pgx.Tx, laID int32, r *Return) error {
	rows, err := tx.Query(ctx, `
		WITH affected AS (SELECT DISTINCT c.child_id FROM stage_episodes s JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref),
		seq AS (
			SELECT e.child_id, e.started_on, e.ended_on, e.source,
			       lead(e.started_on) OVER (PARTITION BY e.child_id ORDER BY e.started_on) AS next_start
			FROM episodes e JOIN affected a USING (child_id) WHERE e.la_id = $1)
		SELECT c.child_ref, s.started_on, s.ended_on, s.next_start
		FROM seq s JOIN children c ON c.la_id = $1 AND c.child_id = s.child_id
		WHERE s.next_start IS NOT NULL AND (s.ended_on IS NULL OR s.ended_on > s.next_start)
		ORDER BY c.child_ref, s.started_on LIMIT 1000`, laID)
	if err != nil {
		return err
	}
	where := map[[2]string]Where{}
	for _, e := range r.Episodes {
		where[[2]string{e.Child, fmtDate(e.DECOM)}] = e.Where
	}
	var ps []Problem
	for rows.Next() {
		var child string
		var start, next time.Time
		var end *time.Time
		if err := rows.Scan(&child, &start, &end, &next); err != nil {
			return err
		}
		w, ok := where[[2]string{child, fmtDate(next)}]
		if !ok {
			w = where[[2]string{child, fmtDate(start)}]
		}
		ends := "is still open"
		if end != nil {
			ends = "ends on " + fmtDate(*end)
		}
		ps = append(ps, Problem{Severity: Error, File: w.File, Line: w.Line, Column: "DECOM", Value: fmtDate(next),
			Message: fmt.Sprintf("child %s's episode starting %s, already in Hearth, %s: it overlaps the episode starting %s. Correct the earlier episode or include it in this return", child, fmtDate(start), ends, fmtDate(next))})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ps) > 0 {
		return &conflictError{ps}
	}
	return nil
}

const stagingDDL = `
CREATE TEMP TABLE stage_children (child_ref text, dob date, sex text, ethnicity text, upn text) ON COMMIT DROP;
CREATE TEMP TABLE stage_episodes (child_ref text, started_on date, ended_on date, rne text, ls text, cin text, place text,
    place_provider text, rec text, reason text, home_postcode text, placement_postcode text, urn text) ON COMMIT DROP;
CREATE TEMP TABLE stage_uasc (child_ref text, duc date) ON COMMIT DROP;
CREATE TEMP TABLE stage_missing (child_ref text, kind text, started_on date, ended_on date) ON COMMIT DROP;
CREATE TEMP TABLE stage_reviews (child_ref text, reviewed_on date, code text) ON COMMIT DROP;
CREATE TEMP TABLE stage_sdq (child_ref text, taken_on date, score int) ON COMMIT DROP;
CREATE TEMP TABLE affected (child_id bigint PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE runs (child_id bigint, started_on date, ended_on date, legal_status text, prev_end date, prev_rec text,
    prev_ls text, period bigint, status_run bigint) ON COMMIT DROP;`

const upsertChildren = `
INSERT INTO children AS c (la_id, child_ref, date_of_birth, sex, ethnicity, upn)
SELECT $1, s.child_ref, s.dob, s.sex, s.ethnicity, s.upn FROM stage_children s
ON CONFLICT (la_id, child_ref) DO UPDATE
SET date_of_birth = excluded.date_of_birth, sex = excluded.sex, ethnicity = excluded.ethnicity,
    upn = coalesce(excluded.upn, c.upn), version = c.version + 1, updated_at = now()
WHERE (c.date_of_birth, c.sex, c.ethnicity, c.upn) IS DISTINCT FROM
      (excluded.date_of_birth, excluded.sex, excluded.ethnicity, coalesce(excluded.upn, c.upn))
RETURNING (xmax = 0) AS inserted`

const updateUASC = `
UPDATE children c SET uasc = true, uasc_ceased_on = s.duc, version = c.version + 1, updated_at = now()
FROM stage_uasc s
WHERE c.la_id = $1 AND c.child_ref = s.child_ref AND (c.uasc, c.uasc_ceased_on) IS DISTINCT FROM (true, s.duc)
RETURNING false AS inserted`

// Providers the return names by Ofsted URN and Hearth has not met yet; a
// commissioner can name them afterwards.
const insertProviders = `
INSERT INTO providers (name, ofsted_urn, kind)
SELECT DISTINCT ON (s.urn) 'Ofsted URN ' || s.urn, s.urn, coalesce(s.place_provider, 'PR4')
FROM stage_episodes s WHERE s.urn IS NOT NULL
ORDER BY s.urn, s.started_on DESC
ON CONFLICT (ofsted_urn) WHERE ofsted_urn IS NOT NULL DO NOTHING`

// Episodes merge by child and start date. Distance and in/out of area are not
// in the return, so what Hearth knows of them is kept.
const upsertEpisodes = `
INSERT INTO episodes AS e (la_id, child_id, started_on, ended_on, rne, legal_status, cin, place, place_provider, provider_id, urn,
    rec, reason_place_change, home_postcode, placement_postcode, source)
SELECT $1, c.child_id, s.started_on, s.ended_on, s.rne, s.ls, s.cin, s.place, s.place_provider, p.provider_id, s.urn,
    s.rec, s.reason, s.home_postcode, s.placement_postcode, 'ssda903'
FROM stage_episodes s
JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref
LEFT JOIN providers p ON p.ofsted_urn = s.urn
ON CONFLICT (la_id, child_id, started_on) DO UPDATE
SET ended_on = excluded.ended_on, rne = excluded.rne, legal_status = excluded.legal_status, cin = excluded.cin,
    place = excluded.place, place_provider = excluded.place_provider, provider_id = excluded.provider_id, urn = excluded.urn,
    rec = excluded.rec, reason_place_change = excluded.reason_place_change, home_postcode = excluded.home_postcode,
    placement_postcode = excluded.placement_postcode, version = e.version + 1, updated_at = now()
WHERE (e.ended_on, e.rne, e.legal_status, e.cin, e.place, e.place_provider, e.provider_id, e.urn, e.rec,
       e.reason_place_change, e.home_postcode, e.placement_postcode) IS DISTINCT FROM
      (excluded.ended_on, excluded.rne, excluded.legal_status, excluded.cin, excluded.place, excluded.place_provider,
       excluded.provider_id, excluded.urn, excluded.rec, excluded.reason_place_change, excluded.home_postcode,
       excluded.placement_postcode)
RETURNING (xmax = 0) AS inserted`

// rebuildPeriods derives care periods (runs of episodes joined by X1 with no
// gap) and legal statuses (runs with one legal status) for the children in the
// return, replacing what was derived before.
const rebuildPeriods = `
INSERT INTO affected
    SELECT DISTINCT c.child_id FROM stage_episodes s JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref;
DELETE FROM care_periods cp USING affected a WHERE cp.la_id = $1 AND cp.child_id = a.child_id;
DELETE FROM legal_statuses ls USING affected a WHERE ls.la_id = $1 AND ls.child_id = a.child_id;
INSERT INTO runs
WITH eps AS (
    SELECT e.child_id, e.started_on, e.ended_on, e.legal_status,
           lag(e.ended_on) OVER w AS prev_end, lag(e.rec) OVER w AS prev_rec, lag(e.legal_status) OVER w AS prev_ls
    FROM episodes e JOIN affected a USING (child_id)
    WHERE e.la_id = $1
    WINDOW w AS (PARTITION BY e.child_id ORDER BY e.started_on)
)
SELECT eps.*,
       sum(CASE WHEN prev_end IS DISTINCT FROM started_on OR prev_rec IS DISTINCT FROM 'X1' THEN 1 ELSE 0 END)
           OVER (PARTITION BY child_id ORDER BY started_on) AS period,
       sum(CASE WHEN prev_end IS DISTINCT FROM started_on OR prev_rec IS DISTINCT FROM 'X1'
                 OR prev_ls IS DISTINCT FROM legal_status THEN 1 ELSE 0 END)
           OVER (PARTITION BY child_id ORDER BY started_on) AS status_run
FROM eps;
INSERT INTO care_periods (la_id, child_id, started_on, ended_on)
SELECT $1, child_id, min(started_on), (array_agg(ended_on ORDER BY started_on DESC))[1]
FROM runs GROUP BY child_id, period;
INSERT INTO legal_statuses (la_id, child_id, started_on, ended_on, code)
SELECT $1, child_id, min(started_on), (array_agg(ended_on ORDER BY started_on DESC))[1], min(legal_status)
FROM runs GROUP BY child_id, status_run;`

const upsertMissing = `
INSERT INTO missing_episodes AS m (la_id, child_id, kind, started_on, ended_on, source)
SELECT $1, c.child_id, s.kind, s.started_on, s.ended_on, 'ssda903'
FROM stage_missing s JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref
ON CONFLICT (la_id, child_id, kind, started_on) DO UPDATE SET ended_on = excluded.ended_on
WHERE m.ended_on IS DISTINCT FROM excluded.ended_on
RETURNING (xmax = 0) AS inserted`

const upsertReviews = `
INSERT INTO lac_reviews AS v (la_id, child_id, reviewed_on, code)
SELECT $1, c.child_id, s.reviewed_on, s.code
FROM stage_reviews s JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref
ON CONFLICT (la_id, child_id, reviewed_on) DO UPDATE SET code = excluded.code
WHERE v.code IS DISTINCT FROM excluded.code
RETURNING (xmax = 0) AS inserted`

// SDQ scores are dated 31 March of the collection year; a reading recorded in
// Hearth by hand on that date is left alone.
const upsertSDQ = `
INSERT INTO sdq_readings AS q (la_id, child_id, taken_on, score, source)
SELECT $1, c.child_id, s.taken_on, s.score, 'ssda903'
FROM stage_sdq s JOIN children c ON c.la_id = $1 AND c.child_ref = s.child_ref
ON CONFLICT (la_id, child_id, taken_on) DO UPDATE SET score = excluded.score
WHERE q.source = 'ssda903' AND q.score IS DISTINCT FROM excluded.score
RETURNING (xmax = 0) AS inserted`

// execAll runs semicolon-separated statements that share one parameter ($1).
func execAll(ctx context.Context, tx pgx.Tx, sql string, laID int32) error {
	for _, stmt := range strings.Split(sql, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.Exec(ctx, stmt, laID); err != nil {
			return err
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
