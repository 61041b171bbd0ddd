package audit

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/db"
)

// Filter narrows the audit trail; a nil field does not narrow it.
type Filter struct {
	UserEmail, Entity, EntityID, Action, Outcome *string
}

// List reads a page of the audit trail, newest first: limit events after
// skipping offset, of the councils las, or of every council and of none when
// all is set. The caller decides all and las from the auditor's grants, as
// for Unusual.
func List(ctx context.Context, dbtx db.DBTX, all bool, las []int32, f Filter, limit, offset int32) ([]db.AuditListRow, error) {
	rows, err := db.New(dbtx).AuditList(ctx, db.AuditListParams{AllCouncils: all, LaIds: las,
		UserEmail: f.UserEmail, Entity: f.Entity, EntityID: f.EntityID, Action: f.Action, Outcome: f.Outcome,
		PageLimit: limit, PageOffset: offset})
	if err != nil {
		return nil, fmt.Errorf("audit list: %w", err)
	}
	return rows, nil
}
