package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Import is an import as the API shows it: its state, the link to poll and,
// once finished, its report (the same report the import's page shows).
type Import struct {
	ID         int64           `json:"import_id"`
	Kind       string          `json:"kind"`
	Council    int32           `json:"council"`
	Files      []string        `json:"files"`
	Status     string          `json:"status"`
	Stage      string          `json:"stage,omitempty"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
	Failure    *string         `json:"failure,omitempty"`
	Link       string          `json:"link"`
	Page       string          `json:"page"`
	Report     json.RawMessage `json:"report,omitempty"`
}

func importLinks(id int64) (string, string) {
	return fmt.Sprintf("/api/v1/imports/%d", id), fmt.Sprintf("/imports/%d", id)
}

// saveBody keeps an upload in a temporary file for the background import.
func saveBody(r io.Reader) (dir, path string, err error) {
	dir, err = os.MkdirTemp("", "hearth-import-")
	if err != nil {
		return "", "", err
	}
	path = filepath.Join(dir, "0")
	f, err := os.Create(path)
	if err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.RemoveAll(dir)
		return "", "", err
	}
	if err := f.Close(); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, path, nil
}

// uploadName is the file's name from ?name= or a default.
func uploadName(r *http.Request, def string) string {
	if n := filepath.Base(r.URL.Query().Get("name")); n != "" && n != "." && n != "/" {
		return n
	}
	return def
}

// censusImport queues a cost census (CSV, or the .xlsx workbook, as the
// request body) on the same background queue as the upload page and answers
// 202 with the import and the link to poll for its report.
func (a *API) censusImport(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	var ps valid.Problems
	la, err := ParseLA(q.Get("council"))
	if err != nil || la == nil {
		ps.Add("council", "give the council's three-digit LA code, like ?council=352")
	}
	asOf, err := time.Parse(time.DateOnly, q.Get("as_of"))
	if err != nil {
		ps.Add("as_of", "give the date the census describes, like ?as_of=2026-03-31")
	}
	if len(ps) > 0 {
		a.fail(w, r, &valid.Error{Problems: ps})
		return
	}
	name := uploadName(r, "census.csv")
	id, err := a.Placements.BeginCensus(r.Context(), u.UserID, *la, asOf, name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	dir, path, err := saveBody(r.Body)
	if err != nil {
		importq.Fail(r.Context(), a.Pool, a.Log, id, "the upload could not be saved: "+err.Error())
		a.fail(w, r, err)
		return
	}
	laID := *la
	a.Imports.Submit(importq.Job{ID: id, LA: laID, Run: func(context.Context) error {
		defer os.RemoveAll(dir)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		ctx := postgres.WithCouncils(context.Background(), postgres.OnlyCouncils(laID))
		if _, err := a.Placements.RunCensus(ctx, id, u.UserID, laID, asOf, f); err != nil && !errors.Is(err, placements.ErrCensusRefused) {
			a.Log.Error("census import failed", "import_id", id, "err", err)
		}
		return nil
	}})
	link, page := importLinks(id)
	w.Header().Set("Location", link)
	WriteJSON(w, http.StatusAccepted, Import{ID: id, Kind: "cost_census", Council: laID, Files: []string{name}, Status: "running", Link: link, Page: page,
		StartedAt: a.Placements.Now()})
}

// exchangeRoutes are the routes for data in and out: imports and their reports.
func (a *API) exchangeRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/imports/census", authz.Placement, authz.Import, a.censusImport},
		{"POST", "/api/v1/imports/ssda903", authz.Placement, authz.Import, a.ssda903Import},
		{"GET", "/api/v1/imports/{id}", authz.Placement, authz.Import, a.importGet},
		{"POST", "/api/v1/imports/needs", authz.Needs, authz.Approve, a.needsImport},
	}
}

// importGet answers an import's state and, once finished, its stored report;
// the importer decides and audits as for the import's page.
func (a *API) importGet(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	imp, err := a.Importer.Get(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	link, page := importLinks(id)
	out := Import{ID: imp.ImportID, Kind: imp.Kind, Council: imp.LaID, Files: imp.Files, Status: imp.Status, Stage: imp.Stage,
		StartedAt: imp.StartedAt, FinishedAt: imp.FinishedAt, Failure: imp.Failure, Link: link, Page: page}
	if len(imp.Report) > 0 && json.Valid(imp.Report) {
		out.Report = imp.Report
	}
	WriteJSON(w, http.StatusOK, out)
}

// needsImport loads a needs history (CSV or JSON body) in this call: it is
// all-or-nothing and answers the report, 200 when loaded and 422 with every
// problem by row and column when refused.
func (a *API) needsImport(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, err := ParseLA(r.URL.Query().Get("council"))
	if err != nil || la == nil {
		a.fail(w, r, valid.Errorf("council", "give the council's three-digit LA code, like ?council=352"))
		return
	}
	rows, m, ps := needs.ReadHistory(r.Body)
	rep := needs.HistoryReport{Rows: len(rows), Problems: ps}
	if len(ps) == 0 {
		rep, err = a.Needs.ImportHistory(r.Context(), u.UserID, 0, *la, uploadName(r, "needs"), rows, m)
		if err != nil && !errors.Is(err, needs.ErrHistoryRefused) {
			a.fail(w, r, err)
			return
		}
	}
	if len(rep.Problems) > 0 {
		WriteJSON(w, http.StatusUnprocessableEntity, rep)
		return
	}
	WriteJSON(w, http.StatusOK, rep)
}
