package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestChildrenListPagesEveryChildOnce: a team manager's list, read a page at
// a time (each page from children_list_idx since issue 19's fourth round),
// gives every child of the council exactly once, in the order PostgreSQL
// itself sorts them (family name, given name, child id, under the database's
// collation), with the right total on every page, a page past the end empty
// but still counted, and each page bounded in size whatever the council's.
func TestChildrenListPagesEveryChildOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Enough children that the council runs to several pages, with names that
	// tie (the given name and then the id decide), differ only in case, and
	// carry accents and apostrophes.
	_, err := b.pool.Exec(context.Background(), `INSERT INTO children (la_id, child_ref, given_name, family_name, date_of_birth, sex, ethnicity)
		SELECT 352, 'PAGE' || g, (ARRAY['Amy', 'amy', 'Zoë', 'Ben'])[1 + g % 4],
		       (ARRAY['Smith', 'smith', 'O''Neil', 'Ávila', 'Oneil', 'Zhang', 'Abbott'])[1 + g % 7],
		       DATE '2012-01-01' + g, 'F', 'WBRI'
		FROM generate_series(1, 230) g`)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	rows, err := b.pool.Query(context.Background(), `SELECT child_id FROM children WHERE la_id = 352 ORDER BY family_name, given_name, child_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	if rows.Err() != nil || len(want) < 250 {
		t.Fatalf("%d children in the council (%v); the test needs several pages", len(want), rows.Err())
	}
	tm := b.signIn(t, teamManager)
	type apiPage struct {
		Children []struct {
			ID int64 `json:"id"`
		} `json:"children"`
		Total int64 `json:"total"`
		Page  int   `json:"page"`
		Pages int   `json:"pages"`
	}
	pages := (len(want) + 49) / 50
	var got []int64
	for n := 1; n <= pages+1; n++ {
		res, body := b.get(t, tm, fmt.Sprintf("/api/v1/children?page=%d", n))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page %d: %d", n, res.StatusCode)
		}
		if len(body) >= 300_000 {
			t.Errorf("API page %d is %d bytes; want under 300 KB", n, len(body))
		}
		var p apiPage
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		if p.Total != int64(len(want)) || p.Pages != pages || p.Page != n {
			t.Errorf("page %d: total %d, pages %d, page %d; want %d, %d, %d", n, p.Total, p.Pages, p.Page, len(want), pages, n)
		}
		if n > pages && len(p.Children) != 0 {
			t.Errorf("page %d, past the end: %d children", n, len(p.Children))
		}
		for _, c := range p.Children {
			got = append(got, c.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("the pages together give %d children; want the council's %d in PostgreSQL's order (first difference at %d)",
			len(got), len(want), firstDiff(got, want))
	}

	// The HTML page: one page of rows, whatever the council holds.
	res, body := b.get(t, tm, "/children?page=2")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/children?page=2: %d", res.StatusCode)
	}
	if n := strings.Count(body, `<td class="govuk-table__cell"><a class="govuk-link" href="/children/`); n != 50 {
		t.Errorf("/children?page=2 lists %d children; want 50", n)
	}
	if s := fmt.Sprintf("%d children, page 2 of %d", len(want), pages); !strings.Contains(body, s) {
		t.Errorf("/children?page=2 lacks %q", s)
	}
	if !strings.Contains(body, fmt.Sprintf(`href="/children/%d"`, want[50])) || strings.Contains(body, fmt.Sprintf(`href="/children/%d"`, want[49])) {
		t.Errorf("/children?page=2 does not start at the 51st child")
	}
	if len(body) >= 100_000 {
		t.Errorf("/children?page=2 is %d bytes; want under 100 KB", len(body))
	}

	// A filter matching more than a page is counted with the same filters
	// (ChildListCount), against PostgreSQL's own count.
	for _, q := range []string{"q=smith", "q=smith&sex=F&age_band=10-15", "ehc=false&page=2"} {
		want := b.scalar(t, `SELECT count(*) FROM children WHERE la_id = 352 AND strpos(lower(given_name || ' ' || family_name), 'smith') > 0`)
		switch q {
		case "q=smith&sex=F&age_band=10-15":
			want = b.scalar(t, `SELECT count(*) FROM children WHERE la_id = 352 AND strpos(lower(given_name || ' ' || family_name), 'smith') > 0
				AND sex = 'F' AND date_of_birth > '2010-03-31' AND date_of_birth <= '2016-03-31'`)
		case "ehc=false&page=2":
			want = b.scalar(t, `SELECT count(*) FROM children WHERE la_id = 352 AND NOT ehc_plan`)
		}
		_, body := b.get(t, tm, "/api/v1/children?"+q)
		var p apiPage
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		if p.Total != want {
			t.Errorf("%s: total %d; want %d", q, p.Total, want)
		}
	}
	if n := b.scalar(t, `SELECT count(*) FROM children WHERE la_id = 352 AND strpos(lower(given_name || ' ' || family_name), 'smith') > 0`); n <= 50 {
		t.Fatalf("%d Smiths: the test needs more than a page", n)
	}

	// A social worker's caseload is one short page, counted from itself.
	sw := b.signIn(t, socialWorker)
	n := b.scalar(t, `SELECT count(*) FROM allocations a JOIN users u USING (user_id) WHERE u.email = $1 AND a.valid_to IS NULL`, socialWorker)
	_, body = b.get(t, sw, "/api/v1/children")
	var p apiPage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n >= 50 || p.Total != n || len(p.Children) != int(n) || p.Pages != 1 {
		t.Errorf("caseload: total %d, %d listed, %d pages; want %d on one page", p.Total, len(p.Children), p.Pages, n)
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
