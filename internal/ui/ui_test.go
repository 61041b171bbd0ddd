package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/ui"
)

type testBundle struct {
	pool  *pgxpool.Pool
	srv   *ui.Server
	ts    *httptest.Server
	auth  *auth.Service
	later atomic.Int64 // how far advance has moved sign-in's clock, in ns
	// sleeps records sign-in slow-downs instead of waiting.
	mu     sync.Mutex
	sleeps []time.Duration
}

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

func setup(t *testing.T) *testBundle { return setupWith(t, false) }

// setupSecure serves with Secure cookies, as in production, for the browser.
func setupSecure(t *testing.T) *testBundle { return setupWith(t, true) }

func itoa(n int64) string { return fmt.Sprint(n) }

func setupWith(t *testing.T, secure bool) *testBundle { return setupOn(t, dbtest.New(t), secure) }

// setupOn loads the demo region into pool and serves it.
func setupOn(t *testing.T, pool *pgxpool.Pool, secure bool) *testBundle {
	t.Helper()
	ctx := context.Background()
	b := &testBundle{pool: pool}
	if err := demo.Load(ctx, b.pool, demo.Generate(demo.Options{Seed: 7, Children: 120, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	az, err := authz.New(ctx, b.pool, log)
	if err != nil {
		t.Fatal(err)
	}
	b.auth = auth.New(b.pool, auth.Settings{LockAfter: 4, SlowAfter: 2})
	// Sign-in's clock is pinned too; tests move it on with advance.
	b.auth.Now = func() time.Time { return asOf.Add(10*time.Hour + time.Duration(b.later.Load())) }
	b.auth.Sleep = func(_ context.Context, d time.Duration) {
		b.mu.Lock()
		b.sleeps = append(b.sleeps, d)
		b.mu.Unlock()
	}
	kids := children.New(b.pool, az)
	kids.Now = func() time.Time { return asOf.Add(10 * time.Hour) }
	nd := needs.New(b.pool, az)
	nd.Now = kids.Now
	pl := placements.New(b.pool, az)
	pl.Now = kids.Now
	pr := proceedings.New(b.pool, az)
	pr.Now = kids.Now
	an := analytics.New(b.pool, az)
	an.Now = kids.Now
	sh := sharing.New(b.pool, az)
	sh.Now = kids.Now
	b.srv, err = ui.New(ui.Deps{Pool: b.pool, Log: log, Auth: b.auth, Authz: az, Children: kids, Needs: nd, Placements: pl, Proceedings: pr, Analytics: an, Sharing: sh,
		Importer: &ssda903.Importer{Pool: b.pool, Authz: az, Log: log}, MaxBody: 64 << 10, SecureCookies: secure,
		SecretKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	b.ts = httptest.NewServer(b.srv.Handler())
	t.Cleanup(b.ts.Close)
	return b
}

// testKey seals the tests' secrets (TOTP, IdP client secrets).
var testKey = sealing.Key("0123456789abcdef0123456789abcdef")

// advance moves sign-in's clock on by d: locks and sessions expire by it.
func (b *testBundle) advance(d time.Duration) { b.later.Add(int64(d)) }

// client returns an HTTP client that does not follow redirects, so tests see them.
func (b *testBundle) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (b *testBundle) signIn(t *testing.T, email string) *http.Client {
	t.Helper()
	c := b.client()
	res := b.postForm(t, c, "/signin", url.Values{"email": {email}, "password": {demo.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d", email, res.StatusCode)
	}
	return c
}

func (b *testBundle) postForm(t *testing.T, c *http.Client, path string, v url.Values) *http.Response {
	t.Helper()
	res, err := c.PostForm(b.ts.URL+path, v)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func (b *testBundle) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(b.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

func (b *testBundle) scalar(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := b.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

const (
	socialWorker = "social.worker@manchester.demo.hearth.test"
	teamManager  = "team.manager@manchester.demo.hearth.test"
)

func TestEveryRouteIsProtected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	public := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /static/*": true, "GET /favicon.ico": true,
		"GET /accessibility": true, "GET /signin": true, "POST /signin": true, "POST /signout": true,
		"GET /invitation": true, "POST /invitation": true, "GET /signin/council": true, "GET /signin/council/{la}": true, "GET /signin/council/{la}/callback": true,
		"GET /signin/code": true, "POST /signin/code": true}
	n := 0
	err := chi.Walk(b.srv.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + route
		n++
		_, protected := b.srv.Protected[key]
		switch {
		case protected && public[key]:
			t.Errorf("%s is both public and protected", key)
		case !protected && !public[key]:
			t.Errorf("%s declares no resource and action", key)
		case !protected && !b.srv.Public[key]:
			t.Errorf("%s is not registered through handle or public", key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("walked only %d routes", n)
	}
	// And a protected route really refuses an anonymous request.
	for key := range b.srv.Protected {
		method, path, _ := strings.Cut(key, " ")
		path = strings.ReplaceAll(path, "{id}", "1")
		req, _ := http.NewRequest(method, b.ts.URL+path, nil)
		res, err := b.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous %s = %d; want 401 or a redirect to sign in", key, res.StatusCode)
		}
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name, email, password string
		want                  int
	}{
		{"right password", socialWorker, demo.Password, http.StatusSeeOther},
		{"email in capitals", strings.ToUpper(socialWorker), demo.Password, http.StatusSeeOther},
		{"wrong password", teamManager, "not-the-password", http.StatusUnauthorized},
		{"unknown user", "nobody@example.org", demo.Password, http.StatusUnauthorized},
		{"empty", "", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		res := b.postForm(t, b.client(), "/signin", url.Values{"email": {tt.email}, "password": {tt.password}})
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d; want %d", tt.name, res.StatusCode, tt.want)
		}
		hasCookie := false
		for _, c := range res.Cookies() {
			hasCookie = hasCookie || (c.Name == ui.SessionCookie && c.Value != "")
		}
		if hasCookie != (tt.want == http.StatusSeeOther) {
			t.Errorf("%s: session cookie set = %v", tt.name, hasCookie)
		}
	}
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE action = 'signin' AND outcome = 'denied'"); n != 3 {
		t.Errorf("refused sign-ins audited: %d; want 3", n)
	}
}

func TestSessionCookieIsLocked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.postForm(t, b.client(), "/signin", url.Values{"email": {socialWorker}, "password": {demo.Password}})
	for _, c := range res.Cookies() {
		if c.Name == ui.SessionCookie && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
			t.Errorf("session cookie HttpOnly=%v SameSite=%v; want HttpOnly, Lax", c.HttpOnly, c.SameSite)
		}
	}
}

func TestRepeatedFailuresSlowDownThenLock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 4 {
		res := b.postForm(t, b.client(), "/signin", url.Values{"email": {teamManager}, "password": {fmt.Sprintf("wrong-%d", i)}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, res.StatusCode)
		}
	}
	b.mu.Lock()
	got := append([]time.Duration(nil), b.sleeps...)
	b.mu.Unlock()
	// SlowAfter 2: the 3rd and 4th failures wait 0.5s then 1s.
	if len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("slow-downs = %v; want [500ms 1s]", got)
	}
	// Locked: even the right password is refused now.
	res := b.postForm(t, b.client(), "/signin", url.Values{"email": {teamManager}, "password": {demo.Password}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("right password on a locked account: status %d; want 401", res.StatusCode)
	}
	// After the lock period it works again.
	b.advance(16 * time.Minute)
	res = b.postForm(t, b.client(), "/signin", url.Values{"email": {teamManager}, "password": {demo.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the lock expired: status %d; want 303", res.StatusCode)
	}
}

func TestExpiredSessionAsksToSignInAgain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	if res, _ := b.get(t, c, "/children"); res.StatusCode != http.StatusOK {
		t.Fatalf("fresh session: status %d", res.StatusCode)
	}
	b.advance(31 * time.Minute)
	res, _ := b.get(t, c, "/children?q=Smith")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=%2Fchildren%3Fq%3DSmith") {
		t.Errorf("idle session: status %d location %q; want a redirect to sign in that comes back", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = b.get(t, c, "/api/v1/children")
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("idle session on the API: status %d; want 401", res.StatusCode)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	b.postForm(t, c, "/signout", nil)
	if n := b.scalar(t, "SELECT count(*) FROM sessions"); n != 0 {
		t.Errorf("sessions after sign-out: %d; want 0", n)
	}
}

func TestForgedCrossSitePostChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	child := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 ORDER BY child_id LIMIT 1")
	worker := b.scalar(t, "SELECT user_id FROM users WHERE email = 'sw2@manchester.demo.hearth.test'")
	before := b.scalar(t, "SELECT count(*) FROM allocations")
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/children/%d/allocation", b.ts.URL, child), strings.NewReader(fmt.Sprintf("worker=%d", worker)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("forged POST: status %d; want 403", res.StatusCode)
	}
	if after := b.scalar(t, "SELECT count(*) FROM allocations"); after != before {
		t.Errorf("allocations changed from %d to %d", before, after)
	}
	// The same request from the site itself works.
	res = b.postForm(t, c, fmt.Sprintf("/children/%d/allocation", child), url.Values{"worker": {fmt.Sprint(worker)},
		"allocated_on": {asOf.Format("2/1/2006")}, "reason": {"Caseload balancing"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-site POST: status %d; want 303", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM allocations WHERE child_id = $1 AND user_id = $2 AND valid_to IS NULL", child, worker); n != 1 {
		t.Errorf("current allocations to the new worker: %d; want 1", n)
	}
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"malformed id", "GET", "/children/abc", "", 404},
		{"negative id", "GET", "/children/-4", "", 404},
		{"malformed id in api", "GET", "/api/v1/children/1e9", "", 404},
		{"unknown id", "GET", "/children/99999999", "", 404},
		{"bad filter", "GET", "/api/v1/children?uasc=perhaps", "", 422},
		{"bad age band", "GET", "/children?age_band=teen", "", 422},
		{"no such page", "GET", "/nowhere", "", 404},
		{"oversized body", "POST", "/signin", "email=" + strings.Repeat("a", 100<<10), 413},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, b.ts.URL+tt.path, strings.NewReader(tt.body))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d; want %d", tt.name, res.StatusCode, tt.want)
		}
		if strings.Contains(string(body), "goroutine") || strings.Contains(string(body), "panic") {
			t.Errorf("%s: answer shows internals", tt.name)
		}
	}
}

func TestAnotherCouncilsChildIsNotFoundAndAudited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager) // Manchester
	salford := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 355 ORDER BY child_id LIMIT 1")
	for _, path := range []string{"/children/%d", "/api/v1/children/%d", "/children/%d/edit"} {
		res, body := b.get(t, c, fmt.Sprintf(path, salford))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d; want 404", fmt.Sprintf(path, salford), res.StatusCode)
		}
		if strings.Contains(body, "Salford") {
			t.Errorf("GET %s: the answer names the other council", fmt.Sprintf(path, salford))
		}
	}
	n := b.scalar(t, `SELECT count(*) FROM audit_events e JOIN users u USING (user_id)
		WHERE u.email = $1 AND e.entity = 'child' AND e.entity_id = $2 AND e.outcome = 'not_found' AND e.la_id = 355`,
		teamManager, fmt.Sprint(salford))
	if n != 3 {
		t.Errorf("audited refused reads: %d; want 3", n)
	}
	// Asking for another council's list is refused (not an empty list), and audited against it.
	if res, body := b.get(t, c, "/api/v1/children?council=355"); res.StatusCode != http.StatusForbidden || strings.Contains(body, "Salford") {
		t.Errorf("filtering by another council: status %d %s; want 403", res.StatusCode, body)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'list' AND outcome = 'denied' AND la_id = 355`); n != 1 {
		t.Errorf("refused list audited against Salford: %d; want 1", n)
	}
}

func TestSocialWorkerSeesOnlyTheirCaseload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, socialWorker)
	want := b.scalar(t, `SELECT count(*) FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL`, socialWorker)
	if want == 0 {
		t.Fatal("the demo social worker has no caseload")
	}
	_, body := b.get(t, c, "/api/v1/children")
	if !strings.Contains(body, fmt.Sprintf(`"total": %d,`, want)) {
		t.Errorf("caseload list: want total %d in %s", want, body[:min(len(body), 300)])
	}
	mine := b.scalar(t, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL LIMIT 1`, socialWorker)
	notMine := b.scalar(t, `SELECT child_id FROM children c WHERE la_id = 352 AND NOT EXISTS (
		SELECT 1 FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.child_id = c.child_id) LIMIT 1`, socialWorker)
	if res, body := b.get(t, c, fmt.Sprintf("/children/%d", mine)); res.StatusCode != 200 || !strings.Contains(body, "Social worker") {
		t.Errorf("own child: status %d", res.StatusCode)
	}
	if res, _ := b.get(t, c, fmt.Sprintf("/children/%d", notMine)); res.StatusCode != 404 {
		t.Errorf("a colleague's child: status %d; want 404", res.StatusCode)
	}
	// Every view of a record is audited.
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE action = 'view' AND entity = 'child' AND entity_id = $1 AND outcome = 'ok'", fmt.Sprint(mine)); n != 1 {
		t.Errorf("audited views of child %d: %d; want 1", mine, n)
	}
}

func TestRolesWithoutChildrenAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct{ email, path string }{
		{"la.admin@manchester.demo.hearth.test", "/children"},
		{"la.admin@manchester.demo.hearth.test", "/api/v1/children"},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/children"},
		{"system.admin@demo.hearth.test", "/api/v1/children"},
		{"auditor@manchester.demo.hearth.test", "/children"},
		{socialWorker, "/audit"},
		{"commissioner@manchester.demo.hearth.test", "/audit"},
	}
	for _, tt := range tests {
		c := b.signIn(t, tt.email)
		if res, _ := b.get(t, c, tt.path); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET %s: status %d; want 403", tt.email, tt.path, res.StatusCode)
		}
		// The dashboard still works for everyone.
		if res, _ := b.get(t, c, "/"); res.StatusCode != http.StatusOK {
			t.Errorf("%s dashboard: status %d", tt.email, res.StatusCode)
		}
	}
	// One refusal each, recorded against every council the person holds a role in.
	if n := b.scalar(t, "SELECT count(DISTINCT request_id) FROM audit_events WHERE outcome = 'denied' AND action IN ('read')"); n != int64(len(tests)) {
		t.Errorf("audited refusals: %d; want %d", n, len(tests))
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events e JOIN users u USING (user_id)
		WHERE e.outcome = 'denied' AND u.email = 'la.admin@manchester.demo.hearth.test' AND e.la_id = 352`); n != 2 {
		t.Errorf("the council admin's refusals in Manchester's audit: %d; want 2", n)
	}
	// A social worker cannot allocate.
	c := b.signIn(t, socialWorker)
	res := b.postForm(t, c, "/children/1/allocation", url.Values{"worker": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("social worker allocating: status %d; want 403", res.StatusCode)
	}
}

func TestAuditorSeesOwnCouncilsTrail(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tm := b.signIn(t, teamManager)
	salfordTM := b.signIn(t, "team.manager@salford.demo.hearth.test")
	manc := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 LIMIT 1")
	salf := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 355 LIMIT 1")
	b.get(t, tm, fmt.Sprintf("/children/%d", manc))
	b.get(t, salfordTM, fmt.Sprintf("/children/%d", salf))
	aud := b.signIn(t, "auditor@manchester.demo.hearth.test")
	res, body := b.get(t, aud, "/audit?entity=child")
	if res.StatusCode != 200 {
		t.Fatalf("audit page: status %d", res.StatusCode)
	}
	if !strings.Contains(body, fmt.Sprintf("child %d", manc)) {
		t.Errorf("the Manchester auditor does not see the view of Manchester child %d", manc)
	}
	if strings.Contains(body, fmt.Sprintf("child %d", salf)) {
		t.Errorf("the Manchester auditor sees the view of Salford child %d", salf)
	}
}

func TestConcurrentEditsConflict(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tm := b.signIn(t, teamManager)
	child := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 ORDER BY child_id LIMIT 1")
	form := func(given string) url.Values {
		return url.Values{"version": {"1"}, "given_name": {given}, "family_name": {"Example"}, "date_of_birth": {"2012-05-01"},
			"sex": {"F"}, "ethnicity": {"WBRI"}}
	}
	if res := b.postForm(t, tm, fmt.Sprintf("/children/%d/edit", child), form("First")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: status %d", res.StatusCode)
	}
	res, err := tm.PostForm(fmt.Sprintf("%s/children/%d/edit", b.ts.URL, child), form("Second"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusConflict {
		t.Errorf("second save from the same version: status %d; want 409", res.StatusCode)
	}
	// Both versions are on the page: theirs saved, ours still in the form.
	if !strings.Contains(string(body), "First Example") || !strings.Contains(string(body), `value="Second"`) {
		t.Errorf("conflict page does not show both versions")
	}
	var given string
	if err := b.pool.QueryRow(context.Background(), "SELECT given_name FROM children WHERE child_id = $1", child).Scan(&given); err != nil || given != "First" {
		t.Errorf("saved name = %q (%v); want First", given, err)
	}
	// Bad input: every problem named, nothing saved.
	bad := url.Values{"version": {"2"}, "given_name": {""}, "family_name": {"X"}, "date_of_birth": {"2090-01-01"}, "sex": {"Q"}, "ethnicity": {"ZZZZ"}}
	res, err = tm.PostForm(fmt.Sprintf("%s/children/%d/edit", b.ts.URL, child), bad)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad input: status %d; want 422", res.StatusCode)
	}
	for _, field := range []string{"given_name-error", "date_of_birth-error", "sex-error", "ethnicity-error"} {
		if !strings.Contains(string(body), field) {
			t.Errorf("bad input: no error shown for %s", strings.TrimSuffix(field, "-error"))
		}
	}
}

func TestBearerTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token, err := b.auth.NewAPIToken(context.Background(), teamManager)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		header string
		want   int
	}{
		{"Bearer " + token, 200},
		{"Bearer hth_not-a-real-token", 401},
		{"Basic dXNlcjpwYXNz", 401},
		{"", 401},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", b.ts.URL+"/api/v1/children", nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("Authorization %.20q: status %d; want %d", tt.header, res.StatusCode, tt.want)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Authorization %.20q: content type %q; want JSON", tt.header, ct)
		}
	}
}

func TestSecurityHeadersAndHealth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	res, body := b.get(t, c, "/children")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("children page Cache-Control = %q; want no-store", res.Header.Get("Cache-Control"))
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("page has inline script or style, which the CSP blocks")
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if res, _ := b.get(t, b.client(), p); res.StatusCode != 200 {
			t.Errorf("%s: status %d", p, res.StatusCode)
		}
	}
}

func TestChildrenListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	// Children born exactly on band edges: 10 today (10-15) and 16 today (16+).
	_, err := b.pool.Exec(context.Background(), `INSERT INTO children (la_id, child_ref, given_name, family_name, date_of_birth, sex, ethnicity)
		VALUES (352, 'EDGE10', 'Edge', 'Ten', '2016-03-31', 'F', 'WBRI'), (352, 'EDGE16', 'Edge', 'Sixteen', '2010-03-31', 'F', 'WBRI')`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ query, sql string }{
		{"", "SELECT count(*) FROM children WHERE la_id = 352"},
		{"uasc=true", "SELECT count(*) FROM children WHERE la_id = 352 AND uasc"},
		{"ehc=false&sex=F", "SELECT count(*) FROM children WHERE la_id = 352 AND NOT ehc_plan AND sex = 'F'"},
		{"age_band=10-15", "SELECT count(*) FROM children WHERE la_id = 352 AND date_of_birth > '2010-03-31' AND date_of_birth <= '2016-03-31'"},
		{"age_band=16%2B", "SELECT count(*) FROM children WHERE la_id = 352 AND date_of_birth <= '2010-03-31'"},
		{"q=smith", "SELECT count(*) FROM children WHERE la_id = 352 AND strpos(lower(given_name || ' ' || family_name), 'smith') > 0"},
	}
	for _, tt := range tests {
		want := b.scalar(t, tt.sql)
		_, body := b.get(t, c, "/api/v1/children?"+tt.query)
		if !strings.Contains(body, fmt.Sprintf(`"total": %d,`, want)) {
			t.Errorf("filter %q: want total %d; got %.200s", tt.query, want, body)
		}
	}
}
