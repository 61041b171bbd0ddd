package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

func (b *testBundle) sendJSON(t *testing.T, c *http.Client, method, path string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, b.ts.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestAssessmentAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sw, tm := b.signIn(t, socialWorker), b.signIn(t, teamManager)
	child := b.scalar(t, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL LIMIT 1`, socialWorker)
	domains := []string{"emotional_health", "healthy_attachments", "managing_emotions", "positive_relationships", "family_contact",
		"identity_life_story", "educational_progress", "physical_health", "self_care_independence", "keeping_safe",
		"communication_learning", "community_belonging"}
	var ratings []map[string]any
	for i, d := range domains {
		ratings = append(ratings, map[string]any{"domain": d, "level": i % 3, "evidence": "from the review"})
	}
	status, a := b.sendJSON(t, sw, "POST", fmt.Sprintf("/api/v1/children/%d/assessments", child),
		map[string]any{"assessed_on": "2026-03-01", "reason": "review", "ratings": ratings})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, a)
	}
	id := int64(a["assessment_id"].(float64))
	// 0,1,2 repeated four times: score 12, band medium.
	if a["score"].(float64) != 12 || a["band"] != "medium" {
		t.Errorf("created: score %v band %v; want 12 medium", a["score"], a["band"])
	}
	tests := []struct {
		name   string
		c      *http.Client
		method string
		path   string
		body   any
		want   int
	}{
		{"bad JSON field", sw, "POST", fmt.Sprintf("/api/v1/children/%d/assessments", child), map[string]any{"assesed_on": "2026-03-01"}, 422},
		{"bad date", sw, "POST", fmt.Sprintf("/api/v1/children/%d/assessments", child), map[string]any{"assessed_on": "01/03/2026", "reason": "review"}, 422},
		{"stale version", sw, "PUT", fmt.Sprintf("/api/v1/assessments/%d", id), map[string]any{"version": 99, "assessed_on": "2026-03-01", "reason": "review"}, 409},
		{"social worker approves", sw, "POST", fmt.Sprintf("/api/v1/assessments/%d/approve", id), map[string]any{"version": 1}, 403},
		{"submit", sw, "POST", fmt.Sprintf("/api/v1/assessments/%d/submit", id), map[string]any{"version": 1}, 200},
		{"submit twice", sw, "POST", fmt.Sprintf("/api/v1/assessments/%d/submit", id), map[string]any{"version": 2}, 422},
		{"approve", tm, "POST", fmt.Sprintf("/api/v1/assessments/%d/approve", id), map[string]any{"version": 2}, 200},
		{"edit approved", sw, "PUT", fmt.Sprintf("/api/v1/assessments/%d", id), map[string]any{"version": 3, "assessed_on": "2026-03-01", "reason": "review"}, 422},
		{"unknown assessment", tm, "GET", "/api/v1/assessments/999999", nil, 404},
	}
	for _, tt := range tests {
		if status, body := b.sendJSON(t, tt.c, tt.method, tt.path, tt.body); status != tt.want {
			t.Errorf("%s: status %d %v; want %d", tt.name, status, body, tt.want)
		}
	}
	commissioner := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	if status, body := b.sendJSON(t, commissioner, "GET", fmt.Sprintf("/api/v1/assessments/%d", id), nil); status != 200 || body["status"] != "approved" {
		t.Errorf("commissioner reads: %d %v", status, body["status"])
	}
	salford := b.signIn(t, "team.manager@salford.demo.hearth.test")
	if status, _ := b.sendJSON(t, salford, "GET", fmt.Sprintf("/api/v1/assessments/%d", id), nil); status != 404 {
		t.Errorf("another council reads: %d; want 404", status)
	}
}
