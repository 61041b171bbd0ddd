package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// assessmentBody is the JSON a client sends to create, save or move an assessment.
type assessmentBody struct {
	Version    int32          `json:"version"`
	AssessedOn string         `json:"assessed_on"`
	Reason     string         `json:"reason"`
	Ratings    []needs.Rating `json:"ratings"`
	Comment    string         `json:"comment"`
}

func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &valid.Error{Problems: []valid.Problem{{Field: "body", Message: "not valid JSON for this request: " + err.Error()}}}
	}
	return nil
}

func (b assessmentBody) draft() (needs.Draft, error) {
	d := needs.Draft{Reason: b.Reason, Ratings: b.Ratings}
	if b.AssessedOn != "" {
		t, err := time.Parse(time.DateOnly, b.AssessedOn)
		if err != nil {
			return d, &valid.Error{Problems: []valid.Problem{{Field: "assessed_on", Message: fmt.Sprintf("%q is not a date like 2026-03-31", b.AssessedOn)}}}
		}
		d.AssessedOn = t
	}
	return d, nil
}

func (a *API) assessmentCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var b assessmentBody
	if err := decode(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := b.draft()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.Needs.Create(r.Context(), u.UserID, id, d)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, out)
}

func (a *API) assessmentGet(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.Needs.Get(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// assessmentStep handles PUT (save a draft) and the submit, approve and return actions.
func (a *API) assessmentStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		id, err := ParseID(chi.URLParam(r, "id"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		var b assessmentBody
		if err := decode(r, &b); err != nil {
			a.fail(w, r, err)
			return
		}
		var out needs.Assessment
		switch step {
		case "save":
			d, derr := b.draft()
			if derr != nil {
				a.fail(w, r, derr)
				return
			}
			out, err = a.Needs.Save(r.Context(), u.UserID, id, b.Version, d)
		case "submit":
			out, err = a.Needs.Submit(r.Context(), u.UserID, id, b.Version)
		case "approve":
			out, err = a.Needs.Approve(r.Context(), u.UserID, id, b.Version)
		case "return":
			out, err = a.Needs.Return(r.Context(), u.UserID, id, b.Version, b.Comment)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		WriteJSON(w, http.StatusOK, out)
	}
}
