package ssda903

import (
	"regexp"
	"sort"
	"time"
)

// The DfE's 903 rules that compare a child's episodes with each other, with
// the child's age, and with the other tables. Each is defined in dfeRules
// (code, table, the DfE's wording in Hearth's phrasing, error or query per
// year) and checked in checkDfE. None needs a look-up outside the return
// (postcode, Ofsted URN lists, last year's return): those are listed in
// NotRun with the reason.

var dfeRules = map[string]RuleDef{
	// Hearth's own field checks, run under the DfE code that covers them.
	"102": {"102", Header, "Date of birth is not a valid date", always(Error)},
	"104": {"104", UASC, "Date UASC status ceased is not a valid date", always(Error)},
	"112": {"112", AD1, "Date of the decision that the child should be placed for adoption is not a valid date", always(Error)},
	"113": {"113", AD1, "Date of matching the child and adopters is not a valid date", always(Error)},
	"114": {"114", AD1, "Whether adopted by former foster carers is not 0 or 1", always(Error)},
	"115": {"115", PlacedAdoption, "Date of the decision that the child should be placed for adoption is not a valid date", always(Error)},
	"116": {"116", PlacedAdoption, "Date of the decision that the child should no longer be placed for adoption is not a valid date", always(Error)},
	"120": {"120", PlacedAdoption, "Reason the decision to place for adoption was reversed is not a valid code", always(Error)},
	"131": {"131", OC3, "Being in touch after leaving care is not a valid code", always(Error)},
	"132": {"132", OC3, "Activity after leaving care is not a valid code", always(Error)},
	"133": {"133", OC3, "Accommodation after leaving care is not a valid code", always(Error)},
	"141": {"141", Episodes, "Date episode began is not a valid date", always(Error)},
	"147": {"147", Episodes, "Date episode ceased is not a valid date", always(Error)},
	"148": {"148", Episodes, "Date episode ceased and reason episode ceased must both be given, or both left blank", always(Error)},
	"165": {"165", Header, "Mother status is not 1, 0 or blank", always(Error)},
	"166": {"166", Reviews, "Date of review is not a valid date or is blank", always(Error)},
	"167": {"167", Reviews, "Participation in review is not a valid code or is blank", always(Error)},
	"168": {"168", Header, "Unique pupil number is not valid (it is left out; the return imports)", always(Query)},
	"175": {"175", AD1, "Number of adopters is not a valid code", always(Error)},
	"176": {"176", AD1, "Sex of adopters is not a valid code", always(Error)},
	"177": {"177", AD1, "Legal status of adopters is not a valid code", always(Error)},
	"181": {"181", OC2, "Items for children looked after for 12 months must be 0 or 1", always(Error)},
	"196": {"196", OC2, "Reason for no SDQ score is not a valid code", always(Error)},
	"356": {"356", Episodes, "Date episode ceased is before the date it began", always(Error)},
	"567": {"567", Missing, "Date the missing period ended is before the date it began", always(Error)},

	// Sequencing of a child's episodes.
	"217": {"217", Episodes, "Placed for adoption with current foster carers (A3, A5) needs a reason for new episode of S, T or U", always(Error)},
	"336": {"336", Episodes, "Placed for adoption with current foster carers (A3, A5) without a foster placement immediately before", always(Error)},
	"355": {"355", Episodes, "Episode appears to have lasted less than 24 hours", always(Query)},
	"357": {"357", Episodes, "The child's first episode must have reason for new episode S (started to be looked after)", always(Query)},
	"366": {"366", Episodes, "A child cannot change placement during one short-term respite break (V3 needs RNE S)", always(Error)},
	"380": {"380", Episodes, "A period of care cannot start with a temporary placement (T0 to T4 needs RNE P or B)", always(Error)},
	"381": {"381", Episodes, "A period of care cannot end with a temporary placement", always(Error)},
	"382": {"382", Episodes, "A child on short-term respite (V3, V4) cannot be in a temporary placement", always(Error)},
	"383": {"383", Episodes, "After a temporary placement the child must return to the placement they were in before it", always(Error)},
	"384": {"384", Episodes, "A child on short-term respite (V3, V4) cannot be in a long-term foster placement (U1, U4)", always(Error)},
	"390": {"390", Episodes, "Reason episode ceased is adopted (E11, E12) but the child was not placed for adoption (A3 to A6)", always(Error)},
	"408": {"408", Episodes, "Placed for adoption under a placement order (A5, A6) but no placement order (E1, D1) is recorded", always(Error)},
	"431": {"431", Episodes, "Reason for new episode is started to be looked after (S) but the previous episode ended on the same day or later", always(Error)},
	"432": {"432", Episodes, "The child ceased to be looked after at the end of the previous episode, but the new episode's reason is not S", always(Error)},
	"433": {"433", Episodes, "Reason for new episode says care continues, but the episode does not start the day the last one ended", always(Error)},
	"434": {"434", Episodes, "Reason for new episode is a change of legal status only (L), but the legal status did not change or the placement did", always(Error)},
	"435": {"435", Episodes, "Reason for new episode is a change of placement only (P, T), but the legal status changed", always(Error)},
	"436": {"436", Episodes, "Reason for new episode is a change of legal status and placement (B, U), but the legal status did not change", always(Error)},
	"437": {"437", Episodes, "Reason episode ceased is that the child died or was found to be 18 or over (E2, E15), but there are later episodes", always(Error)},

	// Legal statuses and temporary placements that have a legal or
	// regulatory maximum: plausibility, so queries.
	"361": {"361", Episodes, "Police protection (L1) lasted longer than the 72 hours the Children Act 1989 allows", always(Query)},
	"362": {"362", Episodes, "Emergency protection order (L2) lasted longer than 21 days", always(Query)},
	"363": {"363", Episodes, "Child assessment order (L3) lasted longer than the 7 days the Children Act 1989 allows", always(Query)},
	"364": {"364", Episodes, "Placed under PACE (J2) for longer than 21 days: PACE sections 41 to 46 limit detention in council accommodation", always(Query)},
	"365": {"365", Episodes, "An individual short-term respite break (V3) must not exceed 17 days", always(Query)},
	"367": {"367", Episodes, "Respite care (V3) exceeds 75 days in the year", always(Query)},
	"377": {"377", Episodes, "Only two temporary placements for the foster carer's holiday (T3) are allowed in a year", always(Query)},

	// Ages against legal status, placement and reason ceased.
	"358": {"358", Episodes, "A child on this legal status (J1, J2, J3) should not be under 10", always(Error)},
	"359": {"359", Episodes, "A child looked after past their 18th birthday must be accommodated under s20 (V2)", always(Error)},
	"378": {"378", Episodes, "A child placed with parents (P1) cannot be accommodated under a single period of s20 (V2)", always(Error)},
	"386": {"386", Episodes, "Reason episode ceased is adopted (E11, E12) but the child was 18 or over", always(Error)},
	"387": {"387", Episodes, "Reason episode ceased is independent living (E5, E6) but the child was under 14", always(Error)},
	"389": {"389", Episodes, "Reason episode ceased is a move to adult social care (E7) but the child was under 16", always(Error)},
	"441": {"441", Reviews, "Participation code says the child was 4 or over at the review (PN1 to PN7), but the child was under 4", always(Error)},

	// Header.
	"611":  {"611", Header, "The child is a mother (MOTHER 1) but the date of birth of her child is blank", always(Error)},
	"612":  {"612", Header, "Date of birth of the mother's child is given but MOTHER says the child is not a mother", always(Error)},
	"105":  {"105", UASC, "UASC status in the XML is not 1, 0 or blank", always(Error)},
	"197a": {"197a", OC2, "A reason for no SDQ score is not needed when the score is given (the reason is kept; the return imports)", always(Query)},
	"335":  {"335", AD1, "Adopted by former foster carers (FOSTER_CARE) does not match the last placement (A3, A5 with foster carers; A4, A6 not)", always(Error)},
	"388":  {"388", Episodes, "Reason episode ceased is X1 (a new episode begins), but there is no continuation episode (the return imports)", always(Query)},
	"633":  {"633", PrevPerm, "LA where the previous permanence order was made is not an LA code, NIR, SCO, WAL, NUK or 999", always(Error)},
	"399":  {"399", Header, "Reviews, MOTHER or OC2 given for a child whose episodes are all short-term breaks (V3, V4)", always(Error)},

	// OC2, OC3 and adoption.
	"189": {"189", OC2, "Child aged 17 or over at the start of the year but an SDQ score or reason is given", always(Error)},
	"158": {"158", OC2, "Intervention received for substance misuse, so whether one was offered must be blank", always(Error)},
	"159": {"159", OC2, "No intervention received for substance misuse, so whether one was offered must be given", always(Error)},
	"391": {"391", OC3, "Care leaver was not 17 to 21 in the collection year", always(Error)},
	"184": {"184", PlacedAdoption, "Date of the decision to place for adoption is before the child was born", always(Error)},
	"522": {"522", PlacedAdoption, "Date of the decision to place for adoption is after the date it was reversed", always(Error)},
	"523": {"523", AD1, "Date of the decision to place for adoption differs between AD1 and PlacedAdoption", always(Error)},
	"525": {"525", AD1, "The decision to place for adoption was reversed, but the child was adopted", always(Error)},

	"142":  {"142", Episodes, "A new episode has started, but the previous episode has not ended", always(Error)},
	"501":  {"501", Episodes, "A new episode has started before the end date of the previous episode", always(Error)},
	"217t": {"217t", Episodes, "Placement type P2 is not valid for placements from 28 October 2023", []YearSeverity{{2024, Error}, {2025, ""}}},
	"230":  {"230", Episodes, "Semi-independent living (H5) starting from 28 October 2023 needs an Ofsted URN", []YearSeverity{{2024, Error}, {2025, ""}}},
	"460":  {"460", Episodes, "Reason episode ceased is staying with current carers at 18 or over (E17), but the child was under 18", always(Error)},
	"232":  {"232", Header, "Sex is recorded as unknown (U)", []YearSeverity{{2025, Query}}},
	"209":  {"209", Header, "A child of school age should not have the unknown-UPN code UN1 (not of school age)", always(Error)},
	"210":  {"210", Header, "A child looked after for more than a week at 31 March should not have the unknown-UPN code UN4 (newly looked after)", always(Error)},
	"565":  {"565", Missing, "Whether the child was missing or away without authorisation is blank or not a valid code", always(Error)},
	"631":  {"631", PrevPerm, "Previous permanence option is not a valid code", always(Error)},
	"632":  {"632", PrevPerm, "Date of the previous permanence order is not a valid date", always(Error)},
	"635":  {"635", PrevPerm, "Date or LA of a previous permanence order given, but the previous permanence code is Z1 (none)", always(Error)},
	"151":  {"151", AD1, "All items about a child's adoption must be given, or all left blank", always(Error)},
	"511":  {"511", AD1, "Two adopters (NB_ADOPTR 2) need a couple's sex code (MM, FF or MF)", always(Error)},
	"514":  {"514", AD1, "Legal status of adopters is a single adopter (L0) but two adopters are given", always(Error)},
	"518":  {"518", AD1, "Legal status of adopters L4 needs sex of adopters MM or FF", always(Error)},
	"519":  {"519", AD1, "Legal status of adopters is a civil partnership couple (L2) but the sex of adopters is not a couple", always(Error)},
	"520":  {"520", AD1, "Legal status of adopters is a different-sex married couple (L11) but the sex of adopters is not MF", always(Error)},
	"521":  {"521", AD1, "Date of the decision to place for adoption must be on or before the date the child was matched", always(Error)},
	"117":  {"117", PlacedAdoption, "Date of a decision about placing for adoption is after the collection year or after the child ceased to be looked after", always(Error)},
	"119":  {"119", PlacedAdoption, "A decision that the child should no longer be placed for adoption needs both its date and its reason", always(Error)},
	"153":  {"153", OC3, "Activity and accommodation after leaving care must both be given, or both left blank", always(Error)},
	"215":  {"215", OC3, "A care leaver (OC3) has items for children looked after for 12 months (OC2)", always(Error)},
	"157":  {"157", OC2, "Reason for no SDQ is SDQ1 (under 4 or over 16) but the child was 4 to 16 in the year", always(Error)},
	"186":  {"186", OC2, "A child aged 4 to 16 looked after for 12 months should have an SDQ score or a reason for none", always(Query)},
	"188":  {"188", OC2, "Child aged under 4 at the end of the year but an SDQ score is given", always(Error)},
	"190":  {"190", OC2, "Child not looked after continuously for 12 months at 31 March, but OC2 items are given", always(Error)},
	"191":  {"191", OC2, "Child looked after continuously for 12 months at 31 March, but OC2 items are blank", always(Error)},
	"192":  {"192", OC2, "A substance misuse problem is identified but whether an intervention was received is blank", always(Error)},
	"193":  {"193", OC2, "No substance misuse problem is identified but whether an intervention was received or offered is given", always(Error)},

	"440": {"440", Reviews, "Participation code says the child was under 4 at the review (PN0), but the child was 4 or over", always(Error)},
	"442": {"442", Header, "Unique pupil number is not given (give the UPN or UN1 to UN5)", always(Query)},
	"344": {"344", OC3, "The young person died or went home for 6 months or more (DIED, RHOM), but activity or accommodation is given", always(Error)},
	"345": {"345", OC3, "The council is in touch with the young person (YES), but activity or accommodation is 0 (not known)", always(Error)},
	"542": {"542", OC2, "A child under 10 at 31 March should not have conviction information", always(Error)},
	"545": {"545", OC2, "A child under 5 at 31 March looked after for 12 months needs the health check (development assessment) item", always(Error)},
	"546": {"546", OC2, "A child 5 or over at 31 March should not have the health check (development assessment) item", always(Error)},

	"504": {"504", Episodes, "The category of need differs from the one at the start of the period of care", always(Error)},
	"557": {"557", PlacedAdoption, "The child left care without being adopted, but the decision to place for adoption has no date it was reversed", always(Error)},
	"558": {"558", PlacedAdoption, "The child was adopted, so the decision to place for adoption was not reversed: leave its date and reason blank", always(Error)},
	"709": {"709", DoLo, "A child under a deprivation of liberty order must be placed in K2, Z12 or Z13", []YearSeverity{{2027, Error}}},

	// Missing periods.
	"571": {"571", Missing, "The missing period ended before the start or after the end of the collection year", always(Error)},
	"574": {"574", Missing, "A missing period starts while the child's previous one is still open, or overlaps it", always(Error)},
	"577": {"577", Missing, "The child ceased to be looked after but a missing period has no end date", always(Error)},
	"578": {"578", Missing, "The missing period started after the child ceased to be looked after", always(Error)},
}

func init() {
	for k, d := range dfeRules {
		if _, dup := Rules[k]; dup {
			panic("ssda903: rule " + k + " defined twice")
		}
		Rules[k] = d
	}
}

// NotRun are the DfE rules Hearth does not check, and why: each needs
// something the return does not hold.
var NotRun = map[string]string{
	"164": "needs the ONS postcode directory (distance)", "169": "needs the ONS postcode directory (LA of placement)",
	"392c": "needs the ONS postcode directory", "398": "needs the ONS postcode directory (distance)",
	"411": "needs the ONS postcode directory (LA of placement)", "420": "needs the ONS postcode directory (LA of placement)",
	"453": "needs the ONS postcode directory (distance)", "1001": "needs Ofsted's provider lists",
	"1002": "needs Ofsted's provider lists", "1003": "needs Ofsted's provider lists", "1004": "needs Ofsted's provider lists",
	"1005": "needs Ofsted's provider lists", "1006": "needs Ofsted's provider lists", "1007": "needs Ofsted's provider lists",
	"1008": "needs Ofsted's provider lists", "1009": "needs Ofsted's provider lists", "1010": "needs Ofsted's provider lists",
	"1011": "needs Ofsted's provider lists", "1012": "needs Ofsted's provider lists", "1014": "needs Ofsted's provider lists",
	"1015": "needs Ofsted's provider lists",
	"202":  "needs last year's return", "208": "needs last year's return", "503A-J": "needs last year's return",
	"576": "needs last year's return",
}

// days between two days, counting whole days.
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

func isTemp(place string) bool {
	return len(place) == 2 && place[0] == 'T' && place[1] >= '0' && place[1] <= '4'
}

func isFoster(place string) bool {
	return len(place) == 2 && place[0] == 'U' && place[1] >= '1' && place[1] <= '6'
}

// checkDfE runs the rules above on a return whose Header is whole.
func (r *Return) checkDfE(dob map[string]time.Time) {
	y := r.Year
	end := y.End()
	byChild := map[string][]*EpisodeRow{}
	var order []string
	for i := range r.Episodes {
		e := &r.Episodes[i]
		if e.DECOM.IsZero() || e.Child == "" {
			continue
		}
		if _, ok := byChild[e.Child]; !ok {
			order = append(order, e.Child)
		}
		byChild[e.Child] = append(byChild[e.Child], e)
	}
	lastDEC := map[string]*time.Time{} // when the child's care ended, if it did
	allRespite := map[string]bool{}
	for _, child := range order {
		eps := byChild[child]
		sort.SliceStable(eps, func(a, b int) bool { return eps[a].DECOM.Before(eps[b].DECOM) })
		d, hasDOB := dob[child]
		hasDOB = hasDOB && !d.IsZero()
		age := func(on time.Time) int { return ageOn(d, on) }
		respiteDays, t3 := 0, 0
		periodCIN := ""
		allRespite[child] = true
		for k, e := range eps {
			var prev *EpisodeRow
			if k > 0 {
				prev = eps[k-1]
			}
			stop := end
			if e.DEC != nil {
				stop = *e.DEC
			}
			if e.LS != "V3" && e.LS != "V4" {
				allRespite[child] = false
			}
			r.episodeSequence(e, prev)
			if prev == nil || prev.DEC == nil || prev.REC != "X1" || !prev.DEC.Equal(e.DECOM) {
				periodCIN = e.CIN // a new period of care
			} else if e.CIN != "" && periodCIN != "" && e.CIN != periodCIN {
				r.rule("504", e.Where, "CIN", e.CIN, "the period of care began with category of need %s", periodCIN)
			}
			// Single-episode checks.
			if (e.Place == "A3" || e.Place == "A5") && !e.DECOM.Before(time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)) &&
				e.RNE != "" && e.RNE != "S" && e.RNE != "T" && e.RNE != "U" {
				r.rule("217", e.Where, "RNE", e.RNE, "placed for adoption with current foster carers (%s) is a new episode of S, T or U, not %s", e.Place, e.RNE)
			}
			if e.DEC != nil && e.DEC.Equal(e.DECOM) && e.REC == "X1" && !isTemp(e.Place) {
				r.rule("355", e.Where, "DEC", fmtDate(*e.DEC), "the episode began and ended on %s; check it is not a duplicate", fmtDate(e.DECOM))
			}
			if e.LS == "V3" && e.RNE != "" && e.RNE != "S" {
				r.rule("366", e.Where, "RNE", e.RNE, "each short-term break (V3) is its own episode, starting with S")
			}
			if isTemp(e.Place) && e.RNE != "" && e.RNE != "P" && e.RNE != "B" {
				r.rule("380", e.Where, "RNE", e.RNE, "a temporary placement (%s) is a change of placement (P or B), not %s", e.Place, e.RNE)
			}
			if isTemp(e.Place) && e.REC != "" && e.REC != "X1" {
				r.rule("381", e.Where, "REC", e.REC, "the child left care (%s) from a temporary placement (%s); record the usual placement", e.REC, e.Place)
			}
			if (e.LS == "V3" || e.LS == "V4") && isTemp(e.Place) {
				r.rule("382", e.Where, "PLACE", e.Place, "a short-term break (%s) takes no temporary placement", e.LS)
			}
			if (e.LS == "V3" || e.LS == "V4") && (e.Place == "U1" || e.Place == "U4") {
				r.rule("384", e.Where, "PLACE", e.Place, "a short-term break (%s) cannot be long-term fostering", e.LS)
			}
			if (e.REC == "E11" || e.REC == "E12") && e.Place != "A3" && e.Place != "A4" && e.Place != "A5" && e.Place != "A6" {
				r.rule("390", e.Where, "REC", e.REC, "adopted from placement type %s; the last placement before adoption is A3 to A6", e.Place)
			}
			if (e.Place == "A5" || e.Place == "A6") && e.LS != "" && e.LS != "E1" && e.LS != "D1" {
				r.rule("408", e.Where, "LS", e.LS, "placed for adoption under a placement order (%s) needs legal status E1 (or D1), not %s", e.Place, e.LS)
			}
			if e.Place == "P2" && !e.DECOM.Before(time.Date(2023, 10, 28, 0, 0, 0, 0, time.UTC)) {
				r.rule("217t", e.Where, "PLACE", "P2", "independent living (P2) is not a placement from 28 October 2023")
			}
			if e.Place == "H5" && e.URN == "" && !e.URNUnknown && !e.DECOM.Before(time.Date(2023, 10, 28, 0, 0, 0, 0, time.UTC)) {
				r.rule("230", e.Where, "URN", "", "semi-independent living (H5) from 28 October 2023 is registered; give its Ofsted URN")
			}
			if e.Place == "P1" && e.LS == "V2" {
				r.rule("378", e.Where, "LS", "V2", "a child placed with parents (P1) is not accommodated under s20 (V2)")
			}
			if e.LS == "V3" {
				n := days(e.DECOM, stop)
				if n > 17 {
					r.rule("365", e.Where, "DEC", fmtDate(stop), "the short-term break lasted %d days", n)
				}
				from := e.DECOM
				if from.Before(y.Start()) {
					from = y.Start()
				}
				if !stop.Before(from) {
					respiteDays += days(from, stop)
				}
			}
			if e.Place == "T3" && !e.DECOM.Before(y.Start()) {
				t3++
				if t3 == 3 {
					r.rule("377", e.Where, "PLACE", "T3", "this is the child's third T3 placement in %s", y)
				}
			}
			if hasDOB {
				switch {
				case (e.LS == "J1" || e.LS == "J2" || e.LS == "J3") && age(e.DECOM) < 10:
					r.rule("358", e.Where, "LS", e.LS, "the child was %d at the start of this episode", age(e.DECOM))
				}
				if e.DEC != nil {
					a := age(*e.DEC)
					switch {
					case (e.REC == "E11" || e.REC == "E12") && a >= 18:
						r.rule("386", e.Where, "REC", e.REC, "the child was %d when adopted", a)
					case (e.REC == "E5" || e.REC == "E6") && a < 14:
						r.rule("387", e.Where, "REC", e.REC, "the child was %d when they moved to independent living", a)
					case e.REC == "E17" && a < 18:
						r.rule("460", e.Where, "REC", e.REC, "the child was %d; E17 is for a young person of 18 or over", a)
					case e.REC == "E7" && a < 16:
						r.rule("389", e.Where, "REC", e.REC, "the child was %d when they moved to adult social care", a)
					}
				}
				if e.DEC == nil && age(end) >= 18 && e.LS != "V2" && e.LS != "" {
					r.rule("359", e.Where, "LS", e.LS, "the child is %d at the end of the year and still looked after; after 18 that is only under s20(5) (V2)", age(end))
				}
			}
		}
		if respiteDays > 75 {
			last := eps[len(eps)-1]
			r.rule("367", last.Where, "LS", "V3", "%d days of respite in %s", respiteDays, y)
		}
		r.statusDurations(eps)
		last := eps[len(eps)-1]
		if last.DEC != nil && last.REC != "X1" {
			lastDEC[child] = last.DEC
		}
	}
	r.checkDfEA(byChild, dob) // part A's rules (dferules_a.go)
	r.checkTables(dob, lastDEC, allRespite)
	started := careStart(byChild)
	r.moreTables(dob, started, lastDEC)
	r.checkDfEB(dob, byChild, started)
}

// episodeSequence checks an episode against the one before and after it.
func (r *Return) episodeSequence(e, prev *EpisodeRow) {
	if prev == nil {
		if !e.DECOM.Before(r.Year.Start()) && e.RNE != "" && e.RNE != "S" {
			r.rule("357", e.Where, "RNE", e.RNE, "the child's first episode in the return starts in the year; if none came before, its reason is S")
		}
		return
	}
	cont := prev.DEC != nil && prev.REC == "X1"
	left := prev.DEC != nil && prev.REC != "" && prev.REC != "X1"
	switch {
	case e.RNE == "S" && prev.DEC != nil && !prev.DEC.Before(e.DECOM):
		r.rule("431", e.Where, "RNE", "S", "the previous episode (line %d) ended %s, the day this one started", prev.Line, fmtDate(*prev.DEC))
	case left && e.RNE != "S" && e.RNE != "":
		r.rule("432", e.Where, "RNE", e.RNE, "the child left care (%s) at the end of the previous episode (line %d), so this one starts with S", prev.REC, prev.Line)
	case e.RNE != "S" && e.RNE != "" && prev.DEC != nil && !prev.DEC.Equal(e.DECOM):
		r.rule("433", e.Where, "DECOM", fmtDate(e.DECOM), "reason %s continues care, but the previous episode (line %d) ended %s", e.RNE, prev.Line, fmtDate(*prev.DEC))
	}
	if cont {
		// A blank postcode or URN (or one not known, XXXXXXX) says nothing
		// about whether the placement changed.
		same := func(a, b string) bool { return a == b || a == "" || b == "" }
		samePlace := e.Place == prev.Place && e.Provider == prev.Provider && same(e.PlacePost, prev.PlacePost) && same(e.URN, prev.URN)
		switch e.RNE {
		case "L":
			if e.LS == prev.LS || !samePlace {
				r.rule("434", e.Where, "RNE", "L", "legal status %s to %s, placement %s to %s", prev.LS, e.LS, prev.Place, e.Place)
			}
		case "P", "T":
			switch {
			case e.LS != prev.LS:
				r.rule("435", e.Where, "RNE", e.RNE, "the legal status changed from %s to %s; use B or U", prev.LS, e.LS)
			case unchanged(e, prev):
				r.rule("435", e.Where, "RNE", e.RNE, "placement, provider, postcode and URN are those of the previous episode (line %d); the placement did not change", prev.Line)
			}
		case "B", "U":
			switch {
			case e.LS == prev.LS:
				r.rule("436", e.Where, "RNE", e.RNE, "the legal status stayed %s; use P or T", e.LS)
			case unchanged(e, prev):
				r.rule("436", e.Where, "RNE", e.RNE, "placement, provider, postcode and URN are those of the previous episode (line %d); use L", prev.Line)
			}
		}
		if (e.Place == "A3" || e.Place == "A5") && (e.RNE == "T" || e.RNE == "U") && !isFoster(prev.Place) && prev.Place != e.Place {
			r.rule("336", e.Where, "PLACE", e.Place, "the placement before (line %d) was %s, not foster care", prev.Line, prev.Place)
		}
	}
	if prev.REC == "E2" || prev.REC == "E15" {
		r.rule("437", prev.Where, "REC", prev.REC, "the child has a later episode (line %d)", e.Line)
	}
}

// unchanged says whether an episode is plainly the previous one's placement
// (435, 436): the same type and provider, and the same placement postcode
// and Ofsted URN, both given. As for 434, a blank postcode or URN (or one
// not known, XXXXXXX) says nothing about whether the placement changed, so
// it never makes two placements the same: a foster placement carries no
// URN, and two carers of one type and provider differ only by postcode.
func unchanged(e, prev *EpisodeRow) bool {
	return e.Place == prev.Place && e.Provider == prev.Provider && e.PlacePost != "" && e.PlacePost == prev.PlacePost &&
		e.URN != "" && e.URN == prev.URN
}

// statusDurations sums runs of consecutive episodes under a time-limited
// legal status (361 to 364), and checks that a temporary placement returns
// the child to where they were (383).
func (r *Return) statusDurations(eps []*EpisodeRow) {
	end := r.Year.End()
	limits := []struct {
		ls, rule string
		max      int
	}{{"L1", "361", 3}, {"L2", "362", 21}, {"L3", "363", 7}, {"J2", "364", 21}}
	for _, l := range limits {
		for k := 0; k < len(eps); k++ {
			if eps[k].LS != l.ls {
				continue
			}
			j := k
			for j+1 < len(eps) && eps[j+1].LS == l.ls && eps[j].DEC != nil && eps[j].DEC.Equal(eps[j+1].DECOM) {
				j++
			}
			stop := end
			if eps[j].DEC != nil {
				stop = *eps[j].DEC
			}
			if n := days(eps[k].DECOM, stop); n > l.max {
				for i := k; i <= j; i++ {
					r.rule(l.rule, eps[i].Where, "LS", l.ls, "%s from %s to %s is %d days; the most is %d", l.ls, fmtDate(eps[k].DECOM), fmtDate(stop), n, l.max)
				}
			}
			k = j
		}
	}
	for k := 1; k+1 < len(eps); k++ {
		before, t, after := eps[k-1], eps[k], eps[k+1]
		if !isTemp(t.Place) || isTemp(before.Place) || t.REC != "X1" || before.REC != "X1" || after.RNE != "P" && after.RNE != "B" && after.RNE != "T" && after.RNE != "U" {
			continue
		}
		if after.Place != before.Place || after.Provider != before.Provider || after.PlacePost != before.PlacePost {
			r.rule("383", after.Where, "PLACE", after.Place, "after the temporary placement (line %d) the child went to %s %s, not back to %s %s (line %d)",
				t.Line, after.Place, after.Provider, before.Place, before.Provider, before.Line)
		}
	}
}

// checkTables runs the rules on the other tables, against Header and the
// episodes.
func (r *Return) checkTables(dob map[string]time.Time, careEnded map[string]*time.Time, allRespite map[string]bool) {
	y := r.Year
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	reviewed, hasOC2 := map[string]bool{}, map[string]bool{}
	for _, v := range r.Reviews {
		reviewed[v.Child] = true
		d, ok := dob[v.Child]
		if ok && !d.IsZero() && !v.On.IsZero() && v.Code == "PN0" && ageOn(d, v.On) >= 4 {
			r.rule("440", v.Where, "REVIEW_CODE", v.Code, "the child was %d at the review on %s; PN0 is for a child under 4", ageOn(d, v.On), fmtDate(v.On))
		}
		if ok && !d.IsZero() && !v.On.IsZero() && v.Code != "" && v.Code != "PN0" && ageOn(d, v.On) < 4 {
			r.rule("441", v.Where, "REVIEW_CODE", v.Code, "the child was %d at the review on %s; use PN0 for a child under 4", ageOn(d, v.On), fmtDate(v.On))
		}
	}
	for _, row := range r.raw[OC2] {
		c := row.v["CHILD"]
		hasOC2[c] = true
		if d, ok := dob[c]; ok && !d.IsZero() && ageOn(d, y.Start()) >= 17 && (row.v["SDQ_SCORE"] != "" || row.v["SDQ_REASON"] != "") {
			r.rule("189", row.Where, "SDQ_SCORE", row.v["SDQ_SCORE"]+row.v["SDQ_REASON"], "the child was %d on %s; an SDQ is for children under 17", ageOn(d, y.Start()), fmtDate(y.Start()))
		}
		switch rec, off := row.v["INTERVENTION_RECEIVED"], row.v["INTERVENTION_OFFERED"]; {
		case rec == "1" && off != "":
			r.rule("158", row.Where, "INTERVENTION_OFFERED", off, "an intervention was received, so leave whether one was offered blank")
		case rec == "0" && off == "":
			r.rule("159", row.Where, "INTERVENTION_OFFERED", "", "no intervention was received; say whether one was offered (0 or 1)")
		}
	}
	for _, h := range r.Headers {
		if h.MCDOB != nil && h.Mother != "1" {
			r.rule("612", h.Where, "MOTHER", h.Mother, "MC_DOB is %s, so MOTHER is 1", fmtDate(*h.MCDOB))
		}
		if h.Mother == "1" && h.MCDOB == nil {
			r.rule("611", h.Where, "MC_DOB", "", "MOTHER is 1; give the date of birth of her child")
		}
		if allRespite[h.Child] && (reviewed[h.Child] || hasOC2[h.Child] || h.Mother != "") {
			r.rule("399", h.Where, "CHILD", h.Child, "the child's episodes are all short-term breaks (V3, V4), which take no reviews, MOTHER or OC2")
		}
	}
	for _, row := range r.raw[OC3] {
		c := row.v["CHILD"]
		if d, ok := dob[c]; ok && !d.IsZero() {
			if a := ageOn(d, y.End()); a < 17 || ageOn(d, y.Start()) > 21 {
				r.rule("391", row.Where, "DOB", fmtDate(d), "the young person is %d on %s; OC3 is for care leavers aged 17 to 21", a, fmtDate(y.End()))
			}
		}
	}
	placed := map[string]rawRow{}
	for _, row := range r.raw[PlacedAdoption] {
		c := row.v["CHILD"]
		placed[c] = row
		p, okP := date(row.v["DATE_PLACED"])
		if d, ok := dob[c]; ok && okP && !d.IsZero() && p.Before(d) {
			r.rule("184", row.Where, "DATE_PLACED", row.v["DATE_PLACED"], "before the child's date of birth (%s)", fmtDate(d))
		}
		if ce, ok := date(row.v["DATE_PLACED_CEASED"]); ok && okP && p.After(ce) {
			r.rule("522", row.Where, "DATE_PLACED", row.v["DATE_PLACED"], "after the decision was reversed (%s)", row.v["DATE_PLACED_CEASED"])
		}
	}
	for _, row := range r.raw[AD1] {
		c := row.v["CHILD"]
		p, ok := placed[c]
		if !ok {
			continue
		}
		if di, dp := row.v["DATE_INT"], p.v["DATE_PLACED"]; di != "" && dp != "" && di != dp {
			r.rule("523", row.Where, "DATE_INT", di, "PlacedAdoption (%s line %d) gives %s", p.File, p.Line, dp)
		}
		if p.v["DATE_PLACED_CEASED"] != "" {
			r.rule("525", row.Where, "CHILD", c, "PlacedAdoption (%s line %d) says the decision was reversed on %s", p.File, p.Line, p.v["DATE_PLACED_CEASED"])
		}
	}
	byChild := map[string][]MissingRow{}
	for _, m := range r.Missing {
		if m.Start.IsZero() {
			continue
		}
		byChild[m.Child] = append(byChild[m.Child], m)
		if m.End != nil && (m.End.Before(y.Start()) || m.End.After(y.End())) {
			r.rule("571", m.Where, "MIS_END", fmtDate(*m.End), "outside %s (%s to %s)", y, fmtDate(y.Start()), fmtDate(y.End()))
		}
		if ended := careEnded[m.Child]; ended != nil {
			switch {
			case m.Start.After(*ended):
				r.rule("578", m.Where, "MIS_START", fmtDate(m.Start), "after the child ceased to be looked after (%s)", fmtDate(*ended))
			case m.End == nil:
				r.rule("577", m.Where, "MIS_END", "", "the child ceased to be looked after on %s; give the date the missing period ended", fmtDate(*ended))
			}
		}
	}
	for _, ms := range byChild {
		sort.SliceStable(ms, func(a, b int) bool { return ms[a].Start.Before(ms[b].Start) })
		for k := 1; k < len(ms); k++ {
			prev, cur := ms[k-1], ms[k]
			if prev.Start.Equal(cur.Start) && prev.Kind == cur.Kind {
				continue // the same period twice: its own problem
			}
			if prev.End == nil || prev.End.After(cur.Start) {
				r.rule("574", cur.Where, "MIS_START", fmtDate(cur.Start), "overlaps the period on line %d (from %s), which had not ended", prev.Line, fmtDate(prev.Start))
			}
		}
	}
}

// careStart is when each child's period of care open at the end of the year
// began: its open episode, back along episodes that follow on the same day.
// laPermRE is the form of LA_PERM: a three-digit DfE LA code (checked as a
// form only; Hearth holds no list of every code), another UK nation, NUK or
// 999 (not known).
var laPermRE = regexp.MustCompile(`^([0-9]{3}|NIR|SCO|WAL|NUK)$`)

func careStart(byChild map[string][]*EpisodeRow) map[string]time.Time {
	out := map[string]time.Time{}
	for child, eps := range byChild {
		k := len(eps) - 1
		if k < 0 || eps[k].DEC != nil {
			continue
		}
		for k > 0 && eps[k-1].DEC != nil && eps[k-1].REC == "X1" && eps[k-1].DEC.Equal(eps[k].DECOM) {
			k--
		}
		out[child] = eps[k].DECOM
	}
	return out
}

// moreTables runs the rules on Header, AD1, PlacedAdoption, PrevPerm, OC2
// and OC3 that need the period of care or the other tables.
func (r *Return) moreTables(dob map[string]time.Time, started map[string]time.Time, careEnded map[string]*time.Time) {
	y := r.Year
	end := y.End()
	date := func(v string) (time.Time, bool) {
		t, err := time.Parse(dateLayout, v)
		return t, err == nil && v != ""
	}
	yearLong := func(child string) bool {
		s, ok := started[child]
		return ok && !s.After(end.AddDate(-1, 0, 0))
	}
	for _, h := range r.Headers {
		if h.UPNBlank {
			r.rule("442", h.Where, "UPN", "", "give the child's UPN, or UN1 to UN5 for why there is none")
		}
		if h.DOB.IsZero() {
			continue
		}
		switch up := h.NoUPN; {
		case up == "UN1" && ageOn(h.DOB, y.Start()) >= 5:
			r.rule("209", h.Where, "UPN", "UN1", "the child was %d on %s; UN1 is for a child not of school age", ageOn(h.DOB, y.Start()), fmtDate(y.Start()))
		case up == "UN4":
			if s, ok := started[h.Child]; ok && s.Before(end.AddDate(0, 0, -7)) {
				r.rule("210", h.Where, "UPN", "UN4", "looked after since %s; UN4 is for a child newly looked after", fmtDate(s))
			}
		}
	}
	adoptEps := map[string][]*EpisodeRow{}
	for i := range r.Episodes {
		if e := &r.Episodes[i]; isAdoptPlace(e.Place) && !e.DECOM.IsZero() {
			adoptEps[e.Child] = append(adoptEps[e.Child], e)
		}
	}
	for _, row := range r.raw[AD1] {
		v := row.v
		items := []string{v["DATE_INT"], v["DATE_MATCH"], v["FOSTER_CARE"], v["NB_ADOPTR"], v["SEX_ADOPTR"], v["LS_ADOPTR"]}
		given := 0
		for _, it := range items {
			if it != "" {
				given++
			}
		}
		if given > 0 && given < len(items) {
			r.rule("151", row.Where, "", "", "%d of the 6 adoption items are given; give them all or none", given)
		}
		nb, sx, ls := v["NB_ADOPTR"], v["SEX_ADOPTR"], v["LS_ADOPTR"]
		couple := sx == "MM" || sx == "FF" || sx == "MF"
		if nb == "2" && sx != "" && !couple {
			r.rule("511", row.Where, "SEX_ADOPTR", sx, "two adopters are a couple: MM, FF or MF")
		}
		if ls == "L0" && nb == "2" {
			r.rule("514", row.Where, "NB_ADOPTR", nb, "L0 is a single adopter")
		}
		if ls == "L4" && sx != "" && sx != "MM" && sx != "FF" {
			r.rule("518", row.Where, "SEX_ADOPTR", sx, "L4 adopters are MM or FF")
		}
		if ls == "L2" && sx != "" && !couple {
			r.rule("519", row.Where, "SEX_ADOPTR", sx, "L2 adopters are a couple: MM, FF or MF")
		}
		if ls == "L11" && sx != "" && sx != "MF" {
			r.rule("520", row.Where, "SEX_ADOPTR", sx, "L11 adopters are MF")
		}
		if di, ok := date(v["DATE_INT"]); ok {
			// The decision comes on or before every placement for adoption.
			for _, e := range adoptEps[v["CHILD"]] {
				if di.After(e.DECOM) {
					r.rule("521", row.Where, "DATE_INT", v["DATE_INT"], "after the child was placed for adoption (%s from %s, %s line %d)", e.Place, fmtDate(e.DECOM), e.File, e.Line)
				}
			}
		}
	}
	lastPlace := map[string]*EpisodeRow{}
	for i := range r.Episodes {
		e := &r.Episodes[i]
		if p := lastPlace[e.Child]; p == nil || e.DECOM.After(p.DECOM) {
			lastPlace[e.Child] = e
		}
	}
	for _, row := range r.raw[AD1] {
		e := lastPlace[row.v["CHILD"]]
		if e == nil || e.REC != "E11" && e.REC != "E12" {
			continue
		}
		switch fc := row.v["FOSTER_CARE"]; {
		case fc == "0" && (e.Place == "A3" || e.Place == "A5"):
			r.rule("335", row.Where, "FOSTER_CARE", fc, "the child was adopted from %s, a placement with the current foster carers (line %d)", e.Place, e.Line)
		case fc == "1" && (e.Place == "A4" || e.Place == "A6"):
			r.rule("335", row.Where, "FOSTER_CARE", fc, "the child was adopted from %s, not with the foster carers (line %d)", e.Place, e.Line)
		}
	}
	for _, row := range r.raw[PlacedAdoption] {
		v := row.v
		if e := lastPlace[v["CHILD"]]; e != nil && e.DEC != nil && e.REC != "" && e.REC != "X1" {
			adopted := e.REC == "E11" || e.REC == "E12"
			// 557 (left care not adopted) is checked per episode in dferules_b.go.
			if adopted && (v["DATE_PLACED_CEASED"] != "" || v["REASON_PLACED_CEASED"] != "") {
				r.rule("558", row.Where, "DATE_PLACED_CEASED", v["DATE_PLACED_CEASED"], "the child was adopted (%s, line %d)", e.REC, e.Line)
			}
		}
		if (v["DATE_PLACED_CEASED"] == "") != (v["REASON_PLACED_CEASED"] == "") {
			r.rule("119", row.Where, "REASON_PLACED_CEASED", v["REASON_PLACED_CEASED"], "give both the date the decision was reversed and the reason, or neither")
		}
		for _, col := range []string{"DATE_PLACED", "DATE_PLACED_CEASED"} {
			d, ok := date(v[col])
			if !ok {
				continue
			}
			if d.After(end) {
				r.rule("117", row.Where, col, v[col], "after the end of %s", y)
			} else if ended := careEnded[v["CHILD"]]; ended != nil && d.After(*ended) {
				r.rule("117", row.Where, col, v[col], "after the child ceased to be looked after (%s)", fmtDate(*ended))
			}
		}
	}
	for _, row := range r.raw[PrevPerm] {
		if la := row.v["LA_PERM"]; la != "" && !laPermRE.MatchString(la) {
			r.rule("633", row.Where, "LA_PERM", la, "give the council's three-digit LA code, NIR, SCO, WAL, NUK or 999 (not known)")
		}
		if v := row.v; v["PREV_PERM"] == "Z1" && (v["LA_PERM"] != "" || v["DATE_PERM"] != "") {
			r.rule("635", row.Where, "PREV_PERM", "Z1", "Z1 is no previous permanence; leave LA_PERM and DATE_PERM blank")
		}
	}
	for _, row := range r.raw[DoLo] {
		start, ok := date(row.v["DOLO_START"])
		if !ok {
			continue
		}
		stop := end
		if e, ok := date(row.v["DOLO_END"]); ok {
			stop = e
		}
		for i := range r.Episodes {
			e := &r.Episodes[i]
			if e.Child != row.v["CHILD"] || e.DECOM.IsZero() || e.DECOM.After(stop) || e.DEC != nil && !e.DEC.After(start) {
				continue
			}
			if e.Place != "K2" && e.Place != "Z12" && e.Place != "Z13" {
				r.rule("709", row.Where, "DOLO_START", row.v["DOLO_START"], "the child was in placement %s (%s line %d) under the order", e.Place, e.File, e.Line)
				break
			}
		}
	}
	leaver := map[string]bool{}
	for _, row := range r.raw[OC3] {
		leaver[row.v["CHILD"]] = true
		switch it, act, acc := row.v["IN_TOUCH"], row.v["ACTIV"], row.v["ACCOM"]; {
		case (it == "DIED" || it == "RHOM") && (act != "" || acc != ""):
			r.rule("344", row.Where, "IN_TOUCH", it, "leave activity and accommodation blank for %s", it)
		case it == "YES" && (act == "0" || acc == "0"):
			r.rule("345", row.Where, "ACTIV", act+acc, "the council is in touch, so activity and accommodation are known")
		}
		if (row.v["ACTIV"] == "") != (row.v["ACCOM"] == "") {
			r.rule("153", row.Where, "ACCOM", row.v["ACCOM"], "give both activity and accommodation, or neither")
		}
	}
	for _, row := range r.raw[OC2] {
		v, c := row.v, row.v["CHILD"]
		d, hasDOB := dob[c]
		hasDOB = hasDOB && !d.IsZero()
		endAge := 0
		if hasDOB {
			endAge = ageOn(d, end)
		}
		// Conviction is asked of children of 10 or over, the health check
		// (development assessment) of children under 5 (rules 542, 545, 546).
		anyGiven, blank := false, false
		for _, col := range oc2Flags[:6] {
			if v[col] != "" {
				anyGiven = true
			} else if hasDOB && (col != "CONVICTED" || endAge >= 10) && (col != "HEALTH_CHECK" || endAge < 5) {
				blank = true
			}
		}
		if hasDOB {
			switch {
			case v["CONVICTED"] != "" && endAge < 10:
				r.rule("542", row.Where, "CONVICTED", v["CONVICTED"], "the child was %d on %s; leave CONVICTED blank under 10", endAge, fmtDate(end))
			}
			switch {
			case v["HEALTH_CHECK"] != "" && endAge >= 5:
				r.rule("546", row.Where, "HEALTH_CHECK", v["HEALTH_CHECK"], "the child was %d on %s; the health check item is for children under 5", endAge, fmtDate(end))
			case v["HEALTH_CHECK"] == "" && endAge < 5 && yearLong(c):
				r.rule("545", row.Where, "HEALTH_CHECK", "", "the child was %d on %s and looked after for 12 months; give the health check item", endAge, fmtDate(end))
			}
		}
		anyGiven = anyGiven || v["SDQ_SCORE"] != "" || v["SDQ_REASON"] != ""
		if leaver[c] && anyGiven {
			r.rule("215", row.Where, "CHILD", c, "the child is in OC3 as a care leaver")
		}
		_, inCare := started[c]
		switch {
		case anyGiven && !yearLong(c) && inCare:
			r.rule("190", row.Where, "CHILD", c, "the child's care began %s, less than 12 months before 31 March", fmtDate(started[c]))
		case anyGiven && !inCare && len(r.Episodes) > 0:
			r.rule("190", row.Where, "CHILD", c, "the child was not looked after at 31 March")
		case yearLong(c) && blank:
			r.rule("191", row.Where, "", "", "looked after since %s; give CONVICTED, HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT and SUBSTANCE_MISUSE", fmtDate(started[c]))
		}
		switch sm, rec, off := v["SUBSTANCE_MISUSE"], v["INTERVENTION_RECEIVED"], v["INTERVENTION_OFFERED"]; {
		case sm == "1" && rec == "":
			r.rule("192", row.Where, "INTERVENTION_RECEIVED", "", "a substance misuse problem is identified; say whether an intervention was received")
		case sm != "1" && (rec != "" || off != ""):
			r.rule("193", row.Where, "INTERVENTION_RECEIVED", rec+off, "no substance misuse problem is identified; leave the intervention items blank")
		}
		if !hasDOB {
			continue
		}
		startAge := ageOn(d, y.Start())
		switch {
		case v["SDQ_REASON"] == "SDQ1" && startAge >= 4 && endAge <= 16:
			r.rule("157", row.Where, "SDQ_REASON", "SDQ1", "the child was %d to %d in the year; SDQ1 is for under 4 or over 16", startAge, endAge)
		case endAge < 4 && v["SDQ_SCORE"] != "":
			r.rule("188", row.Where, "SDQ_SCORE", v["SDQ_SCORE"], "the child was %d on %s; an SDQ is for children of 4 or over", endAge, fmtDate(end))
		case startAge >= 4 && endAge < 17 && yearLong(c) && v["SDQ_SCORE"] == "" && v["SDQ_REASON"] == "":
			r.rule("186", row.Where, "SDQ_SCORE", "", "the child was %d; give the SDQ score or the reason there is none", startAge)
		}
	}
}
