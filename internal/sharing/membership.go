package sharing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// Membership changes are made from the command line by whoever runs Hearth
// for the region (trusted, as imports are), and audited with no user; or on a
// system administrator's page (internal/councils decides who may), audited
// with them (the By forms; by is 0 for the command line).

// Join makes a council a member of an RCC from a date.
func (s *Service) Join(ctx context.Context, rccCode, council string, from time.Time) error {
	return s.JoinBy(ctx, 0, rccCode, council, from)
}

// JoinBy is Join by a signed-in user.
func (s *Service) JoinBy(ctx context.Context, by int64, rccCode, council string, from time.Time) error {
	q := db.New(s.pool)
	rcc, la, err := s.rccAndCouncil(ctx, q, rccCode, council)
	if err != nil {
		return err
	}
	if n, err := q.RCCMembershipOpen(ctx, db.RCCMembershipOpenParams{RccID: rcc.RccID, LaID: la, Day: from}); err != nil {
		return err
	} else if n > 0 {
		return valid.Errorf("council", "%s is already a member of %s on or after %s", council, rcc.Name, from.Format(time.DateOnly))
	}
	if err := q.RCCMembershipInsert(ctx, db.RCCMembershipInsertParams{RccID: rcc.RccID, LaID: la, ValidFrom: from}); err != nil {
		return err
	}
	return audit.Record(ctx, s.pool, audit.Event{UserID: by, LAID: la, Action: "create", Entity: "rcc_membership", EntityID: rcc.Code,
		Detail: map[string]any{"from": from.Format(time.DateOnly)}})
}

// Leave ends a council's membership of an RCC from a date.
func (s *Service) Leave(ctx context.Context, rccCode, council string, on time.Time) error {
	return s.LeaveBy(ctx, 0, rccCode, council, on)
}

// LeaveBy is Leave by a signed-in user.
func (s *Service) LeaveBy(ctx context.Context, by int64, rccCode, council string, on time.Time) error {
	q := db.New(s.pool)
	rcc, la, err := s.rccAndCouncil(ctx, q, rccCode, council)
	if err != nil {
		return err
	}
	if _, err := q.RCCMembershipEnd(ctx, db.RCCMembershipEndParams{RccID: rcc.RccID, LaID: la, Day: on}); errors.Is(err, pgx.ErrNoRows) {
		return valid.Errorf("council", "%s has no membership of %s running on %s", council, rcc.Name, on.Format(time.DateOnly))
	} else if err != nil {
		return err
	}
	return audit.Record(ctx, s.pool, audit.Event{UserID: by, LAID: la, Action: "end", Entity: "rcc_membership", EntityID: rcc.Code,
		Detail: map[string]any{"on": on.Format(time.DateOnly)}})
}

// SetDisclosure changes an RCC's disclosure control: the smallest count
// published, the perturbation's largest noise, and the extract's k.
func (s *Service) SetDisclosure(ctx context.Context, rccCode string, minCount, maxNoise, k int) error {
	return s.SetDisclosureBy(ctx, 0, rccCode, minCount, maxNoise, k)
}

// SetDisclosureBy is SetDisclosure by a signed-in user.
func (s *Service) SetDisclosureBy(ctx context.Context, by int64, rccCode string, minCount, maxNoise, k int) error {
	var ps valid.Problems
	if minCount < 2 || minCount > 100 {
		ps.Add("min-count", "counts below this are withheld (c): between 2 and 100 (design.md §6 uses 5)")
	}
	if maxNoise < 1 || maxNoise > 10 {
		ps.Add("max-noise", "the perturbation adds noise of up to this either way: between 1 and 10 (the default is 2)")
	}
	if k < 2 || k > 100 {
		ps.Add("k", "every combination in the pooled extract is shared by at least this many rows: between 2 and 100 (the default is 5)")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	q := db.New(s.pool)
	rcc, err := q.RCCByCode(ctx, rccCode)
	if err != nil {
		return valid.Errorf("rcc", "no cooperative with code %q", rccCode)
	}
	if _, err := q.RCCDisclosureUpdate(ctx, db.RCCDisclosureUpdateParams{RccID: rcc.RccID, MinCount: int32(minCount), MaxNoise: int32(maxNoise), K: int32(k)}); err != nil {
		return err
	}
	return audit.Record(ctx, s.pool, audit.Event{UserID: by, Action: "update", Entity: "rcc_disclosure", EntityID: rcc.Code,
		Detail: map[string]any{"min_count": minCount, "max_noise": maxNoise, "k": k}})
}

// Describe lists an RCC's memberships over time, its thresholds and the
// agreements in force today, for the command line.
func (s *Service) Describe(ctx context.Context, rccCode string) (string, error) {
	q := db.New(s.pool)
	rcc, err := q.RCCByCode(ctx, rccCode)
	if err != nil {
		return "", valid.Errorf("rcc", "no cooperative with code %q", rccCode)
	}
	out := fmt.Sprintf("%s (%s): counts below %d withheld, noise up to ±%d, extract k = %d\nmembers:\n", rcc.Name, rcc.Code,
		rcc.DisclosureMinCount, rcc.DisclosureMaxNoise, rcc.DisclosureK)
	ms, err := q.RCCMembers(ctx, rcc.RccID)
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		to := "open"
		if m.ValidTo != nil {
			to = m.ValidTo.Format(time.DateOnly)
		}
		out += fmt.Sprintf("  %-12s %-10s from %s to %s\n", m.Name, m.OnsCode, m.ValidFrom.Format(time.DateOnly), to)
	}
	ags, err := q.AgreementsInForce(ctx, db.AgreementsInForceParams{RccID: rcc.RccID, Day: s.today()})
	if err != nil {
		return "", err
	}
	out += "sharing today:\n"
	for _, a := range ags {
		out += fmt.Sprintf("  %-12s %s, since %s\n", a.Name, What(a.SharesNeeds, a.SharesPlacements, a.SharesProceedings), a.StartsOn.Format(time.DateOnly))
	}
	return out, nil
}

func (s *Service) rccAndCouncil(ctx context.Context, q *db.Queries, rccCode, council string) (db.RegionalCooperative, int32, error) {
	rcc, err := q.RCCByCode(ctx, rccCode)
	if err != nil {
		return rcc, 0, valid.Errorf("rcc", "no cooperative with code %q", rccCode)
	}
	la, err := CouncilByCode(ctx, q, council)
	if err != nil {
		return rcc, 0, valid.Errorf("council", "%s", err)
	}
	return rcc, la, nil
}
