package analytics_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/demo"
)

// TestStepDownNewNamesNoChildOutsideTheCallersReach: a social worker (who
// reads only their caseload) and a commissioner of another council get no
// child of Manchester's from the "new since last month" list, and nothing is
// audited as shown to them.
func TestStepDownNewNamesNoChildOutsideTheCallersReach(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, pool, demo.Generate(demo.Options{Seed: 8, Children: 200, AsOf: asOf})); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	svc := analytics.New(pool, az)
	svc.Now = dbtest.Clock(asOf)
	for _, email := range []string{"social.worker@manchester.demo.hearth.test", "commissioner@salford.demo.hearth.test"} {
		var id int64
		if err := pool.QueryRow(ctx, "SELECT user_id FROM users WHERE email = $1", email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		got, _, err := svc.StepDownNew(ctx, id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			if c.Child.LAID == 352 {
				t.Errorf("%s is shown Manchester's child %d", email, c.Child.ChildID)
			}
		}
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE user_id = $1 AND entity = 'step_down_new' AND la_id = 352", id).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d Manchester lists audited (%v); want none", email, n, err)
		}
	}
}
