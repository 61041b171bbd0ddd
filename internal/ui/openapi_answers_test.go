package ui_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// TestAPIAnswersMatchOpenAPI checks the answers of the main routes, reads and
// the new writes, from the running server over the demo region against the
// schemas of internal/api/openapi.json. It uses pb33f/libopenapi with
// libopenapi-validator: the document is OpenAPI 3.1 (JSON Schema 2020-12,
// type arrays for nulls), which they implement in full, where kin-openapi's
// 3.1 support is partial. The document itself is validated in internal/api.
func TestAPIAnswersMatchOpenAPI(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json cannot be built into a validator: %v", errs)
	}
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	tm := b.signIn(t, teamManager)
	sw := b.signIn(t, socialWorker)
	court := b.signIn(t, "court.officer@manchester.demo.hearth.test")
	admin := b.signIn(t, "la.admin@manchester.demo.hearth.test")
	child := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 ORDER BY child_id LIMIT 1")
	cases := b.scalar(t, "SELECT proceeding_id FROM proceedings WHERE la_id = 352 ORDER BY 1 LIMIT 1")
	mine := b.swChild(t)
	var start time.Time
	var version int32
	if err := b.pool.QueryRow(t.Context(), `SELECT started_on, version FROM episodes WHERE child_id = $1 AND ended_on IS NULL`, mine).Scan(&start, &version); err != nil {
		t.Fatal(err)
	}
	ref := b.text(t, `SELECT c.child_ref FROM children c WHERE c.la_id = 352 AND NOT EXISTS (
		SELECT 1 FROM proceeding_children pc JOIN proceedings p USING (la_id, proceeding_id) WHERE pc.child_id = c.child_id AND p.concluded_on IS NULL)
		ORDER BY c.child_id LIMIT 1`)
	worker := b.scalar(t, `SELECT user_id FROM users WHERE email = $1`, socialWorker)
	// The allocation goes to another of the council's social workers: the child is already worker's.
	otherWorker := b.scalar(t, `SELECT min(user_id) FROM role_assignments WHERE role = 'social_worker' AND la_id = 352 AND user_id <> $1`, worker)
	var newCase int64
	tests := []struct {
		c            *http.Client
		method, path string
		body         any
		want         int
	}{
		{tm, "GET", "/api/v1/children?council=352", nil, 200},
		{tm, "GET", "/api/v1/children/" + itoa(child), nil, 200},
		{tm, "GET", "/api/v1/children/" + itoa(child) + "/needs", nil, 200},
		{tm, "GET", "/api/v1/children/" + itoa(child) + "/placements", nil, 200},
		{tm, "GET", "/api/v1/reviews/overdue", nil, 200},
		{comm, "GET", "/api/v1/providers", nil, 200},
		{comm, "GET", "/api/v1/analytics?la=352&as_of=2026-03-31", nil, 200},
		{court, "GET", "/api/v1/delay?la=352", nil, 200},
		{court, "GET", "/api/v1/proceedings/" + itoa(cases), nil, 200},
		{tm, "GET", "/api/v1/children/999999999", nil, 404},
		{court, "POST", "/api/v1/proceedings", map[string]any{"council": 352, "case_number": "MA26C66666", "court": "Manchester Family Court",
			"children": []string{ref}, "issued_on": "2026-01-10"}, 201},
		{court, "POST", "/api/v1/proceedings", map[string]any{"council": 352, "case_number": "MA26C66667", "court": "Manchester Family Court",
			"children": []string{ref}, "issued_on": "2026-01-10", "final_order": "Care", "concluded_on": "2026-03-01"}, 422},
		{court, "POST", "/api/v1/proceedings/{new}/hearings", map[string]any{"held_on": "2026-05-12", "kind": "irh"}, 201},
		{court, "POST", "/api/v1/proceedings/{new}/experts", map[string]any{"kind": "parenting", "commissioned_on": "2026-01-20", "cost_pence": 450000}, 201},
		{admin, "POST", "/api/v1/delay/parameters", map[string]any{"council": 352, "effective_from": "2027-04-01", "target_weeks": 26, "standard_hearings": 3.5,
			"legal_pence_per_hearing": 150000, "sw_hours_per_week": 6, "sw_pence_per_hour": 5000, "contact_hours_per_week": 3, "contact_pence_per_hour": 4000,
			"placement_pence_per_week": 100000}, 201},
		{sw, "POST", "/api/v1/children/" + itoa(mine) + "/placements/moves", map[string]any{"from": start.Format(time.DateOnly), "version": version, "on": "2026-03-20",
			"place": "U6", "provider_kind": "PR1", "reason": "CARPL", "postcode": "M14", "weekly_pence": 61240}, 201},
		{sw, "POST", "/api/v1/children/" + itoa(mine) + "/missing", map[string]any{"kind": "M", "started_on": "2026-03-22", "ended_on": "2026-03-23"}, 201},
		{tm, "POST", "/api/v1/children/" + itoa(mine) + "/placements/2026-03-20/pds", map[string]any{"record": pdsCells()}, 201},
		{tm, "PUT", "/api/v1/children/" + itoa(mine) + "/placements/2026-03-20/pds", map[string]any{"record": pdsCells(), "version": 1}, 200},
		{tm, "PUT", "/api/v1/children/" + itoa(mine) + "/placements/2026-03-20/pds", map[string]any{"record": pdsCells(), "version": 1}, 409},
		{tm, "GET", "/api/v1/children/" + itoa(mine) + "/placements/2026-03-20/pds", nil, 200},
		{comm, "GET", "/api/v1/pds/return?council=352&quarter=2026Q1", nil, 200},
		{sw, "GET", "/api/v1/pds/return?council=352&quarter=2026Q1", nil, 403},
		{admin, "PUT", "/api/v1/settings/needs", map[string]any{"council": 352, "review": map[string]any{"review_months": 6, "review_months_after_move": 3}}, 200},
		{tm, "POST", "/api/v1/children/" + itoa(mine) + "/allocation", map[string]any{"worker": otherWorker, "allocated_on": "2026-03-30", "reason": "Handed over after the worker moved team"}, 200},
	}
	for _, tt := range tests {
		path := tt.path
		if newCase != 0 {
			path = strings.ReplaceAll(path, "{new}", itoa(newCase))
		}
		var raw []byte
		if tt.body != nil {
			raw, _ = json.Marshal(tt.body)
		}
		req, err := http.NewRequest(tt.method, b.ts.URL+path, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := tt.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("%s %s: %d %s; want %d", tt.method, path, res.StatusCode, body, tt.want)
			continue
		}
		if tt.method == "POST" && path == "/api/v1/proceedings" && res.StatusCode == 201 {
			var c struct {
				Proceeding struct {
					ID int64 `json:"proceeding_id"`
				} `json:"proceeding"`
			}
			_ = json.Unmarshal(body, &c)
			newCase = c.Proceeding.ID
		}
		check, _ := http.NewRequest(tt.method, b.ts.URL+path, bytes.NewReader(raw))
		check.Header.Set("Content-Type", "application/json")
		res.Body = io.NopCloser(bytes.NewReader(body))
		if ok, verrs := v.ValidateHttpResponse(check, res); !ok {
			for _, e := range verrs {
				t.Errorf("%s %s (%d) does not match openapi.json: %s: %s", tt.method, path, res.StatusCode, e.Message, e.Reason)
				for _, se := range e.SchemaValidationErrors {
					t.Errorf("    %s at %s", se.Reason, se.FieldPath)
				}
			}
		}
	}
	if newCase == 0 {
		t.Error("the case was not created, so its hearing and expert were not checked")
	}
}

// pdsCells is a Placements Data Standard record's answers as the API takes them.
func pdsCells() map[string]string {
	v := pdsForm("0")
	out := map[string]string{}
	for k := range v {
		if k != "version" {
			out[k] = v.Get(k)
		}
	}
	out["referral_date"] = "2026-03-18"
	return out
}
