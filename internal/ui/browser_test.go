package ui_test

import (
	"context"
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
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// page drives one browser tab through a test, failing the test on any error.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
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
