package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearthcare/hearth/internal/ssda903"
)

// TestBrowserImport: an analyst uploads a return on the import page and the
// page it lands on refreshes itself until the report shows.
func TestBrowserImport(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	dir := t.TempDir()
	var files []string
	for tbl, body := range ssda903.Synthesize(ssda903.SynthOptions{Seed: 21, Children: 80, Year: 2026}) {
		path := filepath.Join(dir, strings.ToLower(string(tbl))+".csv")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "la.analyst@manchester.demo.hearth.test"), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(base+"/imports/new"), chromedp.WaitVisible(`#import-form`),
		chromedp.SetValue(`#year`, "2026"), chromedp.SetUploadFiles(`#files`, files))
	p.screenshot("import-1-form")
	p.do(chromedp.Submit(`#files`))
	// The progress page refreshes itself every two seconds until the import ends.
	deadline := time.Now().Add(60 * time.Second)
	for {
		body := p.text(`main`)
		if strings.Contains(body, "Imported") && strings.Contains(body, "What changed") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import page never showed the report:\n%.500s", body)
		}
		time.Sleep(500 * time.Millisecond)
	}
	p.screenshot("import-2-report")
	if n := b.scalar(t, "SELECT count(*) FROM imports WHERE status = 'imported'"); n != 1 {
		t.Errorf("%d imports recorded as imported; want 1", n)
	}
}
