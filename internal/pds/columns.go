package pds

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/valid"
)

// Column is one column of the quarterly return: its header, exactly as the
// template spells it, how a record writes it and how a cell is read into a
// record (an error's message says what the cell should hold).
type Column struct {
	Header string
	// Kind says how the .xlsx writes the cell: "text", "number" (pounds or a
	// count) or "date".
	Kind string
	get  func(*Record) string
	set  func(*Record, string) error
}

// Field is the name a problem with this column carries (the header in lower case).
func (c Column) Field() string { return strings.ToLower(c.Header) }

// Columns are the return's columns in the Excel template's fixed order ("no
// extra or renamed columns"). This is the one list: CSV and .xlsx export and
// import all follow it. standards.md names only some of the Jun 2026
// template's 44 headers (child_ID, when_placement_is_needed_by,
// cost_core_weekly … cost_total_weekly, placement_location, provider_URN,
// placement_type, the officer and date columns); the others are the
// standard's field names in the same snake_case, in the order of its entities.
// Officer names are kept inside the council (standards.md A4) and Hearth holds
// none, so the list has the three dates but no names: 45 columns. docs/pds.md
// says so.
var Columns = []Column{
	text("child_ID", func(r *Record) *string { return &r.ChildRef }),
	coded("when_placement_is_needed_by", Urgency, func(r *Record) *string { return &r.NeededBy }),
	number("number_of_siblings_to_place_with", func(r *Record) **int32 { return &r.SiblingsToPlace }),
	coded("child_preferred_placement_type", PlacementType, func(r *Record) *string { return &r.ChildPreference }),
	coded("communication_needs", Presence, func(r *Record) *string { return &r.CommunicationNeeds }),
	{Header: "specific_communication_requirements", Kind: "text",
		get: func(r *Record) string { return strings.Join(r.CommunicationRequirements, ";") },
		set: func(r *Record, s string) error {
			r.CommunicationRequirements = nil
			for _, part := range strings.FieldsFunc(s, func(c rune) bool { return c == ';' || c == ',' }) {
				if strings.TrimSpace(part) == "" {
					continue
				}
				n, ok := CommunicationNeed.Match(part)
				if !ok {
					return fmt.Errorf("%q is not in the %s list: use one of %s, separated by ;", strings.TrimSpace(part),
						CommunicationNeed.Scheme, strings.Join(CommunicationNeed.Notations(), ", "))
				}
				r.CommunicationRequirements = append(r.CommunicationRequirements, n)
			}
			return nil
		}},
	text("specific_communication_requirements_other", func(r *Record) *string { return &r.CommunicationOther }),
	boolean("home_adaptation", func(r *Record) **bool { return &r.HomeAdaptation }),
	coded("cultural_needs", CulturalNeed, func(r *Record) *string { return &r.CulturalNeeds }),
	text("cultural_needs_other", func(r *Record) *string { return &r.CulturalOther }),
	coded("living_companions", LivingArrangement, func(r *Record) *string { return &r.LivingCompanions }),
	coded("pets", PetsAllowance, func(r *Record) *string { return &r.Pets }),
	coded("additional_support", SupportType, func(r *Record) *string { return &r.AdditionalSupport }),
	text("additional_support_other", func(r *Record) *string { return &r.AdditionalSupportOther }),
	boolean("deprivation_of_liberty", func(r *Record) **bool { return &r.DeprivationOfLiberty }),
	coded("foster_care_suitability", Suitability, func(r *Record) *string { return &r.FosterSuitability }),
	coded("residential_care_suitability", Suitability, func(r *Record) *string { return &r.ResidentialSuitability }),
	coded("supported_accommodation_suitability", Suitability, func(r *Record) *string { return &r.SupportedSuitability }),
	risk("risk_self_harm"), risk("risk_sexual_exploitation"), risk("risk_criminal_exploitation"), risk("risk_drug_alcohol"),
	risk("risk_eating_disorder"), risk("risk_missing"), risk("risk_to_others_physical"), risk("risk_to_others_sexual"),
	risk("risk_to_others_fire"), risk("risk_to_others_animals"), risk("risk_to_others_criminal"),
	money("cost_core_weekly", func(r *Record) **int64 { return &r.CostCore }),
	money("cost_additional_support_weekly", func(r *Record) **int64 { return &r.CostAdditional }),
	money("cost_education_weekly", func(r *Record) **int64 { return &r.CostEducation }),
	money("cost_other_weekly", func(r *Record) **int64 { return &r.CostOther }),
	money("cost_total_weekly", func(r *Record) **int64 { return &r.CostTotal }),
	{Header: "placement_location", Kind: "text", get: func(r *Record) string { return r.PlacementLocation },
		set: func(r *Record, s string) error {
			r.PlacementLocation = strings.ToUpper(strings.TrimSpace(s))
			return nil
		}},
	boolean("is_preferred_location_local", func(r *Record) **bool { return &r.PreferredLocationLocal }),
	coded("out_of_LA_reason", OutOfLAReason, func(r *Record) *string { return &r.OutOfLAReason }),
	text("out_of_LA_reason_other", func(r *Record) *string { return &r.OutOfLAOther }),
	boolean("education_continuity", func(r *Record) **bool { return &r.EducationContinuity }),
	text("provider_URN", func(r *Record) *string { return &r.ProviderURN }),
	number("siblings_placed_together", func(r *Record) **int32 { return &r.SiblingsPlacedTogether }),
	coded("placement_type", PlacementType, func(r *Record) *string { return &r.PlacementType }),
	date("referral_date", func(r *Record) *time.Time { return &r.ReferralDate }),
	date("placement_date", func(r *Record) *time.Time { return &r.PlacementDate }),
	date("cost_date", func(r *Record) *time.Time { return &r.CostDate }),
}

// Headers are the return's header row.
func Headers() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Header
	}
	return out
}

// Row writes a record as the return's cells, in column order.
func (r *Record) Row() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.get(r)
	}
	return out
}

// FromRow reads a row of cells (in column order) into a record, then
// validates it. Problems are named by column.
func FromRow(cells []string) (Record, []Warning, error) {
	var r Record
	var ps valid.Problems
	for i, c := range Columns {
		v := ""
		if i < len(cells) {
			v = strings.TrimSpace(cells[i])
		}
		if err := c.set(&r, v); err != nil {
			ps.Add(c.Field(), "%s", err.Error())
		}
	}
	if err := ps.Err(); err != nil {
		return r, nil, err
	}
	w, err := r.Validate()
	return r, w, err
}

func text(h string, f func(*Record) *string) Column {
	return Column{Header: h, Kind: "text", get: func(r *Record) string { return *f(r) },
		set: func(r *Record, s string) error { *f(r) = s; return nil }}
}

func coded(h string, l CodeList, f func(*Record) *string) Column {
	return Column{Header: h, Kind: "text", get: func(r *Record) string { return *f(r) },
		set: func(r *Record, s string) error {
			if s == "" {
				*f(r) = ""
				return nil
			}
			n, ok := l.Match(s)
			if !ok {
				return fmt.Errorf("%q is not in the %s list: use one of %s", s, l.Scheme, strings.Join(l.Notations(), ", "))
			}
			*f(r) = n
			return nil
		}}
}

func risk(h string) Column {
	return Column{Header: h, Kind: "text", get: func(r *Record) string { return r.Risks[h] },
		set: func(r *Record, s string) error {
			if r.Risks == nil {
				r.Risks = map[string]string{}
			}
			if s == "" {
				return nil
			}
			n, ok := RiskLevel.Match(s)
			if !ok {
				return fmt.Errorf("%q is not in the %s list: use one of %s", s, RiskLevel.Scheme, strings.Join(RiskLevel.Notations(), ", "))
			}
			r.Risks[h] = n
			return nil
		}}
}

func boolean(h string, f func(*Record) **bool) Column {
	return Column{Header: h, Kind: "text",
		get: func(r *Record) string {
			switch p := *f(r); {
			case p == nil:
				return ""
			case *p:
				return "yes"
			default:
				return "no"
			}
		},
		set: func(r *Record, s string) error {
			switch fold(s) {
			case "":
				*f(r) = nil
			case "yes", "y", "true":
				*f(r) = new(true)
			case "no", "n", "false":
				*f(r) = new(false)
			default:
				return fmt.Errorf("%q is not yes or no", s)
			}
			return nil
		}}
}

func number(h string, f func(*Record) **int32) Column {
	return Column{Header: h, Kind: "number",
		get: func(r *Record) string {
			if p := *f(r); p != nil {
				return strconv.Itoa(int(*p))
			}
			return ""
		},
		set: func(r *Record, s string) error {
			if s == "" || fold(s) == "na" { // the 2026 template: NA when the child has no siblings
				*f(r) = nil
				return nil
			}
			n, err := strconv.ParseInt(strings.TrimSuffix(s, ".0"), 10, 32)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", s)
			}
			*f(r) = new(int32(n))
			return nil
		}}
}

func money(h string, f func(*Record) **int64) Column {
	return Column{Header: h, Kind: "number",
		get: func(r *Record) string {
			if p := *f(r); p != nil {
				return Pounds(*p)
			}
			return ""
		},
		set: func(r *Record, s string) error {
			if s == "" {
				*f(r) = nil
				return nil
			}
			p, err := ParsePounds(s)
			if err != nil {
				return err
			}
			*f(r) = &p
			return nil
		}}
}

func date(h string, f func(*Record) *time.Time) Column {
	return Column{Header: h, Kind: "date",
		get: func(r *Record) string {
			if t := *f(r); !t.IsZero() {
				return t.Format(time.DateOnly)
			}
			return ""
		},
		set: func(r *Record, s string) error {
			if s == "" {
				*f(r) = time.Time{}
				return nil
			}
			t, err := valid.Date("the date", s)
			if err != nil {
				return err
			}
			*f(r) = t
			return nil
		}}
}

// Cells is a record as the API shows it: each column's cell, as the return
// writes it, keyed by the column's field name.
func (r *Record) Cells() map[string]string {
	out := make(map[string]string, len(Columns))
	for _, c := range Columns {
		out[c.Field()] = c.get(r)
	}
	return out
}

// FromCells reads a record from the API's cells (any column may be left out;
// Save says which are needed). A key that is not a column is a problem.
func FromCells(m map[string]string) (Record, error) {
	var r Record
	var ps valid.Problems
	known := map[string]bool{}
	for _, c := range Columns {
		known[c.Field()] = true
		if err := c.set(&r, strings.TrimSpace(m[c.Field()])); err != nil {
			ps.Add(c.Field(), "%s", err.Error())
		}
	}
	for k := range m {
		if !known[k] {
			ps.Add(k, "%q is not a field of the standard's record", k)
		}
	}
	return r, ps.Err()
}
