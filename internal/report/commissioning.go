package report

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/proceedings"
)

// Commissioning is what the council commissioning report shows.
type Commissioning struct {
	Council   db.LocalAuthority
	AsOf      time.Time
	Generated time.Time
	Cohort    analytics.Cohort
	Delay     proceedings.Report
	Providers map[int64]string
	Spend     float64 // weekly costs in force × 52, pounds
	// Forecast is the council's forecast from the as-of date with the
	// default parameters; nil when it has no history to forecast from.
	Forecast *forecasting.Result
}

// GatherCommissioning reads the figures for a council on a date. Callers check
// permission first.
func GatherCommissioning(ctx context.Context, pool *pgxpool.Pool, pr *proceedings.Service, la int32, asOf time.Time) (Commissioning, error) {
	q := db.New(pool)
	c := Commissioning{AsOf: asOf, Generated: time.Now(), Providers: map[int64]string{}}
	las, err := q.LocalAuthorityList(ctx)
	if err != nil {
		return c, err
	}
	found := false
	for _, l := range las {
		if l.LaID == la {
			c.Council, found = l, true
		}
	}
	if !found {
		return c, fmt.Errorf("no council %d", la)
	}
	// The court-delay figures read other tables: work them out alongside.
	var delayErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Delay, delayErr = pr.CouncilReport(ctx, []int32{la}, asOf.AddDate(-1, 0, 1), asOf)
	}()
	kids, err := analytics.Snapshot(ctx, q, []int32{la}, asOf)
	<-done
	if err = errors.Join(err, delayErr); err != nil {
		return c, err
	}
	rules, err := analytics.Rules(ctx, q, []int32{la})
	if err != nil {
		return c, err
	}
	c.Cohort = analytics.Compute(kids, analytics.Filter{}, asOf, 12, rules)
	if err := analytics.CandidateRefs(ctx, q, &c.Cohort); err != nil {
		return c, err
	}
	for _, k := range kids {
		if k.HasCost() {
			c.Spend += float64(k.WeeklyPence) / 100 * 52
		}
	}
	var ids []int64
	for _, p := range c.Cohort.Providers {
		for _, s := range p.Providers {
			ids = append(ids, s.ID)
		}
	}
	names, err := q.ProviderNames(ctx, ids)
	if err != nil {
		return c, err
	}
	for _, n := range names {
		c.Providers[n.ProviderID] = n.Name
	}
	p := forecasting.Defaults(asOf)
	p.Months = 24
	switch f, err := forecasting.Chapters.Build(ctx, pool, la, p); {
	case errors.Is(err, forecasting.ErrNoHistory):
	case err != nil:
		return c, err
	default:
		c.Forecast = f
	}
	return c, nil
}

// forecastChapter sets out the council's forecast: the basis, the chart of
// children in care with its intervals and the anchor's method beside it, and
// a table by quarter with spend.
func forecastChapter(d *doc, f *forecasting.Result) {
	d.AddPage()
	d.heading("Forecast")
	d.para(fmt.Sprintf("Population: %s. Reference window %s to %s; as of %s; %d months ahead, %d simulated paths (seed %d), costs raised %.0f%% a year. "+
		"Hearth's model moves each child out of their age band on their birthday and out of care at 18, keeps re-entries apart from first entries and maps every 2025/26 placement code; "+
		"the cs-demand-model method (the sector's open model) is shown beside it for comparison.",
		f.Population, f.WindowFrom.Format("2 January 2006"), f.WindowTo.Format("2 January 2006"), f.Params.AsOf.Format("2 January 2006"),
		f.Params.Months, f.Params.Paths, f.Params.Seed, 100*f.Params.Uplift))
	// The population is stated in full above; the chart's source line is
	// one line under it, so it says only where the figures come from.
	total := forecasting.Banded(forecasting.TotalChart(f))
	total.Source = fmt.Sprintf("%s's SSDA903 episodes. Window %s to %s; %d paths, seed %d", f.Council, f.WindowFrom.Format(time.DateOnly),
		f.WindowTo.Format(time.DateOnly), f.Params.Paths, f.Params.Seed)
	d.drawBandChart(total, 80)
	var rows [][]string
	for i, mo := range f.Forecast.Months {
		if (i+1)%3 != 0 {
			continue
		}
		spend := "not costed"
		if f.Spend != nil {
			var q float64
			for k := i - 2; k <= i; k++ {
				q += f.Spend[k].Total / 100
			}
			spend = money(q)
		}
		rows = append(rows, []string{mo.Date.Format("Jan 2006"), fmt.Sprintf("%.0f", mo.Total.Mean), fmt.Sprintf("%.0f–%.0f", mo.Total.P10, mo.Total.P90),
			fmt.Sprintf("%.0f", mo.Category[0].Mean), fmt.Sprintf("%.0f", mo.Category[1].Mean), fmt.Sprintf("%.0f", mo.Category[2].Mean),
			fmt.Sprintf("%.0f", mo.Category[3].Mean), fmt.Sprintf("%.0f", f.Compat.Months[i].Total.Mean), spend})
	}
	d.sub("Children in care at each quarter end, and the quarter's spend")
	d.table([]float64{0.11, 0.09, 0.12, 0.11, 0.12, 0.11, 0.08, 0.12, 0.14}, []string{"Quarter", "#Mean", "#80%", "#Fostering", "#Residential", "#Supported", "#Other", "#cs-demand", "#Spend"}, rows)
	mix := "held at today's need mix"
	if len(f.Forecast.NeedBands) > 0 {
		// The need bands are a state of the model: spend follows where it
		// projects the children's needs to be (Forecast.SetNeeds).
		mix = "in the need bands the model projects for each month"
	}
	d.para(fmt.Sprintf("Spend prices each forecast child at the actual weekly cost of similar children today (placement category × need band × age band; %d children with a recorded cost), %s.", f.CostedChildren, mix))
}

// CommissioningPDF writes the council commissioning report.
func CommissioningPDF(c Commissioning) ([]byte, error) {
	co := c.Cohort
	d := newDoc("Commissioning report: "+c.Council.Name, c.AsOf)
	asOf := c.AsOf.Format("2 January 2006")

	// Cover.
	d.cover("Needs and costs of children in care", "Commissioning report for "+c.Council.Name,
		"Figures as of "+asOf+". Produced by Hearth on "+c.Generated.Format("2 January 2006")+".")
	d.figures([][2]string{
		{fmt.Sprint(co.N), "children in care"},
		{money(c.Spend), "a year on placements, at the weekly costs in force"},
		{orNotComputed(co.Pearson), fmt.Sprintf("correlation of need with cost (Pearson, n = %d)", co.Pearson.N)},
		{money(co.StepDown.Annual), fmt.Sprintf("a year from %d step-down placements", len(co.StepDown.Candidates))},
	})
	d.para("This report sets what each child's placement costs against the needs it meets. " +
		"It shows where money follows the placement market rather than the child, and where children could move to family-based care. " +
		"It also shows what delay in care proceedings costs the council. Every figure gives the number of children it rests on (n) and the date it describes.")

	// Contents go on page 2, written once the sections' pages are known.
	d.AddPage()
	contentsPage := d.PageNo()

	d.AddPage()
	d.heading("Key figures")
	withBoth := 0
	if co.N > 0 {
		withBoth = co.Both * 100 / co.N
	}
	d.table([]float64{0.55, 0.15, 0.30}, []string{"Figure", "#n", "#Value"}, [][]string{
		{"Children in care on " + asOf, fmt.Sprint(co.N), fmt.Sprint(co.N)},
		{"With an approved needs assessment", fmt.Sprint(co.N), fmt.Sprint(co.Assessed)},
		{"With a weekly placement cost", fmt.Sprint(co.N), fmt.Sprint(co.Costed)},
		{"With both (used for needs against cost)", fmt.Sprint(co.N), fmt.Sprintf("%d (%d%%)", co.Both, withBoth)},
		{"Annual placement spend at current weekly costs", fmt.Sprint(co.Costed), money(c.Spend)},
		{"Correlation of need score with weekly cost (Pearson)", fmt.Sprint(co.Pearson.N), orNotComputed(co.Pearson)},
		{"Rank correlation (Spearman)", fmt.Sprint(co.Spearman.N), orNotComputed(co.Spearman)},
		{"Step-down candidates and annual saving", fmt.Sprint(len(co.StepDown.Candidates)), money(co.StepDown.Annual)},
		{"Care cases active in the last year", fmt.Sprint(c.Delay.Summary.Cases), fmt.Sprint(c.Delay.Summary.Cases)},
		{"Cost of court delay in the last year", fmt.Sprint(c.Delay.Summary.Cases), money(float64(c.Delay.Summary.Total) / 100)},
		{"Benefit of one week less average duration", fmt.Sprint(c.Delay.Summary.Cases), money(float64(c.Delay.Summary.OneWeekBenefit) / 100)},
	})

	d.AddPage()
	d.heading("Cohort needs profile")
	d.para(fmt.Sprintf("Of %d children with an approved assessment, %d are in the low band, %d medium, %d high and %d complex. %d children have no approved assessment.",
		co.Assessed, co.Bands["low"], co.Bands["medium"], co.Bands["high"], co.Bands["complex"], co.Bands["none"]))
	d.drawChart(analytics.PrevalenceChart(co), 80)
	var prev [][]string
	for i, ls := range co.Prevalence {
		row := []string{analytics.DomainNames[i]}
		for _, n := range ls {
			row = append(row, fmt.Sprint(n))
		}
		prev = append(prev, row)
	}
	d.table([]float64{0.3, 0.14, 0.14, 0.14, 0.14, 0.14}, []string{"Domain", "#Level 0", "#Level 1", "#Level 2", "#Level 3", "#Level 4"}, prev)

	d.AddPage()
	d.heading("Needs against cost")
	if co.Pearson.Known() {
		d.para(fmt.Sprintf("Across %d children with both an approved assessment and a weekly cost, the correlation of need score with weekly cost is %.2f (Pearson), and %s on ranks (Spearman). %s",
			co.Pearson.N, co.Pearson.Value, orNotComputed(co.Spearman), strengthWords(co.Pearson.Value)))
	} else {
		d.para(fmt.Sprintf("The correlation of need score with weekly cost is not computed: %s (n = %d).", co.Pearson.Reason, co.Pearson.N))
	}
	d.drawChart(analytics.ScatterChart(co), 95)
	d.sub("Weekly cost by need band and placement type")
	d.drawChart(analytics.MedianCostChart(co), 80)
	var costRows [][]string
	for _, s := range co.CostByBandGroup {
		band, group, _ := strings.Cut(s.Key, "|")
		costRows = append(costRows, []string{band, group, fmt.Sprint(s.N), money(s.Q1), money(s.Median), money(s.Q3)})
	}
	d.table([]float64{0.12, 0.34, 0.08, 0.15, 0.16, 0.15}, []string{"Band", "Placement", "#n", "#Lower quartile", "#Median", "#Upper quartile"}, costRows)
	d.para(fmt.Sprintf("Children with an EHC plan: median weekly cost %s (n = %d). Without: %s (n = %d).",
		money(co.EHC.WithMedian), co.EHC.WithN, money(co.EHC.WithoutMedian), co.EHC.WithoutN))

	d.AddPage()
	d.heading("Step-down opportunities")
	d.para(fmt.Sprintf("%d children meet the council's step-down rule. Moving them to family-based care at the median cost for their band would save about %s a year. The rule: %s.",
		len(co.StepDown.Candidates), money(co.StepDown.Annual), co.StepDown.Rule))
	var sd [][]string
	for _, k := range co.StepDown.Candidates {
		sd = append(sd, []string{k.Child.ChildRef, k.Child.Group, fmt.Sprintf("%s (%d)", k.Child.Band, k.Child.Score), money(float64(k.Child.WeeklyPence) / 100), money(k.FamilyWeekly), money(k.Annual)})
	}
	if len(sd) == 0 {
		d.para("No child meets the rule on this date.")
	} else {
		d.table([]float64{0.13, 0.22, 0.15, 0.16, 0.16, 0.18}, []string{"Child", "Placement", "Band (score)", "#Weekly now", "#Family-based", "#Saving a year"}, sd)
	}
	d.small("A candidate is a prompt for a review, not a decision: a child's plan, wishes and stability come first.")

	d.sub("Provider price spread for similar needs")
	var pr [][]string
	sort.SliceStable(co.Providers, func(i, j int) bool { return co.Providers[i].Ratio > co.Providers[j].Ratio })
	for _, p := range co.Providers {
		lo, hi := p.Providers[0], p.Providers[len(p.Providers)-1]
		pr = append(pr, []string{p.Band + ", " + p.Group, fmt.Sprint(len(p.Providers)), c.Providers[lo.ID] + " " + money(lo.Median),
			c.Providers[hi.ID] + " " + money(hi.Median), fmt.Sprintf("%.1f×", p.Ratio)})
	}
	if len(pr) == 0 {
		d.para("No band and placement type has more than one provider on this date.")
	} else {
		d.table([]float64{0.2, 0.08, 0.3, 0.3, 0.12}, []string{"Band and placement", "#Providers", "Lowest median", "Highest median", "#Spread"}, pr)
	}

	d.AddPage()
	d.heading("Cost of court delay")
	ds := c.Delay.Summary
	d.para(fmt.Sprintf("%d care cases were active between %s and %s (%d concluded, %d open). Mean duration %.1f weeks (median %.1f). %.0f%% of concluded cases finished within 26 weeks. "+
		"Delay beyond each case's target cost %s; one week less on average would have saved %s.",
		ds.Cases, c.Delay.From.Format("2 January 2006"), c.Delay.To.Format("2 January 2006"), ds.Concluded, ds.Open, ds.MeanWeeks, ds.MedianWeeks,
		ds.WithinShare*100, money(float64(ds.Total)/100), money(float64(ds.OneWeekBenefit)/100)))
	d.drawChart(proceedings.DurationChart(c.Delay), 75)
	var cases [][]string
	sort.SliceStable(c.Delay.Cases, func(i, j int) bool { return c.Delay.Cases[i].Breakdown.Total > c.Delay.Cases[j].Breakdown.Total })
	for i, cr := range c.Delay.Cases {
		if i == 15 {
			break
		}
		b := cr.Breakdown
		cases = append(cases, []string{cr.Case.CaseNumber, fmt.Sprintf("%.1f", b.Weeks), fmt.Sprintf("%.1f", b.WeeksOver), money(float64(b.WeeklyCost) / 100),
			money(float64(b.HearingCost) / 100), money(float64(b.ExpertCost) / 100), money(float64(b.Total) / 100)})
	}
	if len(cases) > 0 {
		d.sub("The costliest cases")
		d.table([]float64{0.17, 0.1, 0.1, 0.16, 0.15, 0.15, 0.17}, []string{"Case", "#Weeks", "#Over", "#Weekly cost", "#Hearings", "#Experts", "#Cost of delay"}, cases)
	}

	if c.Forecast != nil {
		forecastChapter(d, c.Forecast)
	}

	d.AddPage()
	d.heading("Data quality")
	d.table([]float64{0.6, 0.2, 0.2}, []string{"Gap", "#Children", "#Of"}, [][]string{
		{"No approved needs assessment", fmt.Sprint(co.N - co.Assessed), fmt.Sprint(co.N)},
		{"Latest approved assessment over a year old", fmt.Sprint(co.Stale), fmt.Sprint(co.Assessed)},
		{"Current placement without a weekly cost", fmt.Sprint(co.N - co.Costed), fmt.Sprint(co.N)},
	})
	d.para("Children with a gap are still counted in n for every figure they can be counted in. They are left out only of figures that need the missing data, and each figure says how many children it rests on.")

	d.heading("Method")
	for _, m := range []string{
		"Children in care: a care period open on the as-of date. Needs: the latest approved assessment with Hearth's 12-domain instrument by that date. Score = the sum of the 12 levels (0–48). Band: complex if any domain is 4 or three or more are 3; high if one or two are 3; medium if any is 2; low otherwise.",
		"Weekly cost: the placement cost periods in force on the date, with the social care, education and health shares together. Annual spend = weekly × 52.",
		"Correlation: Pearson on values, Spearman on ranks with ties averaged, over children with both. Medians and quartiles are taken between the two nearest values when they fall between children (linear interpolation).",
		"Step-down: " + co.StepDown.Rule + ".",
		"Court delay: the cost of delay is weeks beyond the target × the weekly cost of the case (actual placement costs, social work and contact), plus extra hearings and expert costs. It covers cases active in the year to the as-of date.",
		"Source: Hearth's records for " + c.Council.Name + ", as of " + asOf + ". Synthetic demo data unless the council loaded its own.",
	} {
		d.para(m)
	}

	d.contents(contentsPage)
	return d.bytes()
}

func strengthWords(r float64) string {
	switch {
	case r != r:
		return "There are too few children with both to say."
	case r < 0.1:
		return "Needs and cost barely move together: what a placement costs says almost nothing about the needs it meets."
	case r < 0.3:
		return "The link between needs and cost is weak: much of the cost follows the placement market rather than the child."
	case r < 0.5:
		return "Needs and cost move together moderately."
	}
	return "Needs and cost move together strongly."
}

// orNotComputed is a figure to two decimals, or "not computed" when it cannot be worked out.
func orNotComputed(f analytics.Figure) string {
	if !f.Known() {
		return "not computed"
	}
	return f.Format(2)
}
