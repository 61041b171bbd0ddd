package children

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/db"
)

// Choices lists a council's children that the caller may see, by name, for
// a form that picks children from a list (a care case). Asking for a council
// the caller cannot see is a refusal, audited; the list shows names, so it is
// recorded as a view of the council's children.
func (s *Service) Choices(ctx context.Context, userID int64, laID int32) ([]db.ChildChoiceListRow, error) {
	sc := s.authz.ChildScope(userID)
	if !sc.Includes(laID) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "list", Entity: "child",
			Outcome: audit.Denied, Detail: map[string]any{"purpose": "choose children"}}); err != nil {
			return nil, err
		}
		return nil, ErrForbidden
	}
	rows, err := db.New(s.pool).ChildChoiceList(ctx, db.ChildChoiceListParams{LaID: laID, AllLaIds: sc.All, AllocatedLaIds: sc.Own, UserID: userID})
	if err != nil {
		return nil, fmt.Errorf("list children to choose from: %w", err)
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "list", Entity: "child",
		Detail: map[string]any{"purpose": "choose children", "total": len(rows)}})
	return rows, err
}
