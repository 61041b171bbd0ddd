package placements_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

type bundle struct {
	pool *pgxpool.Pool
	svc  *placements.Service
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	b := &bundle{pool: dbtest.New(t)}
	if err := demo.Load(ctx, b.pool, demo.Generate(demo.Options{Seed: 4, Children: 40, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, b.pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	im := &ssda903.Importer{Pool: b.pool, Authz: az, Log: slog.New(slog.DiscardHandler)}
	if rep, err := im.Import(ctx, 0, 352, 2026, ssda903.SynthFiles(ssda903.Synthesize(ssda903.SynthOptions{Seed: 3, Children: 150, Year: 2026, History: true})), nil); err != nil {
		t.Fatalf("%v %v", err, rep.Problems)
	}
	b.svc = placements.New(b.pool, az)
	b.svc.Now = func() time.Time { return asOf.Add(9 * time.Hour) }
	return b
}

func (b *bundle) id(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := b.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestGroupMatchesTheView checks the Go grouping of episodes into placements
// against the placements view in SQL, child by child.
func TestGroupMatchesTheView(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	q := db.New(b.pool)
	rows, err := b.pool.Query(ctx, `SELECT child_id, started_on, ended_on, place, provider_id FROM placements WHERE la_id = 352 ORDER BY child_id, started_on`)
	if err != nil {
		t.Fatal(err)
	}
	type pl struct {
		start time.Time
		end   *time.Time
		place string
		prov  *int64
	}
	view := map[int64][]pl{}
	for rows.Next() {
		var id int64
		var p pl
		if err := rows.Scan(&id, &p.start, &p.end, &p.place, &p.prov); err != nil {
			t.Fatal(err)
		}
		view[id] = append(view[id], p)
	}
	if len(view) < 100 {
		t.Fatalf("only %d children with placements", len(view))
	}
	total := 0
	for id, want := range view {
		eps, err := q.EpisodesByChild(ctx, db.EpisodesByChildParams{LaID: 352, ChildID: id})
		if err != nil {
			t.Fatal(err)
		}
		got := placements.Group(eps)
		if len(got) != len(want) {
			t.Errorf("child %d: %d placements in Go, %d in SQL", id, len(got), len(want))
			continue
		}
		for i := range got {
			g, w := got[i], want[i]
			if !g.StartedOn.Equal(w.start) || (g.EndedOn == nil) != (w.end == nil) || g.EndedOn != nil && !g.EndedOn.Equal(*w.end) || g.Place != w.place {
				t.Errorf("child %d placement %d: Go %v–%v %s; SQL %v–%v %s", id, i, g.StartedOn, g.EndedOn, g.Place, w.start, w.end, w.place)
			}
		}
		total += len(got)
	}
	if eps := b.id(t, "SELECT count(*) FROM episodes WHERE la_id = 352"); int64(total) >= eps {
		t.Errorf("%d placements from %d episodes: legal-status-only episodes should not start placements", total, eps)
	}
}

func TestMoveAndCosts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tm := b.id(t, "SELECT user_id FROM users WHERE email = 'team.manager@manchester.demo.hearth.test'")
	child := b.id(t, `SELECT e.child_id FROM episodes e WHERE e.la_id = 352 AND e.ended_on IS NULL AND e.started_on < '2025-06-01'
		AND e.place = 'U6' ORDER BY e.child_id LIMIT 1`)
	h, err := b.svc.Get(ctx, tm, child)
	if err != nil {
		t.Fatal(err)
	}
	if h.Current == nil {
		t.Fatal("no current placement")
	}
	open := h.Current.Episodes[len(h.Current.Episodes)-1]
	periodsBefore := b.id(t, "SELECT count(*) FROM care_periods WHERE child_id = $1", child)
	ifa := b.id(t, "SELECT provider_id FROM providers ORDER BY provider_id LIMIT 1")
	move := placements.Move{On: date("2025-09-01"), Place: "U4", ProviderKind: "PR4", ProviderID: &ifa, Reason: "CARPL", Postcode: "M14 5AB", From: open.StartedOn, Version: open.Version}
	var ve *valid.Error
	bad := move
	bad.Place = "P2" // not valid from 2025/26
	if err := b.svc.RecordMove(ctx, tm, child, bad); !errors.As(err, &ve) || ve.Problems[0].Field != "place" {
		t.Errorf("P2 in 2025/26: %v", err)
	}
	if err := b.svc.RecordMove(ctx, tm, child, move); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.RecordMove(ctx, tm, child, move); !errors.Is(err, placements.ErrConflict) {
		t.Errorf("the same move from a stale page: %v; want a conflict", err)
	}
	h, _ = b.svc.Get(ctx, tm, child)
	if h.Current == nil || !h.Current.StartedOn.Equal(move.On) || h.Current.Place != "U4" || h.Current.PostcodeDistrict != "M14" {
		t.Fatalf("after the move the current placement is %+v", h.Current)
	}
	if n := b.id(t, "SELECT count(*) FROM care_periods WHERE child_id = $1", child); n != periodsBefore {
		t.Errorf("care periods %d → %d; a move within care is one period", periodsBefore, n)
	}
	cost := func(from string, weekly, sc, ed, he int64) placements.Cost {
		f := date(from)
		return placements.Cost{From: &f, Weekly: weekly, SocialCare: sc, Education: ed, Health: he}
	}
	if _, err := b.svc.AddCost(ctx, tm, child, move.On, cost("2025-09-01", 85000, 85000, 0, 0)); err != nil {
		t.Fatal(err)
	}
	// A new rate from 1 January ends the first the day before.
	if _, err := b.svc.AddCost(ctx, tm, child, move.On, cost("2026-01-01", 90000, 80000, 10000, 0)); err != nil {
		t.Fatal(err)
	}
	h, _ = b.svc.Get(ctx, tm, child)
	if h.WeeklyPenceNow != 90000 || len(h.Current.Costs) != 2 || !h.Current.Costs[0].EffectiveTo.Equal(date("2025-12-31")) {
		t.Errorf("current weekly %d, costs %+v", h.WeeklyPenceNow, h.Current.Costs)
	}
	tests := []struct {
		name  string
		c     placements.Cost
		field string
	}{
		{"negative", cost("2026-02-01", -1, -1, 0, 0), "weekly"},
		{"contributions do not add up", cost("2026-02-01", 90000, 80000, 0, 0), "weekly"},
		{"before the placement", cost("2025-08-01", 90000, 90000, 0, 0), "from"},
		{"overlaps a closed period", cost("2025-10-01", 90000, 90000, 0, 0), "from"},
	}
	for _, tt := range tests {
		if _, err := b.svc.AddCost(ctx, tm, child, move.On, tt.c); !errors.As(err, &ve) || ve.Problems[0].Field != tt.field {
			t.Errorf("%s: %v; want a problem with %s", tt.name, err, tt.field)
		}
	}
	// Commissioners write costs; court officers read; other councils see nothing.
	comm := b.id(t, "SELECT user_id FROM users WHERE email = 'commissioner@manchester.demo.hearth.test'")
	if _, err := b.svc.AddCost(ctx, comm, child, move.On, cost("2026-03-01", 95000, 95000, 0, 0)); err != nil {
		t.Errorf("commissioner adding a cost: %v", err)
	}
	court := b.id(t, "SELECT user_id FROM users WHERE email = 'court.officer@manchester.demo.hearth.test'")
	if _, err := b.svc.Get(ctx, court, child); err != nil {
		t.Errorf("court officer reading: %v", err)
	}
	if _, err := b.svc.AddCost(ctx, court, child, move.On, cost("2026-03-15", 1, 1, 0, 0)); !errors.Is(err, children.ErrForbidden) {
		t.Errorf("court officer adding a cost: %v", err)
	}
	salford := b.id(t, "SELECT user_id FROM users WHERE email = 'team.manager@salford.demo.hearth.test'")
	if _, err := b.svc.Get(ctx, salford, child); !errors.Is(err, children.ErrNotFound) {
		t.Errorf("another council reading: %v", err)
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestCostsRepair checks placement_costs_repair (schema/014) on costs that
// run past their placement: one is ended the day before the placement ends,
// one that starts after it ended moves to the placement open then, and one
// that would overlap that placement's own cost is removed.
func TestCostsRepair(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	var child int64
	var first, second time.Time
	// A child whose first placement ended with a move into a second one that is still open.
	if err := b.pool.QueryRow(ctx, `SELECT p1.child_id, p1.started_on, p2.started_on FROM placements p1
		JOIN placements p2 ON p2.la_id = p1.la_id AND p2.child_id = p1.child_id AND p2.started_on = p1.ended_on
		WHERE p1.la_id = 352 AND p2.ended_on IS NULL AND p2.started_on - p1.started_on > 20 AND p2.started_on < $1::date - 40
		  AND NOT EXISTS (SELECT 1 FROM placement_costs pc WHERE pc.la_id = 352 AND pc.child_id = p1.child_id)
		ORDER BY p1.child_id LIMIT 1`, asOf).Scan(&child, &first, &second); err != nil {
		t.Fatal(err)
	}
	insert := func(placement, from time.Time, to *time.Time, weekly int64) int64 {
		t.Helper()
		var id int64
		if err := b.pool.QueryRow(ctx, `INSERT INTO placement_costs (la_id, child_id, placement_started_on, effective_from, effective_to, weekly_pence, social_care_pence)
			VALUES (352, $1, $2, $3, $4, $5, $5) RETURNING cost_id`, child, placement, from, to, weekly).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	running := insert(first, first, ptrTime(second.AddDate(0, 0, 5)), 90000)                  // runs on past the move
	late := insert(first, second.AddDate(0, 0, 10), ptrTime(second.AddDate(0, 0, 19)), 95000) // starts after the move
	own := insert(second, second.AddDate(0, 0, 30), nil, 100000)
	clash := insert(first, second.AddDate(0, 0, 35), nil, 99000) // the second placement already has a cost then
	if err := db.New(b.pool).PlacementCostsRepair(ctx, db.PlacementCostsRepairParams{PLa: ptrInt32(352), PChildren: []int64{child}}); err != nil {
		t.Fatal(err)
	}
	costs, err := db.New(b.pool).CostsByChild(ctx, db.CostsByChildParams{LaID: 352, ChildID: child})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]db.PlacementCost{}
	for _, c := range costs {
		got[c.CostID] = c
	}
	if c := got[running]; c.EffectiveTo == nil || !c.EffectiveTo.Equal(second.AddDate(0, 0, -1)) {
		t.Errorf("the running cost ends on %v; want %s, the day before the move", c.EffectiveTo, second.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if c := got[late]; !c.PlacementStartedOn.Equal(second) || c.EffectiveTo == nil || !c.EffectiveTo.Equal(second.AddDate(0, 0, 19)) {
		t.Errorf("the late cost is on the placement of %s to %v; want the placement of %s, its dates kept", c.PlacementStartedOn.Format(time.DateOnly), c.EffectiveTo, second.Format(time.DateOnly))
	}
	if _, ok := got[clash]; ok {
		t.Error("a cost that overlaps the new placement's own cost was kept")
	}
	if c, ok := got[own]; !ok || c.EffectiveTo != nil {
		t.Errorf("the new placement's own cost changed: %+v", c)
	}
	// CostOn agrees with cost_spans on every day around the move.
	ps := placements.WithCosts(mustEpisodes(t, b, child), costs)
	for d := first; d.Before(second.AddDate(0, 0, 40)); d = d.AddDate(0, 0, 1) {
		var want int64 = -1
		_ = b.pool.QueryRow(ctx, `SELECT coalesce(sum(weekly_pence), -1) FROM cost_spans WHERE la_id = 352 AND child_id = $1
			AND effective_from <= $2 AND (effective_to IS NULL OR effective_to >= $2)`, child, d).Scan(&want)
		var have int64 = -1
		if c, ok := placements.CostOn(ps, d); ok {
			have = c.WeeklyPence
		}
		if have != want {
			t.Errorf("on %s: CostOn = %d; cost_spans = %d", d.Format(time.DateOnly), have, want)
		}
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
func ptrInt32(v int32) *int32        { return &v }

func mustEpisodes(t *testing.T, b *bundle, child int64) []db.Episode {
	t.Helper()
	eps, err := db.New(b.pool).EpisodesByChild(context.Background(), db.EpisodesByChildParams{LaID: 352, ChildID: child})
	if err != nil {
		t.Fatal(err)
	}
	return eps
}
