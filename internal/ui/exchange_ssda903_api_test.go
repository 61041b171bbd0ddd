package ui_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/hearthcare/hearth/internal/ssda903"
)

// TestSSDA903ImportAPI sends an SSDA903 return's CSV tables as parts of
// POST /api/v1/imports/ssda903: it goes on the upload page's background
// queue and answers 202 with the link; GET /api/v1/imports/{id} gives the
// stored report. Someone who may not import into the council is refused
// before anything is saved, and the refusal is audited against it.
func TestSSDA903ImportAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := func() (*bytes.Buffer, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, f := range ssda903.SynthFiles(ssda903.Synthesize(ssda903.SynthOptions{Seed: 11, Children: 25, Year: 2026})) {
			w, _ := mw.CreateFormFile("files", f.Name)
			_, _ = io.Copy(w, f.Body)
		}
		_ = mw.Close()
		return &buf, mw.FormDataContentType()
	}
	an := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	buf, ct := body()
	res, err := an.Post(b.ts.URL+"/api/v1/imports/ssda903?council=352&year=2026", ct, buf)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var queued struct {
		Kind  string   `json:"kind"`
		Link  string   `json:"link"`
		Files []string `json:"files"`
	}
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(raw, &queued) != nil || queued.Kind != "ssda903" || len(queued.Files) < 2 ||
		res.Header.Get("Location") != queued.Link {
		t.Fatalf("POST ssda903: %d %s", res.StatusCode, raw)
	}
	imp := waitImport(t, b, an, queued.Link)
	if imp["status"] != "imported" || imp["report"] == nil {
		t.Fatalf("import: %v", imp)
	}
	if n := b.scalar(t, `SELECT count(*) FROM imports WHERE la_id = 352 AND kind = 'ssda903'`); n != 1 {
		t.Errorf("%d ssda903 imports recorded; want 1", n)
	}
	for _, who := range []string{socialWorker, "la.analyst@salford.demo.hearth.test"} {
		c := b.signIn(t, who)
		buf, ct := body()
		res, err := c.Post(b.ts.URL+"/api/v1/imports/ssda903?council=352&year=2026", ct, buf)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d; want 403", who, res.StatusCode)
		}
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity = 'ssda903' AND outcome = 'denied'`); n != 1 {
		t.Errorf("%d refusals audited against Manchester; want 1 (the social worker is refused at the route)", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM imports WHERE la_id = 352 AND kind = 'ssda903'`); n != 1 {
		t.Errorf("%d ssda903 imports after the refusals; want 1", n)
	}
}
