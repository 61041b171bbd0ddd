package ssda903

import (
	"strings"
	"time"
)

// The DfE's 903 rules numbered 100 to 399 and 1000 to 1015 that Hearth did
// not check before issue 15 (part A). Each is defined in dfeRulesA (code,
// table, the DfE's wording in Hearth's phrasing, error or query per year)
// and checked in checkDfEA, which checkDfE calls once with the child's
// episodes already sorted. Rules of this range that need something the
// return does not hold (last year's return, the ONS postcode directory,
// Ofsted's provider lists) are in notRunA with the reason.
//
// The reference validator does not say which rules are errors and which
// queries; where the DfE's wording asks the council to check (an age or a
// plausibility) the rule is a query, as Hearth's other such rules are.

var dfeRulesA = map[string]RuleDef{
	// Checks on one value that Hearth already made, now under their codes.
	"171": {"171", Header, "Date of birth of the mother's child is not a valid date", always(Error)},
	"180": {"180", OC2, "SDQ score is not a whole number from 0 to 40", always(Error)},
	"354": {"354", Episodes, "Date episode began is after the end of the collection year", always(Error)},
	"385": {"385", Episodes, "Date episode ceased is after the end of the collection year", always(Error)},

	// Header.
	"174": {"174", Header, "Date of birth of the mother's child is given but the child is male", always(Error)},
	"231": {"231", Header, "An unaccompanied asylum-seeking child is under 11 at the end of the year: check the date of birth", []YearSeverity{{2025, Query}}},
	"351": {"351", Header, "The child was over 21 at the start of the collection year", always(Error)},
	"393": {"393", Header, "A girl who is looked after (not only on short breaks) has MOTHER blank", always(Query)},

	// Episodes.
	"199":  {"199", Episodes, "The child was adopted from care (E11, E12) but has a later episode", always(Query)},
	"218":  {"218", Episodes, "Ofsted URN is missing for a placement in England that is registered with Ofsted", always(Error)},
	"225":  {"225", Episodes, "Reason for placement change is missing where the placement changed", always(Error)},
	"234":  {"234", Episodes, "Reason for placement change is custody (CUSTOD) but the child was under 10", []YearSeverity{{2026, Error}}},
	"242":  {"242", Episodes, "URN XXXXXXX (not known) is only for adoption and fostering placements (A3 to A6, U1 to U6)", []YearSeverity{{2026, Error}}},
	"352":  {"352", Episodes, "The child started to be looked after (RNE S) at 18 or over", always(Error)},
	"353":  {"353", Episodes, "Date episode began is before 14 October 1991", always(Error)},
	"392B": {"392B", Episodes, "The child's home postcode or placement postcode is missing (children not on short breaks, not UASC)", always(Query)},

	// OC2.
	"182":  {"182", OC2, "Immunisations, teeth check, health assessment and substance misuse must all be given when any other OC2 item is", always(Error)},
	"185":  {"185", OC2, "SDQ score given, but the child was not looked after continuously for 12 months at 31 March", always(Error)},
	"197B": {"197B", OC2, "A child who turned 4 or 17 in the year, looked after for 12 months, has no SDQ score or reason", always(Query)},
	"198":  {"198", OC2, "Reason for no SDQ given, but the child was not looked after continuously for 12 months at 31 March", always(Error)},

	// OC3, AD1 and PlacedAdoption.
	"118":  {"118", PlacedAdoption, "Date the decision to place for adoption was reversed is before the year or before the child's care began", always(Error)},
	"134":  {"134", AD1, "Adoption items (AD1) are given for a care leaver (OC3)", always(Error)},
	"187":  {"187", AD1, "A child looked after continuously for 12 months at 31 March has adoption (AD1) or care leaver (OC3) items", always(Error)},
	"333":  {"333", AD1, "Date matched with adopters is given, but the date of the decision to place for adoption is blank or later", always(Error)},
	"334":  {"334", AD1, "Date of the decision to place for adoption is before the child's latest period of care began", always(Error)},
	"347":  {"347", OC3, "A care leaver under 18 at the start of the year cannot be in a foyer (accommodation T)", []YearSeverity{{2024, Error}}},
	"1000": {"1000", OC3, "The child died in care (E2) but care leaver items (OC3) are given", always(Error)},
}

// notRunA are the rules of part A's range that need more than the return.
var notRunA = map[string]string{
	"179":  "needs the ONS postcode directory (placement inside or outside the council's area)",
	"392A": "needs the ONS postcode directory (distance)",
	"203":  "needs last year's return", "204": "needs last year's return", "205A": "needs last year's return",
	"205B": "needs last year's return", "205C": "needs last year's return", "205D": "needs last year's return",
	"207": "needs last year's return", "348": "needs last year's return",
	"219": "needs Ofsted's provider lists (placement types of the URN)",
	"221": "needs Ofsted's provider lists (postcode of the URN)",
	"224": "needs Ofsted's provider lists (provider type of the URN)",
	"227": "needs Ofsted's provider lists (registration end)",
	"228": "needs Ofsted's provider lists (registration end)",
	"229": "needs Ofsted's provider lists (LA of the URN)",
	"241": "needs the ONS postcode directory and Ofsted's provider lists (LA of placement)",
	"243": "needs the ONS postcode directory (LA of placement outside England)",
}

func init() {
	for k, d := range dfeRulesA {
		if _, dup := Rules[k]; dup {
			panic("ssda903: rule " + k + " defined twice")
		}
		Rules[k] = d
	}
	for k, why := range notRunA {
		if _, dup := NotRun[k]; dup {
			panic("ssda903: rule " + k + " listed twice as not run")
		}
		NotRun[k] = why
	}
}

// outsideEngland reports whether a placement postcode's area may lie
// outside England: wholly in Scotland, Wales or Northern Ireland, or across
// a border (CH, HR, SY, TD). Without the ONS directory a cross-border
// postcode is taken as possibly outside, so rule 218 does not refuse a
// return for a placement that may rightly have no Ofsted URN.
func outsideEngland(postcode string) bool {
	d := District(postcode)
	n := 0
	for n < len(d) && n < 2 && d[n] >= 'A' && d[n] <= 'Z' {
		n++
	}
	switch d[:n] {
	case "AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE", // Scotland
		"CF", "LD", "LL", "NP", "SA", // Wales
		"BT",                   // Northern Ireland
		"CH", "HR", "SY", "TD": // across a border
		return true
	}
	return false
}

// urnExempt lists the placement types rule 218 does not ask a URN of: the
// types that take none (rule 222) and the "other" placements.
func urnExempt(place string, y Year) bool {
	switch place {
	case "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14":
		return true
	case "H5":
		return y <= 2023 // registered from 28 October 2023 (rule 230)
	}
	return false
}

// checkDfEA runs part A's rules. byChild holds each child's episodes
// sorted by start date; it is walked once.
func (r *Return) checkDfEA(byChild map[string][]*EpisodeRow, dob map[string]time.Time) {
	y := r.Year
	start, end := y.Start(), y.End()
	started := careStart(byChild)
	yearLong := func(child string) bool {
		s, ok := started[child]
		return ok && !s.After(end.AddDate(-1, 0, 0))
	}
	died := map[string]bool{}
	notRespite := map[string]bool{}
	firstCare := map[string]time.Time{}   // DECOM of the earliest episode not a short break (118)
	latestStart := map[string]time.Time{} // DECOM of the latest episode with RNE S (334)
	earliest := time.Date(1991, 10, 14, 0, 0, 0, 0, time.UTC)
	// A child who is UASC this year; the DfE also spares those who were in
	// the two years before, which the return does not show (392B is a query).
	uasc := map[string]bool{}
	for _, u := range r.UASC {
		uasc[u.Child] = true
	}
	for child, eps := range byChild {
		d, hasDOB := dob[child]
		hasDOB = hasDOB && !d.IsZero()
		adopted := -1
		for k, e := range eps {
			if e.REC == "E2" {
				died[child] = true
			}
			if e.LS != "V3" && e.LS != "V4" {
				notRespite[child] = true
				if _, ok := firstCare[child]; !ok {
					firstCare[child] = e.DECOM
				}
			}
			if e.RNE == "S" {
				latestStart[child] = e.DECOM
			}
			if adopted >= 0 {
				r.rule("199", e.Where, "DECOM", fmtDate(e.DECOM), "the child was adopted (%s, line %d) before this episode; check the episodes are this child's", eps[adopted].REC, eps[adopted].Line)
			}
			if (e.REC == "E11" || e.REC == "E12") && adopted < 0 {
				adopted = k
			}
			if e.DECOM.Before(earliest) {
				r.rule("353", e.Where, "DECOM", fmtDate(e.DECOM), "no episode in a return starts before 14 October 1991 (the Children Act 1989)")
			}
			if hasDOB && e.RNE == "S" && ageOn(d, e.DECOM) >= 18 {
				r.rule("352", e.Where, "RNE", "S", "the child was %d when this period of care began", ageOn(d, e.DECOM))
			}
			if hasDOB && e.Reason == "CUSTOD" && ageOn(d, e.DECOM) < 10 {
				r.rule("234", e.Where, "REASON_PLACE_CHANGE", "CUSTOD", "the child was %d at the start of this placement; a child under 10 cannot be admitted to custody", ageOn(d, e.DECOM))
			}
			if e.URNUnknown && !isAdoptOrFoster(e.Place) {
				r.rule("242", e.Where, "URN", "XXXXXXX", "placement type %s needs the provider's URN; XXXXXXX is for adoption and fostering placements through a regional agency", e.Place)
			}
			if e.LS != "V3" && e.LS != "V4" && !uasc[child] && (e.HomePost == "" || e.PlacePost == "") {
				col := "HOME_POST"
				if e.HomePost != "" {
					col = "PL_POST"
				}
				r.rule("392B", e.Where, col, "", "give the child's home postcode and the placement's postcode")
			}
			ends := e.DEC == nil || !e.DEC.Before(start)
			if ends && e.URN == "" && !e.URNUnknown && e.Place != "" && e.LS != "V3" && e.LS != "V4" &&
				!urnExempt(e.Place, y) && !outsideEngland(e.PlacePost) {
				r.rule("218", e.Where, "URN", "", "placement type %s in England is registered with Ofsted; give its URN (XXXXXXX if not known)", e.Place)
			}
			// 226 on the temporary placement itself is checked as the row is
			// read; here, the move into one needs no reason either.
			if k > 0 && isTemp(e.Place) && eps[k-1].Reason != "" && eps[k-1].REC == "X1" {
				r.rule("226", e.Where, "PLACE", e.Place, "the episode before (line %d) gives a reason for placement change (%s); a move to a temporary placement takes none", eps[k-1].Line, eps[k-1].Reason)
			}
			if k+1 < len(eps) && e.REC == "X1" && e.Reason == "" && !isTemp(e.Place) {
				next := eps[k+1]
				switch next.RNE {
				case "P", "B", "T", "U":
					if !isTemp(next.Place) {
						r.rule("225", e.Where, "REASON_PLACE_CHANGE", "", "the next episode (line %d) changes the placement (RNE %s); say why", next.Line, next.RNE)
					}
				}
			}
		}
	}
	for _, h := range r.Headers {
		if h.MCDOB != nil && h.Sex == "M" {
			r.rule("174", h.Where, "MC_DOB", fmtDate(*h.MCDOB), "the child's sex is male; MC_DOB is the date of birth of a mother's child")
		}
		if h.Sex == "F" && h.Mother == "" && notRespite[h.Child] {
			r.rule("393", h.Where, "MOTHER", "", "say whether she is a mother (1) or not (0)")
		}
		if h.DOB.IsZero() {
			continue
		}
		if start.After(h.DOB.AddDate(21, 0, 0)) {
			r.rule("351", h.Where, "DOB", fmtDate(h.DOB), "the child was %d on %s; the return is for children looked after up to 21", ageOn(h.DOB, start), fmtDate(start))
		}
		if uasc[h.Child] && h.DOB.After(end.AddDate(-11, 0, 0)) {
			r.rule("231", h.Where, "DOB", fmtDate(h.DOB), "the child is an unaccompanied asylum seeker aged %d on %s; check the date of birth", ageOn(h.DOB, end), fmtDate(end))
		}
	}
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	for _, row := range r.raw[PlacedAdoption] {
		v := row.v
		ce, ok := date(v["DATE_PLACED_CEASED"])
		if !ok {
			continue
		}
		if ce.Before(start) {
			r.rule("118", row.Where, "DATE_PLACED_CEASED", v["DATE_PLACED_CEASED"], "before the start of %s (%s)", y, fmtDate(start))
		} else if fc, ok := firstCare[v["CHILD"]]; ok && ce.Before(fc) {
			r.rule("118", row.Where, "DATE_PLACED_CEASED", v["DATE_PLACED_CEASED"], "before the child's care began (%s)", fmtDate(fc))
		}
	}
	leaver := map[string]rawRow{}
	for _, row := range r.raw[OC3] {
		v, c := row.v, row.v["CHILD"]
		given := v["IN_TOUCH"] != "" || v["ACTIV"] != "" || v["ACCOM"] != ""
		if given {
			leaver[c] = row
		}
		if died[c] {
			r.rule("1000", row.Where, "IN_TOUCH", v["IN_TOUCH"], "the child's episodes end with E2 (died in care); a child who died is not a care leaver")
		}
		if given && yearLong(c) {
			r.rule("187", row.Where, "CHILD", c, "looked after since %s; OC3 is for care leavers", fmtDate(started[c]))
		}
		if d, ok := dob[c]; ok && !d.IsZero() && strings.HasPrefix(v["ACCOM"], "T") && ageOn(d, start) < 18 {
			r.rule("347", row.Where, "ACCOM", v["ACCOM"], "the young person was %d on %s; a foyer is for care leavers of 18 or over", ageOn(d, start), fmtDate(start))
		}
	}
	for _, row := range r.raw[AD1] {
		v, c := row.v, row.v["CHILD"]
		items := v["DATE_INT"] != "" || v["DATE_MATCH"] != "" || v["FOSTER_CARE"] != "" || v["NB_ADOPTR"] != "" || v["SEX_ADOPTR"] != "" || v["LS_ADOPTR"] != ""
		if l, ok := leaver[c]; ok && items {
			r.rule("134", row.Where, "CHILD", c, "the child is a care leaver in OC3 (%s line %d)", l.File, l.Line)
		}
		if items && yearLong(c) {
			r.rule("187", row.Where, "CHILD", c, "looked after since %s; AD1 is for children adopted in the year", fmtDate(started[c]))
		}
		di, okI := date(v["DATE_INT"])
		if dm, ok := date(v["DATE_MATCH"]); ok && v["DATE_INT"] == "" {
			r.rule("333", row.Where, "DATE_INT", "", "the child was matched on %s; give the date of the decision to place for adoption", fmtDate(dm))
		}
		if s, ok := latestStart[c]; ok && okI && di.Before(s) {
			r.rule("334", row.Where, "DATE_INT", v["DATE_INT"], "the child's latest period of care began %s", fmtDate(s))
		}
	}
	for _, row := range r.raw[OC2] {
		v, c := row.v, row.v["CHILD"]
		if v["CONVICTED"] != "" || v["HEALTH_CHECK"] != "" || v["INTERVENTION_RECEIVED"] != "" || v["INTERVENTION_OFFERED"] != "" {
			for _, col := range []string{"IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"} {
				if v[col] == "" {
					r.rule("182", row.Where, col, "", "other OC2 items are given, so give this one (0 or 1)")
				}
			}
		}
		_, inCare := started[c]
		if !yearLong(c) && (inCare || len(r.Episodes) > 0) {
			if v["SDQ_SCORE"] != "" {
				r.rule("185", row.Where, "SDQ_SCORE", v["SDQ_SCORE"], "the child was not looked after for the 12 months to %s; leave the SDQ score blank", fmtDate(end))
			}
			if v["SDQ_REASON"] != "" {
				r.rule("198", row.Where, "SDQ_REASON", v["SDQ_REASON"], "the child was not looked after for the 12 months to %s; leave the reason blank", fmtDate(end))
			}
		}
		if d, ok := dob[c]; ok && !d.IsZero() && yearLong(c) && v["SDQ_SCORE"] == "" && v["SDQ_REASON"] == "" {
			four, seventeen := d.AddDate(4, 0, 0), d.AddDate(17, 0, 0)
			if !four.Before(start) && !four.After(end) || !seventeen.Before(start) && !seventeen.After(end) {
				r.rule("197B", row.Where, "SDQ_SCORE", "", "the child turned %d in %s; give the SDQ score or the reason there is none", ageOn(d, end), y)
			}
		}
	}
}

func isAdoptOrFoster(place string) bool {
	switch place {
	case "A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6":
		return true
	}
	return false
}
