package main

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestAuditVerifyCommand: hearth audit verify passes an untouched trail and,
// once the owner has changed an event, names it and exits non-zero.
func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url, owner := dbtest.URLs(t)
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": url, "DATABASE_OWNER_URL": owner, "LOG_LEVEL": "error"}[k]
	}
	hearth := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, strings.NewReader(""), &out, env)
		return out.String(), err
	}
	if _, err := hearth("demo", "--children", "20", "--as-of", "2026-03-31"); err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Open(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (la_id, action, entity, entity_id) VALUES
		(352, 'view', 'child', '1'), (352, 'view', 'child', '2'), (352, 'view', 'child', '3'), (NULL, 'sign_in', 'user', '1')`); err != nil {
		t.Fatal(err)
	}
	out, err := hearth("audit", "verify")
	if err != nil || !strings.Contains(out, "council 352: 3 events, chain intact") || !strings.Contains(out, "no council: 1 events, chain intact") {
		t.Fatalf("verify untouched = %q, %v", out, err)
	}
	var id int64
	if err := pool.QueryRow(ctx, "SELECT event_id FROM audit_links WHERE chain = 352 AND seq = 2").Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
		"UPDATE audit_events SET entity_id = '99' WHERE event_id = " + itoa(id)} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	out, err = hearth("audit", "verify", "--council", "E08000003")
	if !errors.Is(err, errChainBroken) || !strings.Contains(out, "council 352: BROKEN at event "+itoa(id)+" (link 2)") {
		t.Fatalf("verify tampered = %q, %v; want event %d named and an error", out, err, id)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
