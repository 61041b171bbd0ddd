// Package report writes Hearth's PDF documents: the council commissioning
// report and a child's needs profile for a placement referral. It is the only
// package that imports fpdf. Charts are drawn from the same internal/chart
// descriptions the web pages use; fonts are the Go fonts, embedded as UTF-8
// TrueType.
package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/hearthcare/hearth/internal/chart"
)

// doc is an A4 portrait document with Hearth's header, footer and styles.
type doc struct {
	*fpdf.Fpdf
	title    string
	asOf     time.Time
	sections []section // for the contents
}

type section struct {
	title string
	page  int
}

const (
	margin = 18.0
	pageW  = 210.0
	textW  = pageW - 2*margin
)

func newDoc(title string, asOf time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	f.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
	f.SetMargins(margin, 20, margin)
	f.SetAutoPageBreak(true, 20)
	f.SetTitle(title, true)
	f.SetCreator("Hearth", true)
	f.AliasNbPages("{nb}")
	d := &doc{Fpdf: f, title: title, asOf: asOf}
	f.SetHeaderFunc(func() {
		if f.PageNo() == 1 {
			return
		}
		f.SetFont("Go", "", 8)
		f.SetTextColor(80, 90, 95)
		f.SetXY(margin, 9)
		f.CellFormat(textW, 4, title+" · as of "+asOf.Format("2 January 2006"), "", 0, "L", false, 0, "")
		f.SetDrawColor(29, 112, 184)
		f.Line(margin, 14, pageW-margin, 14)
		f.SetTextColor(11, 12, 12)
		f.SetXY(margin, 20) // the page's content starts at the top margin, left
	})
	f.SetFooterFunc(func() {
		f.SetY(-13)
		f.SetFont("Go", "", 8)
		f.SetTextColor(80, 90, 95)
		f.CellFormat(textW/2, 4, "OFFICIAL-SENSITIVE · Hearth", "", 0, "L", false, 0, "")
		f.CellFormat(textW/2, 4, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(11, 12, 12)
	})
	return d
}

func (d *doc) heading(s string) {
	d.sections = append(d.sections, section{s, d.PageNo()})
	d.Bookmark(s, 0, -1)
	d.SetFont("Go", "B", 16)
	d.SetTextColor(11, 12, 12)
	d.MultiCell(textW, 8, s, "", "L", false)
	d.Ln(2)
}

// cover starts the document with its title on a blue band.
func (d *doc) cover(title, subtitle, line string) {
	d.AddPage()
	d.SetFillColor(29, 112, 184)
	d.Rect(0, 0, pageW, 95, "F")
	d.SetTextColor(255, 255, 255)
	d.SetXY(margin, 30)
	d.SetFont("Go", "B", 26)
	d.MultiCell(textW, 11, title, "", "L", false)
	d.SetFont("Go", "", 16)
	d.MultiCell(textW, 8, subtitle, "", "L", false)
	d.SetFont("Go", "", 11)
	d.Ln(4)
	d.MultiCell(textW, 6, line, "", "L", false)
	d.SetTextColor(11, 12, 12)
	d.SetXY(margin, 110)
}

// contents writes the sections and their pages on a page left for them.
func (d *doc) contents(page int) {
	d.SetPage(page)
	d.SetXY(margin, 25)
	d.SetFont("Go", "B", 16)
	d.CellFormat(textW, 8, "Contents", "", 1, "L", false, 0, "")
	d.Ln(3)
	d.SetFont("Go", "", 11)
	for _, s := range d.sections {
		d.CellFormat(textW-15, 7, s.title, "", 0, "L", false, 0, "")
		d.CellFormat(15, 7, fmt.Sprint(s.page), "", 1, "R", false, 0, "")
	}
	d.SetPage(d.PageCount())
}

func (d *doc) sub(s string) {
	if d.GetY() > 250 {
		d.AddPage()
	}
	d.SetFont("Go", "B", 12)
	d.MultiCell(textW, 6, s, "", "L", false)
	d.Ln(1)
}

func (d *doc) para(s string) {
	d.SetFont("Go", "", 10)
	d.MultiCell(textW, 5, s, "", "L", false)
	d.Ln(2)
}

func (d *doc) small(s string) {
	d.SetFont("Go", "", 8)
	d.SetTextColor(80, 90, 95)
	d.MultiCell(textW, 4, s, "", "L", false)
	d.SetTextColor(11, 12, 12)
	d.Ln(1)
}

// figure draws a key figure box: a big number and what it is.
func (d *doc) figures(items [][2]string) {
	w := textW / float64(len(items))
	y := d.GetY()
	for i, it := range items {
		x := margin + float64(i)*w
		d.SetFillColor(243, 242, 241)
		d.Rect(x+1, y, w-2, 24, "F")
		d.SetXY(x+3, y+3)
		d.SetFont("Go", "B", 15)
		d.CellFormat(w-6, 8, it[0], "", 2, "L", false, 0, "")
		d.SetX(x + 3)
		d.SetFont("Go", "", 8)
		d.MultiCell(w-6, 3.6, it[1], "", "L", false)
	}
	d.SetXY(margin, y+28)
}

// table draws rows with a bold header; widths are shares of the text width.
// Columns whose header starts with "#" are right-aligned (the # is dropped).
func (d *doc) table(widths []float64, head []string, rows [][]string) {
	ws := make([]float64, len(widths))
	for i, w := range widths {
		ws[i] = w * textW
	}
	align := make([]string, len(head))
	hd := make([]string, len(head))
	for i, h := range head {
		align[i], hd[i] = "L", h
		if strings.HasPrefix(h, "#") {
			align[i], hd[i] = "R", strings.TrimPrefix(h, "#")
		}
	}
	drawHead := func() {
		d.SetFont("Go", "B", 8.5)
		d.SetFillColor(29, 112, 184)
		d.SetTextColor(255, 255, 255)
		for i, h := range hd {
			d.CellFormat(ws[i], 6.5, h, "", 0, align[i], true, 0, "")
		}
		d.Ln(-1)
		d.SetTextColor(11, 12, 12)
	}
	drawHead()
	d.SetFont("Go", "", 8.5)
	for n, r := range rows {
		d.row(ws, align, r, n%2 == 1, func() {
			drawHead()
			d.SetFont("Go", "", 8.5)
		})
	}
	d.Ln(3)
}

// row draws one table row with every cell wrapped to its width, so nothing a
// reader needs is cut off; a row that does not fit starts a new page, after
// which newPage redraws the header.
func (d *doc) row(ws []float64, align, cells []string, fill bool, newPage func()) {
	const lh = 4.5
	lines := make([][]string, len(ws))
	n := 1
	for i := range ws {
		if i < len(cells) && cells[i] != "" {
			lines[i] = d.SplitText(cells[i], ws[i]-1.5)
			n = max(n, len(lines[i]))
		}
	}
	h := lh*float64(n) + 1
	if d.GetY()+h > 272 {
		d.AddPage()
		newPage()
	}
	y := d.GetY()
	if fill {
		d.SetFillColor(243, 242, 241)
		d.Rect(margin, y, sum(ws), h, "F")
	}
	for i := range ws {
		for j, l := range lines[i] {
			d.SetXY(margin+sum(ws[:i]), y+0.5+lh*float64(j))
			d.CellFormat(ws[i], lh, l, "", 0, align[i], false, 0, "")
		}
	}
	d.SetXY(margin, y+h)
}

// wrapTable is table for rows whose last column is prose: it wraps instead of
// shortening, so nothing a reader needs is cut off.
func (d *doc) wrapTable(widths []float64, head []string, rows [][]string) {
	ws := make([]float64, len(widths))
	for i, w := range widths {
		ws[i] = w * textW
	}
	d.SetFont("Go", "B", 8.5)
	d.SetFillColor(29, 112, 184)
	d.SetTextColor(255, 255, 255)
	for i, h := range head {
		d.CellFormat(ws[i], 6.5, h, "", 0, "L", true, 0, "")
	}
	d.Ln(-1)
	d.SetTextColor(11, 12, 12)
	d.SetFont("Go", "", 8.5)
	align := make([]string, len(ws))
	for i := range align {
		align[i] = "L"
	}
	for n, r := range rows {
		d.row(ws, align, r, n%2 == 1, func() {})
	}
	d.Ln(3)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// fit shortens text to the cell width.
func fit(d *doc, s string, w float64) string {
	for d.GetStringWidth(s) > w-1 && len(s) > 2 {
		r := []rune(s)
		s = string(r[:len(r)-2]) + "…"
	}
	return s
}

// drawChart draws a chart description at the current position, w by h mm.
func (d *doc) drawChart(c chart.Chart, h float64) { d.drawChartWith(c, nil, h) }

// drawChartWith draws a chart with shaded intervals under its series
// (band.go); ribbons is nil for a plain chart.
func (d *doc) drawChartWith(c chart.Chart, ribbons []chart.Ribbon, h float64) {
	if d.GetY()+h > 275 {
		d.AddPage()
	}
	x0, y0 := margin, d.GetY()
	c.Width, c.Height = textW, h
	l := c.Plan()
	// Plan lays out in SVG units (px); here 1 unit = 1 mm, with margins scaled down.
	l.Left, l.Right, l.Top, l.Bottom = 16, textW-4, 9, h-16
	legend := d.legendRows(c)
	if len(ribbons) > 0 {
		legend = append(legend, nil) // a row for the bands' keys
	}
	l.Bottom -= 5 * float64(len(legend))
	if c.Slanted() {
		l.Bottom -= 14
	}
	// Axis titles, as on the page: room below for X, to the left for Y.
	if c.XLabel != "" {
		l.Bottom -= 5
	}
	if c.YLabel != "" {
		l.Left += 5
	}
	X := func(v float64) float64 { return x0 + l.X(v) }
	Y := func(v float64) float64 { return y0 + l.Y(v) }
	d.SetFont("Go", "B", 9)
	d.SetXY(x0, y0)
	d.CellFormat(textW, 5, c.Title, "", 0, "L", false, 0, "")
	if c.Empty() {
		d.SetFont("Go", "", 9)
		d.SetXY(x0, y0+h/2)
		d.CellFormat(textW, 5, "No data to show", "", 0, "C", false, 0, "")
		d.SetXY(margin, y0+h)
		return
	}
	d.SetFont("Go", "", 7)
	d.SetDrawColor(229, 229, 229)
	d.SetLineWidth(0.2)
	for i, t := range l.YTicks {
		d.Line(X(l.XMin), Y(t), X(l.XMax), Y(t))
		d.SetXY(x0, Y(t)-2)
		d.CellFormat(l.Left-1.5, 4, l.YTickLabels[i], "", 0, "R", false, 0, "")
	}
	d.SetDrawColor(11, 12, 12)
	d.Line(X(l.XMin), Y(l.YMin), X(l.XMax), Y(l.YMin))
	for i, t := range l.XTicks {
		if c.Slanted() {
			x, y := X(t), Y(l.YMin)+3
			d.TransformBegin()
			d.TransformRotate(35, x, y)
			d.Text(x-d.GetStringWidth(l.XTickLabels[i]), y, l.XTickLabels[i])
			d.TransformEnd()
			continue
		}
		d.SetXY(X(t)-12, Y(l.YMin)+1)
		d.CellFormat(24, 4, fit(d, l.XTickLabels[i], 24), "", 0, "C", false, 0, "")
	}
	if c.XLabel != "" {
		below := 5.5
		if c.Slanted() {
			below = 16
		}
		d.SetXY(X(l.XMin), Y(l.YMin)+below)
		d.CellFormat(X(l.XMax)-X(l.XMin), 4, c.XLabel, "", 0, "C", false, 0, "")
	}
	if c.YLabel != "" {
		x, y := x0+3, (Y(l.YMin)+Y(l.YMax))/2
		d.TransformBegin()
		d.TransformRotate(90, x, y)
		d.Text(x-d.GetStringWidth(c.YLabel)/2, y, c.YLabel)
		d.TransformEnd()
	}
	for _, v := range c.VLines {
		d.SetDrawColor(212, 53, 28)
		d.SetDashPattern([]float64{1.5, 1}, 0)
		d.Line(X(v.X), Y(l.YMax), X(v.X), Y(l.YMin))
		d.SetDashPattern(nil, 0)
		d.SetTextColor(212, 53, 28)
		d.Text(X(v.X)+1, Y(l.YMax)+3, v.Label)
		d.SetTextColor(11, 12, 12)
	}
	d.ribbons(ribbons, X, Y)
	slot := 0.0
	if c.Kind == chart.Bar && len(l.Categories) > 0 {
		slot = (l.X(1) - l.X(0)) * 0.8
	}
	for si, s := range c.Series {
		r, g, b := rgb(chart.Colour(si))
		d.SetDrawColor(r, g, b)
		d.SetFillColor(r, g, b)
		switch c.Kind {
		case chart.Bar:
			w := slot / float64(len(c.Series))
			idx := map[string]int{}
			for i, cat := range l.Categories {
				idx[cat] = i
			}
			for _, p := range s.Points {
				x := X(float64(idx[p.Label])) - slot/2 + w*float64(si)
				top, base := Y(p.Y), Y(0)
				if top > base {
					top, base = base, top
				}
				d.Rect(x, top, w*0.92, base-top, "F")
				d.barStripes(si, len(c.Series), x, top, w*0.92, base-top)
			}
		default:
			var prev *chart.Point
			d.SetLineWidth(0.5)
			// The same line style and marker shape as on the page, so
			// series are told apart on a greyscale print.
			d.setDash(si, 0.5)
			pts := s.Points
			if c.Kind == chart.Scatter {
				pts = l.Visible(pts, 0.2) // a fifth of a millimetre
			}
			for i := range pts {
				p := pts[i]
				if c.Kind == chart.Line && prev != nil {
					d.Line(X(prev.X), Y(prev.Y), X(p.X), Y(p.Y))
				}
				prev = &pts[i]
			}
			d.SetDashPattern(nil, 0)
			for _, p := range pts {
				d.mark(chart.ShapeOf(si), X(p.X), Y(p.Y), 0.7)
			}
			d.SetLineWidth(0.2)
		}
	}
	for ri, row := range legend {
		lx := x0 + l.Left
		ly := y0 + h - 14 - 5*float64(len(legend)-1-ri) // top of this row's keys
		if row == nil && len(ribbons) > 0 {
			d.ribbonKeys(c, ribbons, lx, ly)
			continue
		}
		for _, si := range row {
			s := c.Series[si]
			r, g, b := rgb(chart.Colour(si))
			d.SetFillColor(r, g, b)
			d.SetDrawColor(r, g, b)
			if c.Kind == chart.Bar {
				d.Rect(lx, ly, 3, 3, "F")
				d.barStripes(si, len(c.Series), lx, ly, 3, 3)
			} else {
				if c.Kind == chart.Line {
					d.SetLineWidth(0.5)
					d.setDash(si, 0.5)
					d.Line(lx, ly+1.5, lx+6, ly+1.5)
					d.SetDashPattern(nil, 0)
					d.SetLineWidth(0.2)
				}
				d.mark(chart.ShapeOf(si), lx+3, ly+1.5, 0.9)
				lx += 4
			}
			d.SetXY(lx+4, ly-0.5)
			d.CellFormat(d.GetStringWidth(s.Name)+2, 4, s.Name, "", 0, "L", false, 0, "")
			lx += d.GetStringWidth(s.Name) + 10
		}
	}
	d.SetFont("Go", "", 7)
	d.SetTextColor(80, 90, 95)
	// A long source wraps below the chart rather than running off the page.
	lines := d.SplitText(c.Caption(), textW)
	for i, l := range lines {
		d.SetXY(x0, y0+h-7+4*float64(i))
		d.CellFormat(textW, 4, l, "", 0, "L", false, 0, "")
	}
	d.SetTextColor(11, 12, 12)
	d.SetXY(margin, y0+h+2+4*float64(max(len(lines)-1, 0)))
}

// legendRows splits a chart's series into legend rows that fit the text
// width at the legend's font size (7 pt), as LegendRows does for SVG.
func (d *doc) legendRows(c chart.Chart) [][]int {
	if len(c.Series) < 2 {
		return nil
	}
	d.SetFont("Go", "", 7)
	var rows [][]int
	x := 0.0
	for i, s := range c.Series {
		w := d.GetStringWidth(s.Name) + 14
		if len(rows) == 0 || x+w > textW-20 && x > 0 {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
		x += w
	}
	return rows
}

// setDash sets series i's dash pattern for a line w mm wide.
func (d *doc) setDash(i int, w float64) {
	p := chart.Dash(i)
	if p == nil {
		d.SetDashPattern(nil, 0)
		return
	}
	mm := make([]float64, len(p))
	for k, v := range p {
		mm[k] = v * w
	}
	d.SetDashPattern(mm, 0)
}

// mark draws one marker in the current fill colour.
func (d *doc) mark(s chart.Shape, x, y, r float64) {
	pts := chart.ShapePoints(s, x, y, r)
	if pts == nil {
		d.Circle(x, y, r, "F")
		return
	}
	poly := make([]fpdf.PointType, len(pts))
	for k, p := range pts {
		poly[k] = fpdf.PointType{X: p[0], Y: p[1]}
	}
	d.Polygon(poly, "F")
}

// barStripes crosses a bar of series i (of n) with white stripes, the
// pattern the web chart uses, clipped to the bar.
func (d *doc) barStripes(i, n int, x, y, w, h float64) {
	if n < 2 || i%6 == 0 || w <= 0 || h <= 0 {
		return
	}
	d.ClipRect(x, y, w, h, false)
	d.SetDrawColor(255, 255, 255)
	d.SetLineWidth(0.5)
	const gap = 1.6
	for k := -h - w; k < w+h; k += gap {
		switch i % 6 {
		case 2: // horizontal
			if k >= 0 && k <= h {
				d.Line(x, y+k, x+w, y+k)
			}
		case 3: // vertical
			if k >= 0 && k <= w {
				d.Line(x+k, y, x+k, y+h)
			}
		case 4: // crossed
			if k >= 0 && k <= h {
				d.Line(x, y+k, x+w, y+k)
			}
			if k >= 0 && k <= w {
				d.Line(x+k, y, x+k, y+h)
			}
		case 5: // reverse diagonal
			d.Line(x+k, y, x+k+h, y+h)
		default: // diagonal
			d.Line(x+k, y+h, x+k+h, y)
		}
	}
	d.SetLineWidth(0.2)
	d.ClipEnd()
	r, g, b := rgb(chart.Colour(i))
	d.SetDrawColor(r, g, b)
}

func rgb(hex string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func money(p float64) string { return chart.Pounds(p) }
