package needs_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

type testBundle struct {
	pool  *pgxpool.Pool
	svc   *needs.Service
	users map[string]int64
	child int64 // allocated to the demo social worker in Manchester
	dob   time.Time
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()
	b := &testBundle{pool: dbtest.New(t), users: map[string]int64{}}
	if err := demo.Load(ctx, b.pool, demo.Generate(demo.Options{Seed: 3, Children: 80, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, b.pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b.svc = needs.New(b.pool, az)
	b.svc.Now = func() time.Time { return asOf.Add(12 * time.Hour) }
	rows, err := b.pool.Query(ctx, "SELECT split_part(email, '@', 1) || '@' || split_part(split_part(email, '@', 2), '.', 1), user_id FROM users")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			t.Fatal(err)
		}
		b.users[k] = id
	}
	// A child of our own, new to the demo's social worker, with no needs history yet.
	b.dob = asOf.AddDate(-9, -2, -5)
	if err := b.pool.QueryRow(ctx, `INSERT INTO children (la_id, child_ref, given_name, family_name, date_of_birth, sex, ethnicity)
		VALUES (352, 'TEST001', 'Test', 'Child', $1, 'F', 'WBRI') RETURNING child_id`, b.dob).Scan(&b.child); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `WITH cp AS (INSERT INTO care_periods (la_id, child_id, started_on) VALUES (352, $1, $2))
		INSERT INTO allocations (la_id, child_id, user_id, valid_from) VALUES (352, $1, $3, $2)`,
		b.child, asOf.AddDate(-2, 0, 0), b.users["social.worker@manchester"]); err != nil {
		t.Fatal(err)
	}
	return b
}

func lvl(n int32) *int32 { return &n }

var domains = []string{"emotional_health", "healthy_attachments", "managing_emotions", "positive_relationships", "family_contact",
	"identity_life_story", "educational_progress", "physical_health", "self_care_independence", "keeping_safe",
	"communication_learning", "community_belonging"}

func ratings(levels ...int32) []needs.Rating {
	rs := make([]needs.Rating, len(levels))
	for i, l := range levels {
		rs[i] = needs.Rating{Domain: domains[i], Level: lvl(l), Evidence: "seen at visit"}
	}
	return rs
}

// TestDefaultInstrumentBands checks the seeded instrument against design.md §4,
// case by case: complex if any domain is 4 or three or more are 3; high if one
// or two are 3; medium if any is 2; low otherwise.
func TestDefaultInstrumentBands(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := db.New(b.pool)
	row, err := q.InstrumentGetByCode(context.Background(), "hearth-12")
	if err != nil {
		t.Fatal(err)
	}
	in, err := needs.LoadInstrument(context.Background(), q, row.InstrumentID)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Domains) != 12 || len(in.Levels) != 5 || in.Min != 0 || in.Max != 4 {
		t.Fatalf("instrument has %d domains, %d levels, scale %d–%d", len(in.Domains), len(in.Levels), in.Min, in.Max)
	}
	tests := []struct {
		levels []int32
		score  int32
		band   string
	}{
		{[]int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "low"},
		{[]int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 12, "low"},
		{[]int32{2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3, "medium"},
		{[]int32{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 24, "medium"},
		{[]int32{3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3, "high"},
		{[]int32{3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 26, "high"},
		{[]int32{3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 9, "complex"},
		{[]int32{4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4, "complex"},
		{[]int32{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, 48, "complex"},
	}
	for _, tt := range tests {
		m := map[string]int32{}
		for i, l := range tt.levels {
			m[domains[i]] = l
		}
		if got := needs.Score(m); got != tt.score {
			t.Errorf("Score(%v) = %d; want %d", tt.levels, got, tt.score)
		}
		if got := in.BandOf(m).Code; got != tt.band {
			t.Errorf("BandOf(%v) = %s; want %s", tt.levels, got, tt.band)
		}
	}
}

func TestAssessmentWorkflow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sw, tm := b.users["social.worker@manchester"], b.users["team.manager@manchester"]

	// A partial draft saves.
	a, err := b.svc.Create(ctx, sw, b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -3), Reason: "review", Ratings: ratings(3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != "draft" || a.Complete || a.Score != 5 {
		t.Errorf("new draft: status %s complete %v score %d", a.Status, a.Complete, a.Score)
	}
	// Submitting it names every unrated domain.
	_, err = b.svc.Submit(ctx, sw, a.AssessmentID, a.Version)
	var ve *valid.Error
	if !errors.As(err, &ve) || len(ve.Problems) != 10 || ve.Problems[0].Field != "ratings.managing_emotions" {
		t.Fatalf("submitting a partial draft: %v", err)
	}
	// Two people save the same version: the second gets a conflict, the first's work stays.
	full := needs.Draft{AssessedOn: asOf.AddDate(0, 0, -3), Reason: "review", Ratings: ratings(3, 3, 2, 1, 1, 2, 1, 0, 1, 0, 1, 0)}
	saved, err := b.svc.Save(ctx, sw, a.AssessmentID, a.Version, full)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Save(ctx, tm, a.AssessmentID, a.Version, needs.Draft{AssessedOn: asOf, Reason: "other", Ratings: ratings(0)}); !errors.Is(err, needs.ErrConflict) {
		t.Errorf("stale save: %v; want ErrConflict", err)
	}
	if saved.Score != 15 || !saved.Complete || saved.Band != "high" {
		t.Errorf("saved: score %d complete %v band %s; want 15, complete, high", saved.Score, saved.Complete, saved.Band)
	}
	sub, err := b.svc.Submit(ctx, sw, a.AssessmentID, saved.Version)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Submit(ctx, sw, a.AssessmentID, sub.Version); !errors.As(err, &ve) || ve.Problems[0].Field != "status" {
		t.Errorf("submitting twice: %v", err)
	}
	// A social worker cannot approve; the team manager can.
	if _, err := b.svc.Approve(ctx, sw, a.AssessmentID, sub.Version); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("social worker approving: %v; want forbidden", err)
	}
	ok, err := b.svc.Approve(ctx, tm, a.AssessmentID, sub.Version)
	if err != nil {
		t.Fatal(err)
	}
	if ok.Status != "approved" || ok.ApproverID == nil || *ok.ApproverID != tm || !ok.ReviewDue.Equal(asOf.AddDate(0, 6, -3)) {
		t.Errorf("approved: %+v", ok.NeedsAssessment)
	}
	// Approved assessments are never edited, not even in SQL.
	if _, err := b.svc.Save(ctx, sw, a.AssessmentID, ok.Version, full); !errors.As(err, &ve) {
		t.Errorf("editing an approved assessment: %v", err)
	}
	if _, err := b.pool.Exec(ctx, "UPDATE needs_ratings SET level = 0 WHERE assessment_id = $1", a.AssessmentID); err == nil || !strings.Contains(err.Error(), "approved") {
		t.Errorf("SQL update of an approved assessment's ratings: %v", err)
	}
	// Every step is in the audit trail.
	var n int
	if err := b.pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE entity = 'needs_assessment' AND entity_id = $1 AND action IN ('create','update','submit','approve')",
		itoa(a.AssessmentID)).Scan(&n); err != nil || n != 4 {
		t.Errorf("audited workflow steps: %d (%v); want 4", n, err)
	}
}

func TestReturnAndOwnApproval(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tm := b.users["team.manager@manchester"]
	full := needs.Draft{AssessedOn: asOf, Reason: "placement_change", Ratings: ratings(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4)}
	a, err := b.svc.Create(ctx, tm, b.child, full)
	if err != nil {
		t.Fatal(err)
	}
	if a.Band != "complex" || !a.ReviewDue.Equal(date("2026-06-30")) {
		t.Errorf("band %s review due %v; want complex, three months after a placement change", a.Band, a.ReviewDue)
	}
	sub, err := b.svc.Submit(ctx, tm, a.AssessmentID, a.Version)
	if err != nil {
		t.Fatal(err)
	}
	var ve *valid.Error
	if _, err := b.svc.Approve(ctx, tm, a.AssessmentID, sub.Version); !errors.As(err, &ve) || ve.Problems[0].Field != "approver" {
		t.Errorf("approving your own: %v", err)
	}
	if _, err := b.svc.Return(ctx, b.users["sw2@manchester"], a.AssessmentID, sub.Version, "more evidence"); err == nil {
		t.Error("a social worker returned an assessment")
	}
	if _, err := b.svc.Return(ctx, tm, a.AssessmentID, sub.Version, " "); !errors.As(err, &ve) || ve.Problems[0].Field != "comment" {
		t.Errorf("returning without a comment: %v", err)
	}
}

func TestBadInputIsRefusedAndNothingIsLost(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sw := b.users["social.worker@manchester"]
	tests := []struct {
		name  string
		draft needs.Draft
		field string
	}{
		{"level above the scale", needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: []needs.Rating{{Domain: "emotional_health", Level: lvl(5)}}}, "ratings.emotional_health"},
		{"negative level", needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: []needs.Rating{{Domain: "keeping_safe", Level: lvl(-1)}}}, "ratings.keeping_safe"},
		{"unknown domain", needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: []needs.Rating{{Domain: "astrology", Level: lvl(1)}}}, "ratings.astrology"},
		{"domain twice", needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: []needs.Rating{{Domain: "keeping_safe", Level: lvl(1)}, {Domain: "keeping_safe", Level: lvl(2)}}}, "ratings.keeping_safe"},
		{"future date", needs.Draft{AssessedOn: asOf.AddDate(0, 0, 1), Reason: "review"}, "assessed_on"},
		{"before birth", needs.Draft{AssessedOn: b.dob.AddDate(0, 0, -1), Reason: "review"}, "assessed_on"},
		{"no date", needs.Draft{Reason: "review"}, "assessed_on"},
		{"unknown reason", needs.Draft{AssessedOn: asOf, Reason: "whim"}, "reason"},
	}
	for _, tt := range tests {
		_, err := b.svc.Create(ctx, sw, b.child, tt.draft)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Problems[0].Field != tt.field {
			t.Errorf("%s: %v; want a problem with %s", tt.name, err, tt.field)
		}
	}
	var n int
	if err := b.pool.QueryRow(ctx, "SELECT count(*) FROM needs_assessments WHERE child_id = $1", b.child).Scan(&n); err != nil || n != 0 {
		t.Errorf("assessments saved from bad input: %d", n)
	}
	// A saved draft survives a bad save untouched.
	a, err := b.svc.Create(ctx, sw, b.child, needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: ratings(2, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Save(ctx, sw, a.AssessmentID, a.Version, needs.Draft{AssessedOn: asOf, Reason: "review", Ratings: []needs.Rating{{Domain: "emotional_health", Level: lvl(9)}}}); err == nil {
		t.Fatal("a bad save succeeded")
	}
	again, err := b.svc.Get(ctx, sw, a.AssessmentID)
	if err != nil || again.Score != 4 || again.Version != a.Version {
		t.Errorf("after a refused save: score %d version %d (%v); want 4, %d", again.Score, again.Version, err, a.Version)
	}
}

func TestOnlyTheAllocatedTeamWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	d := needs.Draft{AssessedOn: asOf, Reason: "review"}
	tests := []struct {
		user string
		want error
	}{
		{"commissioner@manchester", children.ErrForbidden}, // reads every child, writes no assessment
		{"la.analyst@manchester", children.ErrForbidden},
		{"sw2@manchester", children.ErrNotFound},       // a colleague's child is invisible
		{"team.manager@salford", children.ErrNotFound}, // another council's child
		{"la.admin@manchester", children.ErrNotFound},  // no children's records at all
	}
	for _, tt := range tests {
		if _, err := b.svc.Create(ctx, b.users[tt.user], b.child, d); !errors.Is(err, tt.want) {
			t.Errorf("%s creating an assessment: %v; want %v", tt.user, err, tt.want)
		}
	}
	a, err := b.svc.Create(ctx, b.users["social.worker@manchester"], b.child, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Get(ctx, b.users["commissioner@manchester"], a.AssessmentID); err != nil {
		t.Errorf("commissioner reading: %v", err)
	}
	if _, err := b.svc.Get(ctx, b.users["team.manager@salford"], a.AssessmentID); !errors.Is(err, needs.ErrNotFound) {
		t.Errorf("another council reading: %v; want not found", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
