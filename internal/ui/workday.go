package ui

import "github.com/go-chi/chi/v5"

// workdayRoutes are issue 17's: the session-timeout warning's keepalive.
func (s *Server) workdayRoutes(r chi.Router) {
	s.sessionRoutes(r)
}
