package ui_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSessionEndsOnNewAssessment: a social worker opens a NEW needs
// assessment (carried forward from the last approved one), is warned before
// the idle limit and stays signed in; later the session ends while they type,
// before anything was saved. Nothing is lost: signing in again returns to the
// form, puts back what was typed and saves it as the draft.
func TestBrowserSessionEndsOnNewAssessment(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()

	// A child on the worker's caseload with an approved assessment and no open draft.
	var childID, lastID int64
	var lastOn time.Time
	if err := b.pool.QueryRow(ctx, `SELECT a.child_id, na.assessment_id, na.assessed_on FROM allocations a JOIN users u USING (user_id)
		JOIN LATERAL (SELECT assessment_id, assessed_on FROM needs_assessments n WHERE n.la_id = a.la_id AND n.child_id = a.child_id AND n.status = 'approved'
		              ORDER BY assessed_on DESC, assessment_id DESC LIMIT 1) na ON true
		WHERE u.email = $1 AND a.valid_to IS NULL
		  AND NOT EXISTS (SELECT 1 FROM needs_assessments d WHERE d.la_id = a.la_id AND d.child_id = a.child_id AND d.status IN ('draft', 'returned'))
		ORDER BY a.child_id LIMIT 1`, socialWorker).Scan(&childID, &lastID, &lastOn); err != nil {
		t.Fatal(err)
	}
	lastLevel := b.scalar(t, `SELECT level FROM needs_ratings WHERE assessment_id = $1 AND domain_code = 'emotional_health'`, lastID)
	before := b.scalar(t, `SELECT count(*) FROM needs_assessments WHERE child_id = $1`, childID)
	newForm := fmt.Sprintf("/children/%d/assessments/new", childID)

	p.do(chromedp.Navigate(base+newForm), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, socialWorker), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#assessment-form`))
	// Carried forward: the last approved level is chosen, and said.
	want := fmt.Sprintf("Last time: level %d (%s)", lastLevel, lastOn.Format("2 January 2006"))
	if got := p.text(`[data-last="emotional_health"]`); got != want {
		t.Errorf("last time = %q; want %q", got, want)
	}
	checked, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById("level.emotional_health.%d").checked`, lastLevel)))
	if err != nil || !checked {
		t.Errorf("the last approved level %d is not chosen (%v)", lastLevel, err)
	}

	// Two minutes before the idle limit the warning opens; "Stay signed in" keeps the session.
	p.do(chromedp.Evaluate[chromedp.Void](`window.hearthSession.warn()`), chromedp.WaitVisible(`#session-stay`))
	if focused, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "session-stay" {
		t.Errorf("focus is on %q; want the Stay signed in button", focused)
	}
	p.axe() // the dialog as it stands
	p.view("session-1-warning")
	b.advance(20 * time.Minute)
	p.do(chromedp.Click(`#session-stay`), chromedp.WaitNotVisible(`#session-dialog`))
	b.advance(20 * time.Minute) // 40 minutes since the page opened, 20 since "Stay signed in"
	status, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`fetch("/session/keepalive", {method: "POST"}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || status != 200 {
		t.Fatalf("after Stay signed in and 20 idle minutes the session answers %d (%v); want 200", status, err)
	}

	// The session ends unused; then the worker starts typing. Nothing has been saved yet.
	b.advance(31 * time.Minute)
	evidence := "Said at the review she is sleeping better; school reports calmer mornings."
	// The three changes are made in one go, as input events, so that a slow
	// machine cannot pause between them long enough for the first save (1.5 s
	// after typing stops) to open the session dialog over the next field.
	p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const typed = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("input", {bubbles: true})); };
		typed("evidence.emotional_health", %q);
		document.getElementById("level.emotional_health.3").click();
		typed("evidence.keeping_safe", "No missing episodes since June.");
	})()`, evidence)),
		// The first pause in typing tries to create the draft, and finds the session over.
		chromedp.WaitVisible(`#session-signin`))
	if focused, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "session-signin" {
		t.Errorf("focus is on %q; want the Sign in again link", focused)
	}
	if n := b.scalar(t, `SELECT count(*) FROM needs_assessments WHERE child_id = $1`, childID); n != before {
		t.Fatalf("%d assessments after the session ended; want %d (nothing could be saved)", n, before)
	}
	if s := p.text(`#autosave-status`); !strings.Contains(s, "Your session has ended") {
		t.Errorf("autosave status = %q", s)
	}
	p.axe()
	p.view("session-2-ended")

	// Signing in again returns to the form, puts the work back and saves it as the draft.
	p.do(chromedp.Click(`#session-signin`), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, socialWorker), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#assessment-form`))
	var draftID int64
	waitFor(t, func() bool {
		return b.pool.QueryRow(ctx, `SELECT a.assessment_id FROM needs_assessments a JOIN needs_ratings r USING (la_id, assessment_id)
			WHERE a.child_id = $1 AND a.status = 'draft' AND r.domain_code = 'emotional_health' AND r.level = 3 AND r.evidence = $2`,
			childID, evidence).Scan(&draftID) == nil
	}, func() string { return "after signing in again: " + p.text(`#autosave-status`) })
	if got := b.scalar(t, `SELECT count(*) FROM needs_ratings WHERE assessment_id = $1 AND domain_code = 'keeping_safe' AND evidence = 'No missing episodes since June.'`, draftID); got != 1 {
		t.Errorf("the second domain's evidence was not kept")
	}
	// The carried-forward levels are in the draft too.
	if got := b.scalar(t, `SELECT count(*) FROM needs_ratings WHERE assessment_id = $1 AND level IS NOT NULL`, draftID); got != 12 {
		t.Errorf("the draft has %d domains rated; want 12 (carried forward)", got)
	}
	waitFor(t, func() bool {
		u, _ := chromedp.Run(p.ctx, chromedp.Location())
		return strings.HasSuffix(u, fmt.Sprintf("/assessments/%d/edit", draftID))
	}, func() string { u, _ := chromedp.Run(p.ctx, chromedp.Location()); return "location " + u })
	left, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.indexOf("hearth-draft-") === 0).length`))
	if err != nil || left != 0 {
		t.Errorf("%d copies left in localStorage after the server saved the draft (%v)", left, err)
	}
	p.screenshot("session-3-restored")

	// One draft per child: the child page continues it, and the new-assessment address leads to it.
	p.do(chromedp.Navigate(fmt.Sprintf("%s/children/%d", base, childID)), chromedp.WaitVisible(`#new-assessment`))
	if s := p.text(`#new-assessment`); s != "Continue the draft" {
		t.Errorf("child page button = %q; want Continue the draft", s)
	}
	p.do(chromedp.Navigate(base+newForm), chromedp.WaitVisible(`#assessment-form`))
	if u, _ := chromedp.Run(p.ctx, chromedp.Location()); !strings.HasSuffix(u, fmt.Sprintf("/assessments/%d/edit", draftID)) {
		t.Errorf("the new-assessment address led to %s; want the open draft", u)
	}
	if n := b.scalar(t, `SELECT count(*) FROM needs_assessments WHERE child_id = $1 AND status = 'draft'`, childID); n != 1 {
		t.Errorf("%d drafts; want 1", n)
	}
}

// signInAs signs the tab in and lands on the dashboard.
func (p page) signInAs(base, email string) {
	p.t.Helper()
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`))
}

// widths screenshots the page at 1,280 and 320 CSS pixels, and fails if at
// 320 the page itself scrolls sideways (WCAG 1.4.10: tables scroll in their own box).
func (p page) widths(name string) {
	p.t.Helper()
	for _, w := range []int64{1280, 320} {
		p.do(chromedp.EmulateViewport(w, 900))
		if w == 320 {
			over, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if err != nil {
				p.t.Fatal(err)
			}
			if over > 0 {
				wide, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !(e.closest(".hearth-scroll") && getComputedStyle(e).position !== "absolute")).slice(0, 5).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right))`))
				p.t.Errorf("%s: at 320 px the page is %d px wider than the screen; widest: %v", name, over, wide)
			}
		}
		p.screenshot(fmt.Sprintf("%s-%d", name, w))
	}
	p.do(chromedp.EmulateViewport(1280, 900))
}

// view saves what is on the screen now (not the whole page), for a person to look at.
func (p page) view(name string) {
	p.t.Helper()
	dir := os.Getenv("HEARTH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestBrowserWorkerTray: a social worker's dashboard lists what was returned
// (with the manager's comment), their drafts, and reviews due, each linking
// to the action.
func TestBrowserWorkerTray(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	var kids []int64
	rows, err := b.pool.Query(ctx, `SELECT a.child_id FROM allocations a JOIN users u USING (user_id)
		WHERE u.email = $1 AND a.valid_to IS NULL
		  AND NOT EXISTS (SELECT 1 FROM needs_assessments d WHERE d.la_id = a.la_id AND d.child_id = a.child_id AND d.status IN ('draft', 'returned', 'submitted'))
		ORDER BY a.child_id LIMIT 2`, socialWorker)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, id)
	}
	if rows.Err() != nil || len(kids) != 2 {
		t.Fatalf("children: %v %v", kids, rows.Err())
	}
	comment := "Please add the school's view to educational progress."
	insert := func(child int64, status, comment string) int64 {
		var id int64
		if err := b.pool.QueryRow(ctx, `INSERT INTO needs_assessments (la_id, child_id, instrument_id, assessed_on, reason, status, author_id, return_comment, updated_at)
			SELECT c.la_id, c.child_id, (SELECT instrument_id FROM needs_instruments ORDER BY instrument_id LIMIT 1), $2::date, 'review', $3, u.user_id, $4, $2::date
			FROM children c, users u WHERE c.child_id = $1 AND u.email = $5 RETURNING assessment_id`,
			child, asOf, status, comment, socialWorker).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	returned, draft := insert(kids[0], "returned", comment), insert(kids[1], "draft", "")

	p.signInAs(base, socialWorker)
	if got := p.text(`#tray-returned`); !strings.Contains(got, comment) {
		t.Errorf("returned tray = %q; want the manager's comment", got)
	}
	for _, href := range []string{fmt.Sprintf(`#tray-returned a[href="/assessments/%d/edit"]`, returned), fmt.Sprintf(`#tray-drafts a[href="/assessments/%d/edit"]`, draft)} {
		if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, href))); n != 1 {
			t.Errorf("no link %s", href)
		}
	}
	// Reviews due: the same children as the reviews query for the next 28 days (independent SQL: the due rule, written again here).
	want := b.scalar(t, `WITH kids AS (
			SELECT c.la_id, c.child_id, cp.started_on FROM children c
			JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id AND cp.ended_on IS NULL
			JOIN allocations a ON a.la_id = c.la_id AND a.child_id = c.child_id AND a.valid_to IS NULL
			JOIN users u ON u.user_id = a.user_id AND u.email = $1)
		SELECT count(*) FROM kids k JOIN local_authorities la USING (la_id)
		LEFT JOIN LATERAL (SELECT assessed_on, reason FROM needs_assessments n WHERE n.la_id = k.la_id AND n.child_id = k.child_id AND n.status = 'approved'
		                   ORDER BY assessed_on DESC, assessment_id DESC LIMIT 1) l ON true
		WHERE coalesce(l.assessed_on + make_interval(months => CASE WHEN l.reason = 'placement_change' THEN la.needs_review_months_after_move ELSE la.needs_review_months END),
		               k.started_on + interval '1 month') < $2::date + 29`, socialWorker, asOf)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tray-reviews a[href$="/assessments/new"]').length`)); int64(n) != want {
		t.Errorf("reviews tray lists %d children; want %d", n, want)
	}
	p.widths("tray-social-worker")
	// The returned item opens the assessment with the comment beside the form.
	p.do(chromedp.Click(fmt.Sprintf(`#tray-returned a[href="/assessments/%d/edit"]`, returned)), chromedp.WaitVisible(`#return-comment`))
	if got := p.text(`#return-comment`); !strings.Contains(got, comment) {
		t.Errorf("return comment on the form = %q", got)
	}
	p.widths("form-returned")
	for _, w := range []int64{1280, 320} {
		p.do(chromedp.EmulateViewport(w, 1000), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		p.view(fmt.Sprintf("form-top-%d", w))
	}
}

// TestBrowserManagerTray: a team manager's dashboard shows approvals with
// the author's team and days waiting (filtered by team), children with no
// social worker linking to the allocation, overdue reviews by worker and
// caseload sizes.
func TestBrowserManagerTray(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	// One child loses their worker.
	var childID int64
	if err := b.pool.QueryRow(ctx, `UPDATE allocations SET valid_to = $1::date + 1 WHERE (la_id, child_id) = (
		SELECT a.la_id, a.child_id FROM allocations a JOIN care_periods cp ON cp.la_id = a.la_id AND cp.child_id = a.child_id AND cp.ended_on IS NULL
		WHERE a.la_id = 352 AND a.valid_to IS NULL ORDER BY a.child_id LIMIT 1) AND valid_to IS NULL RETURNING child_id`, asOf.AddDate(0, 0, -5)).Scan(&childID); err != nil {
		t.Fatal(err)
	}
	p.signInAs(base, teamManager)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#tray-unallocated a[href="/children/%d/allocation"]').length`, childID))); n != 1 {
		t.Errorf("the child with no worker is not in the unallocated tray: %s", p.text(`main`)[:300])
	}
	want := b.scalar(t, `SELECT count(*) FROM needs_assessments a JOIN users u ON u.user_id = a.author_id WHERE a.status = 'submitted' AND a.la_id = 352 AND u.email <> $1`, teamManager)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#awaiting-approval tbody a[href^="/assessments/"]').length`)); int64(n) != want {
		t.Errorf("%d approvals listed; want %d", n, want)
	}
	// Caseload sizes add up to the council's open allocations.
	sum, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll('#tray-caseloads tbody td:last-child')).reduce((s, td) => s + parseInt(td.textContent, 10), 0)`))
	if err != nil {
		t.Fatal(err)
	}
	if want := b.scalar(t, `SELECT count(*) FROM allocations WHERE la_id = 352 AND valid_to IS NULL`); int64(sum) != want {
		t.Errorf("caseloads add up to %d; want %d allocations", sum, want)
	}
	p.widths("tray-team-manager")
	// The tray's link opens the allocation form: nothing chosen until the
	// manager chooses, caseloads beside each worker, a reason and a date;
	// submitting it empty names every problem at once.
	p.do(chromedp.Click(fmt.Sprintf(`#tray-unallocated a[href="/children/%d/allocation"]`, childID)), chromedp.WaitVisible(`#allocation-form`))
	if v, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector("#worker").value`)); v != "" {
		t.Errorf("the allocation form chose worker %q before the manager did", v)
	}
	opts, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#worker option')).map(o => o.textContent)`))
	if len(opts) < 2 || opts[0] != "Choose a social worker" || !strings.Contains(opts[1], " child") {
		t.Errorf("worker options = %q; want a 'Choose a social worker' prompt then workers with caseloads", opts)
	}
	// Clear the date (SetValue refuses an empty value).
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.querySelector("#allocated_on").value = "", true`)); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Click(`#allocate`), chromedp.WaitVisible(`.govuk-error-summary`))
	summary := p.text(`.govuk-error-summary`)
	for _, want := range []string{"Choose a social worker", "Enter the date the allocation starts", "Enter the reason for the allocation"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q does not say %q", summary, want)
		}
	}
	if title, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.title`)); !strings.HasPrefix(title, "Error:") {
		t.Errorf("title with errors = %q", title)
	}
	p.widths("allocation-form-errors")
	worker := b.scalar(t, `SELECT user_id FROM users WHERE email = 'sw2@manchester.demo.hearth.test'`)
	from := asOf.AddDate(0, 0, -2)
	p.do(chromedp.SetValue(`#worker`, fmt.Sprint(worker)), chromedp.SetValue(`#allocated_on`, from.Format("2/1/2006")),
		chromedp.SetValue(`#reason`, "Previous worker left the team"), chromedp.Click(`#allocate`), chromedp.WaitVisible(`#confirm-heading`))
	if got := p.text(`#confirm-happens`); !strings.Contains(got, from.Format("2 January 2006")) || !strings.Contains(got, "Previous worker left the team") {
		t.Errorf("the allocation confirmation does not say who, from when and why: %q", got)
	}
	if n := b.scalar(t, `SELECT count(*) FROM allocations WHERE child_id = $1 AND valid_to IS NULL`, childID); n != 0 {
		t.Fatalf("allocated before the manager confirmed")
	}
	p.widths("confirm-allocate")
	p.do(chromedp.Click(`#confirm`), chromedp.WaitVisible(`#allocations`))
	if n := b.scalar(t, `SELECT count(*) FROM allocations WHERE child_id = $1 AND user_id = $2 AND valid_from = $3 AND valid_to IS NULL`, childID, worker, from); n != 1 {
		t.Errorf("current allocations to the chosen worker from %s: %d; want 1", from.Format(time.DateOnly), n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'allocate' AND entity_id = $1 AND detail->>'reason' = 'Previous worker left the team' AND la_id = 352`, fmt.Sprint(childID)); n != 1 {
		t.Errorf("audited allocations with the reason: %d; want 1", n)
	}
	p.do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#navigation`))
	// The team filter keeps only that team's approvals.
	teams, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#team option')).map(o => o.value).filter(v => v)`))
	if len(teams) > 0 {
		p.do(chromedp.SetValue(`#team`, teams[0]), chromedp.Submit(`#team`), chromedp.WaitVisible(`#awaiting-approval`))
		got, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#awaiting-approval tbody tr td:nth-child(3)')).map(td => td.textContent)`))
		for _, g := range got {
			if g != teams[0] {
				t.Errorf("filtered to %q, a row from %q", teams[0], g)
			}
		}
	}
}

// TestBrowserCourtOfficerListsHearing: a court officer lists a hearing that
// has not happened yet (no outcome), sees it as the case's next hearing, and
// records the outcome of one listed for today once it is held. A form with
// errors says everything at once, in words, with "Error:" in the title.
func TestBrowserCourtOfficerListsHearing(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	id := b.scalar(t, `SELECT proceeding_id FROM proceedings WHERE la_id = 352 AND concluded_on IS NULL AND issued_on < $1 ORDER BY proceeding_id LIMIT 1`, asOf)
	p.signInAs(base, "court.officer@manchester.demo.hearth.test")
	p.do(chromedp.Navigate(fmt.Sprintf("%s/proceedings/%d", base, id)), chromedp.WaitVisible(`#hearing-form`))

	// Nothing filled in: every problem at once, each naming its field.
	p.do(chromedp.Click(`#hearing-form button`), chromedp.WaitVisible(`.govuk-error-summary`))
	title, _ := chromedp.Run(p.ctx, chromedp.Title())
	if !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title %q does not start with Error:", title)
	}
	summary := p.text(`.govuk-error-summary`)
	for _, want := range []string{"Enter the date of the hearing", "Choose the kind of hearing"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	p.view("court-1-errors")

	// A hearing in a fortnight, typed as people write dates, with no outcome.
	p.do(chromedp.SendKeys(`#held_on`, "14 Apr 2026"), chromedp.SetValue(`#kind`, "irh"), chromedp.SetValue(`#outcome`, ""),
		chromedp.Click(`#hearing-form button`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	if s := p.text(`.govuk-notification-banner--success`); !strings.Contains(s, "The hearing has been recorded") {
		t.Errorf("banner = %q", s)
	}
	if got := b.scalar(t, `SELECT count(*) FROM hearings WHERE proceeding_id = $1 AND held_on = '2026-04-14' AND kind = 'irh' AND outcome = 'listed'`, id); got != 1 {
		t.Fatalf("%d listed hearings on 14 April 2026; want 1", got)
	}
	if s := p.text(`#next-hearing`); !strings.HasPrefix(s, "14 April 2026") {
		t.Errorf("next hearing = %q; want 14 April 2026", s)
	}
	future := b.scalar(t, `SELECT hearing_id FROM hearings WHERE proceeding_id = $1 AND held_on = '2026-04-14'`, id)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#outcome-%d').length`, future))); n != 0 {
		t.Errorf("the outcome of a hearing still to come can be recorded")
	}
	p.widths("court-case")

	// The dashboard's tray: the hearing is in the next fortnight, linked to its case;
	// the other lists agree with independent SQL.
	p.do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#tray-hearings`))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#tray-hearings a[href="/proceedings/%d"]').length`, id))); n != 1 {
		t.Errorf("the hearing listed for 14 April is not in the fortnight's tray: %q", p.text(`#tray-hearings`))
	}
	none := b.scalar(t, `SELECT count(*) FROM proceedings p WHERE p.la_id = 352 AND p.concluded_on IS NULL
		AND NOT EXISTS (SELECT 1 FROM hearings h WHERE h.proceeding_id = p.proceeding_id AND h.held_on >= $1::date)`, asOf)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tray-no-hearing a[href$="#hearing-form"]').length`)); int64(n) != none {
		t.Errorf("%d cases with no hearing listed in the tray; want %d", n, none)
	}
	passing := b.scalar(t, `SELECT count(*) FROM proceedings p WHERE p.la_id = 352 AND p.concluded_on IS NULL
		AND ((p.issued_on + 140 >= $1::date AND p.issued_on + 140 < ($1::date + interval '1 month')::date)
		  OR (p.issued_on + 182 >= $1::date AND p.issued_on + 182 < ($1::date + interval '1 month')::date))`, asOf)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tray-passing tbody a').length`)); int64(n) != passing {
		t.Errorf("%d cases passing 20 or 26 weeks in the tray; want %d", n, passing)
	}
	p.widths("tray-court-officer")

	// One listed for today is held; its outcome is recorded on the case page.
	p.do(chromedp.Navigate(fmt.Sprintf("%s/proceedings/%d", base, id)), chromedp.WaitVisible(`#hearing-form`),
		chromedp.SendKeys(`#held_on`, "31/03/2026"), chromedp.SetValue(`#kind`, "cmh"),
		chromedp.Click(`#hearing-form button`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	today := b.scalar(t, `SELECT hearing_id FROM hearings WHERE proceeding_id = $1 AND held_on = '2026-03-31' AND outcome = 'listed'`, id)
	p.do(chromedp.SetValue(fmt.Sprintf(`#outcome-%d`, today), "adjourned"),
		chromedp.Click(fmt.Sprintf(`#outcome-form-%d button`, today)), chromedp.WaitVisible(`.govuk-error-summary`))
	if s := p.text(`.govuk-error-summary`); !strings.Contains(s, "Say why the hearing was adjourned") {
		t.Errorf("adjourned without a reason: %q", s)
	}
	p.do(chromedp.Navigate(fmt.Sprintf("%s/proceedings/%d", base, id)), chromedp.WaitVisible(`#hearing-form`),
		chromedp.SetValue(fmt.Sprintf(`#outcome-%d`, today), "adjourned"), chromedp.SendKeys(fmt.Sprintf(`#reason-%d`, today), "Expert report late"),
		chromedp.Click(fmt.Sprintf(`#outcome-form-%d button`, today)), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	if got := b.scalar(t, `SELECT count(*) FROM hearings WHERE hearing_id = $1 AND outcome = 'adjourned' AND reason = 'Expert report late'`, today); got != 1 {
		t.Errorf("the outcome was not recorded")
	}
}
