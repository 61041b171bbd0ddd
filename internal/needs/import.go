package needs

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
)

// A needs history import brings in assessments approved in another system
// (Valuing Care, CANS, a spreadsheet) so a council moving to Hearth keeps its
// history: one row (CSV) or object (JSON) an assessment with the child's
// reference, the date assessed, the instrument, a level per domain, optional
// evidence, the status (which must be approved), the approver's email and the
// approval date. A file is all-or-nothing: any problem refuses the whole file,
// each problem named by row and column. Importing the same history again
// writes nothing. Each assessment is audited as an import by its approver,
// against the council; the approver must hold needs approval there, and is
// never the author (the importer, unless an author column names another).

// HistoryProblem is one thing wrong with a needs history file.
type HistoryProblem struct {
	Row     int    `json:"row"` // the data row (CSV line after the header; JSON array position), 0 for the file
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// HistoryReport is what a needs history import did.
type HistoryReport struct {
	Rows      int              `json:"rows"`
	Imported  int              `json:"imported"`
	Unchanged int              `json:"unchanged"`
	Loaded    bool             `json:"loaded"`
	Problems  []HistoryProblem `json:"problems"`
}

// ErrHistoryRefused is returned when a needs history has problems; nothing was imported.
var ErrHistoryRefused = errors.New("the needs history has problems; nothing was imported")

// Mapping renames another instrument's domain codes to those of an
// instrument loaded in Hearth: rows whose instrument is From are read as To.
type Mapping struct {
	From    string            `json:"from"`
	To      string            `json:"to"`
	Domains map[string]string `json:"domains"` // from's code → to's code
}

// ReadMapping reads a mapping file (JSON).
func ReadMapping(r io.Reader) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("mapping file: %w", err)
	}
	if m.From == "" || m.To == "" || len(m.Domains) == 0 {
		return m, errors.New("mapping file: give from, to and domains (from's code → to's code)")
	}
	return m, nil
}

// HistoryRow is one assessment as a file gives it.
type HistoryRow struct {
	ChildRef   string            `json:"child_ref"`
	AssessedOn string            `json:"assessed_on"`
	Instrument string            `json:"instrument"`
	Reason     string            `json:"reason,omitempty"`
	Status     string            `json:"status"`
	Approver   string            `json:"approver"`
	ApprovedOn string            `json:"approved_on"`
	Author     string            `json:"author,omitempty"`
	Levels     map[string]*int32 `json:"levels"`
	Evidence   map[string]string `json:"evidence,omitempty"`
	row        int
}

// HistoryFile is the JSON form: {"mapping": {...}, "assessments": [...]}.
type HistoryFile struct {
	Mapping     *Mapping     `json:"mapping,omitempty"`
	Assessments []HistoryRow `json:"assessments"`
}

var historyFixed = []string{"child_ref", "assessed_on", "instrument", "reason", "status", "approver", "approved_on", "author"}

// ReadHistory reads a needs history as CSV or JSON (told apart by the first
// character). CSV has the fixed columns and then one column a domain code
// holding its level, and optionally evidence_<code> columns.
func ReadHistory(body io.Reader) ([]HistoryRow, *Mapping, []HistoryProblem) {
	raw, err := io.ReadAll(io.LimitReader(body, 64<<20+1))
	if err != nil {
		return nil, nil, []HistoryProblem{{Message: "the file could not be read: " + err.Error()}}
	}
	if len(raw) > 64<<20 {
		return nil, nil, []HistoryProblem{{Message: "the file is larger than 64 MB"}}
	}
	raw = bytes.TrimPrefix(raw, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(raw) {
		return nil, nil, []HistoryProblem{{Message: "the file is not UTF-8; save it as CSV UTF-8 or JSON"}}
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return nil, nil, []HistoryProblem{{Message: "the file is empty"}}
	}
	if t[0] == '{' || t[0] == '[' {
		var f HistoryFile
		if t[0] == '[' {
			err = json.Unmarshal(t, &f.Assessments)
		} else {
			dec := json.NewDecoder(bytes.NewReader(t))
			dec.DisallowUnknownFields()
			err = dec.Decode(&f)
		}
		if err != nil {
			return nil, nil, []HistoryProblem{{Message: "not readable JSON: " + err.Error()}}
		}
		for i := range f.Assessments {
			f.Assessments[i].row = i + 1
		}
		return f.Assessments, f.Mapping, nil
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if err != nil {
		return nil, nil, []HistoryProblem{{Message: "not a readable CSV file: " + err.Error()}}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var ps []HistoryProblem
	for _, need := range []string{"child_ref", "assessed_on", "instrument", "status", "approver", "approved_on"} {
		if _, ok := col[need]; !ok {
			ps = append(ps, HistoryProblem{Column: need, Message: "the header row needs a " + need + " column (it has: " + strings.Join(head, ", ") + ")"})
		}
	}
	if len(ps) > 0 {
		return nil, nil, ps
	}
	var rows []HistoryRow
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, []HistoryProblem{{Row: n, Message: "not a readable CSV row: " + err.Error()}}
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		r := HistoryRow{ChildRef: get("child_ref"), AssessedOn: get("assessed_on"), Instrument: get("instrument"), Reason: get("reason"),
			Status: get("status"), Approver: get("approver"), ApprovedOn: get("approved_on"), Author: get("author"),
			Levels: map[string]*int32{}, Evidence: map[string]string{}, row: n}
		for i, h := range head {
			h = strings.ToLower(strings.TrimSpace(h))
			if slices.Contains(historyFixed, h) || i >= len(rec) {
				continue
			}
			v := strings.TrimSpace(rec[i])
			if code, ok := strings.CutPrefix(h, "evidence_"); ok {
				if v != "" {
					r.Evidence[code] = v
				}
				continue
			}
			if v == "" {
				r.Levels[h] = nil
				continue
			}
			l, err := strconv.ParseInt(v, 10, 32)
			if err != nil {
				ps = append(ps, HistoryProblem{Row: n, Column: h, Value: clipValue(v), Message: "not a whole-number level"})
				continue
			}
			lv := int32(l)
			r.Levels[h] = &lv
		}
		rows = append(rows, r)
	}
	return rows, nil, ps
}

func clipValue(s string) string {
	if utf8.RuneCountInString(s) > 120 {
		return string([]rune(s)[:120]) + "…"
	}
	return s
}

// ImportHistory checks a whole needs history for a council and, if nothing is
// wrong, loads it in one transaction. userID 0 is the command line, which must
// then name an author on each row or pass one (authorID).
func (s *Service) ImportHistory(ctx context.Context, userID, authorID int64, laID int32, file string, rows []HistoryRow, m *Mapping) (HistoryReport, error) {
	rep := HistoryReport{Rows: len(rows), Problems: []HistoryProblem{}}
	if userID != 0 && !s.authz.Allowed(userID, authz.CouncilDomain(laID), authz.Needs, authz.Approve) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "needs_history", Outcome: audit.Denied})
		return rep, children.ErrForbidden
	}
	if authorID == 0 {
		authorID = userID
	}
	q := db.New(s.pool)
	bad := func(row int, col, val, format string, args ...any) {
		rep.Problems = append(rep.Problems, HistoryProblem{Row: row, Column: col, Value: clipValue(val), Message: fmt.Sprintf(format, args...)})
	}
	if len(rows) == 0 {
		bad(0, "", "", "the file has no assessments")
	}
	today := s.today()
	// Children, instruments and people are looked up once each.
	refs := []string{}
	for _, r := range rows {
		refs = append(refs, strings.ToUpper(strings.TrimSpace(r.ChildRef)))
	}
	kids, err := q.NeedsImportChildren(ctx, db.NeedsImportChildrenParams{LaID: laID, Refs: refs})
	if err != nil {
		return rep, fmt.Errorf("needs history children: %w", err)
	}
	kid := map[string]db.NeedsImportChildrenRow{}
	ids := []int64{}
	for _, k := range kids {
		kid[strings.ToUpper(k.ChildRef)] = k
		ids = append(ids, k.ChildID)
	}
	existing, err := q.NeedsImportExisting(ctx, db.NeedsImportExistingParams{LaID: laID, ChildIds: ids})
	if err != nil {
		return rep, fmt.Errorf("needs history existing: %w", err)
	}
	type key struct {
		child      int64
		day        string
		instrument int32
	}
	held := map[key][]int32{}
	for _, e := range existing {
		held[key{e.ChildID, e.AssessedOn.Format(time.DateOnly), e.InstrumentID}] = e.ApprovedLevels
	}
	instruments := map[string]*Instrument{}
	instrument := func(code string) *Instrument {
		if in, ok := instruments[code]; ok {
			return in
		}
		instruments[code] = nil
		row, err := q.InstrumentGetByCode(ctx, code)
		if err != nil {
			return nil
		}
		in, err := LoadInstrument(ctx, q, row.InstrumentID)
		if err != nil {
			return nil
		}
		instruments[code] = &in
		return &in
	}
	people := map[string]int64{}
	person := func(email string) int64 {
		email = strings.ToLower(strings.TrimSpace(email))
		if id, ok := people[email]; ok {
			return id
		}
		u, err := q.UserGetByEmail(ctx, email)
		if err != nil {
			people[email] = 0
			return 0
		}
		people[email] = u.UserID
		return u.UserID
	}
	type ready struct {
		p                 db.NeedsImportAssessmentParams
		domains, evidence []string
		levels            []int32
		row               int
		approvedOn        time.Time
	}
	var todo []ready
	seen := map[key]int{}
	for i, r := range rows {
		n := r.row
		if n == 0 {
			n = i + 1 // rows given directly, not read from a file
		}
		ref := strings.ToUpper(strings.TrimSpace(r.ChildRef))
		k, ok := kid[ref]
		if !ok {
			bad(n, "child_ref", r.ChildRef, "no child with this reference in the council")
		}
		code := strings.TrimSpace(r.Instrument)
		levels := r.Levels
		if m != nil && code == m.From {
			code = m.To
			levels = map[string]*int32{}
			for c, l := range r.Levels {
				to, ok := m.Domains[c]
				if !ok {
					bad(n, c, "", "the mapping file does not say which domain of %s %q is", m.To, c)
					continue
				}
				levels[to] = l
			}
			ev := map[string]string{}
			for c, e := range r.Evidence {
				if to, ok := m.Domains[c]; ok {
					ev[to] = e
				}
			}
			r.Evidence = ev
		}
		in := instrument(code)
		if in == nil {
			bad(n, "instrument", r.Instrument, "not a needs instrument loaded in Hearth (load it with hearth instrument load, or give a mapping file)")
		}
		assessed, err := time.Parse(time.DateOnly, strings.TrimSpace(r.AssessedOn))
		switch {
		case err != nil:
			bad(n, "assessed_on", r.AssessedOn, "not a date like 2025-06-30")
		case assessed.After(today):
			bad(n, "assessed_on", r.AssessedOn, "the assessment date cannot be in the future")
		case ok && assessed.Before(k.DateOfBirth):
			bad(n, "assessed_on", r.AssessedOn, "the assessment date is before the child's date of birth")
		}
		approved, aerr := time.Parse(time.DateOnly, strings.TrimSpace(r.ApprovedOn))
		switch {
		case aerr != nil:
			bad(n, "approved_on", r.ApprovedOn, "not a date like 2025-07-04")
		case approved.After(today):
			bad(n, "approved_on", r.ApprovedOn, "the approval date cannot be in the future")
		case err == nil && approved.Before(assessed):
			bad(n, "approved_on", r.ApprovedOn, "approved before the date of the assessment")
		}
		if st := strings.ToLower(strings.TrimSpace(r.Status)); st != "approved" {
			bad(n, "status", r.Status, "only approved assessments are imported (status approved)")
		}
		reason := strings.TrimSpace(r.Reason)
		if reason == "" {
			reason = "other"
		}
		if !slices.Contains(Reasons, reason) {
			bad(n, "reason", r.Reason, "not a reason Hearth knows (%s)", strings.Join(Reasons, ", "))
		}
		approver := person(r.Approver)
		switch {
		case approver == 0:
			bad(n, "approver", r.Approver, "no Hearth user with this email")
		case !s.authz.Allowed(approver, authz.CouncilDomain(laID), authz.Needs, authz.Approve):
			bad(n, "approver", r.Approver, "does not hold needs approval in this council")
		}
		author := authorID
		if strings.TrimSpace(r.Author) != "" {
			if author = person(r.Author); author == 0 {
				bad(n, "author", r.Author, "no Hearth user with this email")
			}
		}
		switch {
		case author == 0 && strings.TrimSpace(r.Author) == "":
			bad(n, "author", "", "give the author's email (an author column, or --as on the command line)")
		case author != 0 && author == approver:
			bad(n, "approver", r.Approver, "the approver wrote this assessment; nobody approves their own")
		}
		if in == nil || !ok || err != nil {
			continue
		}
		var domains, evidence []string
		var lv []int32
		for c := range levels {
			if !in.HasDomain(c) {
				bad(n, c, "", "%q is not a domain of %s", c, in.Name)
			}
		}
		for c := range r.Evidence {
			if !in.HasDomain(c) {
				bad(n, "evidence_"+c, "", "%q is not a domain of %s", c, in.Name)
			}
		}
		for _, d := range in.Domains {
			l := levels[d.DomainCode]
			switch {
			case l == nil:
				bad(n, d.DomainCode, "", "give a level for %s (%d to %d)", d.Name, in.Min, in.Max)
				continue
			case *l < in.Min || *l > in.Max:
				bad(n, d.DomainCode, strconv.Itoa(int(*l)), "level %d is outside the scale %d to %d", *l, in.Min, in.Max)
				continue
			}
			if len(r.Evidence[d.DomainCode]) > 20000 {
				bad(n, "evidence_"+d.DomainCode, "", "evidence is too long (at most 20,000 characters)")
			}
			domains, lv, evidence = append(domains, d.DomainCode), append(lv, *l), append(evidence, r.Evidence[d.DomainCode])
		}
		kk := key{k.ChildID, assessed.Format(time.DateOnly), in.ID}
		if first, dup := seen[kk]; dup {
			bad(n, "assessed_on", r.AssessedOn, "row %d already gives this child's %s assessment of this date", first, in.Code)
			continue
		}
		seen[kk] = n
		if old, ok := held[kk]; ok {
			if slices.Equal(old, lv) {
				rep.Unchanged++
			} else {
				bad(n, "assessed_on", r.AssessedOn, "Hearth already holds an approved %s assessment of this child on this date with other levels; an approved assessment is never changed, so correct it in Hearth", in.Code)
			}
			continue
		}
		at := approved
		ap := approver
		todo = append(todo, ready{p: db.NeedsImportAssessmentParams{LaID: laID, ChildID: k.ChildID, InstrumentID: in.ID, AssessedOn: assessed,
			Reason: reason, AuthorID: author, ApprovedAt: &at, ApproverID: &ap, Levels: lv}, domains: domains, levels: lv, evidence: evidence, row: n, approvedOn: approved})
	}
	if len(rep.Problems) > 0 {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "needs_history", Outcome: audit.Failed,
			Detail: map[string]any{"file": file, "rows": rep.Rows, "problems": len(rep.Problems)}})
		return rep, ErrHistoryRefused
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		for _, t := range todo {
			id, err := qt.NeedsImportAssessment(ctx, t.p)
			if err != nil {
				return fmt.Errorf("row %d: %w", t.row, err)
			}
			if err := qt.NeedsImportRatings(ctx, db.NeedsImportRatingsParams{LaID: laID, AssessmentID: id, InstrumentID: t.p.InstrumentID,
				Domains: t.domains, Levels: t.levels, Evidence: t.evidence}); err != nil {
				return fmt.Errorf("row %d ratings: %w", t.row, err)
			}
			if err := audit.Record(ctx, tx, audit.Event{UserID: *t.p.ApproverID, LAID: laID, Action: "import", Entity: "needs_assessment",
				EntityID: strconv.FormatInt(id, 10), Detail: map[string]any{"child_id": t.p.ChildID, "approved_on": t.approvedOn.Format(time.DateOnly),
					"imported_by": userID, "file": file, "row": t.row}}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "needs_history",
			Detail: map[string]any{"file": file, "rows": rep.Rows, "imported": len(todo), "unchanged": rep.Unchanged}})
	})
	if err != nil {
		return rep, fmt.Errorf("import needs history: %w", err)
	}
	rep.Imported, rep.Loaded = len(todo), true
	return rep, nil
}
