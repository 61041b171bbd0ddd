package placements

import (
	"fmt"

	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// CostChart describes a child's weekly placement cost over time, as steps.
func CostChart(h History) chart.Chart {
	c := chart.Chart{Kind: chart.Line, Title: "Weekly cost of placements", Source: "placement cost records", AsOf: h.AsOf, XTime: true,
		YLabel: "£ a week", YTickFmt: chart.Pounds, Height: 240, Series: []chart.Series{{Name: "Weekly cost"}}}
	for _, p := range h.Placements {
		for _, k := range p.Costs {
			to := h.AsOf
			if k.EffectiveTo != nil && k.EffectiveTo.Before(to) {
				to = *k.EffectiveTo
			}
			if k.EffectiveFrom.After(h.AsOf) {
				continue
			}
			w := float64(k.WeeklyPence) / 100
			label := fmt.Sprintf("%s from %s: %s a week", ssda903.PlaceLabels[p.Place], k.EffectiveFrom.Format("2 Jan 2006"), chart.Pounds(w))
			c.Series[0].Points = append(c.Series[0].Points, chart.Point{X: chart.Days(k.EffectiveFrom), Y: w, Label: label},
				chart.Point{X: chart.Days(to), Y: w, Label: label})
		}
	}
	return c
}
