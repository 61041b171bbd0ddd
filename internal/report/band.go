package report

import (
	"slices"

	"codeberg.org/go-pdf/fpdf"

	"github.com/hearthcare/hearth/internal/chart"
)

// Forecast intervals are drawn in the PDFs as on the pages: shaded bands
// under the central line, the 95% interval in a light tint of the first
// series' colour and the 80% interval in a darker one, with a key. The
// tints are solid colours blended with white rather than transparency, so
// they print the same on every viewer and the 80% band stays distinct from
// the 95% band on a greyscale print (about 75% and 88% brightness).

// drawBandChart draws a chart whose intervals are ribbons (forecasting.Banded).
func (d *doc) drawBandChart(b chart.BandChart, h float64) {
	c := b.Chart
	if c.YMin == c.YMax && len(c.Series) > 0 {
		// Fit the Y range to the bands too, so they are never cut off.
		fit := c
		fit.Series = slices.Clone(c.Series)
		pts := slices.Clone(fit.Series[0].Points)
		for _, r := range b.Ribbons {
			pts = append(append(pts, r.Lo...), r.Hi...)
		}
		fit.Series[0].Points = pts
		l := fit.Plan()
		c.YMin, c.YMax, c.YTicks = l.YMin, l.YMax, l.YTicks
	}
	d.drawChartWith(c, b.Ribbons, h)
}

// tint blends a colour with white: a is the colour's share.
func tint(hex string, a float64) (int, int, int) {
	r, g, b := rgb(hex)
	mix := func(v int) int { return int(255 - (255-float64(v))*a + 0.5) }
	return mix(r), mix(g), mix(b)
}

// ribbonShare is the colour's share in a band's tint: the page's opacity,
// made a little stronger because paper shows pale tints paler than screens.
func ribbonShare(r chart.Ribbon) float64 { return min(1, r.Opacity*1.3) }

// ribbons fills each ribbon as one polygon between its upper and lower
// edges, over the months where both edges are published (a withheld bound
// leaves its months out rather than drawing them as zero).
func (d *doc) ribbons(rs []chart.Ribbon, X, Y func(float64) float64) {
	for _, r := range rs {
		lo := map[float64]float64{}
		for _, p := range r.Lo {
			lo[p.X] = p.Y
		}
		var hi, low []fpdf.PointType
		for _, p := range r.Hi {
			if y, ok := lo[p.X]; ok {
				hi = append(hi, fpdf.PointType{X: X(p.X), Y: Y(p.Y)})
				low = append(low, fpdf.PointType{X: X(p.X), Y: Y(y)})
			}
		}
		if len(hi) < 2 {
			continue
		}
		slices.Reverse(low)
		cr, cg, cb := tint(chart.Colour(0), ribbonShare(r))
		d.SetFillColor(cr, cg, cb)
		d.Polygon(append(hi, low...), "F")
	}
}

// ribbonKeys draws the bands' keys on one legend row, after the central
// line's key when the chart has no other series (and so no series legend).
func (d *doc) ribbonKeys(c chart.Chart, rs []chart.Ribbon, lx, ly float64) {
	d.SetFont("Go", "", 7)
	if len(c.Series) == 1 {
		r, g, b := rgb(chart.Colour(0))
		d.SetDrawColor(r, g, b)
		d.SetFillColor(r, g, b)
		d.SetLineWidth(0.5)
		d.setDash(0, 0.5)
		d.Line(lx, ly+1.5, lx+6, ly+1.5)
		d.SetDashPattern(nil, 0)
		d.SetLineWidth(0.2)
		d.mark(chart.ShapeOf(0), lx+3, ly+1.5, 0.9)
		d.SetXY(lx+8, ly-0.5)
		name := c.Series[0].Name
		d.CellFormat(d.GetStringWidth(name)+2, 4, name, "", 0, "L", false, 0, "")
		lx += d.GetStringWidth(name) + 16
	}
	// The inner (80%) band first, as readers look for it first.
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		cr, cg, cb := tint(chart.Colour(0), ribbonShare(r))
		d.SetFillColor(cr, cg, cb)
		d.Rect(lx, ly, 6, 3, "F")
		d.SetXY(lx+7, ly-0.5)
		name := r.Name + " (shaded)"
		d.CellFormat(d.GetStringWidth(name)+2, 4, name, "", 0, "L", false, 0, "")
		lx += d.GetStringWidth(name) + 14
	}
}
