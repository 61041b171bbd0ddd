package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/demo"
)

// TestBadInputAnswers4xx: input that used to reach PostgreSQL and fail there
// answers a clear 4xx instead of 500.
func TestBadInputAnswers4xx(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	tests := []struct{ path, want string }{
		{"/children?q=a%00b", "NUL"},
		{"/api/v1/children?q=%00", "NUL"},
		{"/children?page=99999999", "page"},
		{"/api/v1/children?page=2147483647", "page"},
		{"/api/v1/reviews/overdue?team=x%00", "NUL"},
	}
	for _, tt := range tests {
		res, body := b.get(t, c, tt.path)
		if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: status %d; want a 4xx naming %q", tt.path, res.StatusCode, tt.want)
		}
	}
	res := b.postForm(t, c, "/children/1/edit", url.Values{"given_name": {"A\x00B"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST a NUL in a form: status %d; want 422", res.StatusCode)
	}
}

// TestDuplicateCaseNumber: a second case with a number the council already has is a 422.
func TestDuplicateCaseNumber(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, "court.officer@manchester.demo.hearth.test")
	number := b.text(t, "SELECT case_number FROM proceedings WHERE la_id = 352 ORDER BY proceeding_id LIMIT 1")
	ref := b.text(t, `SELECT child_ref FROM children c WHERE la_id = 352 AND NOT EXISTS (
		SELECT 1 FROM proceeding_children pc WHERE pc.child_id = c.child_id) ORDER BY child_id LIMIT 1`)
	res := b.postForm(t, c, "/proceedings/new", url.Values{"la": {"352"}, "case_number": {number}, "court": {"Manchester Family Court"},
		"issued_on": {"2026-01-05"}, "children": {ref}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("duplicate case number %s: status %d; want 422", number, res.StatusCode)
	}
}

// TestStaticDoesNotList: /static/ and its folders answer 404, files still load.
func TestStaticDoesNotList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, p := range []string{"/static/", "/static", "/static/css/", "/static/../"} {
		if res, body := b.get(t, b.client(), p); res.StatusCode == http.StatusOK && strings.Contains(body, "<a href") {
			t.Errorf("GET %s lists a directory", p)
		}
	}
}

// TestSignInNextStaysOnSite: every spelling of another site in ?next= sends the
// user to the dashboard instead.
func TestSignInNextStaysOnSite(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, next := range []string{"/\t/evil.example/", "//evil.example/", "/\\evil.example/", "/\\/evil.example", "https://evil.example/",
		"/%2F/evil.example/", "/%5Cevil.example", "/\n/evil.example", " //evil.example", "/%09/evil.example/", "javascript:alert(1)"} {
		res := b.postForm(t, b.client(), "/signin", url.Values{"email": {socialWorker}, "password": {demo.Password}, "next": {next}})
		loc := res.Header.Get("Location")
		// Resolve it as a browser would, against this site.
		base, _ := url.Parse(b.ts.URL + "/signin")
		to, err := base.Parse(strings.NewReplacer("\t", "", "\n", "", "\\", "/").Replace(loc))
		if res.StatusCode != http.StatusSeeOther || err != nil || to.Host != base.Host || strings.ContainsAny(loc, "\\\t\n") {
			t.Errorf("next=%q: status %d, Location %q; want the dashboard", next, res.StatusCode, loc)
		}
	}
	res := b.postForm(t, b.client(), "/signin", url.Values{"email": {socialWorker}, "password": {demo.Password}, "next": {"/children?q=Smith"}})
	if loc := res.Header.Get("Location"); loc != "/children?q=Smith" {
		t.Errorf("a local next: Location %q; want /children?q=Smith", loc)
	}
	// The GET form with an encoded tab keeps it on-site too.
	_, body := b.get(t, b.client(), "/signin?next=/%09/evil.example/")
	if strings.Contains(body, "evil.example") {
		t.Error("the sign-in form carries the other site forward")
	}
}
