package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// TestRefreshSkipsWhenNothingChanged: a second refresh for the same day with
// nothing changed leaves the view as it was; a change, or another day,
// refreshes it.
func TestRefreshSkipsWhenNothingChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	day := dbtest.Today(t)
	refreshedAt := func() time.Time {
		t.Helper()
		var at time.Time
		if err := owner.QueryRow(ctx, "SELECT refreshed_at FROM child_current_refreshed").Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	steps := []struct {
		name    string
		before  string // run as the owner first
		day     time.Time
		refresh bool
	}{
		// The template database's own refresh may be for the same day and
		// minutes old: make it older than the half hour, so the first
		// refresh here is due whenever the template was made.
		{"first", "UPDATE child_current_refreshed SET refreshed_at = refreshed_at - interval '31 minutes'", day, true},
		{"nothing changed", "", day, false},
		{"a change committed", "SELECT nextval('child_current_changes')", day, true},
		{"nothing changed again", "", day, false},
		{"the next day", "", day.AddDate(0, 0, 1), true},
		{"half an hour on", "UPDATE child_current_refreshed SET refreshed_at = refreshed_at - interval '31 minutes'", day.AddDate(0, 0, 1), true},
	}
	for _, s := range steps {
		if s.before != "" {
			if _, err := owner.Exec(ctx, s.before); err != nil {
				t.Fatal(err)
			}
		}
		was := refreshedAt()
		if err := analytics.RefreshCurrent(ctx, app, s.day); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := !refreshedAt().Equal(was); got != s.refresh {
			t.Errorf("%s: refreshed %v; want %v", s.name, got, s.refresh)
		}
	}
}
