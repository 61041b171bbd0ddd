package needs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// DraftExistsError refuses a second open draft for a child: the caller
// continues the one there is.
type DraftExistsError struct{ AssessmentID int64 }

// Is makes it a conflict wherever conflicts are answered (409).
func (e *DraftExistsError) Is(target error) bool { return target == ErrConflict }

func (e *DraftExistsError) Error() string {
	return fmt.Sprintf("this child already has a draft assessment (%d): continue it instead", e.AssessmentID)
}

// OpenDraft returns the child's draft (not one returned by a manager), if it has one
// and the caller may write needs for the child.
func (s *Service) OpenDraft(ctx context.Context, userID, childID int64) (int64, bool, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return 0, false, err
	}
	r, err := q.AssessmentOpenForChild(ctx, db.AssessmentOpenForChildParams{LaID: c.LaID, ChildID: childID})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("open draft: %w", err)
	}
	return r.AssessmentID, true, nil
}

// Tray is a social worker's needs work: their drafts and returned
// assessments (with the manager's comment), and reviews due within 28 days
// or overdue.
type Tray struct {
	Drafts   []db.TrayDraftsRow
	Returned []db.TrayDraftsRow
	Due      []Due // overdue first
}

// TrayDays is how far ahead a tray looks for reviews coming due.
const TrayDays = 28

// WorkTray gathers the caller's needs work in the councils they may write
// needs in. Each list names children, so each is audited with the children
// it shows, against their councils (the reviews in dueBefore).
func (s *Service) WorkTray(ctx context.Context, userID int64) (Tray, error) {
	sc := s.authz.Scope(userID, authz.Needs, authz.Write)
	las := append(append([]int32{}, sc.All...), sc.Own...)
	var t Tray
	if len(las) == 0 {
		return t, nil
	}
	rows, err := db.New(s.pool).TrayDrafts(ctx, db.TrayDraftsParams{LaIds: las, UserID: userID})
	if err != nil {
		return t, fmt.Errorf("tray drafts: %w", err)
	}
	shown := make([]audit.Shown, len(rows))
	for i, r := range rows {
		shown[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
		if r.Status == "returned" {
			t.Returned = append(t.Returned, r)
		} else {
			t.Drafts = append(t.Drafts, r)
		}
	}
	if err := audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "assessment_drafts"}, shown); err != nil {
		return t, err
	}
	l, err := s.dueBefore(ctx, userID, nil, nil, s.today().AddDate(0, 0, TrayDays+1))
	if err != nil {
		return t, err
	}
	t.Due = l.Children
	return t, nil
}

// NewToCaseload lists children allocated to the caller since since. The
// list names children, so it is audited with them, against each council it
// shows.
func (s *Service) NewToCaseload(ctx context.Context, userID int64, since time.Time) ([]db.TrayNewToCaseloadRow, error) {
	sc := s.authz.Scope(userID, authz.Needs, authz.Read)
	las := append(append([]int32{}, sc.All...), sc.Own...)
	if len(las) == 0 {
		return nil, nil
	}
	rows, err := db.New(s.pool).TrayNewToCaseload(ctx, db.TrayNewToCaseloadParams{UserID: userID, Since: since, LaIds: las})
	if err != nil {
		return nil, fmt.Errorf("new to caseload: %w", err)
	}
	shown := make([]audit.Shown, len(rows))
	for i, r := range rows {
		shown[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
	}
	if err := audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "caseload_new",
		Detail: map[string]any{"since": since.Format(time.DateOnly)}}, shown); err != nil {
		return nil, err
	}
	return rows, nil
}

// Approval is a submitted assessment waiting for the caller's decision.
type Approval struct {
	db.TrayApprovalsRow
	DaysWaiting int
}

// ApprovalsByTeam lists what waits for the caller's approval, oldest first,
// with the author's team and how many days it has waited.
func (s *Service) ApprovalsByTeam(ctx context.Context, userID int64) ([]Approval, error) {
	las := s.authz.Councils(userID, authz.Needs, authz.Approve)
	if len(las) == 0 {
		return nil, nil
	}
	rows, err := db.New(s.pool).TrayApprovals(ctx, db.TrayApprovalsParams{LaIds: las, UserID: userID})
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	today := s.today()
	out := make([]Approval, len(rows))
	for i, r := range rows {
		days := 0
		if r.SubmittedAt != nil {
			sub := r.SubmittedAt.UTC()
			days = int(today.Sub(time.Date(sub.Year(), sub.Month(), sub.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
		}
		out[i] = Approval{TrayApprovalsRow: r, DaysWaiting: max(days, 0)}
	}
	return out, nil
}
