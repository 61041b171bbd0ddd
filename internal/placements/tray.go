package placements

import (
	"context"
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// CommissionerTray is a commissioner's work on the dashboard: open placements
// with no cost in force today, each linking to the cost form, and placements
// ending in the next EndingMonths because the child turns 18.
type CommissionerTray struct {
	NoCost []db.TrayPlacementsWithoutCostRow
	Ending []db.TrayPlacementsEndingRow
}

// EndingMonths is how far ahead the tray lists placements ending at 18.
const EndingMonths = 3

// WorkTray gathers it in the councils where the caller may record costs. The
// lists name children, so each is audited against each council it shows.
func (s *Service) WorkTray(ctx context.Context, userID int64) (CommissionerTray, error) {
	var t CommissionerTray
	las := s.authz.Councils(userID, authz.Placement, authz.Write)
	if len(las) == 0 {
		return t, nil
	}
	y, m, d := s.Now().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	rows, err := db.New(s.pool).TrayPlacementsWithoutCost(ctx, db.TrayPlacementsWithoutCostParams{LaIds: las, Day: day})
	if err != nil {
		return t, fmt.Errorf("placements without a cost: %w", err)
	}
	t.NoCost = rows
	t.Ending, err = db.New(s.pool).TrayPlacementsEnding(ctx, db.TrayPlacementsEndingParams{LaIds: las,
		BornFrom: day.AddDate(-18, 0, 0), BornBefore: day.AddDate(-18, EndingMonths, 0)})
	if err != nil {
		return t, fmt.Errorf("placements ending: %w", err)
	}
	noCost := make([]audit.Shown, len(rows))
	for i, r := range rows {
		noCost[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
	}
	ending := make([]audit.Shown, len(t.Ending))
	for i, r := range t.Ending {
		ending[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
	}
	if err := audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "placements_without_cost",
		Detail: map[string]any{"total": len(noCost)}}, noCost); err != nil {
		return t, err
	}
	return t, audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "placements_ending",
		Detail: map[string]any{"total": len(ending)}}, ending)
}
