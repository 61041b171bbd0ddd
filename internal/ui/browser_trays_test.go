package ui_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearthcare/hearth/internal/analytics"
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

// TestBrowserCommissionerTray: a commissioner's dashboard lists their
// council's open placements with no cost today (not another council's),
// each linking to the cost form, and links the commissioning report of their
// one council directly.
func TestBrowserCommissionerTray(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	// One open placement in each of Manchester and Salford loses its costs.
	gap := map[int32]int64{}
	for _, la := range []int32{352, 355} {
		var child int64
		if err := b.pool.QueryRow(ctx, `DELETE FROM placement_costs WHERE (la_id, child_id, placement_started_on) = (
			SELECT p.la_id, p.child_id, p.started_on FROM placements p WHERE p.la_id = $1 AND p.ended_on IS NULL
			  AND EXISTS (SELECT 1 FROM placement_costs pc WHERE pc.la_id = p.la_id AND pc.child_id = p.child_id AND pc.placement_started_on = p.started_on)
			ORDER BY p.child_id LIMIT 1) RETURNING child_id`, la).Scan(&child); err != nil {
			t.Fatal(err)
		}
		gap[la] = child
	}
	// A Manchester child in a placement turns 18 next month: their placement is ending.
	var turning int64
	if err := b.pool.QueryRow(ctx, `UPDATE children c SET date_of_birth = ($1::date - interval '18 years' + interval '1 month')::date
		WHERE (c.la_id, c.child_id) = (SELECT e.la_id, e.child_id FROM episodes e WHERE e.la_id = 352 AND e.ended_on IS NULL ORDER BY e.child_id DESC LIMIT 1)
		RETURNING c.child_id`, asOf).Scan(&turning); err != nil {
		t.Fatal(err)
	}
	wantEnding := b.scalar(t, `SELECT count(*) FROM episodes e JOIN children c ON c.la_id = e.la_id AND c.child_id = e.child_id
		WHERE e.la_id = 352 AND e.ended_on IS NULL AND age($1::date, c.date_of_birth) < interval '18 years'
		  AND age(($1::date + interval '3 months')::date - 1, c.date_of_birth) >= interval '18 years'`, asOf)
	// A Manchester step-down candidate of today whose cost was recorded only
	// last week, so a month ago they were not one: new since last month.
	var commissioner int64
	if err := b.pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'").Scan(&commissioner); err != nil {
		t.Fatal(err)
	}
	cands := func(on time.Time) map[int64]bool {
		c, err := b.srv.Analytics.Cohort(ctx, commissioner, analytics.Filter{LAID: 352}, on)
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]bool{}
		for _, k := range c.StepDown.Candidates {
			m[k.Child.ChildID] = true
		}
		return m
	}
	monthAgo := asOf.AddDate(0, -1, 0)
	var newly int64
	wasThen := cands(monthAgo)
	for id := range cands(asOf) {
		if !wasThen[id] {
			continue
		}
		newly = id
		if _, err := b.pool.Exec(ctx, `DELETE FROM placement_costs WHERE la_id = 352 AND child_id = $1 AND effective_to IS NOT NULL AND effective_to < $2`, id, asOf.AddDate(0, 0, -7)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.pool.Exec(ctx, `UPDATE placement_costs SET effective_from = $2 WHERE la_id = 352 AND child_id = $1 AND effective_from <= $2
			AND (effective_to IS NULL OR effective_to >= $2)`, id, asOf.AddDate(0, 0, -7)); err != nil {
			t.Fatal(err)
		}
		break
	}
	if newly == 0 {
		t.Fatal("the demo council has no step-down candidate today who was one a month ago: the test needs one")
	}
	now, before := cands(asOf), cands(monthAgo)
	var wantNew int
	for id := range now {
		if !before[id] {
			wantNew++
		}
	}
	if !now[newly] || before[newly] || wantNew == 0 {
		t.Fatalf("child %d: candidate today %v, a month ago %v; want a new candidate", newly, now[newly], before[newly])
	}
	// What the tray should list: every open Manchester placement with no cost in force today, counted independently.
	want := b.scalar(t, `SELECT count(*) FROM placements p WHERE p.la_id = 352 AND p.ended_on IS NULL AND NOT EXISTS (
		SELECT 1 FROM placement_costs pc WHERE pc.la_id = p.la_id AND pc.child_id = p.child_id AND pc.placement_started_on = p.started_on
		AND $1::date BETWEEN pc.effective_from AND coalesce(pc.effective_to, 'infinity'))`, asOf)
	p.signInAs(base, "commissioner@manchester.demo.hearth.test")
	p.do(chromedp.WaitVisible(`#tray-no-cost`))
	links, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tray-no-cost tbody a')).map(a => a.getAttribute("href"))`))
	if int64(len(links)) != want {
		t.Errorf("the tray lists %d placements with no cost; want %d", len(links), want)
	}
	mine, theirs := "/children/"+itoa(gap[352])+"/placements/", "/children/"+itoa(gap[355])+"/"
	var found string
	for _, l := range links {
		if strings.HasPrefix(l, mine) {
			found = l
		}
		if strings.HasPrefix(l, theirs) {
			t.Errorf("the Manchester commissioner's tray lists Salford's child: %s", l)
		}
	}
	if found == "" {
		t.Fatalf("the Manchester placement with no cost is not in the tray: %v", links)
	}
	ending, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tray-ending tbody a')).map(a => a.getAttribute("href"))`))
	if int64(len(ending)) != wantEnding || !slices.Contains(ending, "/children/"+itoa(turning)) {
		t.Errorf("placements ending lists %v; want %d, child %d among them", ending, wantEnding, turning)
	}
	newList, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tray-stepdown-new tbody a')).map(a => a.getAttribute("href"))`))
	if len(newList) != wantNew || !slices.Contains(newList, "/children/"+itoa(newly)) {
		t.Errorf("new step-down candidates lists %v; want %d, child %d among them", newList, wantNew, newly)
	}
	if href, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('#tray-report').getAttribute("href")`)); href != "/reports/commissioning.pdf?la=352" {
		t.Errorf("the report link for a one-council commissioner = %q", href)
	}
	p.widths("tray-commissioner")
	p.do(chromedp.Click(`#tray-no-cost a[href="`+found+`"]`), chromedp.WaitVisible(`#cost-form`))
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'list' AND entity = 'placements_without_cost' AND la_id = 352`); n < 1 {
		t.Error("listing children with no cost was not audited against Manchester")
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE action = 'list' AND entity = 'placements_without_cost' AND la_id = 355`); n != 0 {
		t.Error("the Manchester commissioner's list was audited against Salford")
	}
}
