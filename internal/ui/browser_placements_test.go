package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlacementMove: a team manager sees a child's placements and
// costs, records a move through the form, and the timeline shows it.
func TestBrowserPlacementMove(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	child := b.swChild(t)
	before := b.scalar(t, "SELECT count(*) FROM episodes WHERE child_id = $1", child)
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, teamManager), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(fmt.Sprintf("%s/children/%d#placements", base, child)), chromedp.WaitVisible(`#placement-timeline`))
	if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cost-chart svg .hearth-mark").length`)); err != nil || n == 0 {
		t.Errorf("cost chart points: %d %v", n, err)
	}
	p.screenshot("placements-1-child")
	p.do(chromedp.Click(`#record-move`), chromedp.WaitVisible(`#move-form`),
		chromedp.SetValue(`#on`, "2026-03-25"), chromedp.SetValue(`#place`, "K2"), chromedp.SetValue(`#provider_kind`, "PR4"),
		chromedp.SetValue(`#reason`, "CREQB"), chromedp.SendKeys(`#postcode`, "BL9"), chromedp.SendKeys(`#distance_miles`, "14.2"),
		chromedp.Click(`#out_of_area-yes`))
	p.screenshot("placements-2-move")
	p.do(chromedp.Submit(`#on`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	row := p.text(`#placement-timeline tbody tr:first-child`)
	if !strings.Contains(row, "25 March 2026") || !strings.Contains(row, "Children's home") || !strings.Contains(row, "BL9") || !strings.Contains(row, "out of area") {
		t.Errorf("newest placement row = %q", row)
	}
	if after := b.scalar(t, "SELECT count(*) FROM episodes WHERE child_id = $1", child); after != before+1 {
		t.Errorf("episodes %d → %d; want one more", before, after)
	}
}
