package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

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
		{"POST", "/api/v1/proceedings", authz.Proceedings, authz.Write, keyThenBody(a, optionalID, a.proceedingSave)},
		{"PUT", "/api/v1/proceedings/{id}", authz.Proceedings, authz.Write, keyThenBody(a, optionalID, a.proceedingSave)},
		{"POST", "/api/v1/proceedings/{id}/hearings", authz.Proceedings, authz.Write, idAndBody(a, a.hearingCreate)},
		{"POST", "/api/v1/proceedings/{id}/hearings/{hearing}/outcome", authz.Proceedings, authz.Write, keyThenBody(a, caseAndHearing, a.hearingOutcome)},
		{"POST", "/api/v1/proceedings/{id}/experts", authz.Proceedings, authz.Write, idAndBody(a, a.expertCreate)},
		{"POST", "/api/v1/delay/parameters", authz.Council, authz.Manage, decodeThen(a, a.delayParameters)},
		{"POST", "/api/v1/children/{id}/placements/moves", authz.Placement, authz.Write, idAndBody(a, a.placementMove)},
		{"POST", "/api/v1/children/{id}/placements/{start}/costs", authz.Placement, authz.Write, keyThenBody(a, childAndStart, a.costCreate)},
		{"PUT", "/api/v1/children/{id}/costs/{cost}", authz.Placement, authz.Write, keyThenBody(a, childAndCost, a.costCorrect)},
		{"PUT", "/api/v1/children/{id}/episodes/{start}", authz.Placement, authz.Write, keyThenBody(a, childAndStart, a.episodeCorrect)},
		{"POST", "/api/v1/children/{id}/missing", authz.Placement, authz.Write, idAndBody(a, a.missingCreate)},
		{"POST", "/api/v1/children/{id}/allocation", authz.Child, authz.Allocate, idAndBody(a, a.childAllocate)},
		{"PUT", "/api/v1/children/{id}", authz.Child, authz.Update, idAndBody(a, a.childUpdate)},
		{"POST", "/api/v1/providers", authz.Placement, authz.Manage, keyThenBody(a, a.editableProvider, a.providerSave)},
		{"PUT", "/api/v1/providers/{id}", authz.Placement, authz.Manage, keyThenBody(a, a.editableProvider, a.providerSave)},
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
func (a *API) proceedingSave(w http.ResponseWriter, r *http.Request, id int64, b proceedingBody) error {
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
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	id, err := a.Proceedings.Save(r.Context(), userID(r), b.Council, id, in)
	if err != nil {
		return err
	}
	return a.answerCase(w, r, status, id)
}

// answerCase answers a case as GET /api/v1/proceedings/{id} does.
func (a *API) answerCase(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	d, err := a.Proceedings.Get(r.Context(), userID(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, status, d)
	return nil
}

type hearingBody struct {
	HeldOn  string `json:"held_on"`
	Kind    string `json:"kind"`
	Outcome string `json:"outcome"` // empty or "listed" for a hearing today or later
	Reason  string `json:"reason"`
}

func (a *API) hearingCreate(w http.ResponseWriter, r *http.Request, id int64, b hearingBody) error {
	var ps valid.Problems
	h := proceedings.HearingInput{On: dateOr0(apiDate(&ps, "held_on", b.HeldOn, false)), Kind: b.Kind, Outcome: b.Outcome, Reason: b.Reason}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Proceedings.AddHearing(r.Context(), userID(r), id, h); err != nil {
		return err
	}
	return a.answerCase(w, r, http.StatusCreated, id)
}

// hearingKey names a hearing of a case.
type hearingKey struct{ Case, Hearing int64 }

func caseAndHearing(r *http.Request) (hearingKey, error) {
	id, err := routeID(r)
	if err != nil {
		return hearingKey{}, err
	}
	// A malformed hearing is a problem with the request, as on the form: the
	// case itself has already been decided on (and a refusal audited).
	hearing, err := ParseID(chi.URLParam(r, "hearing"))
	if err != nil {
		return hearingKey{}, valid.Errorf("hearing", "%q is not a hearing of this case; give its hearing_id", chi.URLParam(r, "hearing"))
	}
	return hearingKey{Case: id, Hearing: hearing}, nil
}

type outcomeBody struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

func (a *API) hearingOutcome(w http.ResponseWriter, r *http.Request, k hearingKey, b outcomeBody) error {
	if err := a.Proceedings.RecordOutcome(r.Context(), userID(r), k.Case, k.Hearing, b.Outcome, b.Reason); err != nil {
		return err
	}
	return a.answerCase(w, r, http.StatusOK, k.Case)
}

type expertBody struct {
	Kind           string `json:"kind"`
	CommissionedOn string `json:"commissioned_on"`
	DeliveredOn    string `json:"delivered_on"`
	CostPence      *int64 `json:"cost_pence"`
}

func (a *API) expertCreate(w http.ResponseWriter, r *http.Request, id int64, b expertBody) error {
	var ps valid.Problems
	e := proceedings.ExpertInput{Kind: b.Kind, CommissionedOn: dateOr0(apiDate(&ps, "commissioned_on", b.CommissionedOn, true)),
		DeliveredOn: apiDate(&ps, "delivered_on", b.DeliveredOn, false)}
	if b.CostPence == nil {
		ps.Add("cost_pence", "give the cost in pence (0 if there was none)")
	} else {
		e.CostPence = *b.CostPence
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Proceedings.AddExpert(r.Context(), userID(r), id, e); err != nil {
		return err
	}
	return a.answerCase(w, r, http.StatusCreated, id)
}

// delayParametersBody holds pointers so that a parameter left out is told
// apart from one given as 0.
type delayParametersBody struct {
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

// required reads a parameter that must be given, adding the problem msg
// names when it is not.
func required[N int | int64 | float64](ps *valid.Problems, field, msg string, v *N) N {
	if v == nil {
		ps.Add(field, "%s", msg)
		return 0
	}
	return *v
}

func (a *API) delayParameters(w http.ResponseWriter, r *http.Request, b delayParametersBody) error {
	var ps valid.Problems
	if b.Council == 0 {
		ps.Add("council", "give the three-digit code of the council")
	}
	from := apiDate(&ps, "effective_from", b.EffectiveFrom, true)
	to := apiDate(&ps, "effective_to", b.EffectiveTo, false)
	// Every parameter is required: a missing one would silently become 0.
	const (
		value = "give the value"
		pence = "give the value in pence"
	)
	p := proceedings.Params{
		TargetWeeks:           required(&ps, "target_weeks", "give the value (the national default is used only where a council has no parameters)", b.TargetWeeks),
		StandardHearings:      required(&ps, "standard_hearings", value, b.StandardHearings),
		LegalPencePerHearing:  required(&ps, "legal_pence_per_hearing", pence, b.LegalPencePerHearing),
		SWHoursPerWeek:        required(&ps, "sw_hours_per_week", value, b.SWHoursPerWeek),
		SWPencePerHour:        required(&ps, "sw_pence_per_hour", pence, b.SWPencePerHour),
		ContactHoursPerWeek:   required(&ps, "contact_hours_per_week", value, b.ContactHoursPerWeek),
		ContactPencePerHour:   required(&ps, "contact_pence_per_hour", pence, b.ContactPencePerHour),
		PlacementPencePerWeek: required(&ps, "placement_pence_per_week", pence, b.PlacementPencePerWeek),
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Proceedings.SetParameters(r.Context(), userID(r), b.Council, *from, to, p); err != nil {
		return err
	}
	rows, err := a.Proceedings.Parameters(r.Context(), b.Council)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"council": b.Council, "parameters": rows})
	return nil
}
