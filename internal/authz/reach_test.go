package authz_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// TestReach: the councils a user's requests may see in the database are those
// of their roles, an RCC's members for an RCC role, every council for a
// system-wide role, and none without a role.
func TestReach(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := setup(t)
	var rcc int32
	if err := f.pool.QueryRow(ctx, "SELECT rcc_id FROM regional_cooperatives WHERE code = 'gm'").Scan(&rcc); err != nil {
		t.Fatal(err)
	}
	for _, la := range []int32{f.la, f.la2} {
		if err := db.New(f.pool).RCCMembershipInsert(ctx, db.RCCMembershipInsertParams{RccID: rcc, LaID: la,
			ValidFrom: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		user    int64
		wantAll bool
		want    []int32
	}{
		{f.users[authz.SocialWorker], false, []int32{352}},
		{f.users[authz.Auditor], false, []int32{352}},
		{f.users[authz.RCCAnalyst], false, []int32{352, 355}},
		{f.users[authz.SystemAdmin], true, nil},
		{999_999, false, nil},
	}
	for _, tt := range tests {
		got, err := f.az.Reach(ctx, tt.user)
		if err != nil {
			t.Fatal(err)
		}
		if got.All() != tt.wantAll || !slices.Equal(got.IDs(), tt.want) {
			t.Errorf("Reach(user %d) = all %v, %v; want all %v, %v", tt.user, got.All(), got.IDs(), tt.wantAll, tt.want)
		}
	}
}
