package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

var (
	secretRE   = regexp.MustCompile(`<code id="secret">([A-Z2-7]+)</code>`)
	recoveryRE = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
)

func (b *testBundle) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, b.auth.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (b *testBundle) post(t *testing.T, c *http.Client, path string, v url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(b.ts.URL+path, v)
	if err != nil {
		t.Fatal(err)
	}
	return res, readAll(t, res)
}

// A council requires a second factor: a password alone no longer signs in;
// the person sets one up on the way in, then needs a code every time. A code
// works once; recovery codes work once each; five wrong codes end the step.
func TestSecondFactor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, manchesterAdmin)
	// Another council's administrator cannot change Manchester's setting.
	salford := b.signIn(t, salfordAdmin)
	if res, _ := b.post(t, salford, "/settings/second-factor", url.Values{"la": {"352"}, "require": {"yes"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("Salford's admin sets Manchester's requirement: status %d; want 403", res.StatusCode)
	}
	if res, _ := b.post(t, admin, "/settings/second-factor", url.Values{"la": {"352"}, "require": {"yes"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("require: status %d", res.StatusCode)
	}
	c := b.client()
	res := b.postForm(t, c, "/signin", url.Values{"email": {teamManager}, "password": {"hearth-demo-password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/code" {
		t.Fatalf("password sign-in: %d to %s; want the code step", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.get(t, c, "/children"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("signed in on the password alone: %d", res.StatusCode)
	}
	_, body := b.get(t, c, "/signin/code")
	m := secretRE.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatal("the enrolment step shows no QR code or key")
	}
	secret := m[1]
	if res, body := b.post(t, c, "/signin/code", url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not right") {
		t.Errorf("wrong first code: %d", res.StatusCode)
	}
	res, body = b.post(t, c, "/signin/code", url.Values{"code": {b.code(t, secret)}})
	codes := recoveryRE.FindAllStringSubmatch(body, -1)
	if res.StatusCode != http.StatusOK || len(codes) != 10 {
		t.Fatalf("enrolment: status %d, %d recovery codes", res.StatusCode, len(codes))
	}
	if res, _ := b.get(t, c, "/children"); res.StatusCode != http.StatusOK {
		t.Errorf("after enrolling: /children = %d", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM user_recovery_codes WHERE code_hash = convert_to($1, 'UTF8')", codes[0][1]); n != 0 {
		t.Error("recovery codes are stored as they are")
	}

	signInToCode := func() *http.Client {
		t.Helper()
		c := b.client()
		if res := b.postForm(t, c, "/signin", url.Values{"email": {teamManager}, "password": {"hearth-demo-password"}}); res.Header.Get("Location") != "/signin/code" {
			t.Fatalf("password step went to %q", res.Header.Get("Location"))
		}
		return c
	}
	// The code just used is refused (same time step), the next one works.
	c = signInToCode()
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {b.code(t, secret)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("replayed code: status %d; want 422", res.StatusCode)
	}
	b.advance(30 * time.Second)
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {b.code(t, secret)}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("fresh code: status %d; want 303", res.StatusCode)
	}
	// A recovery code works once.
	c = signInToCode()
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {strings.ToUpper(codes[3][1])}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("recovery code: status %d", res.StatusCode)
	}
	c = signInToCode()
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {codes[3][1]}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("recovery code used twice: status %d", res.StatusCode)
	}
	// Five wrong codes end the step, even if the sixth is right.
	for range 4 {
		b.post(t, c, "/signin/code", url.Values{"code": {"123456"}})
	}
	b.advance(30 * time.Second)
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {b.code(t, secret)}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after five wrong codes: status %d; want 401", res.StatusCode)
	}
	// The step expires.
	c = signInToCode()
	b.advance(6 * time.Minute)
	if res, _ := b.post(t, c, "/signin/code", url.Values{"code": {b.code(t, secret)}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired step: status %d; want 401", res.StatusCode)
	}
	// No cookie, no step.
	if res, _ := b.post(t, b.client(), "/signin/code", url.Values{"code": {b.code(t, secret)}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("no sign-in step: status %d; want 401", res.StatusCode)
	}
	// Someone in a council without the requirement and no factor signs in on the password.
	b.signIn(t, "team.manager@salford.demo.hearth.test")
}
