package ui

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// reasonLabels are the words for what prompted an assessment.
var reasonLabels = map[string]string{"review": "Review", "placement_change": "Placement change", "new_to_care": "New to care", "other": "Other"}

// domainRow is one domain of an assessment as a page shows it.
type domainRow struct {
	Code, Name, Description string
	Level                   *int32
	LevelLabel              string
	Evidence                string
	Change                  *needs.Change
	Theirs                  *domainRow // on a conflict: the saved version
	Last                    string     // "level 2 (12 March 2026)": the last approved rating, on a new assessment
}

func rows(in needs.Instrument, levels map[string]*int32, evidence map[string]string, changes []needs.Change) []domainRow {
	labels := map[int32]string{}
	for _, l := range in.Levels {
		labels[l.Level] = l.Label
	}
	ch := map[string]*needs.Change{}
	for i := range changes {
		ch[changes[i].Domain] = &changes[i]
	}
	out := make([]domainRow, len(in.Domains))
	for i, d := range in.Domains {
		r := domainRow{Code: d.DomainCode, Name: d.Name, Description: d.Description, Level: levels[d.DomainCode],
			Evidence: evidence[d.DomainCode], Change: ch[d.DomainCode]}
		if r.Level != nil {
			r.LevelLabel = labels[*r.Level]
		}
		out[i] = r
	}
	return out
}

func ratingMaps(rs []db.NeedsRating) (map[string]*int32, map[string]string) {
	levels, evidence := map[string]*int32{}, map[string]string{}
	for _, r := range rs {
		levels[r.DomainCode], evidence[r.DomainCode] = r.Level, r.Evidence
	}
	return levels, evidence
}

// childNeeds adds the needs sections of the child page: current profile,
// trajectory, history, SDQ readings.
func (s *Server) childNeeds(r *http.Request, userID int64, c db.ChildGetRow, data map[string]any) error {
	dom := authz.CouncilDomain(c.LaID)
	if !s.Authz.Allowed(userID, dom, authz.Needs, authz.Read) {
		return nil
	}
	p, err := s.Needs.History(r.Context(), userID, c.ChildID)
	if err != nil {
		return err
	}
	data["Needs"] = p
	data["CanWriteNeeds"] = s.Authz.Allowed(userID, dom, authz.Needs, authz.Write)
	data["CanExportNeeds"] = s.Authz.Allowed(userID, dom, authz.Needs, authz.Export)
	var latest []needs.Summary // newest first, for the history table
	for i := len(p.Assessments) - 1; i >= 0; i-- {
		latest = append(latest, p.Assessments[i])
	}
	data["History"] = latest
	for _, a := range latest {
		if a.Status == "draft" {
			data["OpenDraft"] = a.ID // the child's one draft
			break
		}
	}
	today := s.Needs.Now()
	if p.Current != nil {
		in := p.Instruments[p.Current.Instrument]
		levels := map[string]*int32{}
		for k, v := range p.Current.Levels {
			levels[k] = &v
		}
		cur, err := s.Needs.Get(r.Context(), userID, p.Current.ID)
		if err != nil {
			return err
		}
		_, evidence := ratingMaps(cur.Ratings)
		data["Current"] = rows(in, levels, evidence, cur.Changes)
		data["CurrentInstrument"] = in
		data["Overdue"] = p.ReviewDue != nil && p.ReviewDue.Before(today)
		score, domains := needs.Trajectory(in, p.Approved(in.ID), today)
		data["ScoreChart"] = score.Figure()
		var small []template.HTML
		for _, d := range domains {
			small = append(small, d.SVG())
		}
		data["DomainCharts"] = small
		// One table for the twelve small multiples: a row per assessment, a
		// column per domain, rather than twelve tables.
		data["DomainTable"] = chart.Table(domains...)
	}
	if len(p.SDQ) > 0 {
		data["SDQChart"] = needs.SDQChart(p.SDQ, today).Figure()
	}
	return nil
}

// assessmentPage is what the assessment view and form receive.
type assessmentPage struct {
	Child       db.ChildGetRow
	A           *needs.Assessment // nil on a new assessment
	Instrument  needs.Instrument
	Rows        []domainRow
	Form        map[string]string // assessed_on, reason, supersedes, comment
	Reasons     []string
	Version     int32
	Conflict    bool
	CanWrite    bool
	CanApprove  bool
	Instruments []db.NeedsInstrument
}

func (s *Server) assessmentNewForm(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// One read of everything the form shows, the child authorised once
	// (issue 19): this page read the child three times and the instrument
	// five ways before.
	nf, err := s.Needs.StartForm(r.Context(), u.UserID, childID, r.URL.Query().Get("instrument"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// One open draft per child: the button says "Continue the draft", and this address leads there too.
	if nf.Draft != 0 {
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d/edit", nf.Draft), http.StatusSeeOther)
		return
	}
	in := nf.Instrument
	form := map[string]string{"assessed_on": s.Needs.Now().Format(dateShown), "reason": "review", "instrument": in.Code,
		"supersedes": r.URL.Query().Get("supersedes")}
	s.render(w, r, http.StatusOK, "assessment_form", page{Title: "New needs assessment", Data: assessmentPage{
		Child: nf.Child, Instrument: in, Rows: carryForward(in, nf.Last, nf.LastOn), Form: form, Reasons: needs.Reasons,
		CanWrite: true, Instruments: nf.Instruments}})
}

// draftFromForm reads the assessment form. Unrated domains stay unrated.
func draftFromForm(in needs.Instrument, f url.Values) (needs.Draft, []valid.Problem) {
	d := needs.Draft{Reason: f.Get("reason"), Instrument: f.Get("instrument")}
	var ps valid.Problems
	d.AssessedOn = formDate(&ps, f, "assessed_on", false)
	if v := f.Get("supersedes"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			ps.Add("supersedes", "%q is not an assessment number", v)
		}
		d.Supersedes = &id
	}
	for _, dom := range in.Domains {
		rt := needs.Rating{Domain: dom.DomainCode, Evidence: strings.TrimSpace(f.Get("evidence." + dom.DomainCode))}
		if v := f.Get("level." + dom.DomainCode); v != "" {
			l, err := strconv.Atoi(v)
			if err != nil {
				ps.Add("ratings."+dom.DomainCode, "%q is not a level", v)
				continue
			}
			l32 := int32(l)
			rt.Level = &l32
		}
		if rt.Level != nil || rt.Evidence != "" {
			d.Ratings = append(d.Ratings, rt)
		}
	}
	return d, ps
}

func formRows(in needs.Instrument, d needs.Draft) []domainRow {
	levels, evidence := map[string]*int32{}, map[string]string{}
	for _, r := range d.Ratings {
		levels[r.Domain], evidence[r.Domain] = r.Level, r.Evidence
	}
	return rows(in, levels, evidence, nil)
}

func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.Needs.InstrumentByCode(r.Context(), r.PostForm.Get("instrument"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, problems := draftFromForm(in, r.PostForm)
	// hearth.js creates the draft at the first change of a new assessment, and
	// the page becomes the draft's (autosave: 201 with its address).
	auto := r.Header.Get("Accept") == "application/json"
	if len(problems) == 0 {
		a, err := s.Needs.Create(r.Context(), u.UserID, childID, d)
		if err == nil {
			edit := fmt.Sprintf("/assessments/%d/edit", a.AssessmentID)
			if auto {
				api.WriteJSON(w, http.StatusCreated, map[string]any{"id": a.AssessmentID, "version": a.Version, "edit": edit})
				return
			}
			if r.PostForm.Get("action") == "check" {
				http.Redirect(w, r, fmt.Sprintf("/assessments/%d/check", a.AssessmentID), http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, edit+"?saved=1", http.StatusSeeOther)
			return
		}
		var ve *valid.Error
		var exists *needs.DraftExistsError
		switch {
		case errors.As(err, &exists):
			if auto {
				api.WriteError(w, http.StatusConflict, exists.Error(), nil)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/assessments/%d/edit", exists.AssessmentID), http.StatusSeeOther)
			return
		case errors.As(err, &ve):
			problems = ve.Problems
		default:
			s.fail(w, r, err)
			return
		}
	}
	if auto {
		api.WriteError(w, http.StatusUnprocessableEntity, "", &valid.Error{Problems: problems})
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{"assessed_on": r.PostForm.Get("assessed_on"), "reason": d.Reason, "instrument": in.Code, "supersedes": r.PostForm.Get("supersedes")}
	s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", page{Title: "New needs assessment", Errors: problems, Data: assessmentPage{
		Child: rec.Child, Instrument: in, Rows: lastTimes(formRows(in, d), s.lastRatings(r, u.UserID, childID, in)), Form: form, Reasons: needs.Reasons, CanWrite: true}})
}

// loadAssessment reads an assessment for a page with its child and instrument.
func (s *Server) loadAssessment(w http.ResponseWriter, r *http.Request) (assessmentPage, bool) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return assessmentPage{}, false
	}
	a, err := s.Needs.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return assessmentPage{}, false
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, a.ChildID)
	if err != nil {
		s.fail(w, r, err)
		return assessmentPage{}, false
	}
	in, err := s.Needs.Instrument(r.Context(), a.InstrumentID)
	if err != nil {
		s.fail(w, r, err)
		return assessmentPage{}, false
	}
	dom := authz.CouncilDomain(a.LaID)
	levels, evidence := ratingMaps(a.Ratings)
	p := assessmentPage{Child: rec.Child, A: &a, Instrument: in, Rows: rows(in, levels, evidence, a.Changes), Reasons: needs.Reasons,
		Version: a.Version, Form: map[string]string{"assessed_on": a.AssessedOn.Format(dateShown), "reason": a.Reason, "instrument": in.Code},
		CanWrite:   s.Authz.Allowed(u.UserID, dom, authz.Needs, authz.Write) && (a.Status == "draft" || a.Status == "returned"),
		CanApprove: s.Authz.Allowed(u.UserID, dom, authz.Needs, authz.Approve) && a.Status == "submitted" && a.AuthorID != u.UserID}
	return p, true
}

func (s *Server) assessmentShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	flash := map[string]string{"submitted": "The assessment has been submitted for approval.", "approved": "The assessment has been approved.",
		"returned": "The assessment has been returned to its author."}[r.URL.Query().Get("done")]
	s.render(w, r, http.StatusOK, "assessment", page{Title: "Needs assessment", Flash: flash, Data: p})
}

func (s *Server) assessmentEditForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if !p.CanWrite {
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d", p.A.AssessmentID), http.StatusSeeOther)
		return
	}
	flash := ""
	if r.URL.Query().Get("saved") != "" {
		flash = "Your draft has been saved. You can come back to it at any time."
	}
	s.render(w, r, http.StatusOK, "assessment_form", page{Title: "Needs assessment", Flash: flash, Data: p})
}

// assessmentEdit saves a draft (action=save), saves it and goes on to check
// the answers (action=check, the form's main button), saves and submits it
// at once (action=submit, kept for scripts), or autosaves it for hearth.js
// (answering JSON).
func (s *Server) assessmentEdit(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	p, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	auto := r.Header.Get("Accept") == "application/json"
	version, verr := strconv.Atoi(r.PostForm.Get("version"))
	d, problems := draftFromForm(p.Instrument, r.PostForm)
	if verr != nil {
		problems = append(problems, valid.Problem{Field: "version", Message: "the form is out of date; open the assessment again"})
	}
	var saved needs.Assessment
	var err error
	if len(problems) == 0 {
		saved, err = s.Needs.Save(r.Context(), u.UserID, p.A.AssessmentID, int32(version), d)
		if err == nil && r.PostForm.Get("action") == "submit" {
			// The draft is saved; anything that stops submission is shown against the saved version.
			version = int(saved.Version)
			if _, err = s.Needs.Submit(r.Context(), u.UserID, p.A.AssessmentID, saved.Version); err == nil {
				http.Redirect(w, r, fmt.Sprintf("/assessments/%d?done=submitted", p.A.AssessmentID), http.StatusSeeOther)
				return
			}
		}
		var ve *valid.Error
		switch {
		case err == nil:
		case errors.As(err, &ve):
			problems = ve.Problems
		case errors.Is(err, needs.ErrConflict):
			if auto {
				api.WriteError(w, http.StatusConflict, "someone else saved this draft; save it to see both versions", nil)
				return
			}
			s.renderConflict(w, r, p, d)
			return
		default:
			s.fail(w, r, err)
			return
		}
	}
	if auto {
		if len(problems) > 0 {
			api.WriteError(w, http.StatusUnprocessableEntity, "", &valid.Error{Problems: problems})
			return
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"version": saved.Version, "saved_at": saved.UpdatedAt})
		return
	}
	if len(problems) == 0 {
		if r.PostForm.Get("action") == "check" { // saved: now check the answers before submitting
			http.Redirect(w, r, fmt.Sprintf("/assessments/%d/check", p.A.AssessmentID), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d/edit?saved=1", p.A.AssessmentID), http.StatusSeeOther)
		return
	}
	p.Rows, p.Version = formRows(p.Instrument, d), int32(version)
	p.Form = map[string]string{"assessed_on": r.PostForm.Get("assessed_on"), "reason": d.Reason, "instrument": p.Instrument.Code}
	s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", page{Title: "Needs assessment", Errors: problems, Data: p})
}

// renderConflict shows the version someone else saved next to the caller's,
// which stays in the form: nothing is lost, and saving again is a choice.
func (s *Server) renderConflict(w http.ResponseWriter, r *http.Request, p assessmentPage, mine needs.Draft) {
	theirs := p.Rows // loadAssessment read the saved version
	p.Rows = formRows(p.Instrument, mine)
	for i := range p.Rows {
		t := theirs[i]
		p.Rows[i].Theirs = &t
	}
	p.Conflict = true
	p.Form = map[string]string{"assessed_on": mine.AssessedOn.Format(dateShown), "reason": mine.Reason, "instrument": p.Instrument.Code}
	s.render(w, r, http.StatusConflict, "assessment_form", page{Title: "Needs assessment", Data: p})
}

func (s *Server) assessmentDecide(w http.ResponseWriter, r *http.Request) {
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
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.fail(w, r, valid.Errorf("version", "the page is out of date; open the assessment again"))
		return
	}
	// Ask first, unless the form is already wrong: a return without a comment
	// goes straight to the service, which says what is missing.
	caption := ""
	if r.PostForm.Get("confirm") != "yes" {
		a, err := s.Needs.Get(r.Context(), u.UserID, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		caption = fmt.Sprintf("Needs assessment of %s · need score %d", a.AssessedOn.Format("2 January 2006"), a.Score)
		if a.Band != "" {
			caption += ", band " + strings.ReplaceAll(a.Band, "_", " ")
		}
	}
	switch d := r.PostForm.Get("decision"); {
	case d == "approve" && !s.confirmed(w, r, confirmation{Caption: caption, Heading: "Approve this needs assessment?", Button: "Yes, approve it",
		Cancel: fmt.Sprintf("/assessments/%d", id), Happens: []string{
			"it becomes the child's current needs profile, used for costs, step-down and the region's figures",
			"the next review falls due from its date",
			"it can no longer be changed: a change needs a new assessment"}}):
		return
	case d == "return" && strings.TrimSpace(r.PostForm.Get("comment")) != "" && !s.confirmed(w, r, confirmation{Caption: caption, Heading: "Return this needs assessment?",
		Button: "Yes, return it", Warning: true, Cancel: fmt.Sprintf("/assessments/%d", id), Happens: []string{
			"it goes back to the social worker who wrote it, with your comment: " + strings.TrimSpace(r.PostForm.Get("comment")),
			"it waits in their work tray; the child's current profile stays as it is"}}):
		return
	}
	done := ""
	switch r.PostForm.Get("decision") {
	case "approve":
		_, err = s.Needs.Approve(r.Context(), u.UserID, id, int32(version))
		done = "approved"
	case "return":
		_, err = s.Needs.Return(r.Context(), u.UserID, id, int32(version), r.PostForm.Get("comment"))
		done = "returned"
	default:
		err = valid.Errorf("decision", "choose whether to approve or return the assessment")
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		p, ok := s.loadAssessment(w, r)
		if !ok {
			return
		}
		p.Form["comment"] = r.PostForm.Get("comment")
		s.render(w, r, http.StatusUnprocessableEntity, "assessment", page{Title: "Needs assessment", Errors: ve.Problems, Data: p})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/assessments/%d?done=%s", id, done), http.StatusSeeOther)
}

func (s *Server) assessmentCompare(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids [2]int64
	for i, k := range []string{"a", "b"} {
		if ids[i], err = strconv.ParseInt(r.URL.Query().Get(k), 10, 64); err != nil {
			s.fail(w, r, valid.Errorf(k, "choose two assessments to compare"))
			return
		}
	}
	var as [2]needs.Assessment
	for i, id := range ids {
		if as[i], err = s.Needs.Get(r.Context(), u.UserID, id); err != nil {
			s.fail(w, r, err)
			return
		}
		if as[i].ChildID != childID {
			s.fail(w, r, needs.ErrNotFound)
			return
		}
	}
	if as[0].AssessedOn.After(as[1].AssessedOn) {
		as[0], as[1] = as[1], as[0]
	}
	if as[0].InstrumentID != as[1].InstrumentID {
		s.fail(w, r, valid.Errorf("b", "these assessments use different instruments and cannot be compared domain by domain"))
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.Needs.Instrument(r.Context(), as[0].InstrumentID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	la, ea := ratingMaps(as[0].Ratings)
	lb, eb := ratingMaps(as[1].Ratings)
	var changes []needs.Change
	for _, d := range in.Domains {
		c := needs.Change{Domain: d.DomainCode, From: la[d.DomainCode], To: lb[d.DomainCode], Direction: "unrated"}
		if c.From != nil && c.To != nil {
			c.Direction = map[bool]string{true: "up", false: "down"}[*c.To > *c.From]
			if *c.To == *c.From {
				c.Direction = "same"
			}
		}
		changes = append(changes, c)
	}
	later := rows(in, lb, eb, changes)
	earlier := rows(in, la, ea, nil)
	for i := range later {
		e := earlier[i]
		later[i].Theirs = &e
	}
	s.render(w, r, http.StatusOK, "assessment_compare", page{Title: "Compare assessments", Data: map[string]any{
		"Child": rec.Child, "A": as[0], "B": as[1], "Rows": later}})
}

func (s *Server) sdqCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	var ps valid.Problems
	on := formDate(&ps, r.PostForm, "taken_on", true)
	score, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("score")))
	if err != nil {
		ps.Add("score", "enter the total difficulties score as a whole number from 0 to 40")
	}
	err = ps.Err()
	if err == nil {
		_, err = s.Needs.RecordSDQ(r.Context(), u.UserID, childID, on, int32(score))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#sdq", childID), http.StatusSeeOther)
}

func (s *Server) reviewsDue(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	var laID *int32
	var team *string
	if v := q.Get("la"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.fail(w, r, valid.Errorf("la", "%q is not a council code", v))
			return
		}
		la := int32(n)
		laID = &la
	}
	if v := q.Get("team"); v != "" {
		team = &v
	}
	l, err := s.Needs.Overdue(r.Context(), u.UserID, laID, team)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "reviews", page{Title: "Needs reviews overdue", Data: map[string]any{"List": l, "Team": q.Get("team"), "LA": q.Get("la")}})
}

func (s *Server) needsSettingsForm(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, flash string) {
	u := auth.UserFrom(r.Context())
	las, err := s.Councils.Where(r.Context(), u.UserID, authz.Council, authz.Manage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		LA       db.LocalAuthority
		Settings needs.Settings
		Places   map[string]bool
		Bands    map[string]bool
	}
	var out []row
	for _, la := range las {
		st, err := s.Needs.CouncilSettings(r.Context(), la.LaID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rule, err := s.Analytics.StepDownRule(r.Context(), la.LaID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, row{la, st, rule.Places, rule.Bands})
	}
	s.render(w, r, status, "needs_settings", page{Title: "Council settings", Errors: problems, Flash: flash,
		Data: map[string]any{"Rows": out, "Places": analytics.StepDownPlaces, "Bands": analytics.Bands}})
}

func (s *Server) needsSettings(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	if f.Get("form") == "stepdown" {
		la, _ := strconv.Atoi(f.Get("la"))
		err := s.Analytics.SetStepDownRule(r.Context(), u.UserID, int32(la), f["places"], f["bands"])
		var ve *valid.Error
		switch {
		case err == nil:
			s.renderSettings(w, r, http.StatusOK, nil, "The step-down rule has been saved.")
		case errors.As(err, &ve):
			s.renderSettings(w, r, http.StatusUnprocessableEntity, ve.Problems, "")
		default:
			s.fail(w, r, err)
		}
		return
	}
	la, err1 := strconv.Atoi(f.Get("la"))
	months, err2 := strconv.Atoi(f.Get("review_months"))
	after, err3 := strconv.Atoi(f.Get("review_months_after_move"))
	var ps valid.Problems
	if err1 != nil {
		ps.Add("la", "choose a council")
	}
	if err2 != nil {
		ps.Add("review_months", "enter a number of months")
	}
	if err3 != nil {
		ps.Add("review_months_after_move", "enter a number of months")
	}
	err := ps.Err()
	if err == nil {
		err = s.Needs.SetCouncilSettings(r.Context(), u.UserID, int32(la), needs.Settings{ReviewMonths: int32(months), ReviewMonthsAfterMove: int32(after)})
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		s.renderSettings(w, r, http.StatusUnprocessableEntity, ve.Problems, "")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSettings(w, r, http.StatusOK, nil, "The review intervals have been saved.")
}

// dateShown is how a date is put back into a form field: as people type it.
const dateShown = "2/1/2006"

// lastRating is a domain's rating in the child's current approved assessment.
type lastRating struct {
	Level int32
	On    time.Time
}

// lastRatings reads the levels of the child's current approved assessment
// with the same instrument (none when it used another, as levels would not compare).
func (s *Server) lastRatings(r *http.Request, userID, childID int64, in needs.Instrument) map[string]lastRating {
	p, err := s.Needs.History(r.Context(), userID, childID)
	if err != nil || p.Current == nil || p.Current.Instrument != in.ID {
		return nil
	}
	out := map[string]lastRating{}
	for k, v := range p.Current.Levels {
		out[k] = lastRating{v, p.Current.AssessedOn}
	}
	return out
}

// lastTimes notes each domain's last approved rating beside it.
func lastTimes(rs []domainRow, last map[string]lastRating) []domainRow {
	for i := range rs {
		if l, ok := last[rs[i].Code]; ok {
			rs[i].Last = fmt.Sprintf("level %d (%s)", l.Level, l.On.Format("2 January 2006"))
		}
	}
	return rs
}

// carryForward starts a new assessment from the last approved one (levels
// assessed on "on"): each domain's level is filled in and "last time" says
// what it was and when. The evidence is left for the worker to write afresh.
func carryForward(in needs.Instrument, last map[string]int32, on time.Time) []domainRow {
	levels, lr := map[string]*int32{}, map[string]lastRating{}
	for k, l := range last {
		levels[k] = &l
		lr[k] = lastRating{l, on}
	}
	return lastTimes(rows(in, levels, nil, nil), lr)
}
