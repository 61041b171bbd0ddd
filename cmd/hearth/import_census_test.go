package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/placements/pnwfixture"
)

// TestImportCensusCommand loads a census in the Placements North West layout
// from the command line, as CSV and as the .xlsx workbook, and checks the
// contributions stored and the report printed.
func TestImportCensusCommand(t *testing.T) {
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
	if _, err := hearth("demo", "--children", "20", "--as-of", "2026-03-31"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var ref string
	if err := pool.QueryRow(ctx, `SELECT c.child_ref FROM children c JOIN episodes e USING (la_id, child_id)
		WHERE c.la_id = 352 AND e.started_on <= '2026-03-01' AND (e.ended_on IS NULL OR e.ended_on >= '2026-03-01') ORDER BY 1 LIMIT 1`).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	rows := []pnwfixture.Row{{Authority: "Manchester", Identifier: ref, Provider: "Acme", Type: "Residential", Total: "300", SocialCare: "250", Education: "50", Health: "0"}}
	dir := t.TempDir()
	csvPath, xlsxPath := filepath.Join(dir, "pnw.csv"), filepath.Join(dir, "pnw.xlsx")
	xlsx, err := pnwfixture.XLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csvPath, pnwfixture.CSV(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xlsxPath, xlsx, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := hearth("import", "census", "--council", "E08000003", "--as-of", "2026-03-01", csvPath)
	if err != nil || !strings.Contains(out, "1 rows, 1 attached") || !strings.Contains(out, "column not used: Registration Type") {
		t.Fatalf("import census CSV: %v\n%s", err, out)
	}
	var edu int64
	if err := pool.QueryRow(ctx, `SELECT education_pence FROM placement_costs pc JOIN children c USING (la_id, child_id)
		WHERE c.child_ref = $1 AND pc.effective_from = '2026-03-01'`, ref).Scan(&edu); err != nil || edu != 5000 {
		t.Errorf("education contribution = %d (%v); want 5000 pence", edu, err)
	}
	out, err = hearth("import", "census", "--council", "352", "--as-of", "2026-03-01", xlsxPath)
	if err != nil || !strings.Contains(out, "1 rows, 0 attached, 0 updated, 1 unchanged") {
		t.Fatalf("import census .xlsx after the CSV: %v\n%s", err, out)
	}
	// A future census date and a missing file are refused with the reason.
	if _, err := hearth("import", "census", "--council", "352", "--as-of", "2099-01-01", csvPath); err == nil || !strings.Contains(err.Error(), "cannot be in the future") {
		t.Errorf("future census: %v", err)
	}
	if _, err := hearth("import", "census", "--council", "352", csvPath); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no --as-of: %v", err)
	}
}
