package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/valid"
)

// Every write handler reads the keys in its route, then its JSON body, then
// calls a service and answers. keyThenBody does the reading and answers the
// first failure with fail, so a handler is only what differs: what it checks
// and which service method it calls. The route's keys are read before the
// body, so a malformed or unknown ID answers 404 whatever the body holds.

// keyThenBody reads the route's keys with key, decodes the JSON body into a
// T and calls h, answering with fail whatever error comes first. h answers
// the request itself when it returns nil.
func keyThenBody[K, T any](a *API, key func(*http.Request) (K, error), h func(http.ResponseWriter, *http.Request, K, T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k, err := key(r)
		if err == nil {
			var b T
			if err = decode(r, &b); err == nil {
				err = h(w, r, k, b)
			}
		}
		if err != nil {
			a.fail(w, r, err)
		}
	}
}

// idAndBody is keyThenBody for a route keyed by {id} alone.
func idAndBody[T any](a *API, h func(http.ResponseWriter, *http.Request, int64, T) error) http.HandlerFunc {
	return keyThenBody(a, routeID, h)
}

// decodeThen is keyThenBody for a route with no keys.
func decodeThen[T any](a *API, h func(http.ResponseWriter, *http.Request, T) error) http.HandlerFunc {
	return keyThenBody(a, noKey, func(w http.ResponseWriter, r *http.Request, _ struct{}, b T) error { return h(w, r, b) })
}

// userID is the signed-in caller, whom the authenticate middleware has set.
func userID(r *http.Request) int64 { return auth.UserFrom(r.Context()).UserID }

func noKey(*http.Request) (struct{}, error) { return struct{}{}, nil }

// routeID reads {id}.
func routeID(r *http.Request) (int64, error) { return ParseID(chi.URLParam(r, "id")) }

// optionalID reads {id} where a route has one (PUT) and gives 0 where it
// has none (POST creates).
func optionalID(r *http.Request) (int64, error) {
	if v := chi.URLParam(r, "id"); v != "" {
		return ParseID(v)
	}
	return 0, nil
}

// placementKey names a child's placement by the day it started.
type placementKey struct {
	Child int64
	Start time.Time
}

// childAndStart reads the child's ID and a placement's start date from the route.
func childAndStart(r *http.Request) (placementKey, error) {
	id, err := routeID(r)
	if err != nil {
		return placementKey{}, err
	}
	v := chi.URLParam(r, "start")
	start, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return placementKey{}, valid.Errorf("start", "%q is not a date like 2026-03-31", v)
	}
	return placementKey{Child: id, Start: start}, nil
}
