// Package sso signs staff in through their council's identity provider
// (OpenID Connect; in practice the council's Microsoft Entra ID tenant): the
// authorisation code flow with PKCE, state and nonce, and a GET callback.
//
// One issuer per council, set by a system administrator. Someone the issuer
// vouches for gets a session only if all of these hold:
//   - the ID token verifies: signed by the issuer's keys, issued by that
//     issuer, for this council's client ID (audience), not expired, and
//     carrying the nonce this browser's sign-in started with;
//   - it carries an email address the issuer says is verified (email_verified,
//     or Entra ID's xms_edov, "email domain owner verified");
//   - a Hearth account with that email exists (an administrator made it:
//     signing in never makes an account), is not disabled, and holds a role
//     in this council now. So a second council's issuer cannot sign in the
//     first council's staff.
//
// Every refusal is audited against the council. Accounts signed in this way
// rely on the council's identity provider for their second factor.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/oauth2"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors the flow ends in.
var (
	// ErrNotConfigured: the council has no identity provider set up.
	ErrNotConfigured = errors.New("this council does not sign in through its own identity provider")
	// ErrRefused is the one answer to every refused sign-in; the reason goes
	// to the audit trail (Refusal).
	ErrRefused   = errors.New("your council's sign-in worked, but Hearth cannot sign you in: ask your council's Hearth administrator to check your account")
	ErrForbidden = errors.New("only a system administrator sets a council's identity provider")
	ErrNoKey     = sealing.ErrNoKey
	// ErrNotYourCouncil: only the council's administrators change how its staff sign in.
	ErrNotYourCouncil = errors.New("you do not administer that council")
)

// Refusal is a refused sign-in with its reason for the audit trail.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string        { return ErrRefused.Error() + " (" + r.Reason + ")" }
func (r *Refusal) Is(target error) bool { return target == ErrRefused }

// Service runs council sign-in.
type Service struct {
	pool *pgxpool.Pool
	az   *authz.Authorizer
	auth *auth.Service
	key  sealing.Key
	// Now is the clock tokens are checked against: the identity provider's
	// time, the real one, not the application's business date.
	Now func() time.Time
}

// New returns a Service; key seals client secrets (nil: none can be saved).
func New(pool *pgxpool.Pool, az *authz.Authorizer, au *auth.Service, key sealing.Key) *Service {
	return &Service{pool: pool, az: az, auth: au, key: key, Now: time.Now}
}

// scoped reads and writes one council's settings: council_idps is under
// row-level security and sign-in happens before anyone is known.
func scoped(ctx context.Context, la int32) context.Context {
	return postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
}

// Settings is a council's identity provider, without its secret.
type Settings struct {
	LAID      int32
	Issuer    string
	ClientID  string
	UpdatedAt time.Time
}

// List returns every council's settings, for the system administrator.
func (s *Service) List(ctx context.Context, actor int64) (map[int32]Settings, error) {
	if !s.may(actor) {
		return nil, ErrForbidden
	}
	rows, err := db.New(s.pool).CouncilIdPList(postgres.WithCouncils(ctx, postgres.AllCouncils()))
	if err != nil {
		return nil, fmt.Errorf("identity providers: %w", err)
	}
	out := map[int32]Settings{}
	for _, r := range rows {
		out[r.LaID] = Settings{LAID: r.LaID, Issuer: r.Issuer, ClientID: r.ClientID, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

func (s *Service) may(actor int64) bool {
	return s.az.Allowed(actor, authz.SystemDomain, authz.Council, authz.Manage)
}

// Configure sets a council's issuer, client ID and client secret. A blank
// secret keeps the one saved. The issuer is checked by fetching its discovery
// document, so a typo is caught here and not at the first sign-in.
func (s *Service) Configure(ctx context.Context, actor int64, la int32, issuer, clientID, secret string) error {
	if !s.may(actor) {
		if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: actor, Action: "update", Entity: "council_idp", EntityID: strconv.Itoa(int(la)),
			Outcome: audit.Denied}, append(s.az.Councils(actor, authz.Account, authz.Read), la), nil); err != nil {
			return err
		}
		return ErrForbidden
	}
	var ps valid.Problems
	issuer, clientID = strings.TrimSpace(issuer), strings.TrimSpace(clientID)
	if u, err := url.Parse(issuer); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		ps.Add("issuer", "Enter the issuer URL, like https://login.microsoftonline.com/<tenant ID>/v2.0")
	}
	if clientID == "" {
		ps.Add("client_id", "Enter the application (client) ID from the council's app registration")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if len(s.key) != 32 {
		return ErrNoKey
	}
	ctx = scoped(ctx, la)
	q := db.New(s.pool)
	var sealed []byte
	var err error
	if secret == "" {
		old, err := q.CouncilIdPGet(ctx, la)
		if errors.Is(err, pgx.ErrNoRows) {
			return valid.Errorf("client_secret", "Enter the client secret from the council's app registration")
		}
		if err != nil {
			return err
		}
		sealed = old.SecretSealed
	} else if sealed, err = s.seal(la, secret); err != nil {
		return err
	}
	if _, err := oidc.NewProvider(ctx, issuer); err != nil {
		return valid.Errorf("issuer", "Hearth could not read the issuer's OpenID configuration (%s/.well-known/openid-configuration): %v", strings.TrimSuffix(issuer, "/"), err)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.New(tx).CouncilIdPPut(ctx, db.CouncilIdPPutParams{LaID: la, Issuer: issuer, ClientID: clientID, SecretSealed: sealed,
			UpdatedAt: s.Now(), UpdatedBy: &actor}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: actor, LAID: la, Action: "update", Entity: "council_idp", EntityID: strconv.Itoa(int(la)),
			Detail: map[string]any{"issuer": issuer, "client_id": clientID, "secret_changed": secret != ""}})
	})
}

// seal encrypts a client secret under HEARTH_SECRET_KEY; the council's
// number is bound in, so a sealed secret copied to another council's row
// does not open.
func (s *Service) seal(la int32, secret string) ([]byte, error) {
	return s.key.Seal("council_idp:"+strconv.Itoa(int(la)), []byte(secret))
}

func (s *Service) open(la int32, sealed []byte) (string, error) {
	b, err := s.key.Open("council_idp:"+strconv.Itoa(int(la)), sealed)
	return string(b), err
}

// flow is a council's OAuth 2 configuration and ID token verifier.
type flow struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (s *Service) flow(ctx context.Context, la int32, redirectURL string) (flow, error) {
	ctx = scoped(ctx, la)
	c, err := db.New(s.pool).CouncilIdPGet(ctx, la)
	if errors.Is(err, pgx.ErrNoRows) {
		return flow{}, ErrNotConfigured
	}
	if err != nil {
		return flow{}, fmt.Errorf("identity provider of council %d: %w", la, err)
	}
	secret, err := s.open(la, c.SecretSealed)
	if err != nil {
		return flow{}, err
	}
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return flow{}, fmt.Errorf("identity provider of council %d: %w", la, err)
	}
	return flow{
		oauth: oauth2.Config{ClientID: c.ClientID, ClientSecret: secret, Endpoint: p.Endpoint(), RedirectURL: redirectURL,
			Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: p.VerifierContext(ctx, &oidc.Config{ClientID: c.ClientID, Now: s.Now}),
	}, nil
}

// Start is what a browser keeps between leaving for the identity provider
// and coming back: in a short-lived, HttpOnly cookie, never in the URL.
type Start struct {
	LAID     int32
	State    string
	Nonce    string
	Verifier string // PKCE code verifier
}

// Begin starts a sign-in for a council: the address to send the browser to,
// and what to keep for the callback.
func (s *Service) Begin(ctx context.Context, la int32, redirectURL string) (string, Start, error) {
	f, err := s.flow(ctx, la, redirectURL)
	if err != nil {
		return "", Start{}, err
	}
	st := Start{LAID: la, State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	return f.oauth.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)), st, nil
}

// Finish completes a sign-in from the callback's state and code: it checks
// the state against the one this browser started with, exchanges the code
// (with the PKCE verifier), verifies the ID token and its nonce, matches the
// account and starts a session. It returns the session token.
func (s *Service) Finish(ctx context.Context, st Start, la int32, state, code, redirectURL, source string) (string, db.User, error) {
	refuse := func(reason string, u db.User, detail map[string]any) (string, db.User, error) {
		if detail == nil {
			detail = map[string]any{}
		}
		detail["reason"], detail["source"] = reason, source
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: u.UserID, LAID: la, Action: "signin_sso", Entity: "user", Outcome: audit.Denied,
			EntityID: u.Email, Detail: detail}); err != nil {
			return "", db.User{}, err
		}
		return "", u, &Refusal{Reason: reason}
	}
	if st.LAID != la || st.State == "" || state != st.State {
		return refuse("state", db.User{}, nil)
	}
	f, err := s.flow(ctx, la, redirectURL)
	if err != nil {
		return "", db.User{}, err
	}
	tok, err := f.oauth.Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return refuse("code_exchange", db.User{}, map[string]any{"error": err.Error()})
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return refuse("no_id_token", db.User{}, nil)
	}
	idt, err := f.verifier.Verify(ctx, raw)
	if err != nil {
		return refuse("id_token", db.User{}, map[string]any{"error": err.Error()})
	}
	if idt.Nonce != st.Nonce {
		return refuse("nonce", db.User{}, nil)
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		EDOV          *bool  `json:"xms_edov"` // Entra ID: the email's domain is verified by the tenant
		OID           string `json:"oid"`
	}
	if err := idt.Claims(&claims); err != nil {
		return refuse("claims", db.User{}, map[string]any{"error": err.Error()})
	}
	// Entra ID's oid is the person's id across the tenant's applications; sub
	// is per application. Either is stable where an email address is not.
	subject := claims.OID
	if subject == "" {
		subject = idt.Subject
	}
	u, bind, reason, detail, err := s.account(ctx, la, idt.Issuer, subject, claims.Email,
		claims.EmailVerified != nil && *claims.EmailVerified || claims.EDOV != nil && *claims.EDOV)
	if err != nil {
		return "", db.User{}, err
	}
	if reason != "" {
		return refuse(reason, u, detail)
	}
	if u.DisabledAt != nil {
		return refuse("disabled", u, nil)
	}
	// Some role in this council now, as authorisation sees the grants: an
	// issuer vouches only for its own council's staff.
	if !s.az.AllowedOn(u.UserID, authz.Object{LAID: la, Allocated: true}, authz.Account, authz.Read) {
		return refuse("not_this_council", u, nil)
	}
	if reason, err := s.bind(ctx, la, idt.Issuer, subject, u.UserID, bind); err != nil {
		return "", db.User{}, err
	} else if reason != "" {
		return refuse(reason, u, map[string]any{"subject": subject})
	}
	session, err := s.auth.StartSession(ctx, u)
	if errors.Is(err, auth.ErrDisabled) {
		return refuse("disabled", u, nil)
	}
	if err != nil {
		return "", db.User{}, err
	}
	if err := audit.Record(ctx, s.pool, audit.Event{UserID: u.UserID, LAID: la, Action: "signin_sso", Entity: "user", EntityID: u.Email,
		Detail: map[string]any{"issuer": idt.Issuer, "subject": subject, "bound": bind, "source": source}}); err != nil {
		return "", db.User{}, err
	}
	return session, u, nil
}

// account finds who a verified ID token is: the account bound to the
// issuer's subject, or — the first time — the account with the token's
// verified email, unless that account is already bound to another subject of
// the same issuer. bind says the binding is still to be made. A non-empty
// reason is a refusal.
func (s *Service) account(ctx context.Context, la int32, issuer, subject, email string, verified bool) (u db.User, bind bool, reason string, detail map[string]any, err error) {
	q := db.New(s.pool)
	sctx := scoped(ctx, la)
	id, err := q.IdentityBySubject(sctx, db.IdentityBySubjectParams{LaID: la, Issuer: issuer, Subject: subject})
	if err == nil {
		u, err = q.UserGet(ctx, id.UserID)
		return u, false, "", nil, err
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return u, false, "", nil, fmt.Errorf("sso: %w", err)
	}
	if email == "" || !verified {
		return u, false, "email_not_verified", map[string]any{"subject": subject}, nil
	}
	email = auth.NormaliseEmail(email)
	u, err = q.UserGetByEmail(ctx, email)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, false, "unknown", map[string]any{"email": email}, nil
	}
	if err != nil {
		return u, false, "", nil, fmt.Errorf("sso: %w", err)
	}
	other, err := q.IdentityOfUser(sctx, db.IdentityOfUserParams{LaID: la, Issuer: issuer, UserID: u.UserID})
	if err == nil {
		// The address now belongs to someone else at the council.
		return u, false, "bound_to_another", map[string]any{"subject": subject, "bound_subject": other.Subject}, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return u, false, "", nil, fmt.Errorf("sso: %w", err)
	}
	return u, true, "", nil, nil
}

// bind records the account's subject at the issuer (first sign-in) or when
// it was last seen. Two first sign-ins racing each other: the loser finds the
// binding made and is refused unless it is the same one.
func (s *Service) bind(ctx context.Context, la int32, issuer, subject string, userID int64, first bool) (string, error) {
	q := db.New(s.pool)
	sctx := scoped(ctx, la)
	now := s.Now()
	if !first {
		return "", q.IdentitySeen(sctx, db.IdentitySeenParams{At: now, LaID: la, Issuer: issuer, Subject: subject})
	}
	n, err := q.IdentityBind(sctx, db.IdentityBindParams{LaID: la, Issuer: issuer, Subject: subject, UserID: userID, At: now})
	if err != nil {
		return "", fmt.Errorf("sso: %w", err)
	}
	if n == 1 {
		return "", nil
	}
	id, err := q.IdentityBySubject(sctx, db.IdentityBySubjectParams{LaID: la, Issuer: issuer, Subject: subject})
	if err == nil && id.UserID == userID {
		return "", nil
	}
	return "bound_to_another", nil
}

// Unbind forgets how a person signs in at their council's identity provider,
// so the next sign-in binds afresh by verified email: for a person whose
// account at the council's identity provider was remade. Actor 0 is the
// command line; otherwise administrators of that council and system
// administrators only. Audited either way.
func (s *Service) Unbind(ctx context.Context, actor int64, la int32, userID int64) error {
	if actor != 0 && !s.az.AllowedOn(actor, authz.Object{LAID: la}, authz.Council, authz.Manage) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: actor, LAID: la, Action: "unbind", Entity: "user_identity",
			EntityID: strconv.FormatInt(userID, 10), Outcome: audit.Denied}); err != nil {
			return err
		}
		return ErrNotYourCouncil
	}
	return pgx.BeginFunc(scoped(ctx, la), s.pool, func(tx pgx.Tx) error {
		n, err := db.New(tx).IdentityUnbind(scoped(ctx, la), db.IdentityUnbindParams{LaID: la, UserID: userID})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: actor, LAID: la, Action: "unbind", Entity: "user_identity",
			EntityID: strconv.FormatInt(userID, 10), Detail: map[string]any{"removed": n}})
	})
}

// Councils lists the councils whose staff may sign in through their own
// identity provider, for the sign-in page (public: names only).
func (s *Service) Councils(ctx context.Context) ([]db.LocalAuthority, error) {
	rows, err := db.New(s.pool).CouncilIdPList(postgres.WithCouncils(ctx, postgres.AllCouncils()))
	if err != nil {
		return nil, err
	}
	las, err := db.New(s.pool).LocalAuthorityList(ctx)
	if err != nil {
		return nil, err
	}
	has := map[int32]bool{}
	for _, r := range rows {
		has[r.LaID] = true
	}
	var out []db.LocalAuthority
	for _, la := range las {
		if has[la.LaID] {
			out = append(out, la)
		}
	}
	return out, nil
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
