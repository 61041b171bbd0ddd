package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// SynthOptions shape a synthetic council's history.
type SynthOptions struct {
	Seed uint64
	// EntrantsPerYear is the mean number of new periods of care a year
	// (first entries; re-entries come on top). 350 gives a council of about
	// 1,500 children in care; about 23,000 a 100,000-child England.
	EntrantsPerYear float64
	// From is when entrants begin (a burn-in long enough for the oldest
	// to have left), To the end of the last collection year.
	From, To time.Time
	// ResidentialGrowth is the yearly factor on moves into residential
	// care and on the residential share of entrants, so the residential
	// share of children in care rises about a point a year.
	ResidentialGrowth float64
}

// DefaultSynth is a council of about 1,500 children over the six collection
// years 2020/21 to 2025/26, with 18 years of burn-in before them.
func DefaultSynth(seed uint64) SynthOptions {
	return SynthOptions{Seed: seed, EntrantsPerYear: 350, From: day0(2002, 4, 1), To: day0(2026, 3, 31), ResidentialGrowth: 1.09}
}

func day0(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// SynthChild is a synthetic child's header.
type SynthChild struct {
	ID  string
	DOB time.Time
	// Female is the child's sex; SexCode gives it as each year's return
	// codes it.
	Female bool
}

// SexCode is SEX as a collection year's return codes it: 1 and 2 until
// 2023/24, M and F from 2024/25.
func (c SynthChild) SexCode(year int) string {
	switch {
	case year >= 2025 && c.Female:
		return "F"
	case year >= 2025:
		return "M"
	case c.Female:
		return "2"
	}
	return "1"
}

// Coding changes the generator writes, as the returns did.
var (
	p2Ends  = day0(2023, 10, 28) // P2 not valid for placements from here
	k3Start = day0(2024, 4, 1)   // H5 becomes K3 (open H5 episodes carry over)
	zSplit  = day0(2025, 4, 1)   // Z1 splits into Z11–Z14
)

// England's age mix of children starting to be looked after (DfE, children
// looked after in England, year ending March 2024, rounded): under 1, 1–4,
// 5–9, 10–15, 16–17.
var entrantAgeMix = [NumAgeBands]float64{0.18, 0.14, 0.15, 0.31, 0.22}

// synthRates are yearly hazards by band: leaving care; fostering to
// residential; residential to fostering; into supported (16+); supported
// back to fostering; other to fostering; fostering to other; a change of
// placement within the category.
type synthRates struct{ exit, f2r, r2f, toS, s2f, o2f, f2o, self [NumAgeBands]float64 }

var synthBase = synthRates{
	exit: [NumAgeBands]float64{0.20, 0.26, 0.13, 0.09, 0.16},
	f2r:  [NumAgeBands]float64{0, 0, 0.012, 0.055, 0.05},
	r2f:  [NumAgeBands]float64{0, 0, 0.12, 0.08, 0.04},
	toS:  [NumAgeBands]float64{0, 0, 0, 0, 0.50},
	s2f:  [NumAgeBands]float64{0, 0, 0, 0, 0.04},
	o2f:  [NumAgeBands]float64{0.6, 0.4, 0.25, 0.2, 0.15},
	f2o:  [NumAgeBands]float64{0.06, 0.07, 0.05, 0.03, 0.03},
	self: [NumAgeBands]float64{0.25, 0.25, 0.2, 0.3, 0.3},
}

// Synthesize generates a council's whole history of episodes: each child is
// followed in continuous time from entry, with competing exponential hazards
// that change on the birthdays that change band, leaving at 18 (a third of
// fostered children staying put, REC E17), returning in 12% of exits before
// 17, and coded as each year's return coded them.
func Synthesize(o SynthOptions) ([]SynthChild, []Episode) {
	r := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	var kids []SynthChild
	var eps []Episode
	from, to := float64(dayNum(o.From)), float64(dayNum(o.To))
	years0 := float64(dayNum(day0(2014, 4, 1)))
	growth := func(t float64) float64 { return math.Pow(o.ResidentialGrowth, (t-years0)/365.25) }
	perDay := o.EntrantsPerYear / 365.25
	t := from
	n := 0
	for {
		t += r.ExpFloat64() / perDay
		if t >= to {
			break
		}
		n++
		b := pick(r, entrantAgeMix[:])
		lo, hi := bandStartMonths[b], bandStartMonths[b+1]
		ageDays := (float64(lo) + r.Float64()*float64(hi-lo)) * 30.4375
		if AgeBand(b) == Under1 && r.IntN(2) == 0 {
			ageDays = r.Float64() * 14 // half of babies come into care at birth
		}
		dob := dateOf(t - ageDays)
		for AgeMonths(dob, dateOf(t)) >= LeaveMonths-1 {
			dob = dob.AddDate(0, 0, 7) // months of 30.44 days overshoot 18 by a few days
		}
		kid := SynthChild{ID: fmt.Sprintf("S%07d", n), DOB: dob, Female: r.IntN(100) < 45}
		kids = append(kids, kid)
		eps = append(eps, synthChild(r, kid, t, to, growth)...)
	}
	return kids, eps
}

func dateOf(d float64) time.Time { return time.Unix(int64(math.Floor(d))*86400, 0).UTC() }

func pick(r *rand.Rand, w []float64) int {
	var tot float64
	for _, x := range w {
		tot += x
	}
	u := r.Float64() * tot
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func entryCategory(r *rand.Rand, b AgeBand, g float64) Category {
	w := [NumAgeBands][NumCategories]float64{
		{0.78, 0, 0, 0.22}, {0.85, 0, 0, 0.15}, {0.86, 0.04 * g, 0, 0.10}, {0.74, 0.14 * g, 0, 0.12}, {0.38, 0.10 * g, 0.44, 0.08},
	}[b]
	return Category(pick(r, w[:]))
}

// synthPlace codes a placement of category c starting on day d for a child
// of band b.
func synthPlace(r *rand.Rand, c Category, b AgeBand, d float64) (place, provider string) {
	day := dateOf(d)
	switch c {
	case Fostering:
		p := []string{"U1", "U3", "U4", "U4", "U6", "U6", "U6", "U5"}[r.IntN(8)]
		return p, []string{"PR1", "PR1", "PR4", "PR5"}[r.IntN(4)]
	case Residential:
		return []string{"K2", "K2", "K2", "K2", "K2", "K2", "K2", "R1", "S1", "K1"}[r.IntN(10)], []string{"PR1", "PR4", "PR4", "PR4", "PR5"}[r.IntN(5)]
	case Supported:
		switch {
		case !day.Before(k3Start):
			return "K3", "PR4"
		case day.Before(p2Ends) && r.IntN(5) < 2:
			return "P2", "PR4"
		}
		return "H5", "PR4"
	}
	switch {
	case b <= Age1to4 && r.IntN(2) == 0:
		return []string{"A4", "A6"}[r.IntN(2)], "PR1"
	case r.IntN(3) == 0:
		return "P1", "PR0"
	case b == Under1 && r.IntN(2) == 0:
		return "R3", "PR3"
	case day.Before(zSplit):
		return "Z1", ""
	}
	return []string{"Z11", "Z12", "Z13", "Z14"}[r.IntN(4)], ""
}

func synthChild(r *rand.Rand, kid SynthChild, t, end float64, growth func(float64) float64) []Episode {
	var out []Episode
	dob := kid.DOB
	birthday := func(m int) float64 { return float64(dayNum(Birthday(dob, m))) }
	leave := birthday(LeaveMonths)
	ageBand := func(t float64) AgeBand { return BandOfMonths(AgeMonths(dob, dateOf(t))) }
	b := ageBand(t)
	c := entryCategory(r, b, growth(t))
	place, prov := synthPlace(r, c, b, t)
	start := t
	close := func(at float64, reason string) {
		e := Episode{Child: kid.ID, DOB: dob, Start: dateOf(start), Place: place, Provider: prov}
		if at < end {
			e.End, e.Reason = dateOf(at), reason
		}
		out = append(out, e)
	}
	for {
		b = ageBand(t)
		br := synthBase
		g := growth(t)
		// Hazards out of (b, c): destinations Fostering, Residential,
		// Supported, Other, Exit, and a change within the category.
		var h [NumCategories + 2]float64
		switch c {
		case Fostering:
			h[Residential], h[Supported], h[Other] = br.f2r[b]*g, br.toS[b], br.f2o[b]
		case Residential:
			h[Fostering], h[Supported] = br.r2f[b], br.toS[b]*0.8
		case Supported:
			h[Fostering] = br.s2f[b]
		case Other:
			h[Fostering] = br.o2f[b]
		}
		h[Exit] = br.exit[b]
		if c == Other {
			h[Exit] *= 1.2
		}
		h[Exit+1] = br.self[b]
		var tot float64
		for i := range h {
			h[i] /= 365.25
			tot += h[i]
		}
		// The next boundary: a birthday that changes band, 18, a coding
		// change that recodes an open episode, or the end of the history.
		next := leave
		for _, m := range bandStartMonths[1:NumAgeBands] {
			if bd := birthday(m); bd > t && bd < next {
				next = bd
			}
		}
		recode := false
		for _, cd := range []time.Time{k3Start, zSplit} {
			if d := float64(dayNum(cd)); d > t && d < next && (place == "H5" && cd.Equal(k3Start) || place == "Z1" && cd.Equal(zSplit)) {
				next, recode = d, true
			}
		}
		next = math.Min(next, end)
		w := t + r.ExpFloat64()/tot
		if w >= next {
			t = next
			switch {
			case t >= end:
				close(end, "")
				return out
			case t >= leave:
				reason := "E8"
				if c == Fostering && r.IntN(3) == 0 {
					reason = "E17"
				} else if c == Supported || c == Residential {
					reason = []string{"E5", "E6", "E8"}[r.IntN(3)]
				}
				close(t, reason)
				return out
			case recode:
				close(t, "X1")
				start = t
				place, prov = synthPlace(r, c, b, t)
			}
			continue
		}
		// Whole days: an event on the episode's first day moves to the next.
		w = math.Max(math.Floor(w), math.Floor(start)+1)
		if w >= next {
			t = next - 1e-9
			continue
		}
		t = w
		j := pick(r, h[:])
		switch {
		case j == Exit:
			reason := "E4A"
			switch {
			case b <= Age1to4 && c == Other:
				reason = "E11"
			case r.IntN(4) == 0:
				reason = "E45"
			}
			close(t, reason)
			// Some come back before 18.
			if b < Age16to17 && r.IntN(100) < 12 {
				back := t + 30 + r.ExpFloat64()*365
				if back < math.Min(leave-30, end) {
					t = back
					start = t
					c = entryCategory(r, ageBand(t), growth(t))
					place, prov = synthPlace(r, c, ageBand(t), t)
					continue
				}
			}
			return out
		case j == Exit+1:
			close(t, "X1")
		default:
			close(t, "X1")
			c = Category(j)
		}
		start = t
		place, prov = synthPlace(r, c, b, t)
	}
}

// SynthNeedBands are the synthetic councils' need bands, least first.
var SynthNeedBands = []string{"low", "medium", "high", "complex"}

// synthNeedMix is the band mix of a first assessment by category (England's
// councils see far higher needs among children in residential care).
var synthNeedMix = [NumCategories][4]float64{
	Fostering:   {0.35, 0.40, 0.20, 0.05},
	Residential: {0.05, 0.25, 0.45, 0.25},
	Supported:   {0.25, 0.45, 0.25, 0.05},
	Other:       {0.50, 0.35, 0.12, 0.03},
}

// SynthesizeNeeds gives a synthetic history dated need assessments: each
// period of care's first about six weeks after it starts (exponential, mean
// 45 days), then one about every six months (150–210 days) while the child
// is in care and under 18. A first assessment's band is drawn by the
// child's category then (one band higher a third of the time from age 10);
// each later one drifts a band up or down — up more often in residential
// care (15% up, 8% down) than elsewhere (8% up, 12% down), so needs rise
// with a residential share that rises. It has its own random stream, so the
// episodes (Synthesize) are the same with or without it.
func SynthesizeNeeds(eps []Episode, seed uint64) NeedHistory {
	r := rand.New(rand.NewPCG(seed, 0x4eed5))
	out := NeedHistory{}
	for _, ch := range byChild(eps) {
		dob := ch[0].DOB
		leave := Birthday(dob, LeaveMonths)
		band := -1
		var changes []NeedChange
		for i, e := range ch {
			if continues(ch, i) {
				continue
			}
			// The period of care: this episode and those continuing it.
			end := e.End
			c := CategoryOf(e.Place)
			last := i
			for j := continuation(ch, last); j >= 0; j = continuation(ch, last) {
				last = j
				end = ch[j].End
			}
			catOn := func(d time.Time) Category {
				for k := i; k <= last; k++ {
					if ch[k].Open(d) {
						return CategoryOf(ch[k].Place)
					}
				}
				return c
			}
			d := e.Start.AddDate(0, 0, int(r.ExpFloat64()*45)+1)
			for (end.IsZero() || d.Before(end)) && d.Before(leave) {
				cat := catOn(d)
				switch {
				case band < 0:
					band = pick(r, synthNeedMix[cat][:])
					if AgeMonths(dob, d) >= 120 && band < 3 && r.IntN(3) == 0 {
						band++
					}
				default:
					up, down := 0.08, 0.12
					if cat == Residential {
						up, down = 0.15, 0.08
					}
					switch u := r.Float64(); {
					case u < up && band < 3:
						band++
					case u >= up && u < up+down && band > 0:
						band--
					}
				}
				if n := len(changes); n == 0 || changes[n-1].Band != SynthNeedBands[band] {
					changes = append(changes, NeedChange{On: d, Band: SynthNeedBands[band]})
				}
				d = d.AddDate(0, 0, 150+r.IntN(61))
			}
		}
		if len(changes) > 0 {
			out[ch[0].Child] = changes
		}
	}
	return out
}
