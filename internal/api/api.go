// Package api serves Hearth's JSON API under /api/v1, for signed-in sessions and
// bearer tokens (hearth user token). It shares the domain services, the
// authorisation and the audit trail with the web pages; internal/ui mounts its
// routes and checks each route's declared permission before the handler runs.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/pds"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// Deps are what the API needs.
type Deps struct {
	Pool        *pgxpool.Pool
	Log         *slog.Logger
	Authz       *authz.Authorizer
	Children    *children.Service
	Needs       *needs.Service
	Placements  *placements.Service
	Proceedings *proceedings.Service
	Analytics   *analytics.Service
	Sharing     *sharing.Service
	Importer    *ssda903.Importer // an import's state and report
	Imports     *importq.Queue    // the background imports the upload page uses too
}

// API holds the JSON handlers.
type API struct{ Deps }

// New returns the API.
func New(d Deps) *API { return &API{d} }

// Route is one API endpoint and the permission it needs.
type Route struct {
	Method, Pattern string
	Resource        authz.Resource
	Action          authz.Action
	Handler         http.HandlerFunc
}

// Routes lists every endpoint.
func (a *API) Routes() []Route {
	return append([]Route{
		{"GET", "/api/v1/children", authz.Child, authz.Read, a.childrenList},
		{"GET", "/api/v1/children/{id}", authz.Child, authz.Read, a.childGet},
		{"GET", "/api/v1/openapi.json", authz.Account, authz.Read, a.openAPI},
		{"POST", "/api/v1/children/{id}/assessments", authz.Needs, authz.Write, idAndBody(a, a.assessmentCreate)},
		{"GET", "/api/v1/assessments/{id}", authz.Needs, authz.Read, a.assessmentGet},
		{"PUT", "/api/v1/assessments/{id}", authz.Needs, authz.Write, a.assessmentStep("save")},
		{"POST", "/api/v1/assessments/{id}/submit", authz.Needs, authz.Write, a.assessmentStep("submit")},
		{"POST", "/api/v1/assessments/{id}/approve", authz.Needs, authz.Approve, a.assessmentStep("approve")},
		{"POST", "/api/v1/assessments/{id}/return", authz.Needs, authz.Approve, a.assessmentStep("return")},
		{"GET", "/api/v1/children/{id}/needs", authz.Needs, authz.Read, a.needsHistory},
		{"GET", "/api/v1/children/{id}/assessments.csv", authz.Needs, authz.Export, a.assessmentsCSV},
		{"GET", "/api/v1/assessments.csv", authz.Needs, authz.Export, a.assessmentsCSV},
		{"POST", "/api/v1/children/{id}/sdq", authz.Needs, authz.Write, idAndBody(a, a.sdqCreate)},
		{"GET", "/api/v1/reviews/overdue", authz.Needs, authz.Read, a.reviewsOverdue},
		{"GET", "/api/v1/children/{id}/placements", authz.Placement, authz.Read, a.placementsGet},
		{"GET", "/api/v1/providers", authz.Placement, authz.Read, a.providersList},
		{"GET", "/api/v1/ssda903/export", authz.Placement, authz.Export, a.ssda903Export},
		{"GET", "/api/v1/proceedings/{id}", authz.Proceedings, authz.Read, a.proceedingGet},
		{"GET", "/api/v1/delay", authz.Proceedings, authz.Read, a.delayJSON},
		{"GET", "/api/v1/delay.csv", authz.Proceedings, authz.Export, a.delayCSV},
		{"GET", "/api/v1/analytics", authz.Child, authz.ReadAll, a.cohortJSON},
		{"GET", "/api/v1/analytics/{table}.csv", authz.Child, authz.ReadAll, a.cohortCSV},
		{"GET", "/api/v1/region", authz.Region, authz.Read, a.regionJSON},
		{"GET", "/api/v1/region/extract.csv", authz.Region, authz.Export, a.regionExtract},
		{"GET", "/api/v1/region/council", authz.Region, authz.Read, a.councilRegion},
		{"GET", "/api/v1/forecast", authz.Forecast, authz.Read, a.forecastJSON},
		{"GET", "/api/v1/forecast.csv", authz.Forecast, authz.Export, a.forecastCSV},
	}, slices.Concat(a.exchangeRoutes(), a.writeRoutes(), a.pdsRoutes(), a.settingsRoutes(), a.regionForecastRoutes(), a.analyticsRoutes())...)
}

// ErrBadID is a malformed ID in a URL; it answers 404 like an unknown one.
var ErrBadID = errors.New("malformed id")

// ParseID reads a positive integer ID from a URL.
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q", ErrBadID, s)
	}
	return id, nil
}

// ParseLA reads an optional three-digit council code.
func ParseLA(v string) (*int32, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 100 || n > 999 {
		return nil, valid.Errorf("la", "%q is not a three-digit council code", v)
	}
	la := int32(n)
	return &la, nil
}

// ParseChildFilter reads a children filter from query parameters, saying what is wrong with each.
func ParseChildFilter(q url.Values) (children.Filter, error) {
	f := children.Filter{Search: q.Get("q"), Sex: q.Get("sex"), AgeBand: q.Get("age_band")}
	var ps []valid.Problem
	intParam := func(name string, bits int) int64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil || n < 1 {
			ps = append(ps, valid.Problem{Field: name, Message: fmt.Sprintf("%q is not a positive whole number", v)})
		}
		return n
	}
	boolParam := func(name string) *bool {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			ps = append(ps, valid.Problem{Field: name, Message: fmt.Sprintf("%q is not true or false", v)})
			return nil
		}
		return &b
	}
	f.LAID = int32(intParam("council", 32))
	f.WorkerID = intParam("worker", 64)
	f.Page = int(intParam("page", 32))
	f.UASC = boolParam("uasc")
	f.EHCPlan = boolParam("ehc")
	if len(ps) > 0 {
		return f, &valid.Error{Problems: ps}
	}
	return f, f.Validate()
}

// Child is a child as the API shows it.
type Child struct {
	ID          int64     `json:"id"`
	Council     int32     `json:"council"`
	CouncilName string    `json:"council_name"`
	Ref         string    `json:"child_ref"`
	GivenName   string    `json:"given_name"`
	FamilyName  string    `json:"family_name"`
	DateOfBirth string    `json:"date_of_birth"`
	Sex         string    `json:"sex"`
	Ethnicity   string    `json:"ethnicity"`
	UASC        bool      `json:"uasc"`
	EHCPlan     bool      `json:"ehc_plan"`
	Disability  bool      `json:"disability"`
	Worker      string    `json:"social_worker,omitempty"`
	Version     int32     `json:"version,omitempty"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

func (a *API) childrenList(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	f, err := ParseChildFilter(r.URL.Query())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.Children.List(r.Context(), u.UserID, f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Children []Child `json:"children"`
		Total    int64   `json:"total"`
		Page     int     `json:"page"`
		Pages    int     `json:"pages"`
	}{Children: []Child{}, Total: p.Total, Page: p.Page, Pages: p.Pages}
	for _, c := range p.Children {
		out.Children = append(out.Children, Child{ID: c.ChildID, Council: c.LaID, CouncilName: c.CouncilName, Ref: c.ChildRef,
			GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth.Format(time.DateOnly), Sex: c.Sex,
			Ethnicity: c.Ethnicity, UASC: c.Uasc, EHCPlan: c.EhcPlan, Disability: c.Disability, Worker: c.WorkerName})
	}
	WriteJSON(w, http.StatusOK, out)
}

func (a *API) childGet(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rec, err := a.Children.Get(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c := rec.Child
	out := Child{ID: c.ChildID, Council: c.LaID, CouncilName: c.CouncilName, Ref: c.ChildRef, GivenName: c.GivenName,
		FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth.Format(time.DateOnly), Sex: c.Sex, Ethnicity: c.Ethnicity,
		UASC: c.Uasc, EHCPlan: c.EhcPlan, Disability: c.Disability, Version: c.Version, UpdatedAt: c.UpdatedAt}
	for _, al := range rec.Allocations {
		if al.ValidTo == nil {
			out.Worker = al.DisplayName
			break
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// WriteJSON writes v as a JSON answer. It encodes to a buffer before the
// status line, so a value that cannot be encoded becomes a 500 with its cause
// logged, never a 200 with an empty or cut-off body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		slog.Error("api answer could not be encoded", "status", status, "type", fmt.Sprintf("%T", v), "err", err)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("{\n  \"error\": \"internal error\"\n}\n"))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Problem is one field's problem in an error answer.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// WriteError writes {"error": msg, "problems": [...]}.
func WriteError(w http.ResponseWriter, status int, msg string, ve *valid.Error) {
	body := struct {
		Error    string    `json:"error"`
		Problems []Problem `json:"problems,omitempty"`
	}{Error: msg}
	if ve != nil {
		body.Error = "the request has problems"
		for _, p := range ve.Problems {
			body.Problems = append(body.Problems, Problem{p.Field, p.Message})
		}
	}
	WriteJSON(w, status, body)
}

// fail maps an error to a JSON error answer.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *valid.Error
	switch {
	case errors.As(err, &ve):
		WriteError(w, http.StatusUnprocessableEntity, "", ve)
	case errors.As(err, new(*http.MaxBytesError)):
		WriteError(w, http.StatusRequestEntityTooLarge, "the request is too large", nil)
	case errors.Is(err, children.ErrNotFound), errors.Is(err, needs.ErrNotFound), errors.Is(err, ErrBadID):
		WriteError(w, http.StatusNotFound, "not found", nil)
	case errors.As(err, new(*sharing.NotSharedError)):
		WriteError(w, http.StatusForbidden, err.Error(), nil)
	case errors.Is(err, sharing.ErrNoAgreement):
		WriteError(w, http.StatusNotFound, err.Error(), nil)
	case errors.Is(err, children.ErrForbidden):
		WriteError(w, http.StatusForbidden, "you do not have permission", nil)
	case errors.Is(err, children.ErrConflict), errors.Is(err, needs.ErrConflict), errors.Is(err, placements.ErrConflict), errors.Is(err, proceedings.ErrConflict),
		errors.Is(err, pds.ErrConflict):
		WriteError(w, http.StatusConflict, err.Error(), nil)
	default:
		a.Log.Error("api request failed", "path", r.URL.Path, "err", err)
		WriteError(w, http.StatusInternalServerError, "internal error", nil)
	}
}
