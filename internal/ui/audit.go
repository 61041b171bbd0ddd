package ui

import (
	"net/http"
	"strconv"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
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
	p := db.AuditListParams{
		AllCouncils: s.Authz.Allowed(u.UserID, authz.SystemDomain, authz.Audit, authz.Read),
		LaIds:       s.Authz.Councils(u.UserID, authz.Audit, authz.Read),
		UserEmail:   opt("user"), Entity: opt("entity"), EntityID: opt("entity_id"), Action: opt("action"), Outcome: opt("outcome"),
		PageLimit: auditPageSize + 1, PageOffset: int32((pageNo - 1) * auditPageSize),
	}
	events, err := db.New(s.Pool).AuditList(r.Context(), p)
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
