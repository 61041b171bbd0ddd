package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/forecasting"
)

// TestForecastRegionCommand: `hearth forecast --rcc` writes the regional
// forecast as the page and API publish it: every row states its population,
// protection, as-of date, window and parameters; modelled children are c
// below 5 and otherwise multiples of 5; spend, sufficiency, the
// cs-demand-model method are there; --out writes the same CSV to a file;
// a cooperative that does not exist, or both --rcc and --council, is refused.
func TestForecastRegionCommand(t *testing.T) {
	t.Parallel()
	url, owner := dbtest.URLs(t)
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": url, "DATABASE_OWNER_URL": owner, "LOG_LEVEL": "error"}[k]
	}
	hearth := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &out, env)
		return out.String(), err
	}
	today := dbtest.Today(t).Format(time.DateOnly)
	if out, err := hearth("demo", "--children", "200", "--as-of", today); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	args := []string{"forecast", "--rcc", "gm-rcc", "--as-of", today, "--months", "6", "--today", today}
	out, err := hearth(args...)
	if err != nil {
		t.Fatalf("forecast --rcc: %v\n%s", err, out)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(forecasting.RegionalCSVHeader, ",") {
		t.Fatalf("header %q", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	series := map[string]int{}
	var withheld int
	for _, r := range rows[1:] {
		series[r[col["series"]]]++
		if r[col["as_of"]] != today || r[col["months"]] != "6" || r[col["paths"]] != "1000" ||
			!strings.Contains(r[col["population"]], "councils of") || !strings.Contains(r[col["protection"]], "rounded to the nearest 5") {
			t.Fatalf("a row without its basis: %q", r)
		}
		v := r[col["mean"]]
		if v == "c" {
			withheld++
			continue
		}
		if s := r[col["series"]]; s == "total" || s == "category" || s == "age band" || s == "cs-demand-model method" || s == "sufficiency: children needing" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 5 || int(n)%5 != 0 {
				t.Errorf("%s %s %s: %q published; want c or a multiple of 5 from 5 up", r[col["month_end"]], s, r[col["group"]], v)
			}
		}
	}
	for _, s := range []string{"total", "category", "age band", "spend £", "spend £ by need band", "spend £ by who pays", "sufficiency: children needing",
		"sufficiency: in-region places (category)", "sufficiency: gap (category)", "cs-demand-model method"} {
		if series[s] == 0 {
			t.Errorf("no %q rows in the CSV", s)
		}
	}
	if withheld == 0 {
		t.Error("no figure withheld in a 200-child region: small figures must be c")
	}
	file := filepath.Join(t.TempDir(), "region.csv")
	msg, err := hearth(append(args, "--out", file)...)
	if err != nil || !strings.Contains(msg, "wrote "+file) {
		t.Fatalf("--out: %q %v", msg, err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != out {
		t.Errorf("--out wrote %d bytes (%v), standard output had %d: want the same CSV", len(b), err, len(out))
	}
	for _, bad := range [][]string{{"forecast", "--rcc", "nowhere", "--as-of", today}, {"forecast", "--rcc", "gm-rcc", "--council", "352", "--as-of", today}} {
		if _, err := hearth(bad...); err == nil {
			t.Errorf("%q was not refused", bad)
		}
	}
}
