package ui_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium (make test installs it). Without it the
// browser test fails under CI and is skipped elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (make test installs Debian's chromium package)")
	}
	t.Skip("chromium is not installed; run make test, which installs it")
	return ""
}

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 150*time.Second) // axe-core checks every page too
	t.Cleanup(cancel3)
	return ctx
}

// page drives one browser tab through a test, failing the test on any error.
// Every page it lands on is checked by axe-core against WCAG 2.2 AA (see axeCheck).
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	// Each step is followed by the accessibility check, so a page that a step
	// lands on is checked before the next step can leave it.
	checked := make([]chromedp.Action[chromedp.Void], 0, 2*len(steps))
	for _, s := range steps {
		checked = append(checked, s, p.axeCheck(false))
	}
	if err := chromedp.Do(p.ctx, checked...); err != nil {
		p.t.Fatal(err)
	}
}

// axe checks the page as it is now, even if it was checked when it loaded:
// for content that scripts show later (the session-timeout dialog).
func (p page) axe() {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, p.axeCheck(true)); err != nil {
		p.t.Fatal(err)
	}
}

// axe-core 4.14.1 from npm (testdata/axe-core.README says how to update it).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rules of WCAG 2.2 at levels A and AA.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]`

// axeViolation is what axe-core reports for one rule broken on a page.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeCheck runs axe-core once on each document the tab shows (again when
// again is set), failing the test with each violation's rule, impact, the
// elements it names and the help text. A document is marked when checked, so
// the steps that stay on one page cost one round trip each. A document still
// loading, or replaced while axe runs, is left for the check after the next step.
func (p page) axeCheck(again bool) chromedp.Action[chromedp.Void] {
	return axeCheck(again, func(s string) { p.t.Helper(); p.t.Error(s) })
}

func axeCheck(again bool, report func(string)) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		state, err := chromedp.Evaluate[string](fmt.Sprintf(`(function () {
			if (!/^https?:$/.test(location.protocol) || document.readyState !== "complete") { return "skip"; }
			if (window.__hearthAxeDone && !%t) { return "done"; }
			return window.axe ? "run" : "load";
		})()`, again))(ctx, tg)
		if err != nil || state == "skip" || state == "done" {
			return chromedp.Void{}, nil // navigating: the next step's check sees the new page
		}
		if state == "load" {
			if _, err := chromedp.Evaluate[any](axeSource+";undefined")(ctx, tg); err != nil {
				return chromedp.Void{}, nil
			}
		}
		out, err := chromedp.Evaluate[string](`(function () {
			window.__hearthAxeDone = true;
			return axe.run(document, { runOnly: { type: "tag", values: `+axeTags+` }, resultTypes: ["violations"] })
				.then(function (r) { return JSON.stringify({ url: location.pathname + location.search, title: document.title, violations: r.violations }); });
		})()`, chromedp.EvalAwaitPromise)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, nil // the page went away while axe ran
		}
		var res struct {
			URL        string         `json:"url"`
			Title      string         `json:"title"`
			Violations []axeViolation `json:"violations"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			return chromedp.Void{}, fmt.Errorf("axe-core result: %w", err)
		}
		for _, v := range res.Violations {
			var b strings.Builder
			fmt.Fprintf(&b, "axe-core: %s (%q) breaks %s [%s]: %s (%s)", res.URL, res.Title, v.ID, v.Impact, v.Help, v.URL)
			for i, n := range v.Nodes {
				if i == 5 {
					fmt.Fprintf(&b, "\n    … and %d more elements", len(v.Nodes)-5)
					break
				}
				fmt.Fprintf(&b, "\n    at %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
			}
			report(b.String())
		}
		return chromedp.Void{}, nil
	}
}

func (p page) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(sel))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// screenshot saves the page for a person to look at when HEARTH_SCREENSHOTS names a directory.
func (p page) screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("HEARTH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestAxeHookReports: the check that every browser test runs finds what is
// wrong with a page and names the rule, its impact, the element and the help.
func TestAxeHookReports(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/good" {
			fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1><img src="data:," alt="A dot"></main></body></html>`)
			return
		}
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Bad</title></head><body><main><img id="no-alt" src="data:,"><input id="unnamed" type="text"></main></body></html>`)
	}))
	t.Cleanup(ts.Close)
	ctx := browser(t)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/good", nil},
		{"/bad", []string{"html-has-lang [serious]", "image-alt [critical]", "#no-alt", "label [critical]", "#unnamed", "https://dequeuniversity.com/rules/axe/"}},
	} {
		var got []string
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+tc.path), axeCheck(false, func(s string) { got = append(got, s) })); err != nil {
			t.Fatal(err)
		}
		all := strings.Join(got, "\n")
		if len(tc.want) == 0 && len(got) > 0 {
			t.Errorf("%s: axe-core reported %s", tc.path, all)
		}
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: the report lacks %q:\n%s", tc.path, w, all)
			}
		}
	}
}

func TestBrowserSocialWorkerMainPath(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1) // Secure cookies are allowed on http://localhost

	p.do(chromedp.Navigate(base+"/children"), chromedp.WaitVisible(`#email`))
	if h := p.text(`h1`); h != "Sign in to Hearth" {
		t.Errorf("sign-in heading = %q", h)
	}
	p.screenshot("1-signin")
	p.do(chromedp.SendKeys(`#email`, socialWorker), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#result-count`)) // sign-in returns to the page that was asked for
	count := p.text(`#result-count`)
	firstName := p.text(`table tbody tr:first-child td:first-child a`)
	p.screenshot("2-caseload")
	want := b.scalar(t, `SELECT count(*) FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL`, socialWorker)
	if !strings.HasPrefix(count, itoa(want)+" children") {
		t.Errorf("caseload count = %q; want %d children", count, want)
	}

	p.do(chromedp.Click(`table tbody tr:first-child td:first-child a`), chromedp.WaitVisible(`#details`))
	heading, worker := p.text(`h1`), p.text(`#allocations tbody tr:first-child td:first-child`)
	p.screenshot("3-child")
	// The list shows "Family, Given"; the child page heading "Given Family".
	parts := strings.SplitN(firstName, ", ", 2)
	if len(parts) != 2 || heading != parts[1]+" "+parts[0] {
		t.Errorf("child page heading %q does not match the list entry %q", heading, firstName)
	}
	var workerName string
	if err := b.pool.QueryRow(context.Background(), "SELECT display_name FROM users WHERE email = $1", socialWorker).Scan(&workerName); err != nil {
		t.Fatal(err)
	}
	if worker != workerName {
		t.Errorf("allocated worker shown = %q; want %q", worker, workerName)
	}

	p.do(chromedp.Click(`a.govuk-service-navigation__link[href="/"]`), chromedp.WaitVisible(`.govuk-summary-card`))
	if g, c := p.text(`h1`), p.text(`.govuk-summary-card`); !strings.Contains(g, workerName) || !strings.Contains(c, itoa(want)+" children are allocated to you") {
		t.Errorf("dashboard: %q / %q", g, c)
	}
	// Signing out ends the session: the caseload asks for sign-in again.
	p.do(chromedp.Click(`form[action="/signout"] button`), chromedp.WaitVisible(`#email`),
		chromedp.Navigate(base+"/children"), chromedp.WaitVisible(`#email`))
}
