package needs

import (
	"context"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/db"
)

// Export writes the assessments of one child (childID set) or of every child in
// the caller's scope, optionally in one council, as CSV: one row per
// assessment, one column per domain. Evidence text is not exported. The export
// is audited with its row count.
func (s *Service) Export(ctx context.Context, userID int64, childID *int64, laID *int32, w io.Writer) (int, error) {
	// Role by role: a caseload role's export reaches only the caseload, even
	// when another role of the user reads every child of the council.
	sc := s.authz.Scope(userID, authz.Needs, authz.Export)
	denied := func(la int32) error {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "export", Entity: "needs_assessment",
			Outcome: audit.Denied}); err != nil {
			return err
		}
		return children.ErrForbidden
	}
	if sc.Empty() {
		return 0, denied(0)
	}
	// Another council's export is refused, not answered with an empty file.
	if laID != nil && !sc.Includes(*laID) {
		return 0, denied(*laID)
	}
	q := db.New(s.pool)
	touched := append(slices.Clone(sc.All), sc.Own...)
	if laID != nil {
		touched = []int32{*laID}
	}
	if childID != nil {
		c, err := s.child(ctx, q, userID, *childID, authz.Export)
		if err != nil {
			return 0, err
		}
		touched = []int32{c.LaID}
	}
	rows, err := q.AssessmentExport(ctx, db.AssessmentExportParams{AllLaIds: sc.All, AllocatedLaIds: sc.Own,
		UserID: userID, ChildID: childID, LaID: laID})
	if err != nil {
		return 0, err
	}
	type rec struct {
		r      db.AssessmentExportRow
		levels map[string]int32
	}
	var recs []*rec
	var domains []string
	seen := map[string]bool{}
	for _, r := range rows {
		if len(recs) == 0 || recs[len(recs)-1].r.AssessmentID != r.AssessmentID {
			recs = append(recs, &rec{r: r, levels: map[string]int32{}})
		}
		if r.DomainCode == nil {
			continue
		}
		if !seen[*r.DomainCode] {
			seen[*r.DomainCode] = true
			domains = append(domains, *r.DomainCode)
		}
		if r.Level != nil {
			recs[len(recs)-1].levels[*r.DomainCode] = *r.Level
		}
	}
	// The export is audited before a byte leaves.
	ev := audit.Event{UserID: userID, Action: "export", Entity: "needs_assessment", Detail: map[string]any{"rows": len(recs)}}
	if childID != nil {
		ev.Entity, ev.EntityID = "child_needs", strconv.FormatInt(*childID, 10)
	}
	if err := audit.RecordCouncils(ctx, s.pool, ev, touched, nil); err != nil {
		return 0, err
	}
	cw := csvsafe.NewWriter(w)
	head := []string{"council", "child_ref", "assessment_id", "assessed_on", "reason", "status", "instrument", "supersedes", "approved_on", "need_score"}
	if err := cw.Write(append(head, domains...)); err != nil {
		return 0, err
	}
	for _, x := range recs {
		sup, appr := "", ""
		if x.r.Supersedes != nil {
			sup = strconv.FormatInt(*x.r.Supersedes, 10)
		}
		if x.r.ApprovedAt != nil {
			appr = x.r.ApprovedAt.Format(time.DateOnly)
		}
		line := []string{cell(x.r.CouncilName), cell(x.r.ChildRef), strconv.FormatInt(x.r.AssessmentID, 10), x.r.AssessedOn.Format(time.DateOnly),
			x.r.Reason, x.r.Status, x.r.Instrument, sup, appr, strconv.Itoa(int(Score(x.levels)))}
		for _, d := range domains {
			if l, ok := x.levels[d]; ok {
				line = append(line, strconv.Itoa(int(l)))
			} else {
				line = append(line, "")
			}
		}
		if err := cw.Write(line); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(recs), cw.Error()
}

// cell stops a spreadsheet reading text as a formula (CSV injection).
func cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
