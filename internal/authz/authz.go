// Package authz decides what each user may do, with casbin. It is the only
// package that imports casbin.
//
// Permissions (role → resource, action) come from policies/policy.csv; who holds
// which role where comes from Hearth's role_assignments table, loaded at start
// and again whenever it changes (PostgreSQL NOTIFY on hearth_grants). Only
// grants in force (valid_from ≤ now < valid_to) of accounts that are not
// disabled count.
//
// Two layers decide. A route checks that the user holds the permission
// somewhere (AllowedAnywhere), a cheap first gate. The domain services then
// decide on the object itself: AllowedOn with the object's council and whether
// it is on the user's caseload, and Scope for lists. Both work role by role: a
// permission given to a caseload role (one without child read_all) reaches only
// the user's caseload, even when another role the user holds in the same
// council may read every child.
package authz

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/policies"
)

// Role is a job a person does in a council, an RCC or the whole system.
type Role string

// Roles, as in docs/security.md.
const (
	SocialWorker Role = "social_worker"
	TeamManager  Role = "team_manager"
	Commissioner Role = "commissioner"
	CourtOfficer Role = "court_officer"
	LAAnalyst    Role = "la_analyst"
	LAAdmin      Role = "la_admin"
	RCCAnalyst   Role = "rcc_analyst"
	// RCCDataOfficer may download the pooled row-level extract.
	RCCDataOfficer Role = "rcc_data_officer"
	SystemAdmin    Role = "system_admin"
	Auditor        Role = "auditor"
)

// Roles lists every role.
var Roles = []Role{SocialWorker, TeamManager, Commissioner, CourtOfficer, LAAnalyst, LAAdmin, RCCAnalyst, RCCDataOfficer, SystemAdmin, Auditor}

// Resource is a kind of thing a permission is about.
type Resource string

// Resources.
const (
	Account     Resource = "account"
	Child       Resource = "child"
	Needs       Resource = "needs"
	User        Resource = "user"
	Instrument  Resource = "instrument"
	Council     Resource = "council"
	Audit       Resource = "audit"
	Placement   Resource = "placement"   // placements, providers, costs and the returns they come from
	Proceedings Resource = "proceedings" // care proceedings, hearings, experts and the cost of delay
	Region      Resource = "region"      // de-identified regional figures under disclosure control
	Forecast    Resource = "forecast"    // forecasts of demand, cost and sufficiency, and saved scenarios
)

// Resources lists every resource.
var Resources = []Resource{Account, Child, Needs, User, Instrument, Council, Audit, Placement, Proceedings, Region, Forecast}

// Action is what is done to a resource.
type Action string

// Actions.
const (
	Read     Action = "read"
	ReadAll  Action = "read_all"
	Update   Action = "update"
	Write    Action = "write"
	Approve  Action = "approve"
	Allocate Action = "allocate"
	Export   Action = "export"
	Manage   Action = "manage"
	Import   Action = "import"
)

// Actions lists every action.
var Actions = []Action{Read, ReadAll, Update, Write, Approve, Allocate, Export, Manage, Import}

// Domain is where a role is held: "la:352", "rcc:1" or "system".
type Domain string

// SystemDomain is the whole service.
const SystemDomain Domain = "system"

// CouncilDomain is the domain of one council (by DfE LA code).
func CouncilDomain(laID int32) Domain { return Domain("la:" + strconv.Itoa(int(laID))) }

// RCCDomain is the domain of one regional care cooperative.
func RCCDomain(rccID int32) Domain { return Domain("rcc:" + strconv.Itoa(int(rccID))) }

// Grant is one role held by one user in one domain.
type Grant struct {
	Role   Role
	Domain Domain
	LAID   int32 // set for council grants
	RCCID  int32 // set for RCC grants
}

// Authorizer answers "may this user do this here?".
type Authorizer struct {
	enforcer *casbin.SyncedEnforcer
	pool     *pgxpool.Pool
	log      *slog.Logger

	perms map[Role]map[perm]bool // the policy, role by role

	// Now is the clock that decides which grants are in force.
	Now func() time.Time

	mu       sync.RWMutex
	grants   map[int64][]Grant
	councils []int32 // every council, for system-wide roles

	gen atomic.Uint64 // counts reloads, so callers can cache decisions until the next
}

type perm struct {
	res Resource
	act Action
}

// New loads the embedded model and policy and the grants in the database.
func New(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (*Authorizer, error) {
	rules, err := ParsePolicy(policies.Policy)
	if err != nil {
		return nil, err
	}
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	a := &Authorizer{pool: pool, log: log, grants: map[int64][]Grant{}, perms: map[Role]map[perm]bool{}, Now: time.Now}
	for _, r := range rules {
		if a.perms[r.Role] == nil {
			a.perms[r.Role] = map[perm]bool{}
		}
		a.perms[r.Role][perm{r.Resource, r.Action}] = true
	}
	e, err := casbin.NewSyncedEnforcer(m, &adapter{rules: rules, a: a})
	if err != nil {
		return nil, fmt.Errorf("casbin: %w", err)
	}
	a.enforcer = e
	if err := a.Reload(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Reload reads the grants again from the database.
func (a *Authorizer) Reload(ctx context.Context) error {
	q := db.New(a.pool)
	rows, err := q.RoleListAll(ctx, a.Now())
	if err != nil {
		return fmt.Errorf("load role assignments: %w", err)
	}
	las, err := q.LocalAuthorityList(ctx)
	if err != nil {
		return fmt.Errorf("load councils: %w", err)
	}
	grants := map[int64][]Grant{}
	for _, r := range rows {
		g := Grant{Role: Role(r.Role), Domain: SystemDomain}
		switch {
		case r.LaID != nil:
			g.LAID, g.Domain = *r.LaID, CouncilDomain(*r.LaID)
		case r.RccID != nil:
			g.RCCID, g.Domain = *r.RccID, RCCDomain(*r.RccID)
		}
		grants[r.UserID] = append(grants[r.UserID], g)
	}
	councils := make([]int32, 0, len(las))
	for _, la := range las {
		councils = append(councils, la.LaID)
	}
	slices.Sort(councils)

	a.mu.Lock()
	a.grants, a.councils = grants, councils
	a.mu.Unlock()
	if err := a.enforcer.LoadPolicy(); err != nil {
		return fmt.Errorf("casbin load: %w", err)
	}
	a.gen.Add(1)
	return nil
}

// Generation changes whenever grants or the policy are reloaded: a decision
// cached with the generation it was made in holds while the generation does.
func (a *Authorizer) Generation() uint64 { return a.gen.Load() }

// Listen reloads grants whenever the database announces a change, until ctx ends.
// It also reloads every minute, in case a notification was missed and so that
// grants dated to start or end later take effect.
func (a *Authorizer) Listen(ctx context.Context) {
	for ctx.Err() == nil {
		if err := a.listenOnce(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("authz: grant listener failed; retrying", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		}
	}
}

func (a *Authorizer) listenOnce(ctx context.Context) error {
	// Its own connection, not one of the pool's: a listener holds its
	// connection for ever, and in a small pool that was a quarter of the
	// connections pages could use (issue 19).
	conn, err := pgx.ConnectConfig(ctx, a.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN hearth_grants"); err != nil {
		return err
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if err := a.Reload(ctx); err != nil {
			return err
		}
	}
}

// Grants returns the roles a user holds.
func (a *Authorizer) Grants(userID int64) []Grant {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Clone(a.grants[userID])
}

// Allowed reports whether the user may act on the resource in the domain.
func (a *Authorizer) Allowed(userID int64, dom Domain, res Resource, act Action) bool {
	ok, err := a.enforcer.Enforce(subject(userID), string(dom), string(res), string(act))
	if err != nil {
		a.log.Error("authz: enforce", "err", err)
		return false
	}
	return ok
}

// AllowedAnywhere reports whether the user holds the permission in any domain;
// routes check this, and SQL scoping then limits the rows.
func (a *Authorizer) AllowedAnywhere(userID int64, res Resource, act Action) bool {
	for _, g := range a.Grants(userID) {
		if a.Allowed(userID, g.Domain, res, act) {
			return true
		}
	}
	return false
}

// Councils lists the councils in which the user holds the permission.
func (a *Authorizer) Councils(userID int64, res Resource, act Action) []int32 {
	var out []int32
	for _, g := range a.Grants(userID) {
		switch {
		case g.Domain == SystemDomain && a.Allowed(userID, SystemDomain, res, act):
			a.mu.RLock()
			out = append(out, a.councils...)
			a.mu.RUnlock()
		case g.LAID != 0 && a.Allowed(userID, g.Domain, res, act):
			out = append(out, g.LAID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RCCs lists the regional care cooperatives in which the user holds the permission.
func (a *Authorizer) RCCs(userID int64, res Resource, act Action) []int32 {
	var out []int32
	for _, g := range a.Grants(userID) {
		if g.RCCID != 0 && a.Allowed(userID, g.Domain, res, act) {
			out = append(out, g.RCCID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RoleAllows reports whether the policy gives the role the permission.
func (a *Authorizer) RoleAllows(role Role, res Resource, act Action) bool {
	return a.perms[role][perm{res, act}]
}

// CaseloadOnly reports whether a role sees only the children allocated to the
// person holding it: every role without child read_all.
func (a *Authorizer) CaseloadOnly(role Role) bool { return !a.RoleAllows(role, Child, ReadAll) }

// Object is a council's record as authorisation sees it: the council that owns
// it and whether it is on the user's caseload (for a case, whether one of its
// children is).
type Object struct {
	LAID      int32
	Allocated bool
}

// AllowedOn decides on one object: some grant the user holds in the object's
// council (or system-wide) gives the permission, and if that role is a caseload
// role, the object is on the user's caseload. Holding a read-all role does not
// widen a permission that only a caseload role gives.
func (a *Authorizer) AllowedOn(userID int64, obj Object, res Resource, act Action) bool {
	if obj.LAID == 0 {
		return false
	}
	dom := CouncilDomain(obj.LAID)
	for _, g := range a.Grants(userID) {
		if g.Domain != dom && g.Domain != SystemDomain {
			continue
		}
		if !a.RoleAllows(g.Role, res, act) {
			continue
		}
		if !a.CaseloadOnly(g.Role) || obj.Allocated {
			return true
		}
	}
	return false
}

// Scope is which rows of a council-owned resource a user may see: everything in
// the All councils, and in the Own councils only what is allocated to them.
type Scope struct {
	UserID int64
	All    []int32
	Own    []int32
}

// Empty reports whether the scope lets the user see nothing at all.
func (s Scope) Empty() bool { return len(s.All) == 0 && len(s.Own) == 0 }

// Includes reports whether the user may see some of the council's rows.
func (s Scope) Includes(laID int32) bool {
	return slices.Contains(s.All, laID) || slices.Contains(s.Own, laID)
}

// ChildScope works out which children a user may read.
func (a *Authorizer) ChildScope(userID int64) Scope { return a.Scope(userID, Child, Read) }

// Scope works out, role by role, where the user holds a permission on children's
// records: councils where a role with the permission also reads every child go
// in All; councils where only caseload roles give it go in Own.
func (a *Authorizer) Scope(userID int64, res Resource, act Action) Scope {
	all, own := map[int32]bool{}, map[int32]bool{}
	a.mu.RLock()
	every := a.councils
	a.mu.RUnlock()
	for _, g := range a.Grants(userID) {
		if !a.RoleAllows(g.Role, res, act) {
			continue
		}
		las := []int32{g.LAID}
		switch {
		case g.Domain == SystemDomain:
			las = every
		case g.LAID == 0:
			continue // an RCC grant reaches no council's children
		}
		for _, la := range las {
			if a.CaseloadOnly(g.Role) {
				own[la] = true
			} else {
				all[la] = true
			}
		}
	}
	sc := Scope{UserID: userID}
	for la := range all {
		sc.All = append(sc.All, la)
	}
	for la := range own {
		if !all[la] {
			sc.Own = append(sc.Own, la)
		}
	}
	slices.Sort(sc.All)
	slices.Sort(sc.Own)
	return sc
}

func subject(userID int64) string { return "u:" + strconv.FormatInt(userID, 10) }

// Rule is one permission line of the policy.
type Rule struct {
	Role     Role
	Resource Resource
	Action   Action
}

// ParsePolicy reads policy lines, refusing (not skipping) any it does not
// understand, so a typo fails start-up instead of silently removing a permission.
func ParsePolicy(text string) ([]Rule, error) {
	var rules []Rule
	var errs []error
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) != 4 || f[0] != "p" {
			errs = append(errs, fmt.Errorf("policy line %d: want \"p, role, resource, action\", got %q", n, line))
			continue
		}
		r := Rule{Role(f[1]), Resource(f[2]), Action(f[3])}
		switch {
		case !slices.Contains(Roles, r.Role):
			errs = append(errs, fmt.Errorf("policy line %d: unknown role %q", n, f[1]))
		case !slices.Contains(Resources, r.Resource):
			errs = append(errs, fmt.Errorf("policy line %d: unknown resource %q", n, f[2]))
		case !slices.Contains(Actions, r.Action):
			errs = append(errs, fmt.Errorf("policy line %d: unknown action %q", n, f[3]))
		default:
			rules = append(rules, r)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rules, nil
}

// adapter feeds casbin the embedded permissions and the database's grants.
// Grants are changed through Hearth's own tables, never through casbin.
type adapter struct {
	rules []Rule
	a     *Authorizer
}

func (ad *adapter) LoadPolicy(m model.Model) error {
	for _, r := range ad.rules {
		if err := persist.LoadPolicyArray([]string{"p", string(r.Role), string(r.Resource), string(r.Action)}, m); err != nil {
			return err
		}
	}
	ad.a.mu.RLock()
	defer ad.a.mu.RUnlock()
	for uid, gs := range ad.a.grants {
		for _, g := range gs {
			if err := persist.LoadPolicyArray([]string{"g", subject(uid), string(g.Role), string(g.Domain)}, m); err != nil {
				return err
			}
		}
	}
	return nil
}

var errReadOnly = errors.New("authz: grants change through role_assignments, not casbin")

func (ad *adapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (ad *adapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (ad *adapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (ad *adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
