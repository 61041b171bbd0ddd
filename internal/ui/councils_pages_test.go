package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCouncilsPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sys := b.signIn(t, systemAdmin)
	if res, body := b.get(t, sys, "/settings/councils"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Manchester") {
		t.Fatalf("councils page: status %d", res.StatusCode)
	}
	steps := []struct {
		name string
		path string
		form url.Values
		want int
		text string
	}{
		{"add a council", "/settings/councils", url.Values{"la": {"357"}, "ons": {"e08000008"}, "name": {"Tameside"}}, http.StatusSeeOther, ""},
		{"the same LA code again", "/settings/councils", url.Values{"la": {"357"}, "ons": {"E08000098"}, "name": {"Again"}}, http.StatusUnprocessableEntity, "LA code 357 is already set up"},
		{"bad codes", "/settings/councils", url.Values{"la": {"35"}, "ons": {"W06000001"}, "name": {""}}, http.StatusUnprocessableEntity, "nine-character ONS code"},
		{"add a cooperative", "/settings/cooperatives", url.Values{"code": {"east"}, "rcc_name": {"East RCC"}}, http.StatusSeeOther, ""},
		{"join", "/settings/cooperatives/east/members", url.Values{"council": {"E08000008"}, "on": {"2026-04-01"}, "action": {"join"}}, http.StatusSeeOther, ""},
		{"join twice", "/settings/cooperatives/east/members", url.Values{"council": {"E08000008"}, "on": {"2026-05-01"}, "action": {"join"}}, http.StatusUnprocessableEntity, "already a member"},
		{"bad date", "/settings/cooperatives/east/members", url.Values{"council": {"E08000008"}, "on": {"1 April"}, "action": {"leave"}}, http.StatusUnprocessableEntity, "year-month-day"},
		{"disclosure", "/settings/cooperatives/east/disclosure", url.Values{"min_count": {"10"}, "max_noise": {"2"}, "k": {"8"}}, http.StatusSeeOther, ""},
		{"disclosure out of range", "/settings/cooperatives/east/disclosure", url.Values{"min_count": {"1"}, "max_noise": {"2"}, "k": {"8"}}, http.StatusUnprocessableEntity, "between 2 and 100"},
	}
	for _, st := range steps {
		res, err := sys.PostForm(b.ts.URL+st.path, st.form)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, res)
		if res.StatusCode != st.want || !strings.Contains(body, st.text) {
			t.Errorf("%s: status %d (%s); want %d with %q", st.name, res.StatusCode, problemText(body), st.want, st.text)
		}
	}
	if n := b.scalar(t, "SELECT count(*) FROM rcc_memberships m JOIN regional_cooperatives r USING (rcc_id) WHERE r.code = 'east' AND m.la_id = 357"); n != 1 {
		t.Errorf("memberships = %d", n)
	}
	if n := b.scalar(t, "SELECT disclosure_k FROM regional_cooperatives WHERE code = 'east'"); n != 8 {
		t.Errorf("k = %d", n)
	}
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE user_id = (SELECT user_id FROM users WHERE email = $1) AND entity IN ('council', 'rcc', 'rcc_membership', 'rcc_disclosure') AND outcome = 'ok'", systemAdmin); n != 4 {
		t.Errorf("audited set-up changes by the system admin = %d; want 4", n)
	}
	// A council administrator holds council:manage, but only in their council: refused, and audited.
	admin := b.signIn(t, manchesterAdmin)
	for _, p := range []string{"/settings/councils", "/settings/cooperatives", "/settings/cooperatives/east/members", "/settings/cooperatives/east/disclosure"} {
		before := b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 352 AND outcome = 'denied'")
		res := b.postForm(t, admin, p, url.Values{"la": {"359"}, "ons": {"E08000010"}, "name": {"Wigan"}, "code": {"x"}, "rcc_name": {"X"},
			"council": {"E08000003"}, "on": {"2026-04-01"}, "min_count": {"2"}, "max_noise": {"1"}, "k": {"2"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("council admin posts %s: status %d; want 403", p, res.StatusCode)
		}
		if b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 352 AND outcome = 'denied'") != before+1 {
			t.Errorf("council admin posts %s: refusal not audited against their council", p)
		}
	}
	if res, _ := b.get(t, admin, "/settings/councils"); res.StatusCode != http.StatusForbidden {
		t.Errorf("council admin opens the page: status %d; want 403", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM local_authorities WHERE la_id = 359"); n != 0 {
		t.Error("a council admin added a council")
	}
}
