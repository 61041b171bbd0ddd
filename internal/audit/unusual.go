package audit

import (
	"context"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// BulkViews is how many children's records one person may open in a day
// before the unusual-access report lists it. A social worker's caseload is
// 15–25; a team manager's review day may reach 40.
const BulkViews = 50

// UnusualKinds says what each kind of flag means, in the report's words.
var UnusualKinds = map[string]string{
	"refused":        "Refused three or more times on children's records: trying records outside their caseload or council",
	"family_name":    "Opened the record of a child with the same family name",
	"many_records":   "Opened many children's records in one day",
	"after_disabled": "Acted after the account was disabled",
	"idle":           "Holds a role here but has not signed in for 90 days: remove the role if they have left",
}

// Unusual lists the access an auditor should look at in the councils they
// cover (every council when all is set) between from and to. The report is
// itself audited.
func Unusual(ctx context.Context, dbtx db.DBTX, userID int64, all bool, las []int32, from, to time.Time) ([]db.UnusualAccessRow, error) {
	rows, err := db.New(dbtx).UnusualAccess(ctx, db.UnusualAccessParams{AllCouncils: all, LaIds: las, PeriodStart: from, PeriodEnd: to, Bulk: BulkViews})
	if err != nil {
		return nil, err
	}
	return rows, Record(ctx, dbtx, Event{UserID: userID, Action: "view", Entity: "unusual_access",
		Detail: map[string]any{"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly), "flags": len(rows)}})
}
