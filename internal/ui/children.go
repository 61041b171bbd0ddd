package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

func (s *Server) childrenList(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	f, err := api.ParseChildFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Children.List(r.Context(), u.UserID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	councils, err := s.Councils.WithChildren(r.Context(), u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pageURL := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return "/children?" + q.Encode()
	}
	title := "Children"
	if len(s.Authz.ChildScope(u.UserID).All) == 0 {
		title = "Your caseload"
	}
	s.render(w, r, http.StatusOK, "children", page{Title: title, Data: map[string]any{
		"Filter": f, "Page": p, "Councils": councils, "AgeBands": children.AgeBands,
		"PrevURL": pageURL(p.Page - 1), "NextURL": pageURL(p.Page + 1), "UASC": r.URL.Query().Get("uasc"), "EHC": r.URL.Query().Get("ehc"),
	}})
}

func (s *Server) childShow(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dom := authz.CouncilDomain(rec.Child.LaID)
	data := map[string]any{"Record": rec, "CanUpdate": s.Authz.Allowed(u.UserID, dom, authz.Child, authz.Update)}
	if s.Authz.Allowed(u.UserID, dom, authz.Child, authz.Allocate) {
		data["CanAllocate"] = true
	}
	if err := s.childNeeds(r, u.UserID, rec.Child, data); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.childPlacements(r, u.UserID, rec.Child, data); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.Authz.Allowed(u.UserID, dom, authz.Placement, authz.Read) && s.Authz.Allowed(u.UserID, dom, authz.Needs, authz.Read) {
		fit, ok, err := s.Analytics.ChildFit(r.Context(), rec.Child.LaID, rec.Child.ChildID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if ok {
			data["Fit"] = fit
		}
	}
	if err := s.childProceedings(r, u.UserID, rec.Child, data); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := ""
	if r.URL.Query().Get("saved") != "" {
		flash = "Your changes have been saved."
	}
	s.render(w, r, http.StatusOK, "child", page{Title: rec.Child.GivenName + " " + rec.Child.FamilyName, Flash: flash, Data: data})
}

type editData struct {
	ChildID  int64
	ChildRef string
	Version  int32
	Form     map[string]any
	Flags    map[string]string
	Conflict *db.ChildGetRow
}

var childFlags = map[string]string{"uasc": "Unaccompanied asylum-seeking child", "ehc_plan": "Has an EHC plan", "disability": "Has a disability"}

func (s *Server) childEditForm(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := rec.Child
	s.render(w, r, http.StatusOK, "child_edit", page{Title: "Change details", Data: editData{
		ChildID: id, ChildRef: c.ChildRef, Version: c.Version, Flags: childFlags,
		Form: map[string]any{"given_name": c.GivenName, "family_name": c.FamilyName, "date_of_birth": c.DateOfBirth.Format(time.DateOnly),
			"sex": c.Sex, "ethnicity": c.Ethnicity, "uasc": c.Uasc, "ehc_plan": c.EhcPlan, "disability": c.Disability},
	}})
}

func (s *Server) childEdit(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	form := map[string]any{}
	for _, k := range []string{"given_name", "family_name", "date_of_birth", "sex", "ethnicity"} {
		form[k] = f.Get(k)
	}
	for k := range childFlags {
		form[k] = f.Get(k) == "true"
	}
	version, verr := strconv.Atoi(f.Get("version"))
	d, problems := detailsFromForm(f)
	if verr != nil {
		problems = append(problems, valid.Problem{Field: "version", Message: "the form is out of date; open it again"})
	}
	data := editData{ChildID: id, Version: int32(version), Form: form, Flags: childFlags}
	if len(problems) == 0 {
		_, err = s.Children.Update(r.Context(), u.UserID, id, int32(version), d)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1", id), http.StatusSeeOther)
			return
		}
		var ve *valid.Error
		switch {
		case errors.As(err, &ve):
			problems = ve.Problems
		case errors.Is(err, children.ErrConflict):
			// Show both versions: theirs from the database, ours still in the form.
			rec, gerr := s.Children.Get(r.Context(), u.UserID, id)
			if gerr != nil {
				s.fail(w, r, gerr)
				return
			}
			data.Conflict, data.Version, data.ChildRef = &rec.Child, rec.Child.Version, rec.Child.ChildRef
			s.render(w, r, http.StatusConflict, "child_edit", page{Title: "Change details", Data: data})
			return
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "child_edit", page{Title: "Change details", Errors: problems, Data: data})
}

func detailsFromForm(f url.Values) (children.Details, []valid.Problem) {
	d := children.Details{GivenName: f.Get("given_name"), FamilyName: f.Get("family_name"), Sex: f.Get("sex"),
		Ethnicity: f.Get("ethnicity"), UASC: f.Get("uasc") == "true", EHCPlan: f.Get("ehc_plan") == "true", Disability: f.Get("disability") == "true"}
	var ps []valid.Problem
	var dp valid.Problems
	d.DateOfBirth = formDate(&dp, f, "date_of_birth", false)
	return d, append(ps, dp...)
}
