package ui_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pdfText extracts a PDF's text with pdftotext (make test installs poppler-utils).
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed (make test installs poppler-utils)")
		}
		t.Skip("pdftotext is not installed; run make test, which installs it")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestAnalyticsPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	res, body := b.get(t, comm, "/analytics?la=352&as_of=2026-03-31")
	if res.StatusCode != 200 || !strings.Contains(body, `id="scatter"`) || !strings.Contains(body, `id="stepdown"`) {
		t.Fatalf("analytics page: %d", res.StatusCode)
	}
	// The CSV of cost by band and placement adds up to the children with both.
	_, csvBody := b.get(t, comm, "/api/v1/analytics/cost.csv?la=352&as_of=2026-03-31")
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) < 3 {
		t.Fatalf("cost CSV: %v %d", err, len(recs))
	}
	_, js := b.get(t, comm, "/api/v1/analytics?la=352&as_of=2026-03-31")
	if !strings.Contains(js, `"n_assessed_and_costed"`) {
		t.Error("the JSON lacks its counts")
	}
	// A filter that matches nobody explains itself.
	_, empty := b.get(t, comm, "/analytics?la=352&placement=Placed+for+adoption&age_band=16-17&as_of=2026-03-31")
	if !strings.Contains(empty, `id="empty"`) {
		t.Error("an empty cohort is not explained")
	}
	// An as-of date before any data is an empty cohort too, not an error.
	if res, page := b.get(t, comm, "/analytics?as_of=1990-01-01"); res.StatusCode != 200 || !strings.Contains(page, `id="empty"`) {
		t.Errorf("as of 1990: %d", res.StatusCode)
	}
	for _, tt := range []struct {
		who, path string
		want      int
	}{
		{"commissioner@manchester.demo.hearth.test", "/analytics?la=355", 403},
		{"commissioner@manchester.demo.hearth.test", "/analytics?band=enormous", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/analytics/everything.csv", 422},
		{socialWorker, "/analytics", 403},
		{"la.admin@manchester.demo.hearth.test", "/api/v1/analytics", 403},
	} {
		c := b.signIn(t, tt.who)
		if res, _ := b.get(t, c, tt.path); res.StatusCode != tt.want {
			t.Errorf("%s %s: %d; want %d", tt.who, tt.path, res.StatusCode, tt.want)
		}
	}
}

func TestReportDownloads(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	res, body := b.get(t, comm, "/reports/commissioning.pdf?la=352&as_of=2026-03-31")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("commissioning report: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := b.get(t, comm, "/reports/commissioning.pdf?la=355"); res.StatusCode != 403 {
		t.Errorf("another council's report: %d; want 403", res.StatusCode)
	}
	sw := b.signIn(t, socialWorker)
	child := b.swChild(t)
	res, body = b.get(t, sw, "/children/"+itoa(child)+"/referral.pdf")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("referral profile: %d", res.StatusCode)
	}
	if dir := os.Getenv("HEARTH_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "referral.pdf"), []byte(body), 0o644)
	}
	// The PDF's text is compressed, so read it as a reader would.
	text := pdfText(t, body)
	family := b.text(t, "SELECT family_name FROM children WHERE child_id = $1", child)
	given := b.text(t, "SELECT given_name FROM children WHERE child_id = $1", child)
	if !strings.Contains(text, "Needs profile: "+given) || !strings.Contains(text, "Needs by domain") {
		t.Errorf("the referral profile lacks its title or needs:\n%.400s", text)
	}
	if strings.Contains(text, family) || strings.Contains(text, b.text(t, "SELECT child_ref FROM children WHERE child_id = $1", child)) {
		t.Error("the referral profile names the child's family or reference")
	}
	if res, _ := b.get(t, b.signIn(t, "sw2@manchester.demo.hearth.test"), "/children/"+itoa(child)+"/referral.pdf"); res.StatusCode != 404 {
		t.Errorf("a colleague's child's referral: %d; want 404", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM audit_events WHERE entity IN ('commissioning_report', 'referral_profile') AND action = 'export'"); n != 2 {
		t.Errorf("%d report downloads audited; want 2", n)
	}
}

func TestStepDownRule(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, "la.admin@manchester.demo.hearth.test")
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"form": {"stepdown"}, "la": {"352"}, "places": {"K2", "S1"}, "bands": {"low", "medium", "high"}}); res.StatusCode != 200 {
		t.Fatalf("saving the rule: %d", res.StatusCode)
	}
	if got := b.text(t, "SELECT array_to_string(stepdown_places, ',') || '/' || array_to_string(stepdown_bands, ',') FROM local_authorities WHERE la_id = 352"); got != "K2,S1/low,medium,high" {
		t.Errorf("saved rule %q", got)
	}
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"form": {"stepdown"}, "la": {"352"}, "places": {"U6"}, "bands": {"low"}}); res.StatusCode != 422 {
		t.Errorf("foster care as a step-down starting point: %d; want 422", res.StatusCode)
	}
	if res := b.postForm(t, admin, "/settings/needs", url.Values{"form": {"stepdown"}, "la": {"355"}, "places": {"K2"}, "bands": {"low"}}); res.StatusCode != 403 {
		t.Errorf("another council's rule: %d; want 403", res.StatusCode)
	}
}

// TestExportLinksCarryTheFilter follows the page's own download links under a
// filter and checks each gives the figures the page shows, not the council's.
func TestExportLinksCarryTheFilter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	const page = "/analytics?la=352&band=high&placement=Agency+foster+care&as_of=2026-03-31"
	_, body := b.get(t, comm, page)
	n := regexp.MustCompile(`id="n">(\d+)<`).FindStringSubmatch(body)
	if n == nil {
		t.Fatal("the page shows no count")
	}
	links := map[string]string{}
	for _, m := range regexp.MustCompile(`href="(/api/v1/analytics[^"]*|/reports/commissioning\.pdf[^"]*)"`).FindAllStringSubmatch(body, -1) {
		u := html.UnescapeString(m[1])
		p, err := url.Parse(u)
		if err != nil {
			t.Fatalf("link %q: %v", u, err)
		}
		if q := p.Query(); q.Get("la") != "352" || q.Get("band") != "high" || q.Get("placement") != "Agency foster care" || q.Get("as_of") != "2026-03-31" {
			t.Errorf("link %q does not carry the page's filter: %v", u, q)
		}
		links[p.Path] = u
	}
	if len(links) < 7 {
		t.Fatalf("found %d export links: %v", len(links), links)
	}
	// The JSON counts the page's children, with the page's filter.
	_, js := b.get(t, comm, links["/api/v1/analytics"])
	var c struct {
		N      int `json:"n"`
		Filter struct {
			Band  string `json:"band"`
			Group string `json:"placement_group"`
		} `json:"filter"`
		ComputedAt time.Time `json:"computed_at"`
	}
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatal(err)
	}
	if strconv.Itoa(c.N) != n[1] || c.Filter.Band != "high" || c.Filter.Group != "Agency foster care" || c.ComputedAt.IsZero() {
		t.Errorf("JSON: n = %d, filter %+v, computed %v; the page shows %s high-need children in agency foster care", c.N, c.Filter, c.ComputedAt, n[1])
	}
	// The cost CSV holds only the page's band and placement group.
	_, csvBody := b.get(t, comm, links["/api/v1/analytics/cost.csv"])
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("cost CSV: %v, %d rows", err, len(recs))
	}
	for _, r := range recs[1:] {
		if row := strings.Join(r, ","); !strings.Contains(row, "high") || !strings.Contains(row, "Agency foster care") {
			t.Errorf("cost CSV row %q is outside the page's filter", row)
		}
	}
}
