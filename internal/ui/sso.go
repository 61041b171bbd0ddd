package ui

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/sso"
	"github.com/hearthcare/hearth/internal/valid"
)

// ssoCookie keeps state, nonce and PKCE verifier between leaving for the
// council's identity provider and coming back. SameSite=Lax: the callback is
// a top-level GET from the provider's site, which Lax cookies go with.
const ssoCookie = "hearth_sso"

// ssoRoutes are council sign-in (public) and the system administrator's
// setting of a council's identity provider (issue 16).
func (s *Server) ssoRoutes(r chi.Router) {
	if s.SSO == nil {
		s.SSO = sso.New(s.Pool, s.Authz, s.Auth, s.SecretKey)
	}
	s.public(r, "GET", "/signin/council", s.ssoChoose)
	s.public(r, "GET", "/signin/council/{la}", s.ssoBegin)
	s.public(r, "GET", "/signin/council/{la}/callback", s.ssoCallback)
	s.handle(r, "POST", "/settings/councils/{la}/idp", authz.Council, authz.Manage, s.ssoConfigure)
}

// callbackURL is the redirect URI a council registers with its identity provider.
func (s *Server) callbackURL(r *http.Request, la int32) string {
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/signin/council/" + strconv.Itoa(int(la)) + "/callback"
}

func councilParam(r *http.Request) (int32, bool) {
	n, err := strconv.ParseInt(chi.URLParam(r, "la"), 10, 32)
	return int32(n), err == nil && n > 0
}

func (s *Server) ssoChoose(w http.ResponseWriter, r *http.Request) {
	las, err := s.SSO.Councils(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "signin_council", page{Title: "Sign in with your council account", Data: map[string]any{"Councils": las}})
}

func (s *Server) ssoBegin(w http.ResponseWriter, r *http.Request) {
	la, ok := councilParam(r)
	if !ok {
		s.fail(w, r, errNoPage)
		return
	}
	to, st, err := s.SSO.Begin(r.Context(), la, s.callbackURL(r, la))
	if errors.Is(err, sso.ErrNotConfigured) {
		s.fail(w, r, errNoPage)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, _ := json.Marshal(st)
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/signin/council/",
		MaxAge: 600, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusFound)
}

func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) {
	la, ok := councilParam(r)
	if !ok {
		s.fail(w, r, errNoPage)
		return
	}
	// The cookie is spent whatever happens: a callback works once.
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/signin/council/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	var st sso.Start
	if c, err := r.Cookie(ssoCookie); err == nil {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			_ = json.Unmarshal(b, &st) // a damaged cookie leaves st empty: the state check refuses it
		}
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		s.render(w, r, http.StatusUnauthorized, "signin_council", page{Title: "Sign in with your council account",
			Errors: []valid.Problem{{Field: "council", Message: "Your council's sign-in did not complete (" + e + "). Try again, or ask your council's IT service desk."}}})
		return
	}
	token, _, err := s.SSO.Finish(r.Context(), st, la, q.Get("state"), q.Get("code"), s.callbackURL(r, la), sourceAddress(r))
	if errors.Is(err, sso.ErrRefused) {
		s.render(w, r, http.StatusUnauthorized, "signin_council", page{Title: "Sign in with your council account",
			Errors: []valid.Problem{{Field: "council", Message: sso.ErrRefused.Error()}}})
		return
	}
	if errors.Is(err, sso.ErrNotConfigured) {
		s.fail(w, r, errNoPage)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) ssoConfigure(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	la, _ := councilParam(r)
	f := formOf(r, "issuer", "client_id")
	err := s.SSO.Configure(r.Context(), auth.UserFrom(r.Context()).UserID, la, f["issuer"], f["client_id"], strings.TrimSpace(r.PostForm.Get("client_secret")))
	switch {
	case errors.Is(err, sso.ErrForbidden):
		s.fail(w, r, errForbidden)
	case errors.Is(err, sso.ErrNoKey):
		s.fail(w, r, valid.Errorf("client_secret", "%s", err.Error()))
	default:
		s.councilsDone(w, r, err, "idp", f)
	}
}
