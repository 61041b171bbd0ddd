package pds

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// mayCouncil decides on the council itself and audits a refusal against it.
func (s *Service) mayCouncil(ctx context.Context, userID int64, la int32, act authz.Action, what string) error {
	if s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Placement, act) {
		return nil
	}
	if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: what, Entity: "pds_return",
		EntityID: strconv.Itoa(int(la)), Outcome: audit.Denied}); err != nil {
		return err
	}
	return ErrForbidden
}

// Export is a council's quarterly return, for a user who may export the
// council's placements; the export is audited against the council.
func (s *Service) Export(ctx context.Context, userID int64, la int32, q Quarter) ([]Record, error) {
	if err := s.mayCouncil(ctx, userID, la, authz.Export, "export"); err != nil {
		return nil, err
	}
	recs, err := s.ExportCouncil(ctx, la, q)
	if err != nil {
		return nil, err
	}
	return recs, audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "export", Entity: "pds_return",
		EntityID: strconv.Itoa(int(la)), Detail: map[string]any{"quarter": q.String(), "rows": len(recs)}})
}

// ExportCouncil is a council's return for the command line, which is trusted.
func (s *Service) ExportCouncil(ctx context.Context, la int32, q Quarter) ([]Record, error) {
	rows, err := db.New(s.pool).PdsInQuarter(ctx, db.PdsInQuarterParams{LaID: la, FromDate: q.From(), ToDate: q.To()})
	if err != nil {
		return nil, fmt.Errorf("pds export %d %s: %w", la, q, err)
	}
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = FromDB(r)
	}
	return out, nil
}

// ImportResult says what an import did.
type ImportResult struct {
	Council   int32     `json:"council"`
	Quarter   string    `json:"quarter"`
	Rows      int       `json:"rows"`
	Added     int       `json:"added"`
	Changed   int       `json:"changed"`
	Unchanged int       `json:"unchanged"`
	Removed   int       `json:"removed"`
	Warnings  []Warning `json:"warnings"`
}

// Import loads a council's quarterly return (CSV or .xlsx) for a user who
// may import the council's placements: a region receiving returns from
// councils that do not record placements in Hearth. The file replaces the
// council's imported rows for the quarter, all or nothing: any problem
// refuses the whole file, naming row and column. Importing the same file
// again changes nothing.
func (s *Service) Import(ctx context.Context, userID int64, la int32, q Quarter, data []byte) (ImportResult, error) {
	if err := s.mayCouncil(ctx, userID, la, authz.Import, "import"); err != nil {
		return ImportResult{}, err
	}
	return s.ImportCouncil(ctx, &userID, la, q, data)
}

// ImportCouncil is Import for the command line, which is trusted.
func (s *Service) ImportCouncil(ctx context.Context, userID *int64, la int32, q Quarter, data []byte) (ImportResult, error) {
	res := ImportResult{Council: la, Quarter: q.String(), Warnings: []Warning{}}
	rows, err := ReadReturn(data)
	if err != nil {
		return res, err
	}
	var ps valid.Problems
	seen := map[string]int{}
	for _, r := range rows {
		if !q.Contains(r.Record.PlacementDate) {
			ps.Add(fmt.Sprintf("row %d, %s", r.Line, header("placement_date")), "%s is outside %s (%s to %s)",
				r.Record.PlacementDate.Format(time.DateOnly), q, q.From().Format(time.DateOnly), q.To().AddDate(0, 0, -1).Format(time.DateOnly))
		}
		k := r.Record.ChildRef + "\x00" + r.Record.PlacementDate.Format(time.DateOnly)
		if prev, ok := seen[k]; ok {
			ps.Add(fmt.Sprintf("row %d, %s", r.Line, header("child_id")), "child %s's placement of %s is already on row %d (remove duplicates)",
				r.Record.ChildRef, r.Record.PlacementDate.Format(time.DateOnly), prev)
		}
		seen[k] = r.Line
		for _, w := range r.Warnings {
			res.Warnings = append(res.Warnings, Warning{Field: fmt.Sprintf("row %d, %s", r.Line, header(w.Field)), Message: w.Message})
		}
	}
	if err := ps.Err(); err != nil {
		return res, err
	}
	res.Rows = len(rows)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		// One import of a council at a time: the second waits, then sees the first's rows.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('pds_import'), $1)", la); err != nil {
			return fmt.Errorf("pds import lock: %w", err)
		}
		own, err := qt.PdsHearthKeys(ctx, db.PdsHearthKeysParams{LaID: la, FromDate: q.From(), ToDate: q.To()})
		if err != nil {
			return fmt.Errorf("pds import: %w", err)
		}
		for _, o := range own {
			if line, ok := seen[o.ChildRef+"\x00"+o.PlacementDate.Format(time.DateOnly)]; ok {
				ps.Add(fmt.Sprintf("row %d, %s", line, header("child_id")),
					"child %s's placement of %s is recorded in Hearth; a return cannot replace it", o.ChildRef, o.PlacementDate.Format(time.DateOnly))
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		old, err := qt.PdsImportedInQuarter(ctx, db.PdsImportedInQuarterParams{LaID: la, FromDate: q.From(), ToDate: q.To()})
		if err != nil {
			return fmt.Errorf("pds import: %w", err)
		}
		byKey := map[string]db.PdsRecord{}
		for _, o := range old {
			byKey[o.ChildRef+"\x00"+o.PlacementDate.Format(time.DateOnly)] = o
		}
		for _, r := range rows {
			k := r.Record.ChildRef + "\x00" + r.Record.PlacementDate.Format(time.DateOnly)
			ins := insertParams(la, "import", nil, userID, r.Record)
			o, ok := byKey[k]
			delete(byKey, k)
			switch {
			case !ok:
				if _, err := qt.PdsInsert(ctx, ins); err != nil {
					return fmt.Errorf("pds import row %d: %w", r.Line, err)
				}
				res.Added++
			case same(FromDB(o), r.Record):
				res.Unchanged++
			default:
				if _, err := qt.PdsUpdate(ctx, updateParams(ins, o.RecordID, o.Version)); err != nil {
					return fmt.Errorf("pds import row %d: %w", r.Line, err)
				}
				res.Changed++
			}
		}
		for _, o := range byKey {
			if _, err := qt.PdsDelete(ctx, db.PdsDeleteParams{LaID: la, RecordID: o.RecordID}); err != nil {
				return fmt.Errorf("pds import: %w", err)
			}
			res.Removed++
		}
		var uid int64
		if userID != nil {
			uid = *userID
		}
		return audit.Record(ctx, tx, audit.Event{UserID: uid, LAID: la, Action: "import", Entity: "pds_return", EntityID: strconv.Itoa(int(la)),
			Detail: map[string]any{"quarter": q.String(), "rows": res.Rows, "added": res.Added, "changed": res.Changed, "removed": res.Removed}})
	})
	return res, err
}

// same compares two records by what the return holds.
func same(a, b Record) bool {
	ra, rb := a.Row(), b.Row()
	for i := range ra {
		if ra[i] != rb[i] {
			return false
		}
	}
	return true
}
