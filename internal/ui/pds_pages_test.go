package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// pdsForm is a complete answer to the record's questions.
func pdsForm(version string) url.Values {
	v := url.Values{"version": {version}, "when_placement_is_needed_by": {"lt-5-days"}, "communication_needs": {"no"},
		"specific_communication_requirements": {"none"}, "home_adaptation": {"no"}, "cultural_needs": {"not-known"},
		"living_companions": {"no-preference"}, "pets": {"yes-can"}, "foster_care_suitability": {"preferred"},
		"residential_care_suitability": {"unsuitable"}, "supported_accommodation_suitability": {"unsuitable"},
		"is_preferred_location_local": {"yes"}, "education_continuity": {"yes"}, "siblings_placed_together": {"0"},
		"referral_date": {"2020-01-01"}, "cost_total_weekly": {"900.00"}, "cost_date": {"2020-01-01"},
		"placement_location": {"M14"}, "provider_urn": {"SC000001"}, "placement_type": {"foster"}}
	for _, r := range []string{"risk_self_harm", "risk_sexual_exploitation", "risk_criminal_exploitation", "risk_drug_alcohol",
		"risk_eating_disorder", "risk_missing", "risk_to_others_physical", "risk_to_others_sexual", "risk_to_others_fire",
		"risk_to_others_animals", "risk_to_others_criminal"} {
		v.Set(r, "no-known-risk")
	}
	return v
}

// TestPDSRecordPages: a manager records a placement's standard record on
// the form reached from the child's page; a wrong code is refused naming
// the field and the valid values; another council's manager gets 404
// (audited against the child's council); a social worker cannot download
// the return, by page or API.
func TestPDSRecordPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	var child int64
	var start time.Time
	if err := b.pool.QueryRow(ctx, `SELECT child_id, started_on FROM placements WHERE la_id = 352 AND ended_on IS NULL
		AND place IN ('U4','U5','U6','K2') ORDER BY child_id LIMIT 1`).Scan(&child, &start); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/children/%d/placements/%s/pds", child, start.Format(time.DateOnly))
	tm := b.signIn(t, teamManager)
	if _, body := b.get(t, tm, fmt.Sprintf("/children/%d", child)); !strings.Contains(body, path) {
		t.Fatalf("the child's page has no link to %s", path)
	}
	res, body := b.get(t, tm, path)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="pds-form"`) {
		t.Fatalf("form: %d", res.StatusCode)
	}
	bad := pdsForm("0")
	bad.Set("pets", "cats")
	req, _ := http.NewRequest("POST", b.ts.URL+path, strings.NewReader(bad.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r2, err := tm.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(r2.Body)
	r2.Body.Close()
	if r2.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(buf.String(), "yes-must, yes-can, no, not-known") {
		t.Fatalf("bad code: %d; want 422 naming the valid values", r2.StatusCode)
	}
	if res := b.postForm(t, tm, path, pdsForm("0")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT count(*) FROM pds_records WHERE la_id = 352 AND child_id = $1`, child); n != 1 {
		t.Fatalf("%d records saved; want 1", n)
	}
	// A second save from the same (now stale) page conflicts.
	if res := b.postForm(t, tm, path, pdsForm("0")); res.StatusCode != http.StatusConflict {
		t.Errorf("stale save: %d; want 409", res.StatusCode)
	}
	other := b.signIn(t, "team.manager@salford.demo.hearth.test")
	if res, _ := b.get(t, other, path); res.StatusCode != http.StatusNotFound {
		t.Errorf("another council's manager: %d; want 404", res.StatusCode)
	}
	if res, _ := b.get(t, other, "/api"+"/v1"+path); res.StatusCode != http.StatusNotFound {
		t.Errorf("another council's manager by API: %d; want 404", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND outcome = 'not_found' AND entity_id = $1`, fmt.Sprint(child)); n < 2 {
		t.Errorf("%d refusals audited against Manchester; want 2", n)
	}
	sw := b.signIn(t, socialWorker)
	if res, _ := b.get(t, sw, "/pds"); res.StatusCode != http.StatusForbidden {
		t.Errorf("social worker /pds: %d; want 403", res.StatusCode)
	}
	if res, _ := b.get(t, sw, "/api/v1/pds/return?council=352&quarter=2026Q1"); res.StatusCode != http.StatusForbidden {
		t.Errorf("social worker export: %d; want 403", res.StatusCode)
	}
	an := b.signIn(t, "la.analyst@manchester.demo.hearth.test")
	if res, _ := b.get(t, an, "/pds"); res.StatusCode != http.StatusOK {
		t.Errorf("analyst /pds: %d", res.StatusCode)
	}
	q := fmt.Sprintf("%dQ%d", start.Year(), (int(start.Month())-1)/3+1)
	res, body = b.get(t, an, "/api/v1/pds/return?council=352&quarter="+q)
	if res.StatusCode != http.StatusOK || strings.Count(body, "\n") != 2 || !strings.HasPrefix(body, "child_ID,when_placement_is_needed_by,") {
		t.Fatalf("analyst export: %d\n%s", res.StatusCode, body)
	}
	// The needs-and-costs page counts it among preferred against used.
	if res, body := b.get(t, an, "/analytics?council=352"); res.StatusCode != http.StatusOK || !strings.Contains(body, `id="preferred-actual"`) ||
		!strings.Contains(body, ": 1 records.") {
		t.Errorf("analytics page: %d; want the standard's figures over 1 record", res.StatusCode)
	}
	// The API twin reads the record back with the version to correct it at.
	res, body = b.get(t, tm, "/api/v1"+path)
	var got struct {
		Version int               `json:"version"`
		Record  map[string]string `json:"record"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || res.StatusCode != 200 || got.Version != 1 || got.Record["pets"] != "yes-can" {
		t.Fatalf("API get: %d %v %+v", res.StatusCode, err, got)
	}
}
