package analytics

import (
	"fmt"
	"strings"
	"testing"
)

// TestScatterIsBoundedNationally: the scatter of a national cohort (100,000
// children) draws at most MaxScatterPoints, from every band, in well under
// the 300 KB a national page may take, and says it is a sample; a council's
// 1,500 are all drawn.
func TestScatterIsBoundedNationally(t *testing.T) {
	cohort := func(n int) Cohort {
		c := Cohort{Pearson: Figure{N: n, Value: 0.4}}
		for i := range n {
			c.Points = append(c.Points, Point{Score: int32(i % 49), Weekly: float64(500 + (i*7919)%9000), Band: Bands[i%len(Bands)]})
		}
		return c
	}
	for _, tc := range []struct {
		n, wantPoints int
		sample        bool
	}{
		{MaxScatterPoints, MaxScatterPoints, false},
		{100_000, MaxScatterPoints, true},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			ch := ScatterChart(cohort(tc.n))
			drawn := 0
			for _, s := range ch.Series {
				if len(s.Points) == 0 {
					t.Errorf("band %s has no points drawn", s.Name)
				}
				drawn += len(s.Points)
			}
			// A sample takes every k-th child of each band, so it may fall a
			// few short of the most drawn; it never passes it.
			if drawn > tc.wantPoints || !tc.sample && drawn != tc.wantPoints || drawn < tc.wantPoints*95/100 {
				t.Errorf("%d points drawn; want %d (a sample: at most that, and within 5%%)", drawn, tc.wantPoints)
			}
			if got := strings.Contains(ch.Title, "drawn"); got != tc.sample || !strings.Contains(ch.Title, fmt.Sprintf("n = %d", tc.n)) {
				t.Errorf("title %q: says a sample %v, want %v, and n = %d", ch.Title, got, tc.sample, tc.n)
			}
			if svg := ch.SVG(); tc.sample && len(svg) > 250_000 {
				t.Errorf("the national scatter is %d bytes of SVG; want under 250 KB", len(svg))
			}
		})
	}
}
