package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCaseChildrenFromList: a court officer records a care case by
// ticking its children in a list of the council's children (narrowed by
// typing a name), is told by name what is missing, and changes the children
// on the edit form, where those in the case are listed first and ticked.
func TestBrowserCaseChildrenFromList(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	// Two Manchester children in no open case, and one of another council.
	var kids []int64
	var names []string
	rows, err := b.pool.Query(ctx, `SELECT c.child_id, c.given_name || ' ' || c.family_name FROM children c WHERE c.la_id = 352
		AND NOT EXISTS (SELECT 1 FROM proceeding_children pc JOIN proceedings p USING (la_id, proceeding_id)
		                WHERE pc.child_id = c.child_id AND p.concluded_on IS NULL)
		ORDER BY c.child_id LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		kids, names = append(kids, id), append(names, n)
	}
	if rows.Err() != nil || len(kids) != 2 {
		t.Fatalf("need two children in no open case: %v %v", kids, rows.Err())
	}
	other := b.scalar(t, `SELECT child_id FROM children WHERE la_id <> 352 ORDER BY child_id LIMIT 1`)
	mine := b.scalar(t, `SELECT count(*) FROM children WHERE la_id = 352`)

	p.signInAs(base, "court.officer@manchester.demo.hearth.test")
	p.do(chromedp.Navigate(base+"/proceedings/new"), chromedp.WaitVisible(`#proceeding-form`))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#proceeding-form input[name="child"]').length`)); int64(n) != mine {
		t.Errorf("%d children to choose from; want Manchester's %d", n, mine)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('input[name="child"][value="%d"]').length`, other))); n != 0 {
		t.Error("another council's child is offered")
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="children"]').length`)); n != 0 {
		t.Error("the form still asks for typed references")
	}

	// No children ticked: the error names the field and links to the list.
	p.do(chromedp.SendKeys(`#case_number`, "MA26C77001"), chromedp.SendKeys(`#issued_on`, "2 Mar 2026"),
		chromedp.Click(`#proceeding-form button[type="submit"]`), chromedp.WaitVisible(`.govuk-error-summary`))
	title, _ := chromedp.Run(p.ctx, chromedp.Title())
	if !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title %q does not start with Error:", title)
	}
	if s := p.text(`.govuk-error-summary a[href="#children"]`); s != "Choose the children in the case" {
		t.Errorf("the error summary's link to the list says %q", s)
	}
	if v, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("case_number").value`)); v != "MA26C77001" {
		t.Errorf("the case number typed was lost: %q", v)
	}
	p.view("case-children-1-error")

	// Typing narrows the list; tick both children.
	p.do(chromedp.SendKeys(`#child-filter`, names[0]))
	shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll('[data-child-label]')).filter(e => !e.hidden).length`))
	if shown < 1 || int64(shown) >= mine {
		t.Errorf("typing %q leaves %d of %d children shown", names[0], shown, mine)
	}
	p.do(chromedp.Click(fmt.Sprintf(`input[name="child"][value="%d"]`, kids[0])))
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](`(function () { const f = document.getElementById("child-filter"); f.value = ""; f.dispatchEvent(new Event("input")); })()`)); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Click(fmt.Sprintf(`input[name="child"][value="%d"]`, kids[1])),
		chromedp.Click(`#proceeding-form button[type="submit"]`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	id := b.scalar(t, `SELECT proceeding_id FROM proceedings WHERE la_id = 352 AND case_number = 'MA26C77001'`)
	if n := b.scalar(t, `SELECT count(*) FROM proceeding_children WHERE proceeding_id = $1 AND child_id = ANY($2)`, id, kids); n != 2 {
		t.Fatalf("%d of the two ticked children are in the case", n)
	}

	// The edit form lists the case's children first, ticked; untick one.
	p.do(chromedp.Navigate(fmt.Sprintf("%s/proceedings/%d/edit", base, id)), chromedp.WaitVisible(`#proceeding-form`))
	first, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input[name="child"]')).slice(0, 3).map(e => e.value + ":" + e.checked)`))
	if len(first) < 3 || !strings.HasSuffix(first[0], ":true") || !strings.HasSuffix(first[1], ":true") || !strings.HasSuffix(first[2], ":false") {
		t.Errorf("the edit form's first children are %v; want the case's two, ticked, then the rest", first)
	}
	p.widths("case-children-edit")
	p.do(chromedp.Click(fmt.Sprintf(`input[name="child"][value="%d"]`, kids[1])),
		chromedp.Click(`#proceeding-form button[type="submit"]`), chromedp.WaitVisible(`.govuk-notification-banner--success`))
	if got := b.scalar(t, `SELECT count(*) FROM proceeding_children WHERE proceeding_id = $1`, id); got != 1 {
		t.Errorf("%d children in the case after unticking one; want 1", got)
	}
	if got := b.scalar(t, `SELECT child_id FROM proceeding_children WHERE proceeding_id = $1`, id); got != kids[0] {
		t.Errorf("the case keeps child %d; want %d", got, kids[0])
	}
}
