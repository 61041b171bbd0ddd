package ui_test

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/analytics"
)

// TestUncomputableFiguresSayWhy asks for a cohort with nobody in it: the JSON
// answers 200 with the correlation null and its reason, the page says "Not
// computed" with the reason, and the summary CSV leaves the value empty with
// the reason, never NaN.
func TestUncomputableFiguresSayWhy(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	const q = "?la=352&placement=Placed+for+adoption&age_band=16-17&as_of=2026-03-31"
	res, js := b.get(t, comm, "/api/v1/analytics"+q)
	if res.StatusCode != 200 || js == "" {
		t.Fatalf("analytics JSON: status %d, body %q", res.StatusCode, js)
	}
	var c struct {
		Pearson struct {
			N      int      `json:"n"`
			Value  *float64 `json:"value"`
			Reason string   `json:"reason"`
		} `json:"pearson"`
		EHC struct {
			Difference *float64 `json:"median_difference"`
			Reason     string   `json:"median_difference_reason"`
		} `json:"ehc_difference"`
	}
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatalf("analytics JSON: %v in %q", err, js)
	}
	if c.Pearson.Value != nil || c.Pearson.Reason != "fewer than two children with a score and a cost" {
		t.Errorf("pearson = %+v; want null with the reason", c.Pearson)
	}
	if c.EHC.Difference != nil || c.EHC.Reason == "" {
		t.Errorf("EHC difference = %+v; want null with a reason", c.EHC)
	}
	// The page shows figures only for a cohort with children, so find one
	// with children but fewer than two with both a score and a cost.
	few := ""
	for _, band := range analytics.Bands {
		for _, g := range analytics.Groups {
			fq := "?la=352&as_of=2026-03-31&band=" + band + "&placement=" + url.QueryEscape(g)
			_, fj := b.get(t, comm, "/api/v1/analytics"+fq)
			var n struct {
				N    int `json:"n"`
				Both int `json:"n_assessed_and_costed"`
			}
			if err := json.Unmarshal([]byte(fj), &n); err != nil {
				t.Fatalf("analytics JSON for %s: %v in %q", fq, err, fj)
			}
			if n.N > 0 && n.Both < 2 && few == "" {
				few = fq
			}
		}
	}
	if few == "" {
		t.Fatal("no filter of the demo gives a cohort with fewer than two children with a score and a cost")
	}
	_, page := b.get(t, comm, "/analytics"+few)
	if strings.Contains(page, "NaN") {
		t.Error("the analytics page shows NaN")
	}
	if !strings.Contains(page, `id="pearson-reason">fewer than two children with a score and a cost<`) {
		t.Error("the analytics page does not give the reason the correlation is not computed")
	}
	_, sum := b.get(t, comm, "/api/v1/analytics/summary.csv"+q)
	recs, err := csv.NewReader(strings.NewReader(sum)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		for _, cell := range r {
			if strings.Contains(cell, "NaN") {
				t.Errorf("summary.csv row %q holds NaN", r)
			}
		}
		if r[1] == "pearson" {
			found = true
			if r[3] != "" || r[5] != "fewer than two children with a score and a cost" {
				t.Errorf("summary.csv pearson row = %q; want an empty value and the reason", r)
			}
		}
	}
	if !found {
		t.Error("summary.csv has no pearson row")
	}
}
