// Package pds owns Hearth's records in the Placements Data Standard
// (SocialCareData v2 and its 2026 PUB00 model): the facts a placement team
// lifts out of a referral and an agreed placement, derived from what Hearth
// already holds where it can be and asked for only where it cannot; the
// quarterly return in the Excel template's column order (CSV and .xlsx), in
// and out; and the figures the standard enables. It decides who may see,
// record, export and import them on the record's council, and audits each.
package pds

import (
	"strings"
)

// CodeList is one of the standard's SKOS concept schemes: the notations are
// what Hearth stores and exports; the labels (SKOS and the Excel template's
// drop-downs) are what an import may carry instead.
type CodeList struct {
	Scheme   string // the scheme's name under https://ns.socialcaredata.io/placements/
	Concepts []Concept
}

// Concept is one code: its notation and the labels that mean it.
type Concept struct {
	Notation string
	Labels   []string
}

// Notations lists a list's notations in order, as an error message gives them.
func (l CodeList) Notations() []string {
	out := make([]string, len(l.Concepts))
	for i, c := range l.Concepts {
		out[i] = c.Notation
	}
	return out
}

// Has reports whether n is one of the list's notations, exactly.
func (l CodeList) Has(n string) bool {
	for _, c := range l.Concepts {
		if c.Notation == n {
			return true
		}
	}
	return false
}

// Match finds the notation a notation or label means, without regard to case
// or spaces (the standard's A5: the template's drop-downs differ from the
// SKOS labels in capitals, "< 5days" and a trailing space after
// "Residential"). Dashes of any kind count as a hyphen.
func (l CodeList) Match(s string) (string, bool) {
	if l.Has(s) { // a notation as Hearth writes it: no folding needed
		return s, true
	}
	k := fold(s)
	if k == "" {
		return "", false
	}
	for _, c := range l.Concepts {
		if fold(c.Notation) == k {
			return c.Notation, true
		}
		for _, lab := range c.Labels {
			if fold(lab) == k {
				return c.Notation, true
			}
		}
	}
	return "", false
}

// Label is the notation's first label, for pages.
func (l CodeList) Label(n string) string {
	for _, c := range l.Concepts {
		if c.Notation == n && len(c.Labels) > 0 {
			return c.Labels[0]
		}
	}
	return n
}

func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '\t', '\u00a0':
			continue
		case '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func c(n string, labels ...string) Concept { return Concept{n, labels} }

// The standard's code lists (standards.md A5).
var (
	Urgency = CodeList{"placement-urgency", []Concept{c("today", "Today"), c("lt-5-days", "<5 days", "Less than 5 days"),
		c("gt-5-days", ">5 days", "More than 5 days")}}
	Presence          = CodeList{"presence-status", []Concept{c("yes", "Yes", "Y"), c("no", "No", "N"), c("not-specified", "Not specified")}}
	CommunicationNeed = CodeList{"communication-need", []Concept{c("esol", "ESOL"), c("bsl", "BSL"), c("makaton", "Makaton"),
		c("other", "Other"), c("none", "None")}}
	CulturalNeed = CodeList{"cultural-need", []Concept{c("required", "Required"), c("not-required", "Not required"),
		c("not-known", "Not known"), c("other", "Other")}}
	LivingArrangement = CodeList{"living-arrangement", []Concept{c("solo", "Solo placement recommended"),
		c("with-other-children", "With other children recommended"), c("only-older", "Only with older children"),
		c("only-younger", "Only with younger children"), c("no-preference", "No preference")}}
	PetsAllowance = CodeList{"pets-allowance", []Concept{c("yes-must", "Yes – must", "Yes, must"), c("yes-can", "Yes – can", "Yes, can"),
		c("no", "No"), c("not-known", "Not known")}}
	SupportType = CodeList{"support-type", []Concept{c("additional-supervision", "Additional supervision"),
		c("therapeutic-support", "Therapeutic support"), c("worker-respite", "Worker for respite"),
		c("taxis-to-school", "Taxis to school"), c("na", "NA", "N/A"), c("other", "Other")}}
	Suitability = CodeList{"suitability-level", []Concept{c("preferred", "Preferred"),
		c("suitable-not-preferred", "Suitable but not preferred"), c("unsuitable", "Unsuitable"), c("not-specified", "Not specified")}}
	RiskLevel     = CodeList{"risk-level", []Concept{c("no-known-risk", "No known risk"), c("risk-present", "Risk present")}}
	PlacementType = CodeList{"placement-type", []Concept{c("foster", "Foster"), c("residential", "Residential"),
		c("supported-accommodation", "Supported accommodation")}}
	OutOfLAReason = CodeList{"outof-la-reason", []Concept{c("safeguarding", "Safeguarding concerns"), c("bail", "Bail conditions"),
		c("court-order", "Court order"), c("other", "Other")}}
)

// Risks are the standard's binary risk fields (version 01, without the
// dropped free-text "other" risks), in the template's order.
var Risks = []Risk{
	{"risk_self_harm", "Self-harm"},
	{"risk_sexual_exploitation", "Sexual exploitation"},
	{"risk_criminal_exploitation", "Criminal exploitation"},
	{"risk_drug_alcohol", "Drug or alcohol misuse"},
	{"risk_eating_disorder", "Eating disorder"},
	{"risk_missing", "Going missing"},
	{"risk_to_others_physical", "Physical harm to others"},
	{"risk_to_others_sexual", "Sexual harm to others"},
	{"risk_to_others_fire", "Fire setting"},
	{"risk_to_others_animals", "Harm to animals"},
	{"risk_to_others_criminal", "Criminal behaviour towards others or property"},
}

// Risk is one risk field: its column and its label.
type Risk struct{ Field, Label string }

// PlacementTypeOf is the standard's 3-way placement type of an SSDA903
// placement code, or "" when the placement is none of the three (placed with
// parents, for adoption, in hospital…), which the standard does not cover.
func PlacementTypeOf(place string) string {
	switch place {
	case "U1", "U2", "U3", "U4", "U5", "U6":
		return "foster"
	case "K1", "K2", "R1", "S1":
		return "residential"
	case "H5", "P2", "K3":
		return "supported-accommodation"
	}
	return ""
}
