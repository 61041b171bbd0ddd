package placements

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// Providers lists every provider: they are shared by the councils of a region.
func (s *Service) Providers(ctx context.Context) ([]db.ProviderListRow, error) {
	return db.New(s.pool).ProviderList(ctx)
}

// Provider returns one provider.
func (s *Service) Provider(ctx context.Context, id int64) (db.Provider, error) {
	p, err := db.New(s.pool).ProviderGet(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, children.ErrNotFound
	}
	return p, err
}

// ProviderInput is a provider as a form gives it.
type ProviderInput struct {
	Name, URN, Kind, District string
	OwnerLA                   *int32
	Version                   int32 // for an update
}

var urnRE = regexp.MustCompile(`^(SC[0-9]{6}|[0-9]{6,7})$`)

func (in *ProviderInput) check() error {
	in.Name, in.URN, in.District = strings.TrimSpace(in.Name), strings.ToUpper(strings.TrimSpace(in.URN)), strings.ToUpper(strings.TrimSpace(in.District))
	var ps valid.Problems
	if in.Name == "" || len(in.Name) > 200 {
		ps.Add("name", "enter the provider's name (at most 200 characters)")
	}
	if in.URN != "" && !urnRE.MatchString(in.URN) {
		ps.Add("urn", "%q is not an Ofsted unique reference number (SC and six digits, or six or seven digits)", in.URN)
	}
	if ssda903.ProviderLabels[in.Kind] == "" {
		ps.Add("kind", "choose what kind of provider it is: one of %s", codeList(ssda903.ProviderLabels, nil))
	}
	if in.District != "" && !districtRE.MatchString(in.District) {
		ps.Add("district", "%q is not a postcode district like M14 or SK8", in.District)
	}
	if in.Kind == "PR1" && in.OwnerLA == nil {
		ps.Add("owner", "say whose own provision it is")
	}
	return ps.Err()
}

// SaveProvider creates a provider (id 0) or updates one from the version the
// caller read. Providers are shared by every council, so who may change one is
// decided on the provider: a council's own provision (an owner) only by that
// council's staff who manage placements, and nobody may hand it to another
// council; a provider nobody owns by anyone who manages placements. A refusal
// and the change are both audited against the owning council(s): the old and
// new owner, or for an unowned provider the editor's councils.
func (s *Service) SaveProvider(ctx context.Context, userID, id int64, in ProviderInput) (db.Provider, error) {
	old, touched, err := s.providerAccess(ctx, userID, id, in.OwnerLA)
	if err != nil {
		return db.Provider{}, err
	}
	if err := in.check(); err != nil {
		return db.Provider{}, err
	}
	var out db.Provider
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var err error
		action := "update"
		if id == 0 {
			action = "create"
			out, err = q.ProviderInsert(ctx, db.ProviderInsertParams{Name: in.Name, OfstedUrn: optStr(in.URN), Kind: in.Kind,
				OwnerLaID: in.OwnerLA, PostcodeDistrict: optStr(in.District)})
		} else {
			out, err = q.ProviderUpdate(ctx, db.ProviderUpdateParams{ProviderID: id, Version: in.Version, Name: in.Name, OfstedUrn: optStr(in.URN),
				Kind: in.Kind, OwnerLaID: in.OwnerLA, PostcodeDistrict: optStr(in.District)})
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrConflict
			}
		}
		if postgres.IsUniqueViolation(err) {
			if postgres.ConstraintOf(err) == "providers_inhouse_key" {
				return valid.Errorf("name", "your council already has its own provision called %q", in.Name)
			}
			return valid.Errorf("urn", "another provider already has URN %s", in.URN)
		}
		if err != nil {
			return err
		}
		return audit.RecordCouncils(ctx, tx, audit.Event{UserID: userID, Action: action, Entity: "provider", EntityID: strconv.FormatInt(out.ProviderID, 10),
			Detail: map[string]any{"name": in.Name, "urn": in.URN, "owner_la_id": in.OwnerLA, "previous_owner_la_id": old.OwnerLaID}}, touched, nil)
	})
	return out, err
}

// MayEdit decides whether the caller may change a provider (id 0: add one), as
// SaveProvider will; the edit form asks first. A refusal is audited.
func (s *Service) MayEdit(ctx context.Context, userID, id int64) error {
	var owner *int32
	if id != 0 {
		if p, err := db.New(s.pool).ProviderGet(ctx, id); err == nil {
			owner = p.OwnerLaID
		}
	}
	_, _, err := s.providerAccess(ctx, userID, id, owner)
	return err
}

// providerAccess is the decision on a provider: see SaveProvider. It returns the
// provider as it is and the councils a change touches.
func (s *Service) providerAccess(ctx context.Context, userID, id int64, newOwner *int32) (db.Provider, []int32, error) {
	mine := s.authz.Councils(userID, authz.Placement, authz.Manage)
	touched := mine
	var old db.Provider
	if id != 0 {
		var err error
		old, err = db.New(s.pool).ProviderGet(ctx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			if aerr := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "update", Entity: "provider",
				EntityID: strconv.FormatInt(id, 10), Outcome: audit.NotFound}); aerr != nil {
				return old, nil, aerr
			}
			return old, nil, children.ErrNotFound
		}
		if err != nil {
			return old, nil, fmt.Errorf("provider %d: %w", id, err)
		}
		if old.OwnerLaID != nil {
			touched = []int32{*old.OwnerLaID}
		}
	}
	if newOwner != nil && (old.OwnerLaID == nil || *newOwner != *old.OwnerLaID) {
		touched = append(slices.Clone(touched), *newOwner)
	}
	refuse := func(why string) error {
		if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: map[bool]string{true: "create", false: "update"}[id == 0],
			Entity: "provider", EntityID: strconv.FormatInt(id, 10), Outcome: audit.Denied, Detail: map[string]any{"reason": why}}, touched, nil); err != nil {
			return err
		}
		return children.ErrForbidden
	}
	switch {
	case len(mine) == 0:
		return old, touched, refuse("does not manage placements in any council")
	case old.OwnerLaID != nil && !slices.Contains(mine, *old.OwnerLaID):
		return old, touched, refuse("another council's own provision")
	case newOwner != nil && !slices.Contains(mine, *newOwner):
		if id != 0 {
			return old, touched, refuse("would give the provider to another council")
		}
		return old, touched, valid.Errorf("owner", "you can only record your own council's provision")
	}
	return old, touched, nil
}

// ProviderOwner returns the council whose own provision a provider is, for
// recording a refused request against it.
func (s *Service) ProviderOwner(ctx context.Context, id int64) (int32, bool) {
	p, err := db.New(s.pool).ProviderGet(ctx, id)
	if err != nil || p.OwnerLaID == nil {
		return 0, false
	}
	return *p.OwnerLaID, true
}

// ProviderNames maps providers to their names, to label figures that already
// carry a provider's id (the price comparison). A provider's name is public
// (Ofsted's register), not a child's record, so no permission is asked.
func (s *Service) ProviderNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := db.New(s.pool).ProviderNames(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("provider names: %w", err)
	}
	names := make(map[int64]string, len(rows))
	for _, p := range rows {
		names[p.ProviderID] = p.Name
	}
	return names, nil
}
