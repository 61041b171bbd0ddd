package report_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
)

// TestRegionalReportForecast: the regional commissioning report has a
// Forecast chapter drawn from the regional forecast as published: its basis,
// chart, today's stock under cell key perturbation and the quarter table.
// HEARTH_KEEP_PDF=dir keeps the PDF and the chapter's page as PNG to look at.
func TestRegionalReportForecast(t *testing.T) {
	t.Parallel()
	poppler(t)
	ctx := context.Background()
	pool := dbtest.New(t)
	today := dbtest.Today(t)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 12, Children: 300, AsOf: today})); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(ctx, pool, today); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var rcc int32
	if err := pool.QueryRow(ctx, "SELECT rcc_id FROM regional_cooperatives").Scan(&rcc); err != nil {
		t.Fatal(err)
	}
	sh, pr := sharing.New(pool, az), proceedings.New(pool, az)
	sh.Now, pr.Now = dbtest.Clock(today), dbtest.Clock(today)
	reg, err := sh.Published(ctx, rcc, analytics.Filter{}, today, pr)
	if err != nil {
		t.Fatal(err)
	}
	f, err := forecasting.BuildRegion(ctx, pool, rcc, forecasting.Defaults(today), today)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.RegionalPDFWithForecast(reg, f, today)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if keep := os.Getenv("HEARTH_KEEP_PDF"); keep != "" {
		dir = keep
	}
	path := filepath.Join(dir, "regional-forecast.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	txt, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(txt), "\f")
	page := -1
	for i, p := range pages {
		if strings.Contains(p, "Children in care at each quarter end, and the quarter's spend") {
			page = i + 1
		}
	}
	if page < 0 {
		t.Fatal("the regional report has no forecast chapter")
	}
	text := pages[page-1]
	for _, want := range []string{"Forecast", "Reference window", "from the aggregate forecast inputs each shared", "cell key perturbation",
		"rounded to the nearest 5", "Children in care on the as-of date", "Fostering", "16 to 17", "cs-demand", "Spend", "rounded to the nearest £1,000"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("forecast chapter (page %d) lacks %q:\n%s", page, want, text)
		}
	}
	if all := strings.Join(strings.Fields(string(txt)), " "); !strings.Contains(all, "simulated paths (seed 1), intervals widened for model error") {
		t.Error("the forecast chapter does not say its intervals are widened for model error")
	}
	if out, err := exec.Command("pdftoppm", "-r", "60", "-png", "-f", itoa(page), "-l", itoa(page), path, filepath.Join(dir, "forecast-page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	checkBands(t, path, "Children in care at each quarter end, and the quarter's spend")
	// Without a forecast the report is as before: no chapter.
	plain, err := report.RegionalPDF(reg, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) >= len(pdf) {
		t.Errorf("the report without a forecast (%d bytes) is not smaller than with it (%d)", len(plain), len(pdf))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
