package sharing

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// TestExtractKAnonymousAtScale: on a 20,000-child region the extract
// leaves no combination of quasi-identifiers with fewer than k rows, for the
// default k and a stricter one, and says how many rows it generalised and
// left out.
func TestExtractKAnonymousAtScale(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("loads a 20,000-child region: run without -short or -race")
	}
	ctx := context.Background()
	pool := dbtest.New(t)
	day := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	// The extract is of the children in care on the day, so the region's
	// former children (46,000 more at this size, tripling the load) are left
	// out here; the demo-sized sharing tests load them.
	reg := demo.Generate(demo.Options{Seed: 3, Children: 20000, AsOf: day})
	reg.Former = nil
	if err := demo.Load(ctx, pool, reg); err != nil {
		t.Fatal(err)
	}
	if err := analytics.RefreshCurrent(ctx, pool, day); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s := New(pool, az)
	s.Now = func() time.Time { return day }
	var rcc int32
	if err := pool.QueryRow(ctx, "SELECT rcc_id FROM regional_cooperatives WHERE code = 'gm-rcc'").Scan(&rcc); err != nil {
		t.Fatal(err)
	}
	p, err := s.load(ctx, rcc, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{5, 10} {
		levels, ok, st := anonymise(p.kids, p.providers, k)
		var b bytes.Buffer
		if err := writeExtract(&b, p, day, levels, ok); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if bad := RareCombinations(recs, k); len(bad) > 0 || len(recs)-1 != st.Rows || st.Rows+st.Suppressed != len(p.kids) {
			t.Errorf("k = %d: %d rare combinations, %d rows written, stats %+v", k, len(bad), len(recs)-1, st)
		}
		t.Logf("%d children, k = %d: %d rows written, %d generalised %v, %d left out", len(p.kids), k, st.Rows, st.Generalised, st.ByColumn, st.Suppressed)
	}
}
