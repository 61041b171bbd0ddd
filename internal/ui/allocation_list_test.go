package ui_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestAllocationOffersATeamNotTheCouncil: with 3,000 social workers in a
// council (the national demo's Manchester has 2,510), the allocation form
// offers the manager's team or a name search, never every worker: the page
// stays under 50 KB, the filter is a plain GET form (these requests run no
// script), a team or a name narrows the list to exactly its workers, and a
// worker chosen in a post is kept when the form comes back with a problem.
func TestAllocationOffersATeamNotTheCouncil(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := postgres.WithCouncils(t.Context(), postgres.AllCouncils())
	if _, err := b.pool.Exec(ctx, `
		WITH u AS (
			INSERT INTO users (email, display_name, team)
			SELECT 'worker' || i || '@manchester.demo.hearth.test', 'Worker ' || to_char(i, 'FM0000') || CASE WHEN i = 2345 THEN ' Zebedee' ELSE '' END,
			       'Area team ' || to_char(i % 30, 'FM00')
			FROM generate_series(1, 3000) i RETURNING user_id)
		INSERT INTO role_assignments (user_id, role, la_id) SELECT user_id, 'social_worker', 352 FROM u`); err != nil {
		t.Fatal(err)
	}
	child := b.scalar(t, `SELECT child_id FROM allocations WHERE la_id = 352 AND valid_to IS NULL ORDER BY child_id LIMIT 1`)
	c := b.signIn(t, teamManager)
	path := fmt.Sprintf("/children/%d/allocation", child)
	options := func(body string) []string {
		i := strings.Index(body, `id="worker"`)
		if i < 0 {
			t.Fatal("no worker list on the form")
		}
		list, _, _ := strings.Cut(body[i:], "</select>")
		return strings.Split(list, "<option value=\"")[2:] // past the select and "Choose a social worker"
	}
	for _, tc := range []struct {
		name, query string
		want        int    // options listed
		each        string // every option says this
	}{
		{"every team", "?team=*", children.MaxWorkerOptions, ""},
		{"one team", "?team=Area+team+07", 100, "(Area team 07)"},
		{"a name", "?team=*&find=zebedee", 1, "Worker 2345 Zebedee"},
		{"a name not in the team", "?team=Area+team+07&find=zebedee", 0, ""},
	} {
		res, body := b.get(t, c, path+tc.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.name, res.StatusCode)
		}
		if len(body) >= 50_000 {
			t.Errorf("%s: the page is %d bytes; want under 50 KB", tc.name, len(body))
		}
		opts := options(body)
		if len(opts) != tc.want {
			t.Errorf("%s: %d workers offered; want %d", tc.name, len(opts), tc.want)
		}
		for _, o := range opts {
			if !strings.Contains(o, tc.each) {
				t.Errorf("%s: offered %q", tc.name, o)
				break
			}
		}
	}
	// With no team asked for, the page is bounded too and says how to find the rest.
	_, body := b.get(t, c, path)
	if len(body) >= 50_000 || len(options(body)) > children.MaxWorkerOptions {
		t.Errorf("the form as first opened: %d bytes, %d workers", len(body), len(options(body)))
	}
	if _, body := b.get(t, c, path+"?team=*"); !strings.Contains(body, "choose a team or search by name") {
		t.Error("a cut list does not say how to see the others")
	}
	// A post with a problem comes back with the chosen worker still chosen,
	// though the worker is outside the list shown.
	chosen := b.scalar(t, `SELECT user_id FROM users WHERE email = 'worker2345@manchester.demo.hearth.test'`)
	res, err := c.PostForm(b.ts.URL+path, url.Values{"worker": {fmt.Sprint(chosen)}, "team": {"Area team 07"}, "allocated_on": {"not a date"}, "reason": {"r"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	kept := strings.Contains(string(page), fmt.Sprintf(`<option value="%d" selected>`, chosen))
	if res.StatusCode != http.StatusUnprocessableEntity || !kept {
		t.Errorf("a post with a problem: status %d, chosen worker kept: %v", res.StatusCode, kept)
	}
}
