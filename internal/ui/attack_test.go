package ui_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/ui"
	"github.com/hearthcare/hearth/policies"
)

// The attack suite. An oracle built only from policies/policy.csv, the grants
// the test makes and the allocations it makes decides, for every declared
// route × identity × target, whether the request must be let through; the test
// sends it and fails on any difference. It also checks that every refusal and
// every successful view of a record left an audit row for the right council,
// and that no answer names a child the identity may not see.
//
// The oracle is written apart from internal/authz on purpose: it reads the
// policy text itself and knows nothing of Scope or AllowedOn.

// oracle is the policy, role by role.
type oracle map[string]map[string]bool // role → "resource:action"

func readPolicy(t *testing.T) oracle {
	t.Helper()
	o := oracle{}
	sc := bufio.NewScanner(strings.NewReader(policies.Policy))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		if len(f) != 4 || strings.TrimSpace(f[0]) != "p" {
			continue
		}
		role := strings.TrimSpace(f[1])
		if o[role] == nil {
			o[role] = map[string]bool{}
		}
		o[role][strings.TrimSpace(f[2])+":"+strings.TrimSpace(f[3])] = true
	}
	if len(o) == 0 {
		t.Fatal("no policy read")
	}
	return o
}

// grant is one role held in a council (la), an RCC (rcc) or system-wide.
type grant struct {
	role string
	la   int32
	rcc  bool
	sys  bool
}

type identity struct {
	name   string
	grants []grant
	token  string
	userID int64
}

// may is the oracle's decision on one object: some grant in the object's
// council (or system-wide) gives res:act, and a role that does not read every
// child gives it only on the identity's caseload.
func (o oracle) may(id identity, la int32, allocated bool, perm string) bool {
	for _, g := range id.grants {
		if g.rcc || (!g.sys && g.la != la) || !o[g.role][perm] {
			continue
		}
		if o[g.role]["child:read_all"] || allocated {
			return true
		}
	}
	return false
}

// anywhere is the route gate: the permission somewhere.
func (o oracle) anywhere(id identity, perm string) bool {
	for _, g := range id.grants {
		if o[g.role][perm] {
			return true
		}
	}
	return false
}

// wholeCouncil reports whether some role reads every child/case in some council with perm.
func (o oracle) wholeCouncil(id identity, perm string) bool {
	for _, g := range id.grants {
		if !g.rcc && o[g.role][perm] && o[g.role]["child:read_all"] {
			return true
		}
	}
	return false
}

func (o oracle) councils(id identity) []int32 {
	var out []int32
	for _, g := range id.grants {
		if g.la != 0 {
			out = append(out, g.la)
		}
	}
	return out
}

// target is what a route's parameters point at.
type target struct {
	name      string
	la        int32
	params    map[string]string
	child     string       // a child's name the answer shows, if the target is a child's
	allocated map[int]bool // identity index → on their caseload
	kind      string       // child, assessment, proceeding, provider, import, council, none
	unowned   bool         // a provider nobody owns
}

type attack struct {
	b          *testBundle
	o          oracle
	ids        []identity
	targets    map[string][]target // kind → targets
	names      map[string]int32    // secret child name → council
	nameOwner  map[string]int      // secret name → the target child's index for allocation lookups
	childAlloc map[string]map[int]bool
}

func (a *attack) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := a.b.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func setupAttack(t *testing.T) *attack {
	t.Helper()
	b := setup(t)
	a := &attack{b: b, o: readPolicy(t), targets: map[string][]target{}, names: map[string]int32{}, childAlloc: map[string]map[int]bool{}}
	ctx := context.Background()
	a.exec(t, "INSERT INTO regional_cooperatives (code, name) VALUES ('other-rcc', 'Another RCC')")
	otherRCC := int32(b.scalar(t, "SELECT rcc_id FROM regional_cooperatives WHERE code = 'other-rcc'"))
	roles := []string{"social_worker", "team_manager", "commissioner", "court_officer", "la_analyst", "la_admin", "auditor"}
	for _, la := range []int32{352, 355} {
		for _, r := range roles {
			a.ids = append(a.ids, identity{name: fmt.Sprintf("%s@%d", r, la), grants: []grant{{role: r, la: la}}})
		}
	}
	a.ids = append(a.ids,
		identity{name: "social_worker+court_officer@352", grants: []grant{{role: "social_worker", la: 352}, {role: "court_officer", la: 352}}},
		identity{name: "commissioner@352+la_analyst@355", grants: []grant{{role: "commissioner", la: 352}, {role: "la_analyst", la: 355}}},
		identity{name: "rcc_analyst@other-rcc", grants: []grant{{role: "rcc_analyst", rcc: true}}},
		identity{name: "system_admin", grants: []grant{{role: "system_admin", sys: true}}},
		identity{name: "no role"},
	)
	for i := range a.ids {
		id := &a.ids[i]
		email := fmt.Sprintf("attack%d@example.org", i)
		if err := b.pool.QueryRow(ctx, "INSERT INTO users (email, display_name, team) VALUES ($1, $2, 'Attack') RETURNING user_id",
			email, id.name).Scan(&id.userID); err != nil {
			t.Fatal(err)
		}
		for _, g := range id.grants {
			var la, rcc *int32
			if g.la != 0 {
				la = &g.la
			}
			if g.rcc {
				rcc = &otherRCC
			}
			a.exec(t, "INSERT INTO role_assignments (user_id, role, la_id, rcc_id, valid_from) VALUES ($1, $2, $3, $4, '2020-01-01')", id.userID, g.role, la, rcc)
		}
		tok, err := b.auth.NewAPIToken(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		id.token = tok
	}
	if err := b.srv.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	idx := func(name string) int {
		for i, id := range a.ids {
			if id.name == name {
				return i
			}
		}
		t.Fatalf("no identity %s", name)
		return -1
	}

	// Three children with an episode, a cost and an assessment: A on the 352
	// social workers' caseload, B a colleague's in 352, C in 355 on the 355
	// social worker's caseload. Each gets a name no other record has.
	pick := func(la int32, not ...int64) int64 {
		q := `SELECT c.child_id FROM children c WHERE c.la_id = $1
			AND EXISTS (SELECT 1 FROM placement_costs pc WHERE pc.la_id = c.la_id AND pc.child_id = c.child_id)
			AND EXISTS (SELECT 1 FROM needs_assessments na WHERE na.la_id = c.la_id AND na.child_id = c.child_id)
			AND NOT (c.child_id = ANY($2::bigint[])) ORDER BY c.child_id LIMIT 1`
		return b.scalar(t, q, la, append([]int64{0}, not...))
	}
	childA := pick(352)
	childB := pick(352, childA)
	childC := pick(355)
	owners := map[int64][]int{childA: {idx("social_worker@352"), idx("social_worker+court_officer@352")}, childC: {idx("social_worker@355")}}
	for _, ch := range []struct {
		id   int64
		la   int32
		name string
	}{{childA, 352, "Own"}, {childB, 352, "Colleague"}, {childC, 355, "Other"}} {
		secret := "Zz" + ch.name + "Attacktarget"
		a.exec(t, "UPDATE children SET family_name = $2 WHERE child_id = $1", ch.id, secret)
		a.names[secret] = ch.la
		alloc := map[int]bool{}
		for _, i := range owners[ch.id] {
			a.exec(t, "INSERT INTO allocations (la_id, child_id, user_id, valid_from) VALUES ($1, $2, $3, '2020-01-01')", ch.la, ch.id, a.ids[i].userID)
			alloc[i] = true
		}
		a.childAlloc[secret] = alloc
		start := b.text(t, "SELECT to_char(min(placement_started_on), 'YYYY-MM-DD') FROM placement_costs WHERE child_id = $1", ch.id)
		cost := b.scalar(t, "SELECT min(cost_id) FROM placement_costs WHERE child_id = $1 AND placement_started_on = $2::date", ch.id, start)
		estart := b.text(t, "SELECT to_char(min(started_on), 'YYYY-MM-DD') FROM episodes WHERE child_id = $1", ch.id)
		assessment := b.scalar(t, "SELECT min(assessment_id) FROM needs_assessments WHERE child_id = $1", ch.id)
		a.targets["child"] = append(a.targets["child"], target{name: ch.name + " child", la: ch.la, kind: "child", child: secret, allocated: alloc,
			params: map[string]string{"id": itoa(ch.id), "start": start, "cost": itoa(cost)}})
		a.targets["episode"] = append(a.targets["episode"], target{name: ch.name + " episode", la: ch.la, kind: "child", child: secret, allocated: alloc,
			params: map[string]string{"id": itoa(ch.id), "start": estart}})
		a.targets["assessment"] = append(a.targets["assessment"], target{name: ch.name + " assessment", la: ch.la, kind: "assessment", child: secret, allocated: alloc,
			params: map[string]string{"id": itoa(assessment)}})
	}
	// Proceedings: one in 352 with child A in it (and a sibling who is not on
	// the caseload), one in 352 without, one in 355.
	p1 := b.scalar(t, "SELECT min(proceeding_id) FROM proceedings WHERE la_id = 352")
	p2 := b.scalar(t, "SELECT min(proceeding_id) FROM proceedings WHERE la_id = 352 AND proceeding_id <> $1", p1)
	p3 := b.scalar(t, "SELECT min(proceeding_id) FROM proceedings WHERE la_id = 355")
	a.exec(t, "DELETE FROM proceeding_children WHERE child_id = $1 OR child_id = $2", childA, childB)
	a.exec(t, "INSERT INTO proceeding_children (la_id, proceeding_id, child_id) VALUES (352, $1, $2), (352, $1, $3)", p1, childA, childB)
	a.targets["proceeding"] = []target{
		{name: "case with own child", la: 352, kind: "proceeding", params: map[string]string{"id": itoa(p1)}, allocated: owners2(owners[childA])},
		{name: "colleague's case", la: 352, kind: "proceeding", params: map[string]string{"id": itoa(p2)}, allocated: map[int]bool{}},
		{name: "other council's case", la: 355, kind: "proceeding", params: map[string]string{"id": itoa(p3)}, allocated: map[int]bool{}},
	}
	// Providers: each council's own provision and one nobody owns.
	prov := func(owner any, name string) int64 {
		var id int64
		if err := b.pool.QueryRow(ctx, "INSERT INTO providers (name, kind, owner_la_id) VALUES ($1, CASE WHEN $2::int IS NULL THEN 'PR4' ELSE 'PR1' END, $2) RETURNING provider_id",
			name, owner).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a.targets["provider"] = []target{
		{name: "352's own provider", la: 352, kind: "provider", params: map[string]string{"id": itoa(prov(352, "Own Home 352"))}},
		{name: "355's own provider", la: 355, kind: "provider", params: map[string]string{"id": itoa(prov(355, "Own Home 355"))}},
		{name: "independent provider", kind: "provider", unowned: true, params: map[string]string{"id": itoa(prov(nil, "Independent Home"))}},
	}
	imp := func(la int32) int64 {
		var id int64
		if err := b.pool.QueryRow(ctx, "INSERT INTO imports (la_id, kind, year, files, status) VALUES ($1, 'ssda903', 2026, '{header.csv}', 'imported') RETURNING import_id", la).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a.targets["import"] = []target{
		{name: "352's import", la: 352, kind: "import", params: map[string]string{"id": itoa(imp(352))}},
		{name: "355's import", la: 355, kind: "import", params: map[string]string{"id": itoa(imp(355))}},
	}
	// Staff accounts (issue 16): a social worker of each council, with a
	// grant to end and a token to revoke.
	member := func(la int32) map[string]string {
		email := fmt.Sprintf("staff-target-%d@example.org", la)
		var id, grant int64
		if err := b.pool.QueryRow(ctx, "INSERT INTO users (email, display_name, team) VALUES ($1, 'Staff target', 'Attack') RETURNING user_id", email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := b.pool.QueryRow(ctx, "INSERT INTO role_assignments (user_id, role, la_id, valid_from) VALUES ($1, 'social_worker', $2, '2020-01-01') RETURNING assignment_id", id, la).Scan(&grant); err != nil {
			t.Fatal(err)
		}
		if _, err := b.auth.NewLabelledToken(ctx, email, "target"); err != nil {
			t.Fatal(err)
		}
		tok := b.scalar(t, "SELECT token_id FROM api_tokens WHERE user_id = $1", id)
		return map[string]string{"id": itoa(id), "grant": itoa(grant), "token": itoa(tok)}
	}
	a.targets["staff"] = []target{
		{name: "352's member of staff", la: 352, kind: "staff", params: member(352)},
		{name: "355's member of staff", la: 355, kind: "staff", params: member(355)},
	}
	return a
}

func owners2(is []int) map[int]bool {
	m := map[int]bool{}
	for _, i := range is {
		m[i] = true
	}
	return m
}

// route is one declared route, as chi reports it, with what it needs.
type route struct {
	method, pattern string
	perm            string
}

func (a *attack) routes(t *testing.T) []route {
	t.Helper()
	var out []route
	err := chi.Walk(a.b.srv.Handler().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + pattern
		if a.b.srv.Public[key] {
			return nil
		}
		p, ok := a.b.srv.Protected[key]
		if !ok {
			return fmt.Errorf("route %s is neither protected nor public", key)
		}
		out = append(out, route{method, pattern, string(p.Resource) + ":" + string(p.Action)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].method+out[i].pattern < out[j].method+out[j].pattern })
	return out
}

// kindOf says which targets a route's parameters take.
func kindOf(pattern string) string {
	switch {
	case strings.Contains(pattern, "/episodes/{start}"):
		return "episode"
	case strings.Contains(pattern, "/children/{id}"):
		return "child"
	case strings.Contains(pattern, "/assessments/{id}"):
		return "assessment"
	case strings.Contains(pattern, "/proceedings/{id}"):
		return "proceeding"
	case strings.Contains(pattern, "/providers/{id}"):
		return "provider"
	case strings.Contains(pattern, "/imports/{id}"):
		return "import"
	case strings.Contains(pattern, "/staff/{id}"):
		return "staff"
	case councilQuery[pattern] != "":
		return "council"
	}
	return "none"
}

// councilQuery names the routes that take a council in the query, and how.
var councilQuery = map[string]string{
	"/children": "council", "/api/v1/children": "council", "/api/v1/assessments.csv": "la", "/delay": "la", "/api/v1/delay": "la",
	"/api/v1/delay.csv": "la", "/api/v1/reviews/overdue": "la", "/api/v1/ssda903/export": "la", "/staff": "la",
}

// expect is the oracle's answer: may the identity get past authorisation?
func (a *attack) expect(i int, rt route, tg target) bool {
	id, o := a.ids[i], a.o
	if !o.anywhere(id, rt.perm) {
		return false // the route gate
	}
	switch tg.kind {
	case "child", "assessment":
		mine := tg.allocated[i]
		return o.may(id, tg.la, mine, "child:read") && o.may(id, tg.la, mine, rt.perm)
	case "proceeding":
		mine := tg.allocated[i]
		return o.may(id, tg.la, mine, "proceedings:read") && o.may(id, tg.la, mine, rt.perm)
	case "provider":
		// The edit form's body hands the provider to council 352.
		if rt.method == "POST" && !o.may(id, 352, false, rt.perm) {
			return false
		}
		if tg.unowned {
			return true // anyone who manages placements somewhere
		}
		return o.may(id, tg.la, false, rt.perm)
	case "import":
		return o.may(id, tg.la, false, rt.perm)
	case "staff":
		// A council's staff are its administrators' (user:manage there, no
		// caseload), or a system administrator's.
		return o.may(id, tg.la, true, rt.perm)
	case "council":
		switch rt.pattern {
		case "/delay", "/api/v1/delay", "/api/v1/delay.csv":
			return o.may(id, tg.la, false, "proceedings:read") && o.may(id, tg.la, false, rt.perm)
		case "/api/v1/ssda903/export":
			return o.may(id, tg.la, false, rt.perm)
		}
		// Lists of one council: caseload roles see their caseload of it.
		return o.may(id, tg.la, true, rt.perm)
	}
	switch rt.pattern {
	case "/delay", "/api/v1/delay", "/api/v1/delay.csv":
		return o.wholeCouncil(id, "proceedings:read")
	case "/proceedings/new":
		if rt.method == "POST" { // the body names council 352
			return o.may(id, 352, false, rt.perm)
		}
	case "/staff/new":
		if rt.method == "POST" { // the body names council 352
			return o.may(id, 352, true, rt.perm)
		}
	case "/api/v1/region", "/region/report.pdf", "/api/v1/region/extract.csv", "/region/forecast", "/api/v1/region/forecast", "/api/v1/region/forecast.csv":
		return o.inRCC(id, rt.perm) // the region's own figures: RCC staff
	case "/api/v1/region/council":
		return o.inCouncil(id, rt.perm) // a council against its region: council staff
	case "/settings/councils", "/settings/cooperatives", "/settings/cooperatives/{rcc}/members", "/settings/cooperatives/{rcc}/disclosure",
		"/settings/councils/{la}/idp":
		return o.inSystem(id, rt.perm) // setting up tenants: system administrators only
	}
	return true
}

func (o oracle) inRCC(id identity, perm string) bool {
	for _, g := range id.grants {
		if g.rcc && o[g.role][perm] {
			return true
		}
	}
	return false
}

func (o oracle) inSystem(id identity, perm string) bool {
	for _, g := range id.grants {
		if g.sys && o[g.role][perm] {
			return true
		}
	}
	return false
}

func (o oracle) inCouncil(id identity, perm string) bool {
	for _, g := range id.grants {
		if g.la != 0 && o[g.role][perm] {
			return true
		}
	}
	return false
}

// request builds the request for a route and target; writes carry bodies that
// pass validation where the form is simple, so an allowed write gets through.
func (a *attack) request(rt route, tg target, token string) *http.Request {
	path := rt.pattern
	for k, v := range tg.params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	path = strings.ReplaceAll(path, "{table}", "summary")
	q := url.Values{}
	if k := councilQuery[rt.pattern]; k != "" && tg.kind == "council" {
		q.Set(k, fmt.Sprint(tg.la))
		if rt.pattern == "/api/v1/ssda903/export" {
			q.Set("year", "2026")
			q.Set("table", "header")
		}
	}
	full := a.b.ts.URL + path
	if len(q) > 0 {
		full += "?" + q.Encode()
	}
	var body io.Reader
	ct := ""
	switch rt.method {
	case "POST", "PUT":
		if strings.HasPrefix(rt.pattern, "/api/") {
			ct = "application/json"
			body = strings.NewReader(writeJSON[rt.pattern])
		} else {
			ct = "application/x-www-form-urlencoded"
			body = strings.NewReader(writeForm[rt.pattern].Encode())
			if rt.pattern == "/staff/{id}/grants" { // a role in the target's own council
				body = strings.NewReader(url.Values{"role": {"team_manager"}, "la": {fmt.Sprint(tg.la)}}.Encode())
			}
		}
	}
	req, _ := http.NewRequest(rt.method, full, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

var writeForm = map[string]url.Values{
	"/children/{id}/assessments":                {"reason": {"review"}, "assessed_on": {"2026-03-30"}},
	"/children/{id}/sdq":                        {"taken_on": {"2026-03-29"}, "score": {"14"}},
	"/children/{id}/missing":                    {"started_on": {"2026-03-20"}, "ended_on": {"2026-03-21"}, "reason": {"MI"}},
	"/children/{id}/placements/{start}/costs":   {"effective_from": {"2026-03-30"}, "weekly": {"1000.00"}, "social_care": {"100"}, "education": {"0"}, "health": {"0"}},
	"/children/{id}/allocation":                 {"worker": {"0"}},
	"/proceedings/{id}/hearings":                {"held_on": {"2026-03-25"}, "kind": {"CMH"}, "effective": {"true"}},
	"/proceedings/{id}/experts":                 {"kind": {"psychologist"}, "commissioned_on": {"2026-03-01"}, "cost": {"1000"}},
	"/providers/{id}/edit":                      {"name": {"Renamed by attacker"}, "kind": {"PR1"}, "owner": {"352"}},
	"/providers/new":                            {"name": {"New Home"}, "kind": {"PR4"}},
	"/children/{id}/edit":                       {"given_name": {"Same"}},
	"/children/{id}/episodes/{start}/edit":      {"reason": {"correction"}},
	"/children/{id}/costs/{cost}/edit":          {"reason": {"correction"}},
	"/children/{id}/placements/move":            {"started_on": {"2026-03-30"}},
	"/assessments/{id}/edit":                    {"reason": {"review"}},
	"/assessments/{id}/decision":                {"decision": {"return"}, "comment": {"please add evidence"}},
	"/proceedings/{id}/edit":                    {"case_number": {"ATT/1"}},
	"/proceedings/new":                          {"la": {"352"}, "case_number": {"ATT/2"}, "court": {"Manchester"}, "issued_on": {"2026-01-05"}},
	"/settings/delay":                           {},
	"/settings/needs":                           {},
	"/settings/sharing":                         {},
	"/staff/new":                                {"la": {"352"}, "email": {"attack-invite@example.org"}, "name": {"Invited by attack"}, "role": {"social_worker"}},
	"/imports":                                  {},
	"/api/v1/children/{id}/assessments":         {},
	"/api/v1/children/{id}/sdq":                 {},
	"/api/v1/assessments/{id}/submit":           {},
	"/api/v1/assessments/{id}/approve":          {},
	"/api/v1/assessments/{id}/return":           {},
	"/api/v1/assessments/{id}":                  {},
	"/children/{id}/assessments/compare":        {},
	"/children/{id}/placements/{start}/costs/x": {},
}

var writeJSON = map[string]string{
	"/api/v1/children/{id}/assessments": `{"reason":"review","assessed_on":"2026-03-30"}`,
	"/api/v1/children/{id}/sdq":         `{"taken_on":"2026-03-28","score":12}`,
	"/api/v1/assessments/{id}":          `{"version":1,"reason":"review"}`,
	"/api/v1/assessments/{id}/submit":   `{"version":1}`,
	"/api/v1/assessments/{id}/approve":  `{"version":1}`,
	"/api/v1/assessments/{id}/return":   `{"version":1,"comment":"more evidence please"}`,
}

// viewRoutes are GET routes that show one record: a success must be audited
// against the record's council.
func isView(rt route, tg target) bool {
	return rt.method == "GET" && tg.kind != "none" && tg.kind != "council" && tg.kind != "provider"
}

type outcome struct {
	id     int
	rt     route
	tg     target
	status int
	reqID  string
	body   string
}

func (a *attack) send(t *testing.T, jobs []outcome) []outcome {
	t.Helper()
	var wg sync.WaitGroup
	ch := make(chan int)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range ch {
				j := &jobs[n]
				res, err := client.Do(a.request(j.rt, j.tg, a.ids[j.id].token))
				if err != nil {
					t.Error(err)
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				j.status, j.reqID, j.body = res.StatusCode, res.Header.Get("X-Request-Id"), string(b)
			}
		}()
	}
	for n := range jobs {
		ch <- n
	}
	close(ch)
	wg.Wait()
	return jobs
}

func refused(status int) bool { return status == http.StatusForbidden || status == http.StatusNotFound }

func TestAttackSuite(t *testing.T) {
	t.Parallel()
	a := setupAttack(t)
	routes := a.routes(t)
	var gets, writes []outcome
	targetsOf := func(rt route) []target {
		k := kindOf(rt.pattern)
		if k == "council" {
			return []target{{name: "council 352", la: 352, kind: "council"}, {name: "council 355", la: 355, kind: "council"}, {name: "no council", kind: "none"}}
		}
		if k == "none" {
			return []target{{name: "-", kind: "none"}}
		}
		return a.targets[k]
	}
	// Writes on a representative set of identities: each council role of 352,
	// the mixed users, another council's commissioner, and nobody.
	writers := map[string]bool{"social_worker@352": true, "team_manager@352": true, "commissioner@352": true, "court_officer@352": true,
		"la_analyst@352": true, "la_admin@352": true, "auditor@352": true, "commissioner@355": true, "court_officer@355": true,
		"social_worker+court_officer@352": true, "commissioner@352+la_analyst@355": true, "system_admin": true, "no role": true}
	for _, rt := range routes {
		if rt.pattern == "/imports" && rt.method == "POST" {
			continue // an upload; TestImportUpload covers refusing another council's
		}
		for _, tg := range targetsOf(rt) {
			for i, id := range a.ids {
				o := outcome{id: i, rt: rt, tg: tg}
				if rt.method == "GET" {
					gets = append(gets, o)
				} else if writers[id.name] {
					writes = append(writes, o)
				}
			}
		}
	}
	all := append(a.send(t, gets), a.send(t, writes)...)

	// Which children each identity may see, by the oracle.
	mayName := func(i int, secret string) bool {
		return a.o.may(a.ids[i], a.names[secret], a.childAlloc[secret][i], "child:read") ||
			a.o.may(a.ids[i], a.names[secret], a.childAlloc[secret][i], "needs:read")
	}
	ctx := context.Background()
	var failures []string
	for _, r := range all {
		want := a.expect(r.id, r.rt, r.tg)
		got := !refused(r.status) && r.status != http.StatusUnauthorized
		label := fmt.Sprintf("%s %s [%s] as %s", r.rt.method, r.rt.pattern, r.tg.name, a.ids[r.id].name)
		if r.status >= 500 {
			failures = append(failures, fmt.Sprintf("%s: status %d", label, r.status))
			continue
		}
		if got != want {
			failures = append(failures, fmt.Sprintf("%s: status %d; oracle says allowed=%v (%s)", label, r.status, want, problemText(r.body)))
			continue
		}
		for secret := range a.names {
			if got && !mayName(r.id, secret) && strings.Contains(r.body, secret) {
				failures = append(failures, fmt.Sprintf("%s: the answer names a child they may not see (%s)", label, secret))
			}
		}
		// The audit trail: every refusal, and every successful view of a record,
		// against the record's council (or the identity's own councils).
		var las []int32
		var outcomes []string
		rows, err := a.b.pool.Query(ctx, "SELECT coalesce(la_id, 0), outcome FROM audit_events WHERE request_id = $1", r.reqID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var la int32
			var oc string
			if err := rows.Scan(&la, &oc); err != nil {
				t.Fatal(err)
			}
			las, outcomes = append(las, la), append(outcomes, oc)
		}
		rows.Close()
		switch {
		case !got:
			wantLA := r.tg.la
			if r.tg.kind == "none" || r.tg.unowned {
				wantLA = 0
			}
			if r.rt.method == "POST" && (r.rt.pattern == "/proceedings/new" || r.rt.pattern == "/staff/new") && a.o.anywhere(a.ids[r.id], r.rt.perm) {
				wantLA = 352 // the council the body names
			}
			okRow := false
			for n := range las {
				refusal := outcomes[n] == "denied" || outcomes[n] == "not_found"
				okRow = okRow || refusal && (las[n] == wantLA || wantLA == 0 && (len(a.o.councils(a.ids[r.id])) == 0 || slices.Contains(a.o.councils(a.ids[r.id]), las[n])))
			}
			if !okRow {
				failures = append(failures, fmt.Sprintf("%s: refused (%d) but no refusal audited against council %d (rows: %v %v)", label, r.status, wantLA, las, outcomes))
			}
		case isView(r.rt, r.tg) && r.status == http.StatusOK:
			if !slices.Contains(las, r.tg.la) {
				failures = append(failures, fmt.Sprintf("%s: shown (200) but not audited against council %d (rows: %v %v)", label, r.tg.la, las, outcomes))
			}
		}
	}
	ids := map[string]bool{}
	for _, r := range all {
		ids[r.rt.method+" "+r.rt.pattern] = true
	}
	t.Logf("attack suite: %d routes × %d identities × up to 3 targets each: %d requests (%d GET, %d writes), %d differences",
		len(routes), len(a.ids), len(all), len(gets), len(writes), len(failures))
	sort.Strings(failures)
	for n, f := range failures {
		if n == 60 {
			t.Errorf("… and %d more", len(failures)-60)
			break
		}
		t.Error(f)
	}
}

var _ = ui.SessionCookie
var _ = auth.ErrNoSession

// problemText picks the message out of an error page or JSON answer, for failures.
func problemText(body string) string {
	for _, mark := range []string{`"error": "`, `<main`} {
		if i := strings.Index(body, mark); i >= 0 {
			rest := body[i+len(mark):]
			return rest[:min(len(rest), 160)]
		}
	}
	return body[:min(len(body), 160)]
}
