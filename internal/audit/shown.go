package audit

import (
	"context"
	"strconv"

	"github.com/hearthcare/hearth/internal/db"
)

// Shown is a record a list names: the council it belongs to and its ID (a
// child's, or a case's for a list of cases).
type Shown struct {
	LAID int32
	ID   int64
}

// RecordShown audits a list that names records: the event once against each
// council whose records it shows, with that council's IDs, in the list's
// order, under "shown", so each council's auditor sees which of its children
// were on the screen and no other council's. e.Detail is common to every
// council's event. A list that names no one is not recorded; a search that
// found no one and must still be audited calls RecordCouncils itself.
func RecordShown(ctx context.Context, q db.DBTX, e Event, shown []Shown) error {
	if len(shown) == 0 {
		return nil
	}
	ids := map[int32][]string{}
	var las []int32
	for _, s := range shown {
		if _, ok := ids[s.LAID]; !ok {
			las = append(las, s.LAID)
		}
		ids[s.LAID] = append(ids[s.LAID], strconv.FormatInt(s.ID, 10))
	}
	per := make(map[int32]map[string]any, len(ids))
	for la, l := range ids {
		per[la] = map[string]any{"shown": l}
	}
	return RecordCouncils(ctx, q, e, las, per)
}

// RecordSearch audits a search's results as RecordShown does, except that a
// search that found no one is recorded too, against the councils searched
// (once with no council when it names none), so the auditor sees it was made.
func RecordSearch(ctx context.Context, q db.DBTX, e Event, shown []Shown, searched []int32) error {
	if len(shown) == 0 {
		return RecordCouncils(ctx, q, e, searched, nil)
	}
	return RecordShown(ctx, q, e, shown)
}
