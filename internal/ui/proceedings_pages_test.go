package ui_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestProceedingPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	co := b.signIn(t, "court.officer@manchester.demo.hearth.test")
	res, body := b.get(t, co, "/delay?la=352&from=2025-04-01&to=2026-03-31")
	if res.StatusCode != 200 || !strings.Contains(body, `id="duration-chart"`) || !strings.Contains(body, `id="cases"`) {
		t.Fatalf("delay dashboard: %d", res.StatusCode)
	}
	// The CSV has a row per case on the page, and its costs add up to the page's total.
	_, csvBody := b.get(t, co, "/api/v1/delay.csv?la=352&from=2025-04-01&to=2026-03-31")
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("delay CSV: %v, %d rows", err, len(recs))
	}
	if got := strings.Count(body[strings.Index(body, `id="cases"`):], `href="/proceedings/`); got != len(recs)-1 {
		t.Errorf("page lists %d cases; CSV %d", got, len(recs)-1)
	}
	// Record a case for a child not already in an open one, then a hearing before its issue date.
	child := b.text(t, `SELECT c.child_ref FROM children c WHERE c.la_id = 352 AND NOT EXISTS (
		SELECT 1 FROM proceeding_children pc JOIN proceedings p USING (la_id, proceeding_id) WHERE pc.child_id = c.child_id AND p.concluded_on IS NULL)
		ORDER BY c.child_id LIMIT 1`)
	form := url.Values{"la": {"352"}, "case_number": {"MA26C99999"}, "court": {"Manchester Family Court"}, "children": {child},
		"issued_on": {"2026-01-10"}, "final_order": {"care"}}
	if res := b.postForm(t, co, "/proceedings/new", form); res.StatusCode != 422 {
		t.Errorf("a final order without a conclusion date: %d; want 422", res.StatusCode)
	}
	form.Set("final_order", "")
	unknown := url.Values{}
	for k, v := range form {
		unknown[k] = v
	}
	unknown.Set("children", child+", NOSUCHCHILD")
	if res := b.postForm(t, co, "/proceedings/new", unknown); res.StatusCode != 422 {
		t.Errorf("a child reference the council does not have: %d; want 422", res.StatusCode)
	}
	res = b.postForm(t, co, "/proceedings/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a case: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/proceedings/"), "?saved=1")
	if res := b.postForm(t, co, "/proceedings/"+id+"/hearings", url.Values{"held_on": {"2026-01-01"}, "kind": {"cmh"}, "outcome": {"effective"}}); res.StatusCode != 422 {
		t.Errorf("a hearing before issue: %d; want 422", res.StatusCode)
	}
	if res := b.postForm(t, co, "/proceedings/"+id+"/hearings", url.Values{"held_on": {"2026-01-22"}, "kind": {"cmh"}, "outcome": {"effective"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a hearing: %d", res.StatusCode)
	}
	if res := b.postForm(t, co, "/proceedings/"+id+"/experts", url.Values{"expert_kind": {"parenting"}, "commissioned_on": {"2026-01-20"}, "cost": {"-7500"}}); res.StatusCode != 422 {
		t.Errorf("a negative expert cost: %d; want 422", res.StatusCode)
	}
	// The same child cannot go into a second open case.
	form.Set("case_number", "MA26C99998")
	if res := b.postForm(t, co, "/proceedings/new", form); res.StatusCode != 422 {
		t.Errorf("a child in two open cases: %d; want 422", res.StatusCode)
	}
	_, page := b.get(t, co, "/proceedings/"+id)
	if !strings.Contains(page, `id="case-timeline"`) || !strings.Contains(page, `id="breakdown"`) {
		t.Error("the case page lacks its timeline or breakdown")
	}
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"commissioner@manchester.demo.hearth.test", "GET", "/delay", nil, 200},
		{"commissioner@manchester.demo.hearth.test", "POST", "/proceedings/new", form, 403},
		{"court.officer@salford.demo.hearth.test", "GET", "/proceedings/" + id, nil, 404},
		{"la.admin@manchester.demo.hearth.test", "GET", "/delay", nil, 403},
		{socialWorker, "GET", "/delay", nil, 403},
		{socialWorker, "GET", "/api/v1/delay.csv", nil, 403},
		{"la.admin@manchester.demo.hearth.test", "GET", "/settings/delay", nil, 200},
		{"court.officer@manchester.demo.hearth.test", "GET", "/settings/delay", nil, 403},
		{"la.admin@manchester.demo.hearth.test", "POST", "/settings/delay", url.Values{"la": {"352"}, "effective_from": {"2026-04-01"}, "target_weeks": {"26"},
			"standard_hearings": {"3"}, "legal_per_hearing": {"1500"}, "sw_hours": {"-1"}, "sw_rate": {"50"}, "contact_hours": {"3"}, "contact_rate": {"40"},
			"placement_weekly": {"1000"}}, 422},
	}
	for _, tt := range tests {
		c := b.signIn(t, tt.who)
		var res *http.Response
		if tt.method == "GET" {
			res, _ = b.get(t, c, tt.path)
		} else {
			res = b.postForm(t, c, tt.path, tt.form)
		}
		if res.StatusCode != tt.want {
			t.Errorf("%s %s %s: %d; want %d", tt.who, tt.method, tt.path, res.StatusCode, tt.want)
		}
	}
	// An empty period answers with an explanation, not an error.
	_, empty := b.get(t, co, "/delay?la=352&from=2001-01-01&to=2001-12-31")
	if !strings.Contains(empty, `id="no-cases"`) {
		t.Error("an empty period is not explained")
	}
}
