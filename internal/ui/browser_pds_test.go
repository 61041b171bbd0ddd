package ui_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPDSRecord: from a child's placements a team manager opens the
// Placements Data Standard record, submits it empty and sees every question
// named, then answers and saves it.
func TestBrowserPDSRecord(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	var child int64
	var start time.Time
	if err := b.pool.QueryRow(t.Context(), `SELECT child_id, started_on FROM placements WHERE la_id = 352 AND ended_on IS NULL
		AND place IN ('U4','U5','U6','K2') ORDER BY child_id LIMIT 1`).Scan(&child, &start); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, teamManager), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(fmt.Sprintf("%s/children/%d#placements", base, child)), chromedp.WaitVisible(`#pds-record`),
		chromedp.Click(`#pds-record`), chromedp.WaitVisible(`#pds-form`))
	p.screenshot("pds-1-form")
	p.do(chromedp.Submit(`#pets`), chromedp.WaitVisible(`.govuk-error-summary`))
	if s := p.text(`.govuk-error-summary`); !strings.Contains(s, "yes-must, yes-can, no, not-known") || !strings.Contains(s, "no-known-risk, risk-present") {
		t.Errorf("error summary = %.300q; want the questions named with their valid values", s)
	}
	v := pdsCells()
	v["referral_date"] = start.AddDate(0, 0, -2).Format(time.DateOnly)
	vals, _ := json.Marshal(v)
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(
		`for (const [k, v] of Object.entries(%s)) { const e = document.getElementById(k); if (e) e.value = v; } true`, vals))); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Submit(`#pets`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	if n := b.scalar(t, `SELECT count(*) FROM pds_records WHERE la_id = 352 AND child_id = $1 AND placement_started_on = $2`, child, start); n != 1 {
		t.Errorf("%d records saved; want 1", n)
	}
}
