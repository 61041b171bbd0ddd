package ui_test

import (
	"github.com/hearthcare/hearth/internal/analytics"
	"net/url"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/csvsafe"
)

// TestEveryCSVIsSafeInExcel plants spreadsheet formulas where users can
// type free text (a provider's name, a court case number; child references
// are checked to be plain codes) and
// downloads every CSV export: no cell may start a formula, and each planted
// value arrives as text.
func TestEveryCSVIsSafeInExcel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	const formula = `=HYPERLINK("http://evil.example","x")`
	for _, sql := range []string{
		`UPDATE providers SET name = '` + strings.ReplaceAll(formula, "'", "''") + `'`,
		// Every provider the same name, and k = 2, so names survive k-anonymity.
		`UPDATE regional_cooperatives SET disclosure_k = 2`,
		`UPDATE proceedings SET case_number = '-' || case_number WHERE la_id = 352`,
	} {
		if _, err := b.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	// The extract reads today's state from the materialized view.
	if err := analytics.RefreshCurrent(ctx, b.pool, asOf); err != nil {
		t.Fatal(err)
	}
	purpose := url.QueryEscape("Testing spreadsheet safety")
	for _, c := range []struct{ who, path, planted string }{
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/assessments.csv", ""},
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/analytics/step-down.csv", ""},
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/delay.csv", "'-"},
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/ssda903/export?la=352&year=2026&table=header", ""},
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/ssda903/export?la=352&year=2026&table=episodes", ""},
		{rccDataOfficer, "/api/v1/region/extract.csv?purpose=" + purpose, "'=HYPERLINK"},
	} {
		res, body := b.get(t, b.signIn(t, c.who), c.path)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d %.200s", c.path, res.StatusCode, body)
			continue
		}
		if csvsafe.Unsafe([]byte(body)) {
			t.Errorf("%s: a cell starts a formula", c.path)
		}
		if c.planted != "" && !strings.Contains(body, c.planted) {
			t.Errorf("%s: the planted value is not there, escaped (%q)", c.path, c.planted)
		}
	}
}
