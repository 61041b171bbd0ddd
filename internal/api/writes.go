package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/valid"
)

// writeRoutes are the API twins of the web forms that change a care case and
// the council's cost-of-delay parameters, and of the placement, cost,
// missing-episode and allocation forms (writes_placements.go). Each calls the same service method
// as its form, so authorisation on the case's council and the audit are the
// service's, never the handler's.
func (a *API) writeRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/proceedings", authz.Proceedings, authz.Write, a.proceedingSave},
		{"PUT", "/api/v1/proceedings/{id}", authz.Proceedings, authz.Write, a.proceedingSave},
		{"POST", "/api/v1/proceedings/{id}/hearings", authz.Proceedings, authz.Write, a.hearingCreate},
		{"POST", "/api/v1/proceedings/{id}/hearings/{hearing}/outcome", authz.Proceedings, authz.Write, a.hearingOutcome},
		{"POST", "/api/v1/proceedings/{id}/experts", authz.Proceedings, authz.Write, a.expertCreate},
		{"POST", "/api/v1/delay/parameters", authz.Council, authz.Manage, a.delayParameters},
		{"POST", "/api/v1/children/{id}/placements/moves", authz.Placement, authz.Write, a.placementMove},
		{"POST", "/api/v1/children/{id}/placements/{start}/costs", authz.Placement, authz.Write, a.costCreate},
		{"PUT", "/api/v1/children/{id}/costs/{cost}", authz.Placement, authz.Write, a.costCorrect},
		{"PUT", "/api/v1/children/{id}/episodes/{start}", authz.Placement, authz.Write, a.episodeCorrect},
		{"POST", "/api/v1/children/{id}/missing", authz.Placement, authz.Write, a.missingCreate},
		{"POST", "/api/v1/children/{id}/allocation", authz.Child, authz.Allocate, a.childAllocate},
		{"PUT", "/api/v1/children/{id}", authz.Child, authz.Update, a.childUpdate},
		{"POST", "/api/v1/providers", authz.Placement, authz.Manage, a.providerSave},
		{"PUT", "/api/v1/providers/{id}", authz.Placement, authz.Manage, a.providerSave},
	}
}

// apiDate reads an optional date field, adding a problem naming the field
// when it is not a date like 2026-03-31.
func apiDate(ps *valid.Problems, field, v string, required bool) *time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			ps.Add(field, "enter the date, like 2026-03-31")
		}
		return nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		ps.Add(field, "%q is not a date like 2026-03-31", v)
		return nil
	}
	return &t
}

func dateOr0(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

type proceedingBody struct {
	Council          int32    `json:"council"`
	CaseNumber       string   `json:"case_number"`
	Court            string   `json:"court"`
	PreProceedingsOn string   `json:"pre_proceedings_on"`
	IssuedOn         string   `json:"issued_on"`
	ConcludedOn      string   `json:"concluded_on"`
	FinalOrder       string   `json:"final_order"`
	Children         []string `json:"children"` // child references, as the form takes them
	ChildIDs         []int64  `json:"child_ids"`
	Version          int32    `json:"version"`
}

// proceedingSave creates (POST) or updates (PUT, with the version read) a case.
func (a *API) proceedingSave(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	var id int64
	if v := chi.URLParam(r, "id"); v != "" {
		var err error
		if id, err = ParseID(v); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	var b proceedingBody
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	var ps valid.Problems
	in := proceedings.Input{CaseNumber: b.CaseNumber, Court: b.Court, FinalOrder: b.FinalOrder, ChildIDs: b.ChildIDs, ChildRefs: b.Children, Version: b.Version}
	in.IssuedOn = dateOr0(apiDate(&ps, "issued_on", b.IssuedOn, true))
	in.PreProceedingsOn = apiDate(&ps, "pre_proceedings_on", b.PreProceedingsOn, false)
	in.ConcludedOn = apiDate(&ps, "concluded_on", b.ConcludedOn, false)
	if id == 0 && b.Council == 0 {
		ps.Add("council", "give the three-digit code of the council bringing the case")
	}
	if id != 0 && b.Version < 1 {
		ps.Add("version", "give the version of the case you read, so a change made since is not overwritten")
	}
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	id, err := a.Proceedings.Save(r.Context(), u.UserID, b.Council, id, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerCase(w, r, status, id)
}

// answerCase answers a case as GET /api/v1/proceedings/{id} does.
func (a *API) answerCase(w http.ResponseWriter, r *http.Request, status int, id int64) {
	d, err := a.Proceedings.Get(r.Context(), auth.UserFrom(r.Context()).UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, status, d)
}

func (a *API) hearingCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var b struct {
		HeldOn  string `json:"held_on"`
		Kind    string `json:"kind"`
		Outcome string `json:"outcome"` // empty or "listed" for a hearing today or later
		Reason  string `json:"reason"`
	}
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	var ps valid.Problems
	h := proceedings.HearingInput{On: dateOr0(apiDate(&ps, "held_on", b.HeldOn, false)), Kind: b.Kind, Outcome: b.Outcome, Reason: b.Reason}
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Proceedings.AddHearing(r.Context(), u.UserID, id, h); err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerCase(w, r, http.StatusCreated, id)
}

func (a *API) hearingOutcome(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// A malformed hearing is a problem with the request, as on the form: the
	// case itself has already been decided on (and a refusal audited).
	hearing, err := ParseID(chi.URLParam(r, "hearing"))
	if err != nil {
		a.fail(w, r, valid.Errorf("hearing", "%q is not a hearing of this case; give its hearing_id", chi.URLParam(r, "hearing")))
		return
	}
	var b struct {
		Outcome string `json:"outcome"`
		Reason  string `json:"reason"`
	}
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Proceedings.RecordOutcome(r.Context(), u.UserID, id, hearing, b.Outcome, b.Reason); err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerCase(w, r, http.StatusOK, id)
}

func (a *API) expertCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var b struct {
		Kind           string `json:"kind"`
		CommissionedOn string `json:"commissioned_on"`
		DeliveredOn    string `json:"delivered_on"`
		CostPence      *int64 `json:"cost_pence"`
	}
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	var ps valid.Problems
	e := proceedings.ExpertInput{Kind: b.Kind, CommissionedOn: dateOr0(apiDate(&ps, "commissioned_on", b.CommissionedOn, true)),
		DeliveredOn: apiDate(&ps, "delivered_on", b.DeliveredOn, false)}
	if b.CostPence == nil {
		ps.Add("cost_pence", "give the cost in pence (0 if there was none)")
	} else {
		e.CostPence = *b.CostPence
	}
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Proceedings.AddExpert(r.Context(), u.UserID, id, e); err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerCase(w, r, http.StatusCreated, id)
}

func (a *API) delayParameters(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	var b struct {
		Council               int32    `json:"council"`
		EffectiveFrom         string   `json:"effective_from"`
		EffectiveTo           string   `json:"effective_to"`
		TargetWeeks           *int     `json:"target_weeks"`
		StandardHearings      *float64 `json:"standard_hearings"`
		LegalPencePerHearing  *int64   `json:"legal_pence_per_hearing"`
		SWHoursPerWeek        *float64 `json:"sw_hours_per_week"`
		SWPencePerHour        *int64   `json:"sw_pence_per_hour"`
		ContactHoursPerWeek   *float64 `json:"contact_hours_per_week"`
		ContactPencePerHour   *int64   `json:"contact_pence_per_hour"`
		PlacementPencePerWeek *int64   `json:"placement_pence_per_week"`
	}
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	var ps valid.Problems
	if b.Council == 0 {
		ps.Add("council", "give the three-digit code of the council")
	}
	from := apiDate(&ps, "effective_from", b.EffectiveFrom, true)
	to := apiDate(&ps, "effective_to", b.EffectiveTo, false)
	// Every parameter is required: a missing one would silently become 0.
	p := proceedings.Params{}
	intP := func(field string, v *int) int {
		if v == nil {
			ps.Add(field, "give the value (the national default is used only where a council has no parameters)")
			return 0
		}
		return *v
	}
	penceP := func(field string, v *int64) int64 {
		if v == nil {
			ps.Add(field, "give the value in pence")
			return 0
		}
		return *v
	}
	floatP := func(field string, v *float64) float64 {
		if v == nil {
			ps.Add(field, "give the value")
			return 0
		}
		return *v
	}
	p.TargetWeeks = intP("target_weeks", b.TargetWeeks)
	p.StandardHearings = floatP("standard_hearings", b.StandardHearings)
	p.LegalPencePerHearing = penceP("legal_pence_per_hearing", b.LegalPencePerHearing)
	p.SWHoursPerWeek = floatP("sw_hours_per_week", b.SWHoursPerWeek)
	p.SWPencePerHour = penceP("sw_pence_per_hour", b.SWPencePerHour)
	p.ContactHoursPerWeek = floatP("contact_hours_per_week", b.ContactHoursPerWeek)
	p.ContactPencePerHour = penceP("contact_pence_per_hour", b.ContactPencePerHour)
	p.PlacementPencePerWeek = penceP("placement_pence_per_week", b.PlacementPencePerWeek)
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Proceedings.SetParameters(r.Context(), u.UserID, b.Council, *from, to, p); err != nil {
		a.fail(w, r, err)
		return
	}
	rows, err := a.Proceedings.Parameters(r.Context(), b.Council)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"council": b.Council, "parameters": rows})
}
