package placements_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/placements"
)

func TestCostCensus(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	comm := b.id(t, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'")
	census := date("2026-03-01")
	// Three children with a placement open on the census date.
	rows, err := b.pool.Query(ctx, `SELECT DISTINCT c.child_ref FROM children c JOIN episodes e USING (la_id, child_id)
		WHERE c.la_id = 352 AND e.started_on <= $1 AND (e.ended_on IS NULL OR e.ended_on >= $1) ORDER BY 1 LIMIT 3`, census)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	if len(refs) != 3 {
		t.Fatalf("%d children in placement on the census date", len(refs))
	}
	head := "Placing Authority,Identifier,Age,Provider,Establishment,Type of Provision,UASC,Total Weekly Cost,Social Care Contribution,Education Contribution,Health Contribution\n"
	good := head +
		fmt.Sprintf("Manchester,%s,14,Acme,Oak House,Residential,N,\"£6,250.00\",5250,1000,0\n", refs[0]) +
		fmt.Sprintf("E08000003,%s,9,Fosterco,,IFA,N,950.5,,,\n", refs[1]) +
		fmt.Sprintf("352,%s,16,Stepco,,Supported,Y,1800,1800,0,0\n", refs[2]) +
		"Salford,S123,12,Acme,,Residential,N,5000,5000,0,0\n" +
		"Manchester,NOSUCHCHILD,12,Acme,,Residential,N,5000,5000,0,0\n"
	rep, err := b.svc.ImportCensus(ctx, comm, 352, census, "census.csv", strings.NewReader(good))
	if err != nil {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
	if rep.Rows != 5 || rep.Attached != 3 || len(rep.Unmatched) != 2 || rep.Ignored[0] != "Age" {
		t.Errorf("report: %+v", rep)
	}
	if !strings.Contains(rep.Unmatched[0].Message, "placed by \"Salford\"") || !strings.Contains(rep.Unmatched[1].Message, "no child with this identifier") {
		t.Errorf("unmatched reasons: %+v", rep.Unmatched)
	}
	// The costs in force on the census date are the census's, checked in SQL.
	for ref, want := range map[string][4]int64{refs[0]: {625000, 525000, 100000, 0}, refs[1]: {95050, 95050, 0, 0}, refs[2]: {180000, 180000, 0, 0}} {
		var got [4]int64
		if err := b.pool.QueryRow(ctx, `SELECT weekly_pence, social_care_pence, education_pence, health_pence FROM placement_costs pc
			JOIN children c USING (la_id, child_id) WHERE c.child_ref = $1 AND pc.effective_from <= $2 AND (pc.effective_to IS NULL OR pc.effective_to >= $2)`,
			ref, census).Scan(&got[0], &got[1], &got[2], &got[3]); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: cost %v; want %v", ref, got, want)
		}
	}
	// The same census again changes nothing.
	rep, err = b.svc.ImportCensus(ctx, comm, 352, census, "census.csv", strings.NewReader(good))
	if err != nil || rep.Unchanged != 3 || rep.Attached != 0 {
		t.Errorf("second import: %v %+v", err, rep)
	}
	before := b.id(t, "SELECT count(*) FROM placement_costs")
	tests := []struct{ name, body, want string }{
		{"negative", head + fmt.Sprintf("Manchester,%s,1,a,b,c,N,-5,,,\n", refs[0]), "cannot be negative"},
		{"not a number", head + fmt.Sprintf("Manchester,%s,1,a,b,c,N,lots,,,\n", refs[0]), "not an amount in pounds"},
		{"contributions", head + fmt.Sprintf("Manchester,%s,1,a,b,c,N,100,50,0,0\n", refs[0]), "add up to £50.00, not the total of £100.00"},
		{"no total column", "Placing Authority,Identifier\nManchester,X\n", "needs a total weekly cost column"},
		{"empty", "", "the file is empty"},
	}
	for _, tt := range tests {
		rep, err := b.svc.ImportCensus(ctx, comm, 352, census, "bad.csv", strings.NewReader(tt.body))
		if !errors.Is(err, placements.ErrCensusRefused) || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0].Message, tt.want) {
			t.Errorf("%s: %v %+v; want %q", tt.name, err, rep.Errors, tt.want)
		}
	}
	if after := b.id(t, "SELECT count(*) FROM placement_costs"); after != before {
		t.Errorf("refused censuses changed costs: %d → %d", before, after)
	}
	sw := b.id(t, "SELECT user_id FROM users WHERE email = 'social.worker@manchester.demo.hearth.test'")
	if _, err := b.svc.ImportCensus(ctx, sw, 352, census, "c.csv", strings.NewReader(good)); err == nil {
		t.Error("a social worker imported a cost census")
	}
	if _, err := b.svc.ImportCensus(ctx, comm, 355, census, "c.csv", strings.NewReader(good)); err == nil {
		t.Error("Manchester's commissioner imported Salford's census")
	}
}
