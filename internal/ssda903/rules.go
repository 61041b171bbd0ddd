package ssda903

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// RuleDef is one validation rule: the DfE's code where it has one, and what
// it is in each collection year. Whether a rule is an error (the return is
// refused) or a query (it imports, listed for the council to confirm or
// correct; Hearth calls it a warning) is data here, per year, and a rule the
// DfE deleted for a year is not applied to it.
type RuleDef struct {
	Code    string // DfE rule code; "" for Hearth's own checks
	Table   Table
	Summary string
	From    []YearSeverity // in year order: from that year on, this severity ("" = not applied)
}

// YearSeverity says what a rule is from a collection year on.
type YearSeverity struct {
	Year     Year
	Severity Severity
}

// SeverityIn is the rule's severity in a year, or "" when it does not apply.
func (d RuleDef) SeverityIn(y Year) Severity {
	var s Severity
	for _, f := range d.From {
		if y >= f.Year {
			s = f.Severity
		}
	}
	return s
}

// Query is how a DfE query shows in Hearth: the return imports, the
// problem is listed for the council to confirm or correct.
const Query = Warning

func always(s Severity) []YearSeverity { return []YearSeverity{{2000, s}} }

// Rules are the rules Hearth checks, by key (the DfE code, or a Hearth name).
// Definitions follow the DfE's published rule wording as
// ../shared/docs/ssda903.md and the reference validator's descriptions give
// it; the code is Hearth's own.
var Rules = map[string]RuleDef{
	"101": {"101", Header, "Sex is not a valid code", always(Error)},
	"103": {"103", Header, "Ethnicity is not a valid code", always(Error)},
	"143": {"143", Episodes, "Reason for new episode is not a valid code", always(Error)},
	"144": {"144", Episodes, "Legal status is not a valid code", always(Error)},
	"145": {"145", Episodes, "Category of need is not a valid code", always(Error)},
	"146": {"146", Episodes, "Placement type is not a valid code for the year", always(Error)},
	"149": {"149", Episodes, "Reason episode ceased is not a valid code", always(Error)},
	"178": {"178", Episodes, "Placement provider code is not valid, or is given for a placement that takes none", always(Error)},
	"213": {"213", Episodes, "Placement provider information not required for a temporary placement (T0 to T4)", always(Error)},
	"214": {"214", Episodes, "Placement location (PL_POST, URN) not required for short breaks (V3, V4)", always(Error)},
	"222": {"222", Episodes, "Ofsted URN should not be recorded for this placement type", always(Error)},
	"526": {"526", Episodes, "Placement provider code missing", always(Error)},
	"527": {"527", Episodes, "Provider PR1 (own provision) with placement P1 (with parents)", always(Error)},
	"528": {"528", Episodes, "Provider PR2 (another LA) with placement P1, R2 or R5", always(Error)},
	"529": {"529", Episodes, "Provider PR3 (other public) with placement P1, A3 to A6, K1, K2 or U1 to U6", always(Error)},
	"530": {"530", Episodes, "Provider PR4 (private) with placement P1", always(Error)},
	"531": {"531", Episodes, "Provider PR5 (voluntary) with placement P1", always(Error)},
	"550": {"550", Episodes, "Provider PR0 (parents) with a placement other than P1", always(Error)},
	// Ages and durations are plausibility checks: queries.
	"370": {"370", Episodes, "Child in independent living (P2) should be at least 15 (16 from 2023/24)", []YearSeverity{{2000, Query}, {2025, ""}}},
	"371": {"371", Episodes, "Child in semi-independent or supported accommodation (H5, K3) should be at least 16 (H5: 14 before 2023/24)", always(Query)},
	"372": {"372", Episodes, "Child in youth custody or prison (R5) should be at least 10", always(Query)},
	"373": {"373", Episodes, "Child placed in a school (S1) should be at least 4", always(Query)},
	"374": {"374", Episodes, "Child in residential employment (P3) should be at least 14", always(Query)},
	"375": {"375", Episodes, "Temporary placement in hospital (T1) exceeds six weeks", always(Query)},
	"376": {"376", Episodes, "Temporary placement for the foster carer's holiday (T3) exceeds three weeks", always(Query)},
	"379": {"379", Episodes, "Temporary placement for another reason (T4) exceeds seven days", always(Query)},
	"226": {"226", Episodes, "Reason for placement change given for a temporary placement, or for the move into one", always(Error)},
	"233": {"233", Episodes, "Reason for placement change given while the episode is open", []YearSeverity{{2026, Error}}},
	// Rule 445: freeing orders ended in December 2005. The DfE deleted
	// its equivalent check from 2024/25, so it is a query until then and not
	// applied after.
	"hearth-d1": {"445", Episodes, "Freeing order (D1) on an episode after December 2005", []YearSeverity{{2000, Query}, {2025, ""}}},
}

// rule records a problem under a rule, with the rule's severity for the
// return's year; a rule not applied in the year records nothing.
func (r *Return) rule(key string, w Where, col, val, format string, args ...any) {
	d, ok := Rules[key]
	if !ok {
		panic("ssda903: unknown rule " + key) // a programming error, caught by the rule tests
	}
	sev := d.SeverityIn(r.Year)
	if sev == "" {
		return
	}
	r.add(Problem{Severity: sev, Rule: d.Code, File: w.File, Line: w.Line, Column: col, Value: val, Message: fmt.Sprintf(format, args...)})
}

// ageOn is the age in whole years on a day.
func ageOn(dob, on time.Time) int {
	a := on.Year() - dob.Year()
	if on.Month() < dob.Month() || on.Month() == dob.Month() && on.Day() < dob.Day() {
		a--
	}
	return a
}

// MinAge is the youngest a child may be when a placement of this type
// starts in a year (rules 370 to 374), or 0.
func MinAge(place string, y Year) (age int, rule string) {
	switch place {
	case "P2":
		if y >= 2024 {
			return 16, "370"
		}
		return 15, "370"
	case "H5":
		if y >= 2024 {
			return 16, "371"
		}
		return 14, "371"
	case "K3":
		return 16, "371"
	case "R5":
		return 10, "372"
	case "S1":
		return 4, "373"
	case "P3":
		return 14, "374"
	}
	return 0, ""
}

// MaxDays is the longest a temporary placement may last (rules 375, 376, 379), or 0.
func MaxDays(place string) (days int, rule string) {
	switch place {
	case "T1":
		return 42, "375"
	case "T3":
		return 21, "376"
	case "T4":
		return 7, "379"
	}
	return 0, ""
}

// placementRules checks an episode's provider, URN and placement against
// each other (178, 213, 214, 222, 526 to 531, 550): the codes costing
// depends on to tell in-house from bought-in care.
func (r *Return) placementRules(w Where, e EpisodeRow, row map[string]string) {
	y := r.Year
	place, prov := e.Place, e.Provider
	noProvider := func() bool {
		switch place {
		case "T0", "T1", "T2", "T3":
			return true
		case "T4":
			return y <= 2025
		case "Z1":
			return y <= 2025
		case "Z11", "Z12", "Z13", "Z14":
			return y >= 2026
		}
		return false
	}()
	switch {
	case prov == "" && !ProviderExempt(place) && place != "":
		r.rule("526", w, "PLACE_PROVIDER", "", "missing; placement type %s needs a provider code (PR0 to PR5)", place)
	case prov != "" && !provCodes[prov]:
		r.rule("178", w, "PLACE_PROVIDER", prov, "not a provider code (PR0 to PR5)")
	case prov != "" && noProvider:
		r.rule("178", w, "PLACE_PROVIDER", prov, "placement type %s takes no provider code; leave it blank", place)
	}
	if prov != "" && strings.HasPrefix(place, "T") && len(place) == 2 && place[1] >= '0' && place[1] <= '4' {
		r.rule("213", w, "PLACE_PROVIDER", prov, "a temporary placement (%s) takes no provider information", place)
	}
	if (e.LS == "V3" || e.LS == "V4") && (row["PL_POST"] != "" || row["URN"] != "") {
		r.rule("214", w, "PL_POST", row["PL_POST"]+row["URN"], "a short break (%s) takes no placement postcode or URN", e.LS)
	}
	if u := row["URN"]; u != "" && u != "XXXXXXX" && urnNotRecorded(place, y) {
		r.rule("222", w, "URN", u, "placement type %s takes no Ofsted URN; leave it blank", place)
	}
	switch {
	case prov == "PR1" && place == "P1":
		r.rule("527", w, "PLACE_PROVIDER", prov, "a placement with parents (P1) is not the council's own provision (PR1)")
	case prov == "PR2" && (place == "P1" || place == "R2" || place == "R5"):
		r.rule("528", w, "PLACE_PROVIDER", prov, "placement type %s cannot be another council's provision (PR2)", place)
	case prov == "PR3" && pr3Excluded[place]:
		r.rule("529", w, "PLACE_PROVIDER", prov, "placement type %s cannot be provided by another public body (PR3)", place)
	case prov == "PR4" && place == "P1":
		r.rule("530", w, "PLACE_PROVIDER", prov, "a placement with parents (P1) is not private provision (PR4)")
	case prov == "PR5" && place == "P1":
		r.rule("531", w, "PLACE_PROVIDER", prov, "a placement with parents (P1) is not voluntary provision (PR5)")
	case prov == "PR0" && place != "P1" && place != "":
		r.rule("550", w, "PLACE_PROVIDER", prov, "PR0 (parents) goes only with placement P1, not %s", place)
	}
}

var pr3Excluded = set("P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6")

// urnNotRecorded lists placement types that take no Ofsted URN (rule 222).
// H5 needs one from 2023/24 (semi-independent provision became registered).
func urnNotRecorded(place string, y Year) bool {
	switch place {
	case "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1":
		return true
	case "H5":
		return y <= 2023
	}
	return false
}

// ageRules checks episodes against the child's age (370 to 374) and
// temporary placements against their length (375, 376, 379).
func (r *Return) ageRules(dob map[string]time.Time) {
	for _, e := range r.Episodes {
		if e.DECOM.IsZero() {
			continue
		}
		if min, rule := MinAge(e.Place, r.Year); min > 0 {
			if d, ok := dob[e.Child]; ok && !d.IsZero() && ageOn(d, e.DECOM) < min {
				r.rule(rule, e.Where, "PLACE", e.Place, "the child was %d when this placement started (%s); it is for children aged %d or over",
					ageOn(d, e.DECOM), fmtDate(e.DECOM), min)
			}
		}
		if max, rule := MaxDays(e.Place); max > 0 && e.DEC != nil {
			if days := int(e.DEC.Sub(e.DECOM).Hours() / 24); days > max {
				r.rule(rule, e.Where, "DEC", fmtDate(*e.DEC), "a %s placement lasts at most %d days; this one lasted %d", e.Place, max, days)
			}
		}
	}
}

// RuleSummary is the problems of one rule (or one kind of problem), for a
// council to act on: what, how many, and where the first ones are.
type RuleSummary struct {
	Rule       string   `json:"rule,omitempty"`
	Severity   Severity `json:"severity"`
	Structural bool     `json:"structural,omitempty"`
	Message    string   `json:"message"`
	Count      int      `json:"count"`
	First      []string `json:"first"` // "file line N", at most FirstShown
	More       int      `json:"more"`  // the rest, in the CSV
}

// FirstShown is how many locations a summary lists; the CSV has them all.
const FirstShown = 5

// Summarise groups problems by rule (or, for Hearth's own checks, by file,
// column and wording with the numbers taken out), structural first, then
// errors, then by count.
func Summarise(ps []Problem) []RuleSummary {
	idx := map[string]int{}
	var out []RuleSummary
	for _, p := range ps {
		key := string(p.Severity) + "|" + p.Rule
		msg := p.Message
		if d, ok := Rules[p.Rule]; ok && p.Rule != "" {
			msg = d.Summary
		} else {
			key += "|" + p.File + "|" + p.Column + "|" + digitless(p.Message)
		}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, RuleSummary{Rule: p.Rule, Severity: p.Severity, Structural: p.Structural, Message: msg})
		}
		s := &out[i]
		s.Count++
		if len(s.First) < FirstShown {
			loc := p.File
			if p.Line > 0 {
				loc += fmt.Sprintf(" line %d", p.Line)
			}
			if p.Column != "" {
				loc += " " + p.Column
				if p.Value != "" {
					loc += fmt.Sprintf(" %q", p.Value)
				}
			}
			s.First = append(s.First, strings.TrimSpace(loc))
		}
	}
	for i := range out {
		out[i].More = out[i].Count - len(out[i].First)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Structural != b.Structural {
			return a.Structural
		}
		if a.Severity != b.Severity {
			return a.Severity == Error
		}
		return a.Count > b.Count
	})
	return out
}

// digitless replaces runs of digits and quoted values, so "line 12" and
// "line 40" group together.
func digitless(s string) string {
	var b strings.Builder
	inQuote := false
	prevDigit := false
	for _, c := range s {
		switch {
		case c == '"':
			inQuote = !inQuote
			if inQuote {
				b.WriteString(`"…"`)
			}
		case inQuote:
		case c >= '0' && c <= '9':
			if !prevDigit {
				b.WriteByte('#')
			}
			prevDigit = true
			continue
		default:
			b.WriteRune(c)
		}
		prevDigit = false
	}
	return b.String()
}
