package needs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// NewForm is what the new-assessment form shows.
type NewForm struct {
	Child db.ChildGetRow
	// Draft is the child's open draft, if there is one: a child has one
	// draft, and the form's address leads to it. Nothing else is filled in.
	Draft       int64
	Instrument  Instrument
	Instruments []db.NeedsInstrument
	// Last holds each domain's level in the child's current approved
	// assessment, when it used the same instrument (levels of another would
	// not compare), assessed on LastOn.
	Last   map[string]int32
	LastOn time.Time
}

// StartForm reads what the new-assessment form needs in one pass: the child,
// authorised once for writing needs (refusals audited by children.Authorize),
// the child's open draft, the instrument code names (the newest version; the
// default when code is empty) and the levels of the current approved
// assessment, which the form carries forward. Showing the form is a view of
// the child and of their needs, and is audited as both.
func (s *Service) StartForm(ctx context.Context, userID, childID int64, code string) (NewForm, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return NewForm{}, err
	}
	f := NewForm{Child: c}
	open, err := q.AssessmentOpenForChild(ctx, db.AssessmentOpenForChildParams{LaID: c.LaID, ChildID: childID})
	switch {
	case err == nil:
		f.Draft = open.AssessmentID
		return f, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return NewForm{}, fmt.Errorf("open draft: %w", err)
	}
	if code == "" {
		code = DefaultInstrument
	}
	if f.Instruments, err = q.InstrumentList(ctx); err != nil {
		return NewForm{}, fmt.Errorf("instruments: %w", err)
	}
	id, found := int32(0), false
	for _, in := range f.Instruments { // ordered by code, then version
		if in.Code == code {
			id, found = in.InstrumentID, true
		}
	}
	if !found {
		return NewForm{}, valid.Errorf("instrument", "%q is not a needs instrument loaded in Hearth", code)
	}
	if f.Instrument, err = s.instrument(ctx, q, id); err != nil {
		return NewForm{}, err
	}
	rows, err := q.AssessmentRatingsByChild(ctx, db.AssessmentRatingsByChildParams{LaID: c.LaID, ChildID: childID})
	if err != nil {
		return NewForm{}, fmt.Errorf("assessments of child %d: %w", childID, err)
	}
	as := summariesOf(rows)
	if i := settle(as, s.today()); i >= 0 && as[i].Instrument == id {
		f.Last, f.LastOn = as[i].Levels, as[i].AssessedOn
	}
	entity := strconv.FormatInt(childID, 10)
	for _, e := range []string{"child", "child_needs"} {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: c.LaID, Action: "view", Entity: e, EntityID: entity}); err != nil {
			return NewForm{}, err
		}
	}
	return f, nil
}

// summariesOf groups a child's assessment rows (oldest first, a row per
// rating) into assessments with their levels; scores and bands are left to
// the caller, who has the instruments.
func summariesOf(rows []db.AssessmentRatingsByChildRow) []Summary {
	out := []Summary{}
	for _, r := range rows {
		if n := len(out); n == 0 || out[n-1].ID != r.AssessmentID {
			out = append(out, Summary{ID: r.AssessmentID, Instrument: r.InstrumentID, AssessedOn: r.AssessedOn,
				Reason: r.Reason, Status: r.Status, AuthorName: r.AuthorName, Supersedes: r.Supersedes, Version: r.Version,
				Levels: map[string]int32{}})
		}
		if r.DomainCode != nil && r.Level != nil {
			out[len(out)-1].Levels[*r.DomainCode] = *r.Level
		}
	}
	return out
}

// settle marks what approved corrections supersede and returns the index of
// the current assessment (-1 when there is none): the latest approved one, by
// today, not superseded. An approved correction supersedes what it corrects
// from its own date, whatever that date: the cohort snapshot applies the same
// rule.
func settle(as []Summary, today time.Time) int {
	for _, a := range as {
		if a.Status != "approved" || a.Supersedes == nil || a.AssessedOn.After(today) {
			continue
		}
		for i := range as {
			if as[i].ID == *a.Supersedes {
				as[i].SupersededBy = &a.ID
			}
		}
	}
	current := -1
	for i, a := range as {
		if a.Status == "approved" && a.SupersededBy == nil && !a.AssessedOn.After(today) {
			current = i
		}
	}
	return current
}
