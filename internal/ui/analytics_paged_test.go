package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type childPage struct {
	N        int `json:"n"`
	Limit    int `json:"limit"`
	Children []struct {
		LAID    int32 `json:"la_id"`
		ChildID int64 `json:"child_id"`
	} `json:"children"`
	Next string `json:"next"`
}

// allChildren follows the cohort's children list from its first page to its
// last, a few at a time, and returns every page.
func allChildren(t *testing.T, get func(string) (int, string), first string) []childPage {
	t.Helper()
	var pages []childPage
	next := first
	for range 1000 {
		status, body := get(next)
		if status != 200 {
			t.Fatalf("%s: status %d: %s", next, status, body)
		}
		var p childPage
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("%s: %v", next, err)
		}
		pages = append(pages, p)
		if p.Next == "" {
			return pages
		}
		u, _ := url.Parse(next)
		q := u.Query()
		q.Set("cursor", p.Next)
		u.RawQuery = q.Encode()
		next = u.String()
	}
	t.Fatal("the list did not end in 1,000 pages")
	return nil
}

// TestCohortChildrenPagedOnce: the summary JSON points at the paged list of
// its children; following the cursor 7 at a time returns every child the
// figures count exactly once, in order — the same children as an independent
// query of who was in care that day — and each page is audited against the
// council with the children it showed. Another council's commissioner gets
// none of them: asking for the council is refused and audited against it.
func TestCohortChildrenPagedOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	get := func(c *http.Client) func(string) (int, string) {
		return func(path string) (int, string) {
			res, body := b.get(t, c, path)
			return res.StatusCode, body
		}
	}
	const q = "la=352&as_of=2026-03-31"
	_, js := b.get(t, comm, "/api/v1/analytics?"+q)
	var sum struct {
		N        int    `json:"n"`
		Children string `json:"children"`
		StepDown struct {
			N int `json:"n_candidates"`
		} `json:"step_down"`
	}
	if err := json.Unmarshal([]byte(js), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.N == 0 || !strings.HasPrefix(sum.Children, "/api/v1/analytics/children?") || !strings.Contains(sum.Children, "la=352") {
		t.Fatalf("summary: n %d, children %q; want a list carrying the filter", sum.N, sum.Children)
	}
	pages := allChildren(t, get(comm), sum.Children+"&limit=7")
	var got []string
	for i, p := range pages {
		if p.N != sum.N || p.Limit != 7 || len(p.Children) > 7 || (i < len(pages)-1 && len(p.Children) != 7) {
			t.Errorf("page %d: n %d, limit %d, %d children; want n %d and full pages of 7", i+1, p.N, p.Limit, len(p.Children), sum.N)
		}
		for _, c := range p.Children {
			if c.LAID != 352 {
				t.Errorf("page %d has child %d of council %d", i+1, c.ChildID, c.LAID)
			}
			got = append(got, fmt.Sprintf("%d:%06d", c.LAID, c.ChildID))
		}
	}
	if !slices.IsSorted(got) {
		t.Error("the children are not in council and child order")
	}
	if len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Error("a child is on more than one page")
	}
	want := strings.Split(b.text(t, `SELECT string_agg(DISTINCT cp.la_id || ':' || lpad(cp.child_id::text, 6, '0'), ',' ORDER BY cp.la_id || ':' || lpad(cp.child_id::text, 6, '0'))
		FROM care_periods cp WHERE cp.la_id = 352 AND cp.started_on <= '2026-03-31' AND (cp.ended_on IS NULL OR cp.ended_on > '2026-03-31')`), ",")
	if !slices.Equal(got, want) || len(got) != sum.N {
		t.Errorf("paged list has %d children, the figures count %d, in care that day %d; want the same children", len(got), sum.N, len(want))
	}
	// Audited as the children list is: each page against its council, with its children.
	var audited []string
	rows, err := b.pool.Query(t.Context(), `SELECT jsonb_array_elements_text(detail->'shown') FROM audit_events
		WHERE la_id = 352 AND action = 'list' AND entity = 'cohort_children' AND outcome = 'ok'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		audited = append(audited, fmt.Sprintf("352:%06s", id))
	}
	rows.Close()
	slices.Sort(audited)
	if !slices.Equal(audited, got) {
		t.Errorf("audited %d children shown against council 352; the pages showed %d", len(audited), len(got))
	}
	if n := b.text(t, `SELECT count(*)::text FROM audit_events WHERE la_id = 352 AND action = 'list' AND entity = 'cohort_children'`); n != fmt.Sprint(len(pages)) {
		t.Errorf("%s list events for %d pages", n, len(pages))
	}

	// Another council's commissioner.
	salford := b.signIn(t, "commissioner@salford.demo.hearth.test")
	if res, body := b.get(t, salford, "/api/v1/analytics/children?"+q); res.StatusCode != 403 || strings.Contains(body, "child_id") {
		t.Errorf("Salford asking for Manchester's children: %d %q; want 403 and none", res.StatusCode, body)
	}
	if n := b.text(t, `SELECT count(*)::text FROM audit_events WHERE la_id = 352 AND entity = 'cohort_children' AND outcome = 'denied'`); n != "1" {
		t.Errorf("%s refusals recorded against Manchester; want 1", n)
	}
	theirs := allChildren(t, get(salford), "/api/v1/analytics/children?as_of=2026-03-31&limit=1000")
	for _, p := range theirs {
		for _, c := range p.Children {
			if c.LAID != 355 {
				t.Fatalf("Salford's unfiltered list has child %d of council %d", c.ChildID, c.LAID)
			}
		}
	}
	if len(theirs) != 1 || theirs[0].N == 0 {
		t.Errorf("Salford's own list: %d pages, n %d; want its children on one page", len(theirs), theirs[0].N)
	}
	// Someone without the analytics permission, and bad cursors and limits.
	for _, tc := range []struct {
		who, path string
		status    int
		says      string
	}{
		{"la.admin@manchester.demo.hearth.test", "/api/v1/analytics/children?" + q, 403, ""},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/analytics/children?" + q + "&cursor=not-a-cursor", 422, "cursor"},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/analytics/children?" + q + "&limit=0", 422, "limit"},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/analytics/children?" + q + "&limit=5000", 422, "limit"},
	} {
		res, body := b.get(t, b.signIn(t, tc.who), tc.path)
		if res.StatusCode != tc.status || !strings.Contains(body, tc.says) {
			t.Errorf("%s %s: %d %q; want %d naming %q", tc.who, tc.path, res.StatusCode, body, tc.status, tc.says)
		}
	}
}

// TestAnalyticsPageLinksThePagedList: the page offers the paged list of the
// children its figures count, with its filter, and lists no more step-down
// candidates than the summary carries.
func TestAnalyticsPageLinksThePagedList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	_, body := b.get(t, comm, "/analytics?la=352&as_of=2026-03-31")
	if !strings.Contains(body, `href="/api/v1/analytics/children?as_of=2026-03-31&amp;la=352"`) {
		t.Error("the page does not link the paged list of children with its filter")
	}
	if n := strings.Count(body[strings.Index(body, `id="stepdown"`):], `<a class="govuk-link" href="/children/`); n > 100 {
		t.Errorf("the page lists %d step-down candidates; want at most 100", n)
	}
}
