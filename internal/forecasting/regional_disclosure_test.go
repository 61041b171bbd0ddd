package forecasting_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestRegionalSharedInputsStayPut: what a council shares for the regional
// forecast (its model's statistics with the trend bins by part of the
// window, the backtest and calibration sums) holds small counts, so none of
// it may reach anyone but the council and the regional computation:
//   - another member council's scope, and a scope of no council (an RCC
//     analyst's), read none of a council's shared rows (row-level security);
//   - no published output carries a raw statistic: the regional JSON has
//     no bins, exposure, events, trend, drift or calibration;
//   - the set of councils does not depend on the as-of date, so an analyst
//     cannot ask for the region with and without a council (either side of
//     the day its agreement started) and difference the two.
func TestRegionalSharedInputsStayPut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rg := setup(t, 240)
	// Trafford's agreement starts later than the others'; it is in force
	// today on every awkward test date.
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := rg.pool.Exec(postgres.WithCouncils(ctx, postgres.OnlyCouncils(358)), "UPDATE sharing_agreements SET starts_on = $1 WHERE la_id = 358", start); err != nil {
		t.Fatal(err)
	}
	var before, on *forecasting.Regional
	for _, d := range []struct {
		asOf time.Time
		out  **forecasting.Regional
	}{{start.AddDate(0, 0, -1), &before}, {start, &on}} {
		p := forecasting.Defaults(d.asOf)
		p.Months = 3
		r, err := rg.svc.Region(ctx, rg.users[analyst], rg.rcc, p)
		if err != nil {
			t.Fatal(err)
		}
		*d.out = r
	}
	if strings.Join(before.Councils, ",") != strings.Join(on.Councils, ",") || len(on.Councils) != 4 {
		t.Errorf("councils as of %s: %v; as of %s: %v: a council in one and not the other can be differenced out",
			start.AddDate(0, 0, -1).Format(time.DateOnly), before.Councils, start.Format(time.DateOnly), on.Councils)
	}

	// The shared rows exist (the forecasts shared them) ...
	var mine int
	if err := rg.pool.QueryRow(postgres.WithCouncils(ctx, postgres.OnlyCouncils(358)),
		"SELECT count(*) FROM forecast_shared_inputs WHERE la_id = 358 AND stats ? 'Bins' AND aggregates ? 'calibration'").Scan(&mine); err != nil {
		t.Fatal(err)
	}
	if mine == 0 {
		t.Fatal("Trafford shared no inputs with trend bins and calibration sums: nothing to protect in this test")
	}
	// ... and only Trafford's own scope reads them.
	for _, sc := range []struct {
		who string
		ctx context.Context
	}{
		{"Manchester (another member)", postgres.WithCouncils(ctx, postgres.OnlyCouncils(352))},
		{"Salford and Stockport", postgres.WithCouncils(ctx, postgres.OnlyCouncils(355, 356))},
		{"no council (an RCC analyst's scope)", postgres.WithCouncils(ctx, postgres.OnlyCouncils())},
	} {
		var n int
		if err := rg.pool.QueryRow(sc.ctx, "SELECT count(*) FROM forecast_shared_inputs WHERE la_id = 358").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s read %d of Trafford's shared forecast rows", sc.who, n)
		}
	}

	js, err := json.Marshal(on)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				keys = append(keys, strings.ToLower(k))
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	walk(doc)
	if len(keys) < 20 {
		t.Fatalf("the regional JSON has %d keys: the walk found nothing", len(keys))
	}
	for _, k := range keys {
		for _, raw := range []string{"bins", "exposure", "events", "entries", "trend", "drift", "calibration", "stats", "sumsq"} {
			if k == raw {
				t.Errorf("the published regional forecast carries a raw shared statistic %q", k)
			}
		}
	}
}
