package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestImportReplaceLater: on the web, an earlier year's return that would
// change what a later return recorded is refused, listing the change; asking
// to replace it without the confirmation is a form error naming the box; with
// both boxes it goes in and the change is audited against the council.
func TestImportReplaceLater(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	const hdr = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nRL1,M,01/01/2012,WBRI,UN2,,\n"
	const cols = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
	// Foster placements in England carry their fostering service's URN (rule 218).
	later := cols + "RL1,01/05/2024,S,C2,N1,U6,PR1,01/06/2025,X1,CARPL,,,SC111111\nRL1,01/06/2025,P,C2,N1,U4,PR1,,,,,,SC222222\n"
	earlier := cols + "RL1,01/05/2024,S,C2,N2,U6,PR1,,,,,,SC111111\n" // says the category of need was N2
	upload := func(year, episodes string, fields map[string]string) (*http.Response, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("la", "352")
		_ = mw.WriteField("kind", "ssda903")
		_ = mw.WriteField("year", year)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		for name, body := range map[string]string{"header.csv": hdr, "episodes.csv": episodes} {
			fw, _ := mw.CreateFormFile("files", name)
			_, _ = io.WriteString(fw, body)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", b.ts.URL+"/imports", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusSeeOther {
			return res, string(body)
		}
		for range 100 {
			_, page := b.get(t, c, res.Header.Get("Location"))
			if !strings.Contains(page, "This page updates itself") {
				return res, page
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the import did not finish")
		return nil, ""
	}
	if _, page := upload("2026", later, nil); !strings.Contains(page, "Imported") {
		t.Fatalf("the 2025/26 return was not imported:\n%.800s", page)
	}
	audits := func() int64 {
		return b.scalar(t, "SELECT count(*) FROM audit_events WHERE action = 'replace-later' AND la_id = 352 AND detail->'episodes'->0->>'child' = 'RL1'")
	}
	cin := func() string {
		for _, code := range []string{"N1", "N2"} {
			if b.scalar(t, "SELECT count(*) FROM episodes e JOIN children c USING (la_id, child_id) WHERE c.child_ref = 'RL1' AND e.started_on = '2024-05-01' AND e.cin = $1", code) == 1 {
				return code
			}
		}
		return "none"
	}
	// Without the boxes: refused, with the change listed and the way on.
	if _, page := upload("2025", earlier, nil); !strings.Contains(page, "would change child RL1") || !strings.Contains(page, "replace-later") || cin() != "N1" {
		t.Errorf("earlier return without replace: CIN %s, page:\n%.1500s", cin(), page)
	}
	// Asked for but not confirmed: the form says which box, and nothing is begun.
	res, page := upload("2025", earlier, map[string]string{"replace_later": "yes"})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "tick the confirmation") || !strings.Contains(page, `id="replace_later" name="replace_later" type="checkbox" value="yes" checked`) {
		t.Errorf("replace without confirmation: %d\n%.1500s", res.StatusCode, page)
	}
	if n := audits(); n != 0 || cin() != "N1" {
		t.Errorf("unconfirmed replace: %d audits, CIN %s", n, cin())
	}
	// Confirmed: it goes in, audited.
	if _, page := upload("2025", earlier, map[string]string{"replace_later": "yes", "replace_confirm": "yes"}); !strings.Contains(page, "Imported") {
		t.Errorf("confirmed replace not imported:\n%.1500s", page)
	}
	if n := audits(); n != 1 || cin() != "N2" {
		t.Errorf("confirmed replace: %d audits, CIN %s; want 1 and N2", n, cin())
	}
}
