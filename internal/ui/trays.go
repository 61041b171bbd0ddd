package ui

import (
	"net/http"
	"sort"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/proceedings"
)

// trays is the work on each role's dashboard, each item linking to its action.
// The domain services gather and scope it (by council, as every read is).
type trays struct {
	Worker  *needs.Tray
	New     []db.TrayNewToCaseloadRow
	Today   time.Time
	Manager *managerTray
	Court   *proceedings.CourtTray
	Audit   *auditTray
	Commish *commissionerTray
}

// commissionerTray is a commissioner's: placements with no cost today, and
// the commissioning report, linked straight to when they have one council.
type commissionerTray struct {
	placements.CommissionerTray
	ReportLA    int32                 // the one council whose report is linked, or 0 to choose on /analytics
	NewStepDown []analytics.Candidate // step-down candidates today who were not on Since
	Since       time.Time
}

// auditTray is an auditor's: the unusual-access findings of the last 30 days
// in the councils they audit, the first few shown, all on /audit/unusual.
type auditTray struct {
	Rows  []db.UnusualAccessRow
	Total int
	Kinds map[string]string
}

// auditTrayRows is how many findings the dashboard shows before "see all".
const auditTrayRows = 5

type managerTray struct {
	Approvals []needs.Approval
	Teams     []string // the teams approvals come from, for the filter
	Team      string   // the team chosen, or "" for all
	Allocs    children.ManagerTray
	ByWorker  []workerCount // overdue reviews by worker
}

type workerCount struct {
	Worker, Team string
	Count        int
}

func (s *Server) workTrays(r *http.Request, userID int64) (trays, error) {
	ctx := r.Context()
	t := trays{Today: s.Needs.Now()}
	// A social worker's tray: their own drafts and returns, reviews coming due, and new children.
	if len(s.Authz.ChildScope(userID).All) == 0 && s.Authz.AllowedAnywhere(userID, authz.Needs, authz.Write) {
		w, err := s.Needs.WorkTray(ctx, userID)
		if err != nil {
			return t, err
		}
		t.Worker = &w
		if t.New, err = s.Needs.NewToCaseload(ctx, userID, t.Today.AddDate(0, 0, -needs.TrayDays)); err != nil {
			return t, err
		}
	}
	if s.Authz.AllowedAnywhere(userID, authz.Needs, authz.Approve) {
		m := &managerTray{Team: r.URL.Query().Get("team")}
		all, err := s.Needs.ApprovalsByTeam(ctx, userID)
		if err != nil {
			return t, err
		}
		seen := map[string]bool{}
		for _, a := range all {
			if !seen[a.AuthorTeam] {
				seen[a.AuthorTeam] = true
				m.Teams = append(m.Teams, a.AuthorTeam)
			}
			if m.Team == "" || a.AuthorTeam == m.Team {
				m.Approvals = append(m.Approvals, a)
			}
		}
		sort.Strings(m.Teams)
		if m.Allocs, err = s.Children.AllocationTray(ctx, userID); err != nil {
			return t, err
		}
		l, err := s.Needs.Overdue(ctx, userID, nil, nil)
		if err != nil {
			return t, err
		}
		by := map[[2]string]int{}
		for _, c := range l.Children {
			by[[2]string{c.WorkerName, c.Team}]++
		}
		for k, n := range by {
			m.ByWorker = append(m.ByWorker, workerCount{Worker: k[0], Team: k[1], Count: n})
		}
		sort.Slice(m.ByWorker, func(i, j int) bool {
			a, b := m.ByWorker[i], m.ByWorker[j]
			return a.Count > b.Count || a.Count == b.Count && a.Worker < b.Worker
		})
		t.Manager = m
	}
	// Managing placements (providers, imports) is the commissioner's; team managers record costs too but have their own tray.
	if s.Authz.AllowedAnywhere(userID, authz.Placement, authz.Manage) {
		c, err := s.Placements.WorkTray(ctx, userID)
		if err != nil {
			return t, err
		}
		t.Commish = &commissionerTray{CommissionerTray: c}
		if t.Commish.NewStepDown, t.Commish.Since, err = s.Analytics.StepDownNew(ctx, userID, s.Analytics.Today()); err != nil {
			return t, err
		}
		if las := s.Authz.Councils(userID, authz.Child, authz.ReadAll); len(las) == 1 {
			t.Commish.ReportLA = las[0]
		}
	}
	all := s.Authz.Allowed(userID, authz.SystemDomain, authz.Audit, authz.Read)
	if las := s.Authz.Councils(userID, authz.Audit, authz.Read); all || len(las) > 0 {
		to := s.Analytics.Today().AddDate(0, 0, 1)
		rows, err := audit.Unusual(ctx, s.Pool, userID, all, las, to.AddDate(0, 0, -30), to)
		if err != nil {
			return t, err
		}
		t.Audit = &auditTray{Rows: rows[:min(len(rows), auditTrayRows)], Total: len(rows), Kinds: audit.UnusualKinds}
	}
	if s.Authz.AllowedAnywhere(userID, authz.Proceedings, authz.Write) {
		c, err := s.Proceedings.WorkTray(ctx, userID)
		if err != nil {
			return t, err
		}
		t.Court = &c
	}
	return t, nil
}
