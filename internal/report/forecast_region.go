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
	d.para(fmt.Sprintf("Population: %s. Reference window %s to %s; as of %s; %d months ahead, %d simulated paths (seed %d). "+
		"Each council shares only aggregates worked out inside the council (days in care and moves by age band and placement category, entrants by age, today's children in care by month of age); "+
		"the regional model is their sum, the same model as one fitted on the councils' pooled histories.",
		f.Population, f.WindowFrom.Format("2 January 2006"), f.WindowTo.Format("2 January 2006"), f.Params.AsOf.Format("2 January 2006"),
		f.Params.Months, f.Params.Paths, f.Params.Seed))
	if len(f.NotSharing) > 0 {
		d.para(fmt.Sprintf("Not included (no agreement in force that shares placements): %s.", joinComma(f.NotSharing)))
	}
	d.drawBandChart(forecasting.Banded(forecasting.RegionalChart(f, "Children in care", func(m forecasting.RegionalMonth) forecasting.Published { return m.Total })), 72)
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
		rows = append(rows, []string{mo.Date.Format("Jan 2006"), mo.Total.Mean.String(), mo.Total.P10.String() + "–" + mo.Total.P90.String(),
			mo.Total.P025.String() + "–" + mo.Total.P975.String(), mo.Category[0].Mean.String(), mo.Category[1].Mean.String(),
			mo.Category[2].Mean.String(), mo.Category[3].Mean.String()})
	}
	d.sub("Children in care at each quarter end")
	d.table([]float64{0.13, 0.11, 0.14, 0.14, 0.12, 0.13, 0.12, 0.11}, []string{"Quarter", "#Mean", "#80%", "#95%", "#Fostering", "#Residential", "#Supported", "#Other"}, rows)
	d.small("Protection: " + f.Protection + ". c: withheld to protect confidentiality.")
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
