package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Former children in care. A council's SSDA903 history holds about as many
// children leaving care each year as entering it (England: about 32,000 start
// and 32,000 cease a year, of 83,000 in care), so the demo's history has
// leavers too: without them every past count only grows, and a forecast fitted
// on the demo sees no one leave but at 18.
//
// The leavers come from one steady process per council: children enter care
// at a constant rate over the HistoryYears+entrySpan years before the as-of
// date, with England's age mix at entry, and each has a destination (adoption,
// special guardianship, home, adulthood at 18, independence, other) and a stay
// drawn for it. Those still in care on the as-of date are not made — today's
// children stand for them — but they are counted, and the rate is the one at
// which the process leaves as many in care as the council has today. So the
// count in care is about level over the history and entrants and leavers
// balance; the unevenness that remains comes from today's children's own
// spread of start dates.

// HistoryYears is how far back leavers go: every child whose care ended in the
// HistoryYears before the as-of date is in the region.
const HistoryYears = 5

// entrySpan is how long before the history began a leaver may have come into
// care: a child who came in at five and left at eighteen stayed thirteen years.
const entrySpan = 13

type destination int

const (
	toAdoption destination = iota
	toSGO
	toHome
	toAdulthood // stays until 18
	toIndependence
	toOther
)

// Starters' ages (DfE, children starting to be looked after: about a fifth
// under one, a third aged 10–15, a fifth 16 and over, many of them UASC).
var entryAgeWeights = []float64{0.19, 0.14, 0.14, 0.33, 0.20}
var entryAgeBands = [][2]int{{0, 1}, {1, 5}, {5, 10}, {10, 16}, {16, 18}}

// Where children go, by age at entry: the young to adoption, special
// guardianship or home; older children home or on to adulthood. Tuned so that
// about a third of leavers are 18, about one in nine adopted (four in five
// under five, as DfE's adoption figures show) and about a third go home (DfE: ceased by reason).
var destWeights = [5][6]float64{
	{0.42, 0.22, 0.28, 0, 0, 0.08},
	{0.30, 0.25, 0.37, 0, 0, 0.08},
	{0, 0.18, 0.45, 0.25, 0, 0.12},
	{0, 0.07, 0.40, 0.40, 0, 0.13},
	{0, 0, 0.20, 0.60, 0.10, 0.10},
}

// How long a stay lasts, by destination: a log-normal median (years) and
// sigma. Going home is often quick; adoption takes about two years.
var stayMedian = [6]float64{2.0, 1.8, 0.8, 0, 1.0, 1.0}
var staySigma = [6]float64{0.3, 0.4, 1.0, 0, 0.6, 0.9}

// The reasons an episode ceased (REC), with weights, for each destination.
var recCodes = [6][]string{
	{"E11", "E12"},
	{"E45", "E46", "E47", "E48"},
	{"E4A", "E4B", "E13", "E41"},
	{"E17", "E5", "E6", "E8", "E7"},
	{"E5", "E6"},
	{"E3", "E8", "E9", "E14", "E16"},
}
var recWeights = [6][]float64{
	{0.45, 0.55},
	{0.5, 0.1, 0.35, 0.05},
	{0.7, 0.08, 0.12, 0.1},
	{0.25, 0.35, 0.07, 0.3, 0.03},
	{0.8, 0.2},
	{0.3, 0.35, 0.1, 0.1, 0.15},
}

// reentryRate is the share of children gone home who come back into care;
// only re-entries whose second period has also ended are kept (one still in
// care would be one of today's children).
const reentryRate = 0.10

type spell struct {
	start, end time.Time
	dest       destination
	rec        string
}

type leaver struct {
	birth  time.Time
	uasc   bool
	spells []spell
}

// stay draws where a child entering care on start goes and when.
func stay(r *rand.Rand, birth, start time.Time, band int) spell {
	d := destination(pick(r, destWeights[band][:]))
	eighteen := birth.AddDate(18, 0, 0)
	end := eighteen
	if d != toAdulthood {
		years := stayMedian[d] * math.Exp(r.NormFloat64()*staySigma[d])
		end = start.AddDate(0, 0, max(3, int(years*365.25)))
	}
	if !end.Before(eighteen) {
		end, d = eighteen, toAdulthood
	}
	return spell{start: start, end: end, dest: d, rec: recCodes[d][pick(r, recWeights[d])]}
}

// leaversFor runs the entry process for a council with inCare children today
// and returns the children whose care ended in the history, in order of entry.
func leaversFor(r *rand.Rand, inCare int, asOf time.Time) []leaver {
	from := asOf.AddDate(-(HistoryYears + entrySpan), 0, 0)
	histFrom := asOf.AddDate(-HistoryYears, 0, 0)
	span := int(asOf.Sub(from).Hours() / 24)
	var out []leaver
	for survivors := 0; survivors < inCare; {
		start := from.AddDate(0, 0, r.IntN(span))
		band := pick(r, entryAgeWeights)
		lo, hi := entryAgeBands[band][0], entryAgeBands[band][1]
		birth := start.AddDate(0, 0, -(lo*365+r.IntN((hi-lo)*365-1))-1)
		uasc := (band == 4 && r.Float64() < 0.35) || (band == 3 && r.Float64() < 0.05)
		s := stay(r, birth, start, band)
		if s.end.After(asOf) {
			survivors++
			continue
		}
		l := leaver{birth: birth, uasc: uasc, spells: []spell{s}}
		if s.dest == toHome && r.Float64() < reentryRate {
			back := s.end.AddDate(0, 0, 30+int(0.7*365*math.Exp(r.NormFloat64()*0.6)))
			age := int(back.Sub(birth).Hours() / 24 / 365.25)
			if age < 17 {
				b := 4
				for b > 0 && age < entryAgeBands[b][0] {
					b--
				}
				if again := stay(r, birth, back, b); !again.end.After(asOf) {
					l.spells = append(l.spells, again)
				}
			}
		}
		if l.spells[len(l.spells)-1].end.Before(histFrom) {
			continue // left before the history begins
		}
		out = append(out, l)
	}
	return out
}

// formerChild makes a leaver into a demo child: characteristics, needs
// assessments while in care, episodes and costs that stop when care ended, and
// an allocation that ended then (Load closes it on the last episode's end).
func formerChild(r *rand.Rand, c Council, ref int, l leaver, provs []Provider, worker string, asOf time.Time) Child {
	ch := Child{LAID: c.LAID, Ref: fmt.Sprintf("%c%06d", 'A'+rune(c.LAID%26), ref), DateOfBirth: l.birth, UASC: l.uasc,
		CareStart: l.spells[0].start, Worker: worker}
	ch.Sex = "M"
	if r.Float64() >= 0.56 {
		ch.Sex = "F"
	}
	if l.uasc {
		ch.Sex = "M"
		if r.Float64() < 0.06 {
			ch.Sex = "F"
		}
		ch.Ethnicity = []string{"OOTH", "BAFR", "AOTH", "MOTH", "BOTH"}[pick(r, []float64{0.35, 0.3, 0.2, 0.1, 0.05})]
	} else {
		ch.Ethnicity = ethnicities[pick(r, ethnicityWeights)]
	}
	ch.EHCPlan = l.spells[0].start.Sub(l.birth) > 365*24*time.Hour && r.Float64() < 0.31
	ch.Disability = r.Float64() < 0.08
	if ch.Sex == "M" {
		ch.GivenName = boys[r.IntN(len(boys))]
	} else {
		ch.GivenName = girls[r.IntN(len(girls))]
	}
	ch.FamilyName = familyNames[r.IntN(len(familyNames))]
	ch.UPN = upn(r)
	for _, s := range l.spells {
		period := ch
		period.CareStart = s.start
		// Assessments are dated in care: up to the day before it ended.
		for _, a := range needsHistoryUntil(r, period, asOf, s.end.AddDate(0, 0, -1)) {
			a.Status = "approved" // nothing is left awaiting approval for a child who has left
			ch.Assessments = append(ch.Assessments, a)
		}
		period.Assessments = ch.Assessments
		eps := placementsFor(r, period, provs, s.end)
		eps = endCare(r, period, eps, s)
		ch.Episodes = append(ch.Episodes, eps...)
	}
	last := l.spells[len(l.spells)-1]
	ch.AllocatedFrom = maxDate(last.start, last.end.AddDate(0, 0, -1-r.IntN(400)))
	return ch
}

// endCare closes a period's episodes on the day care ended: the last episode
// gets the reason care ceased, the last placement's costs stop the day before,
// and an adoption is preceded by a placement for adoption under a placement
// order.
func endCare(r *rand.Rand, ch Child, eps []Episode, s spell) []Episode {
	end := s.end
	if s.dest == toAdoption {
		placed := end.AddDate(0, -(6 + r.IntN(6)), 0)
		last := eps[len(eps)-1]
		if !placed.After(last.Start.AddDate(0, 0, 14)) {
			placed = dateOf(last.Start.Add(end.Sub(last.Start) / 2))
		}
		switch {
		case placed.After(last.Start.AddDate(0, 0, 14)):
		case last.Place == "U3" || last.Place == "U4" || last.Place == "U6":
			// Adopted by the foster carers: no placement for adoption first.
		default:
			// Too little time in the last placement to be placed for adoption:
			// the child stays with relatives under a special guardianship order.
			s.rec = "E47"
		}
		if s.rec != "E47" && placed.After(last.Start.AddDate(0, 0, 14)) {
			closePlacement(eps, placed)
			eps[len(eps)-1].REC, eps[len(eps)-1].Reason = "X1", "CARPL"
			district := councilDistricts[ch.LAID][r.IntN(len(councilDistricts[ch.LAID]))]
			a := Episode{Start: placed, RNE: "B", LS: "E1", CIN: last.CIN, Place: "A4", ProvKind: "PR1", Provider: -1,
				HomePost: last.HomePost, Distance: math.Round((1+r.Float64()*6)*10) / 10,
				PlacePost: fmt.Sprintf("%s %d%c%c", district, r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)))}
			k := kinds[len(kinds)-1] // placed for adoption
			a.Costs = costPeriods(r, k, ch, k.median*math.Exp(r.NormFloat64()*k.spread), placed, nil, end)
			eps = append(eps, a)
		}
	}
	closePlacement(eps, end)
	eps[len(eps)-1].REC, eps[len(eps)-1].Reason = s.rec, ""
	return eps
}

// closePlacement ends the open last episode on end and the costs of the
// placement it belongs to on the day before.
func closePlacement(eps []Episode, end time.Time) {
	eps[len(eps)-1].End = &end
	i := len(eps) - 1
	for i > 0 && eps[i].RNE == "L" {
		i--
	}
	var kept []Cost
	for _, k := range eps[i].Costs {
		if !k.From.Before(end) {
			continue
		}
		if to := end.AddDate(0, 0, -1); k.To == nil || k.To.After(to) {
			k.To = &to
		}
		kept = append(kept, k)
	}
	eps[i].Costs = kept
}
