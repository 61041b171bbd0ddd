package ssda903

import (
	"sort"
	"time"
)

// The DfE's 903 rules numbered 400 to 699, the deprivation of liberty
// order rules (700 to 710), the social worker episode rules (SW) and the
// cross-table checks (INT) that dferules.go did not already hold. They are
// defined here and checked in checkDfEB, which checkDfE calls once the
// child's episodes are sorted, so each child's episodes are still looked at
// in one pass. The meaning of each rule follows the DfE's wording as the
// reference validator (csc-validator-be-903) describes it; the code is
// Hearth's own.
//
// Errors and queries: where the DfE's published list says a rule is a
// query it is one here; rules about plausibility ("appears", "should")
// are queries, rules about what the record says (a date out of the year,
// a code that contradicts another) errors.

// untilYear is a rule applied up to and including collection year last,
// then deleted by the DfE.
func untilYear(s Severity, last Year) []YearSeverity {
	return []YearSeverity{{2000, s}, {last + 1, ""}}
}

// fromYear is a rule the DfE added in collection year first.
func fromYear(s Severity, first Year) []YearSeverity { return []YearSeverity{{first, s}} }

var dfeRulesB = map[string]RuleDef{
	// Episodes.
	"426": {"426", Episodes, "A child on short breaks cannot be under both V3 and V4 in the same year", always(Error)},
	"446": {"446", Episodes, "Placement order (E1) is not a legal status for an episode starting before December 2005", always(Error)},
	"451": {"451", Episodes, "The child is still freed for adoption (open D1 episode), but freeing orders ended on 30 December 2005", untilYear(Error, 2024)},
	"516": {"516", Episodes, "Special guardianship to former foster carers (E45, E46) needs a foster placement (U1 to U6) in the last episode", always(Error)},

	// Adoption: the decision to place (PlacedAdoption) against the episodes.
	"551": {"551", Episodes, "Placed for adoption (A3 to A6), but there is no date of the decision that the child should be placed for adoption", always(Error)},
	"552": {"552", PlacedAdoption, "Date of the decision to place for adoption is after the date the child was first placed for adoption", always(Error)},
	"553": {"553", Episodes, "Placement order granted (E1), but there is no decision that the child should be placed for adoption, or it is recorded as reversed while the order is open", always(Error)},
	"554": {"554", PlacedAdoption, "Date of the decision to place for adoption is after the placement order (first E1 episode) was granted", always(Error)},
	"555": {"555", Episodes, "Freeing order granted (D1), but there is no decision that the child should be placed for adoption, or it is recorded as reversed while the order is open", untilYear(Error, 2024)},
	"556": {"556", Episodes, "Date of the decision to place for adoption is after the freeing order (D1) was granted", untilYear(Error, 2024)},
	"579": {"579", PlacedAdoption, "A new decision to place for adoption starts while the previous one is still open, or before it was reversed", always(Error)},

	// AD1.
	"517": {"517", AD1, "Legal status of adopters L3 needs sex of adopters MF", always(Error)},
	"524": {"524", AD1, "Legal status of adopters L12 needs sex of adopters MM or FF", always(Error)},
	"601": {"601", AD1, "The child was adopted in the year, but an adoption item (AD1) is blank", always(Error)},
	"602": {"602", AD1, "Adoption details (AD1) are given, but the episodes do not show the child adopted (E11, E12) in the year", always(Error)},

	// PrevPerm.
	"634": {"634", PrevPerm, "Previous permanence is given, but the child did not start to be looked after in the year", always(Error)},

	// OC2.
	"543": {"543", OC2, "A child of 10 or over at 31 March looked after for 12 months needs the conviction item", always(Error)},
	"544": {"544", OC2, "Conviction is given, so immunisations, teeth check, health assessment and substance misuse must be given too", always(Error)},
	"547": {"547", OC2, "Health check is given, so immunisations, teeth check, health assessment and substance misuse must be given too", always(Error)},

	// Missing.
	"566": {"566", Missing, "The missing period has an end date, but whether the child was missing or away without authorisation is blank", always(Error)},
	"575": {"575", Missing, "The placement the child went missing from has ended, but the missing period has no end date", always(Error)},
	"580": {"580", Episodes, "The child was missing when they ceased to be looked after at 18, but the reason episode ceased is not E8", always(Error)},
	"581": {"581", Missing, "The missing period starts when the child was not looked after (before, between or after their episodes)", always(Error)},

	// Header: motherhood.
	// MOTHER is a value-level item that changes nothing Hearth records for
	// the child: a query, so a return is not refused for it.
	"607": {"607", Header, "A girl ceased to be looked after in the year, but whether she is a mother (MOTHER) is blank", always(Query)},
	"620": {"620", Header, "The child is recorded as a mother but was under 11 at the start of the year", always(Error)},
	"625": {"625", Header, "Date of birth of the mother's child is after the end of the year or after the child ceased to be looked after", always(Error)},
	"628": {"628", Header, "Motherhood details are given for a care leaver (OC3) who was not looked after in the year", always(Error)},

	// Deprivation of liberty orders, from 2026/27.
	"700": {"700", DoLo, "Date the deprivation of liberty order started is not a valid date", fromYear(Error, 2027)},
	"701": {"701", DoLo, "Date the deprivation of liberty order ended is not a valid date", fromYear(Error, 2027)},
	"702": {"702", DoLo, "The deprivation of liberty order ends on or before the date it started", fromYear(Error, 2027)},
	"703": {"703", DoLo, "The deprivation of liberty order started after the end of the collection year", fromYear(Error, 2027)},
	"704": {"704", DoLo, "The deprivation of liberty order ended before the start or after the end of the collection year", fromYear(Error, 2027)},
	"705": {"705", DoLo, "A deprivation of liberty order starts while the child's previous one is still open, or before it started", fromYear(Error, 2027)},
	"707": {"707", DoLo, "The child ceased to be looked after, but a deprivation of liberty order has no end date or ends after care did", fromYear(Error, 2027)},
	"708": {"708", DoLo, "The deprivation of liberty order starts on or before the child's date of birth", fromYear(Error, 2027)},
	"710": {"710", DoLo, "A child under a deprivation of liberty order cannot be in a secure children's home, with parents, in custody or in supported accommodation (K1, P1, R5, K3)", fromYear(Error, 2027)},

	// Social worker episodes, from 2023/24.
	"SW01":  {"SW01", SWEpisodes, "The child is looked after at 31 March, but no social worker episode is given", fromYear(Error, 2024)},
	"SW01a": {"SW01a", SWEpisodes, "A social worker episode that began before 1 April 2023 needs the social worker's identifier and the start date", fromYear(Error, 2025)},
	"SW01b": {"SW01b", SWEpisodes, "A social worker episode from 1 April 2023 needs the identifier, the start date and the reason for the change", fromYear(Error, 2025)},
	"SW02":  {"SW02", SWEpisodes, "Social worker identifier does not begin with SW or XX", fromYear(Error, 2024)},
	"SW03":  {"SW03", SWEpisodes, "A social worker episode needs the identifier, the start date and the reason for the change", fromYear(Error, 2024)},
	"SW04":  {"SW04", SWEpisodes, "Date the social worker episode began is not a valid date", fromYear(Error, 2024)},
	"SW05":  {"SW05", SWEpisodes, "Date the social worker episode ended is not a valid date", fromYear(Error, 2024)},
	"SW06":  {"SW06", SWEpisodes, "The social worker episode starts after the end of the collection year", fromYear(Error, 2024)},
	"SW07":  {"SW07", SWEpisodes, "The social worker episode ended before the start or after the end of the collection year", fromYear(Error, 2024)},
	"SW08":  {"SW08", SWEpisodes, "A new social worker episode has started, but the previous one has not ended", fromYear(Error, 2024)},
	"SW09":  {"SW09", SWEpisodes, "The social worker episode appears to have lasted less than 24 hours", fromYear(Query, 2024)},
	"SW10":  {"SW10", SWEpisodes, "The next social worker episode does not start within 7 days of the end of the previous one", fromYear(Query, 2024)},
	"SW10a": {"SW10a", SWEpisodes, "The next social worker episode (not a first contact, FCONTA) does not start within 7 days of the end of the previous one", fromYear(Query, 2026)},
	"SW10b": {"SW10b", SWEpisodes, "A social worker episode of first contact (FCONTA) starts before the previous one has ended", fromYear(Error, 2026)},
	"SW11":  {"SW11", SWEpisodes, "The social worker episode ended before 31 March and no later social worker episode is given", fromYear(Query, 2024)},
	"SW11a": {"SW11a", SWEpisodes, "The social worker episode ended before 31 March and the next one does not start within 5 days", fromYear(Query, 2024)},
	"SW11b": {"SW11b", SWEpisodes, "The social worker episode ended in the last 5 days before 31 March and no later social worker episode is given", fromYear(Query, 2024)},
	"SW12":  {"SW12", SWEpisodes, "The child is looked after on 31 March, but their social worker episodes do not cover the whole year from 1 April (they are reported even while the child was not looked after)", fromYear(Query, 2024)},
	"SW13":  {"SW13", SWEpisodes, "Reason for the social worker change is not a valid code", fromYear(Error, 2024)},
	"SW14":  {"SW14", SWEpisodes, "Date the social worker episode ended is blank, but it is not the child's latest episode", fromYear(Error, 2024)},
	"SW15":  {"SW15", SWEpisodes, "Reason for the social worker change is missing", fromYear(Query, 2025)},
	"SW17":  {"SW17", SWEpisodes, "There is no social worker episode open at 31 March (the latest has an end date)", fromYear(Query, 2026)},
	"SW18":  {"SW18", SWEpisodes, "The social worker episode ends on or before the day it started", fromYear(Error, 2026)},
	"SW19":  {"SW19", SWEpisodes, "Two social worker episodes of the child start on the same day", fromYear(Error, 2026)},

	// The reference's cross-table integrity checks: a child in a table is
	// in Header (INT01 to INT09), with the same date of birth (INT11 to
	// INT18) and sex (INT21), and is in a table once (INT31 to INT36).
	"INT01": {"INT01", AD1, "A child in AD1 is not in Header", always(Error)},
	"INT02": {"INT02", PlacedAdoption, "A child in PlacedAdoption is not in Header", always(Error)},
	"INT03": {"INT03", Episodes, "A child in Episodes is not in Header", always(Error)},
	"INT04": {"INT04", Missing, "A child in Missing is not in Header", always(Error)},
	"INT05": {"INT05", OC2, "A child in OC2 is not in Header", always(Error)},
	"INT06": {"INT06", OC3, "A child in OC3 is not in Header", always(Error)},
	"INT07": {"INT07", PrevPerm, "A child in PrevPerm is not in Header", always(Error)},
	"INT08": {"INT08", Reviews, "A child in Reviews is not in Header", always(Error)},
	"INT09": {"INT09", UASC, "A child in UASC is not in Header", always(Error)},
	"INT11": {"INT11", AD1, "AD1 gives the child a different date of birth from Header", always(Error)},
	"INT12": {"INT12", PlacedAdoption, "PlacedAdoption gives the child a different date of birth from Header", always(Error)},
	"INT13": {"INT13", Missing, "Missing gives the child a different date of birth from Header", always(Error)},
	"INT14": {"INT14", OC2, "OC2 gives the child a different date of birth from Header", always(Error)},
	"INT15": {"INT15", OC3, "OC3 gives the child a different date of birth from Header", always(Error)},
	"INT16": {"INT16", PrevPerm, "PrevPerm gives the child a different date of birth from Header", always(Error)},
	"INT17": {"INT17", Reviews, "Reviews gives the child a different date of birth from Header", always(Error)},
	"INT18": {"INT18", UASC, "UASC gives the child a different date of birth from Header", always(Error)},
	"INT21": {"INT21", UASC, "UASC gives the child a different sex from Header", always(Error)},
	"INT31": {"INT31", AD1, "A child is in AD1 more than once", always(Error)},
	"INT32": {"INT32", Header, "A child is in Header more than once", always(Error)},
	"INT33": {"INT33", OC2, "A child is in OC2 more than once", always(Error)},
	"INT34": {"INT34", OC3, "A child is in OC3 more than once", always(Error)},
	"INT35": {"INT35", PrevPerm, "A child is in PrevPerm more than once", always(Error)},
	"INT36": {"INT36", UASC, "A child is in UASC more than once", always(Error)},
}

// intMissing, intDOB: the INT rule for a table's child not in Header, and
// for its different date of birth. SWEpisodes and DoLo have none: Hearth
// checks them under no code.
var (
	intMissing = map[Table]string{AD1: "INT01", PlacedAdoption: "INT02", Episodes: "INT03", Missing: "INT04", OC2: "INT05",
		OC3: "INT06", PrevPerm: "INT07", Reviews: "INT08", UASC: "INT09"}
	intDOB = map[Table]string{AD1: "INT11", PlacedAdoption: "INT12", Missing: "INT13", OC2: "INT14", OC3: "INT15",
		PrevPerm: "INT16", Reviews: "INT17", UASC: "INT18"}
)

// notRunB are the rules of this range that need last year's return, which
// Hearth is not given with this one.
var notRunB = map[string]string{
	"452": "needs last year's return (placement LA of its last episode) and the ONS postcode directory",
	"502": "needs last year's return (its open episode)", "559": "needs last year's return (PlacedAdoption)",
	"560": "needs last year's return (PlacedAdoption)", "561": "needs last year's return (PlacedAdoption)",
	"562": "needs last year's return (its last episode)", "626": "needs last year's return (Header MOTHER)",
	"706": "needs last year's return (DoLo)", "SW16a": "needs last year's return (its open social worker episode)",
	"SW16b": "needs last year's return (its open social worker episode)", "SW16c": "needs last year's return (its open social worker episode)",
}

func init() {
	for k, d := range dfeRulesB {
		if _, dup := Rules[k]; dup {
			panic("ssda903: rule " + k + " defined twice")
		}
		Rules[k] = d
	}
	for k, why := range notRunB {
		NotRun[k] = why
	}
}

func isAdoptPlace(place string) bool {
	return place == "A3" || place == "A4" || place == "A5" || place == "A6"
}

// hasTable says whether the return gave a file of the table, even one with
// no rows: the rules that look for a child's row in it apply only then.
func (r *Return) hasTable(t Table) bool {
	if len(r.raw[t]) > 0 {
		return true
	}
	for _, f := range r.Files {
		if f.Table == t {
			return true
		}
	}
	return false
}

// checkDfEB runs the rules above. byChild holds each child's episodes in
// date order (checkDfE sorted them); started is when each child's care open
// at 31 March began (careStart).
func (r *Return) checkDfEB(dob map[string]time.Time, byChild map[string][]*EpisodeRow, started map[string]time.Time) {
	y := r.Year
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	placed := map[string][]rawRow{}
	for _, row := range r.raw[PlacedAdoption] {
		placed[row.v["CHILD"]] = append(placed[row.v["CHILD"]], row)
	}
	hasPA := r.hasTable(PlacedAdoption)
	missing := map[string][]MissingRow{}
	for _, m := range r.Missing {
		missing[m.Child] = append(missing[m.Child], m)
	}
	ceasedInYear := map[string]bool{} // a girl's MOTHER is asked then (607)
	adoptedInYear := map[string]bool{}
	lastDEC := map[string]time.Time{}
	for child, eps := range byChild {
		v3, v4 := false, false
		var firstAdopt, firstE1 *EpisodeRow
		for _, e := range eps {
			v3, v4 = v3 || e.LS == "V3", v4 || e.LS == "V4"
			if e.LS == "E1" && e.DECOM.Before(time.Date(2005, 12, 1, 0, 0, 0, 0, time.UTC)) {
				r.rule("446", e.Where, "LS", "E1", "placement orders (E1) began in December 2005; this episode began %s", fmtDate(e.DECOM))
			}
			if e.LS == "D1" && e.DEC == nil && e.REC == "" {
				r.rule("451", e.Where, "LS", "D1", "the episode under a freeing order is still open; freeing orders ended on 30 December 2005")
			}
			if (e.REC == "E45" || e.REC == "E46") && !isFoster(e.Place) {
				r.rule("516", e.Where, "PLACE", e.Place, "special guardianship to former foster carers (%s) is from a foster placement (U1 to U6), not %s", e.REC, e.Place)
			}
			if isAdoptPlace(e.Place) && firstAdopt == nil {
				firstAdopt = e
			}
			if e.LS == "E1" && firstE1 == nil {
				firstE1 = e
			}
			if e.DEC != nil {
				if t, ok := lastDEC[child]; !ok || e.DEC.After(t) {
					lastDEC[child] = *e.DEC
				}
				inYear := !e.DEC.Before(y.Start()) && !e.DEC.After(y.End())
				if inYear && e.REC != "" && e.REC != "X1" && e.LS != "V3" && e.LS != "V4" {
					ceasedInYear[child] = true
				}
				if inYear && (e.REC == "E11" || e.REC == "E12") {
					adoptedInYear[child] = true
				}
			}
			pas := placed[child]
			decided := false
			for _, p := range pas {
				if p.v["DATE_PLACED"] != "" {
					decided = true
				}
			}
			if hasPA && isAdoptPlace(e.Place) && !decided {
				r.rule("551", e.Where, "PLACE", e.Place, "the child was placed for adoption; give the date of the decision that they should be (PlacedAdoption DATE_PLACED)")
			}
			for _, o := range []struct{ ls, rule string }{{"E1", "553"}, {"D1", "555"}} {
				if e.LS != o.ls || !hasPA {
					continue
				}
				if len(pas) == 0 {
					r.rule(o.rule, e.Where, "LS", o.ls, "the order (%s) is granted, but PlacedAdoption has no decision that the child should be placed for adoption", o.ls)
				}
				if e.DEC == nil {
					for _, p := range pas {
						if p.v["DATE_PLACED_CEASED"] != "" || p.v["REASON_PLACED_CEASED"] != "" {
							r.rule(o.rule, p.Where, "DATE_PLACED_CEASED", p.v["DATE_PLACED_CEASED"], "the order (%s, %s line %d) is still open, so the decision was not reversed", o.ls, e.File, e.Line)
						}
					}
				}
			}
			// 557: the child left care, not adopted, from a placement for
			// adoption or under a placement or freeing order: the decision to
			// place was reversed, so its date and reason are given.
			if hasPA && (isAdoptPlace(e.Place) || e.LS == "D1" || e.LS == "E1") && e.REC != "" && e.REC != "X1" && e.REC != "E11" && e.REC != "E12" {
				if len(pas) == 0 {
					r.rule("557", e.Where, "REC", e.REC, "the child left care without being adopted; PlacedAdoption has no decision to place for adoption, with the date it was reversed and why")
				}
				for _, p := range pas {
					if p.v["DATE_PLACED_CEASED"] == "" || p.v["REASON_PLACED_CEASED"] == "" {
						r.rule("557", p.Where, "DATE_PLACED_CEASED", p.v["DATE_PLACED_CEASED"], "the child left care (%s, %s line %d) without being adopted; give the date the decision was reversed and why", e.REC, e.File, e.Line)
					}
				}
			}
			if e.LS == "D1" {
				for _, p := range pas {
					if dp, ok := date(p.v["DATE_PLACED"]); ok && dp.After(e.DECOM) {
						r.rule("556", e.Where, "DECOM", fmtDate(e.DECOM), "the decision to place for adoption (%s, %s line %d) came after the freeing order", p.v["DATE_PLACED"], p.File, p.Line)
					}
				}
			}
		}
		if v3 && v4 {
			for _, e := range eps {
				if e.LS == "V3" || e.LS == "V4" {
					r.rule("426", e.Where, "LS", e.LS, "the child has short breaks under both V3 and V4; record them one way")
				}
			}
		}
		if firstAdopt != nil {
			// The latest decision to place must come on or before the child
			// was first placed for adoption.
			var latest *rawRow
			var latestOn time.Time
			for i, p := range placed[child] {
				if dp, ok := date(p.v["DATE_PLACED"]); ok && (latest == nil || dp.After(latestOn)) {
					latest, latestOn = &placed[child][i], dp
				}
			}
			if latest != nil && latestOn.After(firstAdopt.DECOM) {
				r.rule("552", latest.Where, "DATE_PLACED", latest.v["DATE_PLACED"], "after the child was first placed for adoption on %s (%s line %d)", fmtDate(firstAdopt.DECOM), firstAdopt.File, firstAdopt.Line)
			}
		}
		if firstE1 != nil {
			for _, p := range placed[child] {
				if dp, ok := date(p.v["DATE_PLACED"]); ok && dp.After(firstE1.DECOM) {
					r.rule("554", p.Where, "DATE_PLACED", p.v["DATE_PLACED"], "after the placement order was granted (%s, %s line %d)", fmtDate(firstE1.DECOM), firstE1.File, firstE1.Line)
				}
			}
		}
		// Missing periods against the episodes.
		for _, m := range missing[child] {
			if m.Start.IsZero() {
				continue
			}
			within := false
			for _, e := range eps {
				if !m.Start.Before(e.DECOM) && (e.DEC == nil || !m.Start.After(*e.DEC)) {
					within = true
					if e.DEC != nil && m.End == nil {
						r.rule("575", m.Where, "MIS_END", "", "the episode the child went missing from (%s line %d) ended on %s", e.File, e.Line, fmtDate(*e.DEC))
					}
				}
			}
			if !within {
				r.rule("581", m.Where, "MIS_START", fmtDate(m.Start), "the child was not looked after on that day")
			}
			if d, ok := dob[child]; ok && !d.IsZero() && m.End != nil && m.End.Equal(d.AddDate(18, 0, 0)) {
				for _, e := range eps {
					if e.DEC != nil && e.DEC.Equal(*m.End) && e.REC != "E8" {
						r.rule("580", e.Where, "REC", e.REC, "the child was missing until their 18th birthday, the day care ended; use E8")
					}
				}
			}
		}
	}
	for _, rows := range placed {
		sort.SliceStable(rows, func(a, b int) bool {
			da, _ := date(rows[a].v["DATE_PLACED"])
			db, _ := date(rows[b].v["DATE_PLACED"])
			return da.Before(db)
		})
		for k := 1; k < len(rows); k++ {
			prev, cur := rows[k-1], rows[k]
			dp, ok := date(cur.v["DATE_PLACED"])
			if !ok {
				continue
			}
			ceased, done := date(prev.v["DATE_PLACED_CEASED"])
			if !done || dp.Before(ceased) {
				r.rule("579", cur.Where, "DATE_PLACED", cur.v["DATE_PLACED"], "the decision on line %d (from %s) had not been reversed by then", prev.Line, prev.v["DATE_PLACED"])
			}
		}
	}
	r.headerRulesB(ceasedInYear, lastDEC, byChild)
	r.otherTablesB(dob, byChild, started, adoptedInYear, lastDEC)
}

// headerRulesB checks MOTHER and MC_DOB against the year and the episodes.
func (r *Return) headerRulesB(ceasedInYear map[string]bool, lastDEC map[string]time.Time, byChild map[string][]*EpisodeRow) {
	y := r.Year
	leaver := map[string]bool{}
	for _, row := range r.raw[OC3] {
		if row.v["IN_TOUCH"] != "" || row.v["ACTIV"] != "" || row.v["ACCOM"] != "" {
			leaver[row.v["CHILD"]] = true
		}
	}
	for _, h := range r.Headers {
		if h.Sex == "F" && h.Mother == "" && ceasedInYear[h.Child] {
			r.rule("607", h.Where, "MOTHER", "", "she ceased to be looked after in %s; say whether she is a mother (1 or 0)", y)
		}
		if h.Mother == "1" && !h.DOB.IsZero() && ageOn(h.DOB, y.Start()) < 11 {
			r.rule("620", h.Where, "MOTHER", "1", "the child was %d on %s", ageOn(h.DOB, y.Start()), fmtDate(y.Start()))
		}
		if h.MCDOB != nil {
			if h.MCDOB.After(y.End()) {
				r.rule("625", h.Where, "MC_DOB", fmtDate(*h.MCDOB), "after the end of %s", y)
			} else if t, ok := lastDEC[h.Child]; ok && careEnded(byChild[h.Child]) && h.MCDOB.After(t) {
				r.rule("625", h.Where, "MC_DOB", fmtDate(*h.MCDOB), "after the child ceased to be looked after (%s)", fmtDate(t))
			}
		}
		if h.Mother != "" && leaver[h.Child] && len(byChild[h.Child]) == 0 {
			r.rule("628", h.Where, "MOTHER", h.Mother, "the young person is a care leaver (OC3) with no episode in the year; leave MOTHER blank")
		}
	}
}

// otherTablesB checks AD1, OC2, Missing, DoLo and SWEpisodes, and the INT
// duplicate checks of the tables Hearth keeps as given.
func (r *Return) otherTablesB(dob map[string]time.Time, byChild map[string][]*EpisodeRow, started map[string]time.Time, adoptedInYear map[string]bool, lastDEC map[string]time.Time) {
	y := r.Year
	end := y.End()
	for _, d := range []struct {
		t    Table
		rule string
	}{{AD1, "INT31"}, {OC3, "INT34"}, {PrevPerm, "INT35"}} {
		first := map[string]int{}
		for _, row := range r.raw[d.t] {
			c := row.v["CHILD"]
			if line, dup := first[c]; dup && c != "" {
				r.rule(d.rule, row.Where, "CHILD", c, "this child is already in %s (line %d)", d.t, line)
				continue
			}
			first[c] = row.Line
		}
	}
	for _, row := range r.raw[AD1] {
		v := row.v
		if v["LS_ADOPTR"] == "L3" && v["SEX_ADOPTR"] != "MF" {
			r.rule("517", row.Where, "SEX_ADOPTR", v["SEX_ADOPTR"], "L3 adopters are a couple of a man and a woman: MF")
		}
		if v["LS_ADOPTR"] == "L12" && v["SEX_ADOPTR"] != "MM" && v["SEX_ADOPTR"] != "FF" {
			r.rule("524", row.Where, "SEX_ADOPTR", v["SEX_ADOPTR"], "L12 adopters are a same-sex couple: MM or FF")
		}
		given := false
		for _, col := range []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"} {
			given = given || v[col] != ""
		}
		if given && !adoptedInYear[v["CHILD"]] && len(r.Episodes) > 0 {
			r.rule("602", row.Where, "CHILD", v["CHILD"], "no episode ends in %s with the child adopted (E11, E12)", y)
		}
		if adoptedInYear[v["CHILD"]] {
			for _, col := range []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"} {
				if v[col] == "" {
					r.rule("601", row.Where, col, "", "the child was adopted in %s; give every adoption item", y)
					break
				}
			}
		}
	}
	for _, row := range r.raw[OC2] {
		v, c := row.v, row.v["CHILD"]
		if d, ok := dob[c]; ok && !d.IsZero() && ageOn(d, end) >= 10 && v["CONVICTED"] == "" {
			if s, ok := started[c]; ok && !s.After(end.AddDate(-1, 0, 0)) {
				r.rule("543", row.Where, "CONVICTED", "", "the child was %d on %s and looked after for 12 months; give the conviction item", ageOn(d, end), fmtDate(end))
			}
		}
		others := v["IMMUNISATIONS"] == "" || v["TEETH_CHECK"] == "" || v["HEALTH_ASSESSMENT"] == "" || v["SUBSTANCE_MISUSE"] == ""
		if v["CONVICTED"] == "1" && others {
			r.rule("544", row.Where, "CONVICTED", "1", "give immunisations, teeth check, health assessment and substance misuse as well")
		}
		if v["HEALTH_CHECK"] == "1" && others {
			r.rule("547", row.Where, "HEALTH_CHECK", "1", "give immunisations, teeth check, health assessment and substance misuse as well")
		}
	}
	for _, row := range r.raw[PrevPerm] {
		v, c := row.v, row.v["CHILD"]
		eps := byChild[c]
		if (v["PREV_PERM"] != "" || v["LA_PERM"] != "" || v["DATE_PERM"] != "") && len(eps) > 0 && eps[len(eps)-1].DECOM.Before(y.Start()) {
			r.rule("634", row.Where, "PREV_PERM", v["PREV_PERM"], "the child's latest episode began on %s, before %s; previous permanence is recorded when care starts", fmtDate(eps[len(eps)-1].DECOM), y)
		}
	}
	for _, row := range r.raw[Missing] {
		if row.v["MIS_END"] != "" && row.v["MISSING"] == "" {
			r.rule("566", row.Where, "MISSING", "", "the missing period ended on %s; say whether the child was missing (M) or away without authorisation (A)", row.v["MIS_END"])
		}
	}
	r.doloRulesB(dob, byChild, lastDEC)
	r.swRulesB(byChild)
}

// doloRulesB checks the deprivation of liberty orders against the year,
// each other, the child's birth and the placements.
func (r *Return) doloRulesB(dob map[string]time.Time, byChild map[string][]*EpisodeRow, lastDEC map[string]time.Time) {
	y := r.Year
	type order struct {
		row        rawRow
		start, end time.Time
		open       bool
	}
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	orders := map[string][]order{}
	for _, row := range r.raw[DoLo] {
		c := row.v["CHILD"]
		start, ok := date(row.v["DOLO_START"])
		if !ok {
			continue
		}
		o := order{row: row, start: start, open: row.v["DOLO_END"] == ""}
		if e, ok := date(row.v["DOLO_END"]); ok {
			o.end = e
			if e.Before(y.Start()) || e.After(y.End()) {
				r.rule("704", row.Where, "DOLO_END", row.v["DOLO_END"], "outside %s (%s to %s)", y, fmtDate(y.Start()), fmtDate(y.End()))
			}
		} else if !o.open {
			continue // not a date: rule 701
		}
		if d, ok := dob[c]; ok && !d.IsZero() && !start.After(d) {
			r.rule("708", row.Where, "DOLO_START", row.v["DOLO_START"], "on or before the child's date of birth (%s)", fmtDate(d))
		}
		if t, ended := lastDEC[c]; ended && careEnded(byChild[c]) && (o.open || o.end.After(t)) {
			r.rule("707", row.Where, "DOLO_END", row.v["DOLO_END"], "the child ceased to be looked after on %s", fmtDate(t))
		}
		if !o.open {
			for _, e := range byChild[c] {
				if (e.DEC == nil || !start.After(*e.DEC)) && !o.end.Before(e.DECOM) {
					switch e.Place {
					case "K1", "P1", "R5", "K3":
						r.rule("710", row.Where, "DOLO_START", row.v["DOLO_START"], "the child was in placement %s (%s line %d) under the order", e.Place, e.File, e.Line)
					}
				}
			}
		}
		orders[c] = append(orders[c], o)
	}
	for _, os := range orders {
		sort.SliceStable(os, func(a, b int) bool { return os[a].start.Before(os[b].start) })
		for k := 1; k < len(os); k++ {
			prev, cur := os[k-1], os[k]
			if prev.open || cur.start.Before(prev.end) {
				r.rule("705", cur.row.Where, "DOLO_START", cur.row.v["DOLO_START"], "the order on line %d (from %s) had not ended", prev.row.Line, prev.row.v["DOLO_START"])
			}
		}
	}
}

// careEnded says whether the child's last episode ends their care.
func careEnded(eps []*EpisodeRow) bool {
	if len(eps) == 0 {
		return false
	}
	last := eps[len(eps)-1]
	return last.DEC != nil && last.REC != "" && last.REC != "X1"
}

// swRulesB checks each child's social worker episodes in date order.
func (r *Return) swRulesB(byChild map[string][]*EpisodeRow) {
	if !usedIn(SWEpisodes, r.Year) {
		return
	}
	y := r.Year
	type swEp struct {
		row        rawRow
		start, end time.Time
		open       bool
	}
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	byW := map[string][]swEp{}
	for _, row := range r.raw[SWEpisodes] {
		v := row.v
		if v["SW_ID"] == "" || v["SW_DECOM"] == "" || v["SW_REASON"] == "" {
			r.rule("SW03", row.Where, "SW_REASON", v["SW_REASON"], "give the social worker's identifier, the start date and the reason for the change")
		}
		start, ok := date(v["SW_DECOM"])
		sw2023 := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
		switch {
		case v["SW_DECOM"] == "":
			r.rule("SW01a", row.Where, "SW_DECOM", "", "give the date the social worker episode began")
			r.rule("SW01b", row.Where, "SW_DECOM", "", "give the date the social worker episode began")
		case ok && start.Before(sw2023) && v["SW_ID"] == "":
			r.rule("SW01a", row.Where, "SW_ID", "", "give the social worker's identifier")
		case ok && !start.Before(sw2023) && (v["SW_ID"] == "" || v["SW_REASON"] == ""):
			r.rule("SW01b", row.Where, "SW_REASON", v["SW_REASON"], "an episode from 1 April 2023 needs the social worker's identifier and the reason for the change")
		}
		if !ok {
			continue
		}
		if v["SW_REASON"] == "" && !start.Before(y.Start().AddDate(-1, 0, 0)) {
			r.rule("SW15", row.Where, "SW_REASON", "", "the episode began on %s; give the reason the social worker changed", v["SW_DECOM"])
		}
		e := swEp{row: row, start: start, open: v["SW_DEC"] == ""}
		if t, ok := date(v["SW_DEC"]); ok {
			e.end = t
			if t.Before(y.Start()) || t.After(y.End()) {
				r.rule("SW07", row.Where, "SW_DEC", v["SW_DEC"], "outside %s (%s to %s)", y, fmtDate(y.Start()), fmtDate(y.End()))
			}
			if t.Equal(start) {
				r.rule("SW09", row.Where, "SW_DEC", v["SW_DEC"], "the episode began and ended the same day")
				r.rule("SW18", row.Where, "SW_DEC", v["SW_DEC"], "the episode ends the day it began")
			}
		} else if !e.open {
			continue
		}
		byW[v["CHILD"]] = append(byW[v["CHILD"]], e)
	}
	if r.hasTable(SWEpisodes) {
		born := make(map[string]time.Time, len(r.Headers))
		for _, h := range r.Headers {
			born[h.Child] = h.DOB
		}
		for child, eps := range byChild {
			last := eps[len(eps)-1]
			if last.DEC != nil || last.LS == "V3" || last.LS == "V4" {
				continue
			}
			ws := byW[child]
			if len(ws) == 0 {
				r.rule("SW01", last.Where, "CHILD", child, "the child is looked after at 31 March; give their social worker episodes")
				continue
			}
			// SW12: looked after on 31 March, so the whole year's social
			// workers are reported, from 1 April (or birth, if later), even
			// before the child came into care. Gaps between episodes are
			// SW10's and SW11a's; this is the start of the year.
			from := y.Start()
			if dob, ok := born[child]; ok && dob.After(from) {
				from = dob
			}
			first := ws[0]
			for _, w := range ws[1:] {
				if w.start.Before(first.start) {
					first = w
				}
			}
			if first.start.After(from) {
				r.rule("SW12", first.row.Where, "SW_DECOM", first.row.v["SW_DECOM"], "the child is looked after on 31 March; their first social worker episode begins after %s: give the episodes from %s", fmtDate(from), fmtDate(from))
			}
		}
	}
	for _, ws := range byW {
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].start.Before(ws[b].start) })
		for k, w := range ws {
			if k+1 < len(ws) {
				next := ws[k+1]
				if next.start.Equal(w.start) {
					r.rule("SW19", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "the episode on line %d starts the same day", w.row.Line)
				}
				if n := days(w.end, next.start); !w.open && !w.end.After(y.End().AddDate(0, 0, -5)) && (n > 5 || n < -5) {
					r.rule("SW11a", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "the previous episode (line %d) ended on %s", w.row.Line, w.row.v["SW_DEC"])
				}
				if w.open {
					r.rule("SW08", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "the episode on line %d (from %s) has not ended", w.row.Line, w.row.v["SW_DECOM"])
					r.rule("SW14", w.row.Where, "SW_DEC", "", "a later social worker episode starts on %s (line %d); give the date this one ended", next.row.v["SW_DECOM"], next.row.Line)
				} else if n := days(w.end, next.start); n > 7 || n < -7 {
					r.rule("SW10", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "the previous episode (line %d) ended on %s", w.row.Line, w.row.v["SW_DEC"])
					if next.row.v["SW_REASON"] != "FCONTA" {
						r.rule("SW10a", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "the previous episode (line %d) ended on %s", w.row.Line, w.row.v["SW_DEC"])
					}
				}
				if !w.open && next.row.v["SW_REASON"] == "FCONTA" && !next.start.After(w.end) {
					r.rule("SW10b", next.row.Where, "SW_DECOM", next.row.v["SW_DECOM"], "a first contact starts after the previous episode (line %d) ended on %s", w.row.Line, w.row.v["SW_DEC"])
				}
				continue
			}
			if !w.open && w.end.Before(y.End()) {
				r.rule("SW11", w.row.Where, "SW_DEC", w.row.v["SW_DEC"], "no later social worker episode is given")
				// SW11a asks that the next episode follow within 5 days; an
				// episode ending in the year's last 5 days has no such
				// window left, so SW11b asks only that the next one be given.
				if !w.end.Before(y.End().AddDate(0, 0, -5)) {
					r.rule("SW11b", w.row.Where, "SW_DEC", w.row.v["SW_DEC"], "the episode ended on %s, within 5 days of 31 March, and no later social worker episode is given", w.row.v["SW_DEC"])
				}
			}
			if !w.open {
				r.rule("SW17", w.row.Where, "SW_DEC", w.row.v["SW_DEC"], "the child's latest social worker episode has ended")
			}
		}
	}
}
