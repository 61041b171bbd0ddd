package chart

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
)

// Ribbon is an interval drawn as a shaded band between Lo and Hi, which
// have the same X values (a forecast's 80% or 95% interval).
type Ribbon struct {
	Name    string
	Lo, Hi  []Point
	Opacity float64 // of the first series' colour: darker for the inner interval
}

// BandChart is a line chart with shaded intervals beneath its series. It is
// drawn by Chart.SVG with the bands slipped in under the data, so it
// changes nothing else about how charts look.
type BandChart struct {
	Chart
	Ribbons []Ribbon
}

// fixed is the chart with its Y range fitted to the series and the ribbons
// together, so the bands are never cut off.
func (c BandChart) fixed() Chart {
	ch := c.Chart
	if ch.YMin != ch.YMax || len(ch.Series) == 0 {
		return ch
	}
	fit := ch
	fit.Series = slices.Clone(ch.Series)
	pts := slices.Clone(fit.Series[0].Points)
	for _, r := range c.Ribbons {
		pts = append(append(pts, r.Lo...), r.Hi...)
	}
	fit.Series[0].Points = pts
	l := fit.Plan()
	ch.YMin, ch.YMax, ch.YTicks = l.YMin, l.YMax, l.YTicks
	return ch
}

// SVG draws the chart with its bands.
func (c BandChart) SVG() template.HTML {
	ch := c.fixed()
	svg := string(ch.SVG())
	if ch.Empty() || len(c.Ribbons) == 0 {
		return template.HTML(svg)
	}
	l := ch.Plan()
	var b bytes.Buffer
	for _, r := range c.Ribbons {
		if len(r.Lo) < 2 || len(r.Lo) != len(r.Hi) {
			continue
		}
		fmt.Fprintf(&b, `<polygon fill="%s" fill-opacity="%.2f" stroke="none" points="`, Colour(0), r.Opacity)
		for _, p := range r.Hi {
			fmt.Fprintf(&b, "%.1f,%.1f ", l.X(p.X), l.Y(p.Y))
		}
		for i := len(r.Lo) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%.1f,%.1f ", l.X(r.Lo[i].X), l.Y(r.Lo[i].Y))
		}
		fmt.Fprintf(&b, `"><title>%s</title></polygon>`, html.EscapeString(r.Name))
	}
	// Under the data: before the first series' line or markers.
	at := strings.Index(svg, "<polyline")
	if c := strings.Index(svg, "<circle"); at < 0 || (c >= 0 && c < at) {
		at = c
	}
	if at < 0 {
		at = strings.LastIndex(svg, "</svg>")
	}
	return template.HTML(svg[:at] + b.String() + svg[at:])
}
