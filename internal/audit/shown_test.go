package audit_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// TestRecordShownPerCouncil: a list is recorded once against each council it
// shows, naming only that council's records, in the list's order; an empty
// list is not recorded, an empty search is recorded against the councils
// searched.
func TestRecordShownPerCouncil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	if _, err := owner.Exec(ctx, `INSERT INTO local_authorities (la_id, ons_code, name) VALUES
		(352, 'E08000003', 'Manchester'), (355, 'E08000006', 'Salford')`); err != nil {
		t.Fatal(err)
	}
	type got struct {
		LA    int32
		Shown []string
		Total float64
	}
	for _, tc := range []struct {
		name     string
		shown    []audit.Shown
		search   bool
		searched []int32
		want     []got
	}{
		{name: "two councils", shown: []audit.Shown{{LAID: 355, ID: 9}, {LAID: 352, ID: 4}, {LAID: 355, ID: 2}},
			want: []got{{352, []string{"4"}, 3}, {355, []string{"9", "2"}, 3}}},
		{name: "one council", shown: []audit.Shown{{LAID: 352, ID: 1}}, want: []got{{352, []string{"1"}, 3}}},
		{name: "empty list", want: nil},
		{name: "empty search", search: true, searched: []int32{355, 352}, want: []got{{352, nil, 3}, {355, nil, 3}}},
		{name: "empty search of no council", search: true, want: []got{{0, nil, 3}}},
		{name: "search that found", search: true, searched: []int32{352, 355}, shown: []audit.Shown{{LAID: 355, ID: 7}},
			want: []got{{355, []string{"7"}, 3}}},
	} {
		e := audit.Event{UserID: 7, Action: "list", Entity: "test " + tc.name, Detail: map[string]any{"total": 3}}
		var err error
		if tc.search {
			err = audit.RecordSearch(ctx, app, e, tc.shown, tc.searched)
		} else {
			err = audit.RecordShown(ctx, app, e, tc.shown)
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		rows, err := owner.Query(ctx, `SELECT coalesce(la_id, 0)::int, detail::text FROM audit_events WHERE entity = $1 ORDER BY la_id`, e.Entity)
		if err != nil {
			t.Fatal(err)
		}
		var out []got
		for rows.Next() {
			var g got
			var detail string
			if err := rows.Scan(&g.LA, &detail); err != nil {
				t.Fatal(err)
			}
			var d struct {
				Shown []string `json:"shown"`
				Total float64  `json:"total"`
			}
			if err := json.Unmarshal([]byte(detail), &d); err != nil {
				t.Fatal(err)
			}
			g.Shown, g.Total = d.Shown, d.Total
			out = append(out, g)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, out); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", tc.name, diff)
		}
	}
}
