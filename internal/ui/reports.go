package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/valid"
)

func (s *Server) commissioningPDF(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	la, err := api.ParseLA(q.Get("la"))
	if err != nil || la == nil {
		s.fail(w, r, valid.Errorf("la", "choose a council"))
		return
	}
	asOf := s.Analytics.Today()
	if v := q.Get("as_of"); v != "" {
		if asOf, err = valid.Date(dateName("as_of"), v); err != nil {
			s.fail(w, r, valid.Errorf("as_of", "%s", err.Error()))
			return
		}
	}
	if !s.Authz.Allowed(u.UserID, authz.CouncilDomain(*la), authz.Child, authz.ReadAll) {
		s.denied(r, u.UserID, "report", "read")
		s.fail(w, r, errForbidden)
		return
	}
	data, err := report.GatherCommissioning(r.Context(), s.Pool, s.Proceedings, *la, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf, err := report.CommissioningPDF(data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, LAID: *la, Action: "export", Entity: "commissioning_report",
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly)}}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="commissioning-%d-%s.pdf"`, *la, asOf.Format(time.DateOnly)))
	_, _ = w.Write(pdf)
}

func (s *Server) referralPDF(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prof, err := s.Needs.History(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref := report.Referral{Child: rec.Child, AsOf: s.Needs.Now(), Profile: prof}
	if prof.Current != nil {
		a, err := s.Needs.Get(r.Context(), u.UserID, prof.Current.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ref.Current = &a
		if ref.Instrument, err = s.Needs.Instrument(r.Context(), a.InstrumentID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if s.Authz.Allowed(u.UserID, authz.CouncilDomain(rec.Child.LaID), authz.Placement, authz.Read) {
		if ref.Placements, err = s.Placements.Get(r.Context(), u.UserID, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	pdf, err := report.ReferralPDF(ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := audit.Record(r.Context(), s.Pool, audit.Event{UserID: u.UserID, LAID: rec.Child.LaID, Action: "export", Entity: "referral_profile",
		EntityID: strconv.FormatInt(id, 10)}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	// The profile holds no identifiers, and neither does its file name.
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="needs-profile-%s.pdf"`, s.Placements.Now().Format(time.DateOnly)))
	_, _ = w.Write(pdf)
}
