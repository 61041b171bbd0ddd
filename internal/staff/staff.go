// Package staff owns the administration of staff accounts on the web: who may
// list, invite, grant and end roles for, disable, unlock and reset the
// password of whom, and the invitation links that set a password. It decides
// on the person acted on (the councils they hold or held a role in), never
// "anywhere", and audits every action and every refusal against those councils.
//
// The rules:
//   - A council administrator (la_admin, user:manage in a council) sees the
//     staff who hold or held a role in their council.
//   - They may grant and end council roles in their council only; never
//     system_admin, a system-wide auditor, or a cooperative's roles.
//   - They may disable, enable, unlock, reset and revoke tokens of a person
//     only when every role the person holds now is in a council they
//     administer: someone who also works for another council, or holds a
//     system or cooperative role, is for that council's administrator or a
//     system administrator.
//   - A system administrator (user:manage system-wide) may do all of it for anyone.
//   - Nobody disables their own account here (a council would lock itself out).
package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors the service ends in.
var (
	ErrForbidden = errors.New("you may not manage this person's account")
	ErrNotFound  = errors.New("no such account")
	// ErrLinkInvalid is the one answer to an unknown, used, superseded or
	// expired link, so a guess learns nothing.
	ErrLinkInvalid = errors.New("this link has expired or has already been used: ask your council's Hearth administrator for a new one")
)

// Purposes of a link.
const (
	Invite = "invite"
	Reset  = "reset"
)

// CouncilRoles are the roles a council administrator may grant in their council.
var CouncilRoles = []authz.Role{authz.SocialWorker, authz.TeamManager, authz.Commissioner, authz.CourtOfficer,
	authz.LAAnalyst, authz.LAAdmin, authz.Auditor}

// SystemRoles are the roles held system-wide; only a system administrator grants them.
var SystemRoles = []authz.Role{authz.SystemAdmin, authz.Auditor}

// Service administers staff accounts.
type Service struct {
	pool *pgxpool.Pool
	q    *db.Queries
	az   *authz.Authorizer
	auth *auth.Service
	// Now is the clock; tests replace it.
	Now func() time.Time
	// LinkTTL is how long an invitation or reset link works.
	LinkTTL time.Duration
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer, au *auth.Service) *Service {
	s := &Service{pool: pool, q: db.New(pool), az: az, auth: au, Now: time.Now, LinkTTL: 7 * 24 * time.Hour}
	if au != nil {
		// Links and locks keep the sign-in clock, so they expire together.
		s.Now = func() time.Time { return au.Now() }
	}
	return s
}

// Member is one row of a council's staff list.
type Member struct {
	UserID     int64
	Email      string
	Name       string
	Team       string
	Roles      []string
	LastSignIn *time.Time
	Status     string // active, invited, locked, disabled
}

// Person is one account as its administrator sees it.
type Person struct {
	User     db.User
	Status   string
	Grants   []db.RoleAssignment
	Tokens   []db.APITokenListByUserRow
	Councils []int32 // every council the person holds or held a role in
	// MayAct: the viewer may disable, enable, unlock, reset and revoke tokens.
	MayAct bool
	// Link is the person's latest invitation or reset link, without its secret.
	Link *db.Invitation
}

func (s *Service) manages(actor int64, la int32) bool {
	return la != 0 && s.az.AllowedOn(actor, authz.Object{LAID: la, Allocated: true}, authz.User, authz.Manage)
}

func (s *Service) system(actor int64) bool {
	return s.az.Allowed(actor, authz.SystemDomain, authz.User, authz.Manage)
}

// Councils lists the councils whose staff the actor administers.
func (s *Service) Councils(ctx context.Context, actor int64) ([]db.LocalAuthority, error) {
	las, err := s.q.LocalAuthorityList(ctx)
	if err != nil {
		return nil, fmt.Errorf("councils: %w", err)
	}
	out := las[:0]
	for _, la := range las {
		if s.manages(actor, la.LaID) {
			out = append(out, la)
		}
	}
	return out, nil
}

// IsSystem reports whether the actor administers every account.
func (s *Service) IsSystem(actor int64) bool { return s.system(actor) }

// List returns the staff of one council.
func (s *Service) List(ctx context.Context, actor int64, la int32) ([]Member, error) {
	if !s.manages(actor, la) {
		return nil, s.refuse(ctx, actor, "list", "", []int32{la}, nil)
	}
	now := s.Now()
	rows, err := s.q.StaffList(ctx, db.StaffListParams{At: now, LaID: &la})
	if err != nil {
		return nil, fmt.Errorf("staff of council %d: %w", la, err)
	}
	out := make([]Member, 0, len(rows))
	for _, r := range rows {
		slices.Sort(r.Roles)
		out = append(out, Member{UserID: r.UserID, Email: r.Email, Name: r.DisplayName, Team: r.Team, Roles: r.Roles,
			LastSignIn: r.LastSigninAt, Status: status(now, r.DisabledAt, r.HasPassword, r.BlockedUntil)})
	}
	return out, nil
}

func status(now time.Time, disabled *time.Time, hasPassword bool, blockedUntil *time.Time) string {
	switch {
	case disabled != nil:
		return "disabled"
	case blockedUntil != nil && now.Before(*blockedUntil):
		return "locked"
	case !hasPassword:
		return "invited"
	}
	return "active"
}

// person loads an account and decides whether the actor may see it.
func (s *Service) person(ctx context.Context, actor, userID int64, action string) (Person, error) {
	u, err := s.q.UserGet(ctx, userID)
	if errors.Is(err, pgx.ErrNoRows) {
		// Refused the same as an account the actor may not see, so the
		// answer does not tell which numbers are accounts.
		return Person{}, s.refuse(ctx, actor, action, strconv.FormatInt(userID, 10), nil, ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("account %d: %w", userID, err)
	}
	gs, err := s.q.RoleListByUser(ctx, userID)
	if err != nil {
		return Person{}, fmt.Errorf("grants of account %d: %w", userID, err)
	}
	p := Person{User: u, Grants: gs}
	now := s.Now()
	sees, acts := s.system(actor), s.system(actor)
	councilOnly := true
	for _, g := range gs {
		open := g.ValidTo == nil || g.ValidTo.After(now)
		switch {
		case g.LaID != nil:
			p.Councils = append(p.Councils, *g.LaID)
			sees = sees || s.manages(actor, *g.LaID)
			if open && !s.manages(actor, *g.LaID) {
				councilOnly = false
			}
		case open:
			councilOnly = false // a system or cooperative role
		}
	}
	slices.Sort(p.Councils)
	p.Councils = slices.Compact(p.Councils)
	p.MayAct = acts || (sees && councilOnly)
	if !sees {
		return Person{}, s.refuse(ctx, actor, action, strconv.FormatInt(userID, 10), p.Councils, ErrNotFound)
	}
	blocked, err := s.q.StaffLockedUntil(ctx, u.Email)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Person{}, fmt.Errorf("lock of account %d: %w", userID, err)
	}
	p.Status = status(now, u.DisabledAt, u.PasswordHash != nil, blocked)
	return p, nil
}

// Gate refuses (and audits) unless the actor may see the account at all: the
// pages ask before reading a form, so nobody learns from a validation message
// about an account they may not touch.
func (s *Service) Gate(ctx context.Context, actor, userID int64) error {
	_, err := s.person(ctx, actor, userID, "open")
	return err
}

// mayAct refuses unless the actor may act on the whole account.
func (s *Service) mayAct(ctx context.Context, actor, userID int64, action string) (Person, error) {
	p, err := s.person(ctx, actor, userID, action)
	if err != nil {
		return p, err
	}
	if !p.MayAct {
		return p, s.refuse(ctx, actor, action, strconv.FormatInt(userID, 10), p.Councils, ErrForbidden)
	}
	return p, nil
}

// Get returns an account, its grant history and its tokens; the view is audited.
func (s *Service) Get(ctx context.Context, actor, userID int64) (Person, error) {
	p, err := s.person(ctx, actor, userID, "view")
	if err != nil {
		return p, err
	}
	if p.Tokens, err = s.q.APITokenListByUser(ctx, userID); err != nil {
		return p, fmt.Errorf("tokens of account %d: %w", userID, err)
	}
	link, err := s.q.InvitationLatest(ctx, userID)
	switch {
	case err == nil:
		p.Link = &link
	case !errors.Is(err, pgx.ErrNoRows):
		return p, fmt.Errorf("links of account %d: %w", userID, err)
	}
	return p, s.record(ctx, s.pool, actor, "view", userID, p.Councils, nil)
}

// refuse audits a refusal against the councils it touched (or the actor's own,
// when it touched none) and returns err (ErrForbidden when nil).
func (s *Service) refuse(ctx context.Context, actor int64, action, id string, las []int32, err error) error {
	if err == nil {
		err = ErrForbidden
	}
	if len(las) == 0 {
		las = s.az.Councils(actor, authz.Account, authz.Read)
	}
	outcome := audit.Denied
	if errors.Is(err, ErrNotFound) {
		outcome = audit.NotFound
	}
	if aerr := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: actor, Action: "staff_" + action, Entity: "user", EntityID: id,
		Outcome: outcome}, las, nil); aerr != nil {
		return fmt.Errorf("audit refusal: %w", aerr)
	}
	return err
}

func (s *Service) record(ctx context.Context, q db.DBTX, actor int64, action string, userID int64, las []int32, detail map[string]any) error {
	return audit.RecordCouncils(ctx, q, audit.Event{UserID: actor, Action: "staff_" + action, Entity: "user",
		EntityID: strconv.FormatInt(userID, 10), Detail: detail}, las, nil)
}

// NewStaff is an invitation to a new member of staff.
type NewStaff struct {
	LAID  int32
	Email string
	Name  string
	Team  string
	Role  string
}

// Invite creates an account with no password and a first role in the
// council, and returns the link's secret: the only copy, for the
// administrator to send. The person sets their own password with it.
func (s *Service) Invite(ctx context.Context, actor int64, in NewStaff) (db.User, string, error) {
	if !s.manages(actor, in.LAID) {
		return db.User{}, "", s.refuse(ctx, actor, "invite", "", []int32{in.LAID}, nil)
	}
	var ps valid.Problems
	email := auth.NormaliseEmail(in.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email, "@") {
		ps.Add("email", "Enter an email address in the right format, like name@council.gov.uk")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		ps.Add("name", "Enter the person's full name")
	} else if len(name) > 200 {
		ps.Add("name", "The name must be 200 characters or fewer")
	}
	if len(in.Team) > 200 {
		ps.Add("team", "The team must be 200 characters or fewer")
	}
	if !slices.Contains(CouncilRoles, authz.Role(in.Role)) {
		ps.Add("role", "Choose the person's role in the council")
	}
	if err := ps.Err(); err != nil {
		return db.User{}, "", err
	}
	now := s.Now()
	var u db.User
	token := newSecret()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var err error
		u, err = q.UserInsert(ctx, db.UserInsertParams{Email: email, DisplayName: name, Team: strings.TrimSpace(in.Team)})
		if postgres.IsUniqueViolation(err) {
			return valid.Errorf("email", "%s already has a Hearth account: find them in the staff list, or ask a system administrator if they work for another council", email)
		}
		if err != nil {
			return err
		}
		la := in.LAID
		if _, err := q.StaffGrantOpen(ctx, db.StaffGrantOpenParams{UserID: u.UserID, Role: in.Role, LaID: &la, ValidFrom: now, GrantedBy: &actor}); err != nil {
			return err
		}
		if err := s.issue(ctx, q, actor, u.UserID, Invite, token, now); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "invite", u.UserID, []int32{in.LAID}, map[string]any{"role": in.Role, "email": email})
	})
	if err != nil {
		return db.User{}, "", fmt.Errorf("invite: %w", err)
	}
	return u, token, nil
}

func (s *Service) issue(ctx context.Context, q *db.Queries, actor, userID int64, purpose, token string, now time.Time) error {
	if err := q.InvitationSupersede(ctx, db.InvitationSupersedeParams{At: &now, UserID: userID, Purpose: purpose}); err != nil {
		return err
	}
	_, err := q.InvitationInsert(ctx, db.InvitationInsertParams{TokenHash: hashSecret(token), UserID: userID, Purpose: purpose,
		CreatedBy: &actor, CreatedAt: now, ExpiresAt: now.Add(s.LinkTTL)})
	return err
}

// ResetPassword issues a reset link (an invitation-style link) and returns its
// secret. The old password keeps working until the link is used, so a reset
// nobody asked for locks nobody out; ending sessions is what Disable is for.
func (s *Service) ResetPassword(ctx context.Context, actor, userID int64) (string, error) {
	p, err := s.mayAct(ctx, actor, userID, "reset")
	if err != nil {
		return "", err
	}
	if p.User.DisabledAt != nil {
		return "", valid.Errorf("reset", "The account is disabled: enable it first")
	}
	token := newSecret()
	now := s.Now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.issue(ctx, db.New(tx), actor, userID, Reset, token, now); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "reset", userID, p.Councils, nil)
	})
	if err != nil {
		return "", fmt.Errorf("reset password: %w", err)
	}
	return token, nil
}

// Link is a live invitation or reset link, found by its secret.
type Link struct {
	Purpose string
	User    db.User
}

// CheckLink says whose live link this is, without using it.
func (s *Service) CheckLink(ctx context.Context, token string) (Link, error) {
	inv, err := s.q.InvitationPeek(ctx, hashSecret(token))
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return Link{}, ErrLinkInvalid
		}
		return Link{}, fmt.Errorf("link: %w", err)
	}
	return s.live(ctx, s.q, inv)
}

func (s *Service) live(ctx context.Context, q *db.Queries, inv db.Invitation) (Link, error) {
	if inv.UsedAt != nil || inv.SupersededAt != nil || !s.Now().Before(inv.ExpiresAt) {
		return Link{}, ErrLinkInvalid
	}
	u, err := q.UserGet(ctx, inv.UserID)
	if err != nil {
		return Link{}, fmt.Errorf("link: %w", err)
	}
	if u.DisabledAt != nil {
		return Link{}, ErrLinkInvalid
	}
	return Link{Purpose: inv.Purpose, User: u}, nil
}

// UseLink sets the password with a live link, once: the link is spent in the
// same transaction, so a second use (another tab, a replay) is refused. A
// reset also ends the person's sessions, since whoever knew the old password
// may be signed in.
func (s *Service) UseLink(ctx context.Context, token, password, confirm string) (db.User, error) {
	var ps valid.Problems
	if err := auth.ValidatePassword(password); err != nil {
		ps.Add("password", "%s", err.Error())
	}
	if password != confirm {
		ps.Add("confirm", "The two passwords are not the same")
	}
	if err := ps.Err(); err != nil {
		return db.User{}, err
	}
	hash := auth.HashPassword(password)
	now := s.Now()
	var l Link
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		inv, err := q.InvitationGet(ctx, hashSecret(token))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrLinkInvalid
		}
		if err != nil {
			return err
		}
		if l, err = s.live(ctx, q, inv); err != nil {
			return err
		}
		if err := q.InvitationUse(ctx, db.InvitationUseParams{At: &now, InvitationID: inv.InvitationID}); err != nil {
			return err
		}
		if err := q.UserSetPasswordAt(ctx, db.UserSetPasswordAtParams{PasswordHash: &hash, UserID: l.User.UserID}); err != nil {
			return err
		}
		if l.Purpose == Reset {
			if _, err := q.SessionDeleteByUser(ctx, l.User.UserID); err != nil {
				return err
			}
		}
		las, err := councilsOf(ctx, q, l.User.UserID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, l.User.UserID, "link_"+l.Purpose, l.User.UserID, las, nil)
	})
	if err != nil {
		if errors.Is(err, ErrLinkInvalid) {
			return db.User{}, err
		}
		return db.User{}, fmt.Errorf("set password: %w", err)
	}
	return l.User, nil
}

func councilsOf(ctx context.Context, q *db.Queries, userID int64) ([]int32, error) {
	gs, err := q.RoleListByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	var las []int32
	for _, g := range gs {
		if g.LaID != nil {
			las = append(las, *g.LaID)
		}
	}
	return las, nil
}

// NewGrant is a role to give from a date.
type NewGrant struct {
	Role   string
	System bool  // held system-wide
	LAID   int32 // else the council
	From   time.Time
}

// Grant gives the person a role from a date (today or later). A council
// administrator grants council roles in their council only.
func (s *Service) Grant(ctx context.Context, actor, userID int64, g NewGrant) error {
	p, err := s.person(ctx, actor, userID, "grant")
	if err != nil {
		return err
	}
	id := strconv.FormatInt(userID, 10)
	role := authz.Role(g.Role)
	switch {
	case g.System && !slices.Contains(SystemRoles, role), !g.System && !slices.Contains(CouncilRoles, role):
		return valid.Errorf("role", "Choose a role that is held in that scope")
	case g.System && !s.system(actor):
		return s.refuse(ctx, actor, "grant", id, p.Councils, fmt.Errorf("%w: only a system administrator grants system-wide roles", ErrForbidden))
	case !g.System && !s.manages(actor, g.LAID):
		return s.refuse(ctx, actor, "grant", id, append(p.Councils, g.LAID), fmt.Errorf("%w: you do not administer that council", ErrForbidden))
	}
	now := s.Now()
	if g.From.IsZero() {
		g.From = now
	}
	if g.From.Before(today(now)) {
		return valid.Errorf("valid_from", "The start date must be today or later: a grant cannot be back-dated")
	}
	if g.From.Before(now) {
		g.From = now // today: in force at once
	}
	var la *int32
	las := p.Councils
	if !g.System {
		la = &g.LAID
		las = append(las, g.LAID)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := db.New(tx).StaffGrantOpen(ctx, db.StaffGrantOpenParams{UserID: userID, Role: g.Role, LaID: la, ValidFrom: g.From, GrantedBy: &actor})
		if errors.Is(err, pgx.ErrNoRows) {
			return valid.Errorf("role", "%s already holds that role there", p.User.DisplayName)
		}
		if err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "grant", userID, las, map[string]any{"role": g.Role, "la_id": la, "valid_from": g.From})
	})
	if err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	return s.az.Reload(ctx)
}

// EndGrant ends one of the person's grants on a date (today or later); the
// grant stays in the history. Ending a grant already ended changes nothing.
func (s *Service) EndGrant(ctx context.Context, actor, userID, assignmentID int64, on time.Time) error {
	p, err := s.person(ctx, actor, userID, "end_grant")
	if err != nil {
		return err
	}
	id := strconv.FormatInt(userID, 10)
	g, err := s.q.StaffGrantGet(ctx, db.StaffGrantGetParams{AssignmentID: assignmentID, UserID: userID})
	if errors.Is(err, pgx.ErrNoRows) {
		return s.refuse(ctx, actor, "end_grant", id, p.Councils, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("grant %d: %w", assignmentID, err)
	}
	if !s.system(actor) && (g.LaID == nil || !s.manages(actor, *g.LaID)) {
		return s.refuse(ctx, actor, "end_grant", id, p.Councils, fmt.Errorf("%w: that role is not held in a council you administer", ErrForbidden))
	}
	if g.ValidTo != nil {
		return nil
	}
	now := s.Now()
	if on.IsZero() || on.Before(now) {
		if !on.IsZero() && on.Before(today(now)) {
			return valid.Errorf("valid_to", "The end date must be today or later: a grant cannot be ended in the past")
		}
		on = now
	}
	if !on.After(g.ValidFrom) {
		on = g.ValidFrom.Add(time.Microsecond) // a grant that had not started ends before it starts
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := db.New(tx).StaffGrantEnd(ctx, db.StaffGrantEndParams{ValidTo: &on, RevokedBy: &actor, AssignmentID: assignmentID, UserID: userID}); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "end_grant", userID, p.Councils, map[string]any{"role": g.Role, "la_id": g.LaID, "valid_to": on})
	})
	if err != nil {
		return fmt.Errorf("end grant: %w", err)
	}
	return s.az.Reload(ctx)
}

// Disable closes a leaver's account: sessions end and tokens are revoked at once.
func (s *Service) Disable(ctx context.Context, actor, userID int64) error {
	p, err := s.mayAct(ctx, actor, userID, "disable")
	if err != nil {
		return err
	}
	if userID == actor {
		return valid.Errorf("disable", "You cannot disable your own account: ask another administrator")
	}
	if _, err := s.auth.Disable(ctx, actor, p.User.Email); err != nil {
		return err
	}
	return nil
}

// Enable reopens an account; its old sessions and tokens stay dead.
func (s *Service) Enable(ctx context.Context, actor, userID int64) error {
	p, err := s.mayAct(ctx, actor, userID, "enable")
	if err != nil {
		return err
	}
	_, err = s.auth.Enable(ctx, actor, p.User.Email)
	return err
}

// Unlock lifts a lock-out after repeated failed sign-ins at once, instead of
// the person waiting for it to run out.
func (s *Service) Unlock(ctx context.Context, actor, userID int64) error {
	p, err := s.mayAct(ctx, actor, userID, "unlock")
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The account's throttle key (internal/auth/throttle.go); the source
		// address's count stays, so unlocking does not help a sprayer.
		if err := db.New(tx).ThrottleClear(ctx, "email:"+p.User.Email); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "unlock", userID, p.Councils, nil)
	})
}

// RevokeToken ends one of the person's bearer tokens at once.
func (s *Service) RevokeToken(ctx context.Context, actor, userID, tokenID int64) error {
	p, err := s.mayAct(ctx, actor, userID, "revoke_token")
	if err != nil {
		return err
	}
	now := s.Now()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		n, err := db.New(tx).StaffTokenRevoke(ctx, db.StaffTokenRevokeParams{At: &now, TokenID: &tokenID, UserID: userID})
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("token %d: %w", tokenID, ErrNotFound)
		}
		return s.record(ctx, tx, actor, "revoke_token", userID, p.Councils, map[string]any{"token_id": tokenID})
	})
}

// CouncilsOfAccount lists the councils an account holds or held a role in, for
// recording a refusal at the route against the council it touched.
func (s *Service) CouncilsOfAccount(ctx context.Context, userID int64) ([]int32, error) {
	return councilsOf(ctx, s.q, userID)
}

func today(now time.Time) time.Time {
	y, m, d := now.In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, london)
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}
