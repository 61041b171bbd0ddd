package forecasting

import (
	"fmt"
	"strings"

	"github.com/hearthcare/hearth/internal/forecast"
)

// FormatBacktest lays both models' backtest scores side by side as text.
func FormatBacktest(bt *forecast.Backtest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Backtest: %d origins from %s to %s, %d-month window; MAPE over months 1–h / at month h\n", len(bt.Options.Origins),
		bt.Options.Origins[0].Format("2006-01-02"), bt.Options.Origins[len(bt.Options.Origins)-1].Format("2006-01-02"), bt.Options.WindowMonths)
	for i, h := range bt.Hearth {
		c := bt.Compat[i]
		fmt.Fprintf(&b, "horizon %d months (%d points)          Hearth            cs-demand-model method\n", h.Horizon, h.Points)
		line := func(name string, he, ce forecast.Error, cname string) {
			fmt.Fprintf(&b, "  %-12s %6.1f%% / %6.1f%%     %-9s %6.1f%% / %6.1f%%\n", name, he.MAPE, he.AtHorizon, cname, ce.MAPE, ce.AtHorizon)
		}
		line("Total", h.Total, c.Total, "")
		for k := range forecast.NumCategories {
			line(forecast.Category(k).String(), h.Category[k], c.Category[k], "")
		}
		for k := range forecast.NumAgeBands {
			line(forecast.AgeBand(k).String(), h.Band[k], c.Band[k], forecast.CompatBracketNames[k])
		}
		fmt.Fprintf(&b, "  truth inside Hearth's 80%% interval: %.1f%% of points; inside 95%%: %.1f%% (the anchor has no intervals)\n", 100*h.Coverage80, 100*h.Coverage95)
	}
	return b.String()
}
