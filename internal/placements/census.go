package placements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// A cost census is a child-level snapshot of placement costs on a date, in
// the shape of the North West placement cost census (domain.md §4): placing
// authority, identifier, provider, establishment, type of provision, UASC,
// total weekly cost and the contributions from social care, education and
// health. It is read as the Placements North West template is published: a
// title and guidance rows may come before the header row, header cells may
// carry guidance text after the name, and the file may be the template's
// sheet saved as CSV or the .xlsx workbook itself (census_read.go). Every
// other column is named in the report as not used.

// CensusReport is what a census import did.
type CensusReport struct {
	ImportID  int64             `json:"import_id"`
	Date      string            `json:"date"`
	Rows      int               `json:"rows"`
	Attached  int               `json:"attached"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Imported  bool              `json:"imported"`
	Errors    []ssda903.Problem `json:"errors"`    // any error: nothing is imported
	Unmatched []ssda903.Problem `json:"unmatched"` // rows that matched no current placement, and why
	Ignored   []string          `json:"ignored_columns"`
}

// ErrCensusRefused is returned when a census file has errors; nothing was imported.
var ErrCensusRefused = errors.New("the census has errors; nothing was imported")

// BeginCensus checks the caller may import for the council and records the import.
func (s *Service) BeginCensus(ctx context.Context, userID int64, laID int32, date time.Time, name string) (int64, error) {
	if userID != 0 && !s.authz.Allowed(userID, authz.CouncilDomain(laID), authz.Placement, authz.Import) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "cost_census", Outcome: audit.Denied})
		return 0, children.ErrForbidden
	}
	if date.IsZero() || date.After(s.today()) {
		return 0, valid.Errorf("census_date", "give the date the census describes; it cannot be in the future")
	}
	var uid *int64
	if userID != 0 {
		uid = &userID
	}
	return db.New(s.pool).ImportBegin(ctx, db.ImportBeginParams{LaID: laID, Kind: "cost_census", UserID: uid, Files: []string{name}})
}

// ImportCensus is BeginCensus then RunCensus.
func (s *Service) ImportCensus(ctx context.Context, userID int64, laID int32, date time.Time, name string, body io.Reader) (CensusReport, error) {
	id, err := s.BeginCensus(ctx, userID, laID, date, name)
	if err != nil {
		return CensusReport{}, err
	}
	return s.RunCensus(ctx, id, userID, laID, date, body)
}

// censusBulkRows is how many costs a census must attach before the import
// refreshes the table's statistics.
const censusBulkRows = 1000

type censusRow struct {
	line                                 int
	la, child, provider, establishment   string
	total, socialCare, education, health int64
	startedOn                            time.Time // zero when the census has no start date column
}

// RunCensus reads the file; if it has no errors, attaches each row's weekly
// cost, from the census date, to the child's placement open on that date, in
// one transaction. Rows that match no current placement are reported.
func (s *Service) RunCensus(ctx context.Context, id, userID int64, laID int32, date time.Time, body io.Reader) (CensusReport, error) {
	rep := CensusReport{ImportID: id, Date: date.Format(time.DateOnly)}
	rows := readCensus(body, date, &rep)
	var err error
	if len(rep.Errors) == 0 {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.attachCensus(ctx, tx, laID, date, rows, &rep) })
		rep.Imported = err == nil
		if rep.Imported && rep.Attached >= censusBulkRows {
			// A council's first census can multiply its costs: the pages that
			// read them next plan on fresh statistics (issue 19). The costs are
			// saved already, so a failure here only leaves the old statistics.
			if aerr := db.New(s.pool).AnalyzeTables(ctx, []string{"placement_costs"}); aerr != nil {
				slog.WarnContext(ctx, "statistics after census", "la_id", laID, "err", aerr)
			}
		}
	}
	status := map[bool]string{true: "imported", false: "refused"}[rep.Imported]
	if err != nil {
		status = "failed"
	}
	b, _ := json.Marshal(rep)
	if uerr := db.New(s.pool).ImportFinish(context.WithoutCancel(ctx), db.ImportFinishParams{ImportID: id, Status: status, Rows: int64(rep.Rows),
		Report: b}); uerr != nil && err == nil {
		err = uerr
	}
	_ = audit.Record(context.WithoutCancel(ctx), s.pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "cost_census",
		EntityID: strconv.FormatInt(id, 10), Outcome: map[bool]string{true: audit.OK, false: audit.Failed}[rep.Imported],
		Detail: map[string]any{"rows": rep.Rows, "attached": rep.Attached, "unmatched": len(rep.Unmatched), "errors": len(rep.Errors)}})
	if err != nil {
		return rep, err
	}
	if !rep.Imported {
		return rep, ErrCensusRefused
	}
	return rep, nil
}

func (s *Service) attachCensus(ctx context.Context, tx pgx.Tx, laID int32, date time.Time, rows []censusRow, rep *CensusReport) error {
	q := db.New(tx)
	la, err := q.LocalAuthorityGet(ctx, laID)
	if err != nil {
		return err
	}
	unmatched := func(r censusRow, format string, args ...any) {
		rep.Unmatched = append(rep.Unmatched, ssda903.Problem{Severity: ssda903.Warning, File: "census", Line: r.line, Column: "identifier",
			Value: r.child, Message: fmt.Sprintf(format, args...)})
	}
	for _, r := range rows {
		if !sameCouncil(r.la, la) {
			unmatched(r, "placed by %q, not %s: left for that council", r.la, la.Name)
			continue
		}
		childID, err := q.ChildIDByRefForUpdate(ctx, db.ChildIDByRefForUpdateParams{LaID: laID, ChildRef: r.child})
		if errors.Is(err, pgx.ErrNoRows) {
			unmatched(r, "no child with this identifier in %s", la.Name)
			continue
		} else if err != nil {
			return err
		}
		h, err := load(ctx, q, laID, childID, date)
		if err != nil {
			return err
		}
		// A census dated on or after a move belongs to the new placement.
		p := On(h.Placements, date)
		if p == nil {
			unmatched(r, "the child had no placement open on %s", date.Format("2 January 2006"))
			continue
		}
		if !r.startedOn.IsZero() && !r.startedOn.Equal(p.StartedOn) {
			unmatched(r, "the census says the placement started on %s, but the placement Hearth holds started on %s; check the SSDA903 episodes",
				r.startedOn.Format("2 January 2006"), p.StartedOn.Format("2 January 2006"))
			continue
		}
		if c, ok := CostOn(h.Placements, date); ok {
			same := c.WeeklyPence == r.total && c.SocialCarePence == r.socialCare && c.EducationPence == r.education && c.HealthPence == r.health
			switch {
			case same:
				rep.Unchanged++
				continue
			case c.EffectiveFrom.Equal(date):
				// A corrected census for the same date replaces its own figures.
				if _, err := q.CostUpdate(ctx, db.CostUpdateParams{LaID: laID, CostID: c.CostID, Version: c.Version, EffectiveFrom: c.EffectiveFrom,
					EffectiveTo: c.EffectiveTo, WeeklyPence: r.total, SocialCarePence: r.socialCare, EducationPence: r.education, HealthPence: r.health}); err != nil {
					return err
				}
				rep.Updated++
				continue
			case c.EffectiveTo != nil:
				unmatched(r, "the placement already has a cost of %s a week from %s to %s; correct that on the child's page", pounds(c.WeeklyPence),
					c.EffectiveFrom.Format("2 January 2006"), c.EffectiveTo.Format("2 January 2006"))
				continue
			}
			if err := q.CostClose(ctx, db.CostCloseParams{LaID: laID, CostID: c.CostID, EffectiveTo: ptr(date.AddDate(0, 0, -1))}); err != nil {
				return err
			}
		}
		to := boundTo(nil, *p)
		for _, c := range p.Costs { // a later cost already recorded bounds this one
			if c.EffectiveFrom.After(date) && (to == nil || c.EffectiveFrom.Before(to.AddDate(0, 0, 1))) {
				to = ptr(c.EffectiveFrom.AddDate(0, 0, -1))
			}
		}
		if _, err := q.CostInsert(ctx, db.CostInsertParams{LaID: laID, ChildID: childID, PlacementStartedOn: p.StartedOn, EffectiveFrom: date,
			EffectiveTo: to, WeeklyPence: r.total, SocialCarePence: r.socialCare, EducationPence: r.education, HealthPence: r.health, Source: "census"}); err != nil {
			return fmt.Errorf("line %d: %w", r.line, err)
		}
		rep.Attached++
	}
	return nil
}

// sameCouncil matches a placing authority as the census writes it: a name,
// an ONS code or a DfE LA code.
func sameCouncil(v string, la db.LocalAuthority) bool {
	v = strings.TrimSpace(v)
	n := strings.ToLower(v)
	return strings.EqualFold(v, la.OnsCode) || v == strconv.Itoa(int(la.LaID)) || n == strings.ToLower(la.Name) ||
		strings.TrimSuffix(strings.TrimSuffix(n, " council"), " city") == strings.ToLower(la.Name)
}
