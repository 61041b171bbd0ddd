package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// problemOn returns the message the 422 answer gives for field, or "".
func problemOn(body map[string]any, field string) string {
	ps, _ := body["problems"].([]any)
	for _, p := range ps {
		m, _ := p.(map[string]any)
		if m["field"] == field {
			msg, _ := m["message"].(string)
			return msg
		}
	}
	return ""
}

// TestCaseWritesAPI drives the API twins of the care-case forms: success,
// a validation failure naming the field (and listing valid codes), a denial
// for another council's court officer audited against the case's council,
// and a version conflict.
func TestCaseWritesAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	co := b.signIn(t, "court.officer@manchester.demo.hearth.test")
	child := b.text(t, `SELECT c.child_ref FROM children c WHERE c.la_id = 352 AND NOT EXISTS (
		SELECT 1 FROM proceeding_children pc JOIN proceedings p USING (la_id, proceeding_id) WHERE pc.child_id = c.child_id AND p.concluded_on IS NULL)
		ORDER BY c.child_id LIMIT 1`)
	newCase := map[string]any{"council": 352, "case_number": "MA26C77777", "court": "Manchester Family Court", "children": []string{child}, "issued_on": "2026-01-10"}
	status, c := b.sendJSON(t, co, "POST", "/api/v1/proceedings", newCase)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	p := c["proceeding"].(map[string]any)
	id := int64(p["proceeding_id"].(float64))
	if p["case_number"] != "MA26C77777" || p["version"].(float64) != 1 || len(c["children"].([]any)) != 1 {
		t.Errorf("created case: %v", p)
	}
	with := func(base map[string]any, kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	upd := with(newCase, "version", 1, "court", "Manchester Civil Justice Centre")
	delete(upd, "council")
	caseURL := fmt.Sprintf("/api/v1/proceedings/%d", id)
	hearings, experts := caseURL+"/hearings", caseURL+"/experts"
	salford := b.signIn(t, "court.officer@salford.demo.hearth.test")
	commissioner := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	tests := []struct {
		name         string
		c            *http.Client
		method, path string
		body         map[string]any
		want         int
		field, says  string // for a 422: the field named and words its message has
	}{
		{"update", co, "PUT", caseURL, upd, 200, "", ""},
		{"update with the version read before", co, "PUT", caseURL, upd, 409, "", ""},
		{"update without a version", co, "PUT", caseURL, with(upd, "version", 0), 422, "version", "version"},
		{"create without a council", co, "POST", "/api/v1/proceedings", with(newCase, "council", 0, "case_number", "MA26C77778"), 422, "council", "council"},
		{"create with an unknown final order", co, "POST", "/api/v1/proceedings", with(newCase, "case_number", "MA26C77779", "concluded_on", "2026-03-01", "final_order", "Care"), 422,
			"final_order", "one of care, child_arrangements, no_order, placement, sgo, supervision, withdrawn"},
		{"create with a bad date", co, "POST", "/api/v1/proceedings", with(newCase, "issued_on", "10/01/2026"), 422, "issued_on", "not a date"},
		{"create with an unknown field", co, "POST", "/api/v1/proceedings", with(newCase, "isued_on", "2026-01-10"), 422, "body", "unknown field"},
		{"commissioner creates", commissioner, "POST", "/api/v1/proceedings", with(newCase, "case_number", "MA26C77780"), 403, "", ""},
		{"another council updates", salford, "PUT", caseURL, with(upd, "version", 2), 404, "", ""},
		{"hearing kind in capitals", co, "POST", hearings, map[string]any{"held_on": "2026-01-22", "kind": "CMH", "outcome": "effective"}, 422,
			"kind", "one of cmh, fcmh, final, irh, other"},
		{"hearing outcome unknown", co, "POST", hearings, map[string]any{"held_on": "2026-01-22", "kind": "cmh", "outcome": "done"}, 422,
			"outcome", "one of adjourned, effective, vacated"},
		{"hearing before issue", co, "POST", hearings, map[string]any{"held_on": "2026-01-01", "kind": "cmh", "outcome": "effective"}, 422, "held_on", "before the case was issued"},
		{"adjourned hearing without a reason", co, "POST", hearings, map[string]any{"held_on": "2026-01-22", "kind": "cmh", "outcome": "adjourned"}, 422, "reason", "adjourned"},
		{"hearing", co, "POST", hearings, map[string]any{"held_on": "2026-01-22", "kind": "cmh", "outcome": "effective"}, 201, "", ""},
		{"future hearing with an outcome", co, "POST", hearings, map[string]any{"held_on": "2026-05-12", "kind": "irh", "outcome": "effective"}, 422, "outcome", "record the outcome after that day"},
		{"future hearing, listed", co, "POST", hearings, map[string]any{"held_on": "2026-05-12", "kind": "irh"}, 201, "", ""},
		{"hearing today, listed", co, "POST", hearings, map[string]any{"held_on": "2026-03-31", "kind": "fcmh"}, 201, "", ""},
		{"another council adds a hearing", salford, "POST", hearings, map[string]any{"held_on": "2026-01-29", "kind": "cmh", "outcome": "effective"}, 404, "", ""},
		{"expert without a cost", co, "POST", experts, map[string]any{"kind": "parenting", "commissioned_on": "2026-01-20"}, 422, "cost_pence", "pence"},
		{"expert with a negative cost", co, "POST", experts, map[string]any{"kind": "parenting", "commissioned_on": "2026-01-20", "cost_pence": -7500}, 422, "cost", "negative"},
		{"expert", co, "POST", experts, map[string]any{"kind": "parenting", "commissioned_on": "2026-01-20", "delivered_on": "2026-03-02", "cost_pence": 450000}, 201, "", ""},
		{"another council adds an expert", salford, "POST", experts, map[string]any{"kind": "parenting", "commissioned_on": "2026-01-20", "cost_pence": 1}, 404, "", ""},
	}
	for _, tt := range tests {
		status, body := b.sendJSON(t, tt.c, tt.method, tt.path, tt.body)
		if status != tt.want {
			t.Errorf("%s: status %d %v; want %d", tt.name, status, body, tt.want)
			continue
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("%s: problem on %q is %q; want it to say %q (answer %v)", tt.name, tt.field, problemOn(body, tt.field), tt.says, body)
		}
	}
	// The case now has what the successful calls wrote, and nothing the refused ones tried.
	if got := b.text(t, `SELECT court FROM proceedings WHERE proceeding_id = $1`, id); got != "Manchester Civil Justice Centre" {
		t.Errorf("court after update: %q", got)
	}
	if n := b.scalar(t, `SELECT count(*) FROM hearings WHERE proceeding_id = $1`, id); n != 3 {
		t.Errorf("hearings: %d; want 3 (one held, two listed)", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM hearings WHERE proceeding_id = $1 AND outcome = 'listed'`, id); n != 2 {
		t.Errorf("listed hearings: %d; want 2", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM expert_assessments WHERE proceeding_id = $1`, id); n != 1 {
		t.Errorf("experts: %d; want 1", n)
	}
	// Salford's three refusals are recorded against Manchester, the case's council.
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity = 'proceeding' AND entity_id = $1 AND outcome = 'not_found'
		AND user_id = (SELECT user_id FROM users WHERE email = 'court.officer@salford.demo.hearth.test')`, fmt.Sprint(id)); n < 3 {
		t.Errorf("refusals audited against council 352: %d; want at least 3", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity = 'hearing' AND action = 'create' AND outcome = 'ok'`); n < 3 {
		t.Errorf("hearings audited: %d; want at least 3", n)
	}

	// The outcome of the hearing listed for today is recorded once; again is a conflict.
	today := b.scalar(t, `SELECT hearing_id FROM hearings WHERE proceeding_id = $1 AND held_on = '2026-03-31'`, id)
	future := b.scalar(t, `SELECT hearing_id FROM hearings WHERE proceeding_id = $1 AND held_on = '2026-05-12'`, id)
	outcome := func(h int64) string { return fmt.Sprintf("%s/%d/outcome", hearings, h) }
	outcomes := []struct {
		name        string
		c           *http.Client
		path        string
		body        map[string]any
		want        int
		field, says string
	}{
		{"unknown outcome", co, outcome(today), map[string]any{"outcome": "listed"}, 422, "outcome", "one of adjourned, effective, vacated"},
		{"vacated without a reason", co, outcome(today), map[string]any{"outcome": "vacated"}, 422, "reason", "vacated"},
		{"before the day", co, outcome(future), map[string]any{"outcome": "effective"}, 422, "outcome", "after that day"},
		{"another council", salford, outcome(today), map[string]any{"outcome": "effective"}, 404, "", ""},
		{"recorded", co, outcome(today), map[string]any{"outcome": "effective"}, 200, "", ""},
		{"recorded twice", co, outcome(today), map[string]any{"outcome": "adjourned", "reason": "judge ill"}, 409, "", ""},
	}
	for _, tt := range outcomes {
		status, body := b.sendJSON(t, tt.c, "POST", tt.path, tt.body)
		if status != tt.want {
			t.Errorf("outcome %s: status %d %v; want %d", tt.name, status, body, tt.want)
			continue
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("outcome %s: problem on %q is %q; want it to say %q", tt.name, tt.field, problemOn(body, tt.field), tt.says)
		}
	}
	if got := b.text(t, `SELECT outcome FROM hearings WHERE hearing_id = $1`, today); got != "effective" {
		t.Errorf("today's hearing: %q; want effective (the conflicting second call must not overwrite)", got)
	}
	if got := b.text(t, `SELECT outcome FROM hearings WHERE hearing_id = $1`, future); got != "listed" {
		t.Errorf("future hearing: %q; want still listed", got)
	}
}

// TestDelayParametersAPI: only a council's administrator sets its parameters;
// a missing parameter is named rather than taken as 0; refusals are audited
// against the council asked for.
func TestDelayParametersAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signIn(t, "la.admin@manchester.demo.hearth.test")
	co := b.signIn(t, "court.officer@manchester.demo.hearth.test")
	params := map[string]any{"council": 352, "effective_from": "2027-04-01", "target_weeks": 26, "standard_hearings": 3.5, "legal_pence_per_hearing": 150000,
		"sw_hours_per_week": 6, "sw_pence_per_hour": 5000, "contact_hours_per_week": 3, "contact_pence_per_hour": 4000, "placement_pence_per_week": 100000}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range params {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
				continue
			}
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	before := b.scalar(t, `SELECT count(*) FROM delay_parameters WHERE la_id = 352`)
	tests := []struct {
		name        string
		c           *http.Client
		body        map[string]any
		want        int
		field, says string
	}{
		{"missing a parameter", admin, with("sw_hours_per_week", nil), 422, "sw_hours_per_week", "give the value"},
		{"negative rate", admin, with("sw_pence_per_hour", -1), 422, "sw_rate", "negative"},
		{"target out of range", admin, with("target_weeks", 0), 422, "target_weeks", "between 1 and 104"},
		{"bad date", admin, with("effective_from", "1 April 2027"), 422, "effective_from", "not a date"},
		{"court officer", co, params, 403, "", ""},
		{"another council's parameters", admin, with("council", 355), 403, "", ""},
		{"saved", admin, params, 201, "", ""},
		{"overlapping", admin, params, 422, "effective_from", "overlap"},
	}
	for _, tt := range tests {
		status, body := b.sendJSON(t, tt.c, "POST", "/api/v1/delay/parameters", tt.body)
		if status != tt.want {
			t.Errorf("%s: status %d %v; want %d", tt.name, status, body, tt.want)
			continue
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("%s: problem on %q is %q; want it to say %q", tt.name, tt.field, problemOn(body, tt.field), tt.says)
		}
	}
	if n := b.scalar(t, `SELECT count(*) FROM delay_parameters WHERE la_id = 352`); n != before+1 {
		t.Errorf("parameters for 352: %d; want %d", n, before+1)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 355 AND entity = 'delay_parameters' AND outcome = 'denied'`); n != 1 {
		t.Errorf("refusal audited against council 355: %d; want 1", n)
	}
}
