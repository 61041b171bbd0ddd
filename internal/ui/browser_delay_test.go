package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDelayDashboard: a court officer opens the delay dashboard, sees the
// duration chart, and follows a case to its timeline and cost breakdown.
func TestBrowserDelayDashboard(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "court.officer@manchester.demo.hearth.test"), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Click(`a.govuk-service-navigation__link[href="/delay"]`), chromedp.WaitVisible(`#duration-chart svg`))
	bars, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#duration-chart svg rect").length`))
	if err != nil || bars < 6 {
		t.Errorf("duration chart has %d bars (%v)", bars, err)
	}
	p.screenshot("delay-1-dashboard")
	p.do(chromedp.Click(`#cases tbody tr:first-child a`), chromedp.WaitVisible(`#case-timeline svg`))
	if total := p.text(`#case-total`); !strings.HasPrefix(total, "£") {
		t.Errorf("case total %q", total)
	}
	p.screenshot("delay-2-case")
}
