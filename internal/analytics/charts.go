package analytics

import (
	"fmt"

	"github.com/hearthcare/hearth/internal/chart"
)

// DomainNames are the default instrument's domains, short, for charts and tables.
var DomainNames = []string{"Emotional health", "Attachments", "Managing emotions", "Relationships", "Family and contact", "Identity",
	"Education", "Physical health", "Self-care", "Keeping safe", "Communication", "Belonging"}

// MaxScatterPoints is the most children the scatter draws. Nationally one
// point a child was 100,000 SVG circles and a 2 MB page; past this the chart
// draws every k-th child of each band (the children are in council and id
// order, not by score or cost, so the sample keeps the shape), says so in its
// title, and the figures (r, n, medians) still count every child. At 1,500
// (about 150 bytes a mark) a generated national cohort's page was 318 KB, over
// issue 19's 300 KB (TestAnalyticsPageIsBoundedNationally); 1,200 leaves the
// page's tables room.
const MaxScatterPoints = 1200

// ScatterChart describes need score against weekly cost, one point a child,
// or a sample of them past MaxScatterPoints.
func ScatterChart(c Cohort) chart.Chart {
	r := "not computed: " + c.Pearson.Reason
	if c.Pearson.Known() {
		r = c.Pearson.Format(2)
	}
	// The same sample the API's summary carries (SummaryOf).
	sample, every := ScatterSample(c)
	heading := fmt.Sprintf("Need score and weekly cost (Pearson r = %s, n = %d)", r, c.Pearson.N)
	if every > 1 {
		heading = fmt.Sprintf("Need score and weekly cost (Pearson r = %s, n = %d; one child in %d drawn)", r, c.Pearson.N, every)
	}
	ch := chart.Chart{Kind: chart.Scatter, Title: heading,
		Source: "latest approved needs assessments and placement costs", AsOf: c.AsOf, XLabel: "Need score (0–48)", YLabel: "£ a week",
		YTickFmt: chart.Pounds, Height: 320}
	for _, b := range Bands {
		s := chart.Series{Name: title(b) + " needs"}
		for _, p := range sample {
			if p.Band == b {
				s.Points = append(s.Points, chart.Point{X: float64(p.Score), Y: p.Weekly, Label: fmt.Sprintf("score %d, %s a week", p.Score, chart.Pounds(p.Weekly))})
			}
		}
		ch.Series = append(ch.Series, s)
	}
	return ch
}

// MedianCostChart describes median weekly cost by band for the main placement groups.
func MedianCostChart(c Cohort) chart.Chart {
	ch := chart.Chart{Kind: chart.Bar, Title: "Median weekly cost by need band and placement", Source: "placement costs and needs bands", AsOf: c.AsOf,
		YLabel: "£ a week", YTickFmt: chart.Pounds, Height: 300, Categories: []string{"Low", "Medium", "High", "Complex"}}
	for _, g := range []string{InHouseFoster, AgencyFoster, Home, Supported} {
		s := chart.Series{Name: g}
		for _, b := range Bands {
			for _, sp := range c.CostByBandGroup {
				if sp.Key == b+"|"+g {
					s.Points = append(s.Points, chart.Point{Label: title(b), Y: sp.Median})
				}
			}
		}
		ch.Series = append(ch.Series, s)
	}
	return ch
}

// PrevalenceChart describes the share of assessed children at each of two
// levels of need in each domain: the title names both series it plots.
func PrevalenceChart(c Cohort) chart.Chart {
	ch := chart.Chart{Kind: chart.Bar, Title: fmt.Sprintf("Children at level 3 or 4 (high or severe need) and at level 2, by domain (n = %d assessed)", c.Assessed),
		Source: "latest approved needs assessments", AsOf: c.AsOf, YLabel: "% of assessed children", YMin: 0, YMax: 100, Height: 300,
		Series: []chart.Series{{Name: "Level 3 or 4"}, {Name: "Level 2"}}}
	for d, levels := range c.Prevalence {
		if c.Assessed == 0 || d >= len(DomainNames) {
			continue
		}
		high := float64(levels[3]+levels[4]) * 100 / float64(c.Assessed)
		mid := float64(levels[2]) * 100 / float64(c.Assessed)
		ch.Series[0].Points = append(ch.Series[0].Points, chart.Point{Label: DomainNames[d], Y: high})
		ch.Series[1].Points = append(ch.Series[1].Points, chart.Point{Label: DomainNames[d], Y: mid})
	}
	return ch
}
