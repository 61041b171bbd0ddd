package needs_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// approve takes a complete draft through submit and approval.
func (b *testBundle) approve(t *testing.T, child int64, d needs.Draft) needs.Assessment {
	t.Helper()
	ctx := context.Background()
	a, err := b.svc.Create(ctx, b.users["social.worker@manchester"], child, d)
	if err != nil {
		t.Fatal(err)
	}
	if a, err = b.svc.Submit(ctx, b.users["social.worker@manchester"], a.AssessmentID, a.Version); err != nil {
		t.Fatal(err)
	}
	if a, err = b.svc.Approve(ctx, b.users["team.manager@manchester"], a.AssessmentID, a.Version); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestChangesAgainstThePreviousApproved(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	first := b.approve(t, b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -40), Reason: "review", Ratings: ratings(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)})
	second := b.approve(t, b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -10), Reason: "review", Ratings: ratings(3, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4)})
	// A draft dated between them compares with the first, not the second.
	mid, err := b.svc.Create(ctx, b.users["social.worker@manchester"], b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -20), Reason: "other", Ratings: ratings(2)})
	if err != nil {
		t.Fatal(err)
	}
	if second.Previous == nil || *second.Previous != first.AssessmentID {
		t.Fatalf("second's previous = %v; want %d", second.Previous, first.AssessmentID)
	}
	want := map[string]string{"emotional_health": "up", "healthy_attachments": "down", "managing_emotions": "same", "community_belonging": "up"}
	got := map[string]string{}
	for _, c := range second.Changes {
		got[c.Domain] = c.Direction
	}
	for d, w := range want {
		if got[d] != w {
			t.Errorf("change in %s = %q; want %q", d, got[d], w)
		}
	}
	if len(second.Changes) != 12 {
		t.Errorf("%d changes; want one per domain", len(second.Changes))
	}
	if mid.Previous == nil || *mid.Previous != first.AssessmentID {
		t.Errorf("mid-dated draft's previous = %v; want %d", mid.Previous, first.AssessmentID)
	}
	for _, c := range mid.Changes {
		if c.Domain == "healthy_attachments" && c.Direction != "unrated" {
			t.Errorf("an unrated domain's change is %q; want unrated", c.Direction)
		}
	}
	// The profile's current assessment is the latest approved one.
	p, err := b.svc.History(ctx, b.users["team.manager@manchester"], b.child)
	if err != nil {
		t.Fatal(err)
	}
	if p.Current == nil || p.Current.ID != second.AssessmentID || p.Current.Score != 26 || p.Current.Band != "complex" {
		t.Errorf("current = %+v; want assessment %d, score 26, complex", p.Current, second.AssessmentID)
	}
	if p.ReviewDue == nil || !p.ReviewDue.Equal(asOf.AddDate(0, 6, -10)) {
		t.Errorf("review due %v", p.ReviewDue)
	}
}

func TestCorrectionSaysWhatItSupersedes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sw := b.users["social.worker@manchester"]
	first := b.approve(t, b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -5), Reason: "review", Ratings: ratings(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)})
	fix, err := b.svc.Create(ctx, sw, b.child, needs.Draft{Supersedes: &first.AssessmentID, AssessedOn: asOf.AddDate(0, 0, -5), Reason: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if fix.Supersedes == nil || *fix.Supersedes != first.AssessmentID {
		t.Errorf("correction supersedes %v; want %d", fix.Supersedes, first.AssessmentID)
	}
	var ve *valid.Error
	if _, err := b.svc.Create(ctx, sw, b.child, needs.Draft{Supersedes: &fix.AssessmentID, AssessedOn: asOf, Reason: "other"}); !errors.As(err, &ve) || ve.Problems[0].Field != "supersedes" {
		t.Errorf("superseding a draft: %v; want a supersedes problem", err)
	}
}

func TestReviewsDue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tm := b.users["team.manager@manchester"]
	// Take the child's history out of the picture, then give it one approved
	// assessment dated so that the council's interval decides whether it is overdue.
	if _, err := b.pool.Exec(ctx, "DELETE FROM needs_assessments WHERE child_id = $1 AND status <> 'approved'", b.child); err != nil {
		t.Fatal(err)
	}
	// 30 November + 3 months is 28 February, as PostgreSQL adds months.
	b.approve(t, b.child, needs.Draft{AssessedOn: date("2025-11-30"), Reason: "placement_change", Ratings: ratings(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)})
	overdue := func() map[int64]needs.Due {
		t.Helper()
		l, err := b.svc.Overdue(ctx, tm, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]needs.Due{}
		for _, d := range l.Children {
			m[d.ChildID] = d
		}
		return m
	}
	d, ok := overdue()[b.child]
	if !ok || !d.DueOn.Equal(date("2026-02-28")) || d.DaysOverdue != 31 {
		t.Errorf("after a placement-change assessment on 30 November: %+v (listed %v); want due 28 February, 31 days overdue", d, ok)
	}
	// A council that reviews five months after a move has it not yet due.
	if err := b.svc.SetCouncilSettings(ctx, b.users["la.admin@manchester"], 352, needs.Settings{ReviewMonths: 6, ReviewMonthsAfterMove: 5}); err != nil {
		t.Fatal(err)
	}
	if _, ok := overdue()[b.child]; ok {
		t.Error("still overdue after the council lengthened its interval")
	}
	// Settings are the admin's, and are checked.
	if err := b.svc.SetCouncilSettings(ctx, tm, 352, needs.DefaultSettings); err == nil {
		t.Error("a team manager changed the council's review interval")
	}
	var ve *valid.Error
	if err := b.svc.SetCouncilSettings(ctx, b.users["la.admin@manchester"], 352, needs.Settings{ReviewMonths: 0, ReviewMonthsAfterMove: 3}); !errors.As(err, &ve) || ve.Problems[0].Field != "review_months" {
		t.Errorf("zero-month interval: %v", err)
	}
}

// TestOverdueMatchesHistories checks the SQL list against a second method: each
// child's history read through the service, with the due date worked out in Go.
func TestOverdueMatchesHistories(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tm := b.users["team.manager@manchester"]
	l, err := b.svc.Overdue(ctx, tm, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]time.Time{}
	for _, d := range l.Children {
		listed[d.ChildID] = d.DueOn
	}
	rows, err := b.pool.Query(ctx, "SELECT child_id, started_on FROM care_periods WHERE la_id = 352 AND ended_on IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	type kid struct {
		id    int64
		start time.Time
	}
	var kids []kid
	for rows.Next() {
		var k kid
		if err := rows.Scan(&k.id, &k.start); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, k)
	}
	if len(kids) == 0 {
		t.Fatal("no children in care in the fixture")
	}
	today := asOf
	overdue := 0
	for _, k := range kids {
		p, err := b.svc.History(ctx, tm, k.id)
		if err != nil {
			t.Fatal(err)
		}
		due := needs.AddMonths(k.start, 1)
		if p.Current != nil {
			due = needs.DefaultSettings.DueAfter(p.Current.AssessedOn, p.Current.Reason)
		}
		got, isListed := listed[k.id]
		if due.Before(today) {
			overdue++
			if !isListed || !got.Equal(due) {
				t.Errorf("child %d: due %s by history; list says %v (listed %v)", k.id, due.Format(time.DateOnly), got, isListed)
			}
		} else if isListed {
			t.Errorf("child %d listed as overdue but due %s", k.id, due.Format(time.DateOnly))
		}
	}
	var inCouncil int
	for _, c := range l.Councils {
		if c.Council == "Manchester" {
			inCouncil = c.Count
		}
	}
	if inCouncil != overdue {
		t.Errorf("Manchester count %d; want %d", inCouncil, overdue)
	}
	teams := 0
	for _, c := range l.Teams {
		teams += c.Count
	}
	if teams != len(l.Children) {
		t.Errorf("team counts add to %d; want %d", teams, len(l.Children))
	}
	// A social worker's list holds only their own caseload.
	mine, err := b.svc.Overdue(ctx, b.users["social.worker@manchester"], nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range mine.Children {
		if d.WorkerID != b.users["social.worker@manchester"] {
			t.Errorf("social worker sees child %d of worker %d", d.ChildID, d.WorkerID)
		}
	}
}

func TestSDQReadings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sw := b.users["social.worker@manchester"]
	tests := []struct {
		name  string
		on    time.Time
		score int32
		field string
	}{
		{"score above 40", asOf, 41, "score"},
		{"negative score", asOf, -1, "score"},
		{"future date", asOf.AddDate(0, 0, 1), 10, "taken_on"},
		{"before birth", b.dob.AddDate(0, 0, -1), 10, "taken_on"},
	}
	for _, tt := range tests {
		var ve *valid.Error
		if _, err := b.svc.RecordSDQ(ctx, sw, b.child, tt.on, tt.score); !errors.As(err, &ve) || ve.Problems[0].Field != tt.field {
			t.Errorf("%s: %v; want a %s problem", tt.name, err, tt.field)
		}
	}
	if _, err := b.svc.RecordSDQ(ctx, sw, b.child, asOf.AddDate(-1, 0, 1), 18); err != nil {
		t.Fatal(err)
	}
	var ve *valid.Error
	if _, err := b.svc.RecordSDQ(ctx, sw, b.child, asOf.AddDate(-1, 0, 1), 12); !errors.As(err, &ve) || ve.Problems[0].Field != "taken_on" {
		t.Errorf("second reading on the same day: %v", err)
	}
	if _, err := b.svc.RecordSDQ(ctx, b.users["commissioner@manchester"], b.child, asOf, 12); err == nil {
		t.Error("a commissioner recorded an SDQ reading")
	}
	p, err := b.svc.History(ctx, sw, b.child)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range p.SDQ {
		found = found || r.Score == 18 && r.Source == "manual"
	}
	if !found {
		t.Errorf("SDQ readings %+v lack the one recorded", p.SDQ)
	}
	for score, band := range map[int32]string{0: "normal", 13: "normal", 14: "borderline", 16: "borderline", 17: "cause for concern", 40: "cause for concern"} {
		if got := needs.SDQBand(score); got != band {
			t.Errorf("SDQBand(%d) = %q; want %q", score, got, band)
		}
	}
}

// TestSecondInstrumentEndToEnd loads the CANS-style example file and takes an
// assessment with it from draft to approval.
func TestSecondInstrumentEndToEnd(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	f, err := os.Open("../../docs/instruments/cans-style-example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sp, err := needs.ParseSpec(f)
	if err != nil {
		t.Fatal(err)
	}
	in, created, err := needs.Install(ctx, b.pool, sp)
	if err != nil || !created {
		t.Fatalf("install: created %v, %v", created, err)
	}
	if _, again, err := needs.Install(ctx, b.pool, sp); err != nil || again {
		t.Errorf("loading the same file again: created %v, %v; want unchanged", again, err)
	}
	changed := sp
	changed.Name = "something else"
	if _, _, err := needs.Install(ctx, b.pool, changed); !errors.Is(err, needs.ErrInstrumentExists) {
		t.Errorf("loading a changed file under the same version: %v", err)
	}
	if in.Min != 0 || in.Max != 3 || len(in.Domains) != 8 {
		t.Fatalf("loaded %d domains, scale %d–%d", len(in.Domains), in.Min, in.Max)
	}
	sw, tm := b.users["social.worker@manchester"], b.users["team.manager@manchester"]
	var ve *valid.Error
	_, err = b.svc.Create(ctx, sw, b.child, needs.Draft{Instrument: "cans-style", AssessedOn: asOf, Reason: "review",
		Ratings: []needs.Rating{{Domain: "anxiety", Level: lvl(4)}}})
	if !errors.As(err, &ve) || ve.Problems[0].Field != "ratings.anxiety" || !strings.Contains(ve.Problems[0].Message, "0 to 3") {
		t.Errorf("level 4 on a 0–3 scale: %v", err)
	}
	_, err = b.svc.Create(ctx, sw, b.child, needs.Draft{Instrument: "cans-style", AssessedOn: asOf, Reason: "review",
		Ratings: []needs.Rating{{Domain: "emotional_health", Level: lvl(1)}}})
	if !errors.As(err, &ve) || ve.Problems[0].Field != "ratings.emotional_health" {
		t.Errorf("a hearth-12 domain on the CANS-style instrument: %v", err)
	}
	var rs []needs.Rating
	for i, d := range in.Domains {
		l := int32(0)
		if i < 3 {
			l = 2 // three domains needing action: the intensive band's second rule
		}
		rs = append(rs, needs.Rating{Domain: d.DomainCode, Level: lvl(l), Evidence: "from the CANS interview"})
	}
	a, err := b.svc.Create(ctx, sw, b.child, needs.Draft{Instrument: "cans-style", AssessedOn: asOf, Reason: "review", Ratings: rs})
	if err != nil {
		t.Fatal(err)
	}
	if a, err = b.svc.Submit(ctx, sw, a.AssessmentID, a.Version); err != nil {
		t.Fatal(err)
	}
	if a, err = b.svc.Approve(ctx, tm, a.AssessmentID, a.Version); err != nil {
		t.Fatal(err)
	}
	if a.Status != "approved" || a.Score != 6 || a.Band != "intensive" || a.InstrumentID != in.ID {
		t.Errorf("CANS-style assessment: status %s score %d band %s instrument %d", a.Status, a.Score, a.Band, a.InstrumentID)
	}
	p, err := b.svc.History(ctx, sw, b.child)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Approved(in.ID)) != 1 {
		t.Errorf("history holds %d approved CANS-style assessments; want 1", len(p.Approved(in.ID)))
	}
}

func TestInstrumentFileProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, field string
	}{
		{"not JSON", `{"code": `, "file"},
		{"unknown field", `{"code":"x","colour":"red"}`, "file"},
		{"bad code", `{"code":"Bad Code","version":1,"name":"n","min_level":0,"max_level":1,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"}],"domains":[{"code":"a","name":"A"}],"bands":[{"code":"low","label":"Low"}]}`, "code"},
		{"missing level label", `{"code":"x","version":1,"name":"n","min_level":0,"max_level":2,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"}],"domains":[{"code":"a","name":"A"}],"bands":[{"code":"low","label":"Low"}]}`, "levels"},
		{"level off the scale", `{"code":"x","version":1,"name":"n","min_level":0,"max_level":1,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"},{"level":7,"label":"c"}],"domains":[{"code":"a","name":"A"}],"bands":[{"code":"low","label":"Low"}]}`, "levels[2].level"},
		{"duplicate domain", `{"code":"x","version":1,"name":"n","min_level":0,"max_level":1,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"}],"domains":[{"code":"a","name":"A"},{"code":"a","name":"B"}],"bands":[{"code":"low","label":"Low"}]}`, "domains[1].code"},
		{"two fallback bands", `{"code":"x","version":1,"name":"n","min_level":0,"max_level":1,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"}],"domains":[{"code":"a","name":"A"}],"bands":[{"code":"low","label":"Low"},{"code":"mid","label":"Mid"}]}`, "bands"},
		{"rule off the scale", `{"code":"x","version":1,"name":"n","min_level":0,"max_level":1,"levels":[{"level":0,"label":"a"},{"level":1,"label":"b"}],"domains":[{"code":"a","name":"A"}],"bands":[{"code":"low","label":"Low"},{"code":"hi","label":"Hi","rules":[{"min_level":2,"min_count":1}]}]}`, "bands[1].rules[0].min_level"},
	}
	for _, tt := range tests {
		_, err := needs.ParseSpec(strings.NewReader(tt.file))
		var ve *valid.Error
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v; want a validation error", tt.name, err)
			continue
		}
		found := false
		for _, p := range ve.Problems {
			found = found || p.Field == tt.field
		}
		if !found {
			t.Errorf("%s: problems %v; want one for %s", tt.name, ve.Problems, tt.field)
		}
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddMonthsMatchesPostgreSQL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tt := range []struct {
		from string
		n    int
	}{{"2025-11-30", 3}, {"2024-08-31", 6}, {"2023-08-31", 6}, {"2026-01-31", 1}, {"2026-03-15", 6}, {"2025-12-31", 2}} {
		var want time.Time
		if err := b.pool.QueryRow(context.Background(), "SELECT ($1::date + make_interval(months => $2))::date", tt.from, tt.n).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := needs.AddMonths(date(tt.from), tt.n); !got.Equal(want) {
			t.Errorf("AddMonths(%s, %d) = %s; PostgreSQL says %s", tt.from, tt.n, got.Format(time.DateOnly), want.Format(time.DateOnly))
		}
	}
}
