package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A council administrator invites a social worker, who sets a password from
// the link and signs in; the administrator then disables them (a leaver) and
// the session they have open is gone at once.
func TestBrowserInviteSignInAndDisable(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1) // Secure cookies are allowed on http://localhost
	admin := page{t, browser(t)}
	worker := page{t, browser(t)}

	admin.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, manchesterAdmin), chromedp.SendKeys(`#password`, "hearth-demo-password"), chromedp.Submit(`#password`),
		chromedp.WaitVisible(`.hearth-meta`),
		chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(`#staff`))
	if h := admin.text(`h1`); h != "Staff of Manchester" {
		t.Errorf("staff list heading = %q", h)
	}
	admin.do(chromedp.Click(`#invite`), chromedp.WaitVisible(`#send-invite`),
		chromedp.SendKeys(`#name`, "Nadia Newstarter"), chromedp.SendKeys(`#email`, "nadia.newstarter@manchester.example"),
		chromedp.SetValue(`#role`, "social_worker"), chromedp.Click(`#send-invite`), chromedp.WaitVisible(`#link`))
	admin.screenshot("staff-1-invitation")
	link, err := chromedp.Run(admin.ctx, chromedp.Evaluate[string](`document.querySelector("#link").value`))
	if err != nil {
		t.Fatal(err)
	}
	// The link says https (Secure cookies mean TLS in front); the test server is plain http.
	if !strings.HasPrefix(link, "https://localhost:") {
		t.Errorf("link = %q; want https on the host the administrator used", link)
	}
	link = base + link[strings.Index(link, "/invitation"):]

	worker.do(chromedp.Navigate(link), chromedp.WaitVisible(`#set-password`))
	if h := worker.text(`h1`); h != "Welcome to Hearth, Nadia Newstarter" {
		t.Errorf("invitation heading = %q", h)
	}
	worker.do(chromedp.SendKeys(`#password`, "a kettle on a windowsill"), chromedp.SendKeys(`#confirm`, "a kettle on a windowsill"),
		chromedp.Click(`#set-password`), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "nadia.newstarter@manchester.example"), chromedp.SendKeys(`#password`, "a kettle on a windowsill"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`.hearth-meta`))
	if got := worker.text(`.hearth-meta`); got != "Signed in as Nadia Newstarter" {
		t.Errorf("after sign-in: %q", got)
	}
	worker.screenshot("staff-2-signed-in")

	id := b.scalar(t, "SELECT user_id FROM users WHERE email = 'nadia.newstarter@manchester.example'")
	admin.do(chromedp.Navigate(base+"/staff/"+itoa(id)), chromedp.WaitVisible(`#disable`))
	if got := admin.text(`#status`); got != "Active" {
		t.Errorf("status before disabling = %q", got)
	}
	admin.do(chromedp.Click(`#disable`), chromedp.WaitVisible(`#enable`))
	if got := admin.text(`#status`); got != "Disabled" {
		t.Errorf("status after disabling = %q", got)
	}
	admin.screenshot("staff-3-disabled")

	// The open session is gone: the next page asks them to sign in.
	worker.do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#email`))
	if h := worker.text(`h1`); h != "Sign in to Hearth" {
		t.Errorf("the disabled person's next page = %q; want the sign-in page", h)
	}
	if n := b.scalar(t, "SELECT count(*) FROM sessions WHERE user_id = $1", id); n != 0 {
		t.Errorf("%d sessions left after disabling", n)
	}
}
