package ui_test

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestForecastPages: a Manchester commissioner sees the council's forecast
// on the page, in JSON and in CSV, the same figures in each, every figure
// stating its population, window, as-of date and parameters; another
// council's forecast, a social worker and bad parameters are refused, and
// views and refusals are audited against the council asked for.
func TestForecastPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	const q = "la=352&as_of=2026-03-31&months=12&seed=3"
	res, body := b.get(t, comm, "/forecast?"+q)
	if res.StatusCode != 200 {
		t.Fatalf("forecast page: %d", res.StatusCode)
	}
	for _, want := range []string{`id="forecast-total-chart"`, `id="forecast-table"`, "Reference window:</strong> 2023-03-31 to 2026-03-31", "As of:</strong> 2026-03-31", "1000 simulated paths, seed 3", "looked after by Manchester"} {
		if !strings.Contains(body, want) {
			t.Errorf("forecast page lacks %q", want)
		}
	}
	if n := strings.Count(body[strings.Index(body, `id="forecast-table"`):], `<tr class="govuk-table__row"><td`); n < 12 {
		t.Errorf("forecast table has %d month rows; want at least 12", n)
	}
	_, js := b.get(t, comm, "/api/v1/forecast?"+q)
	var v struct {
		AsOf       string `json:"as_of"`
		WindowFrom string `json:"window_from"`
		Population string `json:"population"`
		Months     []struct {
			Date  string `json:"month_end"`
			Total struct {
				Mean, P10, P90 float64
			} `json:"total"`
			Spend *struct {
				Total      float64 `json:"total"`
				SocialCare float64 `json:"social_care"`
				Education  float64 `json:"education"`
				Health     float64 `json:"health"`
			} `json:"spend"`
		} `json:"months"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("forecast JSON: %v: %.200s", err, js)
	}
	if len(v.Months) != 12 || v.AsOf != "2026-03-31" || v.WindowFrom != "2023-03-31" || !strings.Contains(v.Population, "Manchester") {
		t.Fatalf("forecast JSON: %d months, as of %q, window from %q, population %q", len(v.Months), v.AsOf, v.WindowFrom, v.Population)
	}
	if sp := v.Months[0].Spend; sp == nil || sp.Total <= 0 || math.Abs(sp.SocialCare+sp.Education+sp.Health-sp.Total) > 0.01*sp.Total || sp.Education+sp.Health <= 0 {
		t.Errorf("first month's spend %+v: want a total split into social care, education and health", sp)
	}
	if m := v.Months[11].Total; !(m.P10 <= m.Mean && m.Mean <= m.P90) || m.P90 <= m.P10 {
		t.Errorf("12-month total %+v: the mean is not inside a real 80%% interval", m)
	}
	_, body = b.get(t, comm, "/api/v1/forecast.csv?"+q)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 12*(1+4+5); len(recs) != want {
		t.Fatalf("forecast CSV has %d rows; want %d", len(recs), want)
	}
	for i, r := range recs[1:] {
		if r[13] != "2026-03-31" || r[14] != "2023-03-31" || !strings.Contains(r[12], "Manchester") || r[17] != "1000" || r[18] != "3" {
			t.Fatalf("CSV row %d does not state its basis: %v", i+2, r)
		}
	}
	if mean, _ := strconv.ParseFloat(recs[1][4], 64); recs[1][2] != "total" || strconv.FormatFloat(v.Months[0].Total.Mean, 'f', 2, 64) != strconv.FormatFloat(mean, 'f', 2, 64) {
		t.Errorf("CSV first total %v; JSON %.2f", recs[1][4], v.Months[0].Total.Mean)
	}
	views := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'forecast' AND la_id = 352 AND outcome = 'ok'`)
	if views < 3 {
		t.Errorf("%d forecast views and exports audited against Manchester; want 3", views)
	}
	for _, tc := range []struct {
		who, path string
		want      int
	}{
		{"commissioner@manchester.demo.hearth.test", "/forecast?la=358", 403},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/forecast?la=358", 403},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/forecast.csv?la=358", 403},
		{"commissioner@manchester.demo.hearth.test", "/forecast?la=352&months=0", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/forecast?la=352&paths=5", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/forecast?la=352&as_of=yesterday", 422},
		{"commissioner@manchester.demo.hearth.test", "/api/v1/forecast", 422},
		{"social.worker@manchester.demo.hearth.test", "/forecast?la=352", 403},
	} {
		c := b.signIn(t, tc.who)
		if res, _ := b.get(t, c, tc.path); res.StatusCode != tc.want {
			t.Errorf("%s %s: %d; want %d", tc.who, tc.path, res.StatusCode, tc.want)
		}
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'forecast' AND la_id = 358 AND outcome = 'denied'`); n != 3 {
		t.Errorf("%d refusals audited against Trafford; want 3", n)
	}
}

// TestForecastScenarios: a commissioner saves a named scenario; an analyst
// of the same council sees it beside the baseline; a duplicate name, a
// non-number and another council are refused, and the refusal is audited.
func TestForecastScenarios(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	form := url.Values{"la": {"352"}, "as_of": {"2026-03-31"}, "name": {"Step down a quarter"}, "step_down_pct": {"25"}, "in_house_carers": {"5"}}
	if res := b.postForm(t, comm, "/forecast/scenarios", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving a scenario: %d", res.StatusCode)
	}
	if res := b.postForm(t, comm, "/forecast/scenarios", form); res.StatusCode != 422 {
		t.Errorf("the same name again: %d; want 422", res.StatusCode)
	}
	bad := url.Values{"la": {"352"}, "name": {"Bad"}, "entrants_pct": {"lots"}}
	if res := b.postForm(t, comm, "/forecast/scenarios", bad); res.StatusCode != 422 {
		t.Errorf("a non-number: %d; want 422", res.StatusCode)
	}
	other := url.Values{"la": {"358"}, "name": {"Not ours"}, "step_down_pct": {"10"}}
	if res := b.postForm(t, comm, "/forecast/scenarios", other); res.StatusCode != 403 {
		t.Errorf("a scenario for Trafford: %d; want 403", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT count(*) FROM forecast_scenarios WHERE la_id = 358`); n != 0 {
		t.Errorf("%d scenarios saved for Trafford; want 0", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE entity = 'forecast_scenario' AND la_id = 358 AND outcome = 'denied'`); n != 1 {
		t.Errorf("%d refused saves audited against Trafford; want 1", n)
	}
	an := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	res, body := b.get(t, an, "/forecast?la=352&as_of=2026-03-31&months=12")
	if res.StatusCode != 200 || !strings.Contains(body, `id="scenario-table"`) || !strings.Contains(body, "Step down a quarter") {
		t.Fatalf("the analyst does not see the commissioner's scenario: %d", res.StatusCode)
	}
	i := strings.Index(body, "Step down a quarter")
	row := body[i:min(len(body), i+1500)]
	if !strings.Contains(row, "step down 25% of candidates") || !strings.Contains(row, "5 new in-house foster carers") {
		t.Errorf("the scenario row does not name its levers: %.400s", row)
	}
	sw := b.signIn(t, "social.worker@manchester.demo.hearth.test")
	if res := b.postForm(t, sw, "/forecast/scenarios", url.Values{"la": {"352"}, "name": {"SW"}}); res.StatusCode != 403 {
		t.Errorf("a social worker saving a scenario: %d; want 403", res.StatusCode)
	}
}
