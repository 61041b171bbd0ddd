package ui

import (
	"bytes"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
)

// nationalCohort generates n children in care across four councils the way
// analytics' TestSummaryIsBoundedNationally does: every placement kind,
// band, age and provider, so each part of the page is as full as a nation's.
func nationalCohort(n int, asOf time.Time) []analytics.Child {
	places := []string{"U6", "U4", "U3", "K2", "K3", "P1"}
	kids := make([]analytics.Child, n)
	for i := range kids {
		p := places[i%len(places)]
		k := analytics.Child{LAID: int32(352 + i%4), ChildID: int64(i + 1), Place: p, ProviderKind: "PR4", Group: analytics.GroupOf(p, "PR4"),
			WeeklyPence: int64(50000 + (i*7919)%600000), ProviderID: int64(i % 40), Age: i % 18, YearsInCare: float64(i%9) / 2, EHC: i%3 == 0,
			Assessed: i%50 != 0, AssessedOn: asOf.AddDate(0, -(i % 14), 0), Levels: make([]int32, 12), Score: int32(i % 40),
			Band: analytics.Bands[i%4], LegalStatus: "C2"}
		for d := range k.Levels {
			k.Levels[d] = int32((i + d) % 5)
		}
		kids[i] = k
	}
	return kids
}

// TestAnalyticsPageIsBoundedNationally renders the /analytics page's template
// with what cohortPage gives it, for a council-sized and a national cohort:
// the national page is under 300 KB (issue 19; it was 2.0 MB) and grows by
// little more than a few kilobytes from 10,000 to 100,000 children, while the
// cohort itself has far more step-down candidates and points than the page
// shows, so the bound is not met by a small cohort.
func TestAnalyticsPageIsBoundedNationally(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	tmpl, err := parseTemplates(func() time.Time { return asOf })
	if err != nil {
		t.Fatal(err)
	}
	rule := analytics.StepRule{Places: map[string]bool{"K2": true}, Bands: map[string]bool{"low": true, "medium": true}}
	rules := map[int32]analytics.StepRule{352: rule, 353: rule, 354: rule, 355: rule}
	councils := []db.LocalAuthority{{LaID: 352, Name: "Manchester"}, {LaID: 353, Name: "Oldham"}, {LaID: 354, Name: "Rochdale"}, {LaID: 355, Name: "Salford"}}
	names := map[int64]string{}
	for id := range int64(40) {
		names[id] = fmt.Sprintf("Provider number %d of the national framework", id)
	}
	size := map[int]int{}
	for _, n := range []int{10_000, 100_000} {
		c := analytics.Compute(nationalCohort(n, asOf), analytics.Filter{}, asOf, 12, rules)
		if len(c.StepDown.Candidates) <= analytics.MaxSummaryCandidates || len(c.Points) <= analytics.MaxScatterPoints {
			t.Fatalf("n = %d: %d candidates, %d points; the test needs more than the page shows", n, len(c.StepDown.Candidates), len(c.Points))
		}
		var buf bytes.Buffer
		data := cohortData(c, asOf, url.Values{}, "", councils, names)
		if err := tmpl.pages["analytics"].ExecuteTemplate(&buf, "layout", page{Title: "Needs and costs", Data: data}); err != nil {
			t.Fatal(err)
		}
		size[n] = buf.Len()
		t.Logf("n = %d: /analytics is %d bytes (%d step-down candidates, %d points)", n, buf.Len(), len(c.StepDown.Candidates), len(c.Points))
		if buf.Len() >= 300_000 {
			t.Errorf("n = %d: /analytics is %d bytes; want under 300 KB", n, buf.Len())
		}
		if !bytes.Contains(buf.Bytes(), []byte("Manchester")) || !bytes.Contains(buf.Bytes(), []byte("<svg")) {
			t.Errorf("n = %d: the page lacks its councils or charts; the size says nothing", n)
		}
	}
	if grow := size[100_000] - size[10_000]; grow > 20_000 {
		t.Errorf("/analytics grows by %d bytes from 10,000 to 100,000 children; want it bounded", grow)
	}
}
