package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/staff"
	"github.com/hearthcare/hearth/internal/valid"
)

// staffRoutes are the staff administration pages (issue 16). Every decision is
// internal/staff's; these parse, call and render.
func (s *Server) staffRoutes(r chi.Router) {
	if s.Staff == nil {
		s.Staff = staff.New(s.Pool, s.Authz, s.Auth)
	}
	s.handle(r, "GET", "/staff", authz.User, authz.Manage, s.staffList)
	s.handle(r, "GET", "/staff/new", authz.User, authz.Manage, s.staffNewForm)
	s.handle(r, "POST", "/staff/new", authz.User, authz.Manage, s.staffInvite)
	s.handle(r, "GET", "/staff/{id}", authz.User, authz.Manage, s.staffGate(s.staffShow))
	s.handle(r, "POST", "/staff/{id}/grants", authz.User, authz.Manage, s.staffGate(s.staffGrant))
	s.handle(r, "POST", "/staff/{id}/grants/{grant}/end", authz.User, authz.Manage, s.staffGate(s.staffEndGrant))
	s.handle(r, "POST", "/staff/{id}/disable", authz.User, authz.Manage, s.staffGate(s.staffAction))
	s.handle(r, "POST", "/staff/{id}/enable", authz.User, authz.Manage, s.staffGate(s.staffAction))
	s.handle(r, "POST", "/staff/{id}/unlock", authz.User, authz.Manage, s.staffGate(s.staffAction))
	s.handle(r, "POST", "/staff/{id}/reset", authz.User, authz.Manage, s.staffGate(s.staffReset))
	s.handle(r, "POST", "/staff/{id}/tokens/{token}/revoke", authz.User, authz.Manage, s.staffGate(s.staffRevokeToken))
	// The link an invited person (or one whose password is reset) follows.
	// The secret is in the query, which the request log leaves out.
	s.public(r, "GET", "/invitation", s.invitationForm)
	s.public(r, "POST", "/invitation", s.invitationUse)
}

// staffGate asks internal/staff whether the user may see the account the path
// names before the handler reads a form or answers anything.
func (s *Server) staffGate(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.staffID(w, r)
		if !ok {
			return
		}
		if err := s.Staff.Gate(r.Context(), auth.UserFrom(r.Context()).UserID, id); err != nil {
			s.staffFail(w, r, err)
			return
		}
		h(w, r)
	}
}

// staffFail maps the service's refusals; the service has audited them.
func (s *Server) staffFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, staff.ErrNotFound):
		s.fail(w, r, errNoPage)
	case errors.Is(err, staff.ErrForbidden):
		s.fail(w, r, errForbidden)
	default:
		s.fail(w, r, err)
	}
}

type staffListData struct {
	Councils []db.LocalAuthority
	LA       db.LocalAuthority
	Members  []staff.Member
}

func (s *Server) staffList(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	las, err := s.Staff.Councils(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := staffListData{Councils: las}
	la, ok := chosenCouncil(r, las)
	if !ok {
		s.render(w, r, http.StatusOK, "staff_list", page{Title: "Staff", Data: d})
		return
	}
	d.Members, err = s.Staff.List(r.Context(), u.UserID, la)
	if err != nil {
		s.staffFail(w, r, err)
		return
	}
	for _, c := range las {
		if c.LaID == la {
			d.LA = c
		}
	}
	flash := ""
	if r.URL.Query().Get("done") != "" {
		flash = "Done."
	}
	s.render(w, r, http.StatusOK, "staff_list", page{Title: "Staff of " + d.LA.Name, Flash: flash, Data: d})
}

// chosenCouncil is the council the query names (la), or the only one the
// user administers. A council named that they do not administer is passed on,
// so the service refuses and audits it.
func chosenCouncil(r *http.Request, las []db.LocalAuthority) (int32, bool) {
	if v := r.URL.Query().Get("la"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		return int32(n), err == nil && n > 0
	}
	if len(las) == 1 {
		return las[0].LaID, true
	}
	return 0, false
}

type staffNewData struct {
	Councils []db.LocalAuthority
	Roles    []option
	Form     map[string]string
}

type option struct{ Code, Label string }

func roleOptions(roles []authz.Role) []option {
	out := make([]option, 0, len(roles))
	for _, r := range roles {
		out = append(out, option{Code: string(r), Label: roleNames[r]})
	}
	return out
}

func (s *Server) staffNewForm(w http.ResponseWriter, r *http.Request) {
	la := r.URL.Query().Get("la")
	s.staffNewPage(w, r, http.StatusOK, nil, map[string]string{"la": la})
}

func (s *Server) staffNewPage(w http.ResponseWriter, r *http.Request, status int, errs []valid.Problem, form map[string]string) {
	u := auth.UserFrom(r.Context())
	las, err := s.Staff.Councils(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form["la"] == "" && len(las) == 1 {
		form["la"] = strconv.Itoa(int(las[0].LaID))
	}
	s.render(w, r, status, "staff_new", page{Title: "Invite a member of staff", Errors: errs,
		Data: staffNewData{Councils: las, Roles: roleOptions(staff.CouncilRoles), Form: form}})
}

type staffLinkData struct {
	Person  db.User
	Link    string
	Purpose string
	Expires time.Time
}

func (s *Server) staffInvite(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"la", "email", "name", "team", "role"} {
		form[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	la, err := strconv.ParseInt(form["la"], 10, 32)
	if err != nil || la <= 0 {
		s.staffNewPage(w, r, http.StatusUnprocessableEntity, []valid.Problem{{Field: "la", Message: "Choose the council the person works for"}}, form)
		return
	}
	person, token, err := s.Staff.Invite(r.Context(), u.UserID, staff.NewStaff{LAID: int32(la), Email: form["email"], Name: form["name"], Team: form["team"], Role: form["role"]})
	var ve *valid.Error
	if errors.As(err, &ve) {
		s.staffNewPage(w, r, http.StatusUnprocessableEntity, ve.Problems, form)
		return
	}
	if err != nil {
		s.staffFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "staff_link", page{Title: "Invitation created", Data: staffLinkData{Person: person, Purpose: staff.Invite,
		Link: s.linkURL(r, token), Expires: s.Staff.Now().Add(s.Staff.LinkTTL)}})
}

// linkURL is the full address of a link, on the host the administrator used.
func (s *Server) linkURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/invitation?token=" + url.QueryEscape(token)
}

type staffShowData struct {
	P             staff.Person
	Roles         []option
	SystemRoles   []option
	System        bool
	Councils      []db.LocalAuthority
	CouncilNames  map[int32]string
	Today         string
	Now           time.Time
	Errors        []valid.Problem
	GrantForm     map[string]string
	AccountStatus string
}

func (s *Server) staffID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

func (s *Server) staffShow(w http.ResponseWriter, r *http.Request) {
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	flash := map[string]string{"disable": "The account is disabled: its sessions have ended and its tokens are revoked.",
		"enable": "The account is enabled again.", "unlock": "The account is unlocked.", "grant": "The role is granted.",
		"end": "The role is ended.", "revoke": "The token is revoked."}[r.URL.Query().Get("done")]
	s.staffPage(w, r, id, http.StatusOK, flash, nil, map[string]string{})
}

func (s *Server) staffPage(w http.ResponseWriter, r *http.Request, id int64, status int, flash string, errs []valid.Problem, form map[string]string) {
	u := auth.UserFrom(r.Context())
	p, err := s.Staff.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.staffFail(w, r, err)
		return
	}
	las, err := s.Staff.Councils(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.Councils.Names(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Staff.Now()
	if form["la"] == "" && len(las) > 0 {
		form["la"] = strconv.Itoa(int(las[0].LaID))
	}
	if form["valid_from"] == "" {
		form["valid_from"] = now.In(london).Format(time.DateOnly)
	}
	d := staffShowData{P: p, Roles: roleOptions(staff.CouncilRoles), System: s.Staff.IsSystem(u.UserID), Councils: las, CouncilNames: names,
		Today: now.In(london).Format(time.DateOnly), Now: now, Errors: errs, GrantForm: form}
	if d.System {
		d.SystemRoles = roleOptions(staff.SystemRoles)
	}
	s.render(w, r, status, "staff_person", page{Title: p.User.DisplayName, Flash: flash, Errors: errs, Data: d})
}

func parseDay(field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), london)
	if err != nil {
		return time.Time{}, valid.Errorf(field, "Enter the date as year-month-day, for example 2026-04-01")
	}
	return t, nil
}

func (s *Server) staffGrant(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{"role": r.PostForm.Get("role"), "scope": r.PostForm.Get("scope"), "la": r.PostForm.Get("la"), "valid_from": r.PostForm.Get("valid_from")}
	g := staff.NewGrant{Role: form["role"], System: form["scope"] == "system"}
	var err error
	if !g.System {
		la, perr := strconv.ParseInt(form["la"], 10, 32)
		if perr != nil || la <= 0 {
			err = valid.Errorf("la", "Choose the council the role is held in")
		}
		g.LAID = int32(la)
	}
	if err == nil {
		g.From, err = parseDay("valid_from", form["valid_from"])
	}
	if err == nil {
		err = s.Staff.Grant(r.Context(), u.UserID, id, g)
	}
	s.staffDone(w, r, id, err, "grant", form)
}

// staffDone redirects to the person's page after a change, or shows the page
// again with what was wrong.
func (s *Server) staffDone(w http.ResponseWriter, r *http.Request, id int64, err error, done string, form map[string]string) {
	var ve *valid.Error
	switch {
	case errors.As(err, &ve):
		s.staffPage(w, r, id, http.StatusUnprocessableEntity, "", ve.Problems, form)
	case err != nil:
		s.staffFail(w, r, err)
	default:
		http.Redirect(w, r, fmt.Sprintf("/staff/%d?done=%s", id, done), http.StatusSeeOther)
	}
}

func (s *Server) staffEndGrant(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	grant, err := api.ParseID(chi.URLParam(r, "grant"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	on, err := parseDay("valid_to", r.PostForm.Get("valid_to"))
	if err == nil {
		err = s.Staff.EndGrant(r.Context(), u.UserID, id, grant, on)
	}
	s.staffDone(w, r, id, err, "end", map[string]string{})
}

// staffAction runs disable, enable or unlock: the last part of the path.
func (s *Server) staffAction(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	var err error
	action := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	switch action {
	case "disable":
		err = s.Staff.Disable(r.Context(), u.UserID, id)
	case "enable":
		err = s.Staff.Enable(r.Context(), u.UserID, id)
	case "unlock":
		err = s.Staff.Unlock(r.Context(), u.UserID, id)
	default:
		err = errNoPage
	}
	s.staffDone(w, r, id, err, action, map[string]string{})
}

func (s *Server) staffReset(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	token, err := s.Staff.ResetPassword(r.Context(), u.UserID, id)
	if err != nil {
		s.staffDone(w, r, id, err, "", map[string]string{})
		return
	}
	p, err := s.Staff.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.staffFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "staff_link", page{Title: "Password reset link created", Data: staffLinkData{Person: p.User, Purpose: staff.Reset,
		Link: s.linkURL(r, token), Expires: s.Staff.Now().Add(s.Staff.LinkTTL)}})
}

func (s *Server) staffRevokeToken(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.staffID(w, r)
	if !ok {
		return
	}
	tok, err := api.ParseID(chi.URLParam(r, "token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Staff.RevokeToken(r.Context(), u.UserID, id, tok)
	s.staffDone(w, r, id, err, "revoke", map[string]string{})
}

type invitationData struct {
	Token   string
	Name    string
	Email   string
	Purpose string
	Message string
}

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	l, err := s.Staff.CheckLink(r.Context(), token)
	if errors.Is(err, staff.ErrLinkInvalid) {
		s.render(w, r, http.StatusGone, "invitation", page{Title: "This link cannot be used", Data: invitationData{Message: err.Error()}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "invitation", page{Title: "Set your password",
		Data: invitationData{Token: token, Name: l.User.DisplayName, Email: l.User.Email, Purpose: l.Purpose}})
}

func (s *Server) invitationUse(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	token := r.PostForm.Get("token")
	_, err := s.Staff.UseLink(r.Context(), token, r.PostForm.Get("password"), r.PostForm.Get("confirm"))
	var ve *valid.Error
	switch {
	case errors.Is(err, staff.ErrLinkInvalid):
		s.render(w, r, http.StatusGone, "invitation", page{Title: "This link cannot be used", Data: invitationData{Message: err.Error()}})
	case errors.As(err, &ve):
		l, lerr := s.Staff.CheckLink(r.Context(), token)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "invitation", page{Title: "Set your password", Errors: ve.Problems,
			Data: invitationData{Token: token, Name: l.User.DisplayName, Email: l.User.Email, Purpose: l.Purpose}})
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	}
}
