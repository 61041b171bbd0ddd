package ui_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/hearthcare/hearth/internal/sso"
)

// A social worker signs in through their council's identity provider (a
// real OIDC provider in-process): the sign-in page, the council list, the
// provider, the callback and the dashboard.
func TestBrowserCouncilSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t) // plain http: the callback address follows the server's scheme
	ctx := context.Background()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	b.srv.SSO = sso.New(b.pool, b.srv.Authz, b.auth, testKey)
	sys := b.scalar(t, "SELECT user_id FROM users WHERE email = $1", systemAdmin)
	if err := b.srv.SSO.Configure(ctx, sys, 352, idp.Issuer(), idp.ClientID, idp.ClientSecret); err != nil {
		t.Fatal(err)
	}
	idp.QueueUser(&mockoidc.MockUser{Subject: "entra-oid-1", Email: socialWorker, EmailVerified: true})

	p := page{t, browser(t)}
	p.do(chromedp.Navigate(b.ts.URL+"/signin"), chromedp.WaitVisible(`#council-signin`),
		chromedp.Click(`#council-signin`), chromedp.WaitVisible(`#council-352`))
	p.screenshot("sso-1-councils")
	p.do(chromedp.Click(`#council-352`), chromedp.WaitVisible(`.hearth-meta`))
	name := b.text(t, "SELECT display_name FROM users WHERE email = $1", socialWorker)
	if got := p.text(`.hearth-meta`); got != "Signed in as "+name {
		t.Errorf("after council sign-in: %q; want signed in as %s", got, name)
	}
	p.screenshot("sso-2-dashboard")
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE action = 'signin_sso' AND outcome = 'ok' AND la_id = 352 AND entity_id = $1", socialWorker); n != 1 {
		t.Errorf("council sign-ins audited = %d", n)
	}
}
