package sharing_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/valid"
)

type region struct {
	pool  *pgxpool.Pool
	svc   *sharing.Service
	pr    *proceedings.Service
	today time.Time
	rcc   int32
	users map[string]int64
}

// setup loads a small demo region, as of 31 March 2026, with its agreements: three
// councils share everything and Trafford (358) only placements and costs.
func setup(t *testing.T, children int) region {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	today := dbtest.Today(t)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 21, Children: children, AsOf: today})); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(ctx, pool, today); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r := region{pool: pool, svc: sharing.New(pool, az), pr: proceedings.New(pool, az), today: today, users: map[string]int64{}}
	r.svc.Now, r.pr.Now = dbtest.Clock(today), dbtest.Clock(today)
	if err := pool.QueryRow(ctx, "SELECT rcc_id FROM regional_cooperatives WHERE code = 'gm-rcc'").Scan(&r.rcc); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, "SELECT email, user_id FROM users")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		var id int64
		if err := rows.Scan(&e, &id); err != nil {
			t.Fatal(err)
		}
		r.users[e] = id
	}
	return r
}

const (
	analyst     = "rcc.analyst@gm-rcc.demo.hearth.test"
	dataOfficer = "rcc.data@gm-rcc.demo.hearth.test"
	purpose     = "Sufficiency strategy 2026: matching needs to provision"
)

// cells lists every count a region publishes, with where it is.
func cells(r sharing.Region) map[string]sharing.Cell {
	out := map[string]sharing.Cell{}
	for name, t := range map[string]sharing.Table{"bands": r.Bands, "groups": r.Groups, "prevalence": r.Prevalence, "need": r.Need,
		"provision": r.Provision, "area": r.Area, "miles": r.Miles} {
		for i := range t.Cells {
			for j, c := range t.Cells[i] {
				out[name+"/"+t.Rows[i]+"/"+t.Cols[j]] = c
			}
			out[name+"/"+t.Rows[i]+"/total"] = t.RowTotals[i]
		}
		for j := range t.Cols {
			out[name+"/total/"+t.Cols[j]] = t.ColTotals[j]
		}
		out[name+"/total"] = t.Total
	}
	for _, row := range append(append([]sharing.Row{}, r.Benchmark...), r.Pooled) {
		for k, c := range map[string]sharing.Cell{"children": row.Children, "assessed": row.Assessed, "costed": row.Costed, "pearson_n": row.PearsonN,
			"out": row.OutOfArea, "over20": row.Over20, "stepdown": row.StepDown} {
			out["row/"+row.Council+"/"+k] = c
		}
	}
	for _, c := range r.Costs {
		out["cost/"+c.Band+"/"+c.Group] = c.N
	}
	for _, c := range r.Time {
		out["time/"+c.Band] = c.N
	}
	for _, c := range r.EHC {
		out["ehc/"+c.Plan] = c.N
	}
	for _, p := range r.Market.Providers {
		for i, c := range p.N {
			out["market/"+p.Name+"/"+r.Market.Councils[i]] = c
		}
	}
	for _, d := range append(append([]sharing.DelayRow{}, r.Delay...), r.DelayPool) {
		out["delay/"+d.Council] = d.Cases
	}
	return out
}

// TestRegionUnderDisclosureControl: no published count is from 1 to 4;
// money is never shown beside a suppressed count; Trafford's needs are not
// there, and the totals say so; the domain table's totals are per domain;
// and the pooled count is within the noise of a count of the tables made
// independently.
func TestRegionUnderDisclosureControl(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 900)
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{}, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if r.Empty != "" || len(r.Members) != 4 {
		t.Fatalf("region: %q, %d councils sharing", r.Empty, len(r.Members))
	}
	suppressed := 0
	for where, c := range cells(r) {
		if c.Suppressed {
			suppressed++
			if c.N != 0 {
				t.Errorf("%s: suppressed but carries %d", where, c.N)
			}
			continue
		}
		if c.N > 0 && c.N < 5 {
			t.Errorf("%s: %d published", where, c.N)
		}
	}
	if suppressed == 0 {
		t.Error("nothing was suppressed in a 900-child region: the test shows nothing")
	}
	if !strings.Contains(r.Bands.Note, "Trafford") || !strings.Contains(r.PooledNote, "Trafford") {
		t.Errorf("totals leave Trafford's needs out without saying so: %q, %q", r.Bands.Note, r.PooledNote)
	}
	if i := slices.Index(r.Bands.Rows, "Trafford"); i < 0 || r.Bands.RowTotals[i].String() != "x" {
		t.Errorf("Trafford's row of need bands: %v", r.Bands.Rows)
	}
	if r.Prevalence.Total.String() != "z" || r.Prevalence.ColTotals[0].String() != "z" || r.Prevalence.RowTotals[0].Suppressed {
		t.Errorf("domain × level totals: %v by level, %v overall; want z, and children per domain", r.Prevalence.ColTotals, r.Prevalence.Total)
	}
	if d := r.Prevalence.RowTotals[0].N - r.Pooled.Assessed.N; d < -4 || d > 4 {
		t.Errorf("children assessed in the first domain %d, region assessed %d", r.Prevalence.RowTotals[0].N, r.Pooled.Assessed.N)
	}
	for _, c := range r.Costs {
		if c.N.Suppressed != c.Median.Suppressed || c.N.Suppressed != c.Q1.Suppressed {
			t.Errorf("cost %s/%s: count suppressed %v, median suppressed %v", c.Band, c.Group, c.N.Suppressed, c.Median.Suppressed)
		}
	}
	for _, c := range r.Time {
		if c.N.Suppressed != c.MeanScore.Suppressed && c.N.N > 0 {
			t.Errorf("time in care %s: count suppressed %v, mean suppressed %v", c.Band, c.N.Suppressed, c.MeanScore.Suppressed)
		}
	}
	for _, p := range r.Market.Providers {
		for i := range p.N {
			if !p.N[i].Suppressed && p.N[i].N > 0 && p.Median[i].Suppressed {
				t.Errorf("%s: a shown count without its price", p.Name)
			}
			if p.N[i].Suppressed && !p.Median[i].Suppressed {
				t.Errorf("%s at %s: a price shown for a suppressed count", p.Name, r.Market.Councils[i])
			}
		}
	}
	for i, row := range r.Bands.Rows {
		for _, c := range r.Bands.Cells[i] {
			if row == "Trafford" && !c.NotShared {
				t.Error("Trafford shares no needs, yet has need bands")
			}
		}
	}
	var traffordDelay bool
	for _, d := range r.Delay {
		traffordDelay = traffordDelay || d.Council == "Trafford"
	}
	if traffordDelay || len(r.Delay) != 3 {
		t.Errorf("delay rows %v: want the three councils sharing proceedings", r.Delay)
	}
	// Each council's delay row is its own report: the same figures as asking
	// the proceedings service for that council alone, the count within the noise.
	for _, d := range r.Delay {
		la := map[string]int32{"Manchester": 352, "Salford": 355, "Stockport": 356}[d.Council]
		own, err := rg.pr.CouncilReport(ctx, []int32{la}, r.DelayFrom, rg.today)
		if err != nil {
			t.Fatal(err)
		}
		if c := d.Cases.N - own.Summary.Cases; !d.Cases.Suppressed && (c < -3 || c > 3) || !d.MeanWeeks.Suppressed && math.Abs(d.MeanWeeks.Value-own.Summary.MeanWeeks) > 1e-9 ||
			!d.Cost.Suppressed && math.Abs(d.Cost.Value-float64(own.Summary.Total)/100) > 1e-6 {
			t.Errorf("%s: region row %+v; the council's own report %+v", d.Council, d, own.Summary)
		}
	}
	// The second method: count children in care today straight from the tables.
	var n int
	if err := rg.pool.QueryRow(ctx, `SELECT count(DISTINCT (c.la_id, c.child_id)) FROM children c JOIN care_periods cp USING (la_id, child_id)
		WHERE cp.started_on <= $1 AND (cp.ended_on IS NULL OR cp.ended_on > $1)`, rg.today).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if d := r.Pooled.Children.N - n; d < -r.Control.MaxNoise || d > r.Control.MaxNoise {
		t.Errorf("region children %d, want %d ± %d", r.Pooled.Children.N, n, r.Control.MaxNoise)
	}
}

// TestNothingIdentifyingLeaves: no name, council child reference, UPN or
// evidence text reaches the region's figures, the pooled extract or the
// council's comparison with the region.
func TestNothingIdentifyingLeaves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 400)
	var out bytes.Buffer
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{}, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(&out).Encode(r); err != nil {
		t.Fatal(err)
	}
	st, err := rg.svc.Extract(ctx, rg.users[dataOfficer], rg.rcc, rg.today, purpose, &out)
	if err != nil || st.Rows < 250 {
		t.Fatalf("extract: %+v, %v", st, err)
	}
	views, err := rg.svc.CouncilAgainstRegion(ctx, rg.users["commissioner@manchester.demo.hearth.test"], 352, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(&out).Encode(views); err != nil {
		t.Fatal(err)
	}
	dbtest.AssertNoIdentifiers(t, rg.pool, out.String(), rg.today, r.DelayFrom, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
}

// TestExtract: only a data officer may download the extract, saying why;
// it is audited with the purpose and row count; pseudonyms are stable
// between extracts; Trafford has no needs; every combination of
// quasi-identifiers is shared by at least k rows; and every child is either
// a row or counted as left out.
func TestExtract(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 1500)
	read := func() ([][]string, sharing.ExtractStats) {
		var b bytes.Buffer
		st, err := rg.svc.Extract(ctx, rg.users[dataOfficer], rg.rcc, rg.today, purpose, &b)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs, st
	}
	a, st := read()
	b, _ := read()
	var n int
	if err := rg.pool.QueryRow(ctx, `SELECT count(DISTINCT (c.la_id, c.child_id)) FROM children c JOIN care_periods cp USING (la_id, child_id)
		WHERE cp.started_on <= $1 AND (cp.ended_on IS NULL OR cp.ended_on > $1)`, rg.today).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if len(a)-1 != st.Rows || st.Rows+st.Suppressed != n {
		t.Errorf("%d rows written, stats %+v; %d children in care", len(a)-1, st, n)
	}
	col := map[string]int{}
	for i, h := range a[0] {
		col[h] = i
	}
	seen := map[string]bool{}
	for i := 1; i < len(a); i++ {
		if a[i][1] != b[i][1] {
			t.Fatalf("row %d: pseudonym %s then %s", i, a[i][1], b[i][1])
		}
		if seen[a[i][1]] {
			t.Errorf("pseudonym %s twice", a[i][1])
		}
		seen[a[i][1]] = true
		if a[i][2] == "E08000009" && (a[i][col["need_band"]] != "" || a[i][col["level_emotional_health"]] != "") {
			t.Errorf("row %d: Trafford shares no needs, yet band %q", i, a[i][col["need_band"]])
		}
		if c := a[i][col["weekly_cost_band"]]; c != "" && !strings.HasSuffix(c, "49") && !strings.HasSuffix(c, "99") {
			t.Errorf("row %d: weekly cost %q is not a £50 band", i, c)
		}
	}
	if bad := sharing.RareCombinations(a, 5); len(bad) > 0 {
		t.Errorf("%d combinations of quasi-identifiers shared by fewer than 5 rows, e.g. %v", len(bad), bad[0])
	}
	if st.Generalised == 0 || st.ByColumn["birth"] == 0 {
		t.Errorf("nothing generalised in a 1,500-child region: %+v", st)
	}
	t.Logf("demo region, k = %d: %d rows written, %d generalised %v, %d left out", st.K, st.Rows, st.Generalised, st.ByColumn, st.Suppressed)
	var audited struct {
		purpose string
		rows    int
	}
	if err := rg.pool.QueryRow(ctx, `SELECT detail->>'purpose', (detail->>'rows')::int FROM audit_events WHERE entity = 'region_extract' AND outcome = 'ok' LIMIT 1`).
		Scan(&audited.purpose, &audited.rows); err != nil || audited.purpose != purpose || audited.rows != st.Rows {
		t.Errorf("audited %+v, %v", audited, err)
	}
	// The analyst reads tables only; nobody extracts without a purpose.
	var buf bytes.Buffer
	if _, err := rg.svc.Extract(ctx, rg.users[analyst], rg.rcc, rg.today, purpose, &buf); !errors.Is(err, children.ErrForbidden) || buf.Len() > 0 {
		t.Errorf("the analyst extracted: %v", err)
	}
	var ve *valid.Error
	if _, err := rg.svc.Extract(ctx, rg.users[dataOfficer], rg.rcc, rg.today, "  because ", &buf); !errors.As(err, &ve) || ve.Problems[0].Field != "purpose" || buf.Len() > 0 {
		t.Errorf("an extract without a purpose: %v", err)
	}
}

// TestAgreements: a council admin signs, reviews and ends; ending stops
// sharing at once; bad terms are refused by field; others may not sign.
func TestAgreements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 200)
	admin := rg.users["la.admin@salford.demo.hearth.test"]
	if admin == 0 {
		t.Fatal("no Salford admin in the demo")
	}
	ags, rccs, err := rg.svc.CouncilAgreements(ctx, admin, 355)
	if err != nil || len(ags) != 1 || !ags[0].InForce || len(rccs) != 1 {
		t.Fatalf("Salford's agreements %+v, RCCs %v, %v", ags, rccs, err)
	}
	// Another council's admin, or a commissioner, may not touch Salford's.
	for _, u := range []string{"la.admin@manchester.demo.hearth.test", "commissioner@salford.demo.hearth.test", analyst} {
		if err := rg.svc.End(ctx, rg.users[u], 355, ags[0].AgreementID); !errors.Is(err, children.ErrForbidden) {
			t.Errorf("%s ended Salford's agreement: %v", u, err)
		}
	}
	// Bad terms, each named by field.
	for _, c := range []struct {
		terms sharing.Terms
		field string
	}{
		{sharing.Terms{RCCID: rg.rcc, StartsOn: rg.today}, "shares"},
		{sharing.Terms{RCCID: rg.rcc, Needs: true}, "starts_on"},
		{sharing.Terms{Needs: true, StartsOn: rg.today}, "rcc"},
		{sharing.Terms{RCCID: rg.rcc, Needs: true, StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, "starts_on"}, // before joining
		{sharing.Terms{RCCID: rg.rcc, Needs: true, StartsOn: rg.today}, "starts_on"},                                    // overlaps the one in force
	} {
		_, err := rg.svc.Sign(ctx, admin, 355, c.terms)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Problems[0].Field != c.field {
			t.Errorf("%+v: %v, want a problem with %s", c.terms, err, c.field)
		}
	}
	if err := rg.svc.Review(ctx, admin, 355, ags[0].AgreementID); err != nil {
		t.Fatal(err)
	}
	// Ending stops sharing at once: Salford drops out of the region today.
	if err := rg.svc.End(ctx, admin, 355, ags[0].AgreementID); err != nil {
		t.Fatal(err)
	}
	if err := rg.svc.End(ctx, admin, 355, ags[0].AgreementID); !errors.Is(err, sharing.ErrNotRunning) {
		t.Errorf("ending twice: %v", err)
	}
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{}, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Members) != 3 || len(r.NotSharing) != 1 || r.NotSharing[0] != "Salford" {
		t.Errorf("after Salford ended: sharing %v, not sharing %v", r.Members, r.NotSharing)
	}
	var ns *sharing.NotSharedError
	if _, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{LAID: 355}, rg.today, rg.pr); !errors.As(err, &ns) || !strings.Contains(err.Error(), "Salford") {
		t.Errorf("asking for Salford after it ended: %v", err)
	}
	if _, err := rg.svc.CouncilAgainstRegion(ctx, rg.users["commissioner@salford.demo.hearth.test"], 355, rg.today, rg.pr); !errors.Is(err, sharing.ErrNoAgreement) {
		t.Errorf("Salford against the region after ending: %v", err)
	}
	// A new agreement may start the day the old one ended.
	if _, err := rg.svc.Sign(ctx, admin, 355, sharing.Terms{RCCID: rg.rcc, Placements: true, StartsOn: rg.today}); err != nil {
		t.Errorf("signing again today: %v", err)
	}
	var audited int
	if err := rg.pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE entity = 'sharing_agreement' AND la_id = 355").Scan(&audited); err != nil || audited != 3 {
		t.Errorf("%d agreement changes audited (%v), want review, end and sign", audited, err)
	}
}

// TestRegionRefusals: council staff may not read the region's figures, an
// analyst may not extract another RCC's, and a filter that leaves only
// suppressed cells says so instead of showing them.
func TestRegionRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 300)
	for _, u := range []string{"commissioner@manchester.demo.hearth.test", "la.analyst@salford.demo.hearth.test", "social.worker@stockport.demo.hearth.test"} {
		if _, err := rg.svc.Region(ctx, rg.users[u], rg.rcc, analytics.Filter{}, rg.today, rg.pr); !errors.Is(err, children.ErrForbidden) {
			t.Errorf("%s read the RCC's figures: %v", u, err)
		}
		var b bytes.Buffer
		if _, err := rg.svc.Extract(ctx, rg.users[u], rg.rcc, rg.today, purpose, &b); !errors.Is(err, children.ErrForbidden) || b.Len() > 0 {
			t.Errorf("%s extracted: %v", u, err)
		}
	}
	if _, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc+1, analytics.Filter{}, rg.today, rg.pr); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("another RCC: %v", err)
	}
	if _, err := rg.svc.CouncilAgainstRegion(ctx, rg.users[analyst], 352, rg.today, rg.pr); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("the analyst read a council's own figures: %v", err)
	}
	f := analytics.Filter{LAID: 356, Group: analytics.Home, Band: "complex", AgeBand: "10-15"}
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, f, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if r.Empty == "" || len(r.Benchmark) != 0 || len(r.Costs) != 0 {
		t.Errorf("a narrow filter: empty %q, %d rows, %d costs", r.Empty, len(r.Benchmark), len(r.Costs))
	}
}

// TestMembershipOverTime: a council that leaves the RCC stops sharing from
// that day even with an agreement signed, and its history stays.
func TestMembershipOverTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 200)
	if err := rg.svc.Leave(ctx, "gm-rcc", "E08000009", rg.today); err != nil {
		t.Fatal(err)
	}
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{}, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range r.Members {
		if m.Name == "Trafford" {
			t.Error("Trafford left today but still shares")
		}
	}
	if len(r.Members) != 3 || len(r.NotSharing) != 0 {
		t.Errorf("members %v, not sharing %v: a council that left is neither", r.Members, r.NotSharing)
	}
	out, err := rg.svc.Describe(ctx, "gm-rcc")
	if err != nil || !strings.Contains(out, "Trafford     E08000009  from 2025-05-01 to "+rg.today.Format(time.DateOnly)) {
		t.Errorf("membership history:\n%s\n%v", out, err)
	}
	if err := rg.svc.Join(ctx, "gm-rcc", "E08000009", rg.today); err != nil {
		t.Fatal(err)
	}
	if r, _ = rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{}, rg.today, rg.pr); len(r.Members) != 4 {
		t.Errorf("after rejoining, %d councils share", len(r.Members))
	}
}

// TestOneCouncil: asking for one sharing council shows it alone, with its
// own counts under the same control.
func TestOneCouncil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 600)
	r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, analytics.Filter{LAID: 352}, rg.today, rg.pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Benchmark) != 1 || r.Benchmark[0].Council != "Manchester" || len(r.Bands.Rows) != 1 || len(r.Delay) != 1 {
		t.Fatalf("one council: %d rows, bands %v, delay %d", len(r.Benchmark), r.Bands.Rows, len(r.Delay))
	}
	var n int
	if err := rg.pool.QueryRow(ctx, `SELECT count(DISTINCT c.child_id) FROM children c JOIN care_periods cp USING (la_id, child_id)
		WHERE c.la_id = 352 AND cp.started_on <= $1 AND (cp.ended_on IS NULL OR cp.ended_on > $1)`, rg.today).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// The same children, however asked, get the same published count.
	if d := r.Benchmark[0].Children.N - n; r.Pooled.Children != r.Benchmark[0].Children || d < -3 || d > 3 {
		t.Errorf("Manchester: %d (region row %d); want %d ± 3, the same both times", r.Benchmark[0].Children.N, r.Pooled.Children.N, n)
	}
}
