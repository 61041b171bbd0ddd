package chart

import (
	"strings"
	"testing"
)

// TestBandChart: two intervals are drawn as shaded polygons, the inner
// darker, under the mean's line, and the Y range holds the outer band.
func TestBandChart(t *testing.T) {
	mean := []Point{{X: 0, Y: 100}, {X: 1, Y: 110}, {X: 2, Y: 120}}
	lo80, hi80 := []Point{{0, 95, ""}, {1, 100, ""}, {2, 105, ""}}, []Point{{0, 105, ""}, {1, 120, ""}, {2, 135, ""}}
	lo95, hi95 := []Point{{0, 90, ""}, {1, 90, ""}, {2, 80, ""}}, []Point{{0, 110, ""}, {1, 130, ""}, {2, 190, ""}}
	c := BandChart{Chart: Chart{Kind: Line, Title: "Children in care", Series: []Series{{Name: "Forecast (mean)", Points: mean}}},
		Ribbons: []Ribbon{{Name: "95% interval", Lo: lo95, Hi: hi95, Opacity: 0.15}, {Name: "80% interval", Lo: lo80, Hi: hi80, Opacity: 0.35}}}
	svg := string(c.SVG())
	if n := strings.Count(svg, "<polygon"); n != 2 {
		t.Fatalf("%d polygons; want 2", n)
	}
	if p, l := strings.Index(svg, "<polygon"), strings.Index(svg, "<polyline"); p < 0 || l < p {
		t.Errorf("the bands are not under the line (polygon at %d, line at %d)", p, l)
	}
	if !strings.Contains(svg, `fill-opacity="0.15"`) || !strings.Contains(svg, `fill-opacity="0.35"`) {
		t.Error("the two intervals are not shaded lighter and darker")
	}
	if l := c.fixed().Plan(); l.YMax < 190 || l.YMin > 80 {
		t.Errorf("Y range %g–%g does not hold the 95%% band (80–190)", l.YMin, l.YMax)
	}
}
