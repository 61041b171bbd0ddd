package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNewAssessmentFormCarriesTheCurrentLevels: the new-assessment form (read
// in one pass since issue 19's fourth round) fills in each domain's level from
// the child's current approved assessment, says when it was, and is audited as
// a view of the child and of their needs; a child with a draft leads to the
// draft; a commissioner is refused and another council's child is not found.
// The current assessment is worked out here in SQL, independently of
// needs.settle: the latest approved by the demo's day that no approved
// correction dated by then supersedes.
func TestNewAssessmentFormCarriesTheCurrentLevels(t *testing.T) {
	t.Parallel()
	b := setup(t)
	day := asOf.Format(time.DateOnly)
	current := `SELECT a.assessment_id FROM needs_assessments a
		WHERE a.la_id = c.la_id AND a.child_id = c.child_id AND a.status = 'approved' AND a.assessed_on <= $2::date
		  AND NOT EXISTS (SELECT 1 FROM needs_assessments s WHERE s.la_id = a.la_id AND s.supersedes = a.assessment_id
		                  AND s.status = 'approved' AND s.assessed_on <= $2::date)
		ORDER BY a.assessed_on DESC, a.assessment_id DESC LIMIT 1`
	child := b.scalar(t, `SELECT c.child_id FROM children c JOIN allocations al ON al.la_id = c.la_id AND al.child_id = c.child_id AND al.valid_to IS NULL
		JOIN users u ON u.user_id = al.user_id AND u.email = $1
		WHERE EXISTS (`+current+`)
		  AND NOT EXISTS (SELECT 1 FROM needs_assessments d WHERE d.la_id = c.la_id AND d.child_id = c.child_id AND d.status = 'draft')
		ORDER BY c.child_id LIMIT 1`, socialWorker, day)
	cur := b.scalar(t, `SELECT (`+current+`) FROM children c WHERE c.child_id = $1`, child, day)
	want := map[string]int64{}
	rows, err := b.pool.Query(t.Context(), `SELECT domain_code, level FROM needs_ratings WHERE assessment_id = $1 AND level IS NOT NULL`, cur)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var level int64
		if err := rows.Scan(&code, &level); err != nil {
			t.Fatal(err)
		}
		want[code] = level
	}
	if rows.Err() != nil || len(want) == 0 {
		t.Fatalf("current assessment %d of child %d has no ratings (%v)", cur, child, rows.Err())
	}
	on := b.text(t, `SELECT to_char(assessed_on, 'FMDD FMMonth YYYY') FROM needs_assessments WHERE assessment_id = $1`, cur)

	sw := b.signIn(t, socialWorker)
	res, body := b.get(t, sw, fmt.Sprintf("/children/%d/assessments/new", child))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new assessment form: %d; want 200", res.StatusCode)
	}
	checked := regexp.MustCompile(`name="level\.([a-z_]+)"[^>]*value="(\d+)"[^>]*checked|value="(\d+)"[^>]*name="level\.([a-z_]+)"[^>]*checked`)
	got := map[string]int64{}
	for _, m := range checked.FindAllStringSubmatch(body, -1) {
		code, v := m[1], m[2]
		if code == "" {
			code, v = m[4], m[3]
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		got[code] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("levels filled in = %v; want the current assessment's %v", got, want)
	}
	for code, level := range want {
		if s := fmt.Sprintf(`data-last="%s">Last time: level %d (%s)`, code, level, on); !strings.Contains(body, s) {
			t.Errorf("form lacks %q", s)
		}
	}
	for _, e := range []string{"child", "child_needs"} {
		if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'view' AND entity = $1 AND entity_id = $2 AND outcome = 'ok'`, e, strconv.FormatInt(child, 10)); n != 1 {
			t.Errorf("form shown once: %d %s view events; want 1", n, e)
		}
	}

	// A draft: the form's address leads to it.
	id := b.newDraft(t, sw, child, map[string][]string{"instrument": {"hearth-12"}, "assessed_on": {"2026-03-20"}, "reason": {"review"}})
	res, _ = b.get(t, sw, fmt.Sprintf("/children/%d/assessments/new", child))
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/assessments/%d/edit", id) {
		t.Errorf("with a draft: %d to %q; want 303 to /assessments/%d/edit", res.StatusCode, loc, id)
	}

	otherChild := b.scalar(t, `SELECT child_id FROM children WHERE la_id = 355 ORDER BY child_id LIMIT 1`)
	for _, tt := range []struct {
		who   string
		child int64
		want  int
	}{
		{"commissioner@manchester.demo.hearth.test", child, http.StatusForbidden},
		{socialWorker, otherChild, http.StatusNotFound},
		{"sw2@manchester.demo.hearth.test", child, http.StatusNotFound},
	} {
		res, body := b.get(t, b.signIn(t, tt.who), fmt.Sprintf("/children/%d/assessments/new", tt.child))
		if res.StatusCode != tt.want {
			t.Errorf("%s, child %d: %d; want %d", tt.who, tt.child, res.StatusCode, tt.want)
		}
		if strings.Contains(body, "Last time:") {
			t.Errorf("%s, child %d: the refusal shows levels", tt.who, tt.child)
		}
	}
	for _, tt := range []struct{ who, outcome string }{
		{"commissioner@manchester.demo.hearth.test", "denied"}, {"sw2@manchester.demo.hearth.test", "not_found"},
	} {
		if n := b.scalar(t, `SELECT count(*) FROM audit_events e JOIN users u USING (user_id)
			WHERE u.email = $1 AND e.outcome = $2 AND e.la_id = 352`, tt.who, tt.outcome); n == 0 {
			t.Errorf("%s's refusal (%s) was not audited against the child's council", tt.who, tt.outcome)
		}
	}
}
