package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/councils"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/sso"
	"github.com/hearthcare/hearth/internal/valid"
)

// councilsRoutes are the system administrator's page for councils and
// cooperatives (issue 16). internal/councils decides; these parse and render.
func (s *Server) councilsRoutes(r chi.Router) {
	if s.Councils == nil {
		s.Councils = councils.New(s.Pool, s.Authz, s.Sharing)
	}
	s.handle(r, "GET", "/settings/councils", authz.Council, authz.Manage, s.councilsPage)
	s.handle(r, "POST", "/settings/councils", authz.Council, authz.Manage, s.councilCreate)
	s.handle(r, "POST", "/settings/cooperatives", authz.Council, authz.Manage, s.rccCreate)
	s.handle(r, "POST", "/settings/cooperatives/{rcc}/members", authz.Council, authz.Manage, s.rccMembers)
	s.handle(r, "POST", "/settings/cooperatives/{rcc}/disclosure", authz.Council, authz.Manage, s.rccDisclosure)
}

type councilsData struct {
	Councils []db.LocalAuthority
	RCCs     []councils.Cooperative
	Form     map[string]string
	Today    string
	Target   string // the form the errors belong to
	IdPs     map[int32]sso.Settings
	Callback map[int32]string // the redirect URI each council registers
}

func (s *Server) councilsPage(w http.ResponseWriter, r *http.Request) {
	flash := map[string]string{"council": "The council is set up. Invite its administrator on the Staff page.", "rcc": "The cooperative is set up.",
		"members": "The membership is changed.", "disclosure": "The disclosure control is changed.",
		"idp": "The council's sign-in is set. Its staff can now sign in with their council account."}[r.URL.Query().Get("done")]
	s.councilsRender(w, r, http.StatusOK, flash, nil, "", map[string]string{})
}

func (s *Server) councilsRender(w http.ResponseWriter, r *http.Request, status int, flash string, errs []valid.Problem, target string, form map[string]string) {
	u := auth.UserFrom(r.Context())
	las, rccs, err := s.Councils.Overview(r.Context(), u.UserID)
	if err != nil {
		s.councilsFail(w, r, err)
		return
	}
	idps, err := s.SSO.List(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cb := map[int32]string{}
	for _, la := range las {
		cb[la.LaID] = s.callbackURL(r, la.LaID)
	}
	s.render(w, r, status, "councils", page{Title: "Councils and cooperatives", Flash: flash, Errors: errs,
		Data: councilsData{Councils: las, RCCs: rccs, Form: form, Target: target, Today: s.Children.Now().In(london).Format(time.DateOnly),
			IdPs: idps, Callback: cb}})
}

func (s *Server) councilsFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, councils.ErrForbidden) {
		s.fail(w, r, errForbidden)
		return
	}
	s.fail(w, r, err)
}

// councilsDone redirects after a change, or shows the page with what was wrong.
func (s *Server) councilsDone(w http.ResponseWriter, r *http.Request, err error, done string, form map[string]string) {
	var ve *valid.Error
	switch {
	case errors.As(err, &ve):
		s.councilsRender(w, r, http.StatusUnprocessableEntity, "", ve.Problems, done, form)
	case err != nil:
		s.councilsFail(w, r, err)
	default:
		http.Redirect(w, r, "/settings/councils?done="+done, http.StatusSeeOther)
	}
}

func formOf(r *http.Request, keys ...string) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		m[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return m
}

func (s *Server) councilCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := formOf(r, "la", "ons", "name")
	_, err := s.Councils.CreateCouncil(r.Context(), auth.UserFrom(r.Context()).UserID, councils.NewCouncil{LACode: f["la"], ONS: f["ons"], Name: f["name"]})
	s.councilsDone(w, r, err, "council", f)
}

func (s *Server) rccCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := formOf(r, "code", "rcc_name")
	_, err := s.Councils.CreateRCC(r.Context(), auth.UserFrom(r.Context()).UserID, f["code"], f["rcc_name"])
	s.councilsDone(w, r, err, "rcc", f)
}

func (s *Server) rccMembers(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	u := auth.UserFrom(r.Context())
	code := chi.URLParam(r, "rcc")
	f := formOf(r, "council", "on", "action")
	day, err := time.Parse(time.DateOnly, f["on"])
	switch {
	case !s.Councils.May(u.UserID):
		err = s.Councils.Join(r.Context(), u.UserID, code, f["council"], day) // refuses and audits
	case err != nil:
		err = valid.Errorf("on-"+code, "Enter the date as year-month-day, for example 2026-04-01")
	case f["action"] == "leave":
		err = s.Councils.Leave(r.Context(), u.UserID, code, f["council"], day)
	default:
		err = s.Councils.Join(r.Context(), u.UserID, code, f["council"], day)
	}
	s.councilsDone(w, r, err, "members", f)
}

func (s *Server) rccDisclosure(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	u := auth.UserFrom(r.Context())
	code := chi.URLParam(r, "rcc")
	f := formOf(r, "min_count", "max_noise", "k")
	var ps valid.Problems
	num := func(k string) int {
		n, err := strconv.Atoi(f[k])
		if err != nil {
			ps.Add(k+"-"+code, "Enter a whole number")
		}
		return n
	}
	minCount, maxNoise, k := num("min_count"), num("max_noise"), num("k")
	err := ps.Err()
	if err == nil || !s.Councils.May(u.UserID) {
		err = s.Councils.SetDisclosure(r.Context(), u.UserID, code, minCount, maxNoise, k)
	}
	s.councilsDone(w, r, err, "disclosure", f)
}
