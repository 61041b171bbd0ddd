package needs

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Summary is one assessment in a child's history: its levels and what they add up to.
type Summary struct {
	ID         int64            `json:"assessment_id"`
	Instrument int32            `json:"instrument_id"`
	AssessedOn time.Time        `json:"assessed_on"`
	Reason     string           `json:"reason"`
	Status     string           `json:"status"`
	AuthorName string           `json:"author_name"`
	Supersedes *int64           `json:"supersedes"`
	Version    int32            `json:"version"`
	Levels     map[string]int32 `json:"levels"`
	Score      int32            `json:"score"`
	Band       string           `json:"band"`
	Complete   bool             `json:"complete"`
	// SupersededBy is the approved correction that replaces this assessment
	// from the correction's own date, if one is dated by today.
	SupersededBy *int64 `json:"superseded_by"`
}

// Profile is a child's needs over time.
type Profile struct {
	ChildID     int64                `json:"child_id"`
	Instruments map[int32]Instrument `json:"-"`
	Assessments []Summary            `json:"assessments"` // oldest first, every status
	Current     *Summary             `json:"current"`     // latest approved, not superseded
	ReviewDue   *time.Time           `json:"review_due"`  // after Current
	SDQ         []db.SdqReading      `json:"sdq"`
}

// Approved returns the approved assessments with the given instrument, oldest first.
func (p Profile) Approved(instrumentID int32) []Summary {
	var out []Summary
	for _, a := range p.Assessments {
		if a.Status == "approved" && a.Instrument == instrumentID {
			out = append(out, a)
		}
	}
	return out
}

// Find returns the assessment with the id, if it is in the profile.
func (p Profile) Find(id int64) (Summary, bool) {
	for _, a := range p.Assessments {
		if a.ID == id {
			return a, true
		}
	}
	return Summary{}, false
}

// History returns a child's assessments, current profile and SDQ readings. The
// view is audited.
func (s *Service) History(ctx context.Context, userID, childID int64) (Profile, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Read)
	if err != nil {
		return Profile{}, err
	}
	rows, err := q.AssessmentRatingsByChild(ctx, db.AssessmentRatingsByChildParams{LaID: c.LaID, ChildID: childID})
	if err != nil {
		return Profile{}, err
	}
	p := Profile{ChildID: childID, Instruments: map[int32]Instrument{}, Assessments: summariesOf(rows)}
	for i := range p.Assessments {
		a := &p.Assessments[i]
		in, ok := p.Instruments[a.Instrument]
		if !ok {
			if in, err = s.instrument(ctx, q, a.Instrument); err != nil {
				return Profile{}, err
			}
			p.Instruments[a.Instrument] = in
		}
		a.Score = Score(a.Levels)
		a.Complete = len(a.Levels) == len(in.Domains)
		if a.Complete {
			a.Band = in.BandOf(a.Levels).Code
		}
	}
	if i := settle(p.Assessments, s.today()); i >= 0 {
		p.Current = &p.Assessments[i]
	}
	if p.Current != nil {
		st, err := s.settings(ctx, q, c.LaID)
		if err != nil {
			return Profile{}, err
		}
		due := st.DueAfter(p.Current.AssessedOn, p.Current.Reason)
		p.ReviewDue = &due
	}
	if p.SDQ, err = q.SDQList(ctx, db.SDQListParams{LaID: c.LaID, ChildID: childID}); err != nil {
		return Profile{}, err
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: c.LaID, Action: "view", Entity: "child_needs",
		EntityID: strconv.FormatInt(childID, 10)})
	return p, err
}

// Due is a child whose needs review is due.
type Due struct {
	db.ReviewsDueRow
	NeverAssessed bool `json:"never_assessed"`
	DaysOverdue   int  `json:"days_overdue"`
}

// DueCount is how many reviews are overdue in one council or team.
type DueCount struct {
	Council string `json:"council"`
	Team    string `json:"team"`
	Count   int    `json:"count"`
}

// DueList is every overdue review in the caller's scope, with counts per
// council and per team.
type DueList struct {
	AsOf     time.Time  `json:"as_of"`
	Children []Due      `json:"children"`
	Councils []DueCount `json:"by_council"`
	Teams    []DueCount `json:"by_team"`
}

// Overdue lists children whose needs review is overdue today, optionally in one
// council or one team.
//
// The list names children, so it is audited as a view of each child on it,
// against each council it shows.
func (s *Service) Overdue(ctx context.Context, userID int64, laID *int32, team *string) (DueList, error) {
	return s.dueBefore(ctx, userID, laID, team, s.today())
}

// dueBefore lists children whose needs review falls due before the day.
func (s *Service) dueBefore(ctx context.Context, userID int64, laID *int32, team *string, before time.Time) (DueList, error) {
	sc := s.authz.Scope(userID, authz.Needs, authz.Read)
	if laID != nil && !sc.Includes(*laID) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: *laID, Action: "list", Entity: "reviews_due",
			Outcome: audit.Denied}); err != nil {
			return DueList{}, err
		}
		return DueList{}, children.ErrForbidden
	}
	today := s.today()
	rows, err := db.New(s.pool).ReviewsDue(ctx, db.ReviewsDueParams{DueBefore: before, Team: team, AllLaIds: sc.All,
		AllocatedLaIds: sc.Own, UserID: userID, LaID: laID})
	if err != nil {
		return DueList{}, err
	}
	out := DueList{AsOf: today, Children: make([]Due, len(rows))}
	councils, teams := map[string]int{}, map[[2]string]int{}
	for i, r := range rows {
		out.Children[i] = Due{ReviewsDueRow: r, NeverAssessed: r.LastAssessmentID == 0, DaysOverdue: int(today.Sub(r.DueOn).Hours() / 24)}
		councils[r.CouncilName]++
		teams[[2]string{r.CouncilName, r.Team}]++
	}
	for k, n := range councils {
		out.Councils = append(out.Councils, DueCount{Council: k, Count: n})
	}
	for k, n := range teams {
		out.Teams = append(out.Teams, DueCount{Council: k[0], Team: k[1], Count: n})
	}
	shown := make([]audit.Shown, len(rows))
	for i, r := range rows {
		shown[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
	}
	var searched []int32
	if laID != nil {
		searched = []int32{*laID}
	}
	if err := audit.RecordSearch(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "reviews_due",
		Detail: map[string]any{"as_of": today.Format(time.DateOnly), "total": len(rows)}}, shown, searched); err != nil {
		return DueList{}, err
	}
	sort.Slice(out.Councils, func(i, j int) bool { return out.Councils[i].Council < out.Councils[j].Council })
	sort.Slice(out.Teams, func(i, j int) bool {
		a, b := out.Teams[i], out.Teams[j]
		return a.Council < b.Council || a.Council == b.Council && a.Team < b.Team
	})
	return out, nil
}

// CouncilSettings returns a council's review intervals.
func (s *Service) CouncilSettings(ctx context.Context, laID int32) (Settings, error) {
	return s.settings(ctx, db.New(s.pool), laID)
}

// SetCouncilSettings changes a council's review intervals; only a council admin may.
func (s *Service) SetCouncilSettings(ctx context.Context, userID int64, laID int32, st Settings) error {
	if !s.authz.Allowed(userID, authz.CouncilDomain(laID), authz.Council, authz.Manage) {
		return children.ErrForbidden
	}
	var ps valid.Problems
	if st.ReviewMonths < 1 || st.ReviewMonths > 24 {
		ps.Add("review_months", "must be between 1 and 24 months")
	}
	if st.ReviewMonthsAfterMove < 1 || st.ReviewMonthsAfterMove > 24 {
		ps.Add("review_months_after_move", "must be between 1 and 24 months")
	} else if st.ReviewMonthsAfterMove > st.ReviewMonths {
		ps.Add("review_months_after_move", "must not be longer than the usual interval (%d months)", st.ReviewMonths)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.New(tx).ReviewSettingsUpdate(ctx, db.ReviewSettingsUpdateParams{LaID: laID, NeedsReviewMonths: st.ReviewMonths,
			NeedsReviewMonthsAfterMove: st.ReviewMonthsAfterMove}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: laID, Action: "update", Entity: "needs_review_settings",
			EntityID: strconv.Itoa(int(laID)), Detail: map[string]any{"review_months": st.ReviewMonths, "review_months_after_move": st.ReviewMonthsAfterMove}})
	})
}

// SDQBand names an SDQ total-difficulties score's band (0–13, 14–16, 17–40).
func SDQBand(score int32) string {
	switch {
	case score <= 13:
		return "normal"
	case score <= 16:
		return "borderline"
	default:
		return "cause for concern"
	}
}

// RecordSDQ adds an SDQ total-difficulties reading to a child's record.
func (s *Service) RecordSDQ(ctx context.Context, userID, childID int64, takenOn time.Time, score int32) (db.SdqReading, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return db.SdqReading{}, err
	}
	var ps valid.Problems
	switch {
	case takenOn.IsZero():
		ps.Add("taken_on", "enter the date the questionnaire was completed")
	case takenOn.After(s.today()):
		ps.Add("taken_on", "the date cannot be in the future")
	case takenOn.Before(c.DateOfBirth):
		ps.Add("taken_on", "the date is before the child's date of birth")
	}
	if score < 0 || score > 40 {
		ps.Add("score", "an SDQ total difficulties score is between 0 and 40; %d is not", score)
	}
	if err := ps.Err(); err != nil {
		return db.SdqReading{}, err
	}
	var out db.SdqReading
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out, err = db.New(tx).SDQInsert(ctx, db.SDQInsertParams{LaID: c.LaID, ChildID: childID, TakenOn: takenOn, Score: score,
			Source: "manual", RecordedBy: &userID})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: c.LaID, Action: "create", Entity: "sdq_reading",
			EntityID: strconv.FormatInt(childID, 10), Detail: map[string]any{"taken_on": takenOn.Format(time.DateOnly), "score": score}})
	})
	if postgres.IsUniqueViolation(err) {
		return db.SdqReading{}, valid.Errorf("taken_on", "there is already an SDQ reading for %s", takenOn.Format("2 January 2006"))
	}
	return out, err
}

// AwaitingApproval lists submitted assessments the caller may approve.
func (s *Service) AwaitingApproval(ctx context.Context, userID int64) ([]db.AssessmentsAwaitingApprovalRow, error) {
	las := s.authz.Councils(userID, authz.Needs, authz.Approve)
	if len(las) == 0 {
		return []db.AssessmentsAwaitingApprovalRow{}, nil
	}
	return db.New(s.pool).AssessmentsAwaitingApproval(ctx, db.AssessmentsAwaitingApprovalParams{LaIds: las, UserID: userID})
}
