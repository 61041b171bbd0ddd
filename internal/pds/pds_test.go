package pds_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/pds"
	"github.com/hearthcare/hearth/internal/valid"
)

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

type bundle struct {
	pool *pgxpool.Pool
	svc  *pds.Service
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	b := &bundle{pool: dbtest.New(t)}
	if err := demo.Load(ctx, b.pool, demo.Generate(demo.Options{Seed: 5, Children: 200, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, b.pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b.svc = pds.New(b.pool, az)
	b.svc.Now = dbtest.Clock(asOf)
	return b
}

func (b *bundle) user(t *testing.T, email string) int64 {
	t.Helper()
	var id int64
	if err := b.pool.QueryRow(context.Background(), `SELECT user_id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return id
}

// placed is a child's placement in a setting the standard covers.
type placed struct {
	child int64
	start time.Time
}

// placements finds a council's placements of the standard's three types in
// the quarter with most of them.
func (b *bundle) placements(t *testing.T, la int32) (pds.Quarter, []placed) {
	t.Helper()
	ctx := context.Background()
	var y, q int
	if err := b.pool.QueryRow(ctx, `SELECT extract(year FROM started_on)::int, extract(quarter FROM started_on)::int FROM placements
		WHERE la_id = $1 AND place IN ('U4','U5','U6','K2','H5','K3') GROUP BY 1, 2 ORDER BY count(*) DESC, 1 DESC, 2 DESC LIMIT 1`, la).Scan(&y, &q); err != nil {
		t.Fatal(err)
	}
	qt := pds.Quarter{Year: y, Q: q}
	rows, err := b.pool.Query(ctx, `SELECT child_id, started_on FROM placements WHERE la_id = $1 AND place IN ('U4','U5','U6','K2','H5','K3')
		AND started_on >= $2 AND started_on < $3 ORDER BY started_on, child_id LIMIT 12`, la, qt.From(), qt.To())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []placed
	for rows.Next() {
		var p placed
		if err := rows.Scan(&p.child, &p.start); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	if len(out) < 3 {
		t.Fatalf("only %d placements in %s", len(out), qt)
	}
	return qt, out
}

// sample is a complete record, as a placement team would give it.
func sample(ref string, start time.Time, i int) pds.Record {
	risks := map[string]string{}
	for n, r := range pds.Risks {
		risks[r.Field] = "no-known-risk"
		if (n+i)%4 == 0 {
			risks[r.Field] = "risk-present"
		}
	}
	urg := []string{"today", "lt-5-days", "gt-5-days"}[i%3]
	return pds.Record{ChildRef: ref, NeededBy: urg, SiblingsToPlace: new(int32(i % 3)), ChildPreference: "foster",
		CommunicationNeeds: "no", CommunicationRequirements: []string{"none"}, HomeAdaptation: new(false),
		CulturalNeeds: "other", CulturalOther: "=needs a halal kitchen", LivingCompanions: "no-preference", Pets: "yes-can",
		AdditionalSupport: "therapeutic-support", DeprivationOfLiberty: new(false), FosterSuitability: "preferred",
		ResidentialSuitability: "suitable-not-preferred", SupportedSuitability: "unsuitable", Risks: risks,
		CostCore: new(int64(3000_00 + 100*i)), CostTotal: new(int64(4321_50 + 100*i)), PlacementLocation: "M14",
		PreferredLocationLocal: new(i%2 == 0), OutOfLAReason: map[bool]string{true: "", false: "safeguarding"}[i%2 == 0],
		EducationContinuity: new(true), ProviderURN: "SC123456", SiblingsPlacedTogether: new(int32(0)), PlacementType: "foster",
		ReferralDate: start.AddDate(0, 0, -3), PlacementDate: start, CostDate: start}
}

func problemFields(err error) []string {
	var ve *valid.Error
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}

// TestRecordDerivesWhatHearthKnows saves a record for a placement and checks
// that the fields Hearth holds come from its episodes and costs whatever the
// caller sent, that a stale version conflicts, and that the view is audited.
func TestRecordDerivesWhatHearthKnows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, ps := b.placements(t, 352)
	tm := b.user(t, "team.manager@manchester.demo.hearth.test")
	p := ps[0]
	var ref, place string
	var cost *int64
	if err := b.pool.QueryRow(ctx, `SELECT c.child_ref, e.place, (SELECT weekly_pence FROM placement_costs pc WHERE pc.la_id = e.la_id AND pc.child_id = e.child_id
		AND pc.placement_started_on = e.started_on ORDER BY effective_from LIMIT 1)
		FROM episodes e JOIN children c USING (la_id, child_id) WHERE e.la_id = 352 AND e.child_id = $1 AND e.started_on = $2`, p.child, p.start).Scan(&ref, &place, &cost); err != nil {
		t.Fatal(err)
	}
	in := sample("someone-else", p.start.AddDate(0, 0, 5), 1)
	in.PlacementType = "residential"
	in.ReferralDate = p.start.AddDate(0, 0, -3)
	saved, err := b.svc.Save(ctx, tm, p.child, p.start, in, 0)
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	got, err := b.svc.Get(ctx, tm, p.child, p.start, authz.Read)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Record
	if r == nil || r.ChildRef != ref || !r.PlacementDate.Equal(p.start) || r.PlacementType != pds.PlacementTypeOf(place) {
		t.Fatalf("record %+v; want child %s, placement %s, type %s", r, ref, p.start, pds.PlacementTypeOf(place))
	}
	if cost != nil && (r.CostTotal == nil || *r.CostTotal != *cost) {
		t.Errorf("cost_total = %v; want Hearth's %d", r.CostTotal, *cost)
	}
	if !slices.Contains(got.Derived.FixedKeys, "placement_type") {
		t.Errorf("placement_type not fixed: %v", got.Derived.FixedKeys)
	}
	if _, err := b.svc.Save(ctx, tm, p.child, p.start, in, saved.Version+1); !errors.Is(err, pds.ErrConflict) {
		t.Errorf("save at a stale version: %v; want a conflict", err)
	}
	if _, err := b.svc.Save(ctx, tm, p.child, p.start, in, saved.Version); err != nil {
		t.Errorf("save at the version read: %v", err)
	}
	var views int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity = 'pds_record' AND action = 'view'`).Scan(&views); err != nil || views != 1 {
		t.Errorf("views audited: %d, %v; want 1", views, err)
	}
}

// TestAnotherCouncilsRecordIsNotFound: a Salford manager cannot see or
// record a Manchester child's placement; each attempt is audited against
// Manchester. A social worker may not export the return.
func TestDenials(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	q, ps := b.placements(t, 352)
	other := b.user(t, "team.manager@salford.demo.hearth.test")
	if _, err := b.svc.Get(ctx, other, ps[0].child, ps[0].start, authz.Read); !errors.Is(err, pds.ErrNotFound) {
		t.Errorf("another council's get: %v; want not found", err)
	}
	if _, err := b.svc.Save(ctx, other, ps[0].child, ps[0].start, sample("x", ps[0].start, 0), 0); !errors.Is(err, pds.ErrNotFound) {
		t.Errorf("another council's save: %v; want not found", err)
	}
	var refused int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND user_id = $1 AND outcome = 'not_found'`, other).Scan(&refused); err != nil || refused != 2 {
		t.Errorf("refusals audited against Manchester: %d, %v; want 2", refused, err)
	}
	sw := b.user(t, "social.worker@manchester.demo.hearth.test")
	if _, err := b.svc.Export(ctx, sw, 352, q); !errors.Is(err, pds.ErrForbidden) {
		t.Errorf("social worker export: %v; want forbidden", err)
	}
	if _, err := b.svc.Import(ctx, sw, 352, q, []byte(strings.Join(pds.Headers(), ",")+"\n")); !errors.Is(err, pds.ErrForbidden) {
		t.Errorf("social worker import: %v; want forbidden", err)
	}
	analyst := b.user(t, "la.analyst@salford.demo.hearth.test")
	if _, err := b.svc.Export(ctx, analyst, 352, q); !errors.Is(err, pds.ErrForbidden) {
		t.Errorf("Salford analyst export of Manchester: %v; want forbidden", err)
	}
	var denied int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity = 'pds_return' AND outcome = 'denied'`).Scan(&denied); err != nil || denied != 3 {
		t.Errorf("export/import refusals audited against Manchester: %d, %v; want 3", denied, err)
	}
}

// TestRoundTrip exports a council's return, imports it for a council that
// does not use Hearth's placement journey, and exports that: the CSV is
// byte-identical and the workbook cell-identical. A second import changes
// nothing.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	q, ps := b.placements(t, 352)
	tm := b.user(t, "team.manager@manchester.demo.hearth.test")
	for i, p := range ps {
		if _, err := b.svc.Save(ctx, tm, p.child, p.start, sample("", p.start, i), 0); err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	analyst := b.user(t, "la.analyst@manchester.demo.hearth.test")
	recs, err := b.svc.Export(ctx, analyst, 352, q)
	if err != nil || len(recs) != len(ps) {
		t.Fatalf("export: %d records, %v; want %d", len(recs), err, len(ps))
	}
	var csv1, x1 bytes.Buffer
	if err := pds.WriteCSV(&csv1, recs); err != nil {
		t.Fatal(err)
	}
	if err := pds.WriteXLSX(&x1, recs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv1.String(), strings.Join(pds.Headers(), ",")+"\n") || !strings.Contains(csv1.String(), "'=needs a halal kitchen") {
		t.Fatalf("export does not start with the header or does not make formulas safe:\n%.400s", csv1.String())
	}
	trafford := b.user(t, "la.analyst@trafford.demo.hearth.test")
	res, err := b.svc.Import(ctx, trafford, 358, q, csv1.Bytes())
	if err != nil || res.Added != len(ps) {
		t.Fatalf("import: %+v, %v", res, err)
	}
	again, err := b.svc.Import(ctx, trafford, 358, q, csv1.Bytes())
	if err != nil || again.Added != 0 || again.Changed != 0 || again.Removed != 0 || again.Unchanged != len(ps) {
		t.Fatalf("second import: %+v, %v; want all unchanged", again, err)
	}
	back, err := b.svc.Export(ctx, trafford, 358, q)
	if err != nil {
		t.Fatal(err)
	}
	var csv2 bytes.Buffer
	if err := pds.WriteCSV(&csv2, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csv1.Bytes(), csv2.Bytes()) {
		t.Fatalf("CSV round trip differs:\n%s\n---\n%s", csv1.String(), csv2.String())
	}
	// The workbook: import it over the CSV's rows (nothing changes), export again, compare cells.
	res, err = b.svc.Import(ctx, trafford, 358, q, x1.Bytes())
	if err != nil || res.Unchanged != len(ps) {
		t.Fatalf("workbook import: %+v, %v; want all unchanged", res, err)
	}
	back, _ = b.svc.Export(ctx, trafford, 358, q)
	var x2 bytes.Buffer
	if err := pds.WriteXLSX(&x2, back); err != nil {
		t.Fatal(err)
	}
	c1, c2 := cells(t, x1.Bytes()), cells(t, x2.Bytes())
	if !slices.EqualFunc(c1, c2, slices.Equal) || len(c1) != len(ps)+1 {
		t.Fatalf("workbook round trip differs (%d and %d rows)", len(c1), len(c2))
	}
	// The import is all or nothing: one bad row refuses the file and changes nothing.
	bad := strings.Replace(csv1.String(), ",foster,", ",fostering,", 1)
	_, err = b.svc.Import(ctx, trafford, 358, q, []byte(bad))
	if f := problemFields(err); len(f) == 0 || !strings.Contains(f[0], "row 2") || !strings.Contains(f[0], "child_preferred_placement_type") {
		t.Fatalf("bad row: %v; want row 2, child_preferred_placement_type", err)
	}
	if n, _ := b.svc.ExportCouncil(ctx, 358, q); len(n) != len(ps) {
		t.Errorf("after a refused import %d rows; want %d", len(n), len(ps))
	}
}

func cells(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(pds.SheetName, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
