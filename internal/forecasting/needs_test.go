package forecasting_test

import (
	"context"
	"testing"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/postgres"
)

// TestCouncilForecastNeedBands: a council's forecast carries need band as a
// state. On the as-of date the need-band model's children by band are the
// children in care under 18 by the band of their latest approved assessment
// as the analytics snapshot (an independent query) has them, "not assessed"
// included; every forecast month's children by need band add up to its
// children by category and age band; and the spend by need band is priced
// from those projected bands (its need bands are the model's).
func TestCouncilForecastNeedBands(t *testing.T) {
	t.Parallel()
	rg := setup(t, 240)
	p := forecasting.Defaults(rg.today)
	p.Months = 12
	res, err := forecasting.Build(context.Background(), rg.pool, 352, p)
	if err != nil {
		t.Fatal(err)
	}
	nm := res.Needs
	if nm == nil || res.Forecast.NeedBands == nil {
		t.Fatal("the council forecast has no need-band model")
	}
	k := len(nm.Bands)
	got := map[string]float64{}
	for s, n := range nm.Start {
		got[nm.Bands[s%k]] += n
	}
	ctx := postgres.WithCouncils(context.Background(), postgres.OnlyCouncils(352))
	kids, err := analytics.Snapshot(ctx, db.New(rg.pool), []int32{352}, rg.today)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, kid := range kids {
		if kid.Age < 18 {
			want[kid.Band]++
		}
	}
	assessed := 0.0
	for band, n := range want {
		if got[band] != n {
			t.Errorf("need band %q on the as-of date: %g in the model; %g in the snapshot", band, got[band], n)
		}
		if band != forecast.NeedUnknown {
			assessed += n
		}
	}
	if assessed == 0 || len(want) < 3 {
		t.Fatalf("the demo council has %g assessed children in %d bands; the test needs several", assessed, len(want))
	}
	for i, mo := range res.Forecast.Months {
		for c := range forecast.NumCategories {
			for b := range forecast.NumAgeBands {
				var s float64
				for _, v := range mo.Need {
					s += v[c][b]
				}
				if d := s - mo.Mix[c][b]; d > 1e-9 || d < -1e-9 {
					t.Errorf("month %d, %s %s: need bands add to %.6f; mix %.6f", i+1, forecast.Category(c), forecast.AgeBand(b), s, mo.Mix[c][b])
				}
			}
		}
	}
	if res.Spend == nil {
		t.Fatal("no spend")
	}
	for band := range res.Spend[len(res.Spend)-1].Need {
		if _, ok := res.Forecast.Months[len(res.Spend)-1].Need[band]; !ok {
			t.Errorf("spend priced need band %q, which the forecast does not project", band)
		}
	}
	v := forecasting.ViewOf(res)
	if v.NeedBasis == "" || len(v.Months[0].NeedBands) == 0 {
		t.Errorf("the view states no need basis (%q) or no need bands (%v)", v.NeedBasis, v.Months[0].NeedBands)
	}
}
