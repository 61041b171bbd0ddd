package analytics

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Child is one child in care on the as-of date, as the figures need them.
type Child struct {
	LAID         int32     `json:"la_id"`
	ChildID      int64     `json:"child_id"`
	ChildRef     string    `json:"child_ref,omitempty"` // only for children a page lists
	Age          int       `json:"age"`
	BirthYM      int32     `json:"-"` // year × 100 + month, for de-identified extracts
	YearsInCare  float64   `json:"years_in_care"`
	UASC         bool      `json:"uasc"`
	EHC          bool      `json:"ehc_plan"`
	LegalStatus  string    `json:"legal_status"`
	Place        string    `json:"place"`
	Group        string    `json:"placement_group"`
	ProviderKind string    `json:"provider_kind"`
	ProviderID   int64     `json:"provider_id"`
	OutOfArea    bool      `json:"out_of_area"`
	Distance     float64   `json:"distance_miles"` // −1 when not known
	WeeklyPence  int64     `json:"weekly_pence"`   // −1 when no cost is recorded
	Assessed     bool      `json:"assessed"`
	AssessedOn   time.Time `json:"assessed_on"`
	Levels       []int32   `json:"levels"`
	Score        int32     `json:"score"`
	Band         string    `json:"band"`
	// RecordKey is the child's fixed random key for regional disclosure
	// control (sharing.RecordKey); zero outside regional figures.
	RecordKey uint8 `json:"-"`
}

// HasCost reports whether a weekly cost is recorded for the child's placement.
func (c Child) HasCost() bool { return c.WeeklyPence >= 0 }

// Placement groups, as commissioners speak of them.
const (
	InHouseFoster = "In-house foster care"
	AgencyFoster  = "Agency foster care"
	Kinship       = "Kinship care"
	Home          = "Children's home"
	Supported     = "Supported accommodation"
	Parents       = "With parents"
	Adoption      = "Placed for adoption"
	Other         = "Other"
)

// Groups lists placement groups in display order.
var Groups = []string{InHouseFoster, AgencyFoster, Kinship, Home, Supported, Parents, Adoption, Other}

// FamilyBased are the groups a step-down moves a child into.
var FamilyBased = map[string]bool{InHouseFoster: true, AgencyFoster: true, Kinship: true}

// GroupOf places an SSDA903 placement code and provider kind in a group.
func GroupOf(place, providerKind string) string {
	switch place {
	case "U1", "U2", "U3":
		return Kinship
	case "U4", "U5", "U6":
		if providerKind == "PR1" || providerKind == "PR2" {
			return InHouseFoster
		}
		return AgencyFoster
	case "K1", "K2":
		return Home
	case "K3", "H5", "P2":
		return Supported
	case "P1":
		return Parents
	case "A3", "A4", "A5", "A6":
		return Adoption
	}
	return Other
}

// Bands lists need bands of the default instrument, least first.
var Bands = []string{"low", "medium", "high", "complex"}

// Filter chooses a cohort. Zero values mean "any".
type Filter struct {
	LAID        int32  `json:"la_id,omitempty"`
	Group       string `json:"placement_group,omitempty"`
	Band        string `json:"band,omitempty"` // a band, or "none" for no approved assessment
	AgeBand     string `json:"age_band,omitempty"`
	TimeInCare  string `json:"time_in_care,omitempty"`
	LegalStatus string `json:"legal_status,omitempty"`
	UASC        *bool  `json:"uasc,omitempty"`
	EHC         *bool  `json:"ehc_plan,omitempty"`
	ProviderID  int64  `json:"provider_id,omitempty"`
}

// AgeBands and TimeInCareBands are the filter's bands.
var (
	AgeBands        = []string{"0-4", "5-9", "10-15", "16-17"}
	TimeInCareBands = []string{"under 1 year", "1-2 years", "2-5 years", "5 years or more"}
)

// AgeBandOf is the age band of an age in whole years.
func AgeBandOf(age int) string {
	switch {
	case age < 5:
		return "0-4"
	case age < 10:
		return "5-9"
	case age < 16:
		return "10-15"
	}
	return "16-17"
}

// CareBandOf is the time-in-care band of a number of years in care.
func CareBandOf(years float64) string { return careBand(years) }

func careBand(years float64) string {
	switch {
	case years < 1:
		return TimeInCareBands[0]
	case years < 2:
		return TimeInCareBands[1]
	case years < 5:
		return TimeInCareBands[2]
	}
	return TimeInCareBands[3]
}

// Match reports whether a child is in the filtered cohort.
func (f Filter) Match(c *Child) bool {
	switch {
	case f.LAID != 0 && c.LAID != f.LAID,
		f.Group != "" && c.Group != f.Group,
		f.Band == "none" && c.Assessed,
		f.Band != "" && f.Band != "none" && c.Band != f.Band,
		f.AgeBand != "" && AgeBandOf(c.Age) != f.AgeBand,
		f.TimeInCare != "" && careBand(c.YearsInCare) != f.TimeInCare,
		f.LegalStatus != "" && c.LegalStatus != f.LegalStatus,
		f.UASC != nil && c.UASC != *f.UASC,
		f.EHC != nil && c.EHC != *f.EHC,
		f.ProviderID != 0 && c.ProviderID != f.ProviderID:
		return false
	}
	return true
}

// Figure is a number with what it is about.
type Figure struct {
	N          int     `json:"n"`
	Value      float64 `json:"value"`
	Definition string  `json:"definition"`
	// Reason says why Value could not be worked out; Value is then NaN in Go,
	// null in JSON, empty in CSV and "not computed" on pages, never "NaN".
	Reason string `json:"reason,omitempty"`
}

// Known reports whether the figure could be worked out.
func (f Figure) Known() bool {
	return f.Reason == "" && !math.IsNaN(f.Value) && !math.IsInf(f.Value, 0)
}

// Format writes the value with prec decimals, or "" when it is not known.
func (f Figure) Format(prec int) string {
	if !f.Known() {
		return ""
	}
	return strconv.FormatFloat(f.Value, 'f', prec, 64)
}

// MarshalJSON writes an unknown value as null beside its reason: NaN has no
// JSON spelling, and encoding/json would otherwise fail the whole answer.
func (f Figure) MarshalJSON() ([]byte, error) {
	out := struct {
		N          int      `json:"n"`
		Value      *float64 `json:"value"`
		Reason     string   `json:"reason,omitempty"`
		Definition string   `json:"definition"`
	}{N: f.N, Reason: f.Reason, Definition: f.Definition}
	if f.Known() {
		out.Value = &f.Value
	} else if out.Reason == "" {
		out.Reason = "it cannot be worked out from these children"
	}
	return json.Marshal(out)
}

// correlation is a correlation figure with the reason it is missing, if it is.
func correlation(x, y []float64, fn func(x, y []float64) float64, def string) Figure {
	f := Figure{N: len(x), Value: fn(x, y), Definition: def}
	switch {
	case len(x) < 2:
		f.Reason = "fewer than two children with a score and a cost"
	case !varies(x):
		f.Reason = "every child with a score and a cost has the same need score"
	case !varies(y):
		f.Reason = "every child with a score and a cost has the same weekly cost"
	case math.IsNaN(f.Value) || math.IsInf(f.Value, 0):
		f.Reason = "the correlation cannot be worked out from these children"
	}
	return f
}

func varies(xs []float64) bool {
	for _, x := range xs {
		if x != xs[0] {
			return true
		}
	}
	return false
}

// Spread is the distribution of weekly costs of a group, in pounds.
type Spread struct {
	Key    string  `json:"key"`
	ID     int64   `json:"provider_id,omitempty"` // in provider spreads
	N      int     `json:"n"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	Mean   float64 `json:"mean"`
}

// spreadOf sorts xs in place and reads its quartiles.
func spreadOf(key string, xs []float64) Spread {
	s := Spread{Key: key, N: len(xs)}
	if len(xs) == 0 {
		return s
	}
	sort.Float64s(xs)
	s.Q1, s.Median, s.Q3 = sortedQuantile(xs, 0.25), sortedQuantile(xs, 0.5), sortedQuantile(xs, 0.75)
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(len(xs))
	return s
}

// Cohort is every cohort figure for a filter on an as-of date.
type Cohort struct {
	AsOf time.Time `json:"as_of"`
	// ComputedAt is when the figures were worked out: today's view's refresh
	// time, or the moment of the request when read from the tables.
	ComputedAt time.Time      `json:"computed_at"`
	Councils   []int32        `json:"councils"` // whose children the figures count
	Filter     Filter         `json:"filter"`
	N          int            `json:"n"`
	Assessed   int            `json:"n_assessed"`
	Costed     int            `json:"n_costed"`
	Both       int            `json:"n_assessed_and_costed"`
	Stale      int            `json:"n_assessment_over_a_year_old"`
	Bands      map[string]int `json:"bands"`
	Groups     map[string]int `json:"placement_groups"`
	// Prevalence[d][l] counts assessed children with level l in domain d.
	Prevalence [][]int `json:"prevalence"`
	Pearson    Figure  `json:"pearson"`
	Spearman   Figure  `json:"spearman"`
	// CostByBandGroup is weekly cost by band × placement group.
	CostByBandGroup []Spread         `json:"cost_by_band_and_placement"`
	NeedsByTime     []TimeRow        `json:"needs_by_time_in_care"`
	EHC             EHCDiff          `json:"ehc_difference"`
	Providers       []ProviderSpread `json:"provider_spread"`
	StepDown        StepDown         `json:"step_down"`
	Points          []Point          `json:"points"`              // need score and weekly cost per child, for the scatter
	Referrals       *Referrals       `json:"referrals,omitempty"` // from Placements Data Standard records (referrals.go); council views only
	Empty           string           `json:"empty,omitempty"`     // why there is nothing to show
}

// TimeRow is mean need by time in care.
type TimeRow struct {
	Band      string    `json:"time_in_care"`
	N         int       `json:"n"`
	MeanScore float64   `json:"mean_score"`
	MeanLevel []float64 `json:"mean_level_by_domain"`
}

// EHCDiff compares weekly costs with and without an EHC plan.
type EHCDiff struct {
	With, Without Spread  `json:"-"`
	WithN         int     `json:"with_n"`
	WithoutN      int     `json:"without_n"`
	WithMedian    float64 `json:"with_median"`
	WithoutMedian float64 `json:"without_median"`
	Difference    float64 `json:"median_difference"`
}

// MarshalJSON writes a median of nobody, and a difference involving one, as
// null with the reason instead of a made-up £0.
func (e EHCDiff) MarshalJSON() ([]byte, error) {
	out := struct {
		WithN            int      `json:"with_n"`
		WithoutN         int      `json:"without_n"`
		WithMedian       *float64 `json:"with_median"`
		WithoutMedian    *float64 `json:"without_median"`
		Difference       *float64 `json:"median_difference"`
		DifferenceReason string   `json:"median_difference_reason,omitempty"`
	}{WithN: e.WithN, WithoutN: e.WithoutN}
	if e.WithN > 0 {
		out.WithMedian = &e.WithMedian
	}
	if e.WithoutN > 0 {
		out.WithoutMedian = &e.WithoutMedian
	}
	switch {
	case e.WithN == 0:
		out.DifferenceReason = "no child with an EHC plan has a weekly cost"
	case e.WithoutN == 0:
		out.DifferenceReason = "no child without an EHC plan has a weekly cost"
	default:
		out.Difference = &e.Difference
	}
	return json.Marshal(out)
}

// ProviderSpread is what providers charge for children in one band and placement group.
type ProviderSpread struct {
	Band      string   `json:"band"`
	Group     string   `json:"placement_group"`
	Providers []Spread `json:"providers"` // Key is the provider ID
	Ratio     float64  `json:"highest_to_lowest_median"`
}

// StepDown lists children who could move to family-based care, with the saving.
type StepDown struct {
	Rule         string            `json:"rule"`
	Candidates   []Candidate       `json:"candidates"`
	Annual       float64           `json:"annual_saving"`
	FamilyMedian map[string]Figure `json:"family_based_median_by_band"`
}

// Candidate is one step-down candidate.
type Candidate struct {
	Child        Child   `json:"child"`
	FamilyWeekly float64 `json:"family_based_weekly"`
	Annual       float64 `json:"annual_saving"`
}

// Point is one child on the needs-versus-cost scatter.
type Point struct {
	Score  int32   `json:"score"`
	Weekly float64 `json:"weekly"`
	Band   string  `json:"band"`
}

// StepRule is a council's rule for step-down candidates.
type StepRule struct {
	Places map[string]bool
	Bands  map[string]bool
}

// Compute works out every cohort figure from the children in care on asOf.
// rules gives each council's step-down rule.
func Compute(all []Child, f Filter, asOf time.Time, domains int, rules map[int32]StepRule) Cohort {
	c := Cohort{AsOf: asOf, Filter: f, Bands: map[string]int{}, Groups: map[string]int{}, Prevalence: make([][]int, domains)}
	for d := range c.Prevalence {
		c.Prevalence[d] = make([]int, 5)
	}
	// Pointers, not copies: a national cohort is 100,000 children.
	kids := make([]*Child, 0, len(all))
	for i := range all {
		if f.Match(&all[i]) {
			kids = append(kids, &all[i])
		}
	}
	c.N = len(kids)
	if c.N == 0 {
		c.Empty = "No child in care on " + asOf.Format("2 January 2006") + " matches this filter."
		c.Pearson = correlation(nil, nil, Pearson, "Pearson correlation of need score (0–48) with weekly placement cost, children with both")
		c.Spearman = correlation(nil, nil, Spearman, "Spearman rank correlation of need score with weekly placement cost, children with both")
		return c
	}
	xs, ys := make([]float64, 0, len(kids)), make([]float64, 0, len(kids))
	c.Points = make([]Point, 0, len(kids))
	costs := map[[2]string][]float64{}
	ehc := map[bool][]float64{}
	times := map[string]*TimeRow{}
	for _, b := range TimeInCareBands {
		times[b] = &TimeRow{Band: b, MeanLevel: make([]float64, domains)}
	}
	prov := map[[2]string]map[int64][]float64{}
	for _, k := range kids {
		c.Groups[k.Group]++
		if k.Assessed {
			c.Assessed++
			c.Bands[k.Band]++
			if asOf.Sub(k.AssessedOn) > 365*24*time.Hour {
				c.Stale++
			}
			for d, l := range k.Levels {
				if d < domains && l >= 0 && l < 5 {
					c.Prevalence[d][l]++
				}
			}
			t := times[careBand(k.YearsInCare)]
			t.N++
			t.MeanScore += float64(k.Score)
			for d, l := range k.Levels {
				if d < domains {
					t.MeanLevel[d] += float64(l)
				}
			}
		} else {
			c.Bands["none"]++
		}
		if k.HasCost() {
			c.Costed++
			w := float64(k.WeeklyPence) / 100
			ehc[k.EHC] = append(ehc[k.EHC], w)
			if k.Assessed {
				c.Both++
				xs, ys = append(xs, float64(k.Score)), append(ys, w)
				c.Points = append(c.Points, Point{Score: k.Score, Weekly: w, Band: k.Band})
				key := [2]string{k.Band, k.Group}
				costs[key] = append(costs[key], w)
				if k.ProviderID != 0 {
					pk := [2]string{k.Band, k.Group}
					if prov[pk] == nil {
						prov[pk] = map[int64][]float64{}
					}
					prov[pk][k.ProviderID] = append(prov[pk][k.ProviderID], w)
				}
			}
		}
	}
	c.Pearson = correlation(xs, ys, Pearson, "Pearson correlation of need score (0–48) with weekly placement cost, children with both")
	c.Spearman = correlation(xs, ys, Spearman, "Spearman rank correlation of need score with weekly placement cost, children with both")
	for _, b := range Bands {
		for _, g := range Groups {
			if xs := costs[[2]string{b, g}]; len(xs) > 0 {
				c.CostByBandGroup = append(c.CostByBandGroup, spreadOf(b+"|"+g, xs))
			}
		}
	}
	for _, b := range TimeInCareBands {
		t := times[b]
		if t.N > 0 {
			t.MeanScore /= float64(t.N)
			for d := range t.MeanLevel {
				t.MeanLevel[d] /= float64(t.N)
			}
		}
		c.NeedsByTime = append(c.NeedsByTime, *t)
	}
	c.EHC = EHCDiff{With: spreadOf("with", ehc[true]), Without: spreadOf("without", ehc[false])}
	c.EHC.WithN, c.EHC.WithoutN, c.EHC.WithMedian, c.EHC.WithoutMedian = c.EHC.With.N, c.EHC.Without.N, c.EHC.With.Median, c.EHC.Without.Median
	c.EHC.Difference = c.EHC.WithMedian - c.EHC.WithoutMedian
	for _, b := range Bands {
		for _, g := range Groups {
			m := prov[[2]string{b, g}]
			if len(m) < 2 {
				continue
			}
			ps := ProviderSpread{Band: b, Group: g}
			lo, hi := math.Inf(1), math.Inf(-1)
			for id, xs := range m {
				s := spreadOf(fmt.Sprint(id), xs)
				s.ID = id
				ps.Providers = append(ps.Providers, s)
				lo, hi = math.Min(lo, s.Median), math.Max(hi, s.Median)
			}
			// By median, then provider: the map's order is random, and providers of
			// one median must come out the same way every time (a past date's
			// kept rows and the tables once listed them differently).
			sort.Slice(ps.Providers, func(i, j int) bool {
				a, b := ps.Providers[i], ps.Providers[j]
				return a.Median < b.Median || a.Median == b.Median && a.ID < b.ID
			})
			if lo > 0 {
				ps.Ratio = hi / lo
			}
			c.Providers = append(c.Providers, ps)
		}
	}
	c.StepDown = stepDown(kids, rules)
	return c
}

// stepDown finds children whose council's rule makes them candidates and works
// out the annual saving of a family-based placement at the median weekly cost
// for children in family-based care with the same band (in the cohort).
func stepDown(kids []*Child, rules map[int32]StepRule) StepDown {
	sd := StepDown{Rule: "children in the places each council names (by default children's homes, K1 and K2) with the bands it names (by default low and medium); saving = (their weekly cost − the median weekly cost of family-based care for children in the same band) × 52",
		FamilyMedian: map[string]Figure{}}
	family := map[string][]float64{}
	for _, k := range kids {
		if k.Assessed && k.HasCost() && FamilyBased[k.Group] {
			family[k.Band] = append(family[k.Band], float64(k.WeeklyPence)/100)
		}
	}
	for b, xs := range family {
		sd.FamilyMedian[b] = Figure{N: len(xs), Value: Quantile(xs, 0.5), Definition: "median weekly cost of family-based care, band " + b}
	}
	for _, k := range kids {
		r, ok := rules[k.LAID]
		if !ok || !k.Assessed || !k.HasCost() || !r.Places[k.Place] || !r.Bands[k.Band] {
			continue
		}
		fm, ok := sd.FamilyMedian[k.Band]
		if !ok {
			continue
		}
		saving := (float64(k.WeeklyPence)/100 - fm.Value) * 52
		if saving <= 0 {
			continue
		}
		sd.Candidates = append(sd.Candidates, Candidate{Child: *k, FamilyWeekly: fm.Value, Annual: saving})
		sd.Annual += saving
	}
	sort.Slice(sd.Candidates, func(i, j int) bool { return sd.Candidates[i].Annual > sd.Candidates[j].Annual })
	return sd
}

// Fit says in words how a child's cost and placement compare with similar children.
type Fit struct {
	WeeklyPence int64    `json:"weekly_pence"`
	Score       int32    `json:"score"`
	Band        string   `json:"band"`
	PerPoint    float64  `json:"cost_per_need_point"`
	BandMedian  float64  `json:"band_median_weekly"`
	BandN       int      `json:"band_n"`
	Ratio       float64  `json:"ratio_to_band_median"`
	Notes       []string `json:"notes"`
}

// FitOf compares one child with the council's children in care.
func FitOf(k Child, council []Child) Fit { return FitAgainst(k, MediansOf(council)) }

// Medians is what a child's fit is judged against: the council's median
// weekly cost for each band, and the band each placement group usually
// supports. Worked out once for a council (MediansOf), it answers every child
// page without reading the council again.
type Medians struct {
	Band  map[string]BandMedian // by needs band: children assessed, with a cost
	Usual map[string]string     // by placement group, with at least 5 assessed children: their median band
}

// BandMedian is the median weekly cost of a band's children, and how many there are.
type BandMedian struct {
	Weekly float64
	N      int
}

var bandRank = map[string]int{"low": 0, "medium": 1, "high": 2, "complex": 3}

// MediansOf works out a council's medians from its children in care.
func MediansOf(council []Child) Medians {
	costs := map[string][]float64{}
	ranks := map[string][]float64{}
	for _, c := range council {
		if !c.Assessed {
			continue
		}
		if c.HasCost() {
			costs[c.Band] = append(costs[c.Band], float64(c.WeeklyPence)/100)
		}
		ranks[c.Group] = append(ranks[c.Group], float64(bandRank[c.Band]))
	}
	m := Medians{Band: map[string]BandMedian{}, Usual: map[string]string{}}
	for b, xs := range costs {
		m.Band[b] = BandMedian{Weekly: Quantile(xs, 0.5), N: len(xs)}
	}
	for g, xs := range ranks {
		if len(xs) >= 5 {
			m.Usual[g] = Bands[int(math.Round(Quantile(xs, 0.5)))]
		}
	}
	return m
}

// FitAgainst compares one child with their council's medians.
func FitAgainst(k Child, m Medians) Fit {
	f := Fit{WeeklyPence: k.WeeklyPence, Score: k.Score, Band: k.Band}
	if !k.Assessed {
		f.Notes = append(f.Notes, "No approved needs assessment, so cost cannot be set against needs.")
	}
	if !k.HasCost() {
		f.Notes = append(f.Notes, "No weekly cost is recorded for the current placement.")
	}
	if !k.Assessed || !k.HasCost() {
		return f
	}
	w := float64(k.WeeklyPence) / 100
	if k.Score > 0 {
		f.PerPoint = w / float64(k.Score)
	}
	if bm, ok := m.Band[k.Band]; ok && bm.N > 0 {
		f.BandN, f.BandMedian = bm.N, bm.Weekly
		if f.BandMedian > 0 {
			f.Ratio = w / f.BandMedian
		}
		switch {
		case f.Ratio >= 1.5:
			f.Notes = append(f.Notes, fmt.Sprintf("Costs %.1f× the council median (£%.0f a week, n = %d) for children with %s needs.", f.Ratio, f.BandMedian, f.BandN, k.Band))
		case f.Ratio > 0 && f.Ratio <= 0.67:
			f.Notes = append(f.Notes, fmt.Sprintf("Costs %.1f× the council median (£%.0f a week, n = %d) for children with %s needs: well below it.", f.Ratio, f.BandMedian, f.BandN, k.Band))
		default:
			f.Notes = append(f.Notes, fmt.Sprintf("Costs about the council median (£%.0f a week, n = %d) for children with %s needs.", f.BandMedian, f.BandN, k.Band))
		}
	}
	if usual, ok := m.Usual[k.Group]; ok {
		switch d := bandRank[k.Band] - bandRank[usual]; {
		case d >= 2:
			f.Notes = append(f.Notes, fmt.Sprintf("%s needs in a placement type (%s) that usually supports %s needs.", title(k.Band), k.Group, usual))
		case d <= -2:
			f.Notes = append(f.Notes, fmt.Sprintf("%s needs in a placement type (%s) that usually supports %s needs: a step-down may fit.", title(k.Band), k.Group, usual))
		}
	}
	return f
}

func title(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-32) + s[1:]
}
