package ui

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/valid"
)

func (s *Server) periodFrom(r *http.Request) (time.Time, time.Time, *int32, error) {
	q := r.URL.Query()
	today := s.Proceedings.Now()
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	from := to.AddDate(-1, 0, 1) // the year to `to`, both days included, as the reports count it
	var ps valid.Problems
	if t := formDate(&ps, q, "from", false); !t.IsZero() {
		from = t
	}
	if t := formDate(&ps, q, "to", false); !t.IsZero() {
		to = t
	}
	la, err := api.ParseLA(q.Get("la"))
	if err != nil {
		ps.Add("la", "%q is not a council code", q.Get("la"))
	}
	return from, to, la, ps.Err()
}

func (s *Server) delayDashboard(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	from, to, la, err := s.periodFrom(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.Proceedings.Delay(r.Context(), u.UserID, la, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"Report": rep, "Chart": proceedings.DurationChart(rep).Figure(), "From": from.Format(time.DateOnly), "To": to.Format(time.DateOnly),
		"LA": r.URL.Query().Get("la"), "CanWrite": s.Authz.AllowedAnywhere(u.UserID, authz.Proceedings, authz.Write)}
	var bs []proceedings.Breakdown
	for _, c := range rep.Cases {
		bs = append(bs, c.Breakdown)
	}
	q := r.URL.Query()
	weeks, werr := strconv.ParseFloat(q.Get("mean"), 64)
	if werr != nil || weeks <= 0 {
		weeks = 26
	}
	share, serr := strconv.ParseFloat(q.Get("fcmh"), 64)
	if serr != nil || share < 0 || share > 100 {
		share = 50
	}
	data["ScenarioWeeks"], data["ScenarioFCMH"] = weeks, share
	data["IfMean"] = proceedings.IfAverageWere(bs, weeks)
	data["IfFCMH"] = proceedings.IfFCMHsFell(bs, share/100)
	councils, err := s.councilsWhere(r, authz.Proceedings, authz.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data["Councils"] = councils
	s.render(w, r, http.StatusOK, "delay", page{Title: "Care proceedings and the cost of delay", Data: data})
}

func (s *Server) proceedingShow(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderProceeding(w, r, u.UserID, id, http.StatusOK, nil, caseFlashes[r.URL.Query().Get("saved")], nil)
}

// caseFlashes are the banners after a change to a case, by the key the
// redirect carries (a key, not the text, so a link cannot put words on the page).
var caseFlashes = map[string]string{"1": "The case has been saved.", "hearing": "The hearing has been recorded.",
	"outcome": "The hearing's outcome has been recorded.", "expert": "The expert assessment has been recorded."}

func (s *Server) renderProceeding(w http.ResponseWriter, r *http.Request, userID, id int64, status int, problems []valid.Problem, flash string, form map[string]string) {
	d, err := s.Proceedings.Get(r.Context(), userID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := proceedings.Case{CaseNumber: d.Proceeding.CaseNumber, IssuedOn: d.Proceeding.IssuedOn, ConcludedOn: d.Proceeding.ConcludedOn}
	for _, h := range d.Hearings {
		c.Hearings = append(c.Hearings, proceedings.Hearing{On: h.HeldOn, Kind: h.Kind, Outcome: h.Outcome})
	}
	if form == nil {
		form = map[string]string{}
	}
	today := s.Proceedings.Now()
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var next *db.Hearing
	for i, h := range d.Hearings {
		if h.Outcome == proceedings.Listed && !h.HeldOn.Before(today) {
			next = &d.Hearings[i]
			break
		}
	}
	s.render(w, r, status, "proceeding", page{Title: "Case " + d.Proceeding.CaseNumber, Errors: problems, Flash: flash, Data: map[string]any{
		"D": d, "Timeline": proceedings.CaseTimeline(c, d.Breakdown, d.AsOf).Figure(), "Form": form, "Next": next, "Today": today,
		"CanWrite": s.Authz.Allowed(userID, authz.CouncilDomain(d.Proceeding.LaID), authz.Proceedings, authz.Write),
		"Kinds":    sortedLabels(proceedings.HearingKinds), "Outcomes": sortedLabels(proceedings.Outcomes)}})
}

type proceedingForm struct {
	ID       int64
	Version  int32
	LA       int32
	Form     map[string]string
	Orders   []codeLabel
	Councils []db.LocalAuthority
	Chosen   map[int64]bool // the children ticked
	Choices  []childGroup   // the children to tick, by council
}

// childGroup is one council's children offered on the case form.
type childGroup struct {
	LA       db.LocalAuthority
	Children []childChoice
}

type childChoice struct {
	ID      int64
	Label   string
	Checked bool
}

func (s *Server) proceedingCouncils(r *http.Request) ([]db.LocalAuthority, error) {
	return s.councilsWhere(r, authz.Proceedings, authz.Write)
}

func (s *Server) proceedingForm(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	f := proceedingForm{Form: map[string]string{"court": "Manchester Family Court"}, Orders: sortedLabels(proceedings.FinalOrders)}
	if v := chi.URLParam(r, "id"); v != "" {
		id, err := api.ParseID(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d, err := s.Proceedings.Get(r.Context(), u.UserID, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := d.Proceeding
		chosen := map[int64]bool{}
		for _, c := range d.Children {
			chosen[c.ChildID] = true
		}
		f = proceedingForm{ID: id, Version: p.Version, LA: p.LaID, Orders: f.Orders, Chosen: chosen, Form: map[string]string{"case_number": p.CaseNumber, "court": p.Court,
			"pre_proceedings_on": dateString(p.PreProceedingsOn), "issued_on": p.IssuedOn.Format(time.DateOnly), "concluded_on": dateString(p.ConcludedOn),
			"final_order": deref(p.FinalOrder)}}
	}
	s.renderProceedingForm(w, r, http.StatusOK, f, nil)
}

func (s *Server) renderProceedingForm(w http.ResponseWriter, r *http.Request, status int, f proceedingForm, problems []valid.Problem) {
	las, err := s.proceedingCouncils(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Councils = las
	// The children to choose from: the case's council's, or on a new case
	// each council the officer records cases for (usually one).
	u := auth.UserFrom(r.Context())
	for _, la := range las {
		if f.ID != 0 && la.LaID != f.LA {
			continue
		}
		kids, err := s.Children.Choices(r.Context(), u.UserID, la.LaID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		g := childGroup{LA: la}
		for _, k := range kids {
			g.Children = append(g.Children, childChoice{ID: k.ChildID, Checked: f.Chosen[k.ChildID],
				Label: fmt.Sprintf("%s %s (%s, born %s)", k.GivenName, k.FamilyName, k.ChildRef, k.DateOfBirth.Format("2 January 2006"))})
		}
		// Those already in the case first, so an edit shows them without searching.
		sort.SliceStable(g.Children, func(i, j int) bool { return g.Children[i].Checked && !g.Children[j].Checked })
		f.Choices = append(f.Choices, g)
	}
	title := "Record a care case"
	if f.ID != 0 {
		title = "Update case " + f.Form["case_number"]
	}
	s.render(w, r, status, "proceeding_form", page{Title: title, Errors: problems, Data: f})
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (s *Server) proceedingSave(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.optionalID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	la, _ := strconv.Atoi(f.Get("la"))
	v, _ := strconv.Atoi(f.Get("version"))
	in := proceedings.Input{CaseNumber: f.Get("case_number"), Court: f.Get("court"), FinalOrder: f.Get("final_order"), Version: int32(v)}
	in.IssuedOn = formDate(&ps, f, "issued_on", true)
	if t := formDate(&ps, f, "pre_proceedings_on", false); !t.IsZero() {
		in.PreProceedingsOn = &t
	}
	if t := formDate(&ps, f, "concluded_on", false); !t.IsZero() {
		in.ConcludedOn = &t
	}
	// Children are ticked on the form (child=ID); typed references
	// (children=REF, REF) are still taken from scripts that post the old form.
	in.ChildRefs = strings.FieldsFunc(f.Get("children"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	chosen := map[int64]bool{}
	for _, v := range f["child"] {
		cid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || cid <= 0 {
			ps.Add("children", "choose the children in the case from the list")
			continue
		}
		if !chosen[cid] {
			chosen[cid] = true
			in.ChildIDs = append(in.ChildIDs, cid)
		}
	}
	err := ps.Err()
	if err == nil {
		id, err = s.Proceedings.Save(r.Context(), u.UserID, int32(la), id, in)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/proceedings/%d?saved=1", id), http.StatusSeeOther)
		return
	case errors.Is(err, proceedings.ErrConflict):
		ve = valid.Errorf("case_number", "someone else updated this case while you were editing; open it again to see their changes, then make yours")
	case !errors.As(err, &ve):
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"case_number", "court", "pre_proceedings_on", "issued_on", "concluded_on", "final_order", "children"} {
		form[k] = f.Get(k)
	}
	s.renderProceedingForm(w, r, http.StatusUnprocessableEntity, proceedingForm{ID: id, Version: int32(v), LA: int32(la), Form: form, Chosen: chosen,
		Orders: sortedLabels(proceedings.FinalOrders)}, sentences(ve.Problems))
}

func (s *Server) hearingCreate(w http.ResponseWriter, r *http.Request) {
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
	h := proceedings.HearingInput{On: formDate(&ps, f, "held_on", true), Kind: f.Get("kind"), Outcome: f.Get("outcome"), Reason: f.Get("reason")}
	// The service checks the rest even when the date could not be read (it
	// then refuses for want of a date), so every problem is shown at once.
	err = withFormProblems(ps, s.Proceedings.AddHearing(r.Context(), u.UserID, id, h))
	s.afterCaseChange(w, r, u.UserID, id, err, "The hearing has been recorded.", f, []string{"held_on", "kind", "outcome", "reason"})
}

func (s *Server) expertCreate(w http.ResponseWriter, r *http.Request) {
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
	e := proceedings.ExpertInput{Kind: f.Get("expert_kind"), CommissionedOn: formDate(&ps, f, "commissioned_on", true), CostPence: formPence(&ps, f, "cost")}
	if t := formDate(&ps, f, "delivered_on", false); !t.IsZero() {
		e.DeliveredOn = &t
	}
	err = ps.Err()
	if err == nil {
		err = s.Proceedings.AddExpert(r.Context(), u.UserID, id, e)
	}
	s.afterCaseChange(w, r, u.UserID, id, err, "The expert assessment has been recorded.", f, []string{"expert_kind", "commissioned_on", "delivered_on", "cost"})
}

func (s *Server) afterCaseChange(w http.ResponseWriter, r *http.Request, userID, id int64, err error, flash string, f map[string][]string, keys []string) {
	var ve *valid.Error
	switch {
	case err == nil:
		key := "1"
		for k, v := range caseFlashes {
			if v == flash {
				key = k
			}
		}
		http.Redirect(w, r, fmt.Sprintf("/proceedings/%d?saved=%s", id, key), http.StatusSeeOther)
	case errors.As(err, &ve):
		form := map[string]string{}
		for _, k := range keys {
			if v := f[k]; len(v) > 0 {
				form[k] = v[0]
			}
		}
		s.renderProceeding(w, r, userID, id, http.StatusUnprocessableEntity, ve.Problems, "", form)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) delaySettingsForm(w http.ResponseWriter, r *http.Request) {
	s.renderDelaySettings(w, r, http.StatusOK, nil, "", nil)
}

func (s *Server) renderDelaySettings(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, flash string, form map[string]string) {
	u := auth.UserFrom(r.Context())
	las, err := s.Councils.Where(r.Context(), u.UserID, authz.Council, authz.Manage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		LA     db.LocalAuthority
		Params []db.DelayParameter
	}
	var rows []row
	for _, l := range las {
		ps, err := s.Proceedings.Parameters(r.Context(), l.LaID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows = append(rows, row{l, ps})
	}
	n := proceedings.National
	if form == nil {
		form = map[string]string{"target_weeks": strconv.Itoa(n.TargetWeeks), "standard_hearings": strconv.FormatFloat(n.StandardHearings, 'f', -1, 64),
			"legal_per_hearing": penceString(n.LegalPencePerHearing), "sw_hours": strconv.FormatFloat(n.SWHoursPerWeek, 'f', -1, 64),
			"sw_rate": penceString(n.SWPencePerHour), "contact_hours": strconv.FormatFloat(n.ContactHoursPerWeek, 'f', -1, 64),
			"contact_rate": penceString(n.ContactPencePerHour), "placement_weekly": penceString(n.PlacementPencePerWeek)}
	}
	s.render(w, r, status, "delay_settings", page{Title: "Cost of delay parameters", Errors: problems, Flash: flash,
		Data: map[string]any{"Councils": rows, "Form": form, "National": n}})
}

func (s *Server) delaySettings(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	la, _ := strconv.Atoi(f.Get("la"))
	num := func(k string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(f.Get(k)), 64)
		if err != nil {
			ps.Add(k, "enter a number")
		}
		return v
	}
	p := proceedings.Params{TargetWeeks: int(num("target_weeks")), StandardHearings: num("standard_hearings"), LegalPencePerHearing: formPence(&ps, f, "legal_per_hearing"),
		SWHoursPerWeek: num("sw_hours"), SWPencePerHour: formPence(&ps, f, "sw_rate"), ContactHoursPerWeek: num("contact_hours"),
		ContactPencePerHour: formPence(&ps, f, "contact_rate"), PlacementPencePerWeek: formPence(&ps, f, "placement_weekly")}
	from := formDate(&ps, f, "effective_from", true)
	var to *time.Time
	if t := formDate(&ps, f, "effective_to", false); !t.IsZero() {
		to = &t
	}
	err := ps.Err()
	if err == nil {
		err = s.Proceedings.SetParameters(r.Context(), u.UserID, int32(la), from, to, p)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		s.renderDelaySettings(w, r, http.StatusOK, nil, "The parameters have been saved.", nil)
	case errors.As(err, &ve):
		form := map[string]string{}
		for k := range f {
			form[k] = f.Get(k)
		}
		s.renderDelaySettings(w, r, http.StatusUnprocessableEntity, ve.Problems, "", form)
	default:
		s.fail(w, r, err)
	}
}

// childProceedings adds the child's care cases to the child page.
func (s *Server) childProceedings(r *http.Request, userID int64, c db.ChildGetRow, data map[string]any) error {
	rows, err := s.Proceedings.ForChild(r.Context(), userID, c.LaID, c.ChildID)
	if err != nil || len(rows) == 0 {
		return err
	}
	var charts []template.HTML
	for _, row := range rows {
		charts = append(charts, proceedings.CaseTimeline(row.Case, row.Breakdown, s.Proceedings.Now()).Figure())
	}
	data["Cases"], data["CaseCharts"] = rows, charts
	return nil
}

// sentences starts each message with a capital, as the GOV.UK error summary
// shows them ("Choose the children in the case"): the case service words its
// problems for the API too, in lower case.
func sentences(ps []valid.Problem) []valid.Problem {
	out := make([]valid.Problem, len(ps))
	for i, p := range ps {
		if r, n := utf8.DecodeRuneInString(p.Message); n > 0 {
			p.Message = string(unicode.ToUpper(r)) + p.Message[n:]
		}
		out[i] = p
	}
	return out
}
