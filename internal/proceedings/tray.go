package proceedings

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
)

// TrayCase is an open case as the court officer's tray shows it.
type TrayCase struct {
	db.TrayOpenCasesRow
	Weeks     float64   // weeks since issue, today
	Passes    int       // 20 or 26, when the case passes that week within the month
	PassesOn  time.Time // the day it does
	HasNextOn bool
}

// CourtTray is a court officer's work: open cases passing 20 and 26 weeks in
// the next month, hearings in the next fortnight, and open cases with no
// hearing listed.
type CourtTray struct {
	Passing   []TrayCase
	Hearings  []TrayCase // by their next hearing, within 14 days
	NoHearing []TrayCase
}

// WorkTray gathers it in the councils where the caller may record proceedings.
// It lists case numbers, not children, and is audited as a list of cases.
func (s *Service) WorkTray(ctx context.Context, userID int64) (CourtTray, error) {
	las := s.authz.Councils(userID, authz.Proceedings, authz.Write)
	var t CourtTray
	if len(las) == 0 {
		return t, nil
	}
	today := s.today()
	rows, err := db.New(s.pool).TrayOpenCases(ctx, db.TrayOpenCasesParams{Today: today, LaIds: las})
	if err != nil {
		return t, fmt.Errorf("court tray: %w", err)
	}
	month, fortnight := today.AddDate(0, 1, 0), today.AddDate(0, 0, 14)
	var shown []audit.Shown
	for _, r := range rows {
		c := TrayCase{TrayOpenCasesRow: r, Weeks: today.Sub(r.IssuedOn).Hours() / 24 / 7, HasNextOn: r.HasNext}
		for _, w := range []int{20, 26} {
			on := r.IssuedOn.AddDate(0, 0, 7*w)
			if !on.Before(today) && on.Before(month) {
				c.Passes, c.PassesOn = w, on
			}
		}
		listed := false
		if c.Passes != 0 {
			t.Passing = append(t.Passing, c)
			listed = true
		}
		if r.HasNext && r.NextOn.Before(fortnight) {
			t.Hearings = append(t.Hearings, c)
			listed = true
		}
		if !r.HasNext {
			t.NoHearing = append(t.NoHearing, c)
			listed = true
		}
		if listed {
			shown = append(shown, audit.Shown{LAID: r.LaID, ID: r.ProceedingID})
		}
	}
	sortByNext(t.Hearings)
	return t, audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "proceedings_tray",
		Detail: map[string]any{"as_of": today.Format(time.DateOnly)}}, shown)
}

func sortByNext(cs []TrayCase) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].NextOn.Before(cs[j].NextOn) })
}
