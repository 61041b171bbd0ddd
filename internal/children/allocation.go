package children

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// MaxReason is the longest reason for an allocation kept, in characters.
const MaxReason = 500

// Allocation is a change of social worker as a manager asks for it.
type Allocation struct {
	WorkerID int64
	From     time.Time // the day the new worker takes the child on
	Reason   string
	// Seen is the current allocation the manager's form showed (Current.Key),
	// so a change someone else made meanwhile conflicts instead of being overwritten.
	Seen string
}

// Choices is what the allocation form offers: the council's social workers
// with their caseloads now, and who holds the child today.
type Choices struct {
	Workers []db.AllocationChoicesRow
	Current *db.Allocation
}

// Key names an allocation for the conflict check: worker and start, or "none".
func Key(a *db.Allocation) string {
	if a == nil {
		return "none"
	}
	return fmt.Sprintf("%d/%s", a.UserID, a.ValidFrom.Format(time.DateOnly))
}

// AllocationChoices lists the workers the caller may allocate the child to.
func (s *Service) AllocationChoices(ctx context.Context, userID, childID int64) (Choices, error) {
	rec, err := s.writable(ctx, userID, childID, authz.Allocate)
	if err != nil {
		return Choices{}, err
	}
	var c Choices
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		if c.Workers, err = q.AllocationChoices(ctx, rec.LaID); err != nil {
			return fmt.Errorf("allocation choices for child %d: %w", childID, err)
		}
		cur, err := q.AllocationCurrentForUpdate(ctx, db.AllocationCurrentForUpdateParams{LaID: rec.LaID, ChildID: childID})
		if err != nil {
			return fmt.Errorf("current allocation of child %d: %w", childID, err)
		}
		if len(cur) > 0 {
			c.Current = &cur[0]
		}
		return nil
	})
	return c, err
}

// Allocate gives the child a new social worker from the day given, ending the
// current allocation the day before it. It says every problem at once.
func (s *Service) Allocate(ctx context.Context, userID, childID int64, a Allocation) error {
	return s.allocate(ctx, userID, childID, a, true)
}

// CheckAllocation says what Allocate would refuse, changing nothing, so the
// confirmation is only asked for a change that can be made.
func (s *Service) CheckAllocation(ctx context.Context, userID, childID int64, a Allocation) error {
	return s.allocate(ctx, userID, childID, a, false)
}

func (s *Service) allocate(ctx context.Context, userID, childID int64, a Allocation, write bool) error {
	rec, err := s.writable(ctx, userID, childID, authz.Allocate)
	if err != nil {
		return err
	}
	today := s.today()
	a.Reason = strings.TrimSpace(a.Reason)
	if write {
		// The caller's allocation flag in the request's memo may be old now.
		defer forget(ctx, childID)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		workers, err := q.AllocationChoices(ctx, rec.LaID)
		if err != nil {
			return err
		}
		cur, err := q.AllocationCurrentForUpdate(ctx, db.AllocationCurrentForUpdateParams{LaID: rec.LaID, ChildID: childID})
		if err != nil {
			return err
		}
		var current *db.Allocation
		if len(cur) > 0 {
			current = &cur[0]
		}
		if a.Seen != "" && a.Seen != Key(current) {
			return ErrConflict
		}
		var ps valid.Problems
		known := false
		for _, w := range workers {
			known = known || w.UserID == a.WorkerID
		}
		switch {
		case a.WorkerID == 0:
			ps.Add("worker", "Choose a social worker")
		case !known:
			ps.Add("worker", "Choose a social worker of this council")
		case current != nil && current.UserID == a.WorkerID:
			ps.Add("worker", "Choose a different social worker: this one is already allocated")
		}
		switch {
		case a.From.IsZero():
			ps.Add("allocated_on", "Enter the date the allocation starts")
		case a.From.After(today):
			ps.Add("allocated_on", "The date the allocation starts must be today or in the past")
		case current != nil && !a.From.After(current.ValidFrom):
			ps.Add("allocated_on", "The date the allocation starts must be after %s, when the current allocation began", current.ValidFrom.Format("2 January 2006"))
		}
		switch {
		case a.Reason == "":
			ps.Add("reason", "Enter the reason for the allocation")
		case utf8.RuneCountInString(a.Reason) > MaxReason:
			ps.Add("reason", "The reason must be %d characters or fewer", MaxReason)
		}
		if err := ps.Err(); err != nil || !write {
			return err
		}
		if current != nil {
			if err := q.AllocationEnd(ctx, db.AllocationEndParams{LaID: rec.LaID, ChildID: childID, ValidTo: &a.From}); err != nil {
				return err
			}
		}
		if err := q.AllocationInsert(ctx, db.AllocationInsertParams{LaID: rec.LaID, ChildID: childID, UserID: a.WorkerID, ValidFrom: a.From}); err != nil {
			return fmt.Errorf("allocate child %d: %w", childID, err)
		}
		detail := map[string]any{"worker_id": a.WorkerID, "from": a.From.Format(time.DateOnly), "reason": a.Reason}
		if current != nil {
			detail["previous_worker_id"] = current.UserID
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: rec.LaID, Action: "allocate", Entity: "child",
			EntityID: strconv.FormatInt(childID, 10), Detail: detail})
	})
}
