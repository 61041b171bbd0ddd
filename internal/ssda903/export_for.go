package ssda903

import (
	"context"
	"io"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
)

// ExportFor writes a council's return for a year as the Header and Episodes
// CSV tables, for the caller: decided on that council (placement:export
// there) and audited against it with the table asked for and the row counts;
// a refusal is audited too.
func (im *Importer) ExportFor(ctx context.Context, userID int64, laID int32, y Year, table string, header, episodes io.Writer) error {
	if !im.Authz.Allowed(userID, authz.CouncilDomain(laID), authz.Placement, authz.Export) {
		_ = audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "export", Entity: "ssda903", Outcome: audit.Denied})
		return children.ErrForbidden
	}
	nc, ne, err := Export(ctx, db.New(im.Pool), laID, y, header, episodes)
	if err != nil {
		return err
	}
	return audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "export", Entity: "ssda903",
		Detail: map[string]any{"year": int(y), "table": table, "children": nc, "episodes": ne}})
}
