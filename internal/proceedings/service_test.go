package proceedings_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/valid"
)

type bundle struct {
	pool  *pgxpool.Pool
	svc   *proceedings.Service
	users map[string]int64
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	b := &bundle{pool: dbtest.New(t), users: map[string]int64{}}
	// One demo child (in Trafford): Manchester starts with no children or cases.
	if err := demo.Load(ctx, b.pool, demo.Generate(demo.Options{Seed: 5, Children: 1, AsOf: day("2026-01-05")})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, b.pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b.svc = proceedings.New(b.pool, az)
	b.svc.Now = func() time.Time { return day("2026-01-05").Add(10 * time.Hour) }
	rows, err := b.pool.Query(ctx, "SELECT email, user_id FROM users")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e string
		var id int64
		if err := rows.Scan(&e, &id); err != nil {
			t.Fatal(err)
		}
		b.users[e] = id
	}
	return b
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// child adds a Manchester child with an open placement from start, costed as given.
func (b *bundle) child(t *testing.T, ref string, start string, costs ...[3]any) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := b.pool.QueryRow(ctx, `INSERT INTO children (la_id, child_ref, date_of_birth, sex, ethnicity) VALUES (352, $1, '2015-05-05', 'F', 'WBRI') RETURNING child_id`, ref).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `INSERT INTO episodes (la_id, child_id, started_on, rne, legal_status, cin, place, place_provider) VALUES (352, $1, $2, 'S', 'C1', 'N1', 'U6', 'PR4')`, id, day(start)); err != nil {
		t.Fatal(err)
	}
	for _, c := range costs {
		if _, err := b.pool.Exec(ctx, `INSERT INTO placement_costs (la_id, child_id, placement_started_on, effective_from, effective_to, weekly_pence, social_care_pence)
			VALUES (352, $1, $2, $3, $4, $5, $5)`, id, day(start), c[0], c[1], c[2]); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// TestWorkedExampleFromTheDatabase records docs/delay-model.md's three cases
// through the service and checks the council report against the figures the
// model gives for the hand-built cases (TestWorkedExample pins those to the document).
func TestWorkedExampleFromTheDatabase(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	co := b.users["court.officer@manchester.demo.hearth.test"]
	a1 := b.child(t, "A1", "2024-11-01", [3]any{day("2024-11-01"), nil, int64(900_00)})
	a2 := b.child(t, "A2", "2024-11-01")
	bb := b.child(t, "B1", "2025-02-01")
	c1 := b.child(t, "C1", "2025-05-01", [3]any{day("2025-05-01"), day("2025-11-30"), int64(5600_00)}, [3]any{day("2025-12-01"), nil, int64(6160_00)})
	save := func(in proceedings.Input) int64 {
		t.Helper()
		id, err := b.svc.Save(ctx, co, 352, 0, in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	hear := func(id int64, on, kind, outcome string) {
		t.Helper()
		if err := b.svc.AddHearing(ctx, co, id, proceedings.HearingInput{On: day(on), Kind: kind, Outcome: outcome, Reason: "listed"}); err != nil {
			t.Fatal(err)
		}
	}
	caseA := save(proceedings.Input{CaseNumber: "MA25C00001", Court: "Manchester", IssuedOn: day("2025-01-06"), ConcludedOn: ptr(day("2025-10-13")), FinalOrder: "care", ChildIDs: []int64{a1, a2}})
	for _, h := range [][3]string{{"2025-01-17", "cmh", "effective"}, {"2025-03-01", "fcmh", "effective"}, {"2025-04-01", "fcmh", "adjourned"},
		{"2025-06-01", "irh", "effective"}, {"2025-07-01", "irh", "vacated"}, {"2025-10-13", "final", "effective"}} {
		hear(caseA, h[0], h[1], h[2])
	}
	if err := b.svc.AddExpert(ctx, co, caseA, proceedings.ExpertInput{Kind: "parenting", CommissionedOn: day("2025-02-01"), CostPence: 7500_00}); err != nil {
		t.Fatal(err)
	}
	caseB := save(proceedings.Input{CaseNumber: "MA25C00002", Court: "Manchester", IssuedOn: day("2025-03-03"), ConcludedOn: ptr(day("2025-08-25")), FinalOrder: "supervision", ChildIDs: []int64{bb}})
	for _, h := range [][3]string{{"2025-03-14", "cmh", "effective"}, {"2025-07-01", "irh", "effective"}, {"2025-08-25", "final", "effective"}} {
		hear(caseB, h[0], h[1], h[2])
	}
	caseC := save(proceedings.Input{CaseNumber: "MA25C00003", Court: "Manchester", IssuedOn: day("2025-06-02"), ChildIDs: []int64{c1}})
	for _, h := range [][3]string{{"2025-06-13", "cmh", "effective"}, {"2025-08-01", "fcmh", "effective"}, {"2025-09-01", "fcmh", "effective"}, {"2025-11-01", "fcmh", "adjourned"}} {
		hear(caseC, h[0], h[1], h[2])
	}
	if err := b.svc.AddExpert(ctx, co, caseC, proceedings.ExpertInput{Kind: "residential", CommissionedOn: day("2025-09-15"), CostPence: 30000_00}); err != nil {
		t.Fatal(err)
	}
	r, err := b.svc.Delay(ctx, co, ptr(int32(352)), day("2025-01-01"), day("2026-01-05"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"MA25C00001": 41860_00, "MA25C00002": 0, "MA25C00003": 63400_00}
	if len(r.Cases) != 3 {
		t.Fatalf("%d cases in the report", len(r.Cases))
	}
	for _, c := range r.Cases {
		if c.Breakdown.Total != want[c.Case.CaseNumber] {
			t.Errorf("%s: cost of delay %d pence; the worked example says %d", c.Case.CaseNumber, c.Breakdown.Total, want[c.Case.CaseNumber])
		}
	}
	if r.Summary.Total != 105260_00 || r.Summary.OneWeekBenefit != 8620_00 || r.Summary.MeanWeeks != 32 || r.Summary.WithinTarget != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
	d, err := b.svc.Get(ctx, co, caseC)
	if err != nil || d.Breakdown.PlacementWeekly != 6160_00 || d.Breakdown.ActualPlacement != 1 || len(d.Hearings) != 4 {
		t.Errorf("case C detail: %+v %v", d.Breakdown, err)
	}
}

func TestBadInputIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	co := b.users["court.officer@manchester.demo.hearth.test"]
	k := b.child(t, "K1", "2025-01-01")
	k2 := b.child(t, "K2", "2025-01-01")
	id, err := b.svc.Save(ctx, co, 352, 0, proceedings.Input{CaseNumber: "MA25C00009", Court: "Manchester", IssuedOn: day("2025-05-01"), ChildIDs: []int64{k}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    proceedings.Input
		field string
	}{
		{"conclusion before issue", proceedings.Input{CaseNumber: "X-1", Court: "c", IssuedOn: day("2025-05-01"), ConcludedOn: ptr(day("2025-04-01")), FinalOrder: "care", ChildIDs: []int64{k2}}, "concluded_on"},
		{"final order without conclusion", proceedings.Input{CaseNumber: "X-2", Court: "c", IssuedOn: day("2025-05-01"), FinalOrder: "care", ChildIDs: []int64{k2}}, "concluded_on"},
		{"issued in the future", proceedings.Input{CaseNumber: "X-3", Court: "c", IssuedOn: day("2026-05-01"), ChildIDs: []int64{k2}}, "issued_on"},
		{"pre-proceedings after issue", proceedings.Input{CaseNumber: "X-4", Court: "c", PreProceedingsOn: ptr(day("2025-06-01")), IssuedOn: day("2025-05-01"), ChildIDs: []int64{k2}}, "pre_proceedings_on"},
		{"a child in two open cases", proceedings.Input{CaseNumber: "X-5", Court: "c", IssuedOn: day("2025-06-01"), ChildIDs: []int64{k2, k}}, "children"},
		{"no children", proceedings.Input{CaseNumber: "X-6", Court: "c", IssuedOn: day("2025-06-01")}, "children"},
	}
	for _, tt := range tests {
		_, err := b.svc.Save(ctx, co, 352, 0, tt.in)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Problems[0].Field != tt.field {
			t.Errorf("%s: %v; want a problem with %s", tt.name, err, tt.field)
		}
	}
	var n int
	if err := b.pool.QueryRow(ctx, "SELECT count(*) FROM proceedings").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d cases saved; want only the first (nothing saved half-way)", n)
	}
	var ve *valid.Error
	if err := b.svc.AddHearing(ctx, co, id, proceedings.HearingInput{On: day("2025-04-01"), Kind: "cmh", Outcome: "effective"}); !errors.As(err, &ve) || ve.Problems[0].Field != "held_on" {
		t.Errorf("hearing before issue: %v", err)
	}
	if err := b.svc.AddExpert(ctx, co, id, proceedings.ExpertInput{Kind: "parenting", CommissionedOn: day("2025-06-01"), CostPence: -1}); !errors.As(err, &ve) || ve.Problems[0].Field != "cost" {
		t.Errorf("negative expert cost: %v", err)
	}
	admin := b.users["la.admin@manchester.demo.hearth.test"]
	p := proceedings.National
	if err := b.svc.SetParameters(ctx, admin, 352, day("2025-04-01"), nil, p); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.SetParameters(ctx, admin, 352, day("2025-06-01"), nil, p); !errors.As(err, &ve) || ve.Problems[0].Field != "effective_from" {
		t.Errorf("overlapping parameter periods: %v", err)
	}
	neg := p
	neg.SWHoursPerWeek = -2
	if err := b.svc.SetParameters(ctx, admin, 352, day("2024-01-01"), ptr(day("2024-12-31")), neg); !errors.As(err, &ve) || ve.Problems[0].Field != "sw_hours" {
		t.Errorf("negative hours: %v", err)
	}
	// Denials: a commissioner reads but cannot write; another council sees nothing.
	if _, err := b.svc.Save(ctx, b.users["commissioner@manchester.demo.hearth.test"], 352, 0, proceedings.Input{CaseNumber: "X-9", Court: "c", IssuedOn: day("2025-06-01"), ChildIDs: []int64{k2}}); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("commissioner saving a case: %v", err)
	}
	if _, err := b.svc.Get(ctx, b.users["court.officer@salford.demo.hearth.test"], id); !errors.Is(err, children.ErrNotFound) {
		t.Errorf("Salford reading Manchester's case: %v", err)
	}
	if _, err := b.svc.Get(ctx, b.users["social.worker@manchester.demo.hearth.test"], id); !errors.Is(err, children.ErrNotFound) {
		t.Errorf("a social worker reading a case of a child not theirs: %v", err)
	}
	if err := b.svc.SetParameters(ctx, co, 352, day("2023-01-01"), ptr(day("2023-12-31")), p); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("court officer setting parameters: %v", err)
	}
}
