package chart_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
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
