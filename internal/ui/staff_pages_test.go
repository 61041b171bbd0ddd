package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
)

const (
	manchesterAdmin = "la.admin@manchester.demo.hearth.test"
	salfordAdmin    = "la.admin@salford.demo.hearth.test"
	systemAdmin     = "system.admin@demo.hearth.test"
)

var linkRE = regexp.MustCompile(`value="(https?://[^"]+/invitation\?token=[^"]+)"`)

// invite posts the invitation form and returns the link the page shows.
func (b *testBundle) invite(t *testing.T, c *http.Client, la, email, role string) string {
	t.Helper()
	res, err := c.PostForm(b.ts.URL+"/staff/new", url.Values{"la": {la}, "email": {email}, "name": {"Nia Newstarter"}, "team": {"Team 9"}, "role": {role}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("invite %s: status %d: %s", email, res.StatusCode, problemText(body))
	}
	m := linkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("invite %s: no link on the page", email)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

func TestInvitationSetsPasswordOnceAndExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, manchesterAdmin)
	link := b.invite(t, admin, "352", "Nia.New@Manchester.example", "social_worker")
	tok := tokenOf(t, link)
	// Only a hash is kept: the secret is nowhere in the database.
	if n := b.scalar(t, "SELECT count(*) FROM invitations WHERE token_hash = convert_to($1, 'UTF8')", tok); n != 0 {
		t.Error("the link's secret is stored as it is")
	}
	anon := b.client()
	res, body := b.get(t, anon, "/invitation?token="+url.QueryEscape(tok))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "nia.new@manchester.example") {
		t.Fatalf("invitation page: status %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name, password, confirm, want string
	}{
		{"too short", "short", "short", "at least 12 characters"},
		{"not the same", "a long enough password", "a different long password", "not the same"},
	} {
		res, err := anon.PostForm(b.ts.URL+"/invitation", url.Values{"token": {tok}, "password": {tc.password}, "confirm": {tc.confirm}})
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s: status %d; want 422 saying %q", tc.name, res.StatusCode, tc.want)
		}
	}
	pw := "correct horse battery staple"
	res = b.postForm(t, anon, "/invitation", url.Values{"token": {tok}, "password": {pw}, "confirm": {pw}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: status %d", res.StatusCode)
	}
	// A second use is refused, and the password it tried is not set.
	res = b.postForm(t, anon, "/invitation", url.Values{"token": {tok}, "password": {"another password entirely"}, "confirm": {"another password entirely"}})
	if res.StatusCode != http.StatusGone {
		t.Errorf("second use: status %d; want 410", res.StatusCode)
	}
	if res := b.postForm(t, b.client(), "/signin", url.Values{"email": {"nia.new@manchester.example"}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in with the password the link set: status %d", res.StatusCode)
	}

	// A reset link expires: LinkTTL later it is refused.
	var id int64
	if err := b.pool.QueryRow(context.Background(), "SELECT user_id FROM users WHERE email = 'nia.new@manchester.example'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	res, err := admin.PostForm(b.ts.URL+"/staff/"+itoa(id)+"/reset", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := linkRE.FindStringSubmatch(readAll(t, res))
	if m == nil {
		t.Fatal("no reset link shown")
	}
	reset := tokenOf(t, strings.ReplaceAll(m[1], "&amp;", "&"))
	b.advance(7*24*time.Hour + time.Minute)
	if res, _ := b.get(t, anon, "/invitation?token="+url.QueryEscape(reset)); res.StatusCode != http.StatusGone {
		t.Errorf("expired reset link: status %d; want 410", res.StatusCode)
	}
	if res, _ := b.get(t, anon, "/invitation?token=not-a-token"); res.StatusCode != http.StatusGone {
		t.Errorf("made-up link: status %d; want 410", res.StatusCode)
	}
}

// The denials a council administrator meets, each audited against the council it touched.
func TestCouncilAdminStaysInTheirCouncil(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	manchester, salford := b.signIn(t, manchesterAdmin), b.signIn(t, salfordAdmin)
	b.invite(t, salford, "355", "sal.worker@salford.example", "social_worker")
	var salfordWorker, manchesterWorker int64
	if err := b.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'sal.worker@salford.example'").Scan(&salfordWorker); err != nil {
		t.Fatal(err)
	}
	if err := b.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = $1", socialWorker).Scan(&manchesterWorker); err != nil {
		t.Fatal(err)
	}
	sw := itoa(salfordWorker)
	mw := itoa(manchesterWorker)
	refusals := func() int64 {
		return b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 355 AND outcome IN ('denied', 'not_found') AND action LIKE 'staff_%'")
	}
	cases := []struct {
		name   string
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"list another council's staff", "GET", "/staff?la=355", nil, http.StatusForbidden},
		{"open another council's member", "GET", "/staff/" + sw, nil, http.StatusNotFound},
		{"invite into another council", "POST", "/staff/new", url.Values{"la": {"355"}, "email": {"x@y.example"}, "name": {"X"}, "role": {"social_worker"}}, http.StatusForbidden},
		{"disable another council's member", "POST", "/staff/" + sw + "/disable", nil, http.StatusNotFound},
		{"reset another council's member", "POST", "/staff/" + sw + "/reset", nil, http.StatusNotFound},
		{"unlock another council's member", "POST", "/staff/" + sw + "/unlock", nil, http.StatusNotFound},
		{"grant in another council to own member", "POST", "/staff/" + mw + "/grants", url.Values{"role": {"team_manager"}, "la": {"355"}}, http.StatusForbidden},
	}
	for _, tc := range cases {
		before := refusals()
		var res *http.Response
		var err error
		if tc.method == "GET" {
			res, err = manchester.Get(b.ts.URL + tc.path)
		} else {
			res, err = manchester.PostForm(b.ts.URL+tc.path, tc.form)
		}
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d; want %d", tc.name, res.StatusCode, tc.want)
		}
		if refusals() != before+1 {
			t.Errorf("%s: the refusal is not audited against Salford (355)", tc.name)
		}
	}
	// System-wide roles: a council admin cannot grant them (the form offers
	// none; a forged post is refused), a system admin can.
	for _, role := range []string{"system_admin", "auditor"} {
		res := b.postForm(t, manchester, "/staff/"+mw+"/grants", url.Values{"role": {role}, "scope": {"system"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("council admin grants %s system-wide: status %d", role, res.StatusCode)
		}
	}
	if n := b.scalar(t, "SELECT count(*) FROM role_assignments WHERE user_id = $1 AND la_id IS NULL", manchesterWorker); n != 0 {
		t.Errorf("a council admin's forged post gave a system-wide role (%d rows)", n)
	}
	sys := b.signIn(t, systemAdmin)
	if res := b.postForm(t, sys, "/staff/"+mw+"/grants", url.Values{"role": {"auditor"}, "scope": {"system"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("system admin grants a system-wide auditor: status %d", res.StatusCode)
	}
	// Once they hold a system role, their council's admin may no longer close the account.
	if res := b.postForm(t, manchester, "/staff/"+mw+"/disable", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("council admin disables someone with a system role: status %d; want 403", res.StatusCode)
	}
	if res := b.postForm(t, sys, "/staff/"+mw+"/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("system admin disables: status %d", res.StatusCode)
	}
	// And a non-admin reaches none of it.
	worker := b.signIn(t, teamManager)
	if res, _ := b.get(t, worker, "/staff"); res.StatusCode != http.StatusForbidden {
		t.Errorf("team manager opens /staff: status %d; want 403", res.StatusCode)
	}
}

func TestGrantHistoryAndDisable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.signIn(t, manchesterAdmin)
	worker := b.signIn(t, socialWorker)
	var id int64
	if err := b.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = $1", socialWorker).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tok, err := b.auth.NewLabelledToken(ctx, socialWorker, "laptop script")
	if err != nil {
		t.Fatal(err)
	}
	// A grant from a later date, and a back-dated one refused.
	if res := b.postForm(t, admin, "/staff/"+itoa(id)+"/grants", url.Values{"role": {"team_manager"}, "la": {"352"}, "valid_from": {"2026-04-06"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant from a later date: status %d", res.StatusCode)
	}
	res, err := admin.PostForm(b.ts.URL+"/staff/"+itoa(id)+"/grants", url.Values{"role": {"commissioner"}, "la": {"352"}, "valid_from": {"2025-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be back-dated") {
		t.Errorf("back-dated grant: status %d", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM role_assignments WHERE user_id = $1 AND role = 'team_manager' AND valid_from = '2026-04-06 00:00 Europe/London'", id); n != 1 {
		t.Errorf("future grant rows = %d", n)
	}
	// Ending the social worker role keeps it as history.
	grant := b.scalar(t, "SELECT assignment_id FROM role_assignments WHERE user_id = $1 AND role = 'social_worker' AND valid_to IS NULL", id)
	if res := b.postForm(t, admin, "/staff/"+itoa(id)+"/grants/"+itoa(grant)+"/end", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end grant: status %d", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM role_assignments WHERE assignment_id = $1 AND valid_to IS NOT NULL AND revoked_by IS NOT NULL", grant); n != 1 {
		t.Error("the ended grant is not kept with its end and who ended it")
	}
	// Disabling ends the open session and the token at once.
	if res := b.postForm(t, admin, "/staff/"+itoa(id)+"/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: status %d", res.StatusCode)
	}
	if res, _ := b.get(t, worker, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("the disabled person's open session still works: status %d", res.StatusCode)
	}
	if _, err := b.auth.Token(ctx, tok); err == nil {
		t.Error("the disabled person's token still works")
	}
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 352 AND action IN ('disable', 'staff_grant', 'staff_end_grant') AND entity_id = $1", itoa(id)); n < 3 {
		t.Errorf("audited actions against Manchester = %d; want grant, end and disable", n)
	}
	// The admin cannot disable themselves.
	var me int64
	if err := b.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = $1", manchesterAdmin).Scan(&me); err != nil {
		t.Fatal(err)
	}
	if res := b.postForm(t, admin, "/staff/"+itoa(me)+"/disable", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("disable own account: status %d; want 422", res.StatusCode)
	}
	var _ = auth.ErrNoSession
}

func TestUnlockAndRevokeToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.signIn(t, manchesterAdmin)
	for range 4 {
		b.postForm(t, b.client(), "/signin", url.Values{"email": {teamManager}, "password": {"wrong password here"}})
	}
	if res := b.postForm(t, b.client(), "/signin", url.Values{"email": {teamManager}, "password": {"hearth-demo-password"}}); res.StatusCode == http.StatusSeeOther {
		t.Fatal("the account did not lock")
	}
	id := b.scalar(t, "SELECT user_id FROM users WHERE email = $1", teamManager)
	if _, body := b.get(t, admin, "/staff?la=352"); !strings.Contains(body, "Locked") {
		t.Error("the staff list does not show the lock")
	}
	if res := b.postForm(t, admin, "/staff/"+itoa(id)+"/unlock", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: status %d", res.StatusCode)
	}
	b.signIn(t, teamManager) // fails the test if still locked
	tok, err := b.auth.NewLabelledToken(ctx, teamManager, "report job")
	if err != nil {
		t.Fatal(err)
	}
	tid := b.scalar(t, "SELECT token_id FROM api_tokens WHERE user_id = $1 AND label = 'report job'", id)
	if res := b.postForm(t, admin, "/staff/"+itoa(id)+"/tokens/"+itoa(tid)+"/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: status %d", res.StatusCode)
	}
	if _, err := b.auth.Token(ctx, tok); err == nil {
		t.Error("the revoked token still works")
	}
	// Another person's token number under this person's page is not found.
	other := b.scalar(t, "SELECT user_id FROM users WHERE email = $1", socialWorker)
	if res := b.postForm(t, admin, "/staff/"+itoa(other)+"/tokens/"+itoa(tid)+"/revoke", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoke someone else's token by number: status %d; want 404", res.StatusCode)
	}
}
