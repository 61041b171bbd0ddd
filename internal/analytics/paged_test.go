package analytics

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// generated is a cohort of n children in four councils, with many step-down
// candidates (every council's rule is the default), shaped as the benchmark's.
func generated(n int) []Child {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	places := []string{"U6", "U4", "U3", "K2", "K3", "P1"}
	kids := make([]Child, n)
	for i := range kids {
		p := places[i%len(places)]
		k := Child{LAID: int32(352 + i%4), ChildID: int64(i + 1), Place: p, ProviderKind: "PR4", Group: GroupOf(p, "PR4"), WeeklyPence: int64(50000 + (i*7919)%600000),
			ProviderID: int64(i % 40), Age: i % 18, YearsInCare: float64(i%9) / 2, EHC: i%3 == 0, Assessed: i%50 != 0, AssessedOn: asOf.AddDate(0, -(i % 14), 0),
			Levels: make([]int32, 12), Score: int32(i % 40), Band: Bands[i%4], LegalStatus: "C2"}
		for d := range k.Levels {
			k.Levels[d] = int32((i + d) % 5)
		}
		kids[i] = k
	}
	return kids
}

// TestSummaryIsBoundedNationally: the API's summary of a national cohort is
// under 300 KB, and no bigger than a council's of a tenth the size by more
// than a few kilobytes (it does not grow with the children), while the whole
// cohort it replaces was megabytes (so the bound is not met by accident).
func TestSummaryIsBoundedNationally(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	rule := StepRule{Places: map[string]bool{"K2": true}, Bands: map[string]bool{"low": true, "medium": true}}
	rules := map[int32]StepRule{352: rule, 353: rule, 354: rule, 355: rule}
	size := map[int]int{}
	for _, n := range []int{10_000, 100_000} {
		c := Compute(generated(n), Filter{}, asOf, 12, rules)
		if len(c.StepDown.Candidates) <= MaxSummaryCandidates || len(c.Points) <= MaxScatterPoints {
			t.Fatalf("n = %d: %d candidates, %d points; the test needs more than the bounds", n, len(c.StepDown.Candidates), len(c.Points))
		}
		whole, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		s := SummaryOf(c, "/api/v1/analytics/children")
		js, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		size[n] = len(js)
		t.Logf("n = %d: summary %d bytes, the whole cohort %d bytes", n, len(js), len(whole))
		if len(js) >= 300_000 {
			t.Errorf("n = %d: summary is %d bytes; want under 300 KB", n, len(js))
		}
		if len(whole) < 300_000 {
			t.Errorf("n = %d: the whole cohort is only %d bytes; the bound would be met without the summary", n, len(whole))
		}
		var back struct {
			N           int     `json:"n"`
			Points      []Point `json:"points"`
			PointsOf    int     `json:"points_of"`
			PointsEvery int     `json:"points_every"`
			StepDown    struct {
				Candidates []Candidate `json:"candidates"`
				N          int         `json:"n_candidates"`
				Annual     float64     `json:"annual_saving"`
			} `json:"step_down"`
			Children string `json:"children"`
		}
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		if back.N != n || back.PointsOf != len(c.Points) || len(back.Points) > MaxScatterPoints || back.PointsEvery < 2 ||
			back.StepDown.N != len(c.StepDown.Candidates) || len(back.StepDown.Candidates) != MaxSummaryCandidates ||
			back.StepDown.Annual != c.StepDown.Annual || back.Children == "" {
			t.Errorf("n = %d: summary n %d, points %d of %d (every %d), candidates %d of %d, saving %v (want %v), children %q",
				n, back.N, len(back.Points), back.PointsOf, back.PointsEvery, len(back.StepDown.Candidates), back.StepDown.N,
				back.StepDown.Annual, c.StepDown.Annual, back.Children)
		}
		// The candidates kept are the largest savings.
		if last := back.StepDown.Candidates[MaxSummaryCandidates-1].Annual; last < c.StepDown.Candidates[MaxSummaryCandidates].Annual {
			t.Errorf("n = %d: the summary keeps a saving of %v and leaves out %v", n, last, c.StepDown.Candidates[MaxSummaryCandidates].Annual)
		}
	}
	if grow := size[100_000] - size[10_000]; grow > 20_000 {
		t.Errorf("summary grows by %d bytes from 10,000 to 100,000 children; want it bounded", grow)
	}
}

// TestCursorRoundTrips: a cursor reads back as the place it names, and
// anything else is refused with the field named.
func TestCursorRoundTrips(t *testing.T) {
	for _, c := range []Cursor{{0, 0}, {352, 1}, {358, 1 << 40}} {
		got, err := ParseCursor(EncodeCursor(c))
		if err != nil || got != c {
			t.Errorf("ParseCursor(EncodeCursor(%v)) = %v, %v", c, got, err)
		}
	}
	for _, bad := range []string{"x", "djE6MzUy", EncodeCursor(Cursor{1, 2}) + "!", "djI6MzUyOjE", "djE6LTE6MQ"} {
		if _, err := ParseCursor(bad); err == nil || !strings.Contains(err.Error(), "cursor") {
			t.Errorf("ParseCursor(%q) = %v; want a refusal naming the cursor", bad, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"", DefaultChildPage, true}, {"1", 1, true}, {fmt.Sprint(MaxChildPage), MaxChildPage, true}, {"0", 0, false}, {"1001", 0, false}, {"ten", 0, false}, {"-5", 0, false}} {
		got, err := ParseLimit(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseLimit(%q) = %d, %v; want %d (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
