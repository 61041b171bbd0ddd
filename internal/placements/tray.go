package placements

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// CommissionerTray is a commissioner's work on the dashboard: open placements
// with no cost in force today, each linking to the cost form.
type CommissionerTray struct {
	NoCost []db.TrayPlacementsWithoutCostRow
}

// WorkTray gathers it in the councils where the caller may record costs. The
// list names children, so it is audited against each council it shows.
func (s *Service) WorkTray(ctx context.Context, userID int64) (CommissionerTray, error) {
	var t CommissionerTray
	las := s.authz.Councils(userID, authz.Placement, authz.Write)
	if len(las) == 0 {
		return t, nil
	}
	y, m, d := s.Now().Date()
	rows, err := db.New(s.pool).TrayPlacementsWithoutCost(ctx, db.TrayPlacementsWithoutCostParams{LaIds: las, Day: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return t, fmt.Errorf("placements without a cost: %w", err)
	}
	t.NoCost = rows
	per := map[int32]map[string]any{}
	var seen []int32
	for _, r := range rows {
		if per[r.LaID] == nil {
			per[r.LaID] = map[string]any{"shown": []string{}}
			seen = append(seen, r.LaID)
		}
		per[r.LaID]["shown"] = append(per[r.LaID]["shown"].([]string), strconv.FormatInt(r.ChildID, 10))
	}
	if len(seen) > 0 {
		if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "placements_without_cost",
			Detail: map[string]any{"total": len(rows)}}, seen, per); err != nil {
			return t, err
		}
	}
	return t, nil
}
