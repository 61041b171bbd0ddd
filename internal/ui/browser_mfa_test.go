package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A team manager sets up a second factor on their security page (QR code and
// key, a code from the "app", recovery codes), signs out, and signs in again
// with their password and a fresh code.
func TestBrowserTOTPEnrolmentAndSignIn(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	p := page{t, browser(t)}
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, teamManager), chromedp.SendKeys(`#password`, "hearth-demo-password"), chromedp.Submit(`#password`),
		chromedp.WaitVisible(`.hearth-meta`),
		chromedp.Navigate(base+"/account/security"), chromedp.WaitVisible(`#start-totp`),
		chromedp.Click(`#start-totp`), chromedp.WaitVisible(`#qr`))
	loaded, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.querySelector("#qr").complete && document.querySelector("#qr").naturalWidth > 0`))
	if err != nil || !loaded {
		t.Errorf("the QR image did not load (%v)", err)
	}
	p.screenshot("totp-1-enrol")
	secret := p.text(`#secret`)
	p.do(chromedp.SendKeys(`#code`, b.code(t, secret)), chromedp.Click(`#confirm-totp`), chromedp.WaitVisible(`#recovery-codes`))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#recovery-codes li").length`)); n != 10 {
		t.Errorf("%d recovery codes shown; want 10", n)
	}
	p.screenshot("totp-2-recovery-codes")

	b.advance(30 * time.Second) // the next code: the one used to enrol is spent
	p.do(chromedp.Click(`form[action="/signout"] button`), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, teamManager), chromedp.SendKeys(`#password`, "hearth-demo-password"), chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#check-code`))
	if h := p.text(`h1`); h != "Enter the code from your app" {
		t.Errorf("after the password: %q", h)
	}
	p.do(chromedp.SendKeys(`#code`, b.code(t, secret)), chromedp.Click(`#check-code`), chromedp.WaitVisible(`.hearth-meta`))
	p.screenshot("totp-3-signed-in")
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE action = 'signin_second_factor' AND outcome = 'ok'"); n != 1 {
		t.Errorf("second-factor sign-ins audited = %d", n)
	}
}
