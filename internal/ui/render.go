package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/chart"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
	"github.com/hearthcare/hearth/web"
)

type templates struct {
	pages  map[string]*template.Template
	hashes map[string]string // static file → content hash, for cache-busting URLs
}

// page is what every template receives.
type page struct {
	Title  string
	User   *db.User
	Nav    []navItem
	Flash  string
	Errors []valid.Problem
	Data   any
	// The session's idle limit, for the warning before sign-out (hearth.js),
	// and the page's path, to come back to after signing in again.
	IdleSeconds, IdleMinutes int
	Path                     string
}

type navItem struct {
	Label, Href string
	Active      bool
}

// now is the clock ages on pages are worked out with (the services' clock).
func parseTemplates(now func() time.Time) (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}, hashes: map[string]string{}}
	err := fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.Static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		t.hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:10]
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			h, ok := t.hashes[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return "/static/" + name + "?v=" + h, nil
		},
		"date":     formatDate,
		"linkWith": linkWith,
		"datetime": func(t time.Time) string { return t.In(london).Format("2 Jan 2006 15:04:05") },
		// when is a moment as GOV.UK writes one: "31 March 2026 at 11:00am".
		// The audit trail and imports keep datetime's seconds.
		"when": func(t time.Time) string {
			t = t.In(london)
			return t.Format("2 January 2006") + " at " + strings.ToLower(t.Format("3:04PM"))
		},
		"age": func(dob time.Time) int { return children.Age(dob, now()) },
		"yesNo": func(b bool) string {
			if b {
				return "Yes"
			}
			return "No"
		},
		"sexLabel":       func(s string) string { return map[string]string{"M": "Male", "F": "Female", "U": "Not known"}[s] },
		"ethnicityLabel": ethnicityLabel,
		"deref":          func(p *int32) int32 { return *p },
		"reason":         func(r string) string { return reasonLabels[r] },
		"status": func(st string) string {
			return map[string]string{"draft": "Draft", "submitted": "Submitted", "approved": "Approved", "returned": "Returned"}[st]
		},
		"band": func(b string) string {
			return strings.ToUpper(b[:min(1, len(b))]) + strings.ReplaceAll(b[min(1, len(b)):], "_", " ")
		},
		"sdqBand": needs.SDQBand,
		"sub":     func(a, b int32) int32 { return a - b },
		"seq": func(lo, hi int32) []int32 {
			var out []int32
			for i := lo; i <= hi; i++ {
				out = append(out, i)
			}
			return out
		},
		"eqLevel":     func(p *int32, l int32) bool { return p != nil && *p == l },
		"pounds":      func(p int64) string { return chart.Pounds(float64(p) / 100) },
		"place":       func(c string) string { return ssda903.PlaceLabels[c] },
		"provKind":    func(c string) string { return ssda903.ProviderLabels[c] },
		"reasonPlace": func(c string) string { return placements.Reasons()[c] },
		"miles": func(m *float64) string {
			if m == nil {
				return "Not known"
			}
			return strconv.FormatFloat(*m, 'f', 1, 64) + " miles"
		},
		"deref8":  func(b *bool) bool { return b != nil && *b },
		"deref8s": func(s *string) string { return deref(s) },
		"deref4": func(n *int32) int32 {
			if n == nil {
				return 0
			}
			return *n
		},
		"join":        strings.Join,
		"legalStatus": func(c string) string { return ssda903.LegalStatusLabels[c] },
		"finalOrder":  func(c *string) string { return proceedings.FinalOrders[deref(c)] },
		"hearingKind": func(c string) string { return proceedings.HearingKinds[c] },
		"weeks":       func(w float64) string { return strconv.FormatFloat(w, 'f', 1, 64) },
		"subPence":    func(a, b int64) int64 { return a - b },
		"sub32i":      func(a, b int) int { return a - b },
		"poundsF":     chart.Pounds,
		"splitKey":    func(k string) []string { a, b, _ := strings.Cut(k, "|"); return []string{a, b} },
		"pct":         func(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" },
		"dict2": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"what":     func(m sharing.Member) string { return sharing.What(m.Needs, m.Placements, m.Proceedings) },
		"shares":   sharing.What,
		"derefT":   func(t *time.Time) time.Time { return *t },
		"roleName": func(r string) string { return roleNames[authz.Role(r)] },
		"errFor": func(errs []valid.Problem, field string) string {
			for _, p := range errs {
				if p.Field == field {
					return p.Message
				}
			}
			return ""
		},
		// Published regional figures: "c" where suppressed.
		"amtPounds": func(a sharing.Amount) string { return a.Format(chart.Pounds) },
		"amtPct": func(a sharing.Amount) string {
			return a.Format(func(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" })
		},
		"amtNum": func(a sharing.Amount) string {
			return a.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) })
		},
		"amtWeeks": func(a sharing.Amount) string {
			return a.Format(func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) })
		},
		"rne": func(c string) string {
			return map[string]string{"S": "Started to be looked after", "L": "Legal status changed", "P": "Placement and carer changed",
				"T": "Placement changed, same carer", "B": "Legal status and placement changed", "U": "Legal status and placement changed, same carer"}[c]
		},
		"dict": func(kv ...string) map[string]string {
			m := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return m
		},
		"selectField": func(name, label string, options []codeLabel, value string, errs []valid.Problem) map[string]any {
			m := map[string]any{"Name": name, "Label": label, "Options": options, "Value": value}
			for _, e := range errs {
				if e.Field == name {
					m["Error"] = e.Message
				}
			}
			return m
		},
		"yesNoNil": func(b *bool) string {
			if b == nil {
				return "Not known"
			}
			return map[bool]string{true: "Yes", false: "No"}[*b]
		},
		"field": func(name, label string, value any, errs []valid.Problem) map[string]any {
			m := map[string]any{"Name": name, "Label": label, "Value": value}
			for _, e := range errs {
				if e.Field == name {
					m["Error"] = e.Message
				}
			}
			return m
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(web.Templates, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(web.Templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		clone := template.Must(layout.Clone())
		if _, err := clone.ParseFS(web.Templates, n); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		t.pages[base] = clone
	}
	return t, nil
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func formatDate(v any) string {
	switch t := v.(type) {
	case time.Time:
		return t.Format("2 January 2006")
	case *time.Time:
		if t == nil {
			return ""
		}
		return t.Format("2 January 2006")
	}
	return ""
}

// render writes a page. It renders into a buffer first so that a template error
// becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.Log.Error("no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.User = auth.UserFrom(r.Context())
	if p.User != nil {
		p.Nav = s.nav(r)
		idle := s.Auth.Settings().SessionIdle
		p.IdleSeconds, p.IdleMinutes, p.Path = int(idle.Seconds()), int(idle.Minutes()), localPath(r.URL.RequestURI())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render", "template", name, "err", err, "request_id", requestIDFrom(r))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail maps an error to a status and an answer: an HTML page, or JSON under /api.
// Server errors are logged here, once.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Sorry, something went wrong. The problem has been logged."
	var ve *valid.Error
	var mbe *http.MaxBytesError
	var notShared *sharing.NotSharedError
	switch {
	case errors.As(err, &mbe):
		status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is too large (the limit is %d bytes).", mbe.Limit)
	case errors.As(err, &ve):
		status, msg = http.StatusUnprocessableEntity, ve.Error()
	case errors.Is(err, auth.ErrNoSession), errors.Is(err, auth.ErrDisabled):
		status, msg = http.StatusUnauthorized, "Sign in to continue."
	case errors.As(err, &notShared):
		status, msg = http.StatusForbidden, notShared.Error()+"."
	case errors.Is(err, sharing.ErrNotRunning):
		status, msg = http.StatusConflict, "That agreement has already ended."
	case errors.Is(err, errForbidden), errors.Is(err, children.ErrForbidden):
		status, msg = http.StatusForbidden, "You do not have permission to see this page or do this."
		if u := auth.UserFrom(r.Context()); u != nil && len(s.Authz.RCCs(u.UserID, authz.Region, authz.Read)) > 0 && !s.Authz.AllowedAnywhere(u.UserID, authz.Child, authz.Read) {
			msg = "Regional analysts see de-identified figures only, under disclosure control: children's records, and any one child, stay with their council."
		}
	case errors.Is(err, errCrossOrigin):
		status, msg = http.StatusForbidden, "This request came from another website and was refused."
	case errors.Is(err, children.ErrNotFound), errors.Is(err, needs.ErrNotFound), errors.Is(err, errNoPage), errors.Is(err, api.ErrBadID):
		status, msg = http.StatusNotFound, "Page not found. If you typed the web address, check it is correct."
	case errors.Is(err, errMethod):
		status, msg = http.StatusMethodNotAllowed, "That action is not available here."
	case errors.Is(err, children.ErrConflict), errors.Is(err, needs.ErrConflict), errors.Is(err, placements.ErrConflict), errors.Is(err, proceedings.ErrConflict):
		status, msg = http.StatusConflict, "Someone else changed this record while you were editing it."
	case errors.Is(err, context.Canceled):
		return
	case postgres.IsUnavailable(err):
		status, msg = http.StatusServiceUnavailable, "Hearth cannot reach its database — your work is kept, try again in a moment. "+
			"If you were saving a form, go back: your browser keeps what you typed."
		w.Header().Set("Retry-After", "5")
		if s.dbDown.CompareAndSwap(false, true) {
			s.Log.Error("database unreachable", "request_id", requestIDFrom(r), "path", r.URL.Path, "err", err)
		}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.Log.Error("request failed", "request_id", requestIDFrom(r), "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		api.WriteError(w, status, msg, ve)
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	title := map[int]string{400: "Bad request", 401: "Sign in", 403: "You cannot do this", 404: "Page not found",
		405: "Not available", 409: "Changed by someone else", 413: "Too large", 422: "Check your answers", 500: "Sorry, there is a problem", 503: "Try again in a moment"}[status]
	s.render(w, r, status, "error", page{Title: title, Data: map[string]string{"Message": msg, "RequestID": requestIDFrom(r)}})
}

// denied audits a refused request.
// denied records a refusal at the route, against the councils the user holds
// a role in (so their own council's auditor sees the attempt) and the council
// whose record the path names, if any.
func (s *Server) denied(r *http.Request, userID int64, entity, action string) {
	las := s.Authz.Councils(userID, authz.Account, authz.Read)
	if la, ok := s.councilOfPath(r); ok {
		las = append(las, la)
	}
	err := audit.RecordCouncils(r.Context(), s.Pool, audit.Event{UserID: userID, Action: action, Entity: entity,
		Outcome: audit.Denied, Detail: map[string]any{"path": r.URL.Path, "method": r.Method}}, las, nil)
	if err != nil {
		s.Log.Error("audit denied request", "err", err, "request_id", requestIDFrom(r))
	}
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	// Files only: a directory (or its index) would list what is there.
	if strings.HasSuffix(r.URL.Path, "/") {
		s.fail(w, r, errNoPage)
		return
	}
	if st, err := fs.Stat(web.Static, strings.TrimPrefix(path.Clean(r.URL.Path), "/")); err != nil || st.IsDir() {
		s.fail(w, r, errNoPage)
		return
	}
	http.FileServerFS(web.Static).ServeHTTP(w, r)
}

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", page{Title: "Accessibility statement"})
}

func ethnicityLabel(code string) string {
	labels := map[string]string{
		"WBRI": "White British", "WIRI": "White Irish", "WIRT": "Traveller of Irish heritage", "WOTH": "Any other White background",
		"WROM": "Gypsy/Roma", "MWBC": "White and Black Caribbean", "MWBA": "White and Black African", "MWAS": "White and Asian",
		"MOTH": "Any other mixed background", "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi",
		"AOTH": "Any other Asian background", "BCRB": "Black Caribbean", "BAFR": "Black African", "BOTH": "Any other Black background",
		"CHNE": "Chinese", "OOTH": "Any other ethnic group", "REFU": "Refused", "NOBT": "Information not yet obtained",
	}
	if l, ok := labels[code]; ok {
		return l + " (" + code + ")"
	}
	return code
}

// councilOfPath finds the council whose record a refused request names: the
// child, assessment, case, provider or import in the path, or the council in
// the query. It is only ever written to the audit trail.
func (s *Server) councilOfPath(r *http.Request) (int32, bool) {
	for _, k := range []string{"la", "council"} {
		if v := r.URL.Query().Get(k); v != "" {
			if n, err := strconv.ParseInt(v, 10, 32); err == nil && n > 0 {
				return int32(n), true
			}
		}
	}
	rc := chi.RouteContext(r.Context())
	if rc == nil {
		return 0, false
	}
	id := chi.URLParam(r, "id")
	pattern := rc.RoutePattern()
	if strings.HasPrefix(pattern, "/staff/{id}") {
		// A member of staff's council: the first they hold or held a role in.
		n, err := api.ParseID(id)
		if err != nil {
			return 0, false
		}
		las, err := s.Staff.CouncilsOfAccount(r.Context(), n)
		return firstCouncil(las), err == nil && len(las) > 0
	}
	for _, e := range []struct{ path, entity string }{{"/children/{id}", "child"}, {"/assessments/{id}", "needs_assessment"},
		{"/proceedings/{id}", "proceeding"}, {"/providers/{id}", "provider"}, {"/imports/{id}", "import"}} {
		if strings.Contains(pattern, e.path) {
			la, err := audit.CouncilOf(r.Context(), s.Pool, e.entity, id)
			return la, err == nil && la != 0
		}
	}
	return 0, false
}

func firstCouncil(las []int32) int32 {
	if len(las) == 0 {
		return 0
	}
	return las[0]
}
