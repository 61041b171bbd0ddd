package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/valid"
)

// The API twins of the placement, cost, missing-episode and allocation forms.
// Each calls the service method its form calls; the service decides on the
// child's council and audits, and answers the child's placements as
// GET /api/v1/children/{id}/placements does.

func (a *API) answerPlacements(w http.ResponseWriter, r *http.Request, status int, childID int64) error {
	h, err := a.Placements.Get(r.Context(), userID(r), childID)
	if err != nil {
		return err
	}
	WriteJSON(w, status, h)
	return nil
}

// where are a placement's location fields as JSON.
type where struct {
	Place         string   `json:"place"`
	ProviderKind  string   `json:"provider_kind"`
	ProviderID    *int64   `json:"provider_id"`
	Reason        string   `json:"reason"`
	Postcode      string   `json:"postcode"`
	DistanceMiles *float64 `json:"distance_miles"`
	OutOfArea     *bool    `json:"out_of_area"`
}

type moveBody struct {
	where
	On          string `json:"on"`
	From        string `json:"from"` // the open placement's start, as read
	Version     int32  `json:"version"`
	WeeklyPence *int64 `json:"weekly_pence"`
}

func (a *API) placementMove(w http.ResponseWriter, r *http.Request, id int64, b moveBody) error {
	var ps valid.Problems
	m := placements.Move{Place: b.Place, ProviderKind: b.ProviderKind, ProviderID: b.ProviderID, Reason: b.Reason,
		Postcode: strings.ToUpper(strings.TrimSpace(b.Postcode)), DistanceMiles: b.DistanceMiles, OutOfArea: b.OutOfArea, Version: b.Version}
	m.On = dateOr0(apiDate(&ps, "on", b.On, true))
	m.From = dateOr0(apiDate(&ps, "from", b.From, true))
	if b.Version < 1 {
		ps.Add("version", "give the open placement's version as read, so a change made since is not overwritten")
	}
	if b.WeeklyPence != nil {
		// Social care pays it all, as on the form; the split is corrected with the cost route.
		m.Cost = &placements.Cost{Weekly: *b.WeeklyPence, SocialCare: *b.WeeklyPence}
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Placements.RecordMove(r.Context(), userID(r), id, m); err != nil {
		return err
	}
	return a.answerPlacements(w, r, http.StatusCreated, id)
}

type costBody struct {
	From            string `json:"from"`
	To              string `json:"to"`
	WeeklyPence     int64  `json:"weekly_pence"`
	SocialCarePence *int64 `json:"social_care_pence"` // omitted with no other contribution: social care pays it all
	EducationPence  int64  `json:"education_pence"`
	HealthPence     int64  `json:"health_pence"`
	Version         int32  `json:"version"` // for a correction
}

func (b costBody) cost(ps *valid.Problems) placements.Cost {
	c := placements.Cost{Weekly: b.WeeklyPence, Education: b.EducationPence, Health: b.HealthPence,
		From: apiDate(ps, "from", b.From, true), To: apiDate(ps, "to", b.To, false)}
	switch {
	case b.SocialCarePence != nil:
		c.SocialCare = *b.SocialCarePence
	case c.Education == 0 && c.Health == 0:
		c.SocialCare = c.Weekly
	}
	return c
}

func (a *API) costCreate(w http.ResponseWriter, r *http.Request, k placementKey, b costBody) error {
	var ps valid.Problems
	c := b.cost(&ps)
	if err := ps.Err(); err != nil {
		return err
	}
	if _, err := a.Placements.AddCost(r.Context(), userID(r), k.Child, k.Start, c); err != nil {
		return err
	}
	return a.answerPlacements(w, r, http.StatusCreated, k.Child)
}

// costKey names a cost period of a child's placements.
type costKey struct{ Child, Cost int64 }

func childAndCost(r *http.Request) (costKey, error) {
	id, err := routeID(r)
	if err != nil {
		return costKey{}, err
	}
	cost, err := ParseID(chi.URLParam(r, "cost"))
	if err != nil {
		return costKey{}, err
	}
	return costKey{Child: id, Cost: cost}, nil
}

func (a *API) costCorrect(w http.ResponseWriter, r *http.Request, k costKey, b costBody) error {
	var ps valid.Problems
	c := b.cost(&ps)
	if b.Version < 1 {
		ps.Add("version", "give the cost's version as read, so a change made since is not overwritten")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Placements.CorrectCost(r.Context(), userID(r), k.Child, k.Cost, b.Version, c); err != nil {
		return err
	}
	return a.answerPlacements(w, r, http.StatusOK, k.Child)
}

type episodeBody struct {
	where
	LegalStatus string `json:"legal_status"`
	Version     int32  `json:"version"`
}

func (a *API) episodeCorrect(w http.ResponseWriter, r *http.Request, k placementKey, b episodeBody) error {
	if b.Version < 1 {
		return valid.Errorf("version", "give the episode's version as read, so a change made since is not overwritten")
	}
	c := placements.Correction{Place: b.Place, ProviderKind: b.ProviderKind, LegalStatus: b.LegalStatus, Reason: b.Reason,
		Postcode: strings.ToUpper(strings.TrimSpace(b.Postcode)), ProviderID: b.ProviderID, DistanceMiles: b.DistanceMiles, OutOfArea: b.OutOfArea,
		Version: b.Version}
	if err := a.Placements.CorrectEpisode(r.Context(), userID(r), k.Child, k.Start, c); err != nil {
		return err
	}
	return a.answerPlacements(w, r, http.StatusOK, k.Child)
}

type missingBody struct {
	Kind      string `json:"kind"` // M missing, A away without authorisation
	StartedOn string `json:"started_on"`
	EndedOn   string `json:"ended_on"`
}

func (a *API) missingCreate(w http.ResponseWriter, r *http.Request, id int64, b missingBody) error {
	var ps valid.Problems
	m := placements.Missing{Kind: b.Kind, StartedOn: dateOr0(apiDate(&ps, "started_on", b.StartedOn, true)), EndedOn: apiDate(&ps, "ended_on", b.EndedOn, false)}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Placements.RecordMissing(r.Context(), userID(r), id, m); err != nil {
		return err
	}
	return a.answerPlacements(w, r, http.StatusCreated, id)
}

type allocationBody struct {
	Worker      int64  `json:"worker"`       // the social worker's user ID
	AllocatedOn string `json:"allocated_on"` // the day they take the child on
	Reason      string `json:"reason"`
	Seen        string `json:"seen"` // optional: the allocation read, so a change meanwhile conflicts
}

func (a *API) childAllocate(w http.ResponseWriter, r *http.Request, id int64, b allocationBody) error {
	var ps valid.Problems
	if b.Worker < 1 {
		ps.Add("worker", "give the user ID of a social worker of this council")
	}
	from, derr := valid.Date("the date the allocation starts", b.AllocatedOn)
	if derr != nil {
		ps.Add("allocated_on", "%s", derr.Error())
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := a.Children.Allocate(r.Context(), userID(r), id, children.Allocation{WorkerID: b.Worker, From: from, Reason: b.Reason, Seen: b.Seen}); err != nil {
		return err
	}
	a.childGet(w, r)
	return nil
}

type childBody struct {
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth string `json:"date_of_birth"`
	Sex         string `json:"sex"`
	Ethnicity   string `json:"ethnicity"`
	UASC        bool   `json:"uasc"`
	EHCPlan     bool   `json:"ehc_plan"`
	Disability  bool   `json:"disability"`
	Version     int32  `json:"version"`
}

// childUpdate changes a child's details from the version read; a stale version is a conflict.
func (a *API) childUpdate(w http.ResponseWriter, r *http.Request, id int64, b childBody) error {
	var ps valid.Problems
	d := children.Details{GivenName: b.GivenName, FamilyName: b.FamilyName, Sex: b.Sex, Ethnicity: b.Ethnicity, UASC: b.UASC, EHCPlan: b.EHCPlan,
		Disability: b.Disability, DateOfBirth: dateOr0(apiDate(&ps, "date_of_birth", b.DateOfBirth, true))}
	if b.Version < 1 {
		ps.Add("version", "give the child's version as read, so a change made since is not overwritten")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if _, err := a.Children.Update(r.Context(), userID(r), id, b.Version, d); err != nil {
		return err
	}
	a.childGet(w, r)
	return nil
}

// editableProvider reads {id} where the route has one and decides on that
// provider before the body is read, as the form's route does, so a refusal
// is a refusal (audited), never a complaint about the body.
func (a *API) editableProvider(r *http.Request) (int64, error) {
	id, err := optionalID(r)
	if err != nil || id == 0 {
		return id, err
	}
	return id, a.Placements.MayEdit(r.Context(), userID(r), id)
}

type providerBody struct {
	Name     string `json:"name"`
	URN      string `json:"urn"`
	Kind     string `json:"kind"`
	District string `json:"district"`
	Owner    *int32 `json:"owner"` // the council whose own provision it is (PR1)
	Version  int32  `json:"version"`
}

// providerSave creates (POST) or updates (PUT, from the version read) a
// provider; the service decides on the provider's owning council and audits.
func (a *API) providerSave(w http.ResponseWriter, r *http.Request, id int64, b providerBody) error {
	if id != 0 && b.Version < 1 {
		return valid.Errorf("version", "give the provider's version as read, so a change made since is not overwritten")
	}
	p, err := a.Placements.SaveProvider(r.Context(), userID(r), id, placements.ProviderInput{Name: b.Name, URN: b.URN, Kind: b.Kind,
		District: b.District, OwnerLA: b.Owner, Version: b.Version})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	WriteJSON(w, status, p)
	return nil
}
