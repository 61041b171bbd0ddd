package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A child page records several audit events (the record, its needs, its
// placements, its case); they are written in one transaction, one WAL flush,
// before the page is sent.
func TestRequestAuditsInOneTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, teamManager)
	child := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 ORDER BY child_id LIMIT 1")
	for _, path := range []string{fmt.Sprintf("/children/%d", child), "/children", fmt.Sprintf("/api/v1/children/%d", child)} {
		res, _ := b.get(t, c, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		id := res.Header.Get("X-Request-Id")
		events := b.scalar(t, "SELECT count(*) FROM audit_events WHERE request_id = $1", id)
		txs := b.scalar(t, "SELECT count(DISTINCT xmin::text) FROM audit_events WHERE request_id = $1", id)
		if events == 0 || txs != 1 {
			t.Errorf("GET %s: %d audit events in %d transactions; want at least one, in one", path, events, txs)
		}
	}
	// A refusal is recorded the same way, against the council it touched.
	salford := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 355 ORDER BY child_id LIMIT 1")
	res, _ := b.get(t, c, fmt.Sprintf("/children/%d", salford))
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("another council's child: status %d; want 404", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE request_id = $1 AND la_id = 355 AND outcome = 'not_found'", res.Header.Get("X-Request-Id")); n != 1 {
		t.Errorf("refusal audited against Salford: %d events; want 1", n)
	}
}

// The menu is worked out once per generation of grants, and a grant or its
// end shows in the menu at the next reload, not later.
func TestMenuFollowsGrants(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	c := b.signIn(t, teamManager)
	const link = `href="/audit/unusual"`
	menu := func() string {
		t.Helper()
		_, body := b.get(t, c, "/children")
		i := strings.Index(body, "govuk-service-navigation__list")
		j := strings.Index(body, "</ul>")
		if i < 0 || j < i {
			t.Fatal("no service navigation on the page")
		}
		return body[i:j]
	}
	if strings.Contains(menu(), link) {
		t.Fatal("a team manager's menu offers the unusual-access report")
	}
	uid := b.scalar(t, "SELECT user_id FROM users WHERE email = $1", teamManager)
	if _, err := b.pool.Exec(ctx, `INSERT INTO role_assignments (user_id, role, la_id, valid_from) VALUES ($1, 'auditor', 352, '2020-01-01')`, uid); err != nil {
		t.Fatal(err)
	}
	if err := b.srv.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(menu(), link) {
		t.Error("after the auditor grant the menu does not offer the unusual-access report")
	}
	if _, err := b.pool.Exec(ctx, `UPDATE role_assignments SET valid_to = '2020-01-02' WHERE user_id = $1 AND role = 'auditor'`, uid); err != nil {
		t.Fatal(err)
	}
	if err := b.srv.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(menu(), link) {
		t.Error("after the grant ended the menu still offers the unusual-access report")
	}
}
