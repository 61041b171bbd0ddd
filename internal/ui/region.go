package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// regionPage is the RCC analyst's regional view; a council's own staff see
// their council against the region instead.
func (s *Server) regionPage(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if len(s.Authz.RCCs(u.UserID, authz.Region, authz.Read)) == 0 {
		s.councilRegionPage(w, r)
		return
	}
	rcc, reg, err := s.Sharing.Request(r.Context(), u.UserID, r.URL.Query().Get, s.Proceedings)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"R": reg, "Q": r.URL.Query(), "Query": r.URL.RawQuery, "AsOf": reg.AsOf.Format(time.DateOnly), "Groups": analytics.Groups,
		"Bands": analytics.Bands, "AgeBands": analytics.AgeBands, "CareBands": analytics.TimeInCareBands,
		"Statuses": sortedLabels(ssda903.LegalStatusLabels), "CanExport": s.Authz.Allowed(u.UserID, authz.RCCDomain(rcc.RccID), authz.Region, authz.Export)}
	if reg.Empty == "" {
		data["CostChart"] = sharing.MedianCostChart(reg).Figure()
		data["DistanceChart"] = sharing.DistanceChart(reg).Figure()
	}
	s.render(w, r, http.StatusOK, "region", page{Title: reg.RCC, Data: data})
}

func (s *Server) councilRegionPage(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	la, asOf, err := s.Sharing.CouncilRequest(u.UserID, r.URL.Query().Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.Sharing.CouncilAgainstRegion(r.Context(), u.UserID, la, asOf, s.Proceedings)
	data := map[string]any{"Views": views, "AsOf": asOf.Format(time.DateOnly), "LA": la}
	switch {
	case errors.Is(err, sharing.ErrNoAgreement):
		data["NoAgreement"] = err.Error()
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if data["Councils"], err = s.councilsWhere(r, authz.Region, authz.Read); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "region_council", page{Title: "Your council and the region", Data: data})
}

// regionPDF sends the RCC commissioning report.
func (s *Server) regionPDF(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	rcc, reg, err := s.Sharing.Request(r.Context(), u.UserID, r.URL.Query().Get, s.Proceedings)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fc, err := s.regionForecastChapter(r, u.UserID, rcc.RccID, reg.AsOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf, err := report.RegionalPDFWithForecast(reg, fc, time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-commissioning-%s.pdf"`, rcc.Code, reg.AsOf.Format(time.DateOnly)))
	_, _ = w.Write(pdf)
}

// Sharing agreements, for council admins.

func (s *Server) sharingSettingsForm(w http.ResponseWriter, r *http.Request) {
	s.renderSharing(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderSharing(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, flash string) {
	u := auth.UserFrom(r.Context())
	type council struct {
		LA         db.LocalAuthority
		Agreements []sharing.Agreement
		RCCs       []db.RegionalCooperative
	}
	las, err := s.councilsWhere(r, authz.Council, authz.Manage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out []council
	for _, c := range las {
		ags, rccs, err := s.Sharing.CouncilAgreements(r.Context(), u.UserID, c.LaID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, council{c, ags, rccs})
	}
	s.render(w, r, status, "sharing_settings", page{Title: "Sharing with the region", Errors: problems, Flash: flash,
		Data: map[string]any{"Councils": out, "Today": s.Analytics.Today().Format(time.DateOnly), "Form": r.PostForm}})
}

func (s *Server) sharingSettings(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	la, err := strconv.Atoi(f.Get("la"))
	if err != nil {
		s.fail(w, r, valid.Errorf("la", "choose a council"))
		return
	}
	var flash string
	switch f.Get("action") {
	case "sign":
		var ps valid.Problems
		rcc, _ := strconv.Atoi(f.Get("rcc"))
		start := formDate(&ps, f, "starts_on", false) // an empty date is the service's to name
		err = ps.Err()
		if err == nil {
			_, err = s.Sharing.Sign(r.Context(), u.UserID, int32(la), sharing.Terms{RCCID: int32(rcc), Needs: f.Get("needs") == "yes",
				Placements: f.Get("placements") == "yes", Proceedings: f.Get("proceedings") == "yes", StartsOn: start})
		}
		flash = "The agreement is signed. Sharing starts on " + f.Get("starts_on") + "."
	case "end", "review":
		id, perr := strconv.ParseInt(f.Get("agreement"), 10, 64)
		if perr != nil {
			s.fail(w, r, valid.Errorf("agreement", "choose an agreement"))
			return
		}
		if f.Get("action") == "end" && f.Get("confirm") != "yes" {
			if err := s.Sharing.MayEnd(u.UserID, int32(la)); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if f.Get("action") == "end" && !s.confirmed(w, r, confirmation{Heading: "End this sharing agreement?", Button: "Yes, end sharing now",
			Warning: true, Cancel: "/settings/sharing", Happens: []string{
				"nothing more of your council's is shared under this agreement, from now",
				"figures already shared stay with the cooperative; the agreement's history is kept",
				"to share again, someone must sign a new agreement"}}) {
			return
		}
		if f.Get("action") == "end" {
			err, flash = s.Sharing.End(r.Context(), u.UserID, int32(la), id), "The agreement has ended. Nothing more is shared under it, from now."
		} else {
			err, flash = s.Sharing.Review(r.Context(), u.UserID, int32(la), id), "The review is recorded."
		}
	default:
		s.fail(w, r, valid.Errorf("action", "choose sign, end or review"))
		return
	}
	var ve *valid.Error
	switch {
	case err == nil:
		s.renderSharing(w, r, http.StatusOK, nil, flash)
	case errors.As(err, &ve):
		s.renderSharing(w, r, http.StatusUnprocessableEntity, ve.Problems, "")
	default:
		s.fail(w, r, err)
	}
}
