package api

import (
	"bytes"
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
	Instrument string         `json:"instrument"`
	Supersedes *int64         `json:"supersedes"`
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
	d := needs.Draft{Instrument: b.Instrument, Supersedes: b.Supersedes, Reason: b.Reason, Ratings: b.Ratings}
	if b.AssessedOn != "" {
		t, err := time.Parse(time.DateOnly, b.AssessedOn)
		if err != nil {
			return d, &valid.Error{Problems: []valid.Problem{{Field: "assessed_on", Message: fmt.Sprintf("%q is not a date like 2026-03-31", b.AssessedOn)}}}
		}
		d.AssessedOn = t
	}
	return d, nil
}

func (a *API) assessmentCreate(w http.ResponseWriter, r *http.Request, id int64, b assessmentBody) error {
	d, err := b.draft()
	if err != nil {
		return err
	}
	out, err := a.Needs.Create(r.Context(), userID(r), id, d)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
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
	return idAndBody(a, func(w http.ResponseWriter, r *http.Request, id int64, b assessmentBody) error {
		var out needs.Assessment
		var err error
		switch step {
		case "save":
			d, derr := b.draft()
			if derr != nil {
				return derr
			}
			out, err = a.Needs.Save(r.Context(), userID(r), id, b.Version, d)
		case "submit":
			out, err = a.Needs.Submit(r.Context(), userID(r), id, b.Version)
		case "approve":
			out, err = a.Needs.Approve(r.Context(), userID(r), id, b.Version)
		case "return":
			out, err = a.Needs.Return(r.Context(), userID(r), id, b.Version, b.Comment)
		}
		if err != nil {
			return err
		}
		WriteJSON(w, http.StatusOK, out)
		return nil
	})
}

func (a *API) needsHistory(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.Needs.History(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// assessmentsCSV exports one child's assessments, or every child's in the
// caller's scope (?la= narrows to one council).
func (a *API) assessmentsCSV(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	var childID *int64
	name := "assessments"
	if v := chi.URLParam(r, "id"); v != "" {
		id, err := ParseID(v)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		childID = &id
		name = fmt.Sprintf("child-%d-assessments", id)
	}
	la, err := ParseLA(r.URL.Query().Get("la"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Buffer so that a failure part-way answers an error, not half a file.
	var buf bytes.Buffer
	if _, err := a.Needs.Export(r.Context(), u.UserID, childID, la, &buf); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	_, _ = buf.WriteTo(w)
}

type sdqBody struct {
	TakenOn string `json:"taken_on"`
	Score   *int32 `json:"score"`
}

func (a *API) sdqCreate(w http.ResponseWriter, r *http.Request, id int64, b sdqBody) error {
	var ps valid.Problems
	on, err := time.Parse(time.DateOnly, b.TakenOn)
	if err != nil {
		ps.Add("taken_on", "%q is not a date like 2026-03-31", b.TakenOn)
	}
	if b.Score == nil {
		ps.Add("score", "give the total difficulties score (0 to 40)")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	out, err := a.Needs.RecordSDQ(r.Context(), userID(r), id, on, *b.Score)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (a *API) reviewsOverdue(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, err := ParseLA(r.URL.Query().Get("la"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var team *string
	if v := r.URL.Query().Get("team"); v != "" {
		team = &v
	}
	l, err := a.Needs.Overdue(r.Context(), u.UserID, la, team)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}
