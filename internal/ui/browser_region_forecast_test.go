package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRegionForecast: the RCC analyst opens the regional forecast
// and sees, each with its basis, the demand chart, spend by category and
// need band, sufficiency against in-region places and the cs-demand-model
// method beside Hearth's; then sets levers in the scenario form and sees the
// scenario's change in children and pounds. axe-core checks every page.
func TestBrowserRegionForecast(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, rccAnalyst), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(base+"/region/forecast?rcc=gm-rcc&as_of=2026-03-31&months=12"), chromedp.WaitVisible(`#region-spend-table`))
	basis := p.text(`#region-forecast-basis`)
	for _, want := range []string{"Population:", "4 councils", "in care on 2026-03-31", "Reference window: 2023-03-31 to 2026-03-31", "As of: 2026-03-31", "12 months, 1000 simulated paths, seed 1", "Protection:"} {
		if !strings.Contains(basis, want) {
			t.Errorf("the basis lacks %q: %s", want, basis)
		}
	}
	for sel, min := range map[string]int{"#region-spend-table tbody tr": 12, "#region-spend-need-table tbody tr": 4, "#region-sufficiency-table tbody tr": 8, "#region-compat-table tbody tr": 4, "#region-backtest-table tbody tr": 11, "#region-forecast-total-chart svg": 1} {
		n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
		if err != nil || n < min {
			t.Errorf("%s: %d (%v); want at least %d", sel, n, err, min)
		}
	}
	if s := p.text(`#region-spend-table tbody tr:last-child td:nth-child(2)`); !strings.HasPrefix(s, "£") || !strings.HasSuffix(s, ",000") {
		t.Errorf("the last month's spend is %q; want pounds rounded to £1,000", s)
	}
	if s := p.text(`#region-spend-basis`); !strings.Contains(s, "never a child's cost") || !strings.Contains(s, "a year") {
		t.Errorf("spend basis: %s", s)
	}
	p.screenshot("region-forecast-1")
	p.do(chromedp.SendKeys(`#scenario`, "Fewer entrants"), chromedp.SendKeys(`#entrants_pct`, "-20"), chromedp.SendKeys(`#in_house_carers`, "10"),
		chromedp.Click(`#region-scenario-show`), chromedp.WaitVisible(`#region-scenario-table`))
	row := p.text(`#region-scenario-table tbody tr`)
	if !strings.Contains(row, "Fewer entrants") || !strings.Contains(row, "−£") || !strings.Contains(row, "agency carers") {
		t.Errorf("scenario row: %s", row)
	}
	if v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector("#entrants_pct").value`)); err != nil || v != "-20" {
		t.Errorf("the form lost its lever: %q (%v)", v, err)
	}
	p.screenshot("region-forecast-2")
}
