package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/valid"
)

const auditPageSize = 100

// auditList shows the audit trail of the councils the auditor covers; a
// system-wide auditor sees every council's events and those of no council.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	f := map[string]string{}
	opt := func(k string) *string {
		v := q.Get(k)
		f[k] = v
		if v == "" {
			return nil
		}
		return &v
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	events, err := audit.List(r.Context(), s.Pool, s.Authz.Allowed(u.UserID, authz.SystemDomain, authz.Audit, authz.Read),
		s.Authz.Councils(u.UserID, authz.Audit, authz.Read),
		audit.Filter{UserEmail: opt("user"), Entity: opt("entity"), EntityID: opt("entity_id"), Action: opt("action"), Outcome: opt("outcome")},
		auditPageSize+1, int32((pageNo-1)*auditPageSize))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := ""
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		nq := r.URL.Query()
		nq.Set("page", strconv.Itoa(pageNo+1))
		next = "/audit?" + nq.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", page{Title: "Audit trail", Data: map[string]any{"Events": events, "F": f,
		"NextURL": next, "Outcomes": []string{"ok", "denied", "not_found", "failed"}}})
}

// auditUnusual is the auditor's report of access to look at (audit.Unusual).
func (s *Server) auditUnusual(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	var ps valid.Problems
	from, to := formDate(&ps, r.URL.Query(), "from", false), formDate(&ps, r.URL.Query(), "to", false)
	if to.IsZero() {
		to = s.Analytics.Today().AddDate(0, 0, 1)
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	if !to.After(from) {
		ps.Add("to", "the period ends before it starts")
	}
	if err := ps.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := audit.Unusual(r.Context(), s.Pool, u.UserID, s.Authz.Allowed(u.UserID, authz.SystemDomain, authz.Audit, authz.Read),
		s.Authz.Councils(u.UserID, authz.Audit, authz.Read), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	councils, err := s.Councils.Names(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	councils[0] = "—"
	s.render(w, r, http.StatusOK, "audit_unusual", page{Title: "Unusual access", Data: map[string]any{"Rows": rows, "Kinds": audit.UnusualKinds,
		"Councils": councils, "From": from.Format(time.DateOnly), "To": to.Format(time.DateOnly)}})
}
