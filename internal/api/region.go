package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
)

// regionJSON answers an RCC's regional figures, as published.
func (a *API) regionJSON(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	_, reg, err := a.Sharing.Request(r.Context(), u.UserID, r.URL.Query().Get, a.Proceedings)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, reg)
}

// regionExtract answers the pooled, k-anonymous extract as CSV, for an RCC
// data officer who says what it is for (purpose).
func (a *API) regionExtract(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	rcc, _, asOf, err := a.Sharing.ParseRequest(r.Context(), u.UserID, r.URL.Query().Get)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if _, err := a.Sharing.Extract(r.Context(), u.UserID, rcc.RccID, asOf, r.URL.Query().Get("purpose"), &b); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-pooled-%s.csv"`, rcc.Code, asOf.Format(time.DateOnly)))
	_, _ = w.Write(b.Bytes())
}

// councilRegion answers a council's figures beside its region's.
func (a *API) councilRegion(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, asOf, err := a.Sharing.CouncilRequest(u.UserID, r.URL.Query().Get)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	views, err := a.Sharing.CouncilAgainstRegion(r.Context(), u.UserID, la, asOf, a.Proceedings)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"council": strconv.Itoa(int(la)), "regions": views})
}
