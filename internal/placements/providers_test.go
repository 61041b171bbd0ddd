package placements_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/valid"
)

// TestProviderStaysWithItsCouncil: a council's own provision is changed only
// by that council's staff, and nobody can hand it to another council. Another
// council's refused attempts and the owner's change are both recorded against
// the owning council, where its auditor looks.
func TestProviderStaysWithItsCouncil(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	manchester := b.id(t, `SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'`)
	salford := b.id(t, `SELECT user_id FROM users WHERE email = 'commissioner@salford.demo.hearth.test'`)
	own, salfordLA := int32(352), int32(355)
	// Two in-house providers of one council may not share a name: the answer
	// names the field.
	if _, err := b.svc.SaveProvider(ctx, manchester, 0, placements.ProviderInput{Name: "Hulme Foster Carers", Kind: "PR1", OwnerLA: &own}); err != nil {
		t.Fatal(err)
	}
	var ve *valid.Error
	if _, err := b.svc.SaveProvider(ctx, manchester, 0, placements.ProviderInput{Name: "hulme foster carers", Kind: "PR1", OwnerLA: &own}); !errors.As(err, &ve) || ve.Problems[0].Field != "name" {
		t.Errorf("a second in-house provider of the same name: %v; want a problem with the name", err)
	}
	p, err := b.svc.SaveProvider(ctx, manchester, 0, placements.ProviderInput{Name: "Manchester Kinship Carers", Kind: "PR1", OwnerLA: &own})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(user int64, name string, owner *int32) error {
		_, err := b.svc.SaveProvider(ctx, user, p.ProviderID, placements.ProviderInput{Name: name, Kind: "PR1", OwnerLA: owner, Version: p.Version})
		return err
	}
	tests := []struct {
		name  string
		user  int64
		owner *int32
	}{
		{"Salford renames Manchester's provider", salford, &own},
		{"Salford takes Manchester's provider", salford, &salfordLA},
		{"Manchester gives its provider to Salford", manchester, &salfordLA},
	}
	for _, tc := range tests {
		if err := edit(tc.user, "Renamed by "+tc.name, tc.owner); !errors.Is(err, children.ErrForbidden) {
			t.Errorf("%s: %v; want refused", tc.name, err)
		}
	}
	var name string
	var owner int32
	if err := b.pool.QueryRow(ctx, `SELECT name, owner_la_id FROM providers WHERE provider_id = $1`, p.ProviderID).Scan(&name, &owner); err != nil {
		t.Fatal(err)
	}
	if name != "Manchester Kinship Carers" || owner != own {
		t.Errorf("after the refusals the provider is %q of council %d", name, owner)
	}
	if err := edit(manchester, "Manchester Foster Carers", &own); err != nil {
		t.Fatalf("the owner renaming its provider: %v", err)
	}
	// What Manchester's auditor sees: every attempt, against Manchester.
	var denied, changed int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE outcome = 'denied' AND user_id = $2),
		count(*) FILTER (WHERE outcome = 'ok' AND action = 'update' AND user_id = $3)
		FROM audit_events WHERE entity = 'provider' AND entity_id = $1 AND la_id = 352`, strconv.FormatInt(p.ProviderID, 10), salford, manchester).Scan(&denied, &changed); err != nil {
		t.Fatal(err)
	}
	if denied != 2 || changed != 1 {
		t.Errorf("Manchester's audit trail has %d refused attempts by Salford and %d changes by Manchester; want 2 and 1", denied, changed)
	}
}
