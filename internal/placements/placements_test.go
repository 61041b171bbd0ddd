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
