package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

func (a *API) placementsGet(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	h, err := a.Placements.Get(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, h)
}

func (a *API) providersList(w http.ResponseWriter, r *http.Request) {
	ps, err := a.Placements.Providers(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ps)
}

// ssda903Export answers Header or Episodes (?table=) for a council (?la=) and
// year (?year=) as the return's CSV; audited with its row count.
func (a *API) ssda903Export(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	la, err := ParseLA(q.Get("la"))
	var ps valid.Problems
	if err != nil || la == nil {
		ps.Add("la", "give the three-digit council code")
	}
	year, yerr := strconv.Atoi(q.Get("year"))
	if yerr != nil || year < 2000 || year > 2100 {
		ps.Add("year", "give the collection year, like 2026 for 2025/26")
	}
	table := q.Get("table")
	if table != "header" && table != "episodes" {
		ps.Add("table", "give header or episodes")
	}
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	var header, episodes bytes.Buffer
	if err := a.Importer.ExportFor(r.Context(), u.UserID, *la, ssda903.Year(year), table, &header, &episodes); err != nil {
		a.fail(w, r, err)
		return
	}
	out := &header
	if table == "episodes" {
		out = &episodes
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ssda903-%d-%d-%s.csv"`, *la, year, table))
	_, _ = out.WriteTo(w)
}
