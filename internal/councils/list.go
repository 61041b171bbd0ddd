package councils

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// Where lists the councils in which the user holds act on res, decided on
// each council's own domain: a form's council chooser offers no council its
// user may not use, and the service behind the form decides again.
func (s *Service) Where(ctx context.Context, userID int64, res authz.Resource, act authz.Action) ([]db.LocalAuthority, error) {
	return s.listWhere(ctx, func(la int32) bool { return s.az.Allowed(userID, authz.CouncilDomain(la), res, act) })
}

// WithChildren lists the councils whose children the user may see, every
// child or only those allocated to them: the children list's council filter.
func (s *Service) WithChildren(ctx context.Context, userID int64) ([]db.LocalAuthority, error) {
	return s.listWhere(ctx, s.az.ChildScope(userID).Includes)
}

// Names maps every council to its name, to label rows that already carry a
// council (audit events, grants). A council's name is not a record of anyone.
func (s *Service) Names(ctx context.Context) (map[int32]string, error) {
	las, err := s.q.LocalAuthorityList(ctx)
	if err != nil {
		return nil, fmt.Errorf("councils: %w", err)
	}
	names := make(map[int32]string, len(las))
	for _, la := range las {
		names[la.LaID] = la.Name
	}
	return names, nil
}

// CooperativeName is a regional care cooperative's name, for labelling a grant.
func (s *Service) CooperativeName(ctx context.Context, rccID int32) (string, error) {
	rc, err := s.q.RCCGet(ctx, rccID)
	if err != nil {
		return "", fmt.Errorf("cooperative %d: %w", rccID, err)
	}
	return rc.Name, nil
}

func (s *Service) listWhere(ctx context.Context, keep func(laID int32) bool) ([]db.LocalAuthority, error) {
	las, err := s.q.LocalAuthorityList(ctx)
	if err != nil {
		return nil, fmt.Errorf("councils: %w", err)
	}
	var out []db.LocalAuthority
	for _, la := range las {
		if keep(la.LaID) {
			out = append(out, la)
		}
	}
	return out, nil
}
