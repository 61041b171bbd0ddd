package children

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/db"
)

// CountByCouncil counts the children in care in each council where the user
// sees every child, for the dashboard's cards. A count names no one, so it
// is not audited; a caseload is counted by List.
func (s *Service) CountByCouncil(ctx context.Context, userID int64) ([]db.ChildCountByCouncilRow, error) {
	counts, err := db.New(s.pool).ChildCountByCouncil(ctx, s.authz.ChildScope(userID).All)
	if err != nil {
		return nil, fmt.Errorf("children by council: %w", err)
	}
	return counts, nil
}
