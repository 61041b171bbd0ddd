package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/placements/pnwfixture"
)

// waitImport polls the API's import link until the import has finished.
func waitImport(t *testing.T, b *testBundle, c *http.Client, link string) map[string]any {
	t.Helper()
	for range 400 {
		res, body := b.get(t, c, link)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", link, res.StatusCode, body)
		}
		var imp map[string]any
		if err := json.Unmarshal([]byte(body), &imp); err != nil {
			t.Fatalf("GET %s: %v in %q", link, err, body)
		}
		if imp["status"] != "running" {
			return imp
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("import %s never finished", link)
	return nil
}

func placedOn(t *testing.T, b *testBundle, day string, n int) []string {
	t.Helper()
	rows, err := b.pool.Query(context.Background(), `SELECT DISTINCT c.child_ref FROM children c JOIN episodes e USING (la_id, child_id)
		WHERE c.la_id = 352 AND e.started_on <= $1::date AND (e.ended_on IS NULL OR e.ended_on >= $1::date) ORDER BY 1 LIMIT $2`, day, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	if len(refs) != n {
		t.Fatalf("%d children placed on %s; want %d", len(refs), day, n)
	}
	return refs
}

// TestCensusAPIAndPagePNWLayout loads a census in the Placements North West
// layout through POST /api/v1/imports/census (the .xlsx workbook) and through
// the upload page (its sheet saved as CSV): both go on the background queue,
// the API answers 202 with a link to poll, and the stored report names the
// columns not used. A social worker, who may not import, is refused.
func TestCensusAPIAndPagePNWLayout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	refs := placedOn(t, b, "2026-03-01", 2)
	rows := []pnwfixture.Row{{Authority: "Manchester", Identifier: refs[0], Total: "300", SocialCare: "250", Education: "50", Health: "0"}}
	xlsx, err := pnwfixture.XLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	res, err := comm.Post(b.ts.URL+"/api/v1/imports/census?council=352&as_of=2026-03-01&name=pnw.xlsx",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var queued struct {
		ID   int64  `json:"import_id"`
		Link string `json:"link"`
	}
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(body, &queued) != nil || queued.Link == "" || res.Header.Get("Location") != queued.Link {
		t.Fatalf("POST census: %d %s", res.StatusCode, body)
	}
	imp := waitImport(t, b, comm, queued.Link)
	rep, _ := imp["report"].(map[string]any)
	if imp["status"] != "imported" || rep["attached"] != float64(1) {
		t.Fatalf("API census import: %v", imp)
	}
	if ig, _ := rep["ignored_columns"].([]any); len(ig) != len(pnwfixture.Unused) {
		t.Errorf("ignored columns %v; want %q", rep["ignored_columns"], pnwfixture.Unused)
	}
	if got := b.scalar(t, `SELECT education_pence FROM placement_costs pc JOIN children c USING (la_id, child_id)
		WHERE c.child_ref = $1 AND pc.effective_from = '2026-03-01'`, refs[0]); got != 5000 {
		t.Errorf("education contribution = %d pence; want 5000", got)
	}
	// Wrong parameters are named.
	res, err = comm.Post(b.ts.URL+"/api/v1/imports/census?council=35&as_of=31/03/2026", "text/csv", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"field": "council"`) || !strings.Contains(string(body), `"field": "as_of"`) {
		t.Errorf("bad parameters: %d %s", res.StatusCode, body)
	}
	sw := b.signIn(t, socialWorker)
	res, err = sw.Post(b.ts.URL+"/api/v1/imports/census?council=352&as_of=2026-03-01", "text/csv", bytes.NewReader(pnwfixture.CSV(rows)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a social worker's census: %d; want 403", res.StatusCode)
	}

	// The upload page takes the same layout as CSV.
	rows[0] = pnwfixture.Row{Authority: "Manchester", Identifier: refs[1], Total: "400", SocialCare: "300", Education: "0", Health: "100"}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("la", "352")
	_ = mw.WriteField("kind", "cost_census")
	_ = mw.WriteField("census_date", "2026-03-01")
	fw, _ := mw.CreateFormFile("files", "pnw.csv")
	_, _ = fw.Write(pnwfixture.CSV(rows))
	_ = mw.Close()
	res, err = comm.Post(b.ts.URL+"/imports", mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/") {
		t.Fatalf("upload page: %d %q", res.StatusCode, loc)
	}
	imp = waitImport(t, b, comm, "/api/v1"+loc)
	if imp["status"] != "imported" {
		t.Fatalf("page census import: %v", imp)
	}
	_, page := b.get(t, comm, loc)
	if !strings.Contains(page, `id="ignored"`) || !strings.Contains(page, "Registration Type") {
		t.Error("the import page does not name the columns not used")
	}
	if got := b.scalar(t, `SELECT health_pence FROM placement_costs pc JOIN children c USING (la_id, child_id)
		WHERE c.child_ref = $1 AND pc.effective_from = '2026-03-01'`, refs[1]); got != 10000 {
		t.Errorf("health contribution = %d pence; want 10000", got)
	}
}
