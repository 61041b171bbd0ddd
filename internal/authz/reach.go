package authz

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/postgres"
)

// Reach is the councils whose rows a user's requests may touch in the database,
// the wall behind the SQL scoping (row-level security, docs/security.md): every
// council they hold a role in; for a role in a regional care cooperative,
// every council that is or was its member (the sharing agreements then decide
// what is shown); every council for a system-wide role. It is coarser than
// what the user may see, never wider.
func (a *Authorizer) Reach(ctx context.Context, userID int64) (postgres.Councils, error) {
	var las, rccs []int32
	for _, g := range a.Grants(userID) {
		switch {
		case g.Domain == SystemDomain:
			return postgres.AllCouncils(), nil
		case g.LAID != 0:
			las = append(las, g.LAID)
		case g.RCCID != 0:
			rccs = append(rccs, g.RCCID)
		}
	}
	if len(rccs) > 0 {
		// rcc_memberships is a directory table, outside row-level security.
		rows, err := a.pool.Query(ctx, "SELECT DISTINCT la_id FROM rcc_memberships WHERE rcc_id = ANY($1)", rccs)
		if err != nil {
			return postgres.Councils{}, fmt.Errorf("councils of the user's cooperatives: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var la int32
			if err := rows.Scan(&la); err != nil {
				return postgres.Councils{}, fmt.Errorf("councils of the user's cooperatives: %w", err)
			}
			las = append(las, la)
		}
		if err := rows.Err(); err != nil {
			return postgres.Councils{}, fmt.Errorf("councils of the user's cooperatives: %w", err)
		}
	}
	return postgres.OnlyCouncils(las...), nil
}
