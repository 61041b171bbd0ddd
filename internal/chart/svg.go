package chart

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"sort"
)

// SVG draws the chart as an inline SVG element. It uses presentation
// attributes, not style attributes, so it renders under Hearth's CSP.
func (c Chart) SVG() template.HTML {
	l := c.Plan()
	var b bytes.Buffer
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="hearth-chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-label="%s" font-family="Arial, sans-serif">`,
		l.W, l.H, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))
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
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#f3f2f1"/>`, l.Left, y1, l.Right-l.Left, y2-y1)
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
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
					x, y1, w*0.92, y0-y1, col, esc(p.Label), esc(Number(p.Y)))
			}
		case Line, Scatter:
			pts := append([]Point(nil), s.Points...)
			if c.Kind == Scatter {
				pts = l.Visible(pts, 0.5)
			}
			sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
			if c.Kind == Line && len(pts) > 1 {
				b.WriteString(`<polyline fill="none" stroke="` + col + `" stroke-width="2" points="`)
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
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"><title>%s</title></circle>`, l.X(p.X), l.Y(p.Y), r, col, esc(label))
			}
		}
	}
	// Legend and source.
	if !c.Compact {
		y := l.H - 8.0
		if len(c.Series) > 1 {
			x := l.Left
			for si, s := range c.Series {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>`, x, l.H-38, Colour(si))
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g" fill="#0b0c0c">%s</text>`, x+14, l.H-29, fs-2, esc(s.Name))
				x += 24 + 6.5*float64(len(s.Name))
			}
		}
		fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="10" fill="#505a5f">%s</text>`, y, esc(c.Caption()))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Caption says where the figures come from and the date they describe.
func (c Chart) Caption() string {
	s := "Source: " + c.Source
	if c.Source == "" {
		s = "Source: Hearth"
	}
	if !c.AsOf.IsZero() {
		s += ". As of " + c.AsOf.Format("2 January 2006") + "."
	}
	return s
}
