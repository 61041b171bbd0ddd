package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRegion: the RCC analyst opens the region, sees both charts and
// the side-by-side table, and narrows to one council with the filter form.
func TestBrowserRegion(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, rccAnalyst), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Click(`a[href="/region"]`), chromedp.WaitVisible(`#cost-chart svg`))
	bars, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cost-chart svg rect[fill]").length`))
	if err != nil || bars < 2 {
		t.Errorf("cost chart has %d bars (%v)", bars, err)
	}
	rows, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#benchmark tbody tr").length`))
	if err != nil || rows != 5 {
		t.Errorf("side-by-side table has %d rows, want four councils and the region (%v)", rows, err)
	}
	p.screenshot("region-1")
	p.do(chromedp.SetValue(`#la`, "E08000003"), chromedp.Submit(`#la`), chromedp.WaitVisible(`#region-filter`))
	url, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil || !strings.Contains(url, "la=E08000003") {
		t.Errorf("the filter went to %s", url)
	}
	p.screenshot("region-2")
}

// TestBrowserSharingSettings: a council admin ends Salford's agreement from
// the page, and the page says sharing has stopped.
func TestBrowserSharingSettings(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	id := itoa(b.scalar(t, "SELECT agreement_id FROM sharing_agreements WHERE la_id = 355"))
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "la.admin@salford.demo.hearth.test"), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Click(`a[href="/settings/sharing"]`), chromedp.WaitVisible(`#end-`+id))
	p.screenshot("sharing-1")
	// The sign form is on the page before and after; wait for the answer.
	// Ending asks first; cancelling ends nothing; confirming ends it.
	p.do(chromedp.Click(`#end-`+id), chromedp.WaitVisible(`#confirm-heading`))
	if h := p.text(`#confirm-heading`); h != "End this sharing agreement?" {
		t.Errorf("confirmation heading = %q", h)
	}
	p.widths("confirm-end-sharing")
	p.do(chromedp.Click(`#confirm-cancel`), chromedp.WaitVisible(`#end-`+id))
	if n := b.scalar(t, "SELECT count(*) FROM sharing_agreements WHERE la_id = 355 AND ends_on IS NOT NULL"); n != 0 {
		t.Fatalf("cancelling ended %d agreements", n)
	}
	p.do(chromedp.Click(`#end-`+id), chromedp.WaitVisible(`#confirm`), chromedp.Click(`#confirm`), chromedp.WaitVisible(`#flash-title`))
	text, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil || !strings.Contains(text, "Nothing more is shared under it") {
		t.Errorf("after ending: %v\n%s", err, text)
	}
	if n := b.scalar(t, "SELECT count(*) FROM sharing_agreements WHERE la_id = 355 AND ends_on IS NOT NULL"); n != 1 {
		t.Errorf("%d ended agreements", n)
	}
	p.screenshot("sharing-2")
}
