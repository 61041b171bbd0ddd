package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
)

func TestUserAdministration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := db.New(pool).LocalAuthorityUpsert(ctx, db.LocalAuthorityUpsertParams{LaID: 352, OnsCode: "E08000003", Name: "Manchester"}); err != nil {
		t.Fatal(err)
	}
	a := auth.New(pool, auth.Settings{})
	if _, err := a.CreateUser(ctx, " Ann.Worker@Example.org ", "Ann Worker", "a long enough password", "Team 1"); err != nil {
		t.Fatal(err)
	}
	// Bad input: every problem named at once.
	_, err := a.CreateUser(ctx, "not-an-email", " ", "short", "")
	for _, want := range []string{"email:", "name:", "password:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CreateUser(bad) = %v; want it to name %s", err, want)
		}
	}
	if _, err := a.CreateUser(ctx, "ann.worker@example.org", "Ann again", "another long password", ""); err == nil || !strings.Contains(err.Error(), "already has an account") {
		t.Errorf("duplicate email: %v", err)
	}

	tests := []struct {
		name  string
		role  authz.Role
		scope auth.Scope
		want  string // "" = accepted
	}{
		{"council role in a council", authz.SocialWorker, auth.Scope{CouncilONS: "e08000003"}, ""},
		{"unknown council", authz.SocialWorker, auth.Scope{CouncilONS: "E09999999"}, "no council"},
		{"council role system-wide", authz.TeamManager, auth.Scope{System: true}, "held in a council"},
		{"system admin in a council", authz.SystemAdmin, auth.Scope{CouncilONS: "E08000003"}, "system-wide"},
		{"two scopes", authz.Auditor, auth.Scope{CouncilONS: "E08000003", System: true}, "exactly one"},
		{"no such role", authz.Role("superuser"), auth.Scope{System: true}, "not a role"},
		{"no such rcc", authz.RCCAnalyst, auth.Scope{RCCID: 99}, "no regional care cooperative"},
	}
	for _, tt := range tests {
		err := a.Grant(ctx, "ann.worker@example.org", tt.role, tt.scope)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: Grant = %v; want %q", tt.name, err, tt.want)
		}
	}
	if err := a.Revoke(ctx, "ann.worker@example.org", authz.SocialWorker, auth.Scope{CouncilONS: "E08000003"}); err != nil {
		t.Errorf("revoke: %v", err)
	}
	if err := a.Revoke(ctx, "ann.worker@example.org", authz.SocialWorker, auth.Scope{CouncilONS: "E08000003"}); err == nil {
		t.Error("revoking a role the user does not hold succeeded")
	}

	token, err := a.NewAPIToken(ctx, "ANN.WORKER@example.org")
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.Token(ctx, token)
	if err != nil || u.Email != "ann.worker@example.org" {
		t.Errorf("Token = %v, %v", u.Email, err)
	}
	// Only a hash of the token is stored.
	var stored int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM api_tokens WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'", token[4:20]).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the token is stored in clear (%d, %v)", stored, err)
	}
}
