package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/ssda903"
)

func (s *Server) cohortPage(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	f, asOf, err := analytics.ParseFilter(r.URL.Query().Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf.IsZero() {
		asOf = s.Analytics.Today()
	}
	c, err := s.Analytics.Cohort(r.Context(), u.UserID, f, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	councils, err := s.councilsWhere(r, authz.Child, authz.ReadAll) // the councils s.Analytics.Councils gives
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids []int64
	for _, p := range c.Providers {
		for _, sp := range p.Providers {
			ids = append(ids, sp.ID)
		}
	}
	names, err := s.Placements.ProviderNames(r.Context(), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := cohortData(c, asOf, r.URL.Query(), r.URL.RawQuery, councils, names)
	s.render(w, r, http.StatusOK, "analytics", page{Title: "Needs and costs", Data: data})
}

// cohortData is what the analytics page's template is given for a cohort; the
// page-size test renders it for a national cohort.
func cohortData(c analytics.Cohort, asOf time.Time, q url.Values, rawQuery string, councils []db.LocalAuthority, names map[int64]string) map[string]any {
	data := map[string]any{"C": c, "Query": rawQuery, "Councils": councils, "Groups": analytics.Groups, "Bands": analytics.Bands,
		"AgeBands": analytics.AgeBands, "CareBands": analytics.TimeInCareBands, "Domains": analytics.DomainNames, "AsOf": asOf.Format(time.DateOnly),
		"Q": q, "ProviderNames": names, "Statuses": sortedLabels(ssda903.LegalStatusLabels),
		// The largest savings only: nationally the candidates were 4,000 rows,
		// 1.5 MB of the page; every one is in the CSV and the paged list.
		"Candidates": c.StepDown.Candidates[:min(len(c.StepDown.Candidates), analytics.MaxSummaryCandidates)]}
	if c.N > 0 {
		data["Scatter"] = analytics.ScatterChart(c).Figure()
		data["Median"] = analytics.MedianCostChart(c).Figure()
		data["Prevalence"] = analytics.PrevalenceChart(c).Figure()
	}
	return data
}
