package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestNeedsSettingsAPI: PUT /api/v1/settings/needs sets a council's review
// intervals as the settings page does; a value out of range is named; another
// council's administrator is refused and nothing changes.
func TestNeedsSettingsAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, "la.admin@manchester.demo.hearth.test")
	status, body := b.sendJSON(t, admin, "PUT", "/api/v1/settings/needs", map[string]any{"council": 352,
		"review": map[string]any{"review_months": 4, "review_months_after_move": 2}})
	if status != http.StatusOK {
		t.Fatalf("PUT: %d %v", status, body)
	}
	if got := b.scalar(t, `SELECT needs_review_months * 100 + needs_review_months_after_move FROM local_authorities WHERE la_id = 352`); got != 402 {
		t.Errorf("intervals %d; want 4 and 2", got)
	}
	status, body = b.sendJSON(t, admin, "PUT", "/api/v1/settings/needs", map[string]any{"council": 352,
		"review": map[string]any{"review_months": 40, "review_months_after_move": 2}})
	if status != http.StatusUnprocessableEntity || fmt.Sprint(body["problems"]) == "" || !strings.Contains(fmt.Sprint(body["problems"]), "review_months") {
		t.Errorf("out of range: %d %v; want 422 naming review_months", status, body)
	}
	other := b.signIn(t, "la.admin@salford.demo.hearth.test")
	status, _ = b.sendJSON(t, other, "PUT", "/api/v1/settings/needs", map[string]any{"council": 352,
		"review": map[string]any{"review_months": 12, "review_months_after_move": 12}})
	if status != http.StatusForbidden {
		t.Errorf("another council's admin: %d; want 403", status)
	}
	if got := b.scalar(t, `SELECT needs_review_months FROM local_authorities WHERE la_id = 352`); got != 4 {
		t.Errorf("after a refusal the interval is %d; want 4", got)
	}
}
