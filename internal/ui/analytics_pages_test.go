package ui_test

import (
	"encoding/csv"
	"strings"
	"testing"
)

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
