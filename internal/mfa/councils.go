package mfa

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// Councils lists the councils whose second-factor rule the actor may set,
// decided as SetRequired decides, so the page offers only what it accepts.
func (s *Service) Councils(ctx context.Context, actor int64) ([]db.LocalAuthority, error) {
	las, err := s.q.LocalAuthorityList(ctx)
	if err != nil {
		return nil, fmt.Errorf("councils: %w", err)
	}
	var out []db.LocalAuthority
	for _, la := range las {
		if s.az.AllowedOn(actor, authz.Object{LAID: la.LaID, Allocated: true}, authz.Council, authz.Manage) {
			out = append(out, la)
		}
	}
	return out, nil
}
