package ui_test

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestRegionForecastPages: an RCC analyst sees the regional forecast page,
// its JSON and CSV, as published (withheld figures as c, every CSV row with
// its basis); council staff are refused the regional forecast and the RCC
// analyst every council's own forecast, and the refusals are audited.
func TestRegionForecastPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	an := b.signIn(t, "rcc.analyst@gm-rcc.demo.hearth.test")
	const q = "rcc=gm-rcc&as_of=2026-03-31&months=6&seed=2"
	res, body := b.get(t, an, "/region/forecast?"+q)
	if res.StatusCode != 200 {
		t.Fatalf("regional forecast page: %d: %.300s", res.StatusCode, body)
	}
	for _, want := range []string{`id="region-forecast-total-chart"`, `id="region-forecast-table"`, `id="region-forecast-stock"`, "As of:</strong> 2026-03-31",
		"Reference window:</strong> 2023-03-31", "Manchester, Salford, Stockport and Trafford", "cell key perturbation", ">c<",
		`id="region-forecast-intervals"`, "widened for the model&#39;s own error"} {
		if !strings.Contains(body, want) {
			t.Errorf("regional forecast page lacks %q", want)
		}
	}
	_, js := b.get(t, an, "/api/v1/region/forecast?"+q)
	var v struct {
		Councils  []string `json:"councils"`
		Widened   bool     `json:"intervals_widened"`
		Intervals string   `json:"intervals"`
		Months    []struct {
			Total struct {
				Mean struct {
					Value      float64 `json:"value"`
					Suppressed bool    `json:"suppressed"`
				} `json:"mean"`
			} `json:"total"`
		} `json:"months"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("regional forecast JSON: %v: %.200s", err, js)
	}
	if !v.Widened || !strings.Contains(v.Intervals, "widened") {
		t.Errorf("regional forecast JSON does not say its intervals are widened: %v %q", v.Widened, v.Intervals)
	}
	if len(v.Councils) != 4 || len(v.Months) != 6 || v.Months[5].Total.Mean.Suppressed || int(v.Months[5].Total.Mean.Value)%5 != 0 || v.Months[5].Total.Mean.Value < 50 {
		t.Errorf("regional forecast JSON: councils %v, %d months, last total %+v", v.Councils, len(v.Months), v.Months)
	}
	_, body = b.get(t, an, "/api/v1/region/forecast.csv?"+q)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	demand := 0
	for _, r := range recs[1:] {
		if r[2] == "total" || r[2] == "category" || r[2] == "age band" {
			demand++
		}
	}
	if want := 6 * (1 + 4 + 5); demand != want {
		t.Fatalf("regional forecast CSV has %d rows of children in care; want %d", demand, want)
	}
	var withheld int
	for i, r := range recs[1:] {
		if r[11] != "2026-03-31" || r[12] != "2023-03-31" || !strings.Contains(r[9], "Greater Manchester") || !strings.Contains(r[10], "rounded to the nearest 5") || r[15] != "1000" || r[16] != "2" || r[18] != "widened for model error" {
			t.Fatalf("CSV row %d does not state its basis: %v", i+2, r)
		}
		if r[4] == "c" {
			withheld++
		}
	}
	if withheld == 0 {
		t.Error("no regional forecast figure withheld in a 120-child region: small groups must show c")
	}
	for _, tc := range []struct {
		who, path string
		want      int
	}{
		{"commissioner@manchester.demo.hearth.test", "/region/forecast?" + q, 403},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/region/forecast?" + q, 403},
		{"la.analyst@manchester.demo.hearth.test", "/api/v1/region/forecast.csv?" + q, 403},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/forecast?la=352", 403},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/api/v1/forecast?la=355", 403},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/api/v1/forecast.csv?la=356", 403},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/region/forecast?rcc=nowhere", 422},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/region/forecast?months=0", 422},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/region/forecast?entrants_pct=lots", 422},
		{"rcc.analyst@gm-rcc.demo.hearth.test", "/api/v1/region/forecast?step_down_pct=150", 422},
		{"commissioner@manchester.demo.hearth.test", "/region/forecast?entrants_pct=-10", 403},
	} {
		c := b.signIn(t, tc.who)
		if res, _ := b.get(t, c, tc.path); res.StatusCode != tc.want {
			t.Errorf("%s %s: %d; want %d", tc.who, tc.path, res.StatusCode, tc.want)
		}
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'region_forecast' AND outcome = 'ok'`); n != 3 {
		t.Errorf("%d regional forecast views audited; want 3", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'region_forecast' AND outcome = 'denied'`); n < 3 {
		t.Errorf("%d refusals of the regional forecast audited; want at least 3", n)
	}
}
