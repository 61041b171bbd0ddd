package ui

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/authz"
)

// sessionRoutes serve the warning before an idle session ends (GOV.UK's
// "warn before timeout", WCAG 2.2.1): hearth.js shows a dialog two minutes
// before the idle limit, and "Stay signed in" calls keepalive.
func (s *Server) sessionRoutes(r chi.Router) {
	s.handle(r, "POST", "/session/keepalive", authz.Account, authz.Read, s.keepalive)
}

// keepalive answers a signed-in request: authenticate has already moved the
// session's last use on (it writes once a minute at most, and the warning
// comes two minutes before the end, so the write always happens).
func (s *Server) keepalive(w http.ResponseWriter, r *http.Request) {
	api.WriteJSON(w, http.StatusOK, map[string]any{"idle_seconds": int(s.Auth.Settings().SessionIdle.Seconds())})
}
