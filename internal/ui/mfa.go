package ui

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/mfa"
	"github.com/hearthcare/hearth/internal/valid"
)

// mfaCookie carries a sign-in waiting for its second factor.
const mfaCookie = "hearth_mfa"

// mfaRoutes are the second factor's pages (issue 16): the code after the
// password, a person's own enrolment, and a council's setting.
func (s *Server) mfaRoutes(r chi.Router) {
	if s.MFA == nil {
		s.MFA = mfa.New(s.Pool, s.Authz, s.SecretKey)
		s.MFA.Now = func() time.Time { return s.Auth.Now() }
	}
	s.public(r, "GET", "/signin/code", s.codeForm)
	s.public(r, "POST", "/signin/code", s.codeCheck)
	s.handle(r, "GET", "/account/security", authz.Account, authz.Read, s.securityPage)
	s.handle(r, "POST", "/account/security/totp", authz.Account, authz.Read, s.totpBegin)
	s.handle(r, "POST", "/account/security/totp/confirm", authz.Account, authz.Read, s.totpConfirm)
	s.handle(r, "POST", "/settings/second-factor", authz.Council, authz.Manage, s.requireTOTP)
}

// secondFactor turns a password sign-in into a wait for the second factor
// when the person has one or their council requires one: the session just
// made is ended and a short-lived sign-in step takes its place.
func (s *Server) secondFactor(w http.ResponseWriter, r *http.Request, token string, u db.User, next string) bool {
	need, err := s.MFA.Needed(r.Context(), u.UserID)
	if err == nil && !need {
		return false
	}
	if err == nil {
		err = s.Auth.SignOut(r.Context(), token)
	}
	var ch string
	if err == nil {
		ch, err = s.MFA.Challenge(r.Context(), u.UserID, next)
	}
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	http.SetCookie(w, &http.Cookie{Name: mfaCookie, Value: ch, Path: "/signin/code", MaxAge: 300, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin/code", http.StatusSeeOther)
	return true
}

// qrURL marks the server-drawn QR image (a data: URI this package made) as
// safe for an img src, which html/template otherwise refuses.
func qrURL(e mfa.Enrolment) template.URL {
	if !strings.HasPrefix(e.QR, "data:image/png;base64,") {
		return ""
	}
	return template.URL(e.QR) // made by internal/mfa, never from input
}

type codeData struct {
	Enrolled bool
	Enrol    mfa.Enrolment
	QR       template.URL
	Codes    []string // recovery codes, after enrolling
	Next     string
	Message  string
}

func (s *Server) challengeToken(r *http.Request) string {
	if c, err := r.Cookie(mfaCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.MFA.Look(r.Context(), s.challengeToken(r))
	s.codePage(w, r, c, err, nil)
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request, c mfa.Challenged, err error, errs []valid.Problem) {
	if errors.Is(err, mfa.ErrChallengeGone) {
		s.render(w, r, http.StatusUnauthorized, "signin_code", page{Title: "Sign in again", Data: codeData{Message: err.Error()}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := codeData{Enrolled: c.Enrolled}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if !c.Enrolled {
		// The council requires a second factor the person has not set up:
		// they set it up here, before they are signed in.
		if d.Enrol, err = s.MFA.Pending(r.Context(), c.User); err != nil {
			s.fail(w, r, err)
			return
		}
		d.QR = qrURL(d.Enrol)
	}
	s.render(w, r, status, "signin_code", page{Title: "Enter your code", Errors: errs, Data: d})
}

func (s *Server) codeCheck(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	token := s.challengeToken(r)
	c, err := s.MFA.Look(r.Context(), token)
	if err != nil {
		s.codePage(w, r, c, err, nil)
		return
	}
	var codes []string
	if c.Enrolled {
		c, err = s.MFA.Verify(r.Context(), token, r.PostForm.Get("code"))
	} else {
		c, codes, err = s.MFA.ConfirmChallenge(r.Context(), token, r.PostForm.Get("code"))
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		c2, lerr := s.MFA.Look(r.Context(), token)
		s.codePage(w, r, c2, lerr, ve.Problems)
		return
	}
	if err != nil {
		s.codePage(w, r, c, err, nil)
		return
	}
	session, err := s.Auth.StartSession(r.Context(), c.User)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: mfaCookie, Value: "", Path: "/signin/code", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	s.setSessionCookie(w, session)
	if len(codes) > 0 {
		s.render(w, r, http.StatusOK, "signin_code", page{Title: "Your recovery codes", Data: codeData{Codes: codes, Next: localPath(c.Next)}})
		return
	}
	http.Redirect(w, r, localPath(c.Next), http.StatusSeeOther)
}

type securityData struct {
	Status   mfa.Status
	Enrol    *mfa.Enrolment
	QR       template.URL
	Codes    []string
	Councils []db.LocalAuthority // councils whose setting the user may change
	Require  map[int32]bool
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request) {
	s.securityRender(w, r, http.StatusOK, "", nil, nil, nil)
}

func (s *Server) securityRender(w http.ResponseWriter, r *http.Request, status int, flash string, enrol *mfa.Enrolment, codes []string, errs []valid.Problem) {
	u := auth.UserFrom(r.Context())
	st, err := s.MFA.StatusOf(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := securityData{Status: st, Enrol: enrol, Codes: codes, Require: map[int32]bool{}}
	if enrol != nil {
		d.QR = qrURL(*enrol)
	}
	if d.Councils, err = s.MFA.Councils(r.Context(), u.UserID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, la := range d.Councils {
		d.Require[la.LaID] = la.RequireTotp
	}
	s.render(w, r, status, "account_security", page{Title: "Sign-in security", Flash: flash, Errors: errs, Data: d})
}

func (s *Server) totpBegin(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	e, err := s.MFA.Begin(r.Context(), *u)
	var ve *valid.Error
	if errors.As(err, &ve) {
		s.securityRender(w, r, http.StatusUnprocessableEntity, "", nil, nil, ve.Problems)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.securityRender(w, r, http.StatusOK, "", &e, nil, nil)
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	codes, err := s.MFA.Confirm(r.Context(), *u, r.PostForm.Get("code"))
	var ve *valid.Error
	if errors.As(err, &ve) {
		e, perr := s.MFA.Pending(r.Context(), *u)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.securityRender(w, r, http.StatusUnprocessableEntity, "", &e, nil, ve.Problems)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.securityRender(w, r, http.StatusOK, "Your second factor is set up. Keep your recovery codes somewhere safe.", nil, codes, nil)
}

func (s *Server) requireTOTP(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	la, _ := strconv.ParseInt(r.PostForm.Get("la"), 10, 32)
	err := s.MFA.SetRequired(r.Context(), u.UserID, int32(la), r.PostForm.Get("require") == "yes")
	var ve *valid.Error
	switch {
	case errors.Is(err, mfa.ErrForbidden):
		s.fail(w, r, errForbidden)
	case errors.As(err, &ve):
		s.securityRender(w, r, http.StatusUnprocessableEntity, "", nil, nil, ve.Problems)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.securityRender(w, r, http.StatusOK, "The setting is saved.", nil, nil, nil)
	}
}
