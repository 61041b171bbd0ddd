package ui

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/valid"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath keeps a post-sign-in redirect on this site: a path starting with
// one "/" and nothing a browser could read as another host. Browsers drop tabs
// and newlines and treat "\\" as "/", so "/\t/evil.example/" and "/\\evil" are
// other sites; anything with a control character or a backslash, or whose
// path (decoded once more) starts with "//", goes to the dashboard instead.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	decoded, err := url.PathUnescape(u.EscapedPath())
	if err != nil || strings.HasPrefix(decoded, "//") || strings.ContainsRune(decoded, '\\') || strings.HasPrefix(u.EscapedPath(), "//") {
		return "/"
	}
	return u.String()
}

type signinData struct{ Email, Next, Message string }

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	d := signinData{Next: localPath(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("next") != "" {
		d.Message = "Sign in to continue. If you were signed in before, your session ended because it was unused for a while."
	}
	s.render(w, r, http.StatusOK, "signin", page{Title: "Sign in", Data: d})
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))
	token, u, err := s.Auth.SignIn(r.Context(), email, password, sourceAddress(r))
	if err != nil {
		// One answer for every refusal, so nobody learns which accounts exist
		// or are closed or locked; the reason goes only to the audit trail.
		var se *auth.SignInError
		if !errors.As(err, &se) {
			s.fail(w, r, err)
			return
		}
		msg := "The email address or password is not right, or this account cannot sign in at the moment. " +
			"Check them and try again in a few minutes. If it keeps happening, ask your council's Hearth administrator."
		s.Log.Info("sign-in refused", "request_id", requestIDFrom(r), "reason", se.Reason)
		if aerr := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, Action: "signin", Entity: "user",
			EntityID: auth.NormaliseEmail(email), Outcome: audit.Denied, Detail: map[string]any{"reason": se.Reason, "source": sourceAddress(r)}}); aerr != nil {
			s.fail(w, r, aerr)
			return
		}
		s.render(w, r, http.StatusUnauthorized, "signin", page{Title: "Sign in",
			Errors: []valid.Problem{{Field: "password", Message: msg}}, Data: signinData{Email: email, Next: next}})
		return
	}
	if s.secondFactor(w, r, token, u, next) {
		return // the password was right; a code is asked for next (mfa.go)
	}
	if err := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, Action: "signin", Entity: "user", EntityID: u.Email}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// sourceAddress is the client's address for sign-in throttling: the peer of
// the connection. Behind a proxy, the proxy must pass the client's address on
// (see docs/security.md).
func sourceAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.Auth.SignOut(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
		if u := auth.UserFrom(r.Context()); u != nil {
			_ = audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, Action: "signout", Entity: "user", EntityID: u.Email})
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
