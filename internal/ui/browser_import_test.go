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
// page it lands on updates itself by script until the report shows.
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
	// The progress page polls by script every two seconds (no meta refresh) until the import ends.
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
	p.axe() // the report was swapped in by script, so check it as it now stands
	p.screenshot("import-2-report")
	if n := b.scalar(t, "SELECT count(*) FROM imports WHERE status = 'imported'"); n != 1 {
		t.Errorf("%d imports recorded as imported; want 1", n)
	}
}

// TestBrowserImportProblems: the synthetic sample return, full of deliberate
// errors, is refused with its problems grouped by DfE rule, the file that
// cannot be read first, and every problem downloadable as CSV; a form error
// names the files chosen and asks for them again.
func TestBrowserImportProblems(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	p := page{t, browser(t)}
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	files, err := filepath.Glob("../ssda903/testdata/sample/*.csv")
	if err != nil || len(files) != 11 {
		t.Fatalf("sample files: %v %v", files, err)
	}
	for i, f := range files {
		if files[i], err = filepath.Abs(f); err != nil {
			t.Fatal(err)
		}
	}
	p.do(chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "la.analyst@manchester.demo.hearth.test"), chromedp.SendKeys(`#password`, "hearth-demo-password"),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#navigation`),
		chromedp.Navigate(base+"/imports/new"), chromedp.WaitVisible(`#import-form`),
		chromedp.SetValue(`#year`, "1999"), chromedp.SetUploadFiles(`#files`, files), chromedp.Submit(`#files`),
		chromedp.WaitVisible(`#files-chosen`))
	if got := p.text(`#files-chosen`); !strings.Contains(got, "episodes.csv") || !strings.Contains(got, "choose them again") {
		t.Errorf("after a form error the page says %q; want the files named and asked for again", got)
	}
	p.do(chromedp.SetValue(`#year`, "2018"), chromedp.SetUploadFiles(`#files`, files), chromedp.Submit(`#files`))
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(p.text(`main`), "Problems by rule") {
		if time.Now().After(deadline) {
			t.Fatalf("the import page never showed the problems:\n%.500s", p.text(`main`))
		}
		time.Sleep(500 * time.Millisecond)
	}
	p.axe()
	p.screenshot("import-3-problems")
	table := p.text(`#problems`)
	// The file that cannot be read comes before every row-level error.
	if c, e := strings.Index(table, "Cannot read\t\tthe columns do not match"), strings.Index(table, "Error\t"); c < 0 || e < c {
		t.Errorf("the unreadable file is not listed first:\n%.300s", table)
	}
	for _, want := range []string{"530", "Provider PR4 (private) with placement P1", "Query", "… and"} {
		if !strings.Contains(table, want) {
			t.Errorf("grouped problems lack %q", want)
		}
	}
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`(function () {
		var x = new XMLHttpRequest(); x.open("GET", document.getElementById("problems-csv").href, false); x.send();
		return x.status == 200 ? x.responseText.split("\r\n").length - 2 : -x.status; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := b.scalar(t, "SELECT jsonb_array_length(report->'problems') FROM imports WHERE status = 'refused'"); int64(n) != want || n < 9000 {
		t.Errorf("problems CSV has %d rows; want every problem (%d)", n, want)
	}
}
