package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/valid"
)

// regionJSON answers an RCC's regional figures, as published.
func (a *API) regionJSON(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	rcc, f, asOf, err := a.Sharing.ParseRequest(r.Context(), u.UserID, r.URL.Query().Get)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reg, err := a.Sharing.Region(r.Context(), u.UserID, rcc.RccID, f, asOf, a.Proceedings)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, reg)
}

// regionExtract answers the pooled de-identified extract as CSV.
func (a *API) regionExtract(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	rcc, _, asOf, err := a.Sharing.ParseRequest(r.Context(), u.UserID, r.URL.Query().Get)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if _, err := a.Sharing.Extract(r.Context(), u.UserID, rcc.RccID, asOf, &b); err != nil {
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
	la, err := ParseLA(r.URL.Query().Get("la"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if la == nil {
		las := a.Authz.Councils(u.UserID, authz.Region, authz.Read)
		if len(las) == 0 {
			a.fail(w, r, valid.Errorf("la", "name a council"))
			return
		}
		la = &las[0]
	}
	asOf := a.Analytics.Today()
	if v := r.URL.Query().Get("as_of"); v != "" {
		if asOf, err = time.Parse(time.DateOnly, v); err != nil {
			a.fail(w, r, valid.Errorf("as_of", "%q is not a date like 2026-03-31", v))
			return
		}
	}
	views, err := a.Sharing.CouncilAgainstRegion(r.Context(), u.UserID, *la, asOf, a.Proceedings)
	if errors.Is(err, sharing.ErrNoAgreement) {
		WriteError(w, http.StatusNotFound, err.Error(), nil)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"council": strconv.Itoa(int(*la)), "regions": views})
}
