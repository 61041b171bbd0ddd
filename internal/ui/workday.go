package ui

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/valid"
)

// workdayRoutes are issue 17's: the session-timeout warning's keepalive, and
// recording the outcome of a hearing listed before it happened.
func (s *Server) workdayRoutes(r chi.Router) {
	s.sessionRoutes(r)
	s.handle(r, "POST", "/proceedings/{id}/hearings/outcome", authz.Proceedings, authz.Write, s.hearingOutcome)
}

func (s *Server) hearingOutcome(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	// The hearing is a form field, not part of the address: the object the
	// route names (and objectGate checks) is the case.
	hearing, err := strconv.ParseInt(f.Get("hearing"), 10, 64)
	if err != nil {
		err = valid.Errorf("hearing", "Choose the hearing to record the outcome of")
	} else {
		err = s.Proceedings.RecordOutcome(r.Context(), u.UserID, id, hearing, f.Get("outcome"), f.Get("reason"))
	}
	s.afterCaseChange(w, r, u.UserID, id, err, caseFlashes["outcome"], f, nil)
}
