package ui_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// newDraft creates a draft through the form as the demo social worker and returns its id.
func (b *testBundle) newDraft(t *testing.T, c *http.Client, child int64, v url.Values) int64 {
	t.Helper()
	res := b.postForm(t, c, fmt.Sprintf("/children/%d/assessments", child), v)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create draft: status %d", res.StatusCode)
	}
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/assessments/%d/edit", &id); err != nil {
		t.Fatalf("create draft redirected to %q", res.Header.Get("Location"))
	}
	return id
}

func (b *testBundle) swChild(t *testing.T) int64 {
	return b.scalar(t, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL ORDER BY a.child_id LIMIT 1`, socialWorker)
}

// TestDraftConflictShowsBothVersions: two people save the same version of a
// draft; the second sees the first's saved text beside their own, which stays
// in the form, and nothing either typed is lost.
func TestDraftConflictShowsBothVersions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sw, tm := b.signIn(t, socialWorker), b.signIn(t, teamManager)
	child := b.swChild(t)
	id := b.newDraft(t, sw, child, url.Values{"instrument": {"hearth-12"}, "assessed_on": {"2026-03-20"}, "reason": {"review"}})
	form := func(evidence string) url.Values {
		return url.Values{"version": {"1"}, "instrument": {"hearth-12"}, "assessed_on": {"2026-03-20"}, "reason": {"review"},
			"level.emotional_health": {"2"}, "evidence.emotional_health": {evidence}, "action": {"save"}}
	}
	if res := b.postForm(t, sw, fmt.Sprintf("/assessments/%d/edit", id), form("Worker's note: sleeping better.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	res, err := tm.PostForm(b.ts.URL+fmt.Sprintf("/assessments/%d/edit", id), form("Manager's note: school reports tiredness."))
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save of the same version: %d; want 409", res.StatusCode)
	}
	for _, want := range []string{"Someone else saved this draft", "Worker&#39;s note: sleeping better.", "Manager&#39;s note: school reports tiredness.", `name="version" value="2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if got := b.text(t, `SELECT evidence FROM needs_ratings WHERE assessment_id = $1 AND domain_code = 'emotional_health'`, id); got != "Worker's note: sleeping better." {
		t.Errorf("saved evidence after the conflict = %q; the first save must stand", got)
	}
	// Autosave answers JSON: 409 on a stale version, the new version on success.
	req, _ := http.NewRequest("POST", b.ts.URL+fmt.Sprintf("/assessments/%d/edit", id), strings.NewReader(form("x").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if res, err := tm.Do(req); err != nil || res.StatusCode != http.StatusConflict {
		t.Errorf("stale autosave: %v %v; want 409", res.StatusCode, err)
	}
}

func TestNeedsPagesRefuseAndAudit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	id := b.newDraft(t, sw, child, url.Values{"instrument": {"hearth-12"}, "assessed_on": {"2026-03-20"}, "reason": {"review"}})
	otherChild := b.scalar(t, `SELECT child_id FROM children WHERE la_id = 355 ORDER BY child_id LIMIT 1`)
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"commissioner@manchester.demo.hearth.test", "GET", fmt.Sprintf("/children/%d/assessments/new", child), nil, 403},
		{"commissioner@manchester.demo.hearth.test", "POST", fmt.Sprintf("/assessments/%d/edit", id), url.Values{"version": {"1"}}, 403},
		{"commissioner@manchester.demo.hearth.test", "GET", fmt.Sprintf("/assessments/%d", id), nil, 200},
		{"sw2@manchester.demo.hearth.test", "GET", fmt.Sprintf("/assessments/%d", id), nil, 404},
		{"sw2@manchester.demo.hearth.test", "POST", fmt.Sprintf("/children/%d/sdq", child), url.Values{"taken_on": {"2026-03-01"}, "score": {"12"}}, 404},
		{socialWorker, "POST", fmt.Sprintf("/assessments/%d/decision", id), url.Values{"version": {"1"}, "decision": {"approve"}}, 403},
		{socialWorker, "GET", fmt.Sprintf("/children/%d", otherChild), nil, 404},
		{teamManager, "GET", fmt.Sprintf("/api/v1/children/%d/assessments.csv", otherChild), nil, 404},
		{"la.admin@manchester.demo.hearth.test", "GET", "/reviews", nil, 403},
		{"la.admin@manchester.demo.hearth.test", "GET", fmt.Sprintf("/assessments/%d", id), nil, 403},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "GET", "/api/v1/assessments.csv", nil, 403},
		{teamManager, "GET", "/settings/needs", nil, 403},
		{"team.manager@salford.demo.hearth.test", "POST", fmt.Sprintf("/assessments/%d/decision", id), url.Values{"version": {"1"}, "decision": {"approve"}}, 404},
		{socialWorker, "POST", fmt.Sprintf("/children/%d/sdq", child), url.Values{"taken_on": {"2026-03-01"}, "score": {"41"}}, 422},
	}
	for _, tt := range tests {
		c := b.signIn(t, tt.who)
		var res *http.Response
		if tt.method == "GET" {
			res, _ = b.get(t, c, tt.path)
		} else {
			res = b.postForm(t, c, tt.path, tt.form)
		}
		if res.StatusCode != tt.want {
			t.Errorf("%s %s %s: %d; want %d", tt.who, tt.method, tt.path, res.StatusCode, tt.want)
		}
	}
	// Views of a child's needs are audited, as are refusals.
	b.get(t, sw, fmt.Sprintf("/children/%d", child))
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'child_needs' AND entity_id = $1 AND action = 'view'`, strconv.FormatInt(child, 10)); n == 0 {
		t.Error("viewing the child's needs was not audited")
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE outcome = 'denied' AND (entity = 'needs' OR action LIKE 'needs.%')`); n == 0 {
		t.Error("refused needs access was not audited")
	}
}

// TestAssessmentCSV checks the export against the database, scores summed by SQL.
func TestAssessmentCSV(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	tm := b.signIn(t, teamManager)
	res, body := b.get(t, tm, fmt.Sprintf("/api/v1/children/%d/assessments.csv", child))
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("child CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := b.scalar(t, `SELECT count(*) FROM needs_assessments WHERE child_id = $1`, child); int64(len(recs)-1) != want {
		t.Fatalf("%d rows; want %d assessments", len(recs)-1, want)
	}
	head := recs[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	if len(head) != 10+12 {
		t.Errorf("%d columns; want 10 and one per domain", len(head))
	}
	for _, r := range recs[1:] {
		id, _ := strconv.ParseInt(r[col["assessment_id"]], 10, 64)
		want := b.scalar(t, `SELECT coalesce(sum(level), 0) FROM needs_ratings WHERE assessment_id = $1`, id)
		if r[col["need_score"]] != strconv.FormatInt(want, 10) {
			t.Errorf("assessment %d: need_score %s; SQL sums %d", id, r[col["need_score"]], want)
		}
		lvl := b.scalar(t, `SELECT coalesce(level, -1) FROM needs_ratings WHERE assessment_id = $1 AND domain_code = 'keeping_safe'`, id)
		if r[col["keeping_safe"]] != strconv.FormatInt(lvl, 10) {
			t.Errorf("assessment %d: keeping_safe %s; want %d", id, r[col["keeping_safe"]], lvl)
		}
	}
	// A social worker's caseload export holds only their children.
	sw := b.signIn(t, socialWorker)
	_, body = b.get(t, sw, "/api/v1/assessments.csv")
	recs, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	want := b.scalar(t, `SELECT count(*) FROM needs_assessments n JOIN allocations a USING (la_id, child_id) JOIN users u ON u.user_id = a.user_id
		WHERE u.email = $1 AND a.valid_to IS NULL`, socialWorker)
	if int64(len(recs)-1) != want {
		t.Errorf("caseload CSV has %d rows; want %d", len(recs)-1, want)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'export'`); n != 2 {
		t.Errorf("%d exports audited; want 2", n)
	}
}

func TestReviewsPageAndSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tm := b.signIn(t, teamManager)
	res, body := b.get(t, tm, "/reviews")
	if res.StatusCode != 200 || !strings.Contains(body, `id="overdue"`) {
		t.Fatalf("reviews page: %d", res.StatusCode)
	}
	rows := strings.Count(body[strings.Index(body, `id="overdue"`):], `<tr class="govuk-table__row">`) - 1 // minus the header row
	_, js := b.get(t, tm, "/api/v1/reviews/overdue")
	if n := strings.Count(js, `"child_id"`); n != rows {
		t.Errorf("page lists %d overdue children; API %d", rows, n)
	}
	admin := b.signIn(t, "la.admin@manchester.demo.hearth.test")
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"la": {"352"}, "review_months": {"30"}, "review_months_after_move": {"3"}}); res.StatusCode != 422 {
		t.Errorf("30-month interval: %d; want 422", res.StatusCode)
	}
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"la": {"355"}, "review_months": {"4"}, "review_months_after_move": {"2"}}); res.StatusCode != 403 {
		t.Errorf("Manchester's admin setting Salford's interval: %d; want 403", res.StatusCode)
	}
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"la": {"352"}, "review_months": {"12"}, "review_months_after_move": {"6"}}); res.StatusCode != 200 {
		t.Errorf("saving intervals: %d", res.StatusCode)
	}
	_, js2 := b.get(t, tm, "/api/v1/reviews/overdue")
	if strings.Count(js2, `"child_id"`) >= strings.Count(js, `"child_id"`) {
		t.Error("lengthening the review interval did not shorten the overdue list")
	}
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (b *testBundle) text(t *testing.T, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := b.pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}
