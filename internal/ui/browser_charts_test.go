package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chartCheck is what the page script below reports about one chart.
type chartCheck struct {
	ID      string   `json:"id"`
	Tables  int      `json:"tables"`
	Rows    int      `json:"rows"`
	Missing []string `json:"missing"`
}

// checkCharts opens every "Show the data" on the page and reports, for each
// chart, how many data tables follow it and which of its bars' figures
// (each bar's tooltip reads "category: value") have no table row with that
// category and value: the table is checked against the marks drawn, not
// against the code that drew both.
const checkCharts = `(function () {
	document.querySelectorAll("details.hearth-chart-data").forEach(d => d.open = true);
	return Array.from(document.querySelectorAll("svg.hearth-chart")).filter(s => !s.closest(".hearth-small-multiples")).map(s => {
		const fig = s.closest("figure");
		const tables = fig ? fig.querySelectorAll("details.hearth-chart-data table") : [];
		const rows = tables.length ? Array.from(tables[0].querySelectorAll("tbody tr")).map(tr => Array.from(tr.children).map(c => c.textContent.trim())) : [];
		const missing = [];
		s.querySelectorAll("rect.hearth-mark > title").forEach(t => {
			const i = t.textContent.lastIndexOf(": ");
			const cat = t.textContent.slice(0, i), val = t.textContent.slice(i + 2);
			if (!rows.some(r => r[0] === cat && r.slice(1).includes(val))) { missing.push(t.textContent); }
		});
		return { id: fig ? fig.id : "", tables: tables.length, rows: rows.length, missing: missing };
	});
})()`

// TestBrowserChartsShowTheData: every chart on the needs-and-costs, delay and
// forecast pages has a "Show the data" table after it whose rows hold every
// figure drawn, and the pages pass axe-core with the tables open.
func TestBrowserChartsShowTheData(t *testing.T) {
	t.Parallel()
	b := setupSecure(t)
	base := strings.Replace(b.ts.URL, "127.0.0.1", "localhost", 1)
	for _, tc := range []struct {
		user, path string
		charts     int
	}{
		{"commissioner@manchester.demo.hearth.test", "/analytics?as_of=2026-03-31", 3},
		{"commissioner@manchester.demo.hearth.test", "/forecast?la=352&as_of=2026-03-31&months=12&seed=3", 5},
		{"court.officer@manchester.demo.hearth.test", "/delay", 1},
	} {
		p := page{t, browser(t)}
		p.signInAs(base, tc.user)
		p.do(chromedp.Navigate(base+tc.path), chromedp.WaitVisible(`svg.hearth-chart`))
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]chartCheck](checkCharts))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.charts {
			t.Errorf("%s: %d charts; want %d", tc.path, len(got), tc.charts)
		}
		for _, c := range got {
			if c.Tables != 1 || c.Rows == 0 {
				t.Errorf("%s #%s: %d data tables with %d rows; want one with rows", tc.path, c.ID, c.Tables, c.Rows)
			}
			if len(c.Missing) > 0 {
				t.Errorf("%s #%s: bars not in the table: %v", tc.path, c.ID, c.Missing)
			}
		}
		p.axe() // with every table open
		name := strings.TrimPrefix(strings.SplitN(tc.path, "?", 2)[0], "/")
		p.widths("charts-" + name)
	}
}
