// Package auth owns who a request is from: local accounts with argon2id
// passwords, server-side sessions in PostgreSQL, bearer tokens for the API, and
// the slow-down and lock-out after repeated failed sign-ins.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
)

// Errors a sign-in or session check can end in.
var (
	// ErrSignInFailed is the one answer to every refused sign-in (unknown email,
	// closed or locked account, wrong password), so the answer tells nobody
	// which accounts exist. The reason is kept for the audit trail (SignInError).
	ErrSignInFailed = errors.New("sign-in failed: the email or password is not right, or the account cannot sign in at the moment")
	ErrDisabled     = errors.New("account disabled")
	ErrNoSession    = errors.New("not signed in, or the session has expired")
	ErrNotFound     = errors.New("not found")
)

// SignInError is a refused sign-in. Its text is always ErrSignInFailed's; Reason
// (unknown, disabled, no_password, wrong_password, throttled) is for the audit.
type SignInError struct{ Reason string }

func (e *SignInError) Error() string        { return ErrSignInFailed.Error() }
func (e *SignInError) Is(target error) bool { return target == ErrSignInFailed }

// Settings tune sessions and lock-out.
type Settings struct {
	SessionIdle time.Duration // a session ends after this long unused
	SessionMax  time.Duration // and after this long in any case
	TokenTTL    time.Duration // bearer tokens last this long
	SlowAfter   int           // failed sign-ins before answers slow down
	LockAfter   int           // failed sign-ins in a row before the account is blocked
	LockFor     time.Duration // how long; the count restarts when the block ends
	SourceAfter int           // failed sign-ins from one address before it is blocked
	SourceBlock time.Duration // first block of an address; doubles with each further failure
	SourceMax   time.Duration // longest block of an address
	Quiet       time.Duration // an address with no failure for this long starts afresh
}

// DefaultSettings are used where a setting is zero.
var DefaultSettings = Settings{SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, TokenTTL: 90 * 24 * time.Hour,
	SlowAfter: 3, LockAfter: 5, LockFor: 15 * time.Minute,
	SourceAfter: 20, SourceBlock: time.Minute, SourceMax: time.Hour, Quiet: 24 * time.Hour}

// Service signs people in and out.
type Service struct {
	pool *pgxpool.Pool
	q    *db.Queries
	set  Settings
	// Now and Sleep are the clock; tests replace them.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration)
}

// New returns a Service.
func New(pool *pgxpool.Pool, set Settings) *Service {
	d := DefaultSettings
	if set.SessionIdle == 0 {
		set.SessionIdle = d.SessionIdle
	}
	if set.SessionMax == 0 {
		set.SessionMax = d.SessionMax
	}
	if set.TokenTTL == 0 {
		set.TokenTTL = d.TokenTTL
	}
	if set.SlowAfter == 0 {
		set.SlowAfter = d.SlowAfter
	}
	if set.LockAfter == 0 {
		set.LockAfter = d.LockAfter
	}
	if set.LockFor == 0 {
		set.LockFor = d.LockFor
	}
	if set.SourceAfter == 0 {
		set.SourceAfter = d.SourceAfter
	}
	if set.SourceBlock == 0 {
		set.SourceBlock = d.SourceBlock
	}
	if set.SourceMax == 0 {
		set.SourceMax = d.SourceMax
	}
	if set.Quiet == 0 {
		set.Quiet = d.Quiet
	}
	return &Service{pool: pool, q: db.New(pool), set: set, Now: time.Now, Sleep: sleep}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// Settings returns the service's settings.
func (s *Service) Settings() Settings { return s.set }

// SignIn checks an email and password from a source address and starts a
// session, returning its token.
//
// Every refusal answers the same (ErrSignInFailed) after the same work: one
// password hash check (against a dummy hash when there is no account or no
// password) and the same slow-down, so neither the text nor the timing tells
// whether an account exists, is closed or is locked. Failures are counted per
// email address (known or not) and per source address; see throttle.go.
func (s *Service) SignIn(ctx context.Context, email, password, source string) (string, db.User, error) {
	email = NormaliseEmail(email)
	now := s.Now()
	keys := []string{emailKey(email), sourceKey(source)}
	blocked, failures, err := s.blocked(ctx, now, keys)
	if err != nil {
		return "", db.User{}, fmt.Errorf("sign in: %w", err)
	}
	u, err := s.q.UserGetByEmail(ctx, email)
	known := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", db.User{}, fmt.Errorf("sign in: %w", err)
	}
	hash := dummyHash
	if known && u.PasswordHash != nil {
		hash = *u.PasswordHash
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return "", u, fmt.Errorf("sign in: %w", err)
	}
	reason := ""
	switch {
	case blocked:
		reason = "throttled" // not counted: waiting out a block is the point
	case !known:
		reason = "unknown"
	case u.DisabledAt != nil:
		reason = "disabled"
	case u.PasswordHash == nil:
		reason = "no_password"
	case !ok:
		reason = "wrong_password"
	}
	if reason != "" {
		if !blocked {
			if failures, err = s.countFailure(ctx, now, keys[0], keys[1]); err != nil {
				return "", u, fmt.Errorf("sign in: %w", err)
			}
		}
		if failures > s.set.SlowAfter {
			s.Sleep(ctx, s.Delay(failures))
		}
		return "", u, &SignInError{Reason: reason}
	}
	// Success clears the account's count, never the source's: an attacker
	// signing in to their own account must not reset the address they spray from.
	if err := s.q.ThrottleClear(ctx, keys[0]); err != nil {
		return "", u, fmt.Errorf("sign in: %w", err)
	}
	if err := s.q.UserRecordSignin(ctx, db.UserRecordSigninParams{UserID: u.UserID, At: &now}); err != nil {
		return "", u, fmt.Errorf("sign in: %w", err)
	}
	token := newToken()
	err = s.q.SessionInsert(ctx, db.SessionInsertParams{TokenHash: hashToken(token), UserID: u.UserID,
		CreatedAt: now, ExpiresAt: now.Add(s.set.SessionMax)})
	if err != nil {
		return "", u, fmt.Errorf("sign in: %w", err)
	}
	return token, u, nil
}

// Delay is how long a sign-in answer waits after the nth failure in a row:
// doubling from half a second once past SlowAfter, up to 8 seconds.
func (s *Service) Delay(failures int) time.Duration {
	n := failures - s.set.SlowAfter
	if n <= 0 {
		return 0
	}
	d := 500 * time.Millisecond << min(n-1, 4)
	return d
}

// Session returns the user of a live session, ending it if it has expired.
func (s *Service) Session(ctx context.Context, token string) (db.User, error) {
	if token == "" {
		return db.User{}, ErrNoSession
	}
	h := hashToken(token)
	sess, err := s.q.SessionGet(ctx, h)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.User{}, ErrNoSession
	}
	if err != nil {
		return db.User{}, fmt.Errorf("session: %w", err)
	}
	now := s.Now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.set.SessionIdle {
		_ = s.q.SessionDelete(ctx, h)
		return db.User{}, ErrNoSession
	}
	u, err := s.activeUser(ctx, sess.UserID)
	if err != nil {
		return db.User{}, err
	}
	// Writing on every request would be a write per page view; a minute's
	// precision is plenty for a 30-minute idle limit.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.q.SessionTouch(ctx, db.SessionTouchParams{TokenHash: h, LastSeenAt: now}); err != nil {
			return db.User{}, fmt.Errorf("session: %w", err)
		}
	}
	return u, nil
}

// SignOut ends a session: the row goes, so the token is dead at once.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.q.SessionDelete(ctx, hashToken(token))
}

// Token returns the user of a live bearer token.
func (s *Service) Token(ctx context.Context, token string) (db.User, error) {
	h := hashToken(token)
	t, err := s.q.APITokenGet(ctx, h)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.User{}, ErrNoSession
	}
	if err != nil {
		return db.User{}, fmt.Errorf("token: %w", err)
	}
	now := s.Now()
	if now.After(t.ExpiresAt) || t.RevokedAt != nil {
		return db.User{}, ErrNoSession
	}
	u, err := s.activeUser(ctx, t.UserID)
	if err != nil {
		return db.User{}, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.q.APITokenTouch(ctx, db.APITokenTouchParams{TokenHash: h, LastUsedAt: &now}); err != nil {
			return db.User{}, fmt.Errorf("token: %w", err)
		}
	}
	return u, nil
}

func (s *Service) activeUser(ctx context.Context, userID int64) (db.User, error) {
	u, err := s.q.UserGet(ctx, userID)
	if err != nil {
		return db.User{}, fmt.Errorf("session user: %w", err)
	}
	if u.DisabledAt != nil {
		return db.User{}, ErrDisabled
	}
	return u, nil
}

// NewAPIToken issues a bearer token for the user with this email.
func (s *Service) NewAPIToken(ctx context.Context, email string) (string, error) {
	return s.NewLabelledToken(ctx, email, "")
}

// NewLabelledToken issues a bearer token with a label saying what it is for.
func (s *Service) NewLabelledToken(ctx context.Context, email, label string) (string, error) {
	u, err := s.q.UserGetByEmail(ctx, NormaliseEmail(email))
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("user %q: %w", email, ErrNotFound)
	}
	if err != nil {
		return "", err
	}
	token := "hth_" + newToken()
	if u.DisabledAt != nil {
		return "", fmt.Errorf("user %q: %w", email, ErrDisabled)
	}
	if _, err := s.q.APITokenInsert(ctx, db.APITokenInsertParams{TokenHash: hashToken(token), UserID: u.UserID,
		ExpiresAt: s.Now().Add(s.set.TokenTTL), Label: label}); err != nil {
		return "", fmt.Errorf("issue token: %w", err)
	}
	return token, nil
}

// CreateUser adds a local account. The password may be empty for accounts that
// will sign in through the council's identity provider.
func (s *Service) CreateUser(ctx context.Context, email, name, password, team string) (db.User, error) {
	var problems []string
	email = NormaliseEmail(email)
	if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
		problems = append(problems, fmt.Sprintf("email: %q is not an email address", email))
	}
	if strings.TrimSpace(name) == "" {
		problems = append(problems, "name: enter the person's name")
	}
	var hash *string
	if password != "" {
		if err := ValidatePassword(password); err != nil {
			problems = append(problems, "password: "+err.Error())
		}
		h := HashPassword(password)
		hash = &h
	}
	if len(problems) > 0 {
		return db.User{}, fmt.Errorf("create user: %s", strings.Join(problems, "; "))
	}
	u, err := s.q.UserInsert(ctx, db.UserInsertParams{Email: email, DisplayName: strings.TrimSpace(name), PasswordHash: hash, Team: team})
	if postgres.IsUniqueViolation(err) {
		return db.User{}, fmt.Errorf("create user: email: %s already has an account", email)
	}
	if err != nil {
		return db.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// Scope is where a grant applies: one council (by ONS code), one RCC, or the system.
type Scope struct {
	CouncilONS string
	RCCID      int32
	System     bool
}

// Grant gives a user a role in a scope from now; Revoke ends it now. Revoking
// keeps the grant as history (valid_to), so past access stays answerable.
func (s *Service) Grant(ctx context.Context, email string, role authz.Role, sc Scope) error {
	return s.changeGrant(ctx, email, role, sc, true)
}

// Revoke ends a role the user holds in the scope.
func (s *Service) Revoke(ctx context.Context, email string, role authz.Role, sc Scope) error {
	return s.changeGrant(ctx, email, role, sc, false)
}

func (s *Service) changeGrant(ctx context.Context, email string, role authz.Role, sc Scope, grant bool) error {
	now := s.Now()
	valid := false
	for _, r := range authz.Roles {
		valid = valid || r == role
	}
	if !valid {
		return fmt.Errorf("role: %q is not a role (one of %v)", role, authz.Roles)
	}
	n := 0
	for _, set := range []bool{sc.CouncilONS != "", sc.RCCID != 0, sc.System} {
		if set {
			n++
		}
	}
	if n != 1 {
		return errors.New("scope: give exactly one of --council, --rcc or --system")
	}
	u, err := s.q.UserGetByEmail(ctx, NormaliseEmail(email))
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("email: no user %q", email)
	}
	if err != nil {
		return err
	}
	var laID, rccID *int32
	switch {
	case sc.CouncilONS != "":
		la, err := s.q.LocalAuthorityGetByONS(ctx, strings.ToUpper(sc.CouncilONS))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("council: no council with ONS code %q", sc.CouncilONS)
		}
		if err != nil {
			return err
		}
		laID = &la.LaID
	case sc.RCCID != 0:
		if _, err := s.q.RCCGet(ctx, sc.RCCID); errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("rcc: no regional care cooperative %d", sc.RCCID)
		} else if err != nil {
			return err
		}
		rccID = &sc.RCCID
	}
	if err := scopeFits(role, laID != nil, rccID != nil); err != nil {
		return err
	}
	detail := map[string]any{"role": role, "la_id": laID, "rcc_id": rccID}
	if grant {
		n, err := s.q.RoleGrant(ctx, db.RoleGrantParams{UserID: u.UserID, Role: string(role), LaID: laID, RccID: rccID, ValidFrom: now})
		if err != nil || n == 0 {
			return err // granting a role already held changes nothing
		}
		return s.auditUser(ctx, s.pool, 0, u, "grant", detail)
	}
	n64, err := s.q.RoleRevoke(ctx, db.RoleRevokeParams{UserID: u.UserID, Role: string(role), LaID: laID, RccID: rccID, ValidTo: now})
	if err != nil {
		return err
	}
	if n64 == 0 {
		return fmt.Errorf("revoke: %s does not hold %s in that scope", email, role)
	}
	return s.auditUser(ctx, s.pool, 0, u, "revoke", detail)
}

// scopeFits mirrors the table's check, to say in words what is wrong.
func scopeFits(role authz.Role, council, rcc bool) error {
	switch role {
	case authz.RCCAnalyst, authz.RCCDataOfficer:
		if !rcc {
			return fmt.Errorf("scope: %s is held in an RCC (--rcc)", role)
		}
	case authz.SystemAdmin:
		if council || rcc {
			return errors.New("scope: system_admin is held system-wide (--system)")
		}
	case authz.Auditor:
		if rcc {
			return errors.New("scope: auditor is held in a council or system-wide")
		}
	default:
		if !council {
			return fmt.Errorf("scope: %s is held in a council (--council)", role)
		}
	}
	return nil
}

// NormaliseEmail trims and lower-cases an email address.
func NormaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

type userKey struct{}

// WithUser returns a context carrying the signed-in user.
func WithUser(ctx context.Context, u *db.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the signed-in user, or nil.
func UserFrom(ctx context.Context) *db.User {
	u, _ := ctx.Value(userKey{}).(*db.User)
	return u
}

// DeleteExpiredSessions removes sessions past their idle or absolute limit.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := s.Now()
	return s.q.SessionDeleteExpired(ctx, db.SessionDeleteExpiredParams{Now: now, IdleBefore: now.Add(-s.set.SessionIdle)})
}
