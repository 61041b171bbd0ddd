package forecasting

import (
	"time"

	"github.com/hearthcare/hearth/internal/forecast"
)

// View is a forecast laid out for JSON and templates: series by name.
type View struct {
	LAID       int32   `json:"la_id"`
	Council    string  `json:"council"`
	Population string  `json:"population"`
	AsOf       string  `json:"as_of"`
	WindowFrom string  `json:"window_from"`
	WindowTo   string  `json:"window_to"`
	Params     Params  `json:"params"`
	Method     string  `json:"method"`
	CompatNote string  `json:"compat_method"`
	Start      float64 `json:"start_children"`
	Costed     int     `json:"costed_children"`
	StepDown   int     `json:"step_down_candidates"`
	// NeedBasis says where the forecast's need bands come from.
	NeedBasis   string            `json:"need_basis"`
	Months      []ViewMonth       `json:"months"`
	Sufficiency []ViewSufficiency `json:"sufficiency"`
}

// ViewMonth is one month end's figures.
type ViewMonth struct {
	Date             string                       `json:"month_end"`
	Total            forecast.Interval            `json:"total"`
	Categories       map[string]forecast.Interval `json:"categories"`
	AgeBands         map[string]forecast.Interval `json:"age_bands"`
	CompatTotal      float64                      `json:"compat_total"`
	CompatCategories map[string]float64           `json:"compat_categories"`
	// NeedBands is the month's mean children by need band ("not assessed"
	// before a child's first approved assessment).
	NeedBands map[string]float64 `json:"need_bands,omitempty"`
	Spend     *ViewSpend         `json:"spend,omitempty"`
}

// ViewSpend is a month's forecast spend in pounds.
type ViewSpend struct {
	Total      float64            `json:"total"`
	Categories map[string]float64 `json:"categories"`
	NeedBands  map[string]float64 `json:"need_bands"`
	SocialCare float64            `json:"social_care"`
	Education  float64            `json:"education"`
	Health     float64            `json:"health"`
}

// ViewSufficiency is a quarter's demand against in-region places.
type ViewSufficiency struct {
	Quarter   string  `json:"quarter_end"`
	Category  string  `json:"category"`
	NeedBand  string  `json:"need_band"`
	Needed    float64 `json:"children_needing"`
	Places    float64 `json:"in_region_places"`
	Gap       float64 `json:"category_gap"`
	OutOfArea float64 `json:"out_of_area_share"`
}

// ViewOf lays out a result.
func ViewOf(r *Result) View {
	d := func(t time.Time) string { return t.Format(time.DateOnly) }
	v := View{LAID: r.LAID, Council: r.Council, Population: r.Population, AsOf: d(r.Params.AsOf), WindowFrom: d(r.WindowFrom), WindowTo: d(r.WindowTo),
		Params: r.Params, Method: r.Forecast.Method, Start: r.Forecast.Start, Costed: r.CostedChildren, StepDown: r.StepDownCandidates,
		CompatNote: "cs-demand-model v0.5.1's method (expected counts, its categories: K3 and Z11–Z14 as Other), same window"}
	if r.Forecast.NeedBands != nil {
		v.NeedBasis = "need bands projected as a state of the model: each child's band of their latest approved assessment on each day (not assessed before the first), moves between bands and entrants' bands at the window's rates; spend and sufficiency price these"
	} else {
		v.NeedBasis = "need bands held at today's mix within each category and age band"
	}
	for i, mo := range r.Forecast.Months {
		vm := ViewMonth{Date: d(mo.Date), Total: mo.Total, Categories: map[string]forecast.Interval{}, AgeBands: map[string]forecast.Interval{},
			CompatTotal: r.Compat.Months[i].Total.Mean, CompatCategories: map[string]float64{}}
		for c := range forecast.Category(forecast.NumCategories) {
			vm.Categories[c.String()] = mo.Category[c]
			vm.CompatCategories[c.String()] = r.Compat.Months[i].Category[c].Mean
		}
		for b := range forecast.AgeBand(forecast.NumAgeBands) {
			vm.AgeBands[b.String()] = mo.Band[b]
		}
		if mo.Need != nil {
			vm.NeedBands = map[string]float64{}
			for n, x := range mo.Need {
				var t float64
				for c := range forecast.NumCategories {
					for b := range forecast.NumAgeBands {
						t += x[c][b]
					}
				}
				vm.NeedBands[needName(n)] = t
			}
		}
		if r.Spend != nil {
			sp := r.Spend[i]
			vs := &ViewSpend{Total: sp.Total / 100, SocialCare: sp.SocialCare / 100, Education: sp.Education / 100, Health: sp.Health / 100,
				Categories: map[string]float64{}, NeedBands: map[string]float64{}}
			for c := range forecast.Category(forecast.NumCategories) {
				vs.Categories[c.String()] = sp.Category[c] / 100
			}
			for n, x := range sp.Need {
				if n == "" {
					n = "not assessed"
				}
				vs.NeedBands[n] = x / 100
			}
			vm.Spend = vs
		}
		v.Months = append(v.Months, vm)
	}
	for _, s := range r.Sufficiency {
		nb := s.NeedBand
		if nb == "" {
			nb = "not assessed"
		}
		v.Sufficiency = append(v.Sufficiency, ViewSufficiency{Quarter: d(s.Quarter), Category: s.Category.String(), NeedBand: nb,
			Needed: s.Needed, Places: s.Places, Gap: s.Gap, OutOfArea: s.OutOfArea})
	}
	return v
}

// ParseParams reads forecast parameters from a query (as_of, months, paths,
// seed, window, uplift), starting from the defaults.
func ParseParams(get func(string) string, today time.Time) (Params, error) {
	p := Defaults(today)
	var errs []error
	if v := get("as_of"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			errs = append(errs, fieldError{"as_of", "is not a date like 2026-03-31: " + v})
		}
		p.AsOf = t
	}
	intParam := func(name string, dst *int) {
		if v := get(name); v != "" {
			n, err := parseInt(v)
			if err != nil {
				errs = append(errs, fieldError{name, "is not a whole number: " + v})
			}
			*dst = n
		}
	}
	intParam("months", &p.Months)
	intParam("paths", &p.Paths)
	intParam("window", &p.WindowMonths)
	var seed int
	p2 := int(p.Seed)
	seed = p2
	intParam("seed", &seed)
	if seed < 0 {
		errs = append(errs, fieldError{"seed", "must be 0 or more"})
	}
	p.Seed = uint64(max(seed, 0))
	if v := get("uplift"); v != "" {
		x, err := parseFloat(v)
		if err != nil {
			errs = append(errs, fieldError{"uplift", "is not a number: " + v})
		}
		p.Uplift = x
	}
	if len(errs) > 0 {
		return p, errs[0]
	}
	return p, nil
}

type fieldError struct{ Field, Message string }

func (e fieldError) Error() string { return e.Field + " " + e.Message }
