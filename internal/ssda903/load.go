package ssda903

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
)

// load writes a checked return in one transaction. It reads what Hearth already
// holds for the return's children, works out in Go what is new, changed or the
// same, then COPYs the new rows and updates only the changed ones. A first
// import therefore costs about what COPY costs, and importing the same return
// again writes nothing.
// checked waits for the return's checks and says whether they passed; the
// load commits only if so.
func (im *Importer) load(ctx context.Context, userID int64, laID int32, r *Return, rep *Report, track Progress, opts Options, checked func() bool) error {
	total := int64(len(r.Headers) + len(r.Episodes) + len(r.UASC) + len(r.OC2) + len(r.Missing) + len(r.Reviews))
	var done int64
	t0 := time.Now()
	step := func(stage string, n int) {
		done += int64(n)
		track(stage, done, total)
		im.Log.Debug("import stage", "stage", stage, "elapsed", time.Since(t0))
	}
	var l *loader
	err := pgx.BeginFunc(ctx, im.Pool, func(tx pgx.Tx) error {
		// One import per council at a time; other councils and all reads carry on.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(746420, $1::int)`, laID); err != nil {
			return err
		}
		l = &loader{ctx: ctx, tx: tx, la: laID, r: r, rep: rep, user: userID, opts: opts}
		// A return for an earlier year than one already imported must not
		// undo what the later one recorded (close an episode, then reopen it).
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(year), 0) FROM imports
			WHERE la_id = $1 AND kind = 'ssda903' AND status = 'imported' AND year > $2`, laID, int32(r.Year)).Scan(&l.later); err != nil {
			return fmt.Errorf("later returns: %w", err)
		}
		step("children", 0)
		if err := l.children(); err != nil {
			return fmt.Errorf("children: %w", err)
		}
		step("episodes", len(r.Headers)+len(r.UASC))
		if err := l.episodes(); err != nil {
			return err
		}
		step("care periods and legal statuses", len(r.Episodes))
		if err := l.periods(); err != nil {
			return fmt.Errorf("care periods: %w", err)
		}
		step("missing episodes, reviews and SDQ scores", 0)
		if err := l.others(); err != nil {
			return err
		}
		if err := l.kept(); err != nil {
			return fmt.Errorf("kept rows: %w", err)
		}
		step("finishing", len(r.Missing)+len(r.Reviews)+len(r.OC2))
		if !checked() {
			return errRefusedByChecks
		}
		return nil
	})
	if errors.Is(err, errRefusedByChecks) {
		return nil // the caller reports the checks' problems
	}
	if err != nil || len(l.bulk) == 0 {
		return err
	}
	// The pages that read these tables next plan on fresh statistics. The
	// return is saved already, so the council is not kept waiting for them
	// (0.5-4 s, measured): they are refreshed beside the report, as
	// autovacuum would within a minute, and a failure is only logged.
	// StatsSettled waits for them (the bench, before its COPY baseline).
	im.stats.Add(1)
	go func(tables []string) {
		defer im.stats.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		start := time.Now()
		if aerr := db.New(im.Pool).AnalyzeTables(sctx, tables); aerr != nil {
			im.Log.Warn("statistics after import", "la_id", laID, "tables", tables, "err", aerr)
			return
		}
		im.statsTook.Store(int64(time.Since(start)))
	}(l.bulk)
	return nil
}

// StatsSettled waits for the statistics refreshes of finished imports and
// says how long the last one took.
func (im *Importer) StatsSettled() time.Duration {
	im.stats.Wait()
	return time.Duration(im.statsTook.Swap(0))
}

// errRefusedByChecks rolls back a load whose return the checks refused.
var errRefusedByChecks = errors.New("the return's checks found errors")

type loader struct {
	ctx   context.Context
	tx    pgx.Tx
	la    int32
	r     *Return
	rep   *Report
	user  int64
	opts  Options
	later int32 // the latest year already imported after this return's, or 0

	ids map[string]int64     // child reference → child ID
	had map[int64]bool       // the return's children Hearth held before it
	eps map[int64][]epRecord // every episode of the return's children, merged, by start
	at  map[epKey]Where      // where each of the return's episodes came from

	laterChanges []laterChange // changes to episodes a later return recorded
	bulk         []string      // tables bulk-loaded, to analyze once committed
}

type laterChange struct {
	Where
	child string
	start time.Time
	what  string
}

// diff names the fields that differ, as "DEC 01/06/2025 → blank".
func (a epRecord) diff(b epRecord) string {
	var out []string
	d := func(t *time.Time) string {
		if t == nil {
			return "blank"
		}
		return fmtDate(*t)
	}
	s := func(p *string) string {
		if p == nil {
			return "blank"
		}
		return *p
	}
	add := func(col, from, to string) {
		if from != to {
			out = append(out, col+" "+from+" → "+to)
		}
	}
	add("DEC", d(a.End), d(b.End))
	add("REC", s(a.REC), s(b.REC))
	add("REASON_PLACE_CHANGE", s(a.Reason), s(b.Reason))
	add("RNE", a.RNE, b.RNE)
	add("LS", a.LS, b.LS)
	add("CIN", a.CIN, b.CIN)
	add("PLACE", a.Place, b.Place)
	add("PLACE_PROVIDER", s(a.Provider), s(b.Provider))
	add("URN", s(a.URN), s(b.URN))
	add("HOME_POST", s(a.Home), s(b.Home))
	add("PL_POST", s(a.Pla), s(b.Pla))
	if len(out) == 0 {
		return "the Ofsted provider it is linked to"
	}
	return strings.Join(out, ", ")
}

// guardLater refuses changes to episodes when a later year's return is
// already imported, listing each; with ReplaceLater it lets them through and
// audits every one.
func (l *loader) guardLater() error {
	if len(l.laterChanges) == 0 {
		return nil
	}
	later := Year(l.later)
	if !l.opts.ReplaceLater {
		ps := make([]Problem, 0, len(l.laterChanges))
		for _, c := range l.laterChanges {
			ps = append(ps, Problem{Severity: Error, File: c.File, Line: c.Line, Column: "DECOM", Value: fmtDate(c.start),
				Message: fmt.Sprintf("the %s return is already imported; this %s return would change child %s's episode starting %s (%s). Nothing was imported: import the %s return again to keep what it says, or import this one with --replace-later to overwrite it",
					later, l.r.Year, c.child, fmtDate(c.start), c.what, later)})
		}
		return &conflictError{ps}
	}
	changes := make([]map[string]string, 0, len(l.laterChanges))
	for _, c := range l.laterChanges {
		changes = append(changes, map[string]string{"child": c.child, "decom": fmtDate(c.start), "change": c.what})
	}
	// In the transaction: the audit stands or falls with the changes.
	return audit.Record(l.ctx, l.tx, audit.Event{UserID: l.user, LAID: l.la, Action: "replace-later", Entity: "ssda903",
		Outcome: audit.OK, Detail: map[string]any{"year": l.r.Year.String(), "later_year": later.String(), "episodes": changes}})
}

type epKey struct {
	child int64
	start time.Time
}

type epRecord struct {
	Start                                 time.Time
	End                                   *time.Time
	RNE, LS, CIN, Place                   string
	Provider, URN, REC, Reason, Home, Pla *string
	ProviderID                            *int64
}

func (a epRecord) same(b epRecord) bool {
	return a.Start.Equal(b.Start) && eqTime(a.End, b.End) && a.RNE == b.RNE && a.LS == b.LS && a.CIN == b.CIN && a.Place == b.Place &&
		eqStr(a.Provider, b.Provider) && eqStr(a.URN, b.URN) && eqStr(a.REC, b.REC) && eqStr(a.Reason, b.Reason) &&
		eqStr(a.Home, b.Home) && eqStr(a.Pla, b.Pla) && eqInt(a.ProviderID, b.ProviderID)
}

func eqTime(a, b *time.Time) bool { return a == nil && b == nil || a != nil && b != nil && a.Equal(*b) }
func eqStr(a, b *string) bool     { return a == nil && b == nil || a != nil && b != nil && *a == *b }
func eqInt(a, b *int64) bool      { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (l *loader) copy(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := postgres.CopyFrom(l.ctx, l.tx, table, cols, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	if len(rows) < bulkRows || strings.HasPrefix(table, "stage_") {
		return nil
	}
	// Statistics matter when they understate the table badly: a planner that
	// believes a table empty (a fresh database, or autovacuum's count after
	// a council's rows were deleted) plans foreign-key checks and readers'
	// queries as walks of a whole council. Statistics that already count at
	// least as many rows as this load added are left to autovacuum, whose
	// own threshold (10% changed) refreshes them within a minute; sampling
	// them again here cost 0.4-2.5 s of every import for no better plan
	// (docs/scaling.md).
	var believed float64
	if err := l.tx.QueryRow(l.ctx, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, table).Scan(&believed); err != nil {
		return fmt.Errorf("statistics of %s: %w", table, err)
	}
	if believed >= float64(len(rows)) {
		return nil
	}
	if table == "children" {
		// Every later row of the import points at a child: its foreign-key
		// checks must be planned on the children just loaded, not on the
		// statistics of an empty council (issue 19: 0.31 of COPY's speed).
		return db.New(l.tx).AnalyzeTables(l.ctx, []string{table})
	}
	l.bulk = append(l.bulk, table)
	return nil
}

// bulkRows is how many rows a COPY must add before the import considers
// refreshing the table's statistics: a big first load changes a table's
// shape, a monthly return's few new rows do not.
const bulkRows = 2000

// update stages changed rows in a temporary table and applies them with one UPDATE.
func (l *loader) update(stage string, ddl string, cols []string, rows [][]any, apply string) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := l.tx.Exec(l.ctx, "CREATE TEMP TABLE "+stage+" ("+ddl+") ON COMMIT DROP"); err != nil {
		return err
	}
	if err := l.copy(stage, cols, rows); err != nil {
		return err
	}
	_, err := l.tx.Exec(l.ctx, apply, l.la)
	return err
}

func (l *loader) children() error {
	refs := make([]string, len(l.r.Headers))
	for i, h := range l.r.Headers {
		refs[i] = h.Child
	}
	type existing struct {
		id             int64
		dob            time.Time
		sex, ethnicity string
		upn            *string
		uasc           bool
		duc            *time.Time
	}
	// FOR UPDATE: a placement recorded by hand for one of these children waits for the import.
	rows, err := l.tx.Query(l.ctx, `SELECT child_ref, child_id, date_of_birth, sex, ethnicity, upn, uasc, uasc_ceased_on
		FROM children WHERE la_id = $1 AND child_ref = ANY($2) FOR UPDATE`, l.la, refs)
	if err != nil {
		return err
	}
	have := map[string]existing{}
	for rows.Next() {
		var ref string
		var e existing
		if err := rows.Scan(&ref, &e.id, &e.dob, &e.sex, &e.ethnicity, &e.upn, &e.uasc, &e.duc); err != nil {
			return err
		}
		have[ref] = e
	}
	if err := rows.Err(); err != nil {
		return err
	}
	uasc := map[string]*time.Time{}
	for _, u := range l.r.UASC {
		uasc[u.Child] = u.DUC
	}
	l.ids = make(map[string]int64, len(l.r.Headers))
	l.had = make(map[int64]bool, len(have))
	var inserts, updates [][]any
	c := Counts{Rows: int64(len(l.r.Headers))}
	for _, h := range l.r.Headers {
		duc, isUASC := uasc[h.Child]
		e, ok := have[h.Child]
		if !ok {
			inserts = append(inserts, []any{l.la, h.Child, h.DOB, h.Sex, h.Ethnic, opt(h.UPN), isUASC, duc})
			continue
		}
		l.ids[h.Child] = e.id
		l.had[e.id] = true
		upn := opt(h.UPN)
		if upn == nil {
			upn = e.upn
		}
		nu, nd := e.uasc || isUASC, e.duc
		if isUASC {
			nd = duc
		}
		if e.dob.Equal(h.DOB) && e.sex == h.Sex && e.ethnicity == h.Ethnic && eqStr(e.upn, upn) && e.uasc == nu && eqTime(e.duc, nd) {
			c.Unchanged++
			continue
		}
		updates = append(updates, []any{e.id, h.DOB, h.Sex, h.Ethnic, upn, nu, nd})
	}
	c.Inserted, c.Updated = int64(len(inserts)), int64(len(updates))
	l.rep.Counts["children"] = c
	if err := l.copy("children", []string{"la_id", "child_ref", "date_of_birth", "sex", "ethnicity", "upn", "uasc", "uasc_ceased_on"}, inserts); err != nil {
		return err
	}
	if err := l.update("stage_children", "child_id bigint, dob date, sex text, ethnicity text, upn text, uasc bool, duc date",
		[]string{"child_id", "dob", "sex", "ethnicity", "upn", "uasc", "duc"}, updates,
		`UPDATE children c SET date_of_birth = s.dob, sex = s.sex, ethnicity = s.ethnicity, upn = s.upn, uasc = s.uasc,
			uasc_ceased_on = s.duc, version = c.version + 1, updated_at = now()
		 FROM stage_children s WHERE c.la_id = $1 AND c.child_id = s.child_id`); err != nil {
		return err
	}
	if len(inserts) > 0 {
		var fresh []string
		for _, row := range inserts {
			fresh = append(fresh, row[1].(string))
		}
		rows, err := l.tx.Query(l.ctx, `SELECT child_ref, child_id FROM children WHERE la_id = $1 AND child_ref = ANY($2)`, l.la, fresh)
		if err != nil {
			return err
		}
		for rows.Next() {
			var ref string
			var id int64
			if err := rows.Scan(&ref, &id); err != nil {
				return err
			}
			l.ids[ref] = id
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	l.rep.Counts["uasc"] = Counts{Rows: int64(len(l.r.UASC))}
	return nil
}

// providers finds or creates a provider for every Ofsted URN in the return.
func (l *loader) providers() (map[string]int64, error) {
	kind := map[string]string{}
	for _, e := range l.r.Episodes {
		if e.URN != "" {
			if _, ok := kind[e.URN]; !ok || e.Provider != "" {
				kind[e.URN] = e.Provider
			}
		}
	}
	urns := make([]string, 0, len(kind))
	kinds := make([]string, 0, len(kind))
	for u, k := range kind {
		if k == "" {
			k = "PR4"
		}
		urns, kinds = append(urns, u), append(kinds, k)
	}
	// Providers Hearth has not met are named by their URN until a commissioner names them.
	if _, err := l.tx.Exec(l.ctx, `INSERT INTO providers (name, ofsted_urn, kind)
		SELECT 'Ofsted URN ' || u, u, k FROM unnest($1::text[], $2::text[]) AS x(u, k)
		ON CONFLICT (ofsted_urn) WHERE ofsted_urn IS NOT NULL DO NOTHING`, urns, kinds); err != nil {
		return nil, err
	}
	rows, err := l.tx.Query(l.ctx, `SELECT ofsted_urn, provider_id FROM providers WHERE ofsted_urn = ANY($1)`, urns)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for rows.Next() {
		var u string
		var id int64
		if err := rows.Scan(&u, &id); err != nil {
			return nil, err
		}
		ids[u] = id
	}
	return ids, rows.Err()
}

func (l *loader) episodes() error {
	prov, err := l.providers()
	if err != nil {
		return fmt.Errorf("providers: %w", err)
	}
	affected := make([]int64, 0, len(l.ids))
	seen := map[int64]bool{}
	for _, e := range l.r.Episodes {
		if id := l.ids[e.Child]; !seen[id] {
			seen[id] = true
			affected = append(affected, id)
		}
	}
	l.eps = map[int64][]epRecord{}
	have := map[epKey]epRecord{}
	rows, err := l.tx.Query(l.ctx, `SELECT child_id, started_on, ended_on, rne, legal_status, cin, place, place_provider, urn, rec,
		reason_place_change, home_postcode, placement_postcode, provider_id
		FROM episodes WHERE la_id = $1 AND child_id = ANY($2)`, l.la, l.held(affected))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var e epRecord
		if err := rows.Scan(&id, &e.Start, &e.End, &e.RNE, &e.LS, &e.CIN, &e.Place, &e.Provider, &e.URN, &e.REC, &e.Reason, &e.Home, &e.Pla, &e.ProviderID); err != nil {
			return err
		}
		have[epKey{id, e.Start}] = e
	}
	if err := rows.Err(); err != nil {
		return err
	}
	merged := make(map[epKey]epRecord, len(have)+len(l.r.Episodes))
	for k, e := range have {
		merged[k] = e
	}
	l.at = map[epKey]Where{}
	var inserts, updates [][]any
	c := Counts{Rows: int64(len(l.r.Episodes))}
	for _, x := range l.r.Episodes {
		e := epRecord{Start: x.DECOM, End: x.DEC, RNE: x.RNE, LS: x.LS, CIN: x.CIN, Place: x.Place, Provider: opt(x.Provider), URN: opt(x.URN),
			REC: opt(x.REC), Reason: opt(x.Reason), Home: opt(x.HomePost), Pla: opt(x.PlacePost)}
		if id, ok := prov[x.URN]; ok && x.URN != "" {
			e.ProviderID = &id
		}
		k := epKey{l.ids[x.Child], x.DECOM}
		// An episode open at the end of this return's year may have ended
		// since, as a later return said: open here means "open on 31 March",
		// so the later end is kept, never reopened.
		if old, ok := have[k]; ok && e.End == nil && old.End != nil && old.End.After(l.r.Year.End()) {
			e.End, e.REC, e.Reason = old.End, old.REC, old.Reason
		}
		l.at[k] = x.Where
		merged[k] = e
		row := []any{l.la, k.child, e.Start, e.End, e.RNE, e.LS, e.CIN, e.Place, e.Provider, e.ProviderID, e.URN, e.REC, e.Reason, e.Home, e.Pla}
		old, ok := have[k]
		switch {
		case !ok:
			inserts = append(inserts, append(row, "ssda903"))
		case !old.same(e):
			updates = append(updates, row[1:])
			if l.later != 0 {
				l.laterChanges = append(l.laterChanges, laterChange{x.Where, x.Child, x.DECOM, old.diff(e)})
			}
		default:
			c.Unchanged++
		}
	}
	c.Inserted, c.Updated = int64(len(inserts)), int64(len(updates))
	l.rep.Counts["episodes"] = c
	for k, e := range merged {
		l.eps[k.child] = append(l.eps[k.child], e)
	}
	for _, es := range l.eps {
		sort.Slice(es, func(i, j int) bool { return es[i].Start.Before(es[j].Start) })
	}
	if err := l.guardLater(); err != nil {
		return err
	}
	if err := l.overlaps(); err != nil {
		return err
	}
	cols := []string{"la_id", "child_id", "started_on", "ended_on", "rne", "legal_status", "cin", "place", "place_provider", "provider_id", "urn",
		"rec", "reason_place_change", "home_postcode", "placement_postcode", "source"}
	if err := l.copy("episodes", cols, inserts); err != nil {
		return fmt.Errorf("episodes: %w", err)
	}
	// Distance and in/out of area are not in the return, so what Hearth knows of them is kept.
	return l.update("stage_episodes", `child_id bigint, started_on date, ended_on date, rne text, ls text, cin text, place text,
			place_provider text, provider_id bigint, urn text, rec text, reason text, home text, pla text`,
		[]string{"child_id", "started_on", "ended_on", "rne", "ls", "cin", "place", "place_provider", "provider_id", "urn", "rec", "reason", "home", "pla"},
		updates, `UPDATE episodes e SET ended_on = s.ended_on, rne = s.rne, legal_status = s.ls, cin = s.cin, place = s.place,
			place_provider = s.place_provider, provider_id = s.provider_id, urn = s.urn, rec = s.rec, reason_place_change = s.reason,
			home_postcode = s.home, placement_postcode = s.pla, version = e.version + 1, updated_at = now()
		FROM stage_episodes s WHERE e.la_id = $1 AND e.child_id = s.child_id AND e.started_on = s.started_on`)
}

// overlaps refuses a return whose episodes overlap episodes Hearth already
// holds from earlier returns (a corrected start date leaves the old one behind).
func (l *loader) overlaps() error {
	ref := make(map[int64]string, len(l.ids))
	for r, id := range l.ids {
		ref[id] = r
	}
	var ps []Problem
	for id, es := range l.eps {
		for i := 1; i < len(es); i++ {
			prev, cur := es[i-1], es[i]
			if prev.End != nil && !prev.End.After(cur.Start) {
				continue
			}
			// Report it against the return's row: the new episode, or the one that now overlaps.
			w, ok := l.at[epKey{id, cur.Start}]
			if !ok {
				w = l.at[epKey{id, prev.Start}]
			}
			ends := "is still open"
			if prev.End != nil {
				ends = "ends on " + fmtDate(*prev.End)
			}
			ps = append(ps, Problem{Severity: Error, File: w.File, Line: w.Line, Column: "DECOM", Value: fmtDate(cur.Start),
				Message: fmt.Sprintf("child %s's episode starting %s %s, so it overlaps the episode starting %s; one of them is already in Hearth from an earlier return. Correct the earlier episode or include it in this return",
					ref[id], fmtDate(prev.Start), ends, fmtDate(cur.Start))})
		}
	}
	if len(ps) > 0 {
		sort.Slice(ps, func(i, j int) bool {
			return ps[i].File < ps[j].File || ps[i].File == ps[j].File && ps[i].Line < ps[j].Line
		})
		return &conflictError{ps}
	}
	return nil
}

// periods derives the return's children's care periods (runs of episodes
// joined by X1 with no gap) and legal statuses (runs with one legal status),
// replacing what was derived before.
func (l *loader) periods() error {
	ids := make([]int64, 0, len(l.eps))
	var cps, lss [][]any
	for id, es := range l.eps {
		ids = append(ids, id)
		links := make([]EpisodeLink, len(es))
		for i, e := range es {
			links[i] = EpisodeLink{StartedOn: e.Start, EndedOn: e.End, LegalStatus: e.LS}
			if e.REC != nil {
				links[i].REC = *e.REC
			}
		}
		care, legal := DerivePeriods(links)
		for _, p := range care {
			cps = append(cps, []any{l.la, id, p.StartedOn, p.EndedOn})
		}
		for _, p := range legal {
			lss = append(lss, []any{l.la, id, p.StartedOn, p.EndedOn, p.Code})
		}
	}
	if _, err := l.tx.Exec(l.ctx, `DELETE FROM care_periods WHERE la_id = $1 AND child_id = ANY($2)`, l.la, l.held(ids)); err != nil {
		return err
	}
	if _, err := l.tx.Exec(l.ctx, `DELETE FROM legal_statuses WHERE la_id = $1 AND child_id = ANY($2)`, l.la, l.held(ids)); err != nil {
		return err
	}
	if err := l.copy("care_periods", []string{"la_id", "child_id", "started_on", "ended_on"}, cps); err != nil {
		return err
	}
	if err := l.copy("legal_statuses", []string{"la_id", "child_id", "started_on", "ended_on", "code"}, lss); err != nil {
		return err
	}
	// An episode the return ends (a move, or leaving care) ends its placement's
	// costs the day before (schema/014). Only children with costs can have
	// one to end: the repair is asked about those alone. Handed every child of
	// a first return (none with a cost yet), it spent 0.5-1.8 s joining the
	// placements view of the whole council to nothing (docs/scaling.md).
	costed, err := l.withCosts(l.held(ids))
	if err != nil {
		return fmt.Errorf("end costs with their placements: %w", err)
	}
	if len(costed) == 0 {
		return nil
	}
	if err := db.New(l.tx).PlacementCostsRepair(l.ctx, db.PlacementCostsRepairParams{PLa: &l.la, PChildren: costed}); err != nil {
		return fmt.Errorf("end costs with their placements: %w", err)
	}
	return nil
}

// held is those of ids that Hearth held before this import. Only they can
// have rows in the tables that point at children, so the reads and deletes
// of what Hearth holds ask about them alone: a first return's 20,000 new
// children are not sent to the database eight times to find nothing.
func (l *loader) held(ids []int64) []int64 {
	out := make([]int64, 0, len(l.had))
	for _, id := range ids {
		if l.had[id] {
			out = append(out, id)
		}
	}
	return out
}

// withCosts is those of ids that have a placement cost recorded.
func (l *loader) withCosts(ids []int64) ([]int64, error) {
	rows, err := l.tx.Query(l.ctx, `SELECT DISTINCT child_id FROM placement_costs WHERE la_id = $1 AND child_id = ANY($2)`, l.la, ids)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// others loads missing episodes, reviews and SDQ scores (dated 31 March of the
// year; a score recorded by hand in Hearth on that date is left alone).
func (l *loader) others() error {
	ids := make([]int64, 0, len(l.ids))
	for _, id := range l.ids {
		ids = append(ids, id)
	}
	type mk struct {
		child int64
		kind  string
		start time.Time
	}
	mHave := map[mk]*time.Time{}
	rows, err := l.tx.Query(l.ctx, `SELECT child_id, kind, started_on, ended_on FROM missing_episodes WHERE la_id = $1 AND child_id = ANY($2)`, l.la, l.held(ids))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k mk
		var end *time.Time
		if err := rows.Scan(&k.child, &k.kind, &k.start, &end); err != nil {
			return err
		}
		mHave[k] = end
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var mIns, mUpd [][]any
	mc := Counts{Rows: int64(len(l.r.Missing))}
	for _, m := range l.r.Missing {
		k := mk{l.ids[m.Child], m.Kind, m.Start}
		end, ok := mHave[k]
		switch {
		case !ok:
			mIns = append(mIns, []any{l.la, k.child, m.Kind, m.Start, m.End, "ssda903"})
		case !eqTime(end, m.End):
			mUpd = append(mUpd, []any{k.child, m.Kind, m.Start, m.End})
		default:
			mc.Unchanged++
		}
	}
	mc.Inserted, mc.Updated = int64(len(mIns)), int64(len(mUpd))
	l.rep.Counts["missing"] = mc
	if err := l.copy("missing_episodes", []string{"la_id", "child_id", "kind", "started_on", "ended_on", "source"}, mIns); err != nil {
		return fmt.Errorf("missing: %w", err)
	}
	if err := l.update("stage_missing", "child_id bigint, kind text, started_on date, ended_on date", []string{"child_id", "kind", "started_on", "ended_on"}, mUpd,
		`UPDATE missing_episodes m SET ended_on = s.ended_on FROM stage_missing s
		 WHERE m.la_id = $1 AND m.child_id = s.child_id AND m.kind = s.kind AND m.started_on = s.started_on`); err != nil {
		return fmt.Errorf("missing: %w", err)
	}

	rHave := map[epKey]string{}
	rows, err = l.tx.Query(l.ctx, `SELECT child_id, reviewed_on, code FROM lac_reviews WHERE la_id = $1 AND child_id = ANY($2)`, l.la, l.held(ids))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k epKey
		var code string
		if err := rows.Scan(&k.child, &k.start, &code); err != nil {
			return err
		}
		rHave[k] = code
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var rIns, rUpd [][]any
	rc := Counts{Rows: int64(len(l.r.Reviews))}
	for _, v := range l.r.Reviews {
		k := epKey{l.ids[v.Child], v.On}
		code, ok := rHave[k]
		switch {
		case !ok:
			rIns = append(rIns, []any{l.la, k.child, v.On, v.Code})
		case code != v.Code:
			rUpd = append(rUpd, []any{k.child, v.On, v.Code})
		default:
			rc.Unchanged++
		}
	}
	rc.Inserted, rc.Updated = int64(len(rIns)), int64(len(rUpd))
	l.rep.Counts["reviews"] = rc
	if err := l.copy("lac_reviews", []string{"la_id", "child_id", "reviewed_on", "code"}, rIns); err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	if err := l.update("stage_reviews", "child_id bigint, reviewed_on date, code text", []string{"child_id", "reviewed_on", "code"}, rUpd,
		`UPDATE lac_reviews v SET code = s.code FROM stage_reviews s WHERE v.la_id = $1 AND v.child_id = s.child_id AND v.reviewed_on = s.reviewed_on`); err != nil {
		return fmt.Errorf("reviews: %w", err)
	}

	type sdq struct {
		score  int32
		source string
	}
	on := l.r.Year.End()
	sHave := map[int64]sdq{}
	rows, err = l.tx.Query(l.ctx, `SELECT child_id, score, source FROM sdq_readings WHERE la_id = $1 AND child_id = ANY($2) AND taken_on = $3`, l.la, l.held(ids), on)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var q sdq
		if err := rows.Scan(&id, &q.score, &q.source); err != nil {
			return err
		}
		sHave[id] = q
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var sIns, sUpd [][]any
	sc := Counts{}
	for _, o := range l.r.OC2 {
		if o.SDQ == nil {
			continue
		}
		sc.Rows++
		id := l.ids[o.Child]
		q, ok := sHave[id]
		switch {
		case !ok:
			sIns = append(sIns, []any{l.la, id, on, *o.SDQ, "ssda903"})
		case q.source == "ssda903" && q.score != *o.SDQ:
			sUpd = append(sUpd, []any{id, *o.SDQ})
		default:
			sc.Unchanged++
		}
	}
	sc.Inserted, sc.Updated = int64(len(sIns)), int64(len(sUpd))
	l.rep.Counts["sdq"] = sc
	if err := l.copy("sdq_readings", []string{"la_id", "child_id", "taken_on", "score", "source"}, sIns); err != nil {
		return fmt.Errorf("sdq: %w", err)
	}
	return l.update("stage_sdq", "child_id bigint, score int", []string{"child_id", "score"}, sUpd,
		fmt.Sprintf(`UPDATE sdq_readings q SET score = s.score FROM stage_sdq s
		 WHERE q.la_id = $1 AND q.child_id = s.child_id AND q.taken_on = '%s' AND q.source = 'ssda903'`, on.Format(time.DateOnly)))
}

// kept stores what the return says that Hearth has no model for, replacing
// what an earlier import of the same year said for a child only where it
// differs, so importing the same return again writes nothing.
func (l *loader) kept() error {
	ids := make([]int64, 0, len(l.ids))
	for _, id := range l.ids {
		ids = append(ids, id)
	}
	y := int32(l.r.Year)
	have := map[int64]string{}
	rs, err := l.tx.Query(l.ctx, `SELECT child_id, tbl, seq, vals FROM ssda903_rows WHERE la_id = $1 AND year = $2 AND child_id = ANY($3)
		ORDER BY child_id, tbl, seq`, l.la, y, l.held(ids))
	if err != nil {
		return err
	}
	for rs.Next() {
		var id int64
		var tbl string
		var seq int32
		var vals []string
		if err := rs.Scan(&id, &tbl, &seq, &vals); err != nil {
			return err
		}
		have[id] += fmt.Sprintf("%s|%d|%q\n", tbl, seq, vals)
	}
	if err := rs.Err(); err != nil {
		return err
	}
	type key struct {
		tbl   Table
		child int64
	}
	seq := map[key]int32{}
	want := map[int64]string{}
	byChild := map[int64][][]any{}
	for _, k := range l.r.Kept {
		id, ok := l.ids[k.Child]
		if !ok {
			continue
		}
		n := seq[key{k.Table, id}]
		seq[key{k.Table, id}] = n + 1
		byChild[id] = append(byChild[id], []any{l.la, y, string(k.Table), id, n, k.Vals})
	}
	for id, rows := range byChild {
		sort.Slice(rows, func(i, j int) bool {
			return rows[i][2].(string) < rows[j][2].(string) || rows[i][2] == rows[j][2] && rows[i][4].(int32) < rows[j][4].(int32)
		})
		for _, r := range rows {
			want[id] += fmt.Sprintf("%s|%d|%q\n", r[2], r[4], r[5])
		}
	}
	var stale []int64
	var rows [][]any
	c := Counts{}
	for _, id := range ids {
		if have[id] == want[id] {
			c.Unchanged += int64(len(byChild[id]))
			continue
		}
		if have[id] != "" {
			stale = append(stale, id)
			c.Updated += int64(len(byChild[id]))
		} else {
			c.Inserted += int64(len(byChild[id]))
		}
		rows = append(rows, byChild[id]...)
	}
	c.Rows = c.Unchanged + c.Updated + c.Inserted
	l.rep.Counts["kept"] = c
	if len(stale) > 0 {
		if _, err := l.tx.Exec(l.ctx, `DELETE FROM ssda903_rows WHERE la_id = $1 AND year = $2 AND child_id = ANY($3)`, l.la, y, stale); err != nil {
			return err
		}
	}
	return l.copy("ssda903_rows", []string{"la_id", "year", "tbl", "child_id", "seq", "vals"}, rows)
}
