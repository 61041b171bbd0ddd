package report_test

import (
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/chart"
)

// bandPixels renders one page of a PDF and counts its pixels in the two
// tints the forecast bands are drawn in (the first series' colour, 45.5% on
// white for the 80% interval and 19.5% for the 95%), worked out here from
// the palette, not from the report's code.
func bandPixels(t *testing.T, pdf string, page int) (dark, light int) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "band")
	if b, err := exec.Command("pdftoppm", "-r", "60", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", pdf, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	hex := strings.TrimPrefix(chart.Colour(0), "#")
	c, _ := strconv.ParseUint(hex, 16, 32)
	base := [3]float64{float64(c >> 16 & 255), float64(c >> 8 & 255), float64(c & 255)}
	tint := func(a float64) (out [3]int) {
		for i, v := range base {
			out[i] = int(255 - (255-v)*a + 0.5)
		}
		return out
	}
	d, l := tint(0.455), tint(0.195)
	near := func(p, q [3]int) bool {
		for i := range p {
			if p[i]-q[i] > 2 || q[i]-p[i] > 2 {
				return false
			}
		}
		return true
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			p := [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
			switch {
			case near(p, d):
				dark++
			case near(p, l):
				light++
			}
		}
	}
	return dark, light
}

// pageWith is the first page (from 1) whose text holds s, or −1.
func pageWith(t *testing.T, pdf, s string) int {
	t.Helper()
	txt, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range strings.Split(string(txt), "\f") {
		if strings.Contains(p, s) {
			return i + 1
		}
	}
	return -1
}

// checkBands: the forecast page draws the intervals as two shaded bands,
// each covering a real area in its own tint, with their keys.
func checkBands(t *testing.T, pdf, chapter string) {
	t.Helper()
	page := pageWith(t, pdf, chapter)
	if page < 0 {
		t.Fatalf("no page says %q", chapter)
	}
	if pageWith(t, pdf, "80% interval (shaded)") != page || pageWith(t, pdf, "95% interval (shaded)") != page {
		t.Errorf("page %d has no key for the shaded intervals", page)
	}
	dark, light := bandPixels(t, pdf, page)
	// At 60 dpi the chart is about 430 × 150 pixels; each band covers at
	// least a few thousand of them.
	if dark < 1500 || light < 500 {
		t.Errorf("page %d: %d pixels in the 80%% band's tint, %d in the 95%% band's; want shaded bands", page, dark, light)
	}
	t.Logf("page %d: %d pixels of the 80%% band, %d of the 95%%", page, dark, light)
}
