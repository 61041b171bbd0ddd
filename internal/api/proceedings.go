package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/valid"
)

func (a *API) proceedingGet(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := ParseID(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := a.Proceedings.Get(r.Context(), u.UserID, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, d)
}

func (a *API) delayReport(r *http.Request) (proceedings.Report, error) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	var ps valid.Problems
	la, err := ParseLA(q.Get("la"))
	if err != nil {
		ps.Add("la", "%q is not a council code", q.Get("la"))
	}
	date := func(k string, def time.Time) time.Time {
		if q.Get(k) == "" {
			return def
		}
		t, err := time.Parse(time.DateOnly, q.Get(k))
		if err != nil {
			ps.Add(k, "%q is not a date like 2026-03-31", q.Get(k))
		}
		return t
	}
	now := a.Proceedings.Now().UTC().Truncate(24 * time.Hour)
	to := date("to", now)
	from := date("from", to.AddDate(-1, 0, 1)) // the year to `to`, as the page and reports count it
	if err := ps.Err(); err != nil {
		return proceedings.Report{}, err
	}
	return a.Proceedings.Delay(r.Context(), u.UserID, la, from, to)
}

func (a *API) delayJSON(w http.ResponseWriter, r *http.Request) {
	rep, err := a.delayReport(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, rep)
}

// delayCSV is one row per case with every component of its cost of delay.
func (a *API) delayCSV(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	rep, err := a.delayReport(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := audit.RecordCouncils(r.Context(), a.Pool, audit.Event{UserID: u.UserID, Action: "export", Entity: "delay",
		Detail: map[string]any{"cases": len(rep.Cases), "from": rep.From.Format(time.DateOnly), "to": rep.To.Format(time.DateOnly)}}, rep.Councils, nil); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="delay-%s-%s.csv"`, rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly)))
	cw := csvsafe.NewWriter(w)
	money := func(p int64) string { return fmt.Sprintf("%.2f", float64(p)/100) }
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	_ = cw.Write([]string{"council", "case_number", "issued_on", "concluded_on", "open", "children", "weeks", "target_weeks", "weeks_over",
		"placement_weekly", "children_with_actual_cost", "social_work_weekly", "contact_weekly", "weekly_cost", "delay_weeks_cost",
		"hearings", "counted_hearings", "fcmhs", "adjourned", "extra_hearings", "hearing_cost", "expert_cost", "cost_of_delay", "one_week_saving"})
	for _, c := range rep.Cases {
		b := c.Breakdown
		concluded := ""
		if c.Case.ConcludedOn != nil {
			concluded = c.Case.ConcludedOn.Format(time.DateOnly)
		}
		_ = cw.Write([]string{c.Council, c.Case.CaseNumber, c.Case.IssuedOn.Format(time.DateOnly), concluded, strconv.FormatBool(b.Open),
			strconv.Itoa(b.Children), f(b.Weeks), strconv.Itoa(b.TargetWeeks), f(b.WeeksOver), money(b.PlacementWeekly), strconv.Itoa(b.ActualPlacement),
			money(b.SocialWorkWeekly), money(b.ContactWeekly), money(b.WeeklyCost), money(b.DelayWeeksCost), strconv.Itoa(b.Hearings),
			f(b.CountedHearings), strconv.Itoa(b.FCMHs), strconv.Itoa(b.Adjourned), f(b.ExtraHearings), money(b.HearingCost), money(b.ExpertCost),
			money(b.Total), money(b.OneWeekSaving)})
	}
	cw.Flush()
}
