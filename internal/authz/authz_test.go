package authz_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/policies"
)

// allowed is the whole permission matrix of docs/security.md. Anything not
// listed must be refused; the test checks every role × resource × action.
var allowed = map[authz.Role][]string{
	authz.SocialWorker:   {"account:read", "child:read", "child:update", "needs:read", "needs:write", "needs:export", "placement:read", "placement:write", "proceedings:read"},
	authz.TeamManager:    {"account:read", "child:read", "child:read_all", "child:update", "child:allocate", "needs:read", "needs:write", "needs:approve", "needs:export", "placement:read", "placement:write", "proceedings:read"},
	authz.Commissioner:   {"account:read", "child:read", "child:read_all", "needs:read", "placement:read", "placement:write", "placement:export", "placement:import", "placement:manage", "proceedings:read", "proceedings:export", "region:read", "forecast:read", "forecast:export", "forecast:write"},
	authz.CourtOfficer:   {"account:read", "child:read", "child:read_all", "needs:read", "placement:read", "proceedings:read", "proceedings:write", "proceedings:export"},
	authz.LAAnalyst:      {"account:read", "child:read", "child:read_all", "child:export", "needs:read", "needs:export", "placement:read", "placement:export", "placement:import", "proceedings:read", "proceedings:export", "region:read", "forecast:read", "forecast:export", "forecast:write"},
	authz.LAAdmin:        {"account:read", "user:manage", "instrument:manage", "council:manage"},
	authz.RCCAnalyst:     {"account:read", "region:read"},
	authz.RCCDataOfficer: {"account:read", "region:read", "region:export"},
	authz.SystemAdmin:    {"account:read", "user:manage", "instrument:manage", "council:manage"},
	authz.Auditor:        {"account:read", "audit:read"},
}

// since is when the fixture's grants start: a pinned date in the past.
var since = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)

type fixture struct {
	pool    *pgxpool.Pool
	az      *authz.Authorizer
	users   map[authz.Role]int64
	la, la2 int32
}

// setup gives each role to one user in council 352 (RCC roles in RCC 1; the
// system admin system-wide) and a social worker in council 355.
func setup(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	q := db.New(pool)
	for _, la := range []db.LocalAuthorityUpsertParams{{LaID: 352, OnsCode: "E08000003", Name: "Manchester"}, {LaID: 355, OnsCode: "E08000006", Name: "Salford"}} {
		if err := q.LocalAuthorityUpsert(ctx, la); err != nil {
			t.Fatal(err)
		}
	}
	rcc, err := q.RCCUpsert(ctx, db.RCCUpsertParams{Code: "gm", Name: "GM"})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{pool: pool, users: map[authz.Role]int64{}, la: 352, la2: 355}
	for _, r := range authz.Roles {
		u, err := q.UserInsert(ctx, db.UserInsertParams{Email: string(r) + "@example.org", DisplayName: string(r)})
		if err != nil {
			t.Fatal(err)
		}
		p := db.RoleGrantParams{UserID: u.UserID, Role: string(r), ValidFrom: since}
		switch r {
		case authz.RCCAnalyst, authz.RCCDataOfficer:
			p.RccID = &rcc.RccID
		case authz.SystemAdmin:
		default:
			p.LaID = &f.la
		}
		if _, err := q.RoleGrant(ctx, p); err != nil {
			t.Fatal(err)
		}
		f.users[r] = u.UserID
	}
	f.az, err = authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, role := range authz.Roles {
		dom := authz.CouncilDomain(f.la)
		if role == authz.RCCAnalyst || role == authz.RCCDataOfficer {
			dom = authz.RCCDomain(1)
		}
		for _, res := range authz.Resources {
			for _, act := range authz.Actions {
				want := slices.Contains(allowed[role], string(res)+":"+string(act))
				if got := f.az.Allowed(f.users[role], dom, res, act); got != want {
					t.Errorf("Allowed(%s, %s, %s, %s) = %v; want %v", role, dom, res, act, got, want)
				}
			}
		}
	}
}

func TestRolesDoNotCrossCouncils(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := authz.CouncilDomain(f.la2)
	for _, role := range authz.Roles {
		if role == authz.SystemAdmin {
			continue // system-wide by definition
		}
		for _, res := range authz.Resources {
			for _, act := range authz.Actions {
				if f.az.Allowed(f.users[role], other, res, act) {
					t.Errorf("%s of council %d may %s %s in council %d", role, f.la, act, res, f.la2)
				}
			}
		}
	}
	// The system admin's roles reach every council, but never a child's record.
	if !f.az.Allowed(f.users[authz.SystemAdmin], other, authz.User, authz.Manage) {
		t.Errorf("system_admin cannot manage users in council %d", f.la2)
	}
	if f.az.Allowed(f.users[authz.SystemAdmin], other, authz.Child, authz.Read) {
		t.Errorf("system_admin can read children's records")
	}
}

func TestChildScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tests := []struct {
		role     authz.Role
		all, own []int32
	}{
		{authz.SocialWorker, nil, []int32{352}},
		{authz.TeamManager, []int32{352}, nil},
		{authz.Commissioner, []int32{352}, nil},
		{authz.LAAdmin, nil, nil},
		{authz.RCCAnalyst, nil, nil},
		{authz.SystemAdmin, nil, nil},
		{authz.Auditor, nil, nil},
	}
	for _, tt := range tests {
		sc := f.az.ChildScope(f.users[tt.role])
		if !slices.Equal(sc.All, tt.all) || !slices.Equal(sc.Own, tt.own) {
			t.Errorf("ChildScope(%s) = all %v own %v; want all %v own %v", tt.role, sc.All, sc.Own, tt.all, tt.own)
		}
	}
}

func TestGrantChangesReachTheEnforcer(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	sw := f.users[authz.SocialWorker]
	if f.az.Allowed(sw, authz.CouncilDomain(f.la), authz.Needs, authz.Approve) {
		t.Fatal("social worker may approve before being made a team manager")
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go f.az.Listen(lctx)
	// Grants change in the table (as `hearth user grant` does from another
	// process); the NOTIFY trigger makes the running enforcer reload.
	deadline := time.Now().Add(10 * time.Second)
	for !f.az.Allowed(sw, authz.CouncilDomain(f.la), authz.Needs, authz.Approve) {
		if time.Now().After(deadline) {
			t.Fatal("a new grant did not reach the enforcer within 10s")
		}
		// Re-granting is idempotent; repeat in case the listener was not yet listening.
		if _, err := db.New(f.pool).RoleGrant(ctx, db.RoleGrantParams{UserID: sw, Role: "team_manager", LaID: &f.la, ValidFrom: since}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := db.New(f.pool).RoleRevoke(ctx, db.RoleRevokeParams{UserID: sw, Role: "team_manager", LaID: &f.la, ValidTo: since.AddDate(0, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	for f.az.Allowed(sw, authz.CouncilDomain(f.la), authz.Needs, authz.Approve) {
		if time.Now().After(deadline) {
			t.Fatal("a revoked grant still applies after 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestParsePolicyRefusesMalformedLines(t *testing.T) {
	t.Parallel()
	tests := []struct{ line, want string }{
		{"p, social_worker, child", "want \"p, role, resource, action\""},
		{"p, social_wroker, child, read", "unknown role"},
		{"p, social_worker, kid, read", "unknown resource"},
		{"p, social_worker, child, raed", "unknown action"},
		{"g, u:1, social_worker, la:352", "want \"p, role, resource, action\""},
	}
	for _, tt := range tests {
		_, err := authz.ParsePolicy("# ok\np, auditor, audit, read\n" + tt.line + "\n")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("ParsePolicy(%q) error = %v; want it to name line 3 and say %q", tt.line, err, tt.want)
		}
	}
	if _, err := authz.ParsePolicy(policies.Policy); err != nil {
		t.Errorf("the shipped policy does not parse: %v", err)
	}
}

// TestAllowedOnKeepsCaseloadPerRole: a social worker who is also a court
// officer in the same council reads every child (court officer), but the write
// permissions only social_worker gives stay on their caseload.
func TestAllowedOnKeepsCaseloadPerRole(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	sw := f.users[authz.SocialWorker]
	if _, err := db.New(f.pool).RoleGrant(ctx, db.RoleGrantParams{UserID: sw, Role: "court_officer", LaID: &f.la, ValidFrom: since}); err != nil {
		t.Fatal(err)
	}
	if err := f.az.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	own, other, elsewhere := authz.Object{LAID: f.la, Allocated: true}, authz.Object{LAID: f.la}, authz.Object{LAID: f.la2}
	tests := []struct {
		obj  authz.Object
		res  authz.Resource
		act  authz.Action
		want bool
	}{
		{own, authz.Needs, authz.Write, true},
		{other, authz.Needs, authz.Write, false},
		{other, authz.Placement, authz.Write, false},
		{other, authz.Child, authz.Update, false},
		{other, authz.Needs, authz.Export, false},
		{other, authz.Needs, authz.Read, true},        // court_officer reads all
		{other, authz.Proceedings, authz.Write, true}, // court_officer's own permission
		{elsewhere, authz.Needs, authz.Read, false},
		{elsewhere, authz.Proceedings, authz.Read, false},
	}
	for _, tt := range tests {
		if got := f.az.AllowedOn(sw, tt.obj, tt.res, tt.act); got != tt.want {
			t.Errorf("AllowedOn(sw+court_officer, %+v, %s, %s) = %v; want %v", tt.obj, tt.res, tt.act, got, tt.want)
		}
	}
	if sc := f.az.Scope(sw, authz.Needs, authz.Write); len(sc.All) != 0 || !slices.Equal(sc.Own, []int32{f.la}) {
		t.Errorf("Scope(needs write) = %+v; want only the caseload of %d", sc, f.la)
	}
	if sc := f.az.Scope(sw, authz.Needs, authz.Read); !slices.Equal(sc.All, []int32{f.la}) || len(sc.Own) != 0 {
		t.Errorf("Scope(needs read) = %+v; want all of %d", sc, f.la)
	}
}

// TestOnlyGrantsInForceCount: a grant counts only between valid_from and valid_to.
func TestOnlyGrantsInForceCount(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	sw := f.users[authz.SocialWorker]
	start := since.AddDate(0, 2, 0)
	if _, err := db.New(f.pool).RoleGrant(ctx, db.RoleGrantParams{UserID: sw, Role: "team_manager", LaID: &f.la, ValidFrom: start}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.New(f.pool).RoleRevoke(ctx, db.RoleRevokeParams{UserID: sw, Role: "team_manager", LaID: &f.la, ValidTo: start.AddDate(0, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		on   time.Time
		want bool
	}{{start.AddDate(0, 0, -1), false}, {start, true}, {start.AddDate(0, 0, 20), true}, {start.AddDate(0, 1, 0), false}} {
		f.az.Now = func() time.Time { return tt.on }
		if err := f.az.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.az.Allowed(sw, authz.CouncilDomain(f.la), authz.Needs, authz.Approve); got != tt.want {
			t.Errorf("on %s: may approve = %v; want %v", tt.on.Format(time.DateOnly), got, tt.want)
		}
	}
}
