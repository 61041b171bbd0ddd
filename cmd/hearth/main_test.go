package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/dbtest"
)

// TestUserCommands pins the command-line interface that councils' scripts use.
func TestUserCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": url, "LOG_LEVEL": "error"}[k]
	}
	hearth := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(stdin), &out, env)
		return out.String(), err
	}
	if out, err := hearth("", "demo", "--children", "40", "--as-of", "2026-03-31"); err != nil || !strings.Contains(out, "loaded 40 children") {
		t.Fatalf("demo: %q %v", out, err)
	}
	steps := []struct {
		stdin   string
		args    []string
		wantOut string
		wantErr string
	}{
		{"a strong password here\n", []string{"user", "create", "--email", "New.Person@Example.org", "--name", "New Person"}, "created user", ""},
		{"", []string{"user", "create", "--email", "second@example.org", "--name", "Second"}, "", "password"},
		{"short\n", []string{"user", "create", "--email", "third@example.org", "--name", "Third"}, "", "at least 12 characters"},
		{"", []string{"user", "grant", "--email", "new.person@example.org", "--role", "team_manager", "--council", "E08000006"}, "granted team_manager", ""},
		{"", []string{"user", "grant", "--email", "new.person@example.org", "--role", "auditor", "--system"}, "granted auditor", ""},
		{"", []string{"user", "grant", "--email", "new.person@example.org", "--role", "rcc_analyst", "--rcc", "1"}, "granted rcc_analyst", ""},
		{"", []string{"user", "grant", "--email", "new.person@example.org", "--role", "team_manager"}, "", "exactly one of --council, --rcc or --system"},
		{"", []string{"user", "grant", "--email", "nobody@example.org", "--role", "auditor", "--system"}, "", "no user"},
		{"", []string{"user", "revoke", "--email", "new.person@example.org", "--role", "auditor", "--system"}, "revoked auditor", ""},
		{"", []string{"user", "revoke", "--email", "new.person@example.org", "--role", "auditor", "--system"}, "", "does not hold"},
		{"", []string{"user", "token", "--email", "new.person@example.org"}, "hth_", ""},
		{"", []string{"user", "frobnicate", "--email", "x@example.org"}, "", "unknown subcommand"},
		{"", []string{"nonsense"}, "", "unknown command"},
		{"", []string{"instrument", "load", "../../docs/instruments/cans-style-example.json"}, "loaded instrument cans-style version 1", ""},
		{"", []string{"instrument", "load", "../../docs/instruments/cans-style-example.json"}, "already loaded, unchanged", ""},
		{"", []string{"instrument", "load", "main_test.go"}, "", "nothing loaded"},
		{"", []string{"instrument", "load"}, "", "usage: hearth instrument load FILE"},
	}
	for _, s := range steps {
		out, err := hearth(s.stdin, s.args...)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Errorf("hearth %s: error %v; want %q", strings.Join(s.args, " "), err, s.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out, s.wantOut) {
			t.Errorf("hearth %s = %q, %v; want output containing %q", strings.Join(s.args, " "), out, err, s.wantOut)
		}
	}
}
