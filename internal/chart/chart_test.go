package chart_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/chart"
)

func day(s string) float64 {
	t, _ := time.Parse(time.DateOnly, s)
	return chart.Days(t)
}

// elements parses an SVG and counts its elements by name, failing on bad XML.
func elements(t *testing.T, svg string) (map[string]int, []xml.StartElement) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	n := map[string]int{}
	var all []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, all
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			n[se.Name.Local]++
			all = append(all, se)
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestLineChartDrawsEveryPoint(t *testing.T) {
	c := chart.Chart{Kind: chart.Line, Title: "Need score <over> time", Source: "approved assessments", XTime: true,
		AsOf: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), YMin: 0, YMax: 48,
		Series: []chart.Series{{Name: "Score", Points: []chart.Point{{X: day("2025-01-10"), Y: 12}, {X: day("2025-07-10"), Y: 48}, {X: day("2026-01-10"), Y: 0}}}}}
	svg := string(c.SVG())
	n, all := elements(t, svg)
	if n["circle"] != 3 || n["polyline"] != 1 {
		t.Errorf("%d markers and %d lines; want 3 and 1", n["circle"], n["polyline"])
	}
	if !strings.Contains(svg, "Need score &lt;over&gt; time") || !strings.Contains(svg, "As of 31 March 2026") {
		t.Error("title not escaped or caption missing")
	}
	l := c.Plan()
	var ys []float64
	for _, se := range all {
		if se.Name.Local == "circle" {
			var y float64
			_, _ = fmt.Sscan(attr(se, "cy"), &y)
			ys = append(ys, y)
		}
	}
	// Score 48 is at the top of the plot, 0 at the bottom.
	if math.Abs(ys[1]-l.Top) > 0.1 || math.Abs(ys[2]-l.Bottom) > 0.1 {
		t.Errorf("markers at y %v; want 48 at %.1f and 0 at %.1f", ys, l.Top, l.Bottom)
	}
	if strings.Contains(svg, "style=") {
		t.Error("style attributes would be blocked by the CSP")
	}
}

func TestEmptyChartSaysSo(t *testing.T) {
	svg := string(chart.Chart{Title: "Nothing"}.SVG())
	elements(t, svg)
	if !strings.Contains(svg, "No data to show") {
		t.Error("an empty chart does not say it is empty")
	}
}

func TestBarChartCategories(t *testing.T) {
	c := chart.Chart{Kind: chart.Bar, Title: "Children by band", Series: []chart.Series{
		{Name: "2025", Points: []chart.Point{{Label: "Low", Y: 10}, {Label: "High", Y: 4}}},
		{Name: "2026", Points: []chart.Point{{Label: "Low", Y: 8}, {Label: "Complex", Y: 2}}}}}
	n, _ := elements(t, string(c.SVG()))
	if n["rect"] < 4 {
		t.Errorf("%d rects; want a bar per point and legend keys", n["rect"])
	}
	if got := c.Plan().Categories; strings.Join(got, ",") != "Low,High,Complex" {
		t.Errorf("categories %v", got)
	}
}

func TestNumbers(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1234567: "1,234,567", -4200: "−4,200", 2.5: "2.5", 0.25: "0.25"} {
		if got := chart.Number(v); got != want {
			t.Errorf("Number(%v) = %q; want %q", v, got, want)
		}
	}
	if got := chart.Pounds(5234.6); got != "£5,235" {
		t.Errorf("Pounds = %q", got)
	}
}

// The axis always reaches the highest value: 73 with a step of 20 needs a tick at 80.
func TestTicksCoverTheData(t *testing.T) {
	for _, hi := range []float64{73, 60, 1, 99.5, 1234567} {
		c := chart.Chart{Kind: chart.Bar, Series: []chart.Series{{Points: []chart.Point{{Label: "a", Y: hi}, {Label: "b", Y: 1}}}}}
		if l := c.Plan(); l.YMax < hi {
			t.Errorf("highest value %v; the axis stops at %v", hi, l.YMax)
		}
	}
}

// A scatter draws one mark per spot on the page: points that land on one
// already drawn are left out, and every distinct spot is still drawn.
func TestScatterDrawsEachSpotOnce(t *testing.T) {
	var pts []chart.Point
	for i := range 1000 {
		pts = append(pts, chart.Point{X: float64(i % 10), Y: 100 * float64(i%7)}) // 70 distinct spots, 1,000 points
	}
	c := chart.Chart{Kind: chart.Scatter, Title: "t", Width: 600, Height: 300, Series: []chart.Series{{Name: "s", Points: pts}}}
	n, _ := elements(t, string(c.SVG()))
	if n["circle"] != 70 {
		t.Errorf("%d circles, want one for each of the 70 spots", n["circle"])
	}
	l := c.Plan()
	// Points a hair apart on the page are one mark; a point a few units away is another.
	near := []chart.Point{{X: 1, Y: 100}, {X: 1 + 1e-6, Y: 100}, {X: 5, Y: 300}}
	if got := l.Visible(near, 0.5); len(got) != 2 || got[0] != near[0] || got[1] != near[2] {
		t.Errorf("Visible(%v) = %v, want the first and third", near, got)
	}
}

// luminance is WCAG 2.2's relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", hex, err)
	}
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// Known values from the WCAG definition keep the formula honest, then every
// colour that carries data or text must reach 3:1 (WCAG 1.4.11) on white and
// on a shaded band, and the text colours 4.5:1 (1.4.3).
func TestColoursHaveContrast(t *testing.T) {
	if got := contrast(t, "#000000", "#ffffff"); math.Abs(got-21) > 0.01 {
		t.Fatalf("contrast(black, white) = %.2f; want 21", got)
	}
	if got := contrast(t, "#f47738", "#ffffff"); math.Abs(got-2.78) > 0.01 {
		t.Fatalf("contrast(#f47738, white) = %.2f; want 2.78", got)
	}
	for _, bg := range []string{"#ffffff", chart.BandFill} {
		for _, c := range append(slices.Clone(chart.Palette), chart.Marker) {
			if got := contrast(t, c, bg); got < 3 {
				t.Errorf("contrast(%s, %s) = %.2f; want at least 3", c, bg, got)
			}
		}
		for _, c := range []string{chart.Ink, chart.Muted} {
			if got := contrast(t, c, bg); got < 4.5 {
				t.Errorf("text contrast(%s, %s) = %.2f; want at least 4.5", c, bg, got)
			}
		}
	}
	// Every colour the SVG uses for text or marks is one of those checked.
	checked := map[string]bool{chart.Ink: true, chart.Muted: true, chart.Marker: true}
	for _, c := range chart.Palette {
		checked[c] = true
	}
	c := chart.Chart{Kind: chart.Line, Title: "t", XLabel: "x", YLabel: "y", Bands: []chart.Band{{Lo: 1, Hi: 2, Label: "band"}},
		VLines: []chart.VLine{{X: 1, Label: "line"}}}
	for i := range len(chart.Palette) {
		c.Series = append(c.Series, chart.Series{Name: fmt.Sprint(i), Points: []chart.Point{{X: 0, Y: float64(i)}, {X: 2, Y: 1}}})
	}
	_, all := elements(t, string(c.SVG()))
	for _, se := range all {
		for _, a := range []string{"fill", "stroke"} {
			v := attr(se, a)
			if se.Name.Local == "rect" || se.Name.Local == "line" && a == "stroke" && (v == "#e5e5e5") || v == "" || v == "none" {
				continue // band shading and grid lines are decoration
			}
			if !checked[v] {
				t.Errorf("<%s %s=%q> is a colour the contrast test does not check", se.Name.Local, a, v)
			}
		}
	}
}

// Series are told apart without colour: each has its own marker shape and
// line style, and the legend repeats them.
func TestSeriesDifferWithoutColour(t *testing.T) {
	c := chart.Chart{Kind: chart.Line, Title: "Forecast", Series: []chart.Series{
		{Name: "Mean", Points: []chart.Point{{X: 1, Y: 1}, {X: 2, Y: 2}}},
		{Name: "Lower", Points: []chart.Point{{X: 1, Y: 0}, {X: 2, Y: 1}}},
		{Name: "Upper", Points: []chart.Point{{X: 1, Y: 2}, {X: 2, Y: 3}}}}}
	_, all := elements(t, string(c.SVG()))
	dashes := map[string]bool{}
	polygons := map[string]int{}
	for _, se := range all {
		switch se.Name.Local {
		case "polyline":
			dashes[attr(se, "stroke-dasharray")] = true
		case "polygon":
			polygons[attr(se, "fill")]++
		}
	}
	if len(dashes) != 3 {
		t.Errorf("line styles %v; want three different ones (solid and two dashed)", dashes)
	}
	// Series 1 and 2 are a square and a triangle: two points and a legend key each.
	if polygons[chart.Colour(1)] != 3 || polygons[chart.Colour(2)] != 3 {
		t.Errorf("polygon markers by colour %v; want 3 each for series 1 and 2", polygons)
	}
	if chart.ShapeOf(0) == chart.ShapeOf(1) || chart.ShapeOf(1) == chart.ShapeOf(2) {
		t.Error("adjacent series share a marker shape")
	}
	desc := c.Describe()
	for _, want := range []string{"Mean: solid line with circle markers", "Lower: dashed line with square markers", "Upper: dotted line with triangle markers"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q does not say %q", desc, want)
		}
	}
	bars := chart.Chart{Kind: chart.Bar, Title: "b", Series: []chart.Series{
		{Name: "a", Points: []chart.Point{{Label: "x", Y: 1}}}, {Name: "b", Points: []chart.Point{{Label: "x", Y: 2}}}}}
	svg := string(bars.SVG())
	if n, _ := elements(t, svg); n["pattern"] != 1 || !strings.Contains(svg, `fill="url(#`) {
		t.Errorf("the second bar series has no pattern: %d patterns", n["pattern"])
	}
}

// The table holds the same figures as the chart.
func TestTableHasTheFigures(t *testing.T) {
	line := chart.Chart{Kind: chart.Line, Title: "Cost", XTime: true, YTickFmt: chart.Pounds, Series: []chart.Series{
		{Name: "Weekly", Points: []chart.Point{{X: day("2026-01-05"), Y: 1200}, {X: day("2026-03-02"), Y: 2450.4}}},
		{Name: "Other", Points: []chart.Point{{X: day("2026-03-02"), Y: 10}}}}}
	bar := chart.Chart{Kind: chart.Bar, Title: "Cases", YLabel: "Cases", Series: []chart.Series{{Name: "Cases", Points: []chart.Point{{Label: "0–26 weeks", Y: 12}, {Label: "27+ weeks", Y: 3}}}}}
	var big []chart.Point
	for i := range 1000 {
		big = append(big, chart.Point{X: float64(i % 4), Y: float64(100 * (i % 5))})
	}
	scatter := chart.Chart{Kind: chart.Scatter, Title: "Big", XLabel: "Score", YTickFmt: chart.Pounds, Series: []chart.Series{{Name: "All", Points: big}}}
	small := chart.Chart{Kind: chart.Scatter, Title: "Hearings", XLabel: "Weeks", YLabels: map[float64]string{1: "CMH"},
		VLines: []chart.VLine{{X: 26, Label: "26 weeks"}}, Series: []chart.Series{{Name: "Effective", Points: []chart.Point{{X: 3.04, Y: 1, Label: "CMH on 2 Jan"}}}}}
	for _, tc := range []struct {
		name  string
		html  string
		want  []string
		nRows int
	}{
		{"line", string(chart.Table(line)), []string{"5 January 2026", "£1,200", "2 March 2026", "£2,450", "£10", ">–<", "Weekly", "Other"}, 2},
		{"bar", string(chart.Table(bar)), []string{"0–26 weeks", ">12<", "27+ weeks", ">3<"}, 2},
		// 1,000 points at 4 scores: 250 each, Y 0–400 by 100; median of each score's spread.
		{"large scatter", string(chart.Table(scatter)), []string{"All: children", ">250<", "(£0–£400)"}, 4},
		{"small scatter", string(chart.Table(small)), []string{">3<", ">CMH<", "CMH on 2 Jan", "26 weeks at 26"}, 1},
		{"small multiples", string(chart.Table(line, line)), []string{"2 charts: Cost, Cost"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, _ := elements(t, tc.html)
			for _, w := range tc.want {
				if !strings.Contains(tc.html, w) {
					t.Errorf("table lacks %q:\n%s", w, tc.html)
				}
			}
			if got := n["tr"] - 1; got != tc.nRows {
				t.Errorf("%d data rows; want %d", got, tc.nRows)
			}
			if n["details"] != 1 || !strings.Contains(tc.html, "Show the data") {
				t.Error("no Show the data details")
			}
		})
	}
	if got := chart.Table(chart.Chart{Title: "Nothing"}); got != "" {
		t.Errorf("an empty chart has a table: %s", got)
	}
}

// A scatter whose X takes a value per point (100,000 of them) is tabulated
// by ranges of X, every point counted once, not a row per point.
func TestTableBinsManyXValues(t *testing.T) {
	var pts []chart.Point
	for i := range 100_000 {
		pts = append(pts, chart.Point{X: float64(i) / 1000, Y: float64(i % 7)})
	}
	c := chart.Chart{Kind: chart.Scatter, Title: "Wide", XLabel: "x", Series: []chart.Series{{Name: "s", Points: pts}}}
	html := string(chart.Table(c))
	n, _ := elements(t, html)
	if rows := n["tr"] - 1; rows > 30 || rows < 5 {
		t.Errorf("%d rows for 100,000 distinct X values; want a row per range", rows)
	}
	total := 0
	for _, part := range strings.Split(html, `<td class="govuk-table__cell govuk-table__cell--numeric">`)[1:] {
		var k int
		if _, err := fmt.Sscan(strings.ReplaceAll(part[:strings.Index(part, "<")], ",", ""), &k); err == nil && !strings.Contains(part[:strings.Index(part, "<")], "(") {
			total += k
		}
	}
	if total != 100_000 {
		t.Errorf("the ranges count %d points; want all 100,000", total)
	}
}

// BenchmarkTableNationalScatter: the data table of a national scatter
// (100,000 children over 49 need scores, four bands) is one pass over them.
func BenchmarkTableNationalScatter(b *testing.B) {
	c := chart.Chart{Kind: chart.Scatter, Title: "National", XLabel: "Need score", YTickFmt: chart.Pounds}
	for s := range 4 {
		var pts []chart.Point
		for i := range 25_000 {
			pts = append(pts, chart.Point{X: float64((i * 7) % 49), Y: float64(200 + (i*37)%9000)})
		}
		c.Series = append(c.Series, chart.Series{Name: fmt.Sprint(s), Points: pts})
	}
	for b.Loop() {
		_ = chart.Table(c)
	}
}

// TestLongCaptionWraps: a source too long for the chart's width is wrapped at
// word breaks onto lines that fit, every word kept, and the plot, its axis
// labels and the legend make room above the caption's first line.
func TestLongCaptionWraps(t *testing.T) {
	src := "Shared inputs of 4 councils. Window 2023-03-31 to 2026-03-31; 1000 paths, seed 1. Rounded to 5; below 5 withheld"
	for _, tc := range []struct {
		width     float64
		wantLines int
	}{{640, 1}, {360, 2}, {220, 3}} {
		c := chart.Chart{Kind: chart.Line, Title: "Residential", Source: src, Width: tc.width, XTime: true,
			AsOf: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
			Series: []chart.Series{{Name: "Forecast", Points: []chart.Point{{X: day("2026-04-30"), Y: 10}, {X: day("2026-05-31"), Y: 12}}},
				{Name: "cs-demand-model", Points: []chart.Point{{X: day("2026-04-30"), Y: 11}, {X: day("2026-05-31"), Y: 11}}}}}
		lines := c.CaptionLines(tc.width)
		if len(lines) < tc.wantLines {
			t.Errorf("width %g: %d caption lines, want at least %d: %q", tc.width, len(lines), tc.wantLines, lines)
		}
		if got := strings.Join(lines, " "); got != c.Caption() {
			t.Errorf("width %g: wrapped caption %q is not the caption %q", tc.width, got, c.Caption())
		}
		_, all := elements(t, string(c.SVG()))
		first, lowest := math.Inf(1), 0.0
		for _, se := range all {
			if se.Name.Local != "text" {
				continue
			}
			var y float64
			_, _ = fmt.Sscan(attr(se, "y"), &y)
			if attr(se, "font-size") == "10" && attr(se, "x") == "4" {
				first = min(first, y)
				if y > c.Plan().H {
					t.Errorf("width %g: a caption line at y %.1f is below the chart (%g high)", tc.width, y, c.Plan().H)
				}
				continue
			}
			lowest = max(lowest, y)
		}
		for _, line := range lines {
			if w := 5.6 * float64(len([]rune(line))); w > tc.width-8 {
				t.Errorf("width %g: caption line %q is about %.0f px wide", tc.width, line, w)
			}
		}
		if lowest >= first-10 {
			t.Errorf("width %g: other text reaches y %.1f, into the caption starting at %.1f", tc.width, lowest, first)
		}
	}
}
