package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/ssda903"
)

func TestPlacementPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	res, body := b.get(t, sw, fmt.Sprintf("/children/%d", child))
	if res.StatusCode != 200 || !strings.Contains(body, `id="placement-timeline"`) || !strings.Contains(body, `id="cost-chart"`) {
		t.Fatalf("child page lacks placements: %d", res.StatusCode)
	}
	var start time.Time
	var version int32
	if err := b.pool.QueryRow(t.Context(), `SELECT started_on, version FROM episodes WHERE child_id = $1 AND ended_on IS NULL`, child).Scan(&start, &version); err != nil {
		t.Fatal(err)
	}
	move := url.Values{"from": {start.Format(time.DateOnly)}, "version": {fmt.Sprint(version)}, "on": {"2026-03-20"}, "place": {"U6"},
		"provider_kind": {"PR1"}, "reason": {"CARPL"}, "postcode": {"M14"}, "distance_miles": {"2.5"}, "out_of_area": {"no"}}
	bad := url.Values{}
	for k, v := range move {
		bad[k] = v
	}
	bad.Set("distance_miles", "far")
	if res := b.postForm(t, sw, fmt.Sprintf("/children/%d/placements/move", child), bad); res.StatusCode != 422 {
		t.Errorf("a move with a bad distance: %d; want 422", res.StatusCode)
	}
	if res := b.postForm(t, sw, fmt.Sprintf("/children/%d/placements/move", child), move); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a move: %d", res.StatusCode)
	}
	if res := b.postForm(t, sw, fmt.Sprintf("/children/%d/placements/move", child), move); res.StatusCode != http.StatusConflict {
		t.Errorf("the same move again from the old page: %d; want 409", res.StatusCode)
	}
	costPath := fmt.Sprintf("/children/%d/placements/2026-03-20/costs", child)
	if res := b.postForm(t, sw, costPath, url.Values{"from": {"2026-03-20"}, "weekly": {"612.40"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding a cost: %d", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT weekly_pence FROM placement_costs WHERE child_id = $1 AND placement_started_on = '2026-03-20'`, child); n != 61240 {
		t.Errorf("weekly cost saved as %d pence; want 61240", n)
	}
	_, body = b.get(t, sw, fmt.Sprintf("/children/%d", child))
	if !strings.Contains(body, "£612") {
		t.Error("the child page does not show the new weekly cost")
	}
	tests := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{"court.officer@manchester.demo.hearth.test", "POST", costPath, url.Values{"from": {"2026-03-25"}, "weekly": {"1"}}, 403},
		{"sw2@manchester.demo.hearth.test", "GET", fmt.Sprintf("/children/%d/placements/move", child), nil, 404},
		{"la.admin@manchester.demo.hearth.test", "GET", "/providers", nil, 403},
		{socialWorker, "GET", "/providers/new", nil, 403},
		{socialWorker, "GET", "/imports", nil, 403},
		{"commissioner@manchester.demo.hearth.test", "GET", "/providers/new", nil, 200},
		{"la.analyst@manchester.demo.hearth.test", "GET", "/imports/new", nil, 200},
		{"la.analyst@manchester.demo.hearth.test", "GET", "/api/v1/ssda903/export?la=352&year=2026&table=episodes", nil, 200},
		{"la.analyst@manchester.demo.hearth.test", "GET", "/api/v1/ssda903/export?la=355&year=2026&table=episodes", nil, 403},
		{"commissioner@manchester.demo.hearth.test", "POST", "/providers/new", url.Values{"name": {"New Home"}, "urn": {"bad urn"}, "kind": {"PR4"}}, 422},
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
}

// TestImportUpload uploads a return through the page, follows the progress
// page until it finishes, and checks the report.
func TestImportUpload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	upload := func(files map[string][]byte) *http.Response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("la", "352")
		_ = mw.WriteField("kind", "ssda903")
		_ = mw.WriteField("year", "2026")
		for name, body := range files {
			fw, _ := mw.CreateFormFile("files", name)
			_, _ = fw.Write(body)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", b.ts.URL+"/imports", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	follow := func(res *http.Response) string {
		t.Helper()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/imports/") {
			t.Fatalf("upload: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		for range 100 {
			_, body := b.get(t, c, res.Header.Get("Location"))
			if !strings.Contains(body, "This page updates itself") {
				return body
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the import did not finish")
		return ""
	}
	tables := ssda903.Synthesize(ssda903.SynthOptions{Seed: 11, Children: 60, Year: 2026})
	files := map[string][]byte{}
	for tbl, body := range tables {
		files[strings.ToLower(string(tbl))+".csv"] = body
	}
	body := follow(upload(files))
	if !strings.Contains(body, "Imported") || !strings.Contains(body, `id="counts"`) {
		t.Fatalf("import page after a clean return:\n%.2000s", body)
	}
	// A file with an error: nothing imported, the problem shown with its line.
	bad := map[string][]byte{"header.csv": []byte("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nZ1,M,31/02/2015,WBRI,,,\r\n")}
	before := b.scalar(t, "SELECT count(*) FROM children")
	body = follow(upload(bad))
	if !strings.Contains(body, "Refused") || !strings.Contains(body, "Date of birth is not a valid date") || !strings.Contains(body, "header.csv line 2 DOB") {
		t.Errorf("import page after a bad return:\n%.3000s", body)
	}
	if after := b.scalar(t, "SELECT count(*) FROM children"); after != before {
		t.Errorf("a refused return changed children: %d → %d", before, after)
	}
}

func TestCorrectEpisodeAndCost(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	var start time.Time
	var version int32
	var place string
	if err := b.pool.QueryRow(t.Context(), `SELECT started_on, version, place FROM episodes WHERE child_id = $1 ORDER BY started_on LIMIT 1`, child).Scan(&start, &version, &place); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/children/%d/episodes/%s/edit", child, start.Format(time.DateOnly))
	form := url.Values{"version": {fmt.Sprint(version)}, "legal_status": {"E1"}, "place": {place}, "provider_kind": {"PR1"}, "postcode": {"M20"}}
	if res := b.postForm(t, sw, path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correcting an episode: %d", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT count(*) FROM legal_statuses WHERE child_id = $1 AND code = 'E1' AND started_on = $2`, child, start); n != 1 {
		t.Errorf("legal statuses were not derived again after the correction")
	}
	res, err := sw.PostForm(b.ts.URL+path, form) // the same version again: someone else got there first
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, res); res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="their-version"`) {
		t.Errorf("stale correction: %d", res.StatusCode)
	}
	var costID int64
	var cv int32
	if err := b.pool.QueryRow(t.Context(), `SELECT cost_id, version FROM placement_costs WHERE child_id = $1 ORDER BY effective_from LIMIT 1`, child).Scan(&costID, &cv); err != nil {
		t.Fatal(err)
	}
	costPath := fmt.Sprintf("/children/%d/costs/%d/edit", child, costID)
	_, body := b.get(t, sw, costPath)
	if !strings.Contains(body, `name="version"`) {
		t.Fatal("the cost correction form lacks its version")
	}
	var from time.Time
	if err := b.pool.QueryRow(t.Context(), `SELECT effective_from FROM placement_costs WHERE cost_id = $1`, costID).Scan(&from); err != nil {
		t.Fatal(err)
	}
	ok := url.Values{"version": {fmt.Sprint(cv)}, "from": {from.Format(time.DateOnly)}, "weekly": {"700"}}
	if n := b.scalar(t, `SELECT count(*) FROM placement_costs WHERE child_id = $1`, child); n > 1 {
		ok.Set("to", from.AddDate(0, 0, 10).Format(time.DateOnly))
	}
	if res := b.postForm(t, sw, costPath, ok); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correcting a cost: %d", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT weekly_pence FROM placement_costs WHERE cost_id = $1`, costID); n != 70000 {
		t.Errorf("corrected cost %d pence; want 70000", n)
	}
	if res := b.postForm(t, sw, costPath, ok); res.StatusCode != http.StatusConflict {
		t.Errorf("stale cost correction: %d; want 409", res.StatusCode)
	}
	neg := url.Values{"version": {fmt.Sprint(cv + 1)}, "from": {from.Format(time.DateOnly)}, "weekly": {"-5"}}
	if res := b.postForm(t, sw, costPath, neg); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("negative cost: %d; want 422", res.StatusCode)
	}
}

// TestServesOthersDuringImport: while a return is being loaded, other people's
// pages still answer (the import holds one connection and one import slot).
func TestServesOthersDuringImport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	analyst := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	sw := b.signIn(t, socialWorker)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("la", "352")
	_ = mw.WriteField("kind", "ssda903")
	_ = mw.WriteField("year", "2026")
	for tbl, body := range ssda903.Synthesize(ssda903.SynthOptions{Seed: 12, Children: 6000, Year: 2026, History: true}) {
		fw, _ := mw.CreateFormFile("files", string(tbl)+".csv")
		_, _ = fw.Write(body)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.ts.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := analyst.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/imports/%d", &id); err != nil {
		t.Fatalf("upload answered %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	served := 0
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		var status string
		if err := b.pool.QueryRow(t.Context(), "SELECT status FROM imports WHERE import_id = $1", id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != "running" {
			break
		}
		if res, _ := b.get(t, sw, "/children"); res.StatusCode != 200 {
			t.Fatalf("the caseload answered %d during an import", res.StatusCode)
		}
		// Count only answers that came back while the import was still running.
		if err := b.pool.QueryRow(t.Context(), "SELECT status FROM imports WHERE import_id = $1", id).Scan(&status); err == nil && status == "running" {
			served++
		}
	}
	if served == 0 {
		t.Fatal("the import finished before any other page was asked for; make the return bigger")
	}
	var status string
	_ = b.pool.QueryRow(t.Context(), "SELECT status FROM imports WHERE import_id = $1", id).Scan(&status)
	if status != "imported" {
		t.Errorf("import ended %s", status)
	}
}

func TestMissingEpisodes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	path := fmt.Sprintf("/children/%d/missing", child)
	if res := b.postForm(t, sw, path, url.Values{"missing_kind": {"M"}, "missing_from": {"2026-03-10"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a missing episode: %d", res.StatusCode)
	}
	if res := b.postForm(t, sw, path, url.Values{"missing_kind": {"M"}, "missing_from": {"2026-03-10"}, "missing_to": {"2026-03-12"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording the return: %d", res.StatusCode)
	}
	if n := b.scalar(t, "SELECT count(*) FROM missing_episodes WHERE child_id = $1 AND started_on = '2026-03-10' AND ended_on = '2026-03-12'", child); n != 1 {
		t.Errorf("%d closed missing episodes; want the one, closed", n)
	}
	for _, bad := range []url.Values{
		{"missing_kind": {"X"}, "missing_from": {"2026-03-10"}},
		{"missing_kind": {"M"}, "missing_from": {"2026-03-20"}, "missing_to": {"2026-03-19"}},
		{"missing_kind": {"A"}, "missing_from": {"2027-01-01"}},
		{"missing_kind": {"M"}, "missing_from": {"2026-03-10"}, "missing_to": {"2026-03-12"}}, // already recorded, closed
	} {
		if res := b.postForm(t, sw, path, bad); res.StatusCode != 422 {
			t.Errorf("%v: %d; want 422", bad, res.StatusCode)
		}
	}
	if res := b.postForm(t, b.signIn(t, "court.officer@manchester.demo.hearth.test"), path, url.Values{"missing_kind": {"M"}, "missing_from": {"2026-03-01"}}); res.StatusCode != 403 {
		t.Errorf("court officer recording a missing episode: %d; want 403", res.StatusCode)
	}
}
