package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAssessmentWorkflow: a social worker completes and submits a needs
// assessment (the draft autosaves on the way), a team manager approves it, and
// the child's trajectory chart shows it.
func TestBrowserAssessmentWorkflow(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()

	var childID int64
	if err := b.pool.QueryRow(ctx, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id)
		WHERE u.email = $1 AND a.valid_to IS NULL ORDER BY a.child_id LIMIT 1`, socialWorker).Scan(&childID); err != nil {
		t.Fatal(err)
	}
	approvedBefore := b.scalar(t, `SELECT count(*) FROM needs_assessments WHERE child_id = $1 AND status = 'approved'`, childID)
	signIn := func(email string) {
		p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, "hearth-demo-password"),
			chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`))
	}
	signIn(socialWorker)
	p.do(chromedp.Navigate(fmt.Sprintf("%s/children/%d", base, childID)), chromedp.WaitVisible(`#new-assessment`),
		chromedp.Click(`#new-assessment`), chromedp.WaitVisible(`#assessment-form`))
	// Rate half the domains and save a draft.
	domains := []string{"emotional_health", "healthy_attachments", "managing_emotions", "positive_relationships", "family_contact",
		"identity_life_story", "educational_progress", "physical_health", "self_care_independence", "keeping_safe",
		"communication_learning", "community_belonging"}
	levels := []int{3, 2, 2, 1, 2, 2, 1, 0, 1, 1, 0, 1} // one 3: band high; score 16
	rate := func(from, to int) {
		for i := from; i < to; i++ {
			p.do(chromedp.Click(fmt.Sprintf(`[id="level.%s.%d"]`, domains[i], levels[i])),
				chromedp.SendKeys(fmt.Sprintf(`[id="evidence.%s"]`, domains[i]), "Seen at the home visit on Tuesday."))
		}
	}
	rate(0, 6)
	p.do(chromedp.Click(`#save`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	url, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	var assessmentID int64
	if _, err := fmt.Sscanf(url[strings.Index(url, "/assessments/"):], "/assessments/%d/edit", &assessmentID); err != nil {
		t.Fatalf("after saving a draft the page is %s", url)
	}
	// The rest autosaves without pressing a button.
	rate(6, 12)
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](`document.getElementById("assessment-form").hearthSave()`)); err != nil {
		t.Fatal(err)
	}
	// The levels were carried forward from the last approved assessment, so
	// wait for the evidence, which only this autosave brings.
	waitFor(t, func() bool {
		return b.scalar(t, `SELECT count(*) FROM needs_ratings WHERE assessment_id = $1 AND level IS NOT NULL AND evidence <> ''`, assessmentID) == 12
	}, func() string { return "autosave: " + p.text(`#autosave-status`) })
	waitFor(t, func() bool { return strings.HasPrefix(p.text(`#autosave-status`), "Draft saved at") },
		func() string { return "autosave status: " + p.text(`#autosave-status`) })
	for i, d := range domains {
		if got := b.scalar(t, `SELECT level FROM needs_ratings WHERE assessment_id = $1 AND domain_code = $2`, assessmentID, d); got != int64(levels[i]) {
			t.Errorf("%s saved at level %d; chose %d", d, got, levels[i])
		}
	}
	p.screenshot("needs-1-form")
	// (The form itself is screenshot at both widths by TestBrowserSessionEndsOnNewAssessment.)
	// After the last domain: check your answers, each domain with its level,
	// evidence and a Change link back to that domain.
	p.do(chromedp.Click(`#submit`), chromedp.WaitVisible(`#check-heading`))
	for i, d := range domains {
		if got, want := p.text(fmt.Sprintf(`[data-level="%s"]`, d)), fmt.Sprintf("Level %d – ", levels[i]); !strings.HasPrefix(got, want) {
			t.Errorf("check answers: %s shows %q; want it to start %q", d, got, want)
		}
		if got := p.text(fmt.Sprintf(`[data-evidence="%s"]`, d)); got != "Seen at the home visit on Tuesday." {
			t.Errorf("check answers: %s evidence %q", d, got)
		}
	}
	p.widths("assessment-check")
	// Change goes back to that domain of the form, and continuing returns here.
	p.do(chromedp.Click(`[data-change="positive_relationships"]`), chromedp.WaitVisible(`#assessment-form`))
	if loc, err := chromedp.Run(p.ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, fmt.Sprintf("/assessments/%d/edit#domain-positive_relationships", assessmentID)) {
		t.Errorf("Change went to %s (%v)", loc, err)
	}
	p.do(chromedp.Click(`#submit`), chromedp.WaitVisible(`#check-heading`),
		chromedp.Click(`#submit`), chromedp.WaitVisible(`#submitted-panel`))
	if got := p.text(`#submitted-score`); got != "need score 16, High band" {
		t.Errorf("confirmation panel says %q", got)
	}
	if next := p.text(`#what-next`); !strings.Contains(next, "team manager") || !strings.Contains(next, "Assessments waiting for your approval") || !strings.Contains(next, "Returned to you for changes") {
		t.Errorf("what happens next does not say who approves, how they are told and where it comes back: %q", next)
	}
	p.widths("assessment-confirmation")
	p.do(chromedp.Click(`#see-assessment`), chromedp.WaitVisible(`#status`))
	if s := p.text(`#status`); s != "Submitted" {
		t.Fatalf("after submitting, status = %q", s)
	}
	if s, band := p.text(`#score`), p.text(`#band`); s != "16" || band != "High" {
		t.Errorf("score %q band %q; want 16, High", s, band)
	}
	p.do(chromedp.Click(`form[action="/signout"] button`), chromedp.WaitVisible(`#email`))

	// The team manager finds it waiting on the dashboard and approves it.
	signIn(teamManager)
	p.do(chromedp.WaitVisible(fmt.Sprintf(`#awaiting-approval a[href="/assessments/%d"]`, assessmentID)),
		chromedp.Click(fmt.Sprintf(`#awaiting-approval a[href="/assessments/%d"]`, assessmentID)), chromedp.WaitVisible(`#approve`))
	p.screenshot("needs-2-approve")
	// Approving asks first, and cancelling changes nothing.
	p.do(chromedp.Click(`#approve`), chromedp.WaitVisible(`#confirm-heading`))
	if h := p.text(`#confirm-heading`); h != "Approve this needs assessment?" {
		t.Errorf("confirmation heading = %q", h)
	}
	if c := p.text(`#confirm-caption`); !strings.Contains(c, "need score 16") {
		t.Errorf("the confirmation does not say which assessment: %q", c)
	}
	if w := p.text(`#confirm-happens`); !strings.Contains(w, "current needs profile") {
		t.Errorf("confirmation does not say what will happen: %q", w)
	}
	p.widths("confirm-approve")
	p.do(chromedp.Click(`#confirm-cancel`), chromedp.WaitVisible(`#approve`))
	if s := p.text(`#status`); s != "Submitted" {
		t.Fatalf("after cancelling the approval, status = %q; want it unchanged", s)
	}
	p.do(chromedp.Click(`#approve`), chromedp.WaitVisible(`#confirm`), chromedp.Click(`#confirm`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	if s := p.text(`#status`); s != "Approved" {
		t.Fatalf("after approval, status = %q", s)
	}
	// The child's page shows it as the current profile, and on the trajectory chart.
	p.do(chromedp.Navigate(fmt.Sprintf("%s/children/%d", base, childID)), chromedp.WaitVisible(`#score-chart svg`))
	p.screenshot("needs-3-child")
	if s := p.text(`#current-summary`); !strings.Contains(s, "need score 16") {
		t.Errorf("current profile summary = %q", s)
	}
	points, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#score-chart svg .hearth-mark").length`))
	if err != nil {
		t.Fatal(err)
	}
	if want := int(approvedBefore) + 1; points != want {
		t.Errorf("trajectory chart has %d points; want %d approved assessments", points, want)
	}
	domainCharts, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#domain-charts svg").length`))
	if err != nil {
		t.Fatal(err)
	}
	if domainCharts != 12 {
		t.Errorf("%d domain charts; want 12", domainCharts)
	}
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, cond func() bool, state func() string) {
	t.Helper()
	for range 100 {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting; %s", state())
}
