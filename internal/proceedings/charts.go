package proceedings

import (
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/chart"
)

// CaseTimeline describes a case's hearings along the weeks since issue,
// against the target line.
func CaseTimeline(c Case, b Breakdown, asOf time.Time) chart.Chart {
	kinds := map[string]float64{"cmh": 1, "fcmh": 2, "irh": 3, "final": 4, "other": 0}
	ch := chart.Chart{Kind: chart.Scatter, Title: fmt.Sprintf("Case %s: %.1f weeks%s", c.CaseNumber, b.Weeks, map[bool]string{true: " so far", false: ""}[b.Open]),
		Source: "hearings recorded in Hearth", AsOf: asOf, XLabel: "Weeks since issue", YMin: -0.5, YMax: 4.5, YTicks: []float64{0, 1, 2, 3, 4},
		YLabels: map[float64]string{0: "Other", 1: "CMH", 2: "FCMH", 3: "IRH", 4: "Final"}, Height: 220,
		VLines: []chart.VLine{{X: float64(b.TargetWeeks), Label: fmt.Sprintf("%d weeks", b.TargetWeeks)}, {X: b.Weeks, Label: map[bool]string{true: "today", false: "concluded"}[b.Open]}},
		Series: []chart.Series{{Name: "Effective"}, {Name: "Adjourned"}, {Name: "Vacated"}}}
	for _, h := range c.Hearings {
		if h.Outcome == Listed {
			continue
		}
		i := map[string]int{"effective": 0, "adjourned": 1, "vacated": 2}[h.Outcome]
		w := h.On.Sub(c.IssuedOn).Hours() / 24 / 7
		ch.Series[i].Points = append(ch.Series[i].Points, chart.Point{X: w, Y: kinds[h.Kind],
			Label: fmt.Sprintf("%s, %s: %s (week %.1f)", HearingKinds[h.Kind], h.On.Format("2 Jan 2006"), h.Outcome, w)})
	}
	return ch
}

// DurationChart describes the spread of case durations.
func DurationChart(r Report) chart.Chart {
	c := chart.Chart{Kind: chart.Bar, Title: "Cases by weeks from issue", Source: "care proceedings recorded in Hearth", AsOf: r.AsOf,
		YLabel: "Cases", Height: 240, Series: []chart.Series{{Name: "Cases"}}}
	for _, b := range r.Histogram {
		c.Series[0].Points = append(c.Series[0].Points, chart.Point{Label: b.Label + " weeks", Y: float64(b.Count)})
	}
	return c
}
