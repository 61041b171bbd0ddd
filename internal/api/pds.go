package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/pds"
	"github.com/hearthcare/hearth/internal/valid"
)

// The Placements Data Standard's routes: a placement's record (the form's
// twin), a council's quarterly return out and in. The service decides on the
// child's or the council's council and audits; these parse and answer.

func (a *API) pdsRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/children/{id}/placements/{start}/pds", authz.Placement, authz.Read, a.pdsGet},
		{"POST", "/api/v1/children/{id}/placements/{start}/pds", authz.Placement, authz.Write, keyThenBody(a, childAndStart, a.pdsSave)},
		{"PUT", "/api/v1/children/{id}/placements/{start}/pds", authz.Placement, authz.Write, keyThenBody(a, childAndStart, a.pdsSave)},
		{"GET", "/api/v1/pds/return", authz.Placement, authz.Export, a.pdsExport},
		{"POST", "/api/v1/imports/pds", authz.Placement, authz.Import, a.pdsImport},
	}
}

func (a *API) pds() *pds.Service {
	s := pds.New(a.Pool, a.Authz)
	s.Now = a.Placements.Now
	return s
}

// PDSPlacement is a placement's standard record as the API shows it: the
// record's cells as the return writes them, and what Hearth derives.
type PDSPlacement struct {
	ChildID     int64             `json:"child_id"`
	Council     int32             `json:"council"`
	StartedOn   string            `json:"placement_started_on"`
	Record      map[string]string `json:"record"` // null until recorded
	RecordID    int64             `json:"record_id,omitempty"`
	Version     int32             `json:"version"`
	Fixed       map[string]string `json:"fixed"`     // the fields Hearth sets from its own records
	Suggested   map[string]string `json:"suggested"` // pre-filled from the needs profile and the episode
	AgeAtPlace  int               `json:"age_at_placement"`
	Sex         string            `json:"sex"`
	SSDA903Code string            `json:"ssda903_place"`
}

func pdsView(p pds.Placement) PDSPlacement {
	out := PDSPlacement{ChildID: p.ChildID, Council: p.Council, StartedOn: p.StartedOn.Format(time.DateOnly), RecordID: p.RecordID,
		Version: p.Version, Fixed: map[string]string{}, Suggested: map[string]string{}, AgeAtPlace: p.Derived.Age, Sex: p.Derived.Sex,
		SSDA903Code: p.Derived.Place}
	if p.Record != nil {
		out.Record = p.Record.Cells()
	}
	fixed := p.Derived.Fixed.Cells()
	for _, k := range p.Derived.FixedKeys {
		out.Fixed[k] = fixed[k]
	}
	for k, v := range p.Derived.Suggested.Cells() {
		if v != "" {
			out.Suggested[k] = v
		}
	}
	return out
}

func (a *API) pdsGet(w http.ResponseWriter, r *http.Request) {
	k, err := childAndStart(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.pds().Get(r.Context(), userID(r), k.Child, k.Start, authz.Read)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, pdsView(p))
}

type pdsBody struct {
	Record  map[string]string `json:"record"`
	Version int32             `json:"version"`
}

// pdsSave records (POST) or corrects (PUT, with the version read) a
// placement's record: {"record": {column: cell…}, "version": n}.
func (a *API) pdsSave(w http.ResponseWriter, r *http.Request, k placementKey, b pdsBody) error {
	switch {
	case r.Method == http.MethodPost && b.Version != 0:
		return valid.Errorf("version", "POST records a new record; correct one with PUT and the version read")
	case r.Method == http.MethodPut && b.Version < 1:
		return valid.Errorf("version", "give the record's version as read, so a change made since is not overwritten")
	}
	rec, err := pds.FromCells(b.Record)
	if err != nil {
		return err
	}
	saved, err := a.pds().Save(r.Context(), userID(r), k.Child, k.Start, rec, b.Version)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	WriteJSON(w, status, saved)
	return nil
}

// pdsCouncilQuarter reads ?council=352&quarter=2026Q3.
func pdsCouncilQuarter(r *http.Request) (int32, pds.Quarter, error) {
	var ps valid.Problems
	la, err := ParseLA(r.URL.Query().Get("council"))
	if err != nil || la == nil {
		ps.Add("council", "give the council's three-digit LA code, like ?council=352")
	}
	q, err := pds.ParseQuarter(r.URL.Query().Get("quarter"))
	if err != nil {
		ps.Add("quarter", "give the quarter, like ?quarter=2026Q3 (July to September 2026)")
	}
	if err := ps.Err(); err != nil {
		return 0, q, err
	}
	return *la, q, nil
}

// pdsExport answers a council's quarterly return as CSV (default) or .xlsx.
func (a *API) pdsExport(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, q, err := pdsCouncilQuarter(r)
	format := r.URL.Query().Get("format")
	if err == nil && format != "" && format != "csv" && format != "xlsx" {
		err = valid.Errorf("format", "%q is not a format: use csv or xlsx", format)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	recs, err := a.pds().Export(r.Context(), u.UserID, la, q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("pds-%d-%s", la, q)
	if format == "xlsx" {
		err = pds.WriteXLSX(&buf, recs)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	} else {
		err = pds.WriteCSV(&buf, recs)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	}
	if err != nil {
		w.Header().Del("Content-Type")
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}

// pdsImport loads a council's quarterly return (CSV or .xlsx as the body).
// It runs in the request: a quarter's return is hundreds of rows.
func (a *API) pdsImport(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, q, err := pdsCouncilQuarter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, pds.MaxReturnBytes))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	res, err := a.pds().Import(r.Context(), u.UserID, la, q, data)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, res)
}
