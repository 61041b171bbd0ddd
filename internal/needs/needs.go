package needs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors of the workflow. Validation problems are *valid.Error.
var (
	ErrNotFound = errors.New("assessment not found")
	ErrConflict = errors.New("the assessment was changed by someone else")
)

// Reasons an assessment was done.
var Reasons = []string{"review", "placement_change", "new_to_care", "other"}

// DefaultInstrument is the instrument a new assessment uses unless told otherwise.
const DefaultInstrument = "hearth-12"

// Settings are a council's review intervals: the next assessment is due
// ReviewMonths after an approved one, or ReviewMonthsAfterMove after one
// prompted by a placement change.
type Settings struct {
	ReviewMonths          int32 `json:"review_months"`
	ReviewMonthsAfterMove int32 `json:"review_months_after_move"`
}

// DefaultSettings are design.md §4's intervals: six months, three after a move.
var DefaultSettings = Settings{ReviewMonths: 6, ReviewMonthsAfterMove: 3}

// DueAfter is when the review after an assessment falls due.
func (st Settings) DueAfter(assessedOn time.Time, reason string) time.Time {
	if reason == "placement_change" {
		return AddMonths(assessedOn, int(st.ReviewMonthsAfterMove))
	}
	return AddMonths(assessedOn, int(st.ReviewMonths))
}

// AddMonths adds calendar months the way PostgreSQL adds an interval: a day
// past the end of the target month becomes its last day (30 November + 3
// months is 28 February, where time.AddDate would give 2 March).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// Service keeps needs assessments.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
	cache *instrumentCache
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now, cache: &instrumentCache{ins: map[int32]Instrument{}}}
}

// Rating is one domain's level and evidence. A nil Level is not yet rated (drafts only).
type Rating struct {
	Domain   string `json:"domain"`
	Level    *int32 `json:"level"`
	Evidence string `json:"evidence"`
}

// Draft is what a social worker types.
type Draft struct {
	Instrument string // code; empty means DefaultInstrument (Create only)
	Supersedes *int64 // the approved assessment this one corrects (Create only)
	AssessedOn time.Time
	Reason     string
	Ratings    []Rating
}

// Assessment is an assessment with its ratings and what is derived from them.
type Assessment struct {
	db.NeedsAssessment
	Ratings    []db.NeedsRating `json:"ratings"`
	Score      int32            `json:"score"`
	Band       string           `json:"band"` // empty until every domain is rated
	Complete   bool             `json:"complete"`
	ReviewDue  time.Time        `json:"review_due"`
	Instrument string           `json:"instrument"`
	// Changes per domain against the previous approved assessment with the same
	// instrument; empty when there is none.
	Previous *int64   `json:"previous_assessment_id"`
	Changes  []Change `json:"changes"`
}

// Change is how one domain moved since the previous approved assessment.
type Change struct {
	Domain    string `json:"domain"`
	From      *int32 `json:"from"`
	To        *int32 `json:"to"`
	Direction string `json:"direction"` // up (more need), down, same, or unrated
}

func problem(field, msg string) valid.Problem {
	return valid.Problem{Field: field, Message: msg}
}

func (s *Service) validate(in Instrument, child db.ChildGetRow, d Draft, complete bool) error {
	var ps []valid.Problem
	today := s.today()
	switch {
	case d.AssessedOn.IsZero():
		ps = append(ps, problem("assessed_on", "enter the date of the assessment"))
	case d.AssessedOn.After(today):
		ps = append(ps, problem("assessed_on", "the assessment date cannot be in the future"))
	case d.AssessedOn.Before(child.DateOfBirth):
		ps = append(ps, problem("assessed_on", "the assessment date is before the child's date of birth"))
	}
	known := false
	for _, r := range Reasons {
		known = known || r == d.Reason
	}
	if !known {
		ps = append(ps, problem("reason", fmt.Sprintf("choose what prompted the assessment (%s)", strings.Join(Reasons, ", "))))
	}
	seen := map[string]bool{}
	for _, r := range d.Ratings {
		field := "ratings." + r.Domain
		switch {
		case !in.HasDomain(r.Domain):
			ps = append(ps, problem(field, fmt.Sprintf("%q is not a domain of %s", r.Domain, in.Name)))
		case seen[r.Domain]:
			ps = append(ps, problem(field, "this domain is rated twice"))
		case r.Level != nil && (*r.Level < in.Min || *r.Level > in.Max):
			ps = append(ps, problem(field, fmt.Sprintf("level %d is outside the scale %d to %d", *r.Level, in.Min, in.Max)))
		case len(r.Evidence) > 20000:
			ps = append(ps, problem(field, "evidence is too long (at most 20,000 characters)"))
		}
		seen[r.Domain] = true
	}
	if complete {
		for _, dom := range in.Domains {
			rated := false
			for _, r := range d.Ratings {
				rated = rated || (r.Domain == dom.DomainCode && r.Level != nil)
			}
			if !rated {
				ps = append(ps, problem("ratings."+dom.DomainCode, "choose a level for "+dom.Name))
			}
		}
	}
	if len(ps) > 0 {
		return &valid.Error{Problems: ps}
	}
	return nil
}

// child returns the child if the caller may see it and act on its needs.
func (s *Service) child(ctx context.Context, q *db.Queries, userID, childID int64, act authz.Action) (db.ChildGetRow, error) {
	return children.Authorize(ctx, s.pool, s.authz, userID, childID, authz.Needs, act)
}

// Create starts a draft assessment for a child with the default instrument.
func (s *Service) Create(ctx context.Context, userID, childID int64, d Draft) (Assessment, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return Assessment{}, err
	}
	code := d.Instrument
	if code == "" {
		code = DefaultInstrument
	}
	row, err := q.InstrumentGetByCode(ctx, code)
	if errors.Is(err, pgx.ErrNoRows) {
		return Assessment{}, valid.Errorf("instrument", "%q is not a needs instrument loaded in Hearth", code)
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("instrument %s: %w", code, err)
	}
	in, err := LoadInstrument(ctx, q, row.InstrumentID)
	if err != nil {
		return Assessment{}, err
	}
	if err := s.validate(in, c, d, false); err != nil {
		return Assessment{}, err
	}
	if d.Supersedes != nil {
		old, err := q.AssessmentGet(ctx, *d.Supersedes)
		if err != nil || old.ChildID != childID || old.Status != "approved" {
			return Assessment{}, valid.Errorf("supersedes", "assessment %d is not an approved assessment of this child", *d.Supersedes)
		}
	}
	var id int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		// One draft per child: a second tab, or a second worker, continues it instead.
		if err := qt.ChildLock(ctx, db.ChildLockParams{LaID: c.LaID, ChildID: childID}); err != nil {
			return fmt.Errorf("lock child: %w", err)
		}
		open, err := qt.AssessmentOpenForChild(ctx, db.AssessmentOpenForChildParams{LaID: c.LaID, ChildID: childID})
		if err == nil {
			return &DraftExistsError{AssessmentID: open.AssessmentID}
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("open draft: %w", err)
		}
		a, err := qt.AssessmentInsert(ctx, db.AssessmentInsertParams{LaID: c.LaID, ChildID: childID, InstrumentID: in.ID,
			AssessedOn: d.AssessedOn, Reason: d.Reason, AuthorID: userID, Supersedes: d.Supersedes})
		if err != nil {
			return fmt.Errorf("create assessment: %w", err)
		}
		id = a.AssessmentID
		if err := saveRatings(ctx, qt, a, d.Ratings); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: c.LaID, Action: "create", Entity: "needs_assessment",
			EntityID: strconv.FormatInt(id, 10), Detail: map[string]any{"child_id": childID}})
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.Get(ctx, userID, id)
}

func saveRatings(ctx context.Context, q *db.Queries, a db.NeedsAssessment, rs []Rating) error {
	for _, r := range rs {
		if err := q.RatingUpsert(ctx, db.RatingUpsertParams{LaID: a.LaID, AssessmentID: a.AssessmentID, InstrumentID: a.InstrumentID,
			DomainCode: r.Domain, Level: r.Level, Evidence: r.Evidence}); err != nil {
			return fmt.Errorf("save rating %s: %w", r.Domain, err)
		}
	}
	return nil
}

// load returns an assessment the caller may see, with its child and instrument.
func (s *Service) load(ctx context.Context, q *db.Queries, userID, id int64, act authz.Action) (db.NeedsAssessment, db.ChildGetRow, Instrument, error) {
	a, err := q.AssessmentGet(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		if aerr := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "needs." + string(act), Entity: "needs_assessment",
			EntityID: strconv.FormatInt(id, 10), Outcome: audit.NotFound}); aerr != nil {
			return a, db.ChildGetRow{}, Instrument{}, aerr
		}
		return a, db.ChildGetRow{}, Instrument{}, ErrNotFound
	}
	if err != nil {
		return a, db.ChildGetRow{}, Instrument{}, err
	}
	c, err := s.child(ctx, q, userID, a.ChildID, act)
	if errors.Is(err, children.ErrNotFound) {
		return a, c, Instrument{}, ErrNotFound
	}
	if err != nil {
		return a, c, Instrument{}, err
	}
	in, err := LoadInstrument(ctx, q, a.InstrumentID)
	return a, c, in, err
}

// Save replaces a draft's contents if nobody has saved it since version.
func (s *Service) Save(ctx context.Context, userID, id int64, version int32, d Draft) (Assessment, error) {
	q := db.New(s.pool)
	a, c, in, err := s.load(ctx, q, userID, id, authz.Write)
	if err != nil {
		return Assessment{}, err
	}
	if a.Status != "draft" && a.Status != "returned" {
		return Assessment{}, &valid.Error{Problems: []valid.Problem{problem("status",
			fmt.Sprintf("this assessment is %s and can no longer be edited; start a new assessment to correct it", a.Status))}}
	}
	if err := s.validate(in, c, d, false); err != nil {
		return Assessment{}, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		up, err := qt.AssessmentUpdateDraft(ctx, db.AssessmentUpdateDraftParams{LaID: a.LaID, AssessmentID: id, Version: version,
			AssessedOn: d.AssessedOn, Reason: d.Reason})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		if err := saveRatings(ctx, qt, up, d.Ratings); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: a.LaID, Action: "update", Entity: "needs_assessment",
			EntityID: strconv.FormatInt(id, 10), Detail: map[string]any{"version": up.Version}})
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.Get(ctx, userID, id)
}

// Submit sends a complete draft for approval.
func (s *Service) Submit(ctx context.Context, userID, id int64, version int32) (Assessment, error) {
	q := db.New(s.pool)
	a, c, in, err := s.load(ctx, q, userID, id, authz.Write)
	if err != nil {
		return Assessment{}, err
	}
	if a.Status != "draft" && a.Status != "returned" {
		return Assessment{}, &valid.Error{Problems: []valid.Problem{problem("status", "this assessment has already been submitted")}}
	}
	rs, err := q.RatingList(ctx, db.RatingListParams{LaID: a.LaID, AssessmentID: id})
	if err != nil {
		return Assessment{}, err
	}
	d := Draft{AssessedOn: a.AssessedOn, Reason: a.Reason}
	for _, r := range rs {
		d.Ratings = append(d.Ratings, Rating{Domain: r.DomainCode, Level: r.Level, Evidence: r.Evidence})
	}
	if err := s.validate(in, c, d, true); err != nil {
		return Assessment{}, err
	}
	return s.transition(ctx, userID, a, version, "submitted", nil, "", "submit")
}

// Approve approves a submitted assessment. Nobody approves their own.
func (s *Service) Approve(ctx context.Context, userID, id int64, version int32) (Assessment, error) {
	q := db.New(s.pool)
	a, _, _, err := s.load(ctx, q, userID, id, authz.Approve)
	if err != nil {
		return Assessment{}, err
	}
	if a.AuthorID == userID {
		return Assessment{}, &valid.Error{Problems: []valid.Problem{problem("approver", "you cannot approve an assessment you wrote; ask another manager")}}
	}
	if a.Status != "submitted" {
		return Assessment{}, &valid.Error{Problems: []valid.Problem{problem("status", fmt.Sprintf("only a submitted assessment can be approved; this one is %s", a.Status))}}
	}
	return s.transition(ctx, userID, a, version, "approved", &userID, "", "approve")
}

// Return sends a submitted assessment back to its author with a comment.
func (s *Service) Return(ctx context.Context, userID, id int64, version int32, comment string) (Assessment, error) {
	q := db.New(s.pool)
	a, _, _, err := s.load(ctx, q, userID, id, authz.Approve)
	if err != nil {
		return Assessment{}, err
	}
	var ps []valid.Problem
	if strings.TrimSpace(comment) == "" {
		ps = append(ps, problem("comment", "say what needs to change"))
	}
	if a.Status != "submitted" {
		ps = append(ps, problem("status", fmt.Sprintf("only a submitted assessment can be returned; this one is %s", a.Status)))
	}
	if len(ps) > 0 {
		return Assessment{}, &valid.Error{Problems: ps}
	}
	return s.transition(ctx, userID, a, version, "returned", nil, strings.TrimSpace(comment), "return")
}

func (s *Service) transition(ctx context.Context, userID int64, a db.NeedsAssessment, version int32, to string, approver *int64, comment, action string) (Assessment, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		up, err := db.New(tx).AssessmentSetStatus(ctx, db.AssessmentSetStatusParams{LaID: a.LaID, AssessmentID: a.AssessmentID,
			Version: version, FromStatus: a.Status, NewStatus: to, ApproverID: approver, ReturnComment: comment})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: a.LaID, Action: action, Entity: "needs_assessment",
			EntityID: strconv.FormatInt(a.AssessmentID, 10), Detail: map[string]any{"version": up.Version, "status": to}})
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.Get(ctx, userID, a.AssessmentID)
}

// Get returns an assessment with its ratings and derived figures; the view is audited.
func (s *Service) Get(ctx context.Context, userID, id int64) (Assessment, error) {
	q := db.New(s.pool)
	a, _, in, err := s.load(ctx, q, userID, id, authz.Read)
	if err != nil {
		return Assessment{}, err
	}
	rs, err := q.RatingList(ctx, db.RatingListParams{LaID: a.LaID, AssessmentID: id})
	if err != nil {
		return Assessment{}, err
	}
	st, err := s.settings(ctx, q, a.LaID)
	if err != nil {
		return Assessment{}, err
	}
	var prevRatings []db.NeedsRating
	prev, err := q.AssessmentPreviousApproved(ctx, db.AssessmentPreviousApprovedParams{LaID: a.LaID, ChildID: a.ChildID,
		InstrumentID: a.InstrumentID, AssessmentID: a.AssessmentID, AssessedOn: a.AssessedOn})
	switch {
	case err == nil:
		if prevRatings, err = q.RatingList(ctx, db.RatingListParams{LaID: a.LaID, AssessmentID: prev.AssessmentID}); err != nil {
			return Assessment{}, err
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return Assessment{}, err
	}
	out := Derive(in, st, a, rs, prevRatings)
	if prevRatings != nil {
		out.Previous = &prev.AssessmentID
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: a.LaID, Action: "view", Entity: "needs_assessment",
		EntityID: strconv.FormatInt(id, 10), Detail: map[string]any{"child_id": a.ChildID}})
	return out, err
}

// Derive works out score, band, completeness, review date and, when prev (the
// previous approved assessment's ratings) is given, the change per domain.
func Derive(in Instrument, st Settings, a db.NeedsAssessment, rs, prev []db.NeedsRating) Assessment {
	levels := Levels(rs)
	out := Assessment{NeedsAssessment: a, Ratings: rs, Score: Score(levels), Instrument: in.Name,
		Complete: len(levels) == len(in.Domains), ReviewDue: st.DueAfter(a.AssessedOn, a.Reason), Changes: []Change{}}
	if out.Complete {
		out.Band = in.BandOf(levels).Code
	}
	if prev != nil {
		before := Levels(prev)
		for _, d := range in.Domains {
			out.Changes = append(out.Changes, change(d.DomainCode, before, levels))
		}
	}
	return out
}

// Levels maps each rated domain to its level.
func Levels(rs []db.NeedsRating) map[string]int32 {
	levels := map[string]int32{}
	for _, r := range rs {
		if r.Level != nil {
			levels[r.DomainCode] = *r.Level
		}
	}
	return levels
}

func change(domain string, before, after map[string]int32) Change {
	c := Change{Domain: domain, Direction: "unrated"}
	b, okB := before[domain]
	n, okN := after[domain]
	if okB {
		c.From = &b
	}
	if okN {
		c.To = &n
	}
	switch {
	case !okB || !okN:
	case n > b:
		c.Direction = "up"
	case n < b:
		c.Direction = "down"
	default:
		c.Direction = "same"
	}
	return c
}

func (s *Service) settings(ctx context.Context, q *db.Queries, laID int32) (Settings, error) {
	r, err := q.ReviewSettings(ctx, laID)
	if err != nil {
		return Settings{}, fmt.Errorf("review settings of council %d: %w", laID, err)
	}
	return Settings{ReviewMonths: r.NeedsReviewMonths, ReviewMonthsAfterMove: r.NeedsReviewMonthsAfterMove}, nil
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Council returns the council of an assessment, for recording a refused request
// against it. It is never shown to the caller.
func (s *Service) Council(ctx context.Context, id int64) (int32, bool) {
	a, err := db.New(s.pool).AssessmentGet(ctx, id)
	return a.LaID, err == nil
}

// Authorize decides whether the caller may act on an assessment, as the
// service methods do; pages ask before showing a form. Refusals are audited.
func (s *Service) Authorize(ctx context.Context, userID, id int64, act authz.Action) error {
	_, _, _, err := s.load(ctx, db.New(s.pool), userID, id, act)
	return err
}
