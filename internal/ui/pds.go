package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/pds"
	"github.com/hearthcare/hearth/internal/valid"
)

// pdsRoutes are the Placements Data Standard's pages: a placement's record,
// reached from the child's placements, and the commissioners' quarterly
// return, out and in.
func (s *Server) pdsRoutes(r chi.Router) {
	s.handle(r, "GET", "/children/{id}/placements/{start}/pds", authz.Placement, authz.Write, s.pdsForm)
	s.handle(r, "POST", "/children/{id}/placements/{start}/pds", authz.Placement, authz.Write, s.pdsSave)
	s.handle(r, "GET", "/pds", authz.Placement, authz.Export, s.pdsReturnPage)
	s.handle(r, "POST", "/pds/import", authz.Placement, authz.Import, s.pdsImport)
}

func (s *Server) pdsService() *pds.Service {
	svc := pds.New(s.Pool, s.Authz)
	svc.Now = s.Placements.Now
	return svc
}

// pdsField is one question of the form.
type pdsField struct {
	Name, Label, Hint, Value, Error string
	Options                         []pdsOption
	Section                         string // the fieldset it is asked in
}

// pdsSection is a fieldset of the form: forty questions in one column are
// hard to find a way through, so they are asked in the template's groups.
type pdsSection struct {
	Title     string
	Questions []pdsField
}

// pdsFixedLabels name, in words, the fields Hearth fills from its records.
var pdsFixedLabels = map[string]string{
	"child_id":           "Child's reference",
	"placement_date":     "Placement started",
	"placement_type":     "Placement type",
	"provider_urn":       "Provider's Ofsted URN",
	"placement_location": "Placement's outward postcode",
	"cost_total_weekly":  "Total weekly fee, excluding VAT",
	"cost_date":          "Date the cost was captured",
}

// pdsFixedValue writes a fixed field's value as a person reads it: dates in
// words, a placement type by its label, a fee in pounds.
func pdsFixedValue(key, v string) string {
	switch key {
	case "placement_date", "cost_date":
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Format("2 January 2006")
		}
	case "placement_type":
		for _, c := range pds.PlacementType.Concepts {
			if c.Notation == v {
				return c.Labels[0]
			}
		}
	case "cost_total_weekly":
		if v != "" {
			return "£" + v + " a week"
		}
	}
	return v
}

type pdsOption struct{ Code, Label string }

func options(l pds.CodeList) []pdsOption {
	var out []pdsOption
	for _, c := range l.Concepts {
		out = append(out, pdsOption{c.Notation, c.Labels[0]})
	}
	return out
}

var yesNoOptions = []pdsOption{{"yes", "Yes"}, {"no", "No"}}

// pdsQuestions are the form's questions: the standard's fields Hearth cannot
// derive, in the template's order.
func pdsQuestions() []pdsField {
	const (
		referral = "The referral"
		needs    = "The child's needs"
		suits    = "Which settings could meet them"
		risks    = "Risks"
		costs    = "Costs"
		place    = "The placement made"
	)
	q := []pdsField{
		{Section: referral, Name: "referral_date", Label: "Date the referral was received (for example 2026-06-28)"},
		{Section: referral, Name: "when_placement_is_needed_by", Label: "When the placement is needed by", Options: options(pds.Urgency)},
		{Section: referral, Name: "number_of_siblings_to_place_with", Label: "Number of siblings to place with (blank if none in the care plan)"},
		{Section: referral, Name: "child_preferred_placement_type", Label: "What the child prefers", Options: options(pds.PlacementType)},
		{Section: needs, Name: "communication_needs", Label: "Communication, language and learning needs", Options: options(pds.Presence)},
		{Section: needs, Name: "specific_communication_requirements", Label: "Specific communication requirements",
			Hint: "One or more of esol, bsl, makaton, other, none, separated by ;"},
		{Section: needs, Name: "specific_communication_requirements_other", Label: "Other communication requirement (only if other)"},
		{Section: needs, Name: "home_adaptation", Label: "Does the home need adapting?", Options: yesNoOptions},
		{Section: needs, Name: "cultural_needs", Label: "Cultural needs", Options: options(pds.CulturalNeed)},
		{Section: needs, Name: "cultural_needs_other", Label: "Other cultural need (only if other)"},
		{Section: needs, Name: "living_companions", Label: "Who the child can be cared for alongside", Options: options(pds.LivingArrangement)},
		{Section: needs, Name: "pets", Label: "Can the child live with pets or animals?", Options: options(pds.PetsAllowance)},
		{Section: needs, Name: "additional_support", Label: "Additional support", Options: options(pds.SupportType)},
		{Section: needs, Name: "additional_support_other", Label: "Other additional support (only if other)"},
		{Section: needs, Name: "deprivation_of_liberty", Label: "Is there a deprivation of liberty order?", Options: yesNoOptions},
		{Section: suits, Name: "foster_care_suitability", Label: "Foster care", Options: options(pds.Suitability)},
		{Section: suits, Name: "residential_care_suitability", Label: "Residential care", Options: options(pds.Suitability)},
		{Section: suits, Name: "supported_accommodation_suitability", Label: "Supported accommodation", Options: options(pds.Suitability)},
	}
	for _, r := range pds.Risks {
		q = append(q, pdsField{Section: risks, Name: r.Field, Label: r.Label, Options: options(pds.RiskLevel)})
	}
	return append(q,
		pdsField{Section: costs, Name: "cost_core_weekly", Label: "Core weekly cost, pounds (optional)"},
		pdsField{Section: costs, Name: "cost_additional_support_weekly", Label: "Additional support weekly cost, pounds (optional)"},
		pdsField{Section: costs, Name: "cost_education_weekly", Label: "Education weekly cost, pounds (optional; only when care and registered education are bundled)"},
		pdsField{Section: costs, Name: "cost_other_weekly", Label: "Other weekly cost, pounds (optional)"},
		pdsField{Section: costs, Name: "cost_total_weekly", Label: "Total weekly fee paid, pounds, excluding VAT"},
		pdsField{Section: costs, Name: "cost_date", Label: "Date the cost was captured (for example 2026-07-01)"},
		pdsField{Section: place, Name: "placement_type", Label: "Placement type", Options: options(pds.PlacementType)},
		pdsField{Section: place, Name: "provider_urn", Label: "Provider's Ofsted URN (or the council's reference for an unregistered placement)"},
		pdsField{Section: place, Name: "placement_location", Label: "Placement's outward postcode (for example TA3)"},
		pdsField{Section: place, Name: "is_preferred_location_local", Label: "Is the preferred location inside the council?", Options: yesNoOptions},
		pdsField{Section: place, Name: "out_of_la_reason", Label: "If not, why outside the council", Options: options(pds.OutOfLAReason)},
		pdsField{Section: place, Name: "out_of_la_reason_other", Label: "Other reason (only if other)"},
		pdsField{Section: place, Name: "education_continuity", Label: "Did the child's education continue without disruption?", Options: yesNoOptions},
		pdsField{Section: place, Name: "siblings_placed_together", Label: "How many siblings were placed together (0 if none)"},
	)
}

type pdsData struct {
	Placement pds.Placement
	Fixed     []pdsOption // label → value of the fields Hearth sets
	Sections  []pdsSection
	ChildName string
	Start     string // the placement's start, as the form's address has it
	Started   string // and in words
	Age, Sex  string
	Warnings  []pds.Warning
}

func (s *Server) pdsPage(w http.ResponseWriter, r *http.Request, status int, values map[string]string, problems []valid.Problem, version int32) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	p, err := s.pdsService().Get(r.Context(), u.UserID, childID, start, authz.Write)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := pdsData{Placement: p, ChildName: rec.Child.GivenName + " " + rec.Child.FamilyName,
		Start: start.Format(time.DateOnly), Started: start.Format("2 January 2006"),
		Age: yearsOld(p.Derived.Age), Sex: map[string]string{"M": "Male", "F": "Female", "1": "Male", "2": "Female"}[p.Derived.Sex]}
	if d.Sex == "" {
		d.Sex = p.Derived.Sex
	}
	fixed := p.Derived.Fixed.Cells()
	for _, k := range p.Derived.FixedKeys {
		label := pdsFixedLabels[k]
		if label == "" {
			label = k
		}
		d.Fixed = append(d.Fixed, pdsOption{label, pdsFixedValue(k, fixed[k])})
	}
	if values == nil {
		values = p.Derived.Suggested.Cells()
		if p.Record != nil {
			values = p.Record.Cells()
		}
	}
	for _, q := range pdsQuestions() {
		if slices.Contains(p.Derived.FixedKeys, q.Name) {
			continue
		}
		q.Value = values[q.Name]
		for _, e := range problems {
			if e.Field == q.Name {
				q.Error = e.Message
			}
		}
		if n := len(d.Sections); n == 0 || d.Sections[n-1].Title != q.Section {
			d.Sections = append(d.Sections, pdsSection{Title: q.Section})
		}
		d.Sections[len(d.Sections)-1].Questions = append(d.Sections[len(d.Sections)-1].Questions, q)
	}
	if version != 0 {
		d.Placement.Version = version
	}
	s.render(w, r, status, "pds_record", page{Title: "Placements Data Standard record", Errors: problems, Data: d})
}

func (s *Server) pdsForm(w http.ResponseWriter, r *http.Request) {
	s.pdsPage(w, r, http.StatusOK, nil, nil, 0)
}

func (s *Server) pdsSave(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	cells := map[string]string{}
	for _, q := range pdsQuestions() {
		cells[q.Name] = r.PostForm.Get(q.Name)
	}
	var version int32
	if v := r.PostForm.Get("version"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &version); err != nil {
			s.fail(w, r, valid.Errorf("version", "%q is not a version", v))
			return
		}
	}
	rec, err := pds.FromCells(cells)
	if err == nil {
		_, err = s.pdsService().Save(r.Context(), u.UserID, childID, start, rec, version)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#placements", childID), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.pdsPage(w, r, http.StatusUnprocessableEntity, cells, ve.Problems, version)
	case errors.Is(err, pds.ErrConflict):
		s.pdsPage(w, r, http.StatusConflict, nil, []valid.Problem{{Field: "version",
			Message: "Someone else saved this record since you opened it. Their answers are shown; make your changes again."}}, 0)
	default:
		s.fail(w, r, err)
	}
}

type pdsReturnData struct {
	Councils []int32
	Council  int32
	Quarter  string
	Imported *pds.ImportResult
	Import   bool
}

// pdsReturnPage is the commissioners' page for the quarterly return: links
// to download it (the API's export) and, for those who may, an upload.
func (s *Server) pdsReturnPage(w http.ResponseWriter, r *http.Request) {
	s.pdsReturn(w, r, http.StatusOK, nil, nil)
}

func (s *Server) pdsReturn(w http.ResponseWriter, r *http.Request, status int, res *pds.ImportResult, problems []valid.Problem) {
	u := auth.UserFrom(r.Context())
	las := s.Authz.Councils(u.UserID, authz.Placement, authz.Export)
	d := pdsReturnData{Councils: las, Imported: res, Import: len(s.Authz.Councils(u.UserID, authz.Placement, authz.Import)) > 0}
	now := s.Placements.Now()
	prev := pds.Quarter{Year: now.Year(), Q: (int(now.Month())-1)/3 + 1}
	if prev.Q--; prev.Q == 0 {
		prev = pds.Quarter{Year: prev.Year - 1, Q: 4}
	}
	d.Quarter = prev.String()
	if q := r.FormValue("quarter"); q != "" {
		d.Quarter = q
	}
	if len(las) > 0 {
		d.Council = las[0]
	}
	s.render(w, r, status, "pds_return", page{Title: "Placements Data Standard return", Errors: problems, Data: d})
}

func (s *Server) pdsImport(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseMultipartForm(pds.MaxReturnBytes); err != nil {
		s.fail(w, r, valid.Errorf("file", "choose the return's file (CSV or .xlsx)"))
		return
	}
	var ps valid.Problems
	var la int32
	if _, err := fmt.Sscanf(r.FormValue("council"), "%d", &la); err != nil {
		ps.Add("council", "choose the council the return is from")
	}
	q, err := pds.ParseQuarter(r.FormValue("quarter"))
	if err != nil {
		ps.Add("quarter", "give the quarter like 2026Q3")
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		ps.Add("file", "choose the return's file (CSV or .xlsx)")
	}
	if err := ps.Err(); err != nil {
		s.pdsReturn(w, r, http.StatusUnprocessableEntity, nil, ps)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, pds.MaxReturnBytes+1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.pdsService().Import(r.Context(), u.UserID, la, q, data)
	var ve *valid.Error
	switch {
	case err == nil:
		s.pdsReturn(w, r, http.StatusOK, &res, nil)
	case errors.As(err, &ve):
		for i := range ve.Problems {
			ve.Problems[i].Message = strings.TrimSpace(ve.Problems[i].Field + ": " + ve.Problems[i].Message)
			ve.Problems[i].Field = "file"
		}
		s.pdsReturn(w, r, http.StatusUnprocessableEntity, nil, ve.Problems)
	default:
		s.fail(w, r, err)
	}
}

// yearsOld says an age in whole years as a person would.
func yearsOld(n int) string {
	switch n {
	case 0:
		return "under 1"
	case 1:
		return "1 year"
	}
	return fmt.Sprintf("%d years", n)
}
