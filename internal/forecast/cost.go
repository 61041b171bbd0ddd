package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// CostSample is one child in care on the as-of date with a recorded weekly
// cost, as the cost model needs them. Group is the commissioning group
// (in-house or agency fostering, kinship, children's home...); NeedBand is
// "" when the child's needs are not assessed. Money is in pence a week.
type CostSample struct {
	Category                      Category
	Group                         string
	NeedBand                      string
	Band                          AgeBand
	Weekly                        int64
	SocialCare, Education, Health int64
}

// UnitCost is the mean weekly cost of similar children and who pays it.
type UnitCost struct {
	Children                      int
	Weekly                        float64
	SocialCare, Education, Health float64
	// Basis says how similar: "category × need × age", or a coarser level
	// when fewer than MinCostSample children were alike.
	Basis string
}

// MinCostSample is the fewest children a unit cost is taken from before the
// model falls back to a coarser match.
const MinCostSample = 5

type costKey struct {
	c    Category
	need string
	b    AgeBand
}

// CostModel holds unit costs of similar children and the need mix each
// category and band is costed with.
type CostModel struct {
	// Uplift is the yearly price rise (0.03 for 3%).
	Uplift float64
	cells  map[costKey]*UnitCost
	mix    map[[2]int]map[string]float64 // (category, band) → need band → share
	needs  []string
	groups map[string]*UnitCost
}

// GroupUnit is the mean weekly cost of children in a commissioning group
// (analytics.InHouseFoster, analytics.AgencyFoster...).
func (cm *CostModel) GroupUnit(group string) (UnitCost, bool) {
	u := cm.groups[group]
	if u == nil {
		return UnitCost{}, false
	}
	out := *u
	out.Basis = "group"
	return out, true
}

// NewCostModel builds unit costs from the actual weekly costs of children in
// care: by category × need band × age band, falling back to category × need,
// category × age, category, and all children when a cell has fewer than
// MinCostSample.
func NewCostModel(samples []CostSample, uplift float64) (*CostModel, error) {
	if math.IsNaN(uplift) || uplift < -0.5 || uplift > 1 {
		return nil, fmt.Errorf("%w: uplift: %g; want −0.5 to 1 (a share a year)", ErrOptions, uplift)
	}
	if len(samples) == 0 {
		return nil, errors.New("cost model: no children with a recorded weekly cost")
	}
	// The model is a function of sums over children alike, so a council's
	// is built from its own sums exactly as a region's is from theirs
	// (costModelOf, pool_cost.go): one implementation of the fallbacks.
	return costModelOf(CostInputsOf(samples), uplift), nil
}

// Unit is the unit cost for a category, need band and age band.
func (cm *CostModel) Unit(c Category, need string, b AgeBand) UnitCost {
	for i, k := range []costKey{{c, need, b}, {c, need, -1}, {c, "*", b}, {c, "*", -1}, {-1, "*", -1}} {
		if u := cm.cells[k]; u != nil && (u.Children >= MinCostSample || i == 4) {
			out := *u
			out.Basis = []string{"category × need × age", "category × need", "category × age", "category", "all children"}[i]
			return out
		}
	}
	return UnitCost{Basis: "none"}
}

// Needs are the need bands the costs were drawn from ("" for not assessed).
func (cm *CostModel) Needs() []string { return cm.needs }

// needMix is the share of each need band in a category and age band; where
// no child of the cell had a cost, the category's mix over all ages.
func (cm *CostModel) needMix(c Category, b AgeBand) map[string]float64 {
	if m := cm.mix[[2]int{int(c), int(b)}]; m != nil {
		return m
	}
	all := map[string]float64{}
	var t float64
	for k, m := range cm.mix {
		if k[0] == int(c) {
			for n, v := range m {
				all[n] += v
				t += v
			}
		}
	}
	for n := range all {
		all[n] /= t
	}
	return all
}

// CostMonth is a month's forecast spend, in pence, at that month's prices.
type CostMonth struct {
	Date                          time.Time
	Total                         float64
	Category                      [NumCategories]float64
	Need                          map[string]float64
	SocialCare, Education, Health float64
}

// monthNeeds is a month's mean children of category c and age band b by
// need band: the forecast's own (Month.Need, from the need-band model) when
// it has them, otherwise the month's children shared as today's costed
// children of that category and band are.
func (cm *CostModel) monthNeeds(mo *Month, c Category, b AgeBand) map[string]float64 {
	out := map[string]float64{}
	if mo.Need != nil {
		for need, v := range mo.Need {
			if n := v[c][b]; n != 0 {
				out[need] = n
			}
		}
		return out
	}
	if n := mo.Mix[c][b]; n != 0 {
		for need, share := range cm.needMix(c, b) {
			out[need] = n * share
		}
	}
	return out
}

// Spend prices a forecast: each month's mean children in each category,
// age band and need band (the forecast's own need bands, or today's mix
// when it has none: monthNeeds), times the unit cost of similar children,
// times the month's weeks (the first from the as-of date to its month end),
// raised by the uplift for the years since the as-of date.
func (cm *CostModel) Spend(f *Forecast) []CostMonth {
	out := make([]CostMonth, 0, len(f.Months))
	prev := f.AsOf
	for _, mo := range f.Months {
		weeks := mo.Date.Sub(prev).Hours() / 24 / 7
		prev = mo.Date
		years := mo.Date.Sub(f.AsOf).Hours() / 24 / 365.25
		price := math.Pow(1+cm.Uplift, years) * weeks
		cmo := CostMonth{Date: mo.Date, Need: map[string]float64{}}
		for c := range Category(NumCategories) {
			for b := range AgeBand(NumAgeBands) {
				for need, n := range cm.monthNeeds(&mo, c, b) {
					u := cm.Unit(c, need, b)
					k := n * price
					cmo.Total += k * u.Weekly
					cmo.Category[c] += k * u.Weekly
					cmo.Need[need] += k * u.Weekly
					cmo.SocialCare += k * u.SocialCare
					cmo.Education += k * u.Education
					cmo.Health += k * u.Health
				}
			}
		}
		out = append(out, cmo)
	}
	return out
}

// Sufficiency is one future quarter's demand for a category and need band
// against the places in the region.
type Sufficiency struct {
	Quarter  time.Time
	Category Category
	NeedBand string
	Needed   float64
	// Places is the in-region supply for the category (all need bands: a
	// place is not reserved for a band), Gap = Needed − Places across the
	// category, OutOfArea the share of the category's children who would be
	// placed out of the region if nothing changes.
	Places    float64
	Gap       float64
	OutOfArea float64
}

// SufficiencyByQuarter sets children needing each category and need band at
// each quarter end against the in-region places of that category. The
// out-of-area share is the larger of today's share and the share that
// cannot be placed in region.
func (cm *CostModel) SufficiencyByQuarter(f *Forecast, places [NumCategories]float64, outOfAreaNow [NumCategories]float64) []Sufficiency {
	var out []Sufficiency
	for i, mo := range f.Months {
		if (i+1)%3 != 0 {
			continue
		}
		for c := range Category(NumCategories) {
			need := map[string]float64{}
			var tot float64
			for b := range AgeBand(NumAgeBands) {
				for nb, n := range cm.monthNeeds(&mo, c, b) {
					need[nb] += n
					tot += n
				}
			}
			gap := tot - places[c]
			share := outOfAreaNow[c]
			if tot > 0 {
				share = math.Max(share, math.Max(0, gap)/tot)
			}
			bands := make([]string, 0, len(need))
			for nb := range need {
				bands = append(bands, nb)
			}
			slices.Sort(bands)
			for _, nb := range bands {
				out = append(out, Sufficiency{Quarter: mo.Date, Category: c, NeedBand: nb, Needed: need[nb], Places: places[c], Gap: gap, OutOfArea: share})
			}
		}
	}
	return out
}
