package placements

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// Imports lists the latest imports (returns, censuses, needs histories,
// standard returns) of the councils where the caller may import: the
// imports page. The list names files and people, not children.
func (s *Service) Imports(ctx context.Context, userID int64) ([]db.ImportListRow, error) {
	las := s.authz.Councils(userID, authz.Placement, authz.Import)
	if las == nil {
		las = []int32{} // ANY of an empty array, never of NULL
	}
	rows, err := db.New(s.pool).ImportList(ctx, las)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return rows, nil
}
