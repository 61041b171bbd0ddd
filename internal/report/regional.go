package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/sharing"
)

// RegionalPDF writes an RCC's commissioning report: the council report's
// structure at regional level, with per-council benchmarking. It is drawn
// only from published figures (sharing.Region), so it carries nothing a
// regional page could not show: no child, and no count from 1 to 4.
func RegionalPDF(r sharing.Region, generated time.Time) ([]byte, error) {
	return RegionalPDFWithForecast(r, nil, generated)
}

// RegionalPDFWithForecast is RegionalPDF with a Forecast chapter from the
// regional forecast (nil: none), itself drawn only from published figures.
func RegionalPDFWithForecast(r sharing.Region, f *forecasting.Regional, generated time.Time) ([]byte, error) {
	d := newDoc("Regional commissioning report: "+r.RCC, r.AsOf)
	asOf := r.AsOf.Format("2 January 2006")
	pounds := func(a sharing.Amount) string { return a.Format(money) }
	pct := func(a sharing.Amount) string {
		return a.Format(func(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" })
	}
	var names []string
	for _, m := range r.Members {
		names = append(names, m.Name)
	}

	d.cover("Needs and costs of children in care", "Regional commissioning report for "+r.RCC,
		"Figures as of "+asOf+", from "+strings.Join(names, ", ")+". Produced by Hearth on "+generated.Format("2 January 2006")+".")
	if r.Empty != "" {
		d.para(r.Empty)
		return d.bytes()
	}
	p := r.Pooled
	d.figures([][2]string{
		{p.Children.String(), "children in care in the sharing councils (within ±" + strconv.Itoa(r.Control.MaxNoise) + ")"},
		{pounds(p.MedianWeekly), "median weekly placement cost"},
		{pct(p.OutShare), "placed out of their council's area"},
		{pounds(p.Saving), fmt.Sprintf("a year from %s step-down placements", p.StepDown)},
	})
	d.para("This report pools what the member councils share with the cooperative. It shows each council beside the others and the region as a whole: " +
		"what placements cost against the needs they meet, where the market charges councils differently for the same provision, how far from home children live, " +
		"and what court delay costs. Every figure is de-identified and under disclosure control: a count from 1 to " + strconv.Itoa(r.Control.MinCount-1) +
		" is shown as c, and every count, totals included, carries a small fixed noise of up to " + strconv.Itoa(r.Control.MaxNoise) +
		" either way, so none can be worked out from the others. x: not shared by the council; z: not applicable.")
	if r.PooledNote != "" {
		d.para("The region's figures leave some councils out: " + r.PooledNote)
	}

	d.AddPage()
	contentsPage := d.PageNo()

	d.AddPage()
	d.heading("Who shares what")
	var share [][]string
	for _, m := range r.Members {
		share = append(share, []string{m.Name, m.Code, sharing.What(m.Needs, m.Placements, m.Proceedings), m.Since.Format("2 Jan 2006")})
	}
	d.table([]float64{0.25, 0.17, 0.4, 0.18}, []string{"Council", "ONS code", "Shares", "Since"}, share)
	if len(r.NotSharing) > 0 {
		d.para("Member councils without a sharing agreement in force, so absent from every figure: " + strings.Join(r.NotSharing, ", ") + ".")
	}
	d.para("A council's needs figures appear only if it shares needs, its costs and placements only if it shares placements and costs, and its court figures only if it shares proceedings. Figures that need both needs and costs use the councils sharing both.")

	d.AddPage()
	d.heading("Councils side by side")
	var bench [][]string
	for _, row := range append(append([]sharing.Row{}, r.Benchmark...), r.Pooled) {
		bench = append(bench, []string{row.Council, row.Children.String(), row.Assessed.String(), row.Costed.String(), pounds(row.MedianWeekly),
			row.Pearson.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }), pct(row.OutShare), pct(row.Over20Share), row.StepDown.String()})
	}
	d.table([]float64{0.16, 0.09, 0.1, 0.09, 0.12, 0.1, 0.11, 0.11, 0.12}, []string{"Council", "#Children", "#Assessed", "#Costed", "#Median",
		"#Pearson", "#Out of area", "#Over 20 mi", "#Step-down"}, bench)
	d.small("c: suppressed. x: not shared by the council. Median: median weekly placement cost. Pearson: correlation of need score with weekly cost, children with both. Over 20 mi: of children whose distance from home is recorded. Step-down: children in children's homes with low or medium needs, the same rule for every council.")
	d.drawChart(sharing.MedianCostChart(r), 70)
	d.drawChart(sharing.DistanceChart(r), 70)

	d.AddPage()
	d.heading("Needs profile")
	d.sub("Children by need band")
	d.table(widths(len(r.Bands.Cols)+2), head("Council", r.Bands.Cols), tableRows(r.Bands))
	note(d, r.Bands)
	d.sub("Children at each level, by domain (pooled)")
	d.table(widths(len(r.Prevalence.Cols)+2), append(append([]string{"Domain"}, prefixed(r.Prevalence.Cols)...), "#Children"), tableRows(r.Prevalence))
	note(d, r.Prevalence)

	d.AddPage()
	d.heading("Cost by need band and placement type")
	var costs [][]string
	for _, c := range r.Costs {
		costs = append(costs, []string{c.Band, c.Group, c.N.String(), pounds(c.Q1), pounds(c.Median), pounds(c.Q3)})
	}
	d.table([]float64{0.12, 0.34, 0.08, 0.15, 0.16, 0.15}, []string{"Band", "Placement", "#n", "#Lower quartile", "#Median", "#Upper quartile"}, costs)
	d.small("Quartiles are not shown for a group whose count is suppressed.")
	d.sub("Needs by time in care")
	var times [][]string
	for _, t := range r.Time {
		times = append(times, []string{t.Band, t.N.String(), t.MeanScore.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) })})
	}
	d.table([]float64{0.5, 0.2, 0.3}, []string{"Time in care", "#n", "#Mean need score"}, times)
	d.sub("EHC plans")
	var ehc [][]string
	for _, e := range r.EHC {
		ehc = append(ehc, []string{e.Plan + " an EHC plan", e.N.String(), pounds(e.Median)})
	}
	d.table([]float64{0.5, 0.2, 0.3}, []string{"Children", "#n", "#Median a week"}, ehc)

	d.AddPage()
	d.heading("The market")
	d.sub("Providers used by several councils")
	if len(r.Market.Providers) == 0 {
		d.para("No provider serves more than one sharing council on this date.")
	} else {
		var rows [][]string
		for _, pp := range r.Market.Providers {
			row := []string{pp.Name}
			for i := range r.Market.Councils {
				if !pp.N[i].Suppressed && pp.N[i].N == 0 {
					row = append(row, "–")
					continue
				}
				row = append(row, pp.Median[i].Format(money)+" ("+pp.N[i].String()+")")
			}
			row = append(row, pp.Ratio.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) + "×" }))
			rows = append(rows, row)
		}
		hd := append(append([]string{"Provider"}, prefixed(r.Market.Councils)...), "#High ÷ low")
		d.table(widths(len(hd)), hd, rows)
		d.small("Median weekly price each council pays the provider (children); c where the count is suppressed; – where the council does not use it. Only providers with prices shown for two councils or more.")
	}
	d.sub("Price spread for similar needs")
	if len(r.Market.Similar) == 0 {
		d.para("No band and placement type has two providers with enough children to compare.")
	} else {
		var rows [][]string
		for _, s := range r.Market.Similar {
			lo, hi := 0, len(s.Providers)-1
			rows = append(rows, []string{s.Band + ", " + s.Group, strconv.Itoa(len(s.Providers)), s.Providers[lo], pounds(s.Median[lo]),
				s.Providers[hi], pounds(s.Median[hi]), fmt.Sprintf("%.1f×", s.Ratio)})
		}
		d.table([]float64{0.25, 0.08, 0.2, 0.09, 0.2, 0.09, 0.09}, []string{"Band and placement", "#Providers", "Lowest", "#Median", "Highest", "#Median", "#Spread"}, rows)
		d.small("Providers with at least " + strconv.Itoa(r.Control.MinCount) + " children of the band and placement type in the region.")
	}

	d.AddPage()
	d.heading("Distance and sufficiency")
	d.sub("In and out of area")
	d.table(widths(len(r.Area.Cols)+2), head("Council", r.Area.Cols), tableRows(r.Area))
	note(d, r.Area)
	d.sub("Distance from home")
	d.table(widths(len(r.Miles.Cols)+2), head("Council", r.Miles.Cols), tableRows(r.Miles))
	note(d, r.Miles)
	d.sub("What children need: placement type by need band")
	d.table(widths(len(r.Need.Cols)+2), head("Placement", r.Need.Cols), tableRows(r.Need))
	note(d, r.Need)
	d.sub("Where the region places them")
	d.table(widths(len(r.Provision.Cols)+2), head("Placement", r.Provision.Cols), tableRows(r.Provision))
	note(d, r.Provision)

	d.AddPage()
	d.heading("Cost of court delay")
	if len(r.Delay) == 0 {
		d.para("No sharing council shares care proceedings.")
	} else {
		var rows [][]string
		for _, dr := range append(append([]sharing.DelayRow{}, r.Delay...), r.DelayPool) {
			rows = append(rows, []string{dr.Council, dr.Cases.String(), dr.MeanWeeks.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }),
				pct(dr.Within), pounds(dr.Cost), pounds(dr.OneWeek)})
		}
		d.table([]float64{0.2, 0.1, 0.14, 0.16, 0.2, 0.2}, []string{"Council", "#Cases", "#Mean weeks", "#Within 26 weeks", "#Cost of delay", "#One week less"}, rows)
		d.para(fmt.Sprintf("Cases active between %s and %s. One week less on the average case across the region would save %s.",
			r.DelayFrom.Format("2 January 2006"), asOf, pounds(r.DelayPool.OneWeek)))
	}

	if f != nil {
		regionalForecastChapter(d, f)
	}

	d.AddPage()
	d.heading("Method and disclosure control")
	for _, m := range []string{
		"Children in care: a care period open on the as-of date, in a council with a sharing agreement in force today that started by the as-of date. Ending an agreement removes the council at once.",
		"De-identification: children are keyed by an HMAC of the council and child with the council's own secret, so they cannot be traced back or matched across councils without it. No name, council reference, UPN, full date of birth, full postcode or free-text evidence leaves a council.",
		fmt.Sprintf("Disclosure control (cell key perturbation, the method of the ONS's Census 2021 flexible tables): every child has a fixed random key; a count's cell key is the sum of its children's keys, and a published table of noise gives each (count, cell key) a fixed noise of up to %d either way. The same children always give the same answer, so repeating or rephrasing a query reveals nothing, and no count can be worked out by subtracting others: totals, councils' columns and cells are each perturbed on their own. A count that is below %d before or after the noise is shown as c, and so are some empty cells, so c never tells that a group has a child. Medians, quartiles, rates and costs are shown only beside a shown count. docs/disclosure.md explains the method.",
			r.Control.MaxNoise, r.Control.MinCount),
		"Needs, costs, bands, correlation and step-down are defined as in the council commissioning report. Court delay is costed as in the council report (weeks beyond the target × the weekly cost of the case, plus extra hearings and experts), with each council's own parameters.",
		"Source: what " + strings.Join(names, ", ") + " share with " + r.RCC + ", as of " + asOf + ". Synthetic demo data unless the councils loaded their own.",
	} {
		d.para(m)
	}
	d.contents(contentsPage)
	return d.bytes()
}

func widths(n int) []float64 {
	w := make([]float64, n)
	w[0] = 0.3
	for i := 1; i < n; i++ {
		w[i] = 0.7 / float64(n-1)
	}
	return w
}

func head(first string, cols []string) []string {
	return append(append([]string{first}, prefixed(cols)...), "#Total")
}

// prefixed right-aligns numeric columns (table's "#" convention).
func prefixed(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "#" + c
	}
	return out
}

// tableRows lays out a published table with its totals row.
func tableRows(t sharing.Table) [][]string {
	var rows [][]string
	for i, name := range t.Rows {
		row := []string{name}
		for _, c := range t.Cells[i] {
			row = append(row, c.String())
		}
		rows = append(rows, append(row, t.RowTotals[i].String()))
	}
	total := []string{"Total"}
	for _, c := range t.ColTotals {
		total = append(total, c.String())
	}
	return append(rows, append(total, t.Total.String()))
}

// note prints what a table's totals add up to, where that needs saying.
func note(d *doc, t sharing.Table) {
	if t.Note != "" {
		d.small(strings.TrimSpace(t.Note))
	}
}
