package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAnalytics: a commissioner opens needs and costs and sees the scatter.
func TestBrowserAnalytics(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "commissioner@manchester.demo.hearth.test"), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(base+"/analytics?as_of=2026-03-31"), chromedp.WaitVisible(`#scatter svg`))
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#scatter svg .hearth-mark").length`))
	if err != nil || n < 10 {
		t.Errorf("scatter has %d points (%v)", n, err)
	}
	p.screenshot("analytics-1")
}
