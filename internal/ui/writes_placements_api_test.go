package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPlacementWritesAPI drives the API twins of the placement, cost, episode,
// missing and allocation forms: success, a validation failure naming the
// field (with the valid codes listed), another council's refusal audited
// against the child's council, and version conflicts.
func TestPlacementWritesAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	tm := b.signIn(t, teamManager)
	salford := b.signIn(t, "team.manager@salford.demo.hearth.test")
	var start time.Time
	var version int32
	if err := b.pool.QueryRow(t.Context(), `SELECT started_on, version FROM episodes WHERE child_id = $1 AND ended_on IS NULL`, child).Scan(&start, &version); err != nil {
		t.Fatal(err)
	}
	move := map[string]any{"from": start.Format(time.DateOnly), "version": version, "on": "2026-03-20", "place": "U6", "provider_kind": "PR1",
		"reason": "CARPL", "postcode": "M14", "distance_miles": 2.5, "out_of_area": false, "weekly_pence": 61240}
	with := func(base map[string]any, kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
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
	base := fmt.Sprintf("/api/v1/children/%d", child)
	worker := b.scalar(t, `SELECT user_id FROM users WHERE email = $1`, socialWorker)
	steps := []struct {
		name         string
		c            *http.Client
		method, path string
		body         map[string]any
		want         int
		field, says  string
	}{
		{"move with an unknown reason", sw, "POST", base + "/placements/moves", with(move, "reason", "moved"), 422, "reason", "one of ALLEG, APPRR, CARPL"},
		{"move with an unknown provider", sw, "POST", base + "/placements/moves", with(move, "provider_kind", "PR9"), 422, "provider_kind", "one of PR0, PR1, PR2, PR3, PR4, PR5"},
		{"move with an unknown place", sw, "POST", base + "/placements/moves", with(move, "place", "X9"), 422, "place", "U6"},
		{"move without a version", sw, "POST", base + "/placements/moves", with(move, "version", nil), 422, "version", "version"},
		{"move by another council", salford, "POST", base + "/placements/moves", move, 404, "", ""},
		{"move", sw, "POST", base + "/placements/moves", move, 201, "", ""},
		{"the same move from the old version", sw, "POST", base + "/placements/moves", move, 409, "", ""},
		{"cost with a bad date", sw, "POST", base + "/placements/2026-03-20/costs", map[string]any{"from": "20/03/2026", "weekly_pence": 70000}, 422, "from", "not a date"},
		{"cost for no placement", sw, "POST", base + "/placements/2026-03-21/costs", map[string]any{"from": "2026-03-25", "weekly_pence": 70000}, 422, "placement", "no placement"},
		{"cost by another council", salford, "POST", base + "/placements/2026-03-20/costs", map[string]any{"from": "2026-03-25", "weekly_pence": 70000}, 404, "", ""},
		{"cost", sw, "POST", base + "/placements/2026-03-20/costs", map[string]any{"from": "2026-03-25", "weekly_pence": 70000, "social_care_pence": 65000, "education_pence": 5000}, 201, "", ""},
		{"missing of an unknown kind", sw, "POST", base + "/missing", map[string]any{"kind": "X", "started_on": "2026-03-22"}, 422, "missing_kind", "one of A, M"},
		{"missing in the future", sw, "POST", base + "/missing", map[string]any{"kind": "M", "started_on": "2026-04-22"}, 422, "missing_from", "future"},
		{"missing by another council", salford, "POST", base + "/missing", map[string]any{"kind": "M", "started_on": "2026-03-22"}, 404, "", ""},
		{"missing", sw, "POST", base + "/missing", map[string]any{"kind": "M", "started_on": "2026-03-22", "ended_on": "2026-03-23"}, 201, "", ""},
		{"allocation by a social worker", sw, "POST", base + "/allocation", map[string]any{"worker": worker}, 403, "", ""},
		{"allocation without a worker", tm, "POST", base + "/allocation", map[string]any{}, 422, "worker", "social worker"},
		{"allocation to another council's worker", tm, "POST", base + "/allocation", map[string]any{"worker": b.scalar(t, `SELECT user_id FROM users WHERE email = 'team.manager@salford.demo.hearth.test'`), "allocated_on": "2026-03-30", "reason": "Moved team"}, 422, "worker", "of this council"},
		{"allocation by another council", salford, "POST", base + "/allocation", map[string]any{"worker": worker}, 404, "", ""},
	}
	run := func(prefix string, tt struct {
		name         string
		c            *http.Client
		method, path string
		body         map[string]any
		want         int
		field, says  string
	}) {
		status, body := b.sendJSON(t, tt.c, tt.method, tt.path, tt.body)
		if status != tt.want {
			t.Errorf("%s%s: status %d %v; want %d", prefix, tt.name, status, body, tt.want)
			return
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("%s%s: problem on %q is %q; want it to say %q (answer %v)", prefix, tt.name, tt.field, problemOn(body, tt.field), tt.says, body)
		}
	}
	for _, tt := range steps {
		run("", tt)
	}
	// What the successful calls wrote, and only that.
	if n := b.scalar(t, `SELECT count(*) FROM episodes WHERE child_id = $1 AND started_on = '2026-03-20' AND place = 'U6'`, child); n != 1 {
		t.Errorf("episodes from the move: %d; want 1", n)
	}
	if n := b.scalar(t, `SELECT weekly_pence FROM placement_costs WHERE child_id = $1 AND placement_started_on = '2026-03-20' AND effective_from = '2026-03-20'`, child); n != 61240 {
		t.Errorf("cost from the move: %d pence; want 61240", n)
	}
	if n := b.scalar(t, `SELECT education_pence FROM placement_costs WHERE child_id = $1 AND effective_from = '2026-03-25'`, child); n != 5000 {
		t.Errorf("education contribution: %d pence; want 5000", n)
	}
	if n := b.scalar(t, `SELECT count(*) FROM missing_episodes WHERE child_id = $1 AND started_on = '2026-03-22'`, child); n != 1 {
		t.Errorf("missing episodes: %d; want 1", n)
	}
	// Salford's refusals are recorded against Manchester, the child's council.
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity_id = $1 AND outcome IN ('not_found', 'denied')
		AND user_id = (SELECT user_id FROM users WHERE email = 'team.manager@salford.demo.hearth.test')`, fmt.Sprint(child)); n < 4 {
		t.Errorf("another council's refusals audited against 352: %d; want at least 4", n)
	}

	// Corrections carry the version read: the first wins, the stale second is a conflict.
	var costID int64
	var costVersion, epVersion int32
	if err := b.pool.QueryRow(t.Context(), `SELECT cost_id, version FROM placement_costs WHERE child_id = $1 AND effective_from = '2026-03-25'`, child).Scan(&costID, &costVersion); err != nil {
		t.Fatal(err)
	}
	if err := b.pool.QueryRow(t.Context(), `SELECT version FROM episodes WHERE child_id = $1 AND started_on = '2026-03-20'`, child).Scan(&epVersion); err != nil {
		t.Fatal(err)
	}
	costURL := fmt.Sprintf("%s/costs/%d", base, costID)
	fix := map[string]any{"from": "2026-03-25", "weekly_pence": 72000, "version": costVersion}
	episode := base + "/episodes/2026-03-20"
	ep := map[string]any{"place": "U4", "provider_kind": "PR1", "legal_status": "C2", "version": epVersion}
	corrections := []struct {
		name         string
		c            *http.Client
		method, path string
		body         map[string]any
		want         int
		field, says  string
	}{
		{"cost without a version", sw, "PUT", costURL, with(fix, "version", nil), 422, "version", "version"},
		{"cost by another council", salford, "PUT", costURL, fix, 404, "", ""},
		{"cost", sw, "PUT", costURL, fix, 200, "", ""},
		{"cost from the old version", sw, "PUT", costURL, with(fix, "weekly_pence", 1), 409, "", ""},
		{"episode with an unknown provider", sw, "PUT", episode, with(ep, "provider_kind", "pr1"), 422, "provider_kind", "one of PR0"},
		{"episode with a bad date in the route", sw, "PUT", base + "/episodes/20-03-2026", ep, 422, "start", "not a date"},
		{"episode by another council", salford, "PUT", episode, ep, 404, "", ""},
		{"episode", sw, "PUT", episode, ep, 200, "", ""},
		{"episode from the old version", sw, "PUT", episode, with(ep, "place", "U5"), 409, "", ""},
		// Last: the social worker loses the child to the other worker.
		{"then an allocation to another of the council's workers", tm, "POST", base + "/allocation", map[string]any{"worker": b.scalar(t, `SELECT min(user_id) FROM role_assignments WHERE role = 'social_worker' AND la_id = 352 AND user_id <> $1`, worker), "allocated_on": "2026-03-30", "reason": "Moved team"}, 200, "", ""},
	}
	for _, tt := range corrections {
		run("correction ", tt)
	}
	if n := b.scalar(t, `SELECT weekly_pence FROM placement_costs WHERE cost_id = $1`, costID); n != 72000 {
		t.Errorf("corrected cost: %d; want 72000 (the stale correction must not overwrite)", n)
	}
	if got := b.text(t, `SELECT place FROM episodes WHERE child_id = $1 AND started_on = '2026-03-20'`, child); got != "U4" {
		t.Errorf("corrected episode: %q; want U4", got)
	}
}

// TestChildUpdateAPI: a child's details change from the version read; codes
// are checked with the valid ones listed; another council cannot.
func TestChildUpdateAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	child := b.swChild(t)
	sw := b.signIn(t, socialWorker)
	salford := b.signIn(t, "team.manager@salford.demo.hearth.test")
	path := fmt.Sprintf("/api/v1/children/%d", child)
	status, c := b.sendJSON(t, sw, "GET", path, nil)
	if status != 200 {
		t.Fatalf("read: %d", status)
	}
	upd := map[string]any{"given_name": "Alex", "family_name": c["family_name"], "date_of_birth": c["date_of_birth"], "sex": c["sex"],
		"ethnicity": c["ethnicity"], "uasc": c["uasc"], "ehc_plan": true, "disability": c["disability"], "version": c["version"]}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range upd {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name        string
		c           *http.Client
		body        map[string]any
		want        int
		field, says string
	}{
		{"unknown sex", sw, with("sex", "male"), 422, "sex", "one of M, F, U"},
		{"unknown ethnicity", sw, with("ethnicity", "white"), 422, "ethnicity", "one of WBRI"},
		{"no version", sw, with("version", 0), 422, "version", "version"},
		{"another council", salford, upd, 404, "", ""},
		{"update", sw, upd, 200, "", ""},
		{"from the old version", sw, with("given_name", "Sam"), 409, "", ""},
	}
	for _, tt := range tests {
		status, body := b.sendJSON(t, tt.c, "PUT", path, tt.body)
		if status != tt.want {
			t.Errorf("%s: status %d %v; want %d", tt.name, status, body, tt.want)
			continue
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("%s: problem on %q is %q; want it to say %q", tt.name, tt.field, problemOn(body, tt.field), tt.says)
		}
	}
	if got := b.text(t, `SELECT given_name FROM children WHERE child_id = $1`, child); got != "Alex" {
		t.Errorf("given name: %q; want Alex (the stale update must not overwrite)", got)
	}
	if n := b.scalar(t, `SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity_id = $1 AND outcome IN ('not_found', 'denied')
		AND user_id = (SELECT user_id FROM users WHERE email = 'team.manager@salford.demo.hearth.test')`, fmt.Sprint(child)); n < 1 {
		t.Error("another council's refusal is not audited against 352")
	}
}

// TestProviderWritesAPI: providers are added and changed from the version
// read; a council's own provision only by that council.
func TestProviderWritesAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	comm := b.signIn(t, "commissioner@manchester.demo.hearth.test")
	sw := b.signIn(t, socialWorker)
	status, p := b.sendJSON(t, comm, "POST", "/api/v1/providers", map[string]any{"name": "Moss Side Fostering", "kind": "PR1", "owner": 352, "district": "M14"})
	if status != http.StatusCreated {
		t.Fatalf("add: %d %v", status, p)
	}
	path := fmt.Sprintf("/api/v1/providers/%d", int64(p["provider_id"].(float64)))
	tests := []struct {
		name         string
		c            *http.Client
		method, path string
		body         map[string]any
		want         int
		field, says  string
	}{
		{"unknown kind", comm, "POST", "/api/v1/providers", map[string]any{"name": "X", "kind": "fostering"}, 422, "kind", "one of PR0, PR1, PR2, PR3, PR4, PR5"},
		{"own provision for another council", comm, "POST", "/api/v1/providers", map[string]any{"name": "Salford Homes", "kind": "PR1", "owner": 355}, 422, "owner", "your own council's provision"},
		{"social worker", sw, "POST", "/api/v1/providers", map[string]any{"name": "Y", "kind": "PR4"}, 403, "", ""},
		{"change without a version", comm, "PUT", path, map[string]any{"name": "Moss Side Fostering Service", "kind": "PR1", "owner": 352}, 422, "version", "version"},
		{"change", comm, "PUT", path, map[string]any{"name": "Moss Side Fostering Service", "kind": "PR1", "owner": 352, "version": 1}, 200, "", ""},
		{"change from the old version", comm, "PUT", path, map[string]any{"name": "Moss Side", "kind": "PR1", "owner": 352, "version": 1}, 409, "", ""},
		{"unknown provider", comm, "PUT", "/api/v1/providers/999999", map[string]any{"name": "Z", "kind": "PR4", "version": 1}, 404, "", ""},
	}
	for _, tt := range tests {
		status, body := b.sendJSON(t, tt.c, tt.method, tt.path, tt.body)
		if status != tt.want {
			t.Errorf("%s: status %d %v; want %d", tt.name, status, body, tt.want)
			continue
		}
		if tt.field != "" && !strings.Contains(problemOn(body, tt.field), tt.says) {
			t.Errorf("%s: problem on %q is %q; want it to say %q", tt.name, tt.field, problemOn(body, tt.field), tt.says)
		}
	}
	if got := b.text(t, `SELECT name FROM providers WHERE provider_id = $1`, int64(p["provider_id"].(float64))); got != "Moss Side Fostering Service" {
		t.Errorf("provider name: %q; want the first change, not the stale second", got)
	}
	if n := b.scalar(t, `SELECT count(*) FROM providers WHERE name = 'Salford Homes'`); n != 0 {
		t.Error("Manchester recorded Salford's own provision")
	}
}
