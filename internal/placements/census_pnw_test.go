package placements_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/placements/pnwfixture"
)

// childrenPlacedOn lists n of Manchester's children with a placement open on day.
func childrenPlacedOn(t *testing.T, b *bundle, day time.Time, n int) []string {
	t.Helper()
	rows, err := b.pool.Query(context.Background(), `SELECT DISTINCT c.child_ref FROM children c JOIN episodes e USING (la_id, child_id)
		WHERE c.la_id = 352 AND e.started_on <= $1 AND (e.ended_on IS NULL OR e.ended_on >= $1) ORDER BY 1 LIMIT $2`, day, n)
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
		t.Fatalf("%d children in placement on %s; want %d", len(refs), day.Format(time.DateOnly), n)
	}
	return refs
}

// TestCostCensusPNWLayout imports a census laid out like the Placements North
// West template, first as its sheet saved as CSV and then as the .xlsx
// workbook: the title and guidance rows and the header cells' guidance are
// read past, the contribution columns are stored as such (a £50 education
// contribution is education, not social care), every column not used is
// named, and the workbook reads the same as the CSV (its import changes nothing).
func TestCostCensusPNWLayout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	comm := b.id(t, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'")
	census := date("2026-03-01")
	refs := childrenPlacedOn(t, b, census, 3)
	rows := []pnwfixture.Row{
		{Authority: "Manchester City Council", Identifier: refs[0], Provider: "Acme", Establishment: "Oak House", Type: "Residential", Total: "300", SocialCare: "250", Education: "50", Health: "0"},
		{Authority: "E08000003", Identifier: refs[1], Provider: "Fosterco", Type: "IFA", Total: "950.50", SocialCare: "900.50", Education: "0", Health: "50"},
		{Authority: "352", Identifier: refs[2], Provider: "Stepco", Type: "Supported", StartDate: "02/01/2001", Total: "1800", SocialCare: "1800", Education: "0", Health: "0"},
	}
	rep, err := b.svc.ImportCensus(ctx, comm, 352, census, "pnw.csv", bytes.NewReader(pnwfixture.CSV(rows)))
	if err != nil {
		t.Fatalf("PNW CSV: %v %+v", err, rep.Errors)
	}
	if rep.Rows != 3 || rep.Attached != 2 || len(rep.Unmatched) != 1 {
		t.Errorf("PNW CSV report: rows %d attached %d unmatched %+v; want 3, 2, 1", rep.Rows, rep.Attached, rep.Unmatched)
	}
	if len(rep.Unmatched) == 1 && !strings.Contains(rep.Unmatched[0].Message, "the census says the placement started on 2 January 2001") {
		t.Errorf("wrong start date: %q", rep.Unmatched[0].Message)
	}
	if !slices.Equal(rep.Ignored, pnwfixture.Unused) {
		t.Errorf("columns not used = %q; want %q", rep.Ignored, pnwfixture.Unused)
	}
	for ref, want := range map[string][4]int64{refs[0]: {30000, 25000, 5000, 0}, refs[1]: {95050, 90050, 0, 5000}} {
		var got [4]int64
		if err := b.pool.QueryRow(ctx, `SELECT weekly_pence, social_care_pence, education_pence, health_pence FROM placement_costs pc
			JOIN children c USING (la_id, child_id) WHERE c.child_ref = $1 AND pc.effective_from <= $2 AND (pc.effective_to IS NULL OR pc.effective_to >= $2)`,
			ref, census).Scan(&got[0], &got[1], &got[2], &got[3]); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: cost (total, social care, education, health) %v; want %v", ref, got, want)
		}
	}
	xlsx, err := pnwfixture.XLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = b.svc.ImportCensus(ctx, comm, 352, census, "pnw.xlsx", bytes.NewReader(xlsx))
	if err != nil {
		t.Fatalf("PNW .xlsx: %v %+v", err, rep.Errors)
	}
	if rep.Rows != 3 || rep.Unchanged != 2 || rep.Attached != 0 || rep.Updated != 0 || len(rep.Unmatched) != 1 {
		t.Errorf("PNW .xlsx after the CSV: %+v; want the two attached rows unchanged", rep)
	}
	if !slices.Equal(rep.Ignored, pnwfixture.Unused) {
		t.Errorf(".xlsx columns not used = %q; want %q", rep.Ignored, pnwfixture.Unused)
	}
}

// TestReadCensusRefusals checks each problem is found, named by line and
// column, and that bare quotes neither panic nor stop a readable file.
func TestReadCensusRefusals(t *testing.T) {
	t.Parallel()
	census := date("2026-03-01")
	ok := pnwfixture.Row{Authority: "Manchester", Identifier: "C1", Total: "300", SocialCare: "250", Education: "50", Health: "0"}
	with := func(f func(*pnwfixture.Row)) []byte {
		r := ok
		f(&r)
		return pnwfixture.CSV([]pnwfixture.Row{ok, r})
	}
	tests := []struct {
		name      string
		body      []byte
		line      int
		col, want string
	}{
		{"no placing authority", with(func(r *pnwfixture.Row) { r.Authority = "" }), 5, "placing_authority", "give the placing authority"},
		{"start after census", with(func(r *pnwfixture.Row) { r.StartDate = "02/03/2026" }), 5, "placement_start_date", "starts after the census date"},
		{"start not a date", with(func(r *pnwfixture.Row) { r.StartDate = "31/02/2026" }), 5, "placement_start_date", "not a date"},
		{"contributions", with(func(r *pnwfixture.Row) { r.Education = "60" }), 5, "total_weekly_cost", "add up to £310.00, not the total of £300.00"},
		{"guidance header without a total", []byte("\"Placing Authority\n(the council)\",Identifier (CMS ID)\nManchester,C1\n"), 1, "", "needs a total weekly cost column"},
		// An unterminated quote runs to the end of the file, so the row lacks its total.
		{"unterminated quote", []byte("Placing Authority,Identifier,Total Weekly Cost\nManchester,\"C1,300\n"), 2, "total_weekly_cost", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := placements.ReadCensus(bytes.NewReader(tt.body), census)
			if len(rep.Errors) == 0 {
				t.Fatalf("ReadCensus(%s) found no error; want %q", tt.name, tt.want)
			}
			e := rep.Errors[0]
			if e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Message, tt.want) {
				t.Errorf("ReadCensus(%s) = line %d column %q %q; want line %d column %q %q", tt.name, e.Line, e.Column, e.Message, tt.line, tt.col, tt.want)
			}
		})
	}
	// A bare quote inside a field (a provider written "The Oaks) is read as text.
	rep := placements.ReadCensus(strings.NewReader("Placing Authority,Identifier,Provider,Total Weekly Cost\nManchester,C1,The \"Oaks,300\nManchester,C2,5'10\",200\n"), census)
	if len(rep.Errors) != 0 || rep.Rows != 2 {
		t.Errorf("bare quotes: %+v; want two rows read", rep)
	}
}
