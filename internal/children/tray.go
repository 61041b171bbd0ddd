package children

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// ManagerTray is a team manager's allocation work: each worker's caseload
// size, and the children in care with nobody allocated.
type ManagerTray struct {
	Caseloads   []db.TrayCaseloadsRow
	Unallocated []db.TrayUnallocatedRow
}

// AllocationTray gathers it in the councils where the caller may allocate.
// The unallocated list names children, so it is audited against each council it shows.
func (s *Service) AllocationTray(ctx context.Context, userID int64) (ManagerTray, error) {
	las := s.authz.Councils(userID, authz.Child, authz.Allocate)
	var t ManagerTray
	if len(las) == 0 {
		return t, nil
	}
	q := db.New(s.pool)
	var err error
	if t.Caseloads, err = q.TrayCaseloads(ctx, las); err != nil {
		return t, fmt.Errorf("caseloads: %w", err)
	}
	if t.Unallocated, err = q.TrayUnallocated(ctx, las); err != nil {
		return t, fmt.Errorf("unallocated: %w", err)
	}
	shown := make([]audit.Shown, len(t.Unallocated))
	for i, c := range t.Unallocated {
		shown[i] = audit.Shown{LAID: c.LaID, ID: c.ChildID}
	}
	return t, audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "unallocated_children",
		Detail: map[string]any{"total": len(t.Unallocated)}}, shown)
}
