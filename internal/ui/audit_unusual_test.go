package ui_test

import (
	"strings"
	"testing"
)

// TestUnusualAccess plants one case of each kind of unusual access in
// Manchester, and one in Salford, then reads the Manchester auditor's report.
func TestUnusualAccess(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	uid := func(email string) int64 { return b.scalar(t, "SELECT user_id FROM users WHERE email = $1", email) }
	sw, tm, comm := uid(socialWorker), uid(teamManager), uid("commissioner@manchester.demo.hearth.test")
	court, salfordTM := uid("court.officer@manchester.demo.hearth.test"), uid("team.manager@salford.demo.hearth.test")
	event := func(at string, user int64, la int32, action, entity, id, outcome string) {
		t.Helper()
		if _, err := b.pool.Exec(ctx, `INSERT INTO audit_events (at, user_id, la_id, action, entity, entity_id, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			at, user, la, action, entity, id, outcome); err != nil {
			t.Fatal(err)
		}
	}
	// A social worker refused three times; a Salford manager likewise (not Manchester's to see).
	for _, id := range []string{"901", "902", "903"} {
		event("2026-03-10 09:00+00", sw, 352, "view", "child", id, "not_found")
		event("2026-03-10 09:00+00", salfordTM, 355, "view", "child", id, "denied")
	}
	// The team manager opens a child who shares their family name.
	child := b.scalar(t, "SELECT min(child_id) FROM children WHERE la_id = 352")
	if _, err := b.pool.Exec(ctx, `UPDATE children SET family_name = (SELECT regexp_replace(display_name, '^.*\s', '') FROM users WHERE user_id = $1)
		WHERE child_id = $2`, tm, child); err != nil {
		t.Fatal(err)
	}
	event("2026-03-11 10:00+00", tm, 352, "view", "child", itoa(child), "ok")
	// The commissioner opens 50 children's records in a day; 49 the next day is not flagged.
	for i := range 50 {
		event("2026-03-12 11:00+00", comm, 352, "view", "child", itoa(int64(5000+i)), "ok")
		if i < 49 {
			event("2026-03-13 11:00+00", comm, 352, "view", "child", itoa(int64(5000+i)), "ok")
		}
	}
	// The court officer is disabled on 14 March and acts on the 15th; and has not signed in for months.
	if _, err := b.pool.Exec(ctx, "UPDATE users SET disabled_at = '2026-03-14', created_at = '2025-01-01', last_signin_at = NULL WHERE user_id = $1", court); err != nil {
		t.Fatal(err)
	}
	event("2026-03-15 12:00+00", court, 352, "view", "proceeding", "7", "ok")
	// An idle account that still holds its role.
	if _, err := b.pool.Exec(ctx, "UPDATE users SET created_at = '2025-01-01', last_signin_at = '2025-06-01' WHERE email = 'la.analyst@manchester.demo.hearth.test'"); err != nil {
		t.Fatal(err)
	}

	aud := b.signIn(t, "auditor@manchester.demo.hearth.test")
	res, page := b.get(t, aud, "/audit/unusual?from=2026-03-01&to=2026-04-01")
	if res.StatusCode != 200 {
		t.Fatalf("unusual access: %d", res.StatusCode)
	}
	rowsOf := func(kind string) []string {
		var out []string
		for _, part := range strings.Split(page, `data-kind="`+kind+`"`)[1:] {
			out = append(out, part[:strings.Index(part, "</tr>")])
		}
		return out
	}
	for _, c := range []struct {
		kind, who string
		n         int
	}{
		{"refused", socialWorker, 1},
		{"family_name", teamManager, 1},
		{"many_records", "commissioner@manchester.demo.hearth.test", 1},
		{"after_disabled", "court.officer@manchester.demo.hearth.test", 1},
		{"idle", "la.analyst@manchester.demo.hearth.test", 1},
	} {
		got := rowsOf(c.kind)
		if len(got) != c.n || !strings.Contains(got[0], c.who) {
			t.Errorf("%s: %d rows %q; want %d for %s", c.kind, len(got), got, c.n, c.who)
		}
	}
	if strings.Contains(page, "team.manager@salford") {
		t.Error("the Manchester auditor sees Salford's refusals")
	}
	// Only auditors; and a period that ends before it starts is refused by field.
	if res, _ := b.get(t, b.signIn(t, teamManager), "/audit/unusual"); res.StatusCode != 403 {
		t.Errorf("a team manager on the unusual-access report: %d", res.StatusCode)
	}
	if res, _ := b.get(t, aud, "/audit/unusual?from=2026-04-01&to=2026-03-01"); res.StatusCode != 422 {
		t.Errorf("a backwards period: %d", res.StatusCode)
	}
}
