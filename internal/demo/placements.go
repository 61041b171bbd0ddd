package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Provider is a demo provider, shared by the region's councils.
type Provider struct {
	Name     string
	URN      string // empty for a council's own fostering service
	Kind     string // PR1 own council, PR4 private, PR5 voluntary
	OwnerLA  int32  // for in-house provision
	District string
	Type     string  // foster, home, supported
	Price    float64 // the provider's price level: 1 is the market median
}

// Episode is a demo SSDA903 episode with the costs of its placement.
type Episode struct {
	Start       time.Time
	End         *time.Time
	RNE, LS     string
	CIN, Place  string
	ProvKind    string
	Provider    int // index into Region.Providers, or -1
	REC, Reason string
	HomePost    string
	PlacePost   string
	Distance    float64
	OutOfArea   bool
	Costs       []Cost // on the episode that starts a placement
}

// Cost is a weekly cost period in pence.
type Cost struct {
	From                          time.Time
	To                            *time.Time
	Weekly, SocialCare, Education int64
	Health                        int64
}

// Placement mix and prices follow domain.md §3 (2024 mix: in-house foster 28%,
// IFA 25%, kinship 16%, children's homes 11%, supported accommodation 10%,
// with parents 6%; weekly prices at 2025/26 levels: in-house foster about £550,
// IFA about £950, children's homes about £6,000 with a few over £10,000).
type kind struct {
	name, place, provKind string
	share                 float64
	median                float64 // pounds a week
	spread                float64 // log-normal sigma
	provType              string
}

var kinds = []kind{
	{"in-house foster", "U6", "PR1", 0.28, 560, 0.15, "inhouse"},
	{"IFA foster", "U6", "PR4", 0.25, 960, 0.12, "foster"},
	{"kinship", "U3", "PR1", 0.16, 320, 0.2, ""},
	{"children's home", "K2", "PR4", 0.11, 6000, 0.28, "home"},
	{"supported accommodation", "K3", "PR4", 0.10, 1900, 0.3, "supported"},
	{"with parents", "P1", "PR0", 0.06, 60, 0.5, ""},
	{"placed for adoption", "A4", "PR1", 0.04, 150, 0.3, ""},
}

var councilDistricts = map[int32][]string{
	352: {"M1", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M15", "M16", "M18", "M19", "M20", "M21", "M22", "M23", "M40"},
	355: {"M3", "M5", "M6", "M7", "M27", "M28", "M30", "M38", "M44"},
	356: {"SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8"},
	358: {"M16", "M32", "M33", "M41", "WA14", "WA15"},
}
var farDistricts = []string{"BL1", "BL9", "OL4", "WN2", "PR7", "LA1", "CH2", "ST5", "DE4", "LS12", "BD7", "HX2", "SY8", "LL11", "CA1", "NE6"}

func providers(r *rand.Rand) []Provider {
	var out []Provider
	for _, c := range Councils {
		out = append(out, Provider{Name: c.Name + " fostering service", Kind: "PR1", OwnerLA: c.LAID, Type: "inhouse", Price: 1,
			District: councilDistricts[c.LAID][0]})
	}
	ifas := []string{"Northern Lights Fostering", "Pennine Foster Care", "Irwell Family Placements", "Brightstart Fostering", "Open Doors Fostering",
		"Meadowbank Foster Care", "Mersey Valley Fostering", "Hearts and Homes Fostering"}
	homes := []string{"Oakfield House", "Willow Lodge", "The Beeches", "Hollins Grange", "Cedar View", "Moorside", "Riverside Cottage",
		"Ashgrove", "Brook House", "Longridge Farm", "Fernlea", "The Laurels", "Highfield", "Kingsway House", "Lime Tree Court",
		"Rowan House", "Millbrook", "Thornton Lodge", "Greystones", "Larkfield"}
	operators := []string{"Acorn Childcare", "Keys Group", "Horizon Care", "Northwest Residential", "Compass Community", "Hillcrest Homes"}
	sas := []string{"Step Ahead Supported Living", "Foundations Housing", "Next Chapter Accommodation", "Bridge Supported Homes", "Lighthouse Living"}
	urn := 500000
	next := func() string { urn += 137 + r.IntN(400); return fmt.Sprintf("SC%06d", urn) }
	for _, n := range ifas {
		out = append(out, Provider{Name: n, URN: next(), Kind: []string{"PR4", "PR4", "PR5"}[r.IntN(3)], Type: "foster",
			Price: math.Exp(r.NormFloat64() * 0.08), District: farOrNear(r)})
	}
	for i, n := range homes {
		kindCode := "PR4"
		op := operators[i%len(operators)]
		if i%7 == 3 {
			kindCode, op = "PR1", Councils[i%len(Councils)].Name+" Council"
		}
		out = append(out, Provider{Name: n + " (" + op + ")", URN: next(), Kind: kindCode, Type: "home",
			Price: math.Exp(r.NormFloat64() * 0.2), District: farOrNear(r)})
	}
	for _, n := range sas {
		out = append(out, Provider{Name: n, URN: next(), Kind: "PR4", Type: "supported", Price: math.Exp(r.NormFloat64() * 0.2), District: farOrNear(r)})
	}
	return out
}

// farOrNear places a provider outside the region or in one of its councils.
func farOrNear(r *rand.Rand) string {
	if r.Float64() < 0.45 {
		return farDistricts[r.IntN(len(farDistricts))]
	}
	all := councilDistricts[Councils[r.IntN(len(Councils))].LAID]
	return all[r.IntN(len(all))]
}

// severity is a child's need on a 0–1 scale from their latest assessment (0.3 without one).
func severity(ch Child) float64 {
	a, ok := ch.LatestApproved()
	if !ok {
		return 0.3
	}
	var s int32
	for _, l := range a.Levels {
		s += l
	}
	return float64(s) / 48
}

func pickKind(r *rand.Rand, ch Child, on time.Time) kind {
	age := on.Sub(ch.DateOfBirth).Hours() / 24 / 365.25
	sev := severity(ch)
	w := make([]float64, len(kinds))
	for i, k := range kinds {
		w[i] = k.share
		switch k.name {
		case "children's home":
			// Needs push towards residential care, but only weakly: the market, not the child, decides much of it.
			w[i] *= 0.5 + 2*sev
			if age < 8 {
				w[i] *= 0.1
			}
		case "supported accommodation":
			if age < 16 {
				w[i] = 0
			} else {
				w[i] *= 4
			}
			if ch.UASC {
				w[i] *= 3
			}
		case "placed for adoption":
			if age > 6 {
				w[i] = 0
			} else {
				w[i] *= 6
			}
		case "with parents":
			if ch.UASC {
				w[i] = 0
			}
		case "kinship":
			if ch.UASC {
				w[i] *= 0.1
			}
		}
	}
	return kinds[pick(r, w)]
}

// placementsFor makes a child's episodes from coming into care to asOf: one
// to four placements, an interim then a full care order (or s20 for
// unaccompanied children), and weekly costs with a yearly uplift each April.
func placementsFor(r *rand.Rand, ch Child, provs []Provider, asOf time.Time) []Episode {
	years := asOf.Sub(ch.CareStart).Hours() / 24 / 365.25
	n := 1 + min(3, int(years*0.6+r.Float64()*1.2))
	cuts := []time.Time{ch.CareStart}
	for i := 1; i < n; i++ {
		d := ch.CareStart.Add(time.Duration(float64(asOf.Sub(ch.CareStart)) * (float64(i) + r.Float64()*0.6 - 0.3) / float64(n)))
		d = dateOf(d)
		if d.After(cuts[len(cuts)-1].AddDate(0, 0, 14)) && d.Before(asOf.AddDate(0, 0, -7)) {
			cuts = append(cuts, d)
		}
	}
	ls := "C1"
	if ch.UASC || r.Float64() < 0.15 {
		ls = "V2"
	}
	cin := []string{"N1", "N1", "N1", "N1", "N1", "N1", "N4", "N5", "N2", "N3", "N8"}[r.IntN(11)]
	if ch.UASC {
		cin = "N8"
	}
	home := councilDistricts[ch.LAID][r.IntN(len(councilDistricts[ch.LAID]))]
	homePost := fmt.Sprintf("%s %d%c%c", home, r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)))
	var eps []Episode
	for i, start := range cuts {
		var end *time.Time
		if i+1 < len(cuts) {
			end = &cuts[i+1]
		}
		k := pickKind(r, ch, start)
		e := Episode{Start: start, End: end, RNE: "P", LS: ls, CIN: cin, Place: k.place, ProvKind: k.provKind, Provider: -1, HomePost: homePost}
		if i == 0 {
			e.RNE = "S"
		}
		if k.place == "U6" && start.Before(asOf.AddDate(-2, 0, 0)) && r.Float64() < 0.5 {
			e.Place = "U4" // long-term fostering
		}
		// The provider: the council's own service, or one shared across the region.
		var p *Provider
		switch k.provType {
		case "inhouse":
			for j := range provs {
				if provs[j].OwnerLA == ch.LAID && provs[j].Type == "inhouse" {
					e.Provider, p = j, &provs[j]
				}
			}
		case "foster", "home", "supported":
			// Councils place near home when they can: a provider in the council's own area is four times as likely.
			var cands []int
			var weights []float64
			for j := range provs {
				if provs[j].Type == k.provType {
					cands = append(cands, j)
					weights = append(weights, map[bool]float64{true: 4, false: 1}[contains(councilDistricts[ch.LAID], provs[j].District)])
				}
			}
			e.Provider = cands[pick(r, weights)]
			p = &provs[e.Provider]
			e.ProvKind = p.Kind
		}
		district := home
		switch {
		case p != nil && p.Type != "inhouse":
			district = p.District
		case k.name == "kinship" && r.Float64() < 0.3:
			district = farDistricts[r.IntN(len(farDistricts))]
		default:
			district = councilDistricts[ch.LAID][r.IntN(len(councilDistricts[ch.LAID]))]
		}
		e.PlacePost = fmt.Sprintf("%s %d%c%c", district, r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)))
		e.OutOfArea = !contains(councilDistricts[ch.LAID], district)
		e.Distance = math.Round((1+r.Float64()*6)*10) / 10
		if e.OutOfArea {
			e.Distance = math.Round((8+r.ExpFloat64()*30)*10) / 10
		}
		// Weekly price: the kind's market median, the provider's price level,
		// a little for need, and the odd very expensive bespoke placement.
		price := k.median * math.Exp(r.NormFloat64()*k.spread) * (0.9 + 0.3*severity(ch))
		if p != nil {
			price *= p.Price * (0.95 + 0.1*float64(ch.LAID%4)/3) // councils pay the same provider different prices
		}
		if k.name == "children's home" && r.Float64() < 0.05 {
			price = 10000 + r.ExpFloat64()*5000
		}
		e.Costs = costPeriods(r, k, ch, price, start, end, asOf)
		eps = append(eps, e)
		// A legal status change within the placement: interim to full care order.
		if ls == "C1" {
			switch change := start.AddDate(0, 5+r.IntN(5), 0); {
			case change.Before(asOf) && (end == nil || change.Before(*end)):
				eps[len(eps)-1].End = &change
				eps = append(eps, Episode{Start: change, End: end, RNE: "L", LS: "C2", CIN: cin, Place: e.Place, ProvKind: e.ProvKind,
					Provider: e.Provider, HomePost: homePost, PlacePost: e.PlacePost, Distance: e.Distance, OutOfArea: e.OutOfArea})
				ls = "C2"
			}
		}
	}
	for i := range eps {
		if eps[i].End != nil {
			eps[i].REC = "X1"
			if i+1 < len(eps) && eps[i+1].RNE != "L" {
				eps[i].Reason = []string{"CARPL", "CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "STAND"}[r.IntN(7)]
			}
		}
	}
	return eps
}

func costPeriods(r *rand.Rand, k kind, ch Child, weekly float64, start time.Time, end *time.Time, asOf time.Time) []Cost {
	stop := asOf
	if end != nil {
		stop = end.AddDate(0, 0, -1)
	}
	var out []Cost
	from := start
	for {
		april := time.Date(from.Year(), time.April, 1, 0, 0, 0, 0, time.UTC)
		if !april.After(from) {
			april = april.AddDate(1, 0, 0)
		}
		c := Cost{From: from}
		last := april.After(stop)
		if !last {
			to := april.AddDate(0, 0, -1)
			c.To = &to
		} else if end != nil {
			to := stop
			c.To = &to
		}
		total := int64(math.Round(weekly)) * 100
		c.Weekly = total
		switch {
		case k.name == "children's home" && ch.EHCPlan:
			c.Education = total * int64(10+r.IntN(20)) / 100
		case k.name == "children's home" && severity(ch) > 0.45:
			c.Health = total * int64(5+r.IntN(15)) / 100
		}
		c.SocialCare = total - c.Education - c.Health
		out = append(out, c)
		if last {
			return out
		}
		from, weekly = april, weekly*1.03 // the April uplift
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
