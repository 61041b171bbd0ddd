package api

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/valid"
)

func (a *API) cohort(r *http.Request) (analytics.Cohort, error) {
	u := auth.UserFrom(r.Context())
	f, asOf, err := analytics.ParseFilter(r.URL.Query().Get)
	if err != nil {
		return analytics.Cohort{}, err
	}
	if asOf.IsZero() {
		asOf = a.Analytics.Today()
	}
	return a.Analytics.Cohort(r.Context(), u.UserID, f, asOf)
}

// cohortJSON answers the cohort's figures: aggregates, the scatter's sample
// and the largest step-down savings (analytics.SummaryOf), bounded whatever
// the cohort's size; the children are listed, paged, by cohortChildrenJSON.
func (a *API) cohortJSON(w http.ResponseWriter, r *http.Request) {
	c, err := a.cohort(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, analytics.SummaryOf(c, ChildrenListURL(r.URL.Query())))
}

// analyticsRoutes are the cohort's paged lists.
func (a *API) analyticsRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/analytics/children", authz.Child, authz.ReadAll, a.cohortChildrenJSON},
	}
}

// ChildrenListURL is the first page of the cohort's children for the filter
// in q (any cursor or limit in q left out).
func ChildrenListURL(q url.Values) string {
	q = maps.Clone(q)
	delete(q, "cursor")
	delete(q, "limit")
	if len(q) == 0 {
		return "/api/v1/analytics/children"
	}
	return "/api/v1/analytics/children?" + q.Encode()
}

// cohortChildrenJSON answers one page of the children a cohort counts, in a
// stable order, with the cursor of the next page.
func (a *API) cohortChildrenJSON(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	get := r.URL.Query().Get
	f, asOf, err := analytics.ParseFilter(get)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	after, err := analytics.ParseCursor(get("cursor"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit, err := analytics.ParseLimit(get("limit"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if asOf.IsZero() {
		asOf = a.Analytics.Today()
	}
	p, err := a.Analytics.CohortChildren(r.Context(), u.UserID, f, asOf, after, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// cohortCSV answers one table of the cohort figures as CSV; every row carries
// its n and the as-of date.
func (a *API) cohortCSV(w http.ResponseWriter, r *http.Request) {
	table := chi.URLParam(r, "table")
	tables := map[string]bool{"cost": true, "prevalence": true, "time-in-care": true, "providers": true, "step-down": true, "summary": true}
	if !tables[table] {
		a.fail(w, r, valid.Errorf("table", "%q is not a table (cost, prevalence, time-in-care, providers, step-down, summary)", table))
		return
	}
	c, err := a.cohort(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u := auth.UserFrom(r.Context())
	if err := audit.RecordCouncils(r.Context(), a.Pool, audit.Event{UserID: u.UserID, Action: "export", Entity: "cohort",
		Detail: map[string]any{"table": table, "n": c.N, "as_of": c.AsOf.Format(time.DateOnly)}}, c.Councils, nil); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cohort-%s-%s.csv"`, table, c.AsOf.Format(time.DateOnly)))
	cw := csvsafe.NewWriter(w)
	asOf := c.AsOf.Format(time.DateOnly)
	f2 := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	switch table {
	case "summary":
		// A figure that cannot be worked out has an empty value and the reason
		// in its own column, never "NaN" (which spreadsheets read as text or 0).
		_ = cw.Write([]string{"as_of", "figure", "n", "value", "definition", "reason"})
		_ = cw.Write([]string{asOf, "children in care", strconv.Itoa(c.N), strconv.Itoa(c.N), "children in care on the date, in the filter", ""})
		_ = cw.Write([]string{asOf, "with an approved assessment", strconv.Itoa(c.N), strconv.Itoa(c.Assessed), "latest approved assessment by the date", ""})
		_ = cw.Write([]string{asOf, "with a weekly cost", strconv.Itoa(c.N), strconv.Itoa(c.Costed), "a placement cost in force on the date", ""})
		_ = cw.Write([]string{asOf, "pearson", strconv.Itoa(c.Pearson.N), c.Pearson.Format(4), c.Pearson.Definition, c.Pearson.Reason})
		_ = cw.Write([]string{asOf, "spearman", strconv.Itoa(c.Spearman.N), c.Spearman.Format(4), c.Spearman.Definition, c.Spearman.Reason})
		median := func(n int, m float64) (string, string) {
			if n == 0 {
				return "", "no child in the group has a weekly cost"
			}
			return f2(m), ""
		}
		v, why := median(c.EHC.WithN, c.EHC.WithMedian)
		_ = cw.Write([]string{asOf, "EHC plan median weekly cost", strconv.Itoa(c.EHC.WithN), v, "median weekly cost, children with an EHC plan", why})
		v, why = median(c.EHC.WithoutN, c.EHC.WithoutMedian)
		_ = cw.Write([]string{asOf, "no EHC plan median weekly cost", strconv.Itoa(c.EHC.WithoutN), v, "median weekly cost, children without", why})
		_ = cw.Write([]string{asOf, "step-down annual saving", strconv.Itoa(len(c.StepDown.Candidates)), f2(c.StepDown.Annual), c.StepDown.Rule, ""})
	case "cost":
		_ = cw.Write([]string{"as_of", "band", "placement", "n", "q1", "median", "q3", "mean"})
		for _, s := range c.CostByBandGroup {
			band, group := splitKey(s.Key)
			_ = cw.Write([]string{asOf, band, group, strconv.Itoa(s.N), f2(s.Q1), f2(s.Median), f2(s.Q3), f2(s.Mean)})
		}
	case "prevalence":
		_ = cw.Write([]string{"as_of", "domain", "n_assessed", "level_0", "level_1", "level_2", "level_3", "level_4"})
		for d, ls := range c.Prevalence {
			row := []string{asOf, analytics.DomainNames[d], strconv.Itoa(c.Assessed)}
			for _, n := range ls {
				row = append(row, strconv.Itoa(n))
			}
			_ = cw.Write(row)
		}
	case "time-in-care":
		head := []string{"as_of", "time_in_care", "n", "mean_score"}
		head = append(head, analytics.DomainNames...)
		_ = cw.Write(head)
		for _, t := range c.NeedsByTime {
			row := []string{asOf, t.Band, strconv.Itoa(t.N), f2(t.MeanScore)}
			for _, l := range t.MeanLevel {
				row = append(row, f2(l))
			}
			_ = cw.Write(row)
		}
	case "providers":
		_ = cw.Write([]string{"as_of", "band", "placement", "provider_id", "n", "median", "highest_to_lowest"})
		for _, p := range c.Providers {
			for _, s := range p.Providers {
				_ = cw.Write([]string{asOf, p.Band, p.Group, strconv.FormatInt(s.ID, 10), strconv.Itoa(s.N), f2(s.Median), f2(p.Ratio)})
			}
		}
	case "step-down":
		_ = cw.Write([]string{"as_of", "la_id", "child_ref", "placement", "band", "score", "weekly", "family_based_weekly", "annual_saving"})
		for _, k := range c.StepDown.Candidates {
			_ = cw.Write([]string{asOf, strconv.Itoa(int(k.Child.LAID)), k.Child.ChildRef, k.Child.Place, k.Child.Band, strconv.Itoa(int(k.Child.Score)),
				f2(float64(k.Child.WeeklyPence) / 100), f2(k.FamilyWeekly), f2(k.Annual)})
		}
	}
	cw.Flush()
}

func splitKey(k string) (string, string) {
	for i := range k {
		if k[i] == '|' {
			return k[:i], k[i+1:]
		}
	}
	return k, ""
}
