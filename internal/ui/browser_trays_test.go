package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAuditorTray: an auditor's dashboard shows the unusual-access
// findings of their own council only, counted as /audit/unusual counts them,
// and links there.
func TestBrowserAuditorTray(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	sw := b.scalar(t, "SELECT user_id FROM users WHERE email = $1", socialWorker)
	salfordTM := b.scalar(t, "SELECT user_id FROM users WHERE email = 'team.manager@salford.demo.hearth.test'")
	// Three refusals each: Manchester's social worker, and Salford's manager (not Manchester's auditor's to see).
	for _, id := range []string{"901", "902", "903"} {
		for _, e := range []struct {
			user int64
			la   int32
		}{{sw, 352}, {salfordTM, 355}} {
			if _, err := b.pool.Exec(ctx, `INSERT INTO audit_events (at, user_id, la_id, action, entity, entity_id, outcome) VALUES ($1::date - 3 + time '09:00', $2, $3, 'view', 'child', $4, 'denied')`,
				asOf, e.user, e.la, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	p.signInAs(base, "auditor@manchester.demo.hearth.test")
	p.do(chromedp.WaitVisible(`#tray-unusual`))
	tray := p.text(`#tray-unusual`)
	if !strings.Contains(tray, "Refused three or more times") {
		t.Errorf("the auditor's tray does not show the social worker's refusals: %q", tray)
	}
	if strings.Contains(tray, "Salford") || strings.Contains(tray, b.text(t, "SELECT display_name FROM users WHERE user_id = $1", salfordTM)) {
		t.Errorf("the Manchester auditor's tray shows Salford's manager: %q", tray)
	}
	rows, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tray-unusual tbody tr').length`))
	link := p.text(`#tray-unusual-link`)
	p.widths("tray-auditor")
	p.do(chromedp.Click(`#tray-unusual-link`), chromedp.WaitVisible(`#unusual`))
	all, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#unusual tbody tr[data-kind]').length`))
	if !strings.HasSuffix(link, "("+itoa(int64(all))+")") {
		t.Errorf("the tray's link says %q; /audit/unusual lists %d", link, all)
	}
	if rows != min(all, 5) {
		t.Errorf("the tray shows %d findings; want the first %d of %d", rows, min(all, 5), all)
	}
	// Someone who is not an auditor has no such tray.
	p.do(chromedp.Click(`form[action="/signout"] button`), chromedp.WaitVisible(`#email`))
	p.signInAs(base, socialWorker)
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tray-unusual').length`)); n != 0 {
		t.Error("a social worker's dashboard shows the unusual-access tray")
	}
}
