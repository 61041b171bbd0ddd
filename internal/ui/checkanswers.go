package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// checkAnswersRoutes are the end of the assessment journey (GOV.UK "check
// answers" then a confirmation page): the form saves the draft and comes
// here, and only this page submits it.
func (s *Server) checkAnswersRoutes(r chi.Router) {
	s.handle(r, "GET", "/assessments/{id}/check", authz.Needs, authz.Write, s.assessmentCheck)
	s.handle(r, "POST", "/assessments/{id}/submit", authz.Needs, authz.Write, s.assessmentSubmit)
	s.handle(r, "GET", "/assessments/{id}/submitted", authz.Needs, authz.Read, s.assessmentSubmitted)
}

// checkPage is the check-your-answers page: the draft as saved, and which
// domains still need a rating.
type checkPage struct {
	assessmentPage
	Unrated int
}

func (s *Server) assessmentCheck(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if !p.CanWrite { // already submitted, or not the caller's to change
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d", p.A.AssessmentID), http.StatusSeeOther)
		return
	}
	s.renderCheck(w, r, http.StatusOK, p, nil)
}

func (s *Server) renderCheck(w http.ResponseWriter, r *http.Request, status int, p assessmentPage, problems []valid.Problem) {
	cp := checkPage{assessmentPage: p}
	for _, row := range p.Rows {
		if row.Level == nil {
			cp.Unrated++
		}
	}
	s.render(w, r, status, "check_answers", page{Title: "Check your answers before submitting the assessment", Errors: problems, Data: cp})
}

// assessmentSubmit submits the saved draft at the version the caller checked:
// if it changed since (an autosave from another tab, a colleague), the
// caller checks it again rather than submitting what they have not seen.
func (s *Server) assessmentSubmit(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.renderCheck(w, r, http.StatusUnprocessableEntity, p, []valid.Problem{{Field: "submit", Message: "The page is out of date: check the answers below again, then submit"}})
		return
	}
	_, err = s.Needs.Submit(r.Context(), u.UserID, p.A.AssessmentID, int32(version))
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d/submitted", p.A.AssessmentID), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.renderCheck(w, r, http.StatusUnprocessableEntity, p, ve.Problems)
	case errors.Is(err, needs.ErrConflict):
		s.renderCheck(w, r, http.StatusConflict, p, []valid.Problem{{Field: "submit",
			Message: "The draft was saved again after you opened this page: check the answers below, which are the latest, then submit"}})
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) assessmentSubmitted(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if p.A.Status == "draft" || p.A.Status == "returned" {
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d/check", p.A.AssessmentID), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "assessment_submitted", page{Title: "Needs assessment submitted", Data: p})
}
