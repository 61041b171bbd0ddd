package needs

import (
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/db"
)

// Trajectory describes a child's need score and each domain over its approved
// assessments: the web page and the referral PDF draw the same charts.
func Trajectory(in Instrument, approved []Summary, asOf time.Time) (chart.Chart, []chart.Chart) {
	src := "approved needs assessments (" + in.Name + ")"
	score := chart.Chart{Kind: chart.Line, Title: "Need score over time", Source: src, AsOf: asOf, XTime: true,
		YLabel: "Need score", YMin: 0, YMax: float64(in.Max) * float64(len(in.Domains)), Series: []chart.Series{{Name: "Need score"}}}
	var domains []chart.Chart
	for _, d := range in.Domains {
		domains = append(domains, chart.Chart{Kind: chart.Line, Title: d.Name, XTime: true, Compact: true, Width: 220, Height: 120,
			YMin: float64(in.Min), YMax: float64(in.Max), YTicks: levelTicks(in), Series: []chart.Series{{Name: d.Name}}})
	}
	for _, a := range approved {
		x := chart.Days(a.AssessedOn)
		score.Series[0].Points = append(score.Series[0].Points, chart.Point{X: x, Y: float64(a.Score),
			Label: fmt.Sprintf("%s: score %d, %s", a.AssessedOn.Format("2 Jan 2006"), a.Score, a.Band)})
		for i, d := range in.Domains {
			if l, ok := a.Levels[d.DomainCode]; ok {
				domains[i].Series[0].Points = append(domains[i].Series[0].Points, chart.Point{X: x, Y: float64(l)})
			}
		}
	}
	return score, domains
}

func levelTicks(in Instrument) []float64 {
	var t []float64
	for l := in.Min; l <= in.Max; l++ {
		t = append(t, float64(l))
	}
	return t
}

// SDQChart describes a child's SDQ total-difficulties scores with the bands shaded.
func SDQChart(rs []db.SdqReading, asOf time.Time) chart.Chart {
	c := chart.Chart{Kind: chart.Line, Title: "SDQ total difficulties", Source: "SDQ readings (carer questionnaire)", AsOf: asOf,
		XTime: true, YLabel: "Score (0–40)", YMin: 0, YMax: 40, YTicks: []float64{0, 13, 16, 20, 30, 40},
		Bands:  []chart.Band{{Lo: 17, Hi: 40, Label: "17–40 cause for concern"}, {Lo: 14, Hi: 16, Label: "14–16 borderline"}},
		Series: []chart.Series{{Name: "SDQ"}}, Height: 240}
	for _, r := range rs {
		c.Series[0].Points = append(c.Series[0].Points, chart.Point{X: chart.Days(r.TakenOn), Y: float64(r.Score),
			Label: fmt.Sprintf("%s: %d (%s)", r.TakenOn.Format("2 Jan 2006"), r.Score, SDQBand(r.Score))})
	}
	return c
}
