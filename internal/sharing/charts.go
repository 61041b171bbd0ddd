package sharing

import (
	"github.com/hearthcare/hearth/internal/chart"
)

// Charts draw only published figures: a suppressed value is left out, never
// drawn as zero.

// MedianCostChart compares councils' median weekly placement cost with the region's.
func MedianCostChart(r Region) chart.Chart {
	ch := chart.Chart{Kind: chart.Bar, Title: "Median weekly placement cost by council", Source: "placement costs shared with " + r.RCC + "; suppressed groups left out",
		AsOf: r.AsOf, YLabel: "£ a week", YTickFmt: chart.Pounds, Height: 280}
	s := chart.Series{Name: "Median weekly cost"}
	for _, row := range append(append([]Row{}, r.Benchmark...), r.Pooled) {
		if !row.MedianWeekly.Suppressed {
			s.Points = append(s.Points, chart.Point{Label: row.Council, Y: row.MedianWeekly.Value})
		}
	}
	ch.Series = []chart.Series{s}
	return ch
}

// DistanceChart compares councils' shares of children placed out of area and over 20 miles away.
func DistanceChart(r Region) chart.Chart {
	ch := chart.Chart{Kind: chart.Bar, Title: "Placed out of area, and over 20 miles from home", Source: "placements shared with " + r.RCC + "; suppressed groups left out",
		AsOf: r.AsOf, YLabel: "% of placed children", YMin: 0, YMax: 100, Height: 280,
		Series: []chart.Series{{Name: "Out of area"}, {Name: "Over 20 miles (of those with a distance)"}}}
	for _, row := range append(append([]Row{}, r.Benchmark...), r.Pooled) {
		if !row.OutShare.Suppressed {
			ch.Series[0].Points = append(ch.Series[0].Points, chart.Point{Label: row.Council, Y: row.OutShare.Value * 100})
		}
		if !row.Over20Share.Suppressed {
			ch.Series[1].Points = append(ch.Series[1].Points, chart.Point{Label: row.Council, Y: row.Over20Share.Value * 100})
		}
	}
	return ch
}
