// Package ui serves Hearth's web pages and mounts the JSON API: the chi router,
// middleware (request IDs, logging, recovery, security headers, CSRF, sign-in),
// and one handler per page action.
//
// Every route is registered through handle with the resource and action it needs;
// TestEveryRouteIsProtected fails if a route escapes that.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/councils"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/mfa"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/sso"
	"github.com/hearthcare/hearth/internal/staff"
	"github.com/hearthcare/hearth/internal/valid"
)

// Deps are what the web layer needs.
type Deps struct {
	Pool          *pgxpool.Pool
	Log           *slog.Logger
	Auth          *auth.Service
	Authz         *authz.Authorizer
	Children      *children.Service
	Needs         *needs.Service
	Placements    *placements.Service
	Proceedings   *proceedings.Service
	Analytics     *analytics.Service
	Sharing       *sharing.Service
	Importer      *ssda903.Importer
	Staff         *staff.Service    // nil: made from Pool, Authz and Auth
	Councils      *councils.Service // nil: made from Pool, Authz and Sharing
	SSO           *sso.Service      // nil: made with SecretKey
	MFA           *mfa.Service      // nil: made from Pool, Authz and SecretKey, on Auth's clock
	SecretKey     sealing.Key       // seals IdP client and TOTP secrets; nil: HEARTH_SECRET_KEY from the environment
	SecureCookies bool
	MaxBody       int64 // bytes; default 1 MiB
}

// Server is the HTTP front of Hearth.
type Server struct {
	Deps
	tmpl      *templates
	router    chi.Router
	Protected map[string]Permission // "METHOD /pattern" → what it needs
	Public    map[string]bool       // "METHOD /pattern" open without signing in

	imports    *importq.Queue  // background imports, councils in turn
	background context.Context // imports outlive the request that started them
	dbDown     atomic.Bool     // the database is unreachable: logged once per outage
	navs       navCache        // each user's menu, until grants change
}

// Permission is what a route needs: a resource and an action, somewhere.
type Permission struct {
	Resource authz.Resource
	Action   authz.Action
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "hearth_session"

// New builds the server, parsing every template (a broken template fails start-up).
func New(d Deps) (*Server, error) {
	if d.MaxBody == 0 {
		d.MaxBody = 1 << 20
	}
	if d.SecretKey == nil {
		k, err := sealing.FromEnv()
		if err != nil {
			return nil, err
		}
		d.SecretKey = k
	}
	now := time.Now
	if d.Children != nil {
		now = func() time.Time { return d.Children.Now() }
	}
	t, err := parseTemplates(now)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, tmpl: t, Protected: map[string]Permission{}, Public: map[string]bool{},
		background: context.Background()}
	// Two workers: a council's big return runs beside another's small one,
	// and the rest of the service keeps its database connections.
	s.imports = importq.New(d.Pool, d.Log, 2)
	s.imports.Start(s.background)
	s.router = s.routes()
	return s, nil
}

// Handler returns the whole HTTP handler.
func (s *Server) Handler() http.Handler { return s.router }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.requestID, s.logRequests, s.recoverPanics, s.securityHeaders, s.limitBody, s.refuseNUL)
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.Warn("cross-origin request refused", "request_id", requestIDFrom(r), "origin", r.Header.Get("Origin"))
		s.fail(w, r, errCrossOrigin)
	}))
	r.Use(csrf.Handler, s.authenticate)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNoPage) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errMethod) })

	s.public(r, "GET", "/healthz", s.healthz)
	s.public(r, "GET", "/readyz", s.readyz)
	s.public(r, "GET", "/static/*", s.static)
	s.public(r, "GET", "/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.public(r, "GET", "/accessibility", s.accessibility)
	s.public(r, "GET", "/signin", s.signinForm)
	s.public(r, "POST", "/signin", s.signin)
	s.public(r, "POST", "/signout", s.signout)

	s.handle(r, "GET", "/", authz.Account, authz.Read, s.dashboard)
	s.handle(r, "GET", "/children", authz.Child, authz.Read, s.childrenList)
	s.handle(r, "GET", "/children/{id}", authz.Child, authz.Read, s.childShow)
	s.handle(r, "GET", "/children/{id}/edit", authz.Child, authz.Update, s.childEditForm)
	s.handle(r, "POST", "/children/{id}/edit", authz.Child, authz.Update, s.childEdit)
	s.handle(r, "POST", "/children/{id}/allocation", authz.Child, authz.Allocate, s.childAllocate)
	s.handle(r, "GET", "/audit", authz.Audit, authz.Read, s.auditList)
	s.handle(r, "GET", "/audit/unusual", authz.Audit, authz.Read, s.auditUnusual)
	s.handle(r, "GET", "/children/{id}/assessments/new", authz.Needs, authz.Write, s.assessmentNewForm)
	s.handle(r, "POST", "/children/{id}/assessments", authz.Needs, authz.Write, s.assessmentCreate)
	s.handle(r, "GET", "/children/{id}/assessments/compare", authz.Needs, authz.Read, s.assessmentCompare)
	s.handle(r, "POST", "/children/{id}/sdq", authz.Needs, authz.Write, s.sdqCreate)
	s.handle(r, "GET", "/assessments/{id}", authz.Needs, authz.Read, s.assessmentShow)
	s.handle(r, "GET", "/assessments/{id}/edit", authz.Needs, authz.Write, s.assessmentEditForm)
	s.handle(r, "POST", "/assessments/{id}/edit", authz.Needs, authz.Write, s.assessmentEdit)
	s.handle(r, "POST", "/assessments/{id}/decision", authz.Needs, authz.Approve, s.assessmentDecide)
	s.handle(r, "GET", "/reviews", authz.Needs, authz.Read, s.reviewsDue)
	s.handle(r, "GET", "/children/{id}/placements/move", authz.Placement, authz.Write, s.placementMoveForm)
	s.handle(r, "POST", "/children/{id}/placements/move", authz.Placement, authz.Write, s.placementMove)
	s.handle(r, "GET", "/children/{id}/placements/{start}/costs", authz.Placement, authz.Write, s.costForm)
	s.handle(r, "POST", "/children/{id}/placements/{start}/costs", authz.Placement, authz.Write, s.costCreate)
	s.handle(r, "POST", "/children/{id}/missing", authz.Placement, authz.Write, s.missingCreate)
	s.handle(r, "GET", "/children/{id}/episodes/{start}/edit", authz.Placement, authz.Write, s.episodeForm)
	s.handle(r, "POST", "/children/{id}/episodes/{start}/edit", authz.Placement, authz.Write, s.episodeCorrect)
	s.handle(r, "GET", "/children/{id}/costs/{cost}/edit", authz.Placement, authz.Write, s.costEditForm)
	s.handle(r, "POST", "/children/{id}/costs/{cost}/edit", authz.Placement, authz.Write, s.costCorrect)
	s.handle(r, "GET", "/providers", authz.Placement, authz.Read, s.providersList)
	s.handle(r, "GET", "/providers/new", authz.Placement, authz.Manage, s.providerForm)
	s.handle(r, "POST", "/providers/new", authz.Placement, authz.Manage, s.providerSave)
	s.handle(r, "GET", "/providers/{id}/edit", authz.Placement, authz.Manage, s.providerForm)
	s.handle(r, "POST", "/providers/{id}/edit", authz.Placement, authz.Manage, s.providerSave)
	s.handle(r, "GET", "/imports", authz.Placement, authz.Import, s.importsList)
	s.handle(r, "GET", "/imports/new", authz.Placement, authz.Import, s.importForm)
	s.handle(r, "GET", "/imports/{id}/problems.csv", authz.Placement, authz.Import, s.importProblems)
	s.handle(r, "POST", "/imports", authz.Placement, authz.Import, s.importCreate)
	s.handle(r, "GET", "/imports/{id}", authz.Placement, authz.Import, s.importShow)
	s.handle(r, "GET", "/analytics", authz.Child, authz.ReadAll, s.cohortPage)
	s.forecastRoutes(r)
	s.handle(r, "GET", "/reports/commissioning.pdf", authz.Child, authz.ReadAll, s.commissioningPDF)
	s.handle(r, "GET", "/children/{id}/referral.pdf", authz.Needs, authz.Read, s.referralPDF)
	s.handle(r, "GET", "/delay", authz.Proceedings, authz.Read, s.delayDashboard)
	s.handle(r, "GET", "/proceedings/new", authz.Proceedings, authz.Write, s.proceedingForm)
	s.handle(r, "POST", "/proceedings/new", authz.Proceedings, authz.Write, s.proceedingSave)
	s.handle(r, "GET", "/proceedings/{id}", authz.Proceedings, authz.Read, s.proceedingShow)
	s.handle(r, "GET", "/proceedings/{id}/edit", authz.Proceedings, authz.Write, s.proceedingForm)
	s.handle(r, "POST", "/proceedings/{id}/edit", authz.Proceedings, authz.Write, s.proceedingSave)
	s.handle(r, "POST", "/proceedings/{id}/hearings", authz.Proceedings, authz.Write, s.hearingCreate)
	s.handle(r, "POST", "/proceedings/{id}/experts", authz.Proceedings, authz.Write, s.expertCreate)
	s.handle(r, "GET", "/settings/delay", authz.Council, authz.Manage, s.delaySettingsForm)
	s.handle(r, "POST", "/settings/delay", authz.Council, authz.Manage, s.delaySettings)
	s.handle(r, "GET", "/region", authz.Region, authz.Read, s.regionPage)
	s.handle(r, "GET", "/region/report.pdf", authz.Region, authz.Read, s.regionPDF)
	s.handle(r, "GET", "/settings/sharing", authz.Council, authz.Manage, s.sharingSettingsForm)
	s.handle(r, "POST", "/settings/sharing", authz.Council, authz.Manage, s.sharingSettings)
	s.handle(r, "GET", "/settings/needs", authz.Council, authz.Manage, s.needsSettingsForm)
	s.handle(r, "POST", "/settings/needs", authz.Council, authz.Manage, s.needsSettings)
	s.staffRoutes(r)
	s.councilsRoutes(r)
	s.ssoRoutes(r)
	s.mfaRoutes(r)
	s.workdayRoutes(r)
	s.allocationRoutes(r)
	s.pdsRoutes(r)
	s.checkAnswersRoutes(r)

	for _, rt := range api.New(api.Deps{Pool: s.Pool, Log: s.Log, Authz: s.Authz, Children: s.Children, Needs: s.Needs, Placements: s.Placements,
		Proceedings: s.Proceedings, Analytics: s.Analytics, Sharing: s.Sharing, Importer: s.Importer, Imports: s.imports}).Routes() {
		s.handle(r, rt.Method, rt.Pattern, rt.Resource, rt.Action, rt.Handler)
	}
	return r
}

// handle registers a route that needs a signed-in user holding res/act somewhere.
func (s *Server) handle(r chi.Router, method, pattern string, res authz.Resource, act authz.Action, h http.HandlerFunc) {
	s.Protected[method+" "+pattern] = Permission{res, act}
	r.Method(method, pattern, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		u := auth.UserFrom(req.Context())
		if u == nil {
			s.fail(w, req, auth.ErrNoSession)
			return
		}
		if !s.Authz.AllowedAnywhere(u.UserID, res, act) {
			s.denied(req, u.UserID, string(res), string(act))
			s.fail(w, req, errForbidden)
			return
		}
		if err := s.objectGate(req, pattern, u.UserID, res, act); err != nil {
			s.fail(w, req, err)
			return
		}
		h(w, req)
	}))
}

// objectGate asks the domain service that owns the record a path names
// whether the user may act on that record, before the handler reads a form,
// validates or shows anything: so a form is never shown, and no validation
// message given, for a record the user may not change. The services decide
// again inside each method; this only keeps the handlers from answering first.
func (s *Server) objectGate(r *http.Request, pattern string, userID int64, res authz.Resource, act authz.Action) error {
	raw := chi.URLParam(r, "id")
	if raw == "" {
		return nil
	}
	id, err := api.ParseID(raw)
	if err != nil {
		return err
	}
	ctx := r.Context()
	switch {
	case strings.HasPrefix(pattern, "/children/{id}") || strings.HasPrefix(pattern, "/api/v1/children/{id}"):
		return s.Children.Authorize(ctx, userID, id, res, act)
	case strings.HasPrefix(pattern, "/assessments/{id}") || strings.HasPrefix(pattern, "/api/v1/assessments/{id}"):
		return s.Needs.Authorize(ctx, userID, id, act)
	case strings.HasPrefix(pattern, "/proceedings/{id}") || strings.HasPrefix(pattern, "/api/v1/proceedings/{id}"):
		return s.Proceedings.Authorize(ctx, userID, id, act)
	case strings.HasPrefix(pattern, "/providers/{id}"):
		return s.Placements.MayEdit(ctx, userID, id)
	}
	return nil // imports: the handler's lookup decides and audits
}

func (s *Server) public(r chi.Router, method, pattern string, h http.HandlerFunc) {
	s.Public[method+" "+pattern] = true
	r.Method(method, pattern, h)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Pool.Ping(ctx); err != nil {
		s.Log.Error("readyz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

var (
	errForbidden   = errors.New("you do not have permission to do that")
	errCrossOrigin = errors.New("cross-origin request refused")
	errNoPage      = errors.New("page not found")
	errMethod      = errors.New("method not allowed")
	errNUL         = valid.Errorf("text", "the request has a NUL character, which no field of Hearth's takes")
)
