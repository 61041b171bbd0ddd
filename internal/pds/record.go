package pds

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/valid"
)

// Record is one child's referral and agreed placement in the standard's
// terms. Codes are notations; "" is a code not given, nil a number or a yes/no
// not given; money is pence, excluding VAT, the fee actually paid.
type Record struct {
	ChildRef                  string            `json:"child_id"` // the council's own ID for the child (the standard's childId)
	NeededBy                  string            `json:"when_placement_is_needed_by"`
	SiblingsToPlace           *int32            `json:"number_of_siblings_to_place_with"`
	ChildPreference           string            `json:"child_preferred_placement_type"`
	CommunicationNeeds        string            `json:"communication_needs"`
	CommunicationRequirements []string          `json:"specific_communication_requirements"`
	CommunicationOther        string            `json:"specific_communication_requirements_other"`
	HomeAdaptation            *bool             `json:"home_adaptation"`
	CulturalNeeds             string            `json:"cultural_needs"`
	CulturalOther             string            `json:"cultural_needs_other"`
	LivingCompanions          string            `json:"living_companions"`
	Pets                      string            `json:"pets"`
	AdditionalSupport         string            `json:"additional_support"`
	AdditionalSupportOther    string            `json:"additional_support_other"`
	DeprivationOfLiberty      *bool             `json:"deprivation_of_liberty"`
	FosterSuitability         string            `json:"foster_care_suitability"`
	ResidentialSuitability    string            `json:"residential_care_suitability"`
	SupportedSuitability      string            `json:"supported_accommodation_suitability"`
	Risks                     map[string]string `json:"risks"` // risk field → no-known-risk or risk-present
	CostCore                  *int64            `json:"cost_core_weekly_pence"`
	CostAdditional            *int64            `json:"cost_additional_support_weekly_pence"`
	CostEducation             *int64            `json:"cost_education_weekly_pence"`
	CostOther                 *int64            `json:"cost_other_weekly_pence"`
	CostTotal                 *int64            `json:"cost_total_weekly_pence"`
	PlacementLocation         string            `json:"placement_location"`
	PreferredLocationLocal    *bool             `json:"is_preferred_location_local"`
	OutOfLAReason             string            `json:"out_of_la_reason"`
	OutOfLAOther              string            `json:"out_of_la_reason_other"`
	EducationContinuity       *bool             `json:"education_continuity"`
	ProviderURN               string            `json:"provider_urn"`
	SiblingsPlacedTogether    *int32            `json:"siblings_placed_together"`
	PlacementType             string            `json:"placement_type"`
	ReferralDate              time.Time         `json:"referral_date"`
	PlacementDate             time.Time         `json:"placement_date"`
	CostDate                  time.Time         `json:"cost_date"`
}

// Warning is a value the standard lets through but asks a person to check
// (a weekly fee under £100 or over £100,000).
type Warning = valid.Problem

var (
	outwardRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)
	urnRE     = regexp.MustCompile(`^[A-Za-z0-9-]{1,20}$`)
)

// code checks a code field against its list, naming the valid values.
func code(ps *valid.Problems, field string, l CodeList, v string, required bool) {
	switch {
	case v == "" && required:
		ps.Add(field, "choose one of %s", strings.Join(l.Notations(), ", "))
	case v != "" && !l.Has(v):
		ps.Add(field, "%q is not in the %s list: use one of %s", v, l.Scheme, strings.Join(l.Notations(), ", "))
	}
}

func freeText(ps *valid.Problems, field, v string, needed bool, what string) {
	switch {
	case needed && strings.TrimSpace(v) == "":
		ps.Add(field, "say what the other %s is", what)
	case !needed && v != "":
		ps.Add(field, "give this only when %s is other", what)
	case len(v) > 200:
		ps.Add(field, "keep this to 200 characters (it has %d)", len(v))
	}
}

// Validate checks a record against the standard's rules (the SHACL shape's
// sh:in code lists, cardinalities, the outward-postcode pattern and the
// conditional "other" rules) and returns every problem at once, each named by
// its column, and the cost warnings.
func (r *Record) Validate() (warnings []Warning, err error) {
	var ps valid.Problems
	switch {
	case strings.TrimSpace(r.ChildRef) == "":
		ps.Add("child_id", "enter the child's ID")
	case len(r.ChildRef) > 50:
		ps.Add("child_id", "the child's ID is at most 50 characters")
	case strings.ContainsFunc(r.ChildRef, func(c rune) bool { return c < ' ' }):
		ps.Add("child_id", "the child's ID has a control character")
	}
	code(&ps, "when_placement_is_needed_by", Urgency, r.NeededBy, false)
	count(&ps, "number_of_siblings_to_place_with", r.SiblingsToPlace, false)
	code(&ps, "child_preferred_placement_type", PlacementType, r.ChildPreference, false)
	code(&ps, "communication_needs", Presence, r.CommunicationNeeds, true)
	if len(r.CommunicationRequirements) == 0 {
		ps.Add("specific_communication_requirements", "choose at least one of %s", strings.Join(CommunicationNeed.Notations(), ", "))
	}
	for _, v := range r.CommunicationRequirements {
		code(&ps, "specific_communication_requirements", CommunicationNeed, v, true)
	}
	if slices.Contains(r.CommunicationRequirements, "none") && len(r.CommunicationRequirements) > 1 {
		ps.Add("specific_communication_requirements", "none cannot be chosen with another requirement")
	}
	freeText(&ps, "specific_communication_requirements_other", r.CommunicationOther,
		slices.Contains(r.CommunicationRequirements, "other"), "communication requirement")
	yesNo(&ps, "home_adaptation", r.HomeAdaptation, true)
	code(&ps, "cultural_needs", CulturalNeed, r.CulturalNeeds, true)
	freeText(&ps, "cultural_needs_other", r.CulturalOther, r.CulturalNeeds == "other", "cultural need")
	code(&ps, "living_companions", LivingArrangement, r.LivingCompanions, true)
	code(&ps, "pets", PetsAllowance, r.Pets, true)
	code(&ps, "additional_support", SupportType, r.AdditionalSupport, false)
	freeText(&ps, "additional_support_other", r.AdditionalSupportOther, r.AdditionalSupport == "other", "additional support")
	code(&ps, "foster_care_suitability", Suitability, r.FosterSuitability, true)
	code(&ps, "residential_care_suitability", Suitability, r.ResidentialSuitability, true)
	code(&ps, "supported_accommodation_suitability", Suitability, r.SupportedSuitability, true)
	for _, k := range Risks {
		code(&ps, k.Field, RiskLevel, r.Risks[k.Field], true)
	}
	for k := range r.Risks {
		if !slices.ContainsFunc(Risks, func(x Risk) bool { return x.Field == k }) {
			ps.Add(k, "%q is not one of the standard's risk fields", k)
		}
	}
	for _, m := range []struct {
		field string
		v     *int64
	}{{"cost_core_weekly", r.CostCore}, {"cost_additional_support_weekly", r.CostAdditional},
		{"cost_education_weekly", r.CostEducation}, {"cost_other_weekly", r.CostOther}, {"cost_total_weekly", r.CostTotal}} {
		if m.v != nil && *m.v < 0 {
			ps.Add(m.field, "a weekly cost cannot be negative")
		}
	}
	if r.CostTotal == nil {
		ps.Add("cost_total_weekly", "enter the total weekly fee paid, in pounds, excluding VAT")
	} else if *r.CostTotal >= 0 && (*r.CostTotal < 100_00 || *r.CostTotal > 100_000_00) {
		warnings = append(warnings, Warning{Field: "cost_total_weekly",
			Message: fmt.Sprintf("a weekly fee of %s is under £100 or over £100,000: check it", Pounds(*r.CostTotal))})
	}
	switch {
	case r.PlacementLocation == "":
		ps.Add("placement_location", "enter the outward part of the placement's postcode, for example TA3 or BS10")
	case !outwardRE.MatchString(r.PlacementLocation):
		ps.Add("placement_location", "%q is not an outward postcode: give only its first part, for example TA3 or BS10", r.PlacementLocation)
	}
	yesNo(&ps, "is_preferred_location_local", r.PreferredLocationLocal, true)
	if r.PreferredLocationLocal != nil && !*r.PreferredLocationLocal {
		code(&ps, "out_of_la_reason", OutOfLAReason, r.OutOfLAReason, true)
	} else if r.OutOfLAReason != "" {
		ps.Add("out_of_la_reason", "give a reason only when the preferred location is outside the council")
	}
	freeText(&ps, "out_of_la_reason_other", r.OutOfLAOther, r.OutOfLAReason == "other", "out-of-area reason")
	yesNo(&ps, "education_continuity", r.EducationContinuity, true)
	switch {
	case r.ProviderURN == "":
		ps.Add("provider_urn", "enter the provider's Ofsted URN, or the council's reference for an unregistered placement")
	case !urnRE.MatchString(r.ProviderURN):
		ps.Add("provider_urn", "%q is not a URN: letters, digits and hyphens, at most 20", r.ProviderURN)
	}
	count(&ps, "siblings_placed_together", r.SiblingsPlacedTogether, true)
	code(&ps, "placement_type", PlacementType, r.PlacementType, true)
	for _, d := range []struct {
		field string
		v     time.Time
		what  string
	}{{"referral_date", r.ReferralDate, "the date the referral was received"},
		{"placement_date", r.PlacementDate, "the date the agreed placement starts"},
		{"cost_date", r.CostDate, "the date the cost was captured"}} {
		if d.v.IsZero() {
			ps.Add(d.field, "enter %s", d.what)
		}
	}
	if !r.ReferralDate.IsZero() && !r.PlacementDate.IsZero() && r.ReferralDate.After(r.PlacementDate) {
		ps.Add("referral_date", "the referral (%s) cannot be after the placement starts (%s)",
			r.ReferralDate.Format(time.DateOnly), r.PlacementDate.Format(time.DateOnly))
	}
	return warnings, ps.Err()
}

func yesNo(ps *valid.Problems, field string, v *bool, required bool) {
	if v == nil && required {
		ps.Add(field, "answer yes or no")
	}
}

func count(ps *valid.Problems, field string, v *int32, required bool) {
	switch {
	case v == nil && required:
		ps.Add(field, "enter a number, 0 if none")
	case v != nil && (*v < 0 || *v > 20):
		ps.Add(field, "enter a number from 0 to 20")
	}
}

// Pounds writes pence as the template's pounds: 1234.50.
func Pounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// ParsePounds reads pounds as people and spreadsheets write them: 1234.5,
// £1,234.50, 1234. More than two decimal places are refused, not rounded.
func ParsePounds(s string) (int64, error) {
	t := strings.NewReplacer("£", "", ",", "", " ", "").Replace(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not an amount in pounds, like 1234.50", s)
	if t == "" || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		return 0, bad
	}
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 10_000_000 {
		return 0, bad
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	return w*100 + f, nil
}
