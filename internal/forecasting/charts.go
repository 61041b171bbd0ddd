package forecasting

import (
	"fmt"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/forecast"
)

// Chart draws one forecast series: the mean, the edges of the 80% and 95%
// intervals, and the compatibility mode's expected count, with the basis of
// the figures as its source line.
func Chart(res *Result, title string, get func(forecast.Month) forecast.Interval, compat func(int) float64) chart.Chart {
	ss := []chart.Series{{Name: "Forecast (mean)"}, {Name: "80% interval, lower"}, {Name: "80% interval, upper"},
		{Name: "95% interval, lower"}, {Name: "95% interval, upper"}, {Name: "cs-demand-model method"}}
	for i, mo := range res.Forecast.Months {
		x := chart.Days(mo.Date)
		iv := get(mo)
		for k, y := range []float64{iv.Mean, iv.P10, iv.P90, iv.P025, iv.P975, compat(i)} {
			ss[k].Points = append(ss[k].Points, chart.Point{X: x, Y: y, Label: fmt.Sprintf("%s: %.0f", mo.Date.Format("Jan 2006"), y)})
		}
	}
	return chart.Chart{Kind: chart.Line, Title: title + " — forecast with 80% and 95% intervals", XTime: true, YLabel: "children", AsOf: res.Params.AsOf,
		Source: fmt.Sprintf("%s. Reference window %s to %s; %d paths, seed %d.", res.Population, res.WindowFrom.Format(time.DateOnly),
			res.WindowTo.Format(time.DateOnly), res.Params.Paths, res.Params.Seed),
		Series: ss, Height: 260}
}

// TotalChart is the chart of all children in care.
func TotalChart(res *Result) chart.Chart {
	return Chart(res, "Children in care", func(m forecast.Month) forecast.Interval { return m.Total },
		func(i int) float64 { return res.Compat.Months[i].Total.Mean })
}

// CategoryChart is the chart of one placement category.
func CategoryChart(res *Result, c forecast.Category) chart.Chart {
	return Chart(res, c.String(), func(m forecast.Month) forecast.Interval { return m.Category[c] },
		func(i int) float64 { return res.Compat.Months[i].Category[c].Mean })
}

// Banded is a chart's mean and the cs-demand-model line, with the 80% and
// 95% intervals as shaded bands (the inner darker) instead of edge lines,
// for the pages; the PDF draws the edges as lines.
func Banded(c chart.Chart) chart.BandChart {
	b := chart.BandChart{Chart: c}
	if len(c.Series) < 5 {
		return b
	}
	b.Ribbons = []chart.Ribbon{
		{Name: "95% interval", Lo: c.Series[3].Points, Hi: c.Series[4].Points, Opacity: 0.15},
		{Name: "80% interval", Lo: c.Series[1].Points, Hi: c.Series[2].Points, Opacity: 0.35},
	}
	b.Chart.Series = append([]chart.Series{c.Series[0]}, c.Series[5:]...)
	b.Chart.Title = strings.Replace(c.Title, "with 80% and 95% intervals", "with 80% (darker) and 95% (lighter) intervals", 1)
	return b
}
