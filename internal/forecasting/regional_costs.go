package forecasting

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/sharing"
)

// The regional forecast's spend, sufficiency, scenarios and compatibility
// figures come from what each member council shares beside its demand
// statistics (schema 037): summed weekly costs per category × need band ×
// age band (forecast.CostInputs), its children in and out of area and its
// step-down candidates as disclosure-control counts, and the anchor
// method's daily stock and moves. Every figure the RCC sees is protected as
// the rest of the regional forecast is: counts of real children through the
// RCC's cell key perturbation; modelled children withheld below the
// smallest count and otherwise rounded to 5; money shown only beside
// modelled children that are shown, rounded to the nearest MoneyRoundTo
// pounds; shares only where both counts they come from are shown.

// MoneyRoundTo is what published regional sums of money are rounded to, in
// pounds.
const MoneyRoundTo = 1000

// sharedAggregates is the aggregates document of a council's shared row.
type sharedAggregates struct {
	Costs    forecast.CostInputs                      `json:"costs"`
	Costed   sharing.Count                            `json:"costed"`
	Placed   [forecast.NumCategories][2]sharing.Count `json:"placed"` // in the council's area, out of it
	StepDown sharing.Count                            `json:"step_down"`
	Compat   *forecast.CompatInputs                   `json:"compat"`
	// Backtest is the council's sums at each past origin (RegionBacktest),
	// nil when its history is too short for one.
	Backtest *forecast.BacktestInputs `json:"backtest,omitempty"`
	// Calibration is the model-error widening's sums at the as-of date
	// (forecast.CalibrationInputs): the regional intervals are widened.
	Calibration *forecast.CalibrationInputs `json:"calibration,omitempty"`
}

// RegionBacktest are the regional backtest's options for an as-of date and
// window: quarterly origins over the year that ended a year before the
// as-of date, scored at 6 and 12 months (as the council command's
// --backtest), with the forecast's paths and seed. Hearth's intervals are
// widened for model error at each origin, as the regional forecast's are,
// so the coverage published is that of the intervals published.
func RegionBacktest(asOf time.Time, windowMonths int, p Params) forecast.BacktestOptions {
	return forecast.BacktestOptions{Origins: forecast.QuarterlyOrigins(asOf.AddDate(-2, 0, 0), asOf.AddDate(-1, 0, 0)),
		WindowMonths: windowMonths, Horizons: []int{6, 12}, Paths: p.Paths, Seed: p.Seed, ModelError: true}
}

// Percent is a published percentage: one decimal, or withheld.
type Percent struct {
	V          float64 `json:"value"`
	Suppressed bool    `json:"suppressed"`
}

// String is the percentage as published.
func (p Percent) String() string {
	if p.Suppressed {
		return "c"
	}
	return fmt.Sprintf("%.1f%%", p.V)
}

// RegionalScorePair is one series' error for Hearth and the anchor method.
type RegionalScorePair struct {
	Name   string  `json:"series"`
	Hearth Percent `json:"hearth_mape"`
	Compat Percent `json:"compat_mape"`
}

// RegionalScore is a horizon's backtest as published.
type RegionalScore struct {
	Horizon    int                 `json:"horizon_months"`
	Points     int                 `json:"points"`
	Series     []RegionalScorePair `json:"series"`
	Coverage80 Percent             `json:"coverage_80"`
	Coverage95 Percent             `json:"coverage_95"`
}

// RegionalBacktest is the regional backtest as published: mean absolute
// percentage errors over months 1 to the horizon, rounded to 0.1%; a series
// is withheld when its smallest count in the scored months is below the
// RCC's smallest count (an error on a handful of children says more about
// them than about the model).
type RegionalBacktest struct {
	Origins      []time.Time     `json:"origins"`
	First, Last  time.Time       `json:"-"`
	WindowMonths int             `json:"window_months"`
	Scores       []RegionalScore `json:"scores"`
	Note         string          `json:"note"`
}

func publishBacktest(bt *forecast.Backtest, act *forecast.BacktestActuals, ctl sharing.Control) *RegionalBacktest {
	min := float64(max(ctl.MinCount, 1))
	small := func(get func(k int) float64) bool {
		for k := range act.Months {
			if get(k) < min {
				return true
			}
		}
		return false
	}
	pct := func(v float64, withheld bool) Percent {
		if withheld || math.IsNaN(v) || math.IsInf(v, 0) {
			return Percent{Suppressed: true}
		}
		return Percent{V: math.Round(v*10) / 10}
	}
	o := bt.Options.Origins
	out := &RegionalBacktest{Origins: o, First: o[0], Last: o[len(o)-1], WindowMonths: bt.Options.WindowMonths}
	for i, h := range bt.Hearth {
		c := bt.Compat[i]
		rs := RegionalScore{Horizon: h.Horizon, Points: h.Points}
		// Coverage is worked out over the series shown only: a share of
		// points that counted the withheld series would say whether their
		// small counts fell inside their intervals (the rule for shares and
		// errors: only from what is shown).
		var inside, inside95 float64
		var shown int
		add := func(k int, w bool) {
			if !w {
				inside += h.SeriesCoverage80[k]
				inside95 += h.SeriesCoverage95[k]
				shown++
			}
		}
		w := small(func(k int) float64 { return act.Total[k] })
		add(0, w)
		rs.Series = append(rs.Series, RegionalScorePair{"Total", pct(h.Total.MAPE, w), pct(c.Total.MAPE, w)})
		for k := range forecast.Category(forecast.NumCategories) {
			w := small(func(m int) float64 { return act.Category[m][k] })
			add(1+int(k), w)
			rs.Series = append(rs.Series, RegionalScorePair{k.String(), pct(h.Category[k].MAPE, w), pct(c.Category[k].MAPE, w)})
		}
		for b := range forecast.AgeBand(forecast.NumAgeBands) {
			w := small(func(m int) float64 { return act.Band[m][b] })
			add(1+forecast.NumCategories+int(b), w)
			rs.Series = append(rs.Series, RegionalScorePair{b.String() + " (cs-demand-model: " + forecast.CompatBracketNames[b] + ")", pct(h.Band[b].MAPE, w), pct(c.Band[b].MAPE, w)})
		}
		rs.Coverage80, rs.Coverage95 = pct(100*inside/float64(max(shown, 1)), shown == 0), pct(100*inside95/float64(max(shown, 1)), shown == 0)
		out.Scores = append(out.Scores, rs)
	}
	out.Note = "each origin's forecast is fitted on the sums each council worked out from its history as known then; errors are against the councils' summed counts in care at each month end after it"
	return out
}

// NeedFigure is a published figure for one need band.
type NeedFigure struct {
	NeedBand string `json:"need_band"`
	Figure   Figure `json:"value"`
}

// RegionalSpend is a month's forecast spend as published, in pounds.
type RegionalSpend struct {
	Date       time.Time                      `json:"month_end"`
	Total      Figure                         `json:"total"`
	Category   [forecast.NumCategories]Figure `json:"category"`
	Need       []NeedFigure                   `json:"need_bands"`
	SocialCare Figure                         `json:"social_care"`
	Education  Figure                         `json:"education"`
	Health     Figure                         `json:"health"`
}

// RegionalSufficiency is a quarter's demand for a category and need band
// against in-region places, as published. Places, Gap and OutOfArea are the
// category's (a place is not reserved for a need band).
type RegionalSufficiency struct {
	Quarter  time.Time    `json:"quarter_end"`
	Category string       `json:"category"`
	NeedBand string       `json:"need_band"`
	Needed   Figure       `json:"children_needing"`
	Places   sharing.Cell `json:"in_region_places"`
	Gap      Figure       `json:"category_gap"`
	// OutOfArea is the category's out-of-area share in whole per cent.
	OutOfArea Figure `json:"out_of_area_percent"`
}

// RegionalCompatMonth is cs-demand-model's method on the pooled daily sums.
type RegionalCompatMonth struct {
	Date     time.Time                      `json:"month_end"`
	Total    Figure                         `json:"total"`
	Category [forecast.NumCategories]Figure `json:"category"`
}

// RegionalScenario is a scenario on the regional baseline, as published: the
// change in children at the horizon's end and in pounds over the horizon.
type RegionalScenario struct {
	Scenario      forecast.Scenario              `json:"scenario"`
	ChildrenAtEnd Figure                         `json:"children_at_end"`
	CategoryAtEnd [forecast.NumCategories]Figure `json:"category_at_end"`
	Pounds        Figure                         `json:"pounds"`
	// FirstYear is the change in pounds over the first 12 months.
	FirstYear Figure   `json:"pounds_first_year"`
	Notes     []string `json:"notes"`
}

// figure publishes a modelled count of children: withheld below the
// smallest count, otherwise rounded to RoundTo.
func figure(v float64, ctl sharing.Control) Figure {
	if v < float64(max(ctl.MinCount, 1)) {
		return Figure{Suppressed: true}
	}
	return Figure{V: math.Round(v/RoundTo) * RoundTo}
}

// delta publishes a modelled change in children: a change smaller than the
// smallest count is withheld (it could be a handful of identifiable
// children), the rest rounded to RoundTo.
func delta(v float64, ctl sharing.Control) Figure {
	if math.Abs(v) < float64(max(ctl.MinCount, 1)) {
		return Figure{Suppressed: true}
	}
	return Figure{V: math.Round(v/RoundTo) * RoundTo}
}

// money publishes pence as pounds rounded to MoneyRoundTo, only beside
// children that are shown.
func money(pence float64, shown bool) Figure {
	if !shown || math.IsNaN(pence) {
		return Figure{Suppressed: true}
	}
	return Figure{V: math.Round(pence/100/MoneyRoundTo) * MoneyRoundTo}
}

// Pounds is a published sum of money for people: £12,000, −£3,000 or c.
func (f Figure) Pounds() string {
	if f.Suppressed {
		return "c"
	}
	s := fmt.Sprintf("%.0f", math.Abs(f.V))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if f.V < 0 {
		return "−£" + s
	}
	return "£" + s
}

// Signed is a published change in children: +15, −10 or c.
func (f Figure) Signed() string {
	switch {
	case f.Suppressed:
		return "c"
	case f.V > 0:
		return "+" + f.String()
	case f.V < 0:
		return "−" + strings.TrimPrefix(f.String(), "-")
	}
	return "0"
}

func needName(n string) string {
	if n == "" {
		return "not assessed"
	}
	return n
}

// publishSpend publishes each month's spend: the total beside the total
// children, each category beside its children, each need band beside the
// children it prices.
func publishSpend(f *forecast.Forecast, cm *forecast.CostModel, ctl sharing.Control) []RegionalSpend {
	min := float64(max(ctl.MinCount, 1))
	var out []RegionalSpend
	for i, sp := range cm.Spend(f) {
		mo := f.Months[i]
		needKids := map[string]float64{}
		for c := range forecast.Category(forecast.NumCategories) {
			for b := range forecast.AgeBand(forecast.NumAgeBands) {
				for _, n := range cm.Needs() {
					needKids[n] += mo.Mix[c][b] * cm.NeedShare(c, b, n)
				}
			}
		}
		shown := mo.Total.Mean >= min
		rs := RegionalSpend{Date: sp.Date, Total: money(sp.Total, shown), SocialCare: money(sp.SocialCare, shown),
			Education: money(sp.Education, shown), Health: money(sp.Health, shown)}
		for c := range forecast.NumCategories {
			rs.Category[c] = money(sp.Category[c], mo.Category[c].Mean >= min)
		}
		for _, n := range cm.Needs() {
			rs.Need = append(rs.Need, NeedFigure{NeedBand: needName(n), Figure: money(sp.Need[n], needKids[n] >= min)})
		}
		out = append(out, rs)
	}
	return out
}

// publishSufficiency sets the forecast against the in-region places as
// published (the perturbed counts, so nothing exact about them leaks
// through the gap): a category whose places or out-of-area count is
// withheld has its gap and share withheld too.
func publishSufficiency(f *forecast.Forecast, cm *forecast.CostModel, places sharing.Table, ctl sharing.Control) []RegionalSufficiency {
	var in, share [forecast.NumCategories]float64
	var known [forecast.NumCategories]bool
	for c := range forecast.NumCategories {
		i, o := places.Cells[c][0], places.Cells[c][1]
		in[c] = float64(i.N)
		if !i.Suppressed && !o.Suppressed && i.N+o.N > 0 {
			known[c] = true
			share[c] = float64(o.N) / float64(i.N+o.N)
		}
	}
	rows := cm.SufficiencyByQuarter(f, in, share)
	totals := map[[2]int64]float64{}
	for _, s := range rows {
		totals[[2]int64{s.Quarter.Unix(), int64(s.Category)}] += s.Needed
	}
	var out []RegionalSufficiency
	for _, s := range rows {
		rs := RegionalSufficiency{Quarter: s.Quarter, Category: s.Category.String(), NeedBand: needName(s.NeedBand),
			Needed: figure(s.Needed, ctl), Places: places.Cells[s.Category][0], Gap: Figure{Suppressed: true}, OutOfArea: Figure{Suppressed: true}}
		if known[s.Category] && totals[[2]int64{s.Quarter.Unix(), int64(s.Category)}] >= float64(max(ctl.MinCount, 1)) {
			rs.Gap = Figure{V: math.Round(s.Gap/RoundTo) * RoundTo}
			rs.OutOfArea = Figure{V: math.Round(100 * s.OutOfArea)}
		}
		out = append(out, rs)
	}
	return out
}

// publishCompat publishes the anchor method's expected counts as every
// modelled figure is.
func publishCompat(cf *forecast.Forecast, ctl sharing.Control) []RegionalCompatMonth {
	var out []RegionalCompatMonth
	for _, mo := range cf.Months {
		rm := RegionalCompatMonth{Date: mo.Date, Total: figure(mo.Total.Mean, ctl)}
		for c := range forecast.NumCategories {
			rm.Category[c] = figure(mo.Category[c].Mean, ctl)
		}
		out = append(out, rm)
	}
	return out
}

// publishScenario publishes a scenario's changes: children as changes are
// (withheld below the smallest count, rounded to 5), pounds rounded.
func publishScenario(sr *forecast.ScenarioResult, ctl sharing.Control) RegionalScenario {
	rs := RegionalScenario{Scenario: sr.Scenario, ChildrenAtEnd: delta(sr.ChildrenAtEnd, ctl), Pounds: money(sr.Pence, true), Notes: sr.Notes}
	var first float64
	for i, m := range sr.Months {
		if i < 12 {
			first += m.Pence
		}
	}
	rs.FirstYear = money(first, true)
	if n := len(sr.Months); n > 0 {
		for c := range forecast.NumCategories {
			rs.CategoryAtEnd[c] = delta(sr.Months[n-1].Category[c], ctl)
		}
	}
	return rs
}

// costs works out the regional spend, sufficiency, compatibility figures
// and scenarios from the councils' summed aggregates, and publishes them.
func (res *Regional) costs(f *forecast.Forecast, m *forecast.Model, costs []forecast.CostInputs, compat []*forecast.CompatInputs,
	backtests []*forecast.BacktestInputs, costed, stepDown sharing.Count, placed [][]sharing.Count, scenarios []forecast.Scenario) error {
	ctl := res.Control
	if len(backtests) == len(costs) && len(backtests) > 0 {
		bt, act, err := forecast.PooledBacktest(RegionBacktest(res.Params.AsOf, res.Params.WindowMonths, res.Params), backtests...)
		if err != nil {
			return fmt.Errorf("regional backtest: %w", err)
		}
		res.Backtest = publishBacktest(bt, act, ctl)
	} else {
		res.BacktestNote = "not every sharing council's inputs include its backtest sums"
	}
	var cats []string
	for c := range forecast.Category(forecast.NumCategories) {
		cats = append(cats, c.String())
	}
	res.Places = ctl.Protect("forecast-places", cats, []string{"in area", "out of area"}, placed)
	res.Costed = ctl.Publish(costed, "forecast-costed")
	res.StepDown = ctl.Publish(stepDown, "forecast-step-down")
	res.CompatNote = "cs-demand-model v0.5.1's method (expected counts; its categories, so K3 and Z11–Z14 count as Other; daily ratios averaged over the same window) on the councils' pooled daily stock and moves"
	if len(compat) == len(costs) && len(compat) > 0 {
		cm, err := forecast.SumCompat(compat...)
		if err != nil {
			return err
		}
		cf, err := cm.Project(res.Params.Months, 1)
		if err != nil {
			return err
		}
		res.Compat = publishCompat(cf, ctl)
	}
	sum := forecast.SumCostInputs(costs...)
	// A commissioning group's mean cost is money, shown (in a scenario's
	// note) only when it describes at least the smallest count of children.
	groups := sum.Groups[:0]
	for _, g := range sum.Groups {
		if g.Children >= ctl.MinCount {
			groups = append(groups, g)
		}
	}
	sum.Groups = groups
	if res.Costed.Suppressed || len(sum.Cells) == 0 {
		res.CostNote = fmt.Sprintf("fewer than %d children in the sharing councils have a recorded weekly cost on the as-of date, so there is no spend, sufficiency or scenario", max(ctl.MinCount, 1))
		return nil
	}
	cm, err := forecast.NewCostModelFromInputs(sum, res.Params.Uplift)
	if err != nil {
		return err
	}
	res.Spend = publishSpend(f, cm, ctl)
	res.Sufficiency = publishSufficiency(f, cm, res.Places, ctl)
	for _, sc := range scenarios {
		// The step-down lever acts on the candidates as published: a head
		// count below the smallest count is withheld, and so not moved.
		sc.StepDownCandidates = 0
		if !res.StepDown.Suppressed {
			sc.StepDownCandidates = float64(res.StepDown.N)
		}
		sr, err := forecast.RunScenario(m, cm, forecast.Options{Months: res.Params.Months}, sc)
		if err != nil {
			return fmt.Errorf("scenario %q: %w", sc.Name, err)
		}
		rs := publishScenario(sr, ctl)
		if sc.StepDownShare > 0 && res.StepDown.Suppressed {
			rs.Notes = append(rs.Notes, fmt.Sprintf("the region's step-down candidates are fewer than %d (withheld), so the step-down lever moves no one", max(ctl.MinCount, 1)))
		}
		res.Scenarios = append(res.Scenarios, rs)
	}
	return nil
}

// councilAggregates works out what a council shares beside its demand
// statistics, inside its own scope: summed costs, its children in and out
// of area, its step-down candidates and costed children as disclosure
// counts (record keys from the council's secret), and the anchor method's
// daily sums.
func councilAggregates(cc *councilCosts, hist []forecast.Episode, secret []byte, la int32, asOf time.Time, windowMonths int) (sharedAggregates, error) {
	from := asOf.AddDate(0, -windowMonths, 0)
	ag := sharedAggregates{Costs: forecast.CostInputsOf(cc.samples)}
	if ag.Costs.Cells == nil {
		ag.Costs.Cells = []forecast.CostCell{}
	}
	if ag.Costs.Groups == nil {
		ag.Costs.Groups = []forecast.GroupCost{}
	}
	key := func(id int64) uint8 { return sharing.RecordKey(secret, la, id) }
	for _, k := range cc.kids {
		c := forecast.CategoryOf(k.Place)
		if k.OutOfArea {
			ag.Placed[c][1].Add(key(k.ChildID))
		} else {
			ag.Placed[c][0].Add(key(k.ChildID))
		}
	}
	for _, k := range cc.sampleKids {
		ag.Costed.Add(key(k.ChildID))
	}
	for _, cand := range cc.candidates {
		ag.StepDown.Add(key(cand.Child.ChildID))
	}
	ci, err := forecast.FitCompatInputs(hist, from, asOf)
	if err != nil {
		return ag, err
	}
	ag.Compat = ci
	// Every council shares its backtest sums: a short history gives a
	// backtest that says so (large errors), rather than none. The window is
	// the forecast's number of months, never counted back from the window's
	// first day: AddDate normalises (29 February less 36 months is 1 March),
	// so a count from the dates was a month short from such a day, and every
	// council shared a 35-month backtest that the region scored as 36.
	if ag.Backtest, err = forecast.BacktestInputsOf(hist, RegionBacktest(asOf, windowMonths, Params{})); err != nil {
		return ag, err
	}
	// The forecast is fitted without a half-life (forecast.Fit), so its
	// widening is calibrated without one.
	if ag.Calibration, err = forecast.CalibrationInputsOf(hist, asOf, windowMonths, 0); err != nil {
		return ag, err
	}
	return ag, nil
}
