package chart

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
)

// SVG draws the chart as an inline SVG element. It uses presentation
// attributes, not style attributes, so it renders under Hearth's CSP.
func (c Chart) SVG() template.HTML {
	l := c.Plan()
	var b bytes.Buffer
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="hearth-chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-label="%s" font-family="Arial, sans-serif">`,
		l.W, l.H, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title><desc>%s</desc>`, esc(c.Title), esc(c.Describe()))
	pid := c.patternID()
	if c.Kind == Bar && len(c.Series) > 1 {
		b.WriteString(`<defs>`)
		for si := range c.Series {
			b.WriteString(barPattern(pid, si))
		}
		b.WriteString(`</defs>`)
	}
	fs := 13.0
	if c.Compact {
		fs = 11
	}
	if c.Title != "" {
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="%g" font-weight="bold" fill="#0b0c0c">%s</text>`, 4.0, fs+2, fs+1, esc(c.Title))
	}
	if c.Empty() {
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="%g" fill="#505a5f" text-anchor="middle">No data to show</text></svg>`, l.W/2, l.H/2, fs)
		return template.HTML(b.String())
	}
	for _, band := range c.Bands {
		y1, y2 := l.Y(band.Hi), l.Y(band.Lo)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, l.Left, y1, l.Right-l.Left, y2-y1, BandFill)
		if band.Label != "" && !c.Compact {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="#505a5f" text-anchor="end">%s</text>`, l.Right-4, y1+11, esc(band.Label))
		}
	}
	// Grid and axes.
	for i, t := range l.YTicks {
		y := l.Y(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`, l.Left, y, l.Right, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#505a5f" text-anchor="end">%s</text>`, l.Left-5, y+4, fs-2, esc(l.YTickLabels[i]))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#0b0c0c"/>`, l.Left, l.Bottom, l.Right, l.Bottom)
	for i, t := range l.XTicks {
		x := l.X(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#0b0c0c"/>`, x, l.Bottom, x, l.Bottom+4)
		if c.Slanted() {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#505a5f" text-anchor="end" transform="rotate(-35 %.1f %.1f)">%s</text>`,
				x, l.Bottom+fs, fs-2, x, l.Bottom+fs, esc(l.XTickLabels[i]))
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#505a5f" text-anchor="middle">%s</text>`, x, l.Bottom+fs+2, fs-2, esc(l.XTickLabels[i]))
	}
	if !c.Compact {
		if c.YLabel != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#0b0c0c" transform="rotate(-90 %.1f %.1f)" text-anchor="middle">%s</text>`,
				14.0, (l.Top+l.Bottom)/2, fs-1, 14.0, (l.Top+l.Bottom)/2, esc(c.YLabel))
		}
		if c.XLabel != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#0b0c0c" text-anchor="middle">%s</text>`, (l.Left+l.Right)/2, l.Bottom+2*fs+6, fs-1, esc(c.XLabel))
		}
	}
	for _, v := range c.VLines {
		x := l.X(v.X)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d4351c" stroke-width="2" stroke-dasharray="6 4"/>`, x, l.Top, x, l.Bottom)
		// Labels right of the line, or left of it in the right half so they stay on the chart.
		tx, anchor := x+4, "start"
		if x > (l.Left+l.Right)/2 {
			tx, anchor = x-4, "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#d4351c" text-anchor="%s">%s</text>`, tx, l.Top+10, anchor, esc(v.Label))
	}
	// Data.
	nSeries := float64(len(c.Series))
	for si, s := range c.Series {
		col := Colour(si)
		switch c.Kind {
		case Bar:
			slot := (l.X(1) - l.X(0)) * 0.8
			w := slot / nSeries
			idx := map[string]int{}
			for i, cat := range l.Categories {
				idx[cat] = i
			}
			for _, p := range s.Points {
				x := l.X(float64(idx[p.Label])) - slot/2 + w*float64(si)
				y0, y1 := l.Y(0), l.Y(p.Y)
				if y1 > y0 {
					y0, y1 = y1, y0
				}
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="%s" class="hearth-mark"><title>%s: %s</title></rect>`,
					x, y1, w*0.92, y0-y1, barFill(pid, si, len(c.Series)), col, esc(p.Label), esc(c.yText(p.Y)))
			}
		case Line, Scatter:
			pts := append([]Point(nil), s.Points...)
			if c.Kind == Scatter {
				pts = l.Visible(pts, 0.5)
			}
			sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
			if c.Kind == Line && len(pts) > 1 {
				b.WriteString(`<polyline fill="none" stroke="` + col + `" stroke-width="2"` + dashAttr(si, 2) + ` points="`)
				for _, p := range pts {
					fmt.Fprintf(&b, "%.1f,%.1f ", l.X(p.X), l.Y(p.Y))
				}
				b.WriteString(`"/>`)
			}
			r := 3.5
			if c.Compact {
				r = 2.5
			}
			for _, p := range pts {
				label := p.Label
				if label == "" {
					label = Number(p.Y)
					if c.XTime {
						label = FromDays(p.X).Format("2 Jan 2006") + ": " + label
					}
				}
				b.WriteString(marker(ShapeOf(si), l.X(p.X), l.Y(p.Y), r, col, esc(label)))
			}
		}
	}
	// Legend and source.
	if !c.Compact {
		caption := c.CaptionLines(l.W)
		above := captionLead * float64(len(caption)-1) // the caption's extra lines push the legend up
		if len(c.Series) > 1 {
			rows := c.LegendRows(l.W-56, 6.5, 40)
			for ri, row := range rows {
				x := l.Left
				ky := l.H - 33 - above - 18*float64(len(rows)-1-ri) // key centre line
				for _, si := range row {
					s := c.Series[si]
					// The key repeats each series' encoding: its bar pattern, or
					// its line style and marker shape.
					if c.Kind == Bar {
						fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s" stroke="%s"/>`, x, ky-6, barFill(pid, si, len(c.Series)), Colour(si))
					} else {
						if c.Kind == Line {
							fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`, x, ky, x+22, ky, Colour(si), dashAttr(si, 2))
						}
						b.WriteString(marker(ShapeOf(si), x+11, ky, 4, Colour(si), ""))
						x += 12
					}
					fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#0b0c0c">%s</text>`, x+16, ky+4, fs-2, esc(s.Name))
					x += 28 + 6.5*float64(len([]rune(s.Name)))
				}
			}
		}
		for i, line := range caption {
			fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="10" fill="#505a5f">%s</text>`, l.H-8-above+captionLead*float64(i), esc(line))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Caption says where the figures come from and the date they describe.
func (c Chart) Caption() string {
	s := "Source: " + strings.TrimSuffix(c.Source, ".")
	if c.Source == "" {
		s = "Source: Hearth"
	}
	if !c.AsOf.IsZero() {
		s += ". As of " + c.AsOf.Format("2 January 2006") + "."
	}
	return s
}

// captionLead is the caption's line spacing; captionChar is the width of
// one of its characters at its 10 px size, generously (a wide face's
// average), so a wrapped line never runs off the chart.
const captionLead, captionChar = 12.0, 5.6

// CaptionLines wraps the caption to a chart w wide, at word breaks: a long
// source would otherwise run off the right edge (a narrow chart, a small
// multiple).
func (c Chart) CaptionLines(w float64) []string {
	most := max(20, int((w-8)/captionChar))
	var lines []string
	line := ""
	for _, word := range strings.Fields(c.Caption()) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= most:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// Describe says in words what the chart shows and how its series are told
// apart, for the SVG's <desc>; the figures themselves are in Table.
func (c Chart) Describe() string {
	var b strings.Builder
	b.WriteString(c.Caption())
	for si, s := range c.Series {
		n := len(s.Points)
		switch c.Kind {
		case Bar:
			fmt.Fprintf(&b, " %s: %s, %d bars.", s.Name, barStyle(si, len(c.Series)), n)
		case Line:
			fmt.Fprintf(&b, " %s: %s line with %s markers, %d points.", s.Name, lineStyle(si), ShapeOf(si), n)
		default:
			fmt.Fprintf(&b, " %s: %s markers, %d points.", s.Name, ShapeOf(si), n)
		}
	}
	for _, band := range c.Bands {
		fmt.Fprintf(&b, " Shaded band %s to %s: %s.", c.yText(band.Lo), c.yText(band.Hi), band.Label)
	}
	for _, v := range c.VLines {
		fmt.Fprintf(&b, " Dashed line at %s: %s.", c.xText(v.X), v.Label)
	}
	return b.String()
}

func lineStyle(i int) string {
	return []string{"solid", "dashed", "dotted", "dash-dot", "short-dashed", "long-dashed"}[i%6]
}

func barStyle(i, n int) string {
	if n < 2 {
		return "solid"
	}
	return []string{"solid", "diagonal stripes", "horizontal stripes", "vertical stripes", "crossed stripes", "reverse diagonal stripes"}[i%6]
}

// dashAttr is the stroke-dasharray attribute for series i at line width w.
func dashAttr(i int, w float64) string {
	d := Dash(i)
	if d == nil {
		return ""
	}
	parts := make([]string, len(d))
	for k, v := range d {
		parts[k] = strconv.FormatFloat(v*w, 'g', 3, 64)
	}
	return ` stroke-dasharray="` + strings.Join(parts, " ") + `"`
}

// marker draws one data mark in shape s; title is already escaped.
func marker(s Shape, x, y, r float64, col, title string) string {
	var b strings.Builder
	if pts := ShapePoints(s, x, y, r); pts == nil {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s" class="hearth-mark">`, x, y, r, col)
	} else {
		b.WriteString(`<polygon fill="` + col + `" class="hearth-mark" points="`)
		for k, p := range pts {
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", p[0], p[1])
		}
		b.WriteString(`">`)
	}
	if title != "" {
		b.WriteString("<title>" + title + "</title>")
	}
	if pts := ShapePoints(s, x, y, r); pts == nil {
		b.WriteString("</circle>")
	} else {
		b.WriteString("</polygon>")
	}
	return b.String()
}

// patternID names this chart's bar patterns: a hash of its description, so
// that two charts on one page do not share ids unless they are the same.
func (c Chart) patternID() string {
	h := fnv.New32a()
	fmt.Fprint(h, c.Title, c.Caption(), len(c.Series))
	for _, s := range c.Series {
		fmt.Fprint(h, s.Name, len(s.Points))
	}
	return fmt.Sprintf("hc%x", h.Sum32())
}

// barPattern defines series i's fill: the first series is solid, the others
// the series colour crossed by white stripes at different angles.
func barPattern(pid string, i int) string {
	if i%6 == 0 {
		return ""
	}
	rot := []int{0, 45, 0, 90, 45, -45}[i%6]
	col := Colour(i)
	stripes := `<line x1="0" y1="3" x2="6" y2="3" stroke="#ffffff" stroke-width="2"/>`
	if i%6 == 4 {
		stripes += `<line x1="3" y1="0" x2="3" y2="6" stroke="#ffffff" stroke-width="2"/>`
	}
	return fmt.Sprintf(`<pattern id="%s-%d" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(%d)"><rect width="6" height="6" fill="%s"/>%s</pattern>`,
		pid, i, rot, col, stripes)
}

func barFill(pid string, i, n int) string {
	if n < 2 || i%6 == 0 {
		return Colour(i)
	}
	return fmt.Sprintf("url(#%s-%d)", pid, i)
}
