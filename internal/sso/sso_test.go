package sso_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sso"
)

// tampered is a provider's user whose ID token is changed before signing:
// the provider really signs it, so only Hearth's checks can refuse it.
type tampered struct {
	*mockoidc.MockUser
	edit func(*mockoidc.IDTokenClaims)
}

func (u tampered) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.edit != nil {
		u.edit(c)
	}
	return u.MockUser.Claims(scope, c)
}

type fixture struct {
	pool *pgxpool.Pool
	svc  *sso.Service
	au   *auth.Service
	idp  map[int32]*mockoidc.MockOIDC
}

var key = []byte("0123456789abcdef0123456789abcdef")

const manchesterWorker = "social.worker@manchester.demo.hearth.test"

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 3, Children: 30, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	au := auth.New(pool, auth.Settings{})
	au.Now = dbtest.Clock(asOf.Add(10 * time.Hour))
	f := &fixture{pool: pool, svc: sso.New(pool, az, au, key), au: au, idp: map[int32]*mockoidc.MockOIDC{}}
	var sys int64
	if err := pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'system.admin@demo.hearth.test'").Scan(&sys); err != nil {
		t.Fatal(err)
	}
	// Two councils, each with its own provider (its own tenant).
	for _, la := range []int32{352, 355} {
		m, err := mockoidc.Run()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.Shutdown() })
		f.idp[la] = m
		if err := f.svc.Configure(ctx, sys, la, m.Issuer(), m.ClientID, m.ClientSecret); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

const redirect = "https://hearth.example/signin/council/352/callback"

// signIn runs the whole flow against council la's provider as the user:
// Begin, the provider's authorize endpoint (the browser's part), Finish.
func (f *fixture) signIn(t *testing.T, la int32, u mockoidc.User, mangle func(*sso.Start, url.Values)) (string, error) {
	t.Helper()
	ctx := context.Background()
	to, st, err := f.svc.Begin(ctx, la, redirect)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"code_challenge=", "code_challenge_method=S256", "nonce=", "state="} {
		if !strings.Contains(to, want) {
			t.Errorf("authorisation URL lacks %s: %s", want, to)
		}
	}
	f.idp[la].QueueUser(u)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("provider answered %d, %v", res.StatusCode, err)
	}
	q := back.Query()
	if mangle != nil {
		mangle(&st, q)
	}
	token, _, err := f.svc.Finish(ctx, st, la, q.Get("state"), q.Get("code"), redirect, "192.0.2.1")
	return token, err
}

func user(email string, edit func(*mockoidc.IDTokenClaims)) mockoidc.User {
	return tampered{MockUser: &mockoidc.MockUser{Subject: "sub-" + strings.ToLower(email), Email: email, EmailVerified: true}, edit: edit}
}

// person is a provider's user with a given subject and, for Entra ID, an oid.
type person struct {
	tampered
	oid string
}

func (p person) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	cl, err := p.tampered.Claims(scope, c)
	if err != nil || p.oid == "" {
		return cl, err
	}
	b, err := json.Marshal(cl)
	if err != nil {
		return nil, err
	}
	m := jwt.MapClaims{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["oid"] = p.oid
	return m, nil
}

func who(subject, email, oid string, verified bool) mockoidc.User {
	return person{tampered: tampered{MockUser: &mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: verified}}, oid: oid}
}

// TestSignInBindsTheSubject: the first sign-in binds the account to the
// person's id at the provider (Entra's oid, else sub); after that the id
// decides, not the email address, so an address handed to someone else does
// not open the account, and a renamed address still does.
func TestSignInBindsTheSubject(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	var worker, manager int64
	if err := f.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = $1", manchesterWorker).Scan(&worker); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'team.manager@manchester.demo.hearth.test'").Scan(&manager); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		user   mockoidc.User
		reason string // "" for signed in as the worker
	}{
		{"first sign-in binds the oid", who("app-sub-1", manchesterWorker, "oid-ann", true), ""},
		{"same oid, another application's sub", who("app-sub-2", manchesterWorker, "oid-ann", true), ""},
		{"address given to someone else", who("app-sub-3", manchesterWorker, "oid-newcomer", true), "bound_to_another"},
		{"address renamed at the council", who("app-sub-1", "ann.renamed@manchester.example", "oid-ann", true), ""},
		{"no oid: sub is not the bound id", who("oid-ann-not", manchesterWorker, "", true), "bound_to_another"},
	}
	for _, st := range steps {
		before := countRefusals(t, f.pool, 352)
		token, err := f.signIn(t, 352, st.user, nil)
		if st.reason == "" {
			if err != nil {
				t.Fatalf("%s: refused: %v", st.name, err)
			}
			if u, err := f.au.Session(ctx, token); err != nil || u.UserID != worker {
				t.Fatalf("%s: session of user %d, %v; want %d", st.name, u.UserID, err, worker)
			}
			continue
		}
		var r *sso.Refusal
		if !errors.As(err, &r) || r.Reason != st.reason || token != "" {
			t.Fatalf("%s: %v (token %q); want refused for %s", st.name, err, token, st.reason)
		}
		if countRefusals(t, f.pool, 352) != before+1 {
			t.Errorf("%s: refusal not audited against the council", st.name)
		}
	}
	// Only the council's administrators (or the command line) unbind.
	if err := f.svc.Unbind(ctx, manager, 352, worker); !errors.Is(err, sso.ErrNotYourCouncil) {
		t.Fatalf("a team manager unbound a worker: %v", err)
	}
	if err := f.svc.Unbind(ctx, 0, 352, worker); err != nil {
		t.Fatal(err)
	}
	if _, err := f.signIn(t, 352, who("app-sub-9", manchesterWorker, "oid-remade", true), nil); err != nil {
		t.Errorf("after unbinding, the remade identity was refused: %v", err)
	}
	var denied, done int
	actx := postgres.WithCouncils(ctx, postgres.AllCouncils())
	if err := f.pool.QueryRow(actx, `SELECT count(*) FILTER (WHERE outcome = 'denied'), count(*) FILTER (WHERE outcome <> 'denied')
		FROM audit_events WHERE la_id = 352 AND action = 'unbind'`).Scan(&denied, &done); err != nil || denied != 1 || done != 1 {
		t.Errorf("unbind audit: %d denied, %d done (%v); want 1 and 1", denied, done, err)
	}
}

func TestCouncilSignIn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if _, err := f.pool.Exec(ctx, "UPDATE users SET disabled_at = '2026-03-01' WHERE email = 'team.manager@manchester.demo.hearth.test'"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		la     int32
		user   mockoidc.User
		mangle func(*sso.Start, url.Values)
		reason string // "" for success
	}{
		{"success", 352, user(manchesterWorker, nil), nil, ""},
		{"email in another case", 352, user(strings.ToUpper(manchesterWorker), nil), nil, ""},
		{"wrong audience", 352, user(manchesterWorker, func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-app"} }), nil, "id_token"},
		{"expired token", 352, user(manchesterWorker, func(c *mockoidc.IDTokenClaims) {
			// Long expired on any day the suite runs: no wall clock in the test.
			c.IssuedAt = jwt.NewNumericDate(time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC))
			c.NotBefore = c.IssuedAt
			c.ExpiresAt = jwt.NewNumericDate(time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC))
		}), nil, "id_token"},
		{"bad nonce", 352, user(manchesterWorker, func(c *mockoidc.IDTokenClaims) { c.Nonce = "replayed-from-elsewhere" }), nil, "nonce"},
		{"state from another browser", 352, user(manchesterWorker, nil), func(_ *sso.Start, q url.Values) { q.Set("state", "forged") }, "state"},
		{"wrong PKCE verifier", 352, user(manchesterWorker, nil), func(st *sso.Start, _ url.Values) { st.Verifier = "x" + st.Verifier[1:] }, "code_exchange"},
		{"unknown user", 352, user("someone.else@manchester.example", nil), nil, "unknown"},
		{"email not verified", 352, tampered{MockUser: &mockoidc.MockUser{Subject: "s", Email: manchesterWorker, EmailVerified: false}}, nil, "email_not_verified"},
		{"disabled user", 352, user("team.manager@manchester.demo.hearth.test", nil), nil, "disabled"},
		{"another council's issuer", 355, user(manchesterWorker, nil), nil, "not_this_council"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := countRefusals(t, f.pool, tc.la)
			token, err := f.signIn(t, tc.la, tc.user, tc.mangle)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				u, err := f.au.Session(ctx, token)
				if err != nil || u.Email != manchesterWorker {
					t.Errorf("session is %s, %v", u.Email, err)
				}
				return
			}
			var r *sso.Refusal
			if !errors.As(err, &r) || !errors.Is(err, sso.ErrRefused) {
				t.Fatalf("err = %v; want a refusal for %s", err, tc.reason)
			}
			if r.Reason != tc.reason {
				t.Errorf("reason = %s; want %s", r.Reason, tc.reason)
			}
			if token != "" {
				t.Error("a refused sign-in returned a session")
			}
			if countRefusals(t, f.pool, tc.la) != before+1 {
				t.Errorf("refusal not audited against council %d", tc.la)
			}
		})
	}
	// Nobody was given an account.
	var n int
	if err := f.pool.QueryRow(ctx, "SELECT count(*) FROM users WHERE email = 'someone.else@manchester.example'").Scan(&n); err != nil || n != 0 {
		t.Errorf("unknown user got an account (%d, %v)", n, err)
	}
}

func countRefusals(t *testing.T, pool *pgxpool.Pool, la int32) int {
	t.Helper()
	var n int
	ctx := postgres.WithCouncils(context.Background(), postgres.AllCouncils())
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE la_id = $1 AND action = 'signin_sso' AND outcome = 'denied'", la).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSecretIsSealed(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := postgres.WithCouncils(context.Background(), postgres.AllCouncils())
	var sealed []byte
	if err := f.pool.QueryRow(ctx, "SELECT secret_sealed FROM council_idps WHERE la_id = 352").Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), f.idp[352].ClientSecret) {
		t.Error("the client secret is stored as it is")
	}
	// Moved to another council's row, it does not open: sign-in there fails.
	if _, err := f.pool.Exec(ctx, "UPDATE council_idps SET secret_sealed = $1 WHERE la_id = 355", sealed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Begin(context.Background(), 355, redirect); err == nil || !strings.Contains(err.Error(), "does not open") {
		t.Errorf("a secret moved to another council opened: %v", err)
	}
	// Without the key nothing is configured.
	bare := sso.New(f.pool, nil, f.au, nil)
	if _, _, err := bare.Begin(context.Background(), 352, redirect); !errors.Is(err, sso.ErrNoKey) {
		t.Errorf("without HEARTH_SECRET_KEY: %v", err)
	}
}
