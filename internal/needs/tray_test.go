package needs_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/hearthcare/hearth/internal/needs"
)

// TestTraysAuditTheChildrenTheyName: the social worker's "new to your
// caseload" and drafts lists name children, so each is audited against the
// child's council with the children it showed, and a list that shows no one
// writes nothing.
func TestTraysAuditTheChildrenTheyName(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	sw := b.users["social.worker@manchester"]
	want := []string{strconv.FormatInt(b.child, 10)}

	shown := func(entity string) map[int32][]string {
		t.Helper()
		rows, err := b.pool.Query(ctx, `SELECT la_id, e.id FROM audit_events, jsonb_array_elements_text(detail->'shown') AS e(id)
			WHERE entity = $1 AND user_id = $2 ORDER BY la_id, e.id`, entity, sw)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[int32][]string{}
		for rows.Next() {
			var la int32
			var id string
			if err := rows.Scan(&la, &id); err != nil {
				t.Fatal(err)
			}
			got[la] = append(got[la], id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}

	// Since tomorrow: nobody is new, and nothing is recorded.
	if rows, err := b.svc.NewToCaseload(ctx, sw, asOf.AddDate(0, 0, 1)); err != nil || len(rows) != 0 {
		t.Fatalf("new since tomorrow: %v, %v", rows, err)
	}
	if got := shown("caseload_new"); len(got) != 0 {
		t.Errorf("an empty list was audited as showing %v", got)
	}
	// Our child was allocated two years ago.
	rows, err := b.svc.NewToCaseload(ctx, sw, asOf.AddDate(-2, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		if r.LaID != 352 {
			t.Errorf("a Manchester worker's new children include council %d's child %d", r.LaID, r.ChildID)
		}
		ids = append(ids, strconv.FormatInt(r.ChildID, 10))
	}
	if !slices.Contains(ids, want[0]) {
		t.Fatalf("the child allocated two years ago is not new since then: %v", ids)
	}
	slices.Sort(ids)
	if got := shown("caseload_new"); len(got) != 1 || !slices.Equal(got[352], ids) {
		t.Errorf("new to caseload audited as %v; want Manchester showing %v", got, ids)
	}

	// No drafts yet: nothing recorded; then one draft for our child.
	if _, err := b.svc.WorkTray(ctx, sw); err != nil {
		t.Fatal(err)
	}
	before := shown("assessment_drafts")
	if _, err := b.svc.Create(ctx, sw, b.child, needs.Draft{AssessedOn: asOf.AddDate(0, 0, -1), Reason: "review", Ratings: ratings(3, 2)}); err != nil {
		t.Fatal(err)
	}
	tray, err := b.svc.WorkTray(ctx, sw)
	if err != nil {
		t.Fatal(err)
	}
	var drafts []string
	for _, d := range tray.Drafts {
		drafts = append(drafts, strconv.FormatInt(d.ChildID, 10))
	}
	if !slices.Contains(drafts, want[0]) {
		t.Fatalf("the new draft is not in the tray: %v", drafts)
	}
	after := shown("assessment_drafts")
	if n := len(after[352]) - len(before[352]); n != len(drafts) || !slices.Contains(after[352], want[0]) {
		t.Errorf("drafts audited as %v (before %v); want Manchester showing %v once more", after, before, drafts)
	}
	for la := range after {
		if la != 352 {
			t.Errorf("a Manchester worker's drafts were audited against council %d", la)
		}
	}
}
