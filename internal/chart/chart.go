// Package chart describes Hearth's charts once — title, axes, series, source
// and as-of date — and draws them: as SVG for web pages here, and as vector
// drawing in PDF reports (internal/report) from the same description, so a
// figure on screen and on paper cannot disagree.
package chart

import (
	"fmt"
	"math"
	"time"
)

// Kind is how series are drawn.
type Kind int

const (
	Line    Kind = iota // points joined in X order, with markers
	Scatter             // markers only
	Bar                 // one bar per point, series side by side
)

// Chart is a chart's description.
type Chart struct {
	Kind     Kind
	Title    string
	Source   string    // where the figures come from, printed under the chart
	AsOf     time.Time // the date the figures describe
	XLabel   string
	YLabel   string
	XTime    bool // X values are dates (Days)
	YMin     float64
	YMax     float64   // YMin == YMax means fit to the data
	YTicks   []float64 // explicit ticks; nil means chosen from the range
	YTickFmt func(float64) string
	Series   []Series
	Width    float64            // in user units (px for SVG); 0 means 640
	Height   float64            // 0 means 300
	Compact  bool               // small multiple: no legend, source or axis labels
	Bands    []Band             // shaded horizontal ranges, e.g. a need band
	VLines   []VLine            // vertical markers, e.g. the 26-week limit
	YLabels  map[float64]string // names for Y values, e.g. hearing kinds
	// Categories orders a bar chart's categories; nil means as they first appear.
	Categories []string
}

// VLine is a labelled vertical line at X.
type VLine struct {
	X     float64
	Label string
}

// Series is one named set of points.
type Series struct {
	Name   string
	Points []Point
}

// Point is one datum. Label names a bar's category or a point's tooltip.
type Point struct {
	X, Y  float64
	Label string
}

// Band shades Y from Lo to Hi with a label.
type Band struct {
	Lo, Hi float64
	Label  string
}

// Days turns a date into an X value for a time axis.
func Days(t time.Time) float64 { return float64(t.Unix()) / 86400 }

// FromDays turns an X value of a time axis back into a date.
func FromDays(x float64) time.Time { return time.Unix(int64(math.Round(x*86400)), 0).UTC() }

// Palette is the series colours: GOV.UK colours, darkened where needed
// (orange #f47738 was 2.78:1, turquoise and brown under 3:1 on a shaded band),
// so that each has at least 3:1 contrast (WCAG 1.4.11) on white and on
// BandFill. chart_test.go computes the contrast, so a new colour that fails
// fails the build.
var Palette = []string{"#1d70b8", "#d4351c", "#00703c", "#c05600", "#4c2c92", "#007b73", "#8a6a2f", "#912b88"}

// Colours other than the palette that carry information: text and marker
// lines on white or on a band.
const (
	Ink      = "#0b0c0c" // titles, axes, legend text
	Muted    = "#505a5f" // tick labels, source, band labels
	Marker   = "#d4351c" // vertical markers such as the 26-week line
	BandFill = "#f3f2f1" // shaded bands (decoration: data and text are drawn over it)
)

// Colour returns series i's colour.
func Colour(i int) string { return Palette[i%len(Palette)] }

// Shape is a marker shape. Series differ by shape as well as colour, so a
// chart reads in greyscale and for people who do not see the colours apart.
type Shape int

const (
	Circle Shape = iota
	Square
	Triangle
	Diamond
	TriangleDown
	Plus
)

var shapeNames = []string{"circle", "square", "triangle", "diamond", "downward triangle", "cross"}

func (s Shape) String() string { return shapeNames[int(s)%len(shapeNames)] }

// ShapeOf returns series i's marker shape.
func ShapeOf(i int) Shape { return Shape(i % len(shapeNames)) }

// Dash returns series i's line dash pattern in multiples of the line width:
// nil (solid) for the first series, then dashes and dots, so lines are told
// apart without colour.
func Dash(i int) []float64 {
	return [][]float64{nil, {4, 2}, {1, 1.5}, {6, 2, 1, 2}, {2, 2}, {8, 3}}[i%6]
}

// ShapePoints returns the polygon of a marker of radius r centred on (x, y),
// or nil for a circle; the SVG and PDF renderers draw the same outline.
func ShapePoints(s Shape, x, y, r float64) [][2]float64 {
	switch s {
	case Square:
		r *= 0.9
		return [][2]float64{{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}}
	case Triangle:
		r *= 1.2
		return [][2]float64{{x, y - r}, {x + r*0.87, y + r*0.5}, {x - r*0.87, y + r*0.5}}
	case TriangleDown:
		r *= 1.2
		return [][2]float64{{x, y + r}, {x + r*0.87, y - r*0.5}, {x - r*0.87, y - r*0.5}}
	case Diamond:
		r *= 1.25
		return [][2]float64{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}
	case Plus:
		t := r * 0.4
		r *= 1.2
		return [][2]float64{{x - t, y - r}, {x + t, y - r}, {x + t, y - t}, {x + r, y - t}, {x + r, y + t}, {x + t, y + t},
			{x + t, y + r}, {x - t, y + r}, {x - t, y + t}, {x - r, y + t}, {x - r, y - t}, {x - t, y - t}}
	}
	return nil
}

// Layout is where the plot sits and how data maps onto it: shared by the SVG
// and PDF renderers.
type Layout struct {
	W, H                     float64
	Left, Right, Top, Bottom float64 // plot area edges
	XMin, XMax, YMin, YMax   float64
	XTicks, YTicks           []float64
	XTickLabels, YTickLabels []string
	Categories               []string // bar charts: X categories in order
}

// X maps a data X to a position.
// Visible drops the scatter points that would be drawn within res units of
// a point already drawn, keeping the first. A national cohort is 100,000
// children, most sharing a need score and a weekly cost to the pound with
// another; the marks on the page are the same without them, and the page or
// PDF is a fraction of the size.
func (l Layout) Visible(pts []Point, res float64) []Point {
	seen := make(map[[2]int32]bool, min(len(pts), 4096))
	out := make([]Point, 0, min(len(pts), 4096))
	for _, p := range pts {
		k := [2]int32{int32(math.Round(l.X(p.X) / res)), int32(math.Round(l.Y(p.Y) / res))}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

func (l Layout) X(x float64) float64 {
	if l.XMax == l.XMin {
		return (l.Left + l.Right) / 2
	}
	return l.Left + (x-l.XMin)/(l.XMax-l.XMin)*(l.Right-l.Left)
}

// Y maps a data Y to a position (down the page).
func (l Layout) Y(y float64) float64 {
	if l.YMax == l.YMin {
		return (l.Top + l.Bottom) / 2
	}
	return l.Bottom - (y-l.YMin)/(l.YMax-l.YMin)*(l.Bottom-l.Top)
}

// Slanted reports whether a bar chart's category labels are drawn slanted,
// because there are too many to sit side by side.
func (c Chart) Slanted() bool {
	if c.Kind != Bar {
		return false
	}
	n := len(c.Categories)
	for _, s := range c.Series {
		n = max(n, len(s.Points))
	}
	return n > 6
}

// Empty reports whether the chart has no points to draw.
func (c Chart) Empty() bool {
	for _, s := range c.Series {
		if len(s.Points) > 0 {
			return false
		}
	}
	return true
}

// Plan works out the layout.
func (c Chart) Plan() Layout {
	l := Layout{W: c.Width, H: c.Height}
	if l.W == 0 {
		l.W = 640
	}
	if l.H == 0 {
		l.H = 300
	}
	l.Left, l.Right, l.Top, l.Bottom = 56, l.W-16, 36, l.H-58
	if c.Compact {
		l.Left, l.Right, l.Top, l.Bottom = 28, l.W-8, 22, l.H-20
	}
	if c.Title == "" {
		l.Top -= 20
	}
	if !c.Compact && len(c.Series) > 1 {
		l.Bottom -= 18 * float64(len(c.LegendRows(l.W-56, 6.5, 40))) // legend rows
	}
	if !c.Compact {
		l.Bottom -= captionLead * float64(len(c.CaptionLines(l.W))-1) // a caption wrapped to more lines
	}
	if c.Slanted() {
		l.Bottom -= 40 // room for slanted category labels
	}
	// X range.
	first := true
	if c.Kind == Bar {
		seen := map[string]bool{}
		for _, cat := range c.Categories {
			seen[cat] = true
			l.Categories = append(l.Categories, cat)
		}
		for _, s := range c.Series {
			for _, p := range s.Points {
				if !seen[p.Label] {
					seen[p.Label] = true
					l.Categories = append(l.Categories, p.Label)
				}
			}
		}
		l.XMin, l.XMax = -0.5, float64(len(l.Categories))-0.5
	} else {
		for _, s := range c.Series {
			for _, p := range s.Points {
				if first || p.X < l.XMin {
					l.XMin = p.X
				}
				if first || p.X > l.XMax {
					l.XMax = p.X
				}
				first = false
			}
		}
		if l.XMin == l.XMax {
			l.XMin, l.XMax = l.XMin-1, l.XMax+1
			if c.XTime {
				l.XMin, l.XMax = l.XMin-29, l.XMax+29
			}
		}
	}
	// Y range.
	if c.YMin != c.YMax {
		l.YMin, l.YMax = c.YMin, c.YMax
	} else {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range c.Series {
			for _, p := range s.Points {
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
		if math.IsInf(lo, 1) {
			lo, hi = 0, 1
		}
		if c.Kind == Bar || lo > 0 && lo < hi/3 {
			lo = math.Min(lo, 0)
		}
		l.YTicks = niceTicks(lo, hi, 5)
		l.YMin, l.YMax = l.YTicks[0], l.YTicks[len(l.YTicks)-1]
	}
	if c.YTicks != nil {
		l.YTicks = c.YTicks
	} else if l.YTicks == nil {
		l.YTicks = niceTicks(l.YMin, l.YMax, 5)
	}
	if c.Compact && len(l.YTicks) > 3 {
		l.YTicks = []float64{l.YMin, l.YMax}
	}
	for _, t := range l.YTicks {
		if name, ok := c.YLabels[t]; ok {
			l.YTickLabels = append(l.YTickLabels, name)
		} else if c.YTickFmt != nil {
			l.YTickLabels = append(l.YTickLabels, c.YTickFmt(t))
		} else {
			l.YTickLabels = append(l.YTickLabels, Number(t))
		}
	}
	for _, v := range c.VLines { // keep markers in view
		l.XMin, l.XMax = math.Min(l.XMin, v.X), math.Max(l.XMax, v.X)
	}
	// X ticks.
	switch {
	case c.Kind == Bar:
		for i, cat := range l.Categories {
			l.XTicks = append(l.XTicks, float64(i))
			l.XTickLabels = append(l.XTickLabels, cat)
		}
	case c.XTime:
		l.XTicks, l.XTickLabels = dateTicks(l.XMin, l.XMax, c.Compact)
	default:
		l.XTicks = niceTicks(l.XMin, l.XMax, 6)
		l.XMin, l.XMax = math.Min(l.XMin, l.XTicks[0]), math.Max(l.XMax, l.XTicks[len(l.XTicks)-1])
		for _, t := range l.XTicks {
			l.XTickLabels = append(l.XTickLabels, Number(t))
		}
	}
	return l
}

// LegendRows splits the series (by index) into legend rows that fit in
// width, given an average character width and the room each key takes
// besides its name, so a six-series forecast's key wraps instead of running
// off the chart.
func (c Chart) LegendRows(width, charW, key float64) [][]int {
	var rows [][]int
	x := 0.0
	for i, s := range c.Series {
		w := key + charW*float64(len([]rune(s.Name)))
		if len(rows) == 0 || x+w > width && x > 0 {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
		x += w
	}
	return rows
}

// niceTicks returns about n round numbers spanning lo..hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for v := start; ; v += step {
		out = append(out, math.Round(v/step)*step)
		if v >= hi-step*1e-9 && len(out) >= 2 {
			return out // the last tick is at or above the highest value
		}
	}
}

// dateTicks chooses year, quarter or month ticks for a date range.
func dateTicks(lo, hi float64, compact bool) ([]float64, []string) {
	from, to := FromDays(lo), FromDays(hi)
	months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month())
	step := 1
	switch {
	case months > 72:
		step = 24
	case months > 36:
		step = 12
	case months > 18:
		step = 6
	case months > 8:
		step = 3
	}
	if compact {
		step *= 2
	}
	t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if t.Before(from) {
		t = t.AddDate(0, 1, 0)
	}
	for step >= 12 && t.Month() != time.January || step >= 3 && step < 12 && (int(t.Month())-1)%3 != 0 {
		t = t.AddDate(0, 1, 0)
	}
	var ticks []float64
	var labels []string
	for ; !t.After(to); t = t.AddDate(0, step, 0) {
		ticks = append(ticks, Days(t))
		if step >= 12 {
			labels = append(labels, t.Format("2006"))
		} else {
			labels = append(labels, t.Format("Jan 2006"))
		}
	}
	return ticks, labels
}

// Number formats a figure with thousands separators and no needless decimals.
func Number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(int64(v))
	}
	s := fmt.Sprintf("%.2f", v)
	if v == math.Round(v*10)/10 {
		s = fmt.Sprintf("%.1f", v)
	}
	return s
}

// Pounds formats money as £1,234.
func Pounds(v float64) string {
	if v < 0 {
		return "−£" + thousands(int64(math.Round(-v)))
	}
	return "£" + thousands(int64(math.Round(v)))
}

func thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "−" + s
	}
	return s
}
