package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/valid"
)

// allocationRoutes: the allocation form. Its post, /children/{id}/allocation,
// is in routes() with the child's other pages.
func (s *Server) allocationRoutes(r chi.Router) {
	s.handle(r, "GET", "/children/{id}/allocation", authz.Child, authz.Allocate, s.allocationForm)
}

// allocationPage is the form: no worker chosen until the manager chooses one,
// each with their caseload, and a reason and a start date.
type allocationPage struct {
	Record  children.Record
	Choices children.Choices
	List    children.WorkerList // the workers offered: a team, or a name search
	Seen    string
	Form    url.Values
}

func (s *Server) allocationForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.renderAllocation(w, r, http.StatusOK, url.Values{"allocated_on": {s.Children.Now().Format(dateShown)},
		"team": {q.Get("team")}, "find": {q.Get("find")}, "worker": {q.Get("worker")}}, nil)
}

func (s *Server) renderAllocation(w http.ResponseWriter, r *http.Request, status int, form url.Values, problems []valid.Problem) {
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
	c, err := s.Children.AllocationChoices(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	keep, _ := strconv.ParseInt(form.Get("worker"), 10, 64)
	list, err := s.Children.ListWorkers(r.Context(), u.UserID, c, children.WorkerFilter{Team: form.Get("team"), Find: form.Get("find"), Keep: keep})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seen := form.Get("seen")
	if seen == "" {
		seen = children.Key(c.Current)
	}
	s.render(w, r, status, "allocation", page{Title: "Allocate a social worker", Errors: problems,
		Data: allocationPage{Record: rec, Choices: c, List: list, Seen: seen, Form: form}})
}

func (s *Server) childAllocate(w http.ResponseWriter, r *http.Request) {
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
	var ps valid.Problems
	worker, _ := strconv.ParseInt(f.Get("worker"), 10, 64) // 0, "Choose a social worker", is the service's to say
	from := ps.DateField("allocated_on", "the date the allocation starts", strings.TrimSpace(f.Get("allocated_on")), false)
	a := children.Allocation{WorkerID: worker, From: from, Reason: f.Get("reason"), Seen: f.Get("seen")}
	if len(ps) == 0 && f.Get("confirm") != "yes" {
		// Check everything before asking, so the question is only put for a change that can be made.
		err = s.Children.CheckAllocation(r.Context(), u.UserID, id, a)
		if err == nil {
			c, cerr := s.Children.AllocationChoices(r.Context(), u.UserID, id)
			if cerr != nil {
				s.fail(w, r, cerr)
				return
			}
			rec, cerr := s.Children.Get(r.Context(), u.UserID, id)
			if cerr != nil {
				s.fail(w, r, cerr)
				return
			}
			q := allocationQuestion(id, c, a)
			q.Caption = rec.Child.GivenName + " " + rec.Child.FamilyName + " · " + rec.Child.ChildRef
			s.confirmed(w, r, q)
			return
		}
	} else {
		err = s.Children.Allocate(r.Context(), u.UserID, id, a)
	}
	err = withFormProblems(ps, err)
	var ve *valid.Error
	if errors.As(err, &ve) {
		s.renderAllocation(w, r, http.StatusUnprocessableEntity, f, ve.Problems)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1", id), http.StatusSeeOther)
}

// allocationQuestion says who takes the child on, from when, and who stops.
func allocationQuestion(child int64, c children.Choices, a children.Allocation) confirmation {
	name := func(id int64) string {
		for _, w := range c.Workers {
			if w.UserID == id {
				return fmt.Sprintf("%s (%s, %d children now)", w.DisplayName, w.Team, w.Children)
			}
		}
		return "the social worker chosen"
	}
	happens := []string{fmt.Sprintf("%s becomes the child's social worker from %s", name(a.WorkerID), a.From.Format("2 January 2006"))}
	if c.Current != nil {
		prev := "the current social worker"
		for _, w := range c.Workers {
			if w.UserID == c.Current.UserID {
				prev = w.DisplayName
			}
		}
		happens = append(happens, fmt.Sprintf("%s stops being the child's social worker on that day and loses access to the record unless they hold it another way", prev))
	}
	happens = append(happens, "the reason is kept in the audit trail: "+strings.TrimSpace(a.Reason))
	return confirmation{Heading: "Allocate this child?", Button: "Yes, allocate", Cancel: fmt.Sprintf("/children/%d", child), Happens: happens}
}
