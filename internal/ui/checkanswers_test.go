package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCheckAnswersPages: the form's main button saves and goes to check your
// answers; submitting an incomplete draft there names every domain still to
// rate (linking to its row) and submits nothing; a stale version is refused;
// others are refused and audited; and only a submitted assessment has a
// confirmation page.
func TestCheckAnswersPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sw := b.signIn(t, socialWorker)
	child := b.swChild(t)
	// A new assessment goes straight to check answers on the main button.
	res := b.postForm(t, sw, fmt.Sprintf("/children/%d/assessments", child), url.Values{"instrument": {"hearth-12"}, "assessed_on": {"20/03/2026"},
		"reason": {"review"}, "action": {"check"}})
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/assessments/%d/check", &id); res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("continue on a new assessment: %d to %q; want 303 to its check page", res.StatusCode, res.Header.Get("Location"))
	}
	version := b.scalar(t, `SELECT version FROM needs_assessments WHERE assessment_id = $1`, id)
	unrated := b.scalar(t, `SELECT count(*) FROM needs_ratings WHERE assessment_id = $1 AND level IS NULL`, id) +
		12 - b.scalar(t, `SELECT count(*) FROM needs_ratings WHERE assessment_id = $1`, id)
	if _, body := b.get(t, sw, fmt.Sprintf("/assessments/%d/check", id)); !strings.Contains(body, fmt.Sprintf("%d of 12 domains are not yet rated", unrated)) || unrated == 0 {
		t.Errorf("check page does not say %d domains are unrated", unrated)
	}
	// Submitting it: 422, the error summary names each unrated domain and links to its row.
	res, err := sw.PostForm(b.ts.URL+fmt.Sprintf("/assessments/%d/submit", id), url.Values{"version": {fmt.Sprint(version)}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<title>Error: ") {
		t.Fatalf("submitting an incomplete draft: %d; want 422 with an Error: title", res.StatusCode)
	}
	if links := strings.Count(body, `<li><a href="#ratings.`); int64(links) < unrated {
		t.Errorf("error summary links %d domains; %d are unrated", links, unrated)
	}
	if st := b.text(t, `SELECT status FROM needs_assessments WHERE assessment_id = $1`, id); st != "draft" {
		t.Errorf("status after a refused submit = %q", st)
	}
	if res, _ := b.get(t, sw, fmt.Sprintf("/assessments/%d/submitted", id)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a draft's confirmation page: %d; want a redirect to check answers", res.StatusCode)
	}
	// Rate everything (the form's check action saves first), then a stale version is refused.
	form := url.Values{"version": {fmt.Sprint(version)}, "instrument": {"hearth-12"}, "assessed_on": {"20 Mar 2026"}, "reason": {"review"}, "action": {"check"}}
	for _, d := range []string{"emotional_health", "healthy_attachments", "managing_emotions", "positive_relationships", "family_contact",
		"identity_life_story", "educational_progress", "physical_health", "self_care_independence", "keeping_safe", "communication_learning", "community_belonging"} {
		form.Set("level."+d, "1")
		form.Set("evidence."+d, "Seen at the visit.")
	}
	if res := b.postForm(t, sw, fmt.Sprintf("/assessments/%d/edit", id), form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/assessments/%d/check", id) {
		t.Fatalf("save and check: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := b.postForm(t, sw, fmt.Sprintf("/assessments/%d/submit", id), url.Values{"version": {fmt.Sprint(version)}}); res.StatusCode != http.StatusConflict {
		t.Errorf("submitting the version before the last save: %d; want 409", res.StatusCode)
	}
	// Others cannot see or submit it: refused and audited against the council.
	for _, tt := range []struct {
		who, method, path string
		want              int
	}{
		{"sw2@manchester.demo.hearth.test", "GET", fmt.Sprintf("/assessments/%d/check", id), 404},
		{"sw2@manchester.demo.hearth.test", "POST", fmt.Sprintf("/assessments/%d/submit", id), 404},
		{"commissioner@manchester.demo.hearth.test", "POST", fmt.Sprintf("/assessments/%d/submit", id), 403},
		{"team.manager@salford.demo.hearth.test", "GET", fmt.Sprintf("/assessments/%d/submitted", id), 404},
	} {
		c := b.signIn(t, tt.who)
		var res *http.Response
		if tt.method == "GET" {
			res, _ = b.get(t, c, tt.path)
		} else {
			res = b.postForm(t, c, tt.path, url.Values{"version": {fmt.Sprint(version + 1)}})
		}
		if res.StatusCode != tt.want {
			t.Errorf("%s %s %s: %d; want %d", tt.who, tt.method, tt.path, res.StatusCode, tt.want)
		}
	}
	if st := b.text(t, `SELECT status FROM needs_assessments WHERE assessment_id = $1`, id); st != "draft" {
		t.Fatalf("after others' attempts the status is %q", st)
	}
	// Each of the four refusals is recorded (as denied, or as not found where
	// the caller may not learn that the assessment exists).
	if n := b.scalar(t, `SELECT count(*) FROM audit_events e JOIN users u USING (user_id) WHERE e.outcome IN ('denied', 'not_found')
		AND u.email IN ('sw2@manchester.demo.hearth.test', 'commissioner@manchester.demo.hearth.test', 'team.manager@salford.demo.hearth.test')`); n < 4 {
		t.Errorf("%d refusals audited; want at least the 4 attempts", n)
	}
	// The author submits the current version: the confirmation page follows.
	res = b.postForm(t, sw, fmt.Sprintf("/assessments/%d/submit", id), url.Values{"version": {fmt.Sprint(version + 1)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/assessments/%d/submitted", id) {
		t.Fatalf("submit: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := b.get(t, sw, fmt.Sprintf("/assessments/%d/submitted", id)); !strings.Contains(body, "govuk-panel--confirmation") || !strings.Contains(body, "What happens next") {
		t.Error("the confirmation page has no panel or what happens next")
	}
	if res, _ := b.get(t, sw, fmt.Sprintf("/assessments/%d/check", id)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("check page of a submitted assessment: %d; want a redirect to the assessment", res.StatusCode)
	}
}
