package report

import (
	"fmt"

	"github.com/hearthcare/hearth/internal/forecasting"
)

// regionalForecastChapter sets out the regional forecast as published: its
// basis, the chart of children in care with its intervals, today's stock
// under cell key perturbation and a table by quarter. Every figure is one a
// regional page shows: withheld figures are c.
func regionalForecastChapter(d *doc, f *forecasting.Regional) {
	d.AddPage()
	d.heading("Forecast")
	d.para(fmt.Sprintf("Population: %s. Reference window %s to %s; as of %s; %d months ahead, %d simulated paths (seed %d), intervals %s. "+
		"Each council shares only aggregates worked out inside the council (days in care and moves by age band and placement category, entrants by age, today's children in care by month of age); "+
		"the regional model is their sum, the same model as one fitted on the councils' pooled histories.",
		f.Population, f.WindowFrom.Format("2 January 2006"), f.WindowTo.Format("2 January 2006"), f.Params.AsOf.Format("2 January 2006"),
		f.Params.Months, f.Params.Paths, f.Params.Seed, intervalsNote(f)))
	if len(f.NotSharing) > 0 {
		d.para(fmt.Sprintf("Not included (no agreement in force that shares placements): %s.", joinComma(f.NotSharing)))
	}
	d.drawBandChart(forecasting.Banded(forecasting.RegionalChart(f, "Children in care", func(m forecasting.RegionalMonth) forecasting.Published { return m.Total })), 64)
	d.sub("Children in care on the as-of date, by placement category and age band")
	widths := []float64{0.2}
	for range f.Stock.Cols {
		widths = append(widths, 0.8/float64(len(f.Stock.Cols)+1))
	}
	widths = append(widths, 0.8/float64(len(f.Stock.Cols)+1))
	d.table(widths, head("Category", f.Stock.Cols), tableRows(f.Stock))
	var rows [][]string
	for i, mo := range f.Months {
		if (i+1)%3 != 0 {
			continue
		}
		compat, spend := "–", "–"
		if i < len(f.Compat) {
			compat = f.Compat[i].Total.String()
		}
		if i < len(f.Spend) {
			// The quarter's spend is the sum of its months as published:
			// withheld if any month is.
			q := forecasting.Figure{}
			for k := i - 2; k <= i; k++ {
				q.V += f.Spend[k].Total.V
				q.Suppressed = q.Suppressed || f.Spend[k].Total.Suppressed
			}
			spend = q.Pounds()
		}
		rows = append(rows, []string{mo.Date.Format("Jan 2006"), mo.Total.Mean.String(), mo.Total.P10.String() + "–" + mo.Total.P90.String(),
			mo.Total.P025.String() + "–" + mo.Total.P975.String(), mo.Category[0].Mean.String(), mo.Category[1].Mean.String(),
			mo.Category[2].Mean.String(), mo.Category[3].Mean.String(), compat, spend})
	}
	d.sub("Children in care at each quarter end, and the quarter's spend")
	d.table([]float64{0.1, 0.065, 0.125, 0.125, 0.09, 0.1, 0.095, 0.065, 0.1, 0.135}, []string{"Quarter", "#Mean", "#80%", "#95%", "#Fostering", "#Residential", "#Supported", "#Other", "#cs-demand", "#Spend"}, rows)
	d.small("Protection: " + f.Protection + "; money rounded to the nearest £1,000 and shown only beside a forecast of at least " +
		fmt.Sprint(f.Control.MinCount) + " children; the first quarter's spend runs from the as-of date. cs-demand: the cs-demand-model method on the councils' pooled daily sums. c: withheld to protect confidentiality.")
	if f.CostNote != "" {
		d.small("Spend: " + f.CostNote + ".")
	}
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// intervalsNote says in a clause how the chapter's intervals were made.
func intervalsNote(f *forecasting.Regional) string {
	if f.ModelError {
		return "widened for model error"
	}
	return "not widened for model error"
}
