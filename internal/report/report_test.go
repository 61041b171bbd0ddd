package report_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
)

// poppler finds pdftoppm and pdftotext (make test installs poppler-utils).
func poppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (make test installs poppler-utils)", tool)
			}
			t.Skipf("%s is not installed; run make test, which installs it", tool)
		}
	}
}

// TestCommissioningReport writes the report for a demo council, renders every
// page with pdftoppm (a PDF that does not render fails), and checks its text.
func TestCommissioningReport(t *testing.T) {
	t.Parallel()
	poppler(t)
	ctx := context.Background()
	pool := dbtest.New(t)
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 9, Children: 500, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	pr := proceedings.New(pool, az)
	pr.Now = dbtest.Clock(asOf)
	data, err := report.GatherCommissioning(ctx, pool, pr, 352, asOf)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.CommissioningPDF(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	dir := t.TempDir()
	if out := os.Getenv("HEARTH_REPORT_OUT"); out != "" { // keep it, to look at the pages
		dir = out
	}
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "40", "-png", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(pages) < 8 {
		t.Errorf("%d pages rendered; want the cover, contents and at least six sections", len(pages))
	}
	txt, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(txt)
	for _, want := range []string{
		"Commissioning report for Manchester", "Contents", "Key figures", "Cohort needs profile", "Needs against cost",
		"Step-down opportunities", "Cost of court delay", "Data quality", "Method",
		"As of 31 March 2026", // every chart says its as-of date
		"Page 3 of " + strconv.Itoa(len(pages)),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	checkBands(t, path, "Children in care at each quarter end, and the quarter's spend")
	// The key figures table gives the cohort's n on the children-in-care line.
	found := false
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "Children in care on 31 March 2026") {
			found = strings.HasSuffix(strings.TrimSpace(line), strconv.Itoa(data.Cohort.N))
		}
	}
	if !found || data.Cohort.N < 100 {
		t.Errorf("the key figures do not give n = %d", data.Cohort.N)
	}
}

// TestRegionalReport writes an RCC's report from a demo region, renders every
// page, checks its sections and symbols, and looks for any child's
// identifiers in its text.
func TestRegionalReport(t *testing.T) {
	t.Parallel()
	poppler(t)
	ctx := context.Background()
	pool := dbtest.New(t)
	today := dbtest.Today(t)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 12, Children: 600, AsOf: today})); err != nil {
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
	pdf, err := report.RegionalPDF(reg, today)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "regional.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "40", "-png", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	txt, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(txt)
	for _, want := range []string{
		"Regional commissioning report for Greater Manchester", "Contents", "Who shares what", "Councils side by side", "Needs profile",
		"Cost by need band and placement type", "The market", "Distance and sufficiency", "Cost of court delay", "Method and disclosure control",
		"Trafford", "placements and costs", // Trafford shares only placements and costs
		"Page 3 of " + strconv.Itoa(len(pages)),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the regional report does not say %q", want)
		}
	}
	// Suppressed and not-shared cells are shown with the DfE's symbols.
	if !strings.Contains(text, " c ") || !strings.Contains(text, " x ") {
		t.Error("no c or x in a 600-child region's report")
	}
	dbtest.AssertNoIdentifiers(t, pool, text, today, reg.DelayFrom, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
}
