package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// TestUserCommands pins the command-line interface that councils' scripts use.
func TestUserCommands(t *testing.T) {
	t.Parallel()
	url, owner := dbtest.URLs(t)
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": url, "DATABASE_OWNER_URL": owner, "LOG_LEVEL": "error"}[k]
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
		{"", []string{"user", "token", "--email", "new.person@example.org", "--label", "nightly report"}, "hth_", ""},
		{"", []string{"user", "tokens", "--email", "new.person@example.org"}, "nightly report", ""},
		{"", []string{"user", "revoke-token", "--email", "new.person@example.org", "--token", "1"}, "revoked token 1", ""},
		{"", []string{"user", "revoke-token", "--email", "new.person@example.org", "--token", "1"}, "", "not found"},
		{"", []string{"user", "show", "--email", "new.person@example.org"}, "auditor        system       from", ""},
		{"", []string{"user", "show", "--email", "new.person@example.org", "--on", "2020-03-03"}, "no roles", ""},
		{"", []string{"user", "disable", "--email", "new.person@example.org"}, "sessions ended, bearer tokens revoked", ""},
		{"", []string{"user", "token", "--email", "new.person@example.org"}, "", "disabled"},
		{"", []string{"user", "enable", "--email", "new.person@example.org"}, "enabled new.person@example.org", ""},
		{"", []string{"user", "frobnicate", "--email", "x@example.org"}, "", "unknown subcommand"},
		{"", []string{"nonsense"}, "", "unknown command"},
		{"", []string{"instrument", "load", "../../docs/instruments/cans-style-example.json"}, "loaded instrument cans-style version 1", ""},
		{"", []string{"instrument", "load", "../../docs/instruments/cans-style-example.json"}, "already loaded, unchanged", ""},
		{"", []string{"instrument", "load", "main_test.go"}, "", "nothing loaded"},
		{"", []string{"instrument", "load"}, "", "usage: hearth instrument load FILE"},
		{"", []string{"rcc", "show", "--rcc", "gm-rcc"}, "Trafford     E08000009  from 2025-05-01 to open", ""},
		{"", []string{"rcc", "disclosure", "--rcc", "gm-rcc", "--min-count", "10", "--max-noise", "3", "--k", "10"}, "counts below 10 withheld, noise up to ±3, extract k = 10", ""},
		{"", []string{"rcc", "disclosure", "--rcc", "gm-rcc", "--min-count", "1", "--max-noise", "0"}, "", "min-count"},
		{"", []string{"rcc", "show", "--rcc", "gm-rcc"}, "counts below 10 withheld, noise up to ±3, extract k = 10", ""},
		{"", []string{"rcc", "leave", "--rcc", "gm-rcc", "--council", "E08000009", "--on", "2026-01-01"}, "left gm-rcc from 2026-01-01", ""},
		{"", []string{"rcc", "leave", "--rcc", "gm-rcc", "--council", "E08000009", "--on", "2026-02-01"}, "", "no membership"},
		{"", []string{"rcc", "join", "--rcc", "gm-rcc", "--council", "E08000003", "--from", "2026-01-01"}, "", "already a member"},
		{"", []string{"rcc", "join", "--rcc", "gm-rcc", "--council", "E08000009", "--from", "2026-06-01"}, "joined gm-rcc from 2026-06-01", ""},
		{"", []string{"rcc", "join", "--rcc", "nowhere", "--council", "E08000009"}, "", "no cooperative"},
		{"", []string{"council", "create", "--la", "357", "--ons", "E08000008", "--name", "Tameside"}, "created council Tameside (LA 357, ONS E08000008)", ""},
		{"", []string{"council", "create", "--la", "357", "--ons", "E08000099", "--name", "Again"}, "", "LA code 357 is already set up"},
		{"", []string{"council", "create", "--la", "12", "--ons", "X1", "--name", ""}, "", "la: Enter the council's three-digit DfE LA code"},
		{"", []string{"rcc", "create", "--rcc", "north-west", "--name", "North West RCC"}, "created cooperative North West RCC (north-west)", ""},
		{"", []string{"rcc", "create", "--rcc", "North West!", "--name", "x"}, "", "code: Enter a short code"},
		{"", []string{"rcc", "join", "--rcc", "north-west", "--council", "E08000008", "--from", "2026-04-01"}, "joined north-west from 2026-04-01", ""},
		{"", []string{"user", "grant", "--email", "new.person@example.org", "--role", "la_admin", "--council", "E08000008"}, "granted la_admin", ""},
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

// TestImportExportCommands drives hearth import and export ssda903.
func TestImportExportCommands(t *testing.T) {
	t.Parallel()
	url, owner := dbtest.URLs(t)
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": url, "DATABASE_OWNER_URL": owner, "LOG_LEVEL": "error"}[k]
	}
	hearth := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &out, env)
		return out.String(), err
	}
	if _, err := hearth("demo", "--children", "20", "--as-of", "2026-03-31"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for tbl, body := range ssda903.Synthesize(ssda903.SynthOptions{Seed: 9, Children: 50, Year: 2026}) {
		p := filepath.Join(dir, string(tbl)+".csv")
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := hearth(append([]string{"import", "ssda903", "--council", "E08000003", "--year", "2026"}, paths...)...)
	if err != nil || !strings.Contains(out, "imported 2025/26 return for council 352") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err = hearth(append([]string{"import", "ssda903", "--council", "352", "--year", "2026"}, paths...)...)
	if err != nil {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	// Every kind of record says it is unchanged: no new or changed rows at all.
	counted := regexp.MustCompile(`(?m)^(\w+) +\d+ rows: (\d+) new, (\d+) changed`).FindAllStringSubmatch(out, -1)
	if len(counted) != 7 {
		t.Fatalf("second import reported %d kinds of record; want 7:\n%s", len(counted), out)
	}
	for _, m := range counted {
		if m[2] != "0" || m[3] != "0" {
			t.Errorf("second import changed %s: %s new, %s changed", m[1], m[2], m[3])
		}
	}
	all := filepath.Join(dir, "problems.csv")
	out, err = hearth("import", "ssda903", "--council", "352", "--year", "2018", "--problems", all, "../../internal/ssda903/testdata/sample/episodes.csv", "../../internal/ssda903/testdata/sample/header.csv")
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(out, "error 148 ×1413: Date episode ceased and reason episode ceased must both be given") ||
		!strings.Contains(out, `    episodes.csv line 3 REC "X1"`) || !strings.Contains(out, "error 530 ×27: Provider PR4 (private) with placement P1") {
		t.Errorf("sample return: %v\n%.1500s", err, out)
	}
	if b, err := os.ReadFile(all); err != nil || bytes.Count(b, []byte("\n")) < 8000 || !bytes.HasPrefix(b, []byte("severity,rule,file,line,column,value,problem")) {
		t.Errorf("--problems file: %v, %d lines", err, bytes.Count(b, []byte("\n")))
	}
	if _, err := hearth("import", "ssda903", "--council", "E99999999", "--year", "2026", paths[0]); err == nil || !strings.Contains(err.Error(), "no council") {
		t.Errorf("unknown council: %v", err)
	}
	out, err = hearth("export", "ssda903", "--council", "352", "--year", "2026", "-o", dir)
	if err != nil || !strings.Contains(out, "episodes.csv") {
		t.Fatalf("export: %v %s", err, out)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "episodes.csv")); err != nil || !bytes.HasPrefix(b, []byte("CHILD,DECOM,RNE")) {
		t.Errorf("exported episodes: %v %.40q", err, b)
	}
	for _, name := range []string{"reviews.csv", "uasc.csv", "oc2.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil || !strings.Contains(out, name) {
			t.Errorf("export did not write %s: %v", name, err)
		}
	}
	out, err = hearth("export", "ssda903", "--council", "352", "--year", "2026", "-o", dir, "--xml")
	if b, rerr := os.ReadFile(filepath.Join(dir, "return.xml")); err != nil || rerr != nil || !bytes.Contains(b, []byte("<EXPSSDA903>")) {
		t.Errorf("XML export: %v %v %s", err, rerr, out)
	}
}
