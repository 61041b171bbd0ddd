package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/valid"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath keeps a post-sign-in redirect on this site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
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
	token, u, err := s.Auth.SignIn(r.Context(), email, password)
	if err != nil {
		msg := "Enter a correct email address and password."
		switch {
		case errors.Is(err, auth.ErrLocked):
			msg = "This account is locked for a while after too many failed sign-ins. Try again later or ask your council's Hearth administrator."
		case errors.Is(err, auth.ErrDisabled):
			msg = "This account has been closed. Ask your council's Hearth administrator."
		case errors.Is(err, auth.ErrBadCredentials):
		default:
			s.fail(w, r, err)
			return
		}
		s.Log.Info("sign-in refused", "request_id", requestIDFrom(r), "reason", err.Error())
		if aerr := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, Action: "signin", Entity: "user",
			EntityID: auth.NormaliseEmail(email), Outcome: audit.Denied, Detail: map[string]any{"reason": err.Error()}}); aerr != nil {
			s.fail(w, r, aerr)
			return
		}
		s.render(w, r, http.StatusUnauthorized, "signin", page{Title: "Sign in",
			Errors: []valid.Problem{{Field: "password", Message: msg}}, Data: signinData{Email: email, Next: next}})
		return
	}
	if err := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, Action: "signin", Entity: "user", EntityID: u.Email}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
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
