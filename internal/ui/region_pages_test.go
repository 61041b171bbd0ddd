package ui_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/sharing"
)

const (
	rccAnalyst     = "rcc.analyst@gm-rcc.demo.hearth.test"
	rccDataOfficer = "rcc.data@gm-rcc.demo.hearth.test"
)

// published are the dates regional pages show for their own reasons.
var published = []time.Time{asOf, asOf.AddDate(-1, 0, 1), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}

// TestRegionPages: the RCC analyst's page, JSON, extract and report carry no
// child's identifiers; suppression shows as c and Trafford's needs as x.
func TestRegionPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := b.signIn(t, rccAnalyst)
	res, page := b.get(t, a, "/region")
	if res.StatusCode != 200 || !strings.Contains(page, `id="benchmark"`) || !strings.Contains(page, `id="market"`) || !strings.Contains(page, `id="delay"`) {
		t.Fatalf("region page: %d\n%s", res.StatusCode, page)
	}
	for _, want := range []string{">c<", ">x<", ">z<", "Trafford (E08000009): placements and costs", `id="bands-note"`, `id="region-leaves-out"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the region page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="download-extract"`) {
		t.Error("the analyst is offered the row-level extract")
	}
	_, js := b.get(t, a, "/api/v1/region")
	var reg map[string]any
	if err := json.Unmarshal([]byte(js), &reg); err != nil || reg["rcc"] == nil {
		t.Fatalf("region JSON: %v", err)
	}
	if res, _ := b.get(t, a, "/api/v1/region/extract.csv?purpose="+url.QueryEscape("a long enough purpose")); res.StatusCode != 403 {
		t.Errorf("the analyst's extract: %d", res.StatusCode)
	}
	d := b.signIn(t, rccDataOfficer)
	if _, page := b.get(t, d, "/region"); !strings.Contains(page, `id="download-extract"`) || !strings.Contains(page, `name="purpose"`) {
		t.Error("the data officer is not offered the extract with a purpose to give")
	}
	if res, _ := b.get(t, d, "/api/v1/region/extract.csv"); res.StatusCode != 422 {
		t.Errorf("an extract without a purpose: %d", res.StatusCode)
	}
	res, extract := b.get(t, d, "/api/v1/region/extract.csv?purpose="+url.QueryEscape("Sufficiency strategy evidence"))
	recs, err := csv.NewReader(strings.NewReader(extract)).ReadAll()
	if res.StatusCode != 200 || err != nil || len(recs) < 50 {
		t.Fatalf("extract: %d, %v, %d rows", res.StatusCode, err, len(recs))
	}
	if bad := sharing.RareCombinations(recs, 5); len(bad) > 0 {
		t.Errorf("%d rare combinations in the extract", len(bad))
	}
	res, pdf := b.get(t, a, "/region/report.pdf")
	if res.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("regional report: %d", res.StatusCode)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "Councils side by side") {
		t.Error("the regional report lacks its benchmarking")
	}
	dbtest.AssertNoIdentifiers(t, b.pool, page+js+extract+text, published...)
	// A filter so narrow that every cell would be suppressed says why.
	_, narrow := b.get(t, a, "/region?la=E08000007&placement="+url.QueryEscape("Children's home")+"&band=complex&age_band=10-15")
	if !strings.Contains(narrow, `id="empty"`) || strings.Contains(narrow, `id="benchmark"`) {
		t.Error("a filter that leaves only suppressed cells is not explained")
	}
	// A child's record is refused, saying why.
	id := b.scalar(t, "SELECT min(child_id) FROM children")
	res, body := b.get(t, a, "/children/"+itoa(id))
	if res.StatusCode != 403 || !strings.Contains(body, "Regional analysts see de-identified figures only") {
		t.Errorf("the analyst opening a child: %d", res.StatusCode)
	}
	for _, tt := range []struct {
		who, path string
		want      int
	}{
		{rccAnalyst, "/api/v1/children/" + itoa(id), 403},
		{rccAnalyst, "/analytics", 403},
		{rccAnalyst, "/region?la=999", 422},
		{rccAnalyst, "/region?band=enormous", 422},
		{rccAnalyst, "/region?rcc=nowhere", 422},
		{rccAnalyst, "/region/report.pdf?as_of=yesterday", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/region/council?as_of=31/03/2026", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/region/council?la=355", 403},
		{rccAnalyst, "/api/v1/region/council?la=352", 403},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/region/extract.csv", 403},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/region", 403},
		{socialWorker, "/region", 403},
		{"la.admin@manchester.demo.hearth.test", "/region", 403},
	} {
		c := b.signIn(t, tt.who)
		if res, _ := b.get(t, c, tt.path); res.StatusCode != tt.want {
			t.Errorf("%s %s: %d; want %d", tt.who, tt.path, res.StatusCode, tt.want)
		}
	}
}

// TestCouncilAgainstRegion: a commissioner sees their council's exact
// figures beside the region's published ones.
func TestCouncilAgainstRegion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	res, page := b.get(t, c, "/region")
	if res.StatusCode != 200 || !strings.Contains(page, "Against Greater Manchester Regional Care Cooperative") {
		t.Fatalf("council view: %d\n%s", res.StatusCode, page)
	}
	n := b.scalar(t, `SELECT count(DISTINCT c.child_id) FROM children c JOIN care_periods cp USING (la_id, child_id)
		WHERE c.la_id = 352 AND cp.started_on <= $1 AND (cp.ended_on IS NULL OR cp.ended_on > $1)`, asOf)
	if !strings.Contains(page, `<th scope="row" class="govuk-table__header">Children in care</th><td class="govuk-table__cell govuk-table__cell--numeric">`+itoa(n)+`</td>`) {
		t.Errorf("the council's own count %d is not shown exactly", n)
	}
	_, js := b.get(t, c, "/api/v1/region/council?la=352")
	if !strings.Contains(js, `"regions"`) {
		t.Error("the council view's JSON lacks its regions")
	}
	dbtest.AssertNoIdentifiers(t, b.pool, page, published...)
}

// TestSharingSettings: a council admin signs, reviews and ends an agreement
// on the page; ending stops sharing at once; bad terms are named by field.
func TestSharingSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, "la.admin@salford.demo.hearth.test")
	res, page := b.get(t, admin, "/settings/sharing")
	if res.StatusCode != 200 || !strings.Contains(page, "In force") {
		t.Fatalf("sharing settings: %d", res.StatusCode)
	}
	agreement := itoa(b.scalar(t, "SELECT agreement_id FROM sharing_agreements WHERE la_id = 355"))
	res, err := admin.PostForm(b.ts.URL+"/settings/sharing", url.Values{"la": {"355"}, "action": {"sign"}, "rcc": {"1"}, "starts_on": {"2026-04-01"}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.StatusCode != 422 || !strings.Contains(body, "choose at least one of needs") {
		t.Errorf("signing with nothing shared: %d", res.StatusCode)
	}
	if res := b.postForm(t, admin, "/settings/sharing", url.Values{"la": {"355"}, "action": {"review"}, "agreement": {agreement}}); res.StatusCode != 200 {
		t.Errorf("review: %d", res.StatusCode)
	}
	// Ending asks first: the first post ends nothing and shows what will happen.
	if res, err := admin.PostForm(b.ts.URL+"/settings/sharing", url.Values{"la": {"355"}, "action": {"end"}, "agreement": {agreement}}); err != nil {
		t.Fatal(err)
	} else if body := readAll(t, res); res.StatusCode != 200 || !strings.Contains(body, "End this sharing agreement?") || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Errorf("end without confirming: %d, no confirmation page", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM sharing_agreements WHERE agreement_id = $1 AND ended_by IS NULL", agreement); n != 1 {
		t.Fatal("the agreement ended before the admin confirmed")
	}
	if res := b.postForm(t, admin, "/settings/sharing", url.Values{"la": {"355"}, "action": {"end"}, "agreement": {agreement}, "confirm": {"yes"}}); res.StatusCode != 200 {
		t.Errorf("end: %d", res.StatusCode)
	}
	if res := b.postForm(t, admin, "/settings/sharing", url.Values{"la": {"355"}, "action": {"end"}, "agreement": {agreement}, "confirm": {"yes"}}); res.StatusCode != 409 {
		t.Errorf("ending twice: %d", res.StatusCode)
	}
	// Salford is gone from the region, and asking for it says why.
	a := b.signIn(t, rccAnalyst)
	_, region := b.get(t, a, "/region")
	if !strings.Contains(region, `id="not-sharing"`) || !strings.Contains(region, "Salford.") {
		t.Error("the region does not say Salford no longer shares")
	}
	res, body = b.get(t, a, "/region?la=E08000006")
	if res.StatusCode != 403 || !strings.Contains(body, "Salford has no sharing agreement in force") {
		t.Errorf("asking for Salford after it ended: %d", res.StatusCode)
	}
	// Another council's admin may not end Manchester's; a commissioner may not see the page.
	other := itoa(b.scalar(t, "SELECT agreement_id FROM sharing_agreements WHERE la_id = 352"))
	if res := b.postForm(t, admin, "/settings/sharing", url.Values{"la": {"352"}, "action": {"end"}, "agreement": {other}}); res.StatusCode != 403 {
		t.Errorf("Salford's admin ending Manchester's agreement: %d", res.StatusCode)
	}
	if res, _ := b.get(t, b.signIn(t, "commissioner@salford.demo.hearth.test"), "/settings/sharing"); res.StatusCode != 403 {
		t.Errorf("a commissioner on the sharing page: %d", res.StatusCode)
	}
}

// TestRegionLinksCarryTheFilter follows the regional page's PDF and JSON
// links under a filter: both must be the filtered figures, not the region's.
func TestRegionLinksCarryTheFilter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := b.signIn(t, rccAnalyst)
	const filter = "placement=Agency+foster+care&band=high"
	_, page := b.get(t, a, "/region?"+filter)
	for _, path := range []string{"/region/report.pdf", "/api/v1/region"} {
		m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(path) + `(?:\?[^"]*)?)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the regional page has no %s link", path)
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query(); q.Get("placement") != "Agency foster care" || q.Get("band") != "high" {
			t.Errorf("%s link %q does not carry the filter", path, m[1])
		}
	}
	_, filtered := b.get(t, a, "/region/report.pdf?"+filter)
	_, whole := b.get(t, a, "/region/report.pdf")
	if pdfText(t, filtered) == pdfText(t, whole) {
		t.Error("the filtered regional report is the same as the whole region's")
	}
}
