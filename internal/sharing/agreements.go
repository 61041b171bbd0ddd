package sharing

import (
	"context"
	"crypto/rand"
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
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Service keeps sharing agreements and works out regional figures.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now}
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ReviewEvery is how often a council admin confirms an agreement still says
// what the council means to share.
const ReviewEvery = 12 // months

// Agreement is one council's agreement with an RCC, as its admins see it.
type Agreement struct {
	db.AgreementsForCouncilRow
	InForce   bool
	ReviewDue time.Time
}

// What lists what an agreement shares, in words.
func What(needs, placements, proceedings bool) string {
	var parts []string
	if needs {
		parts = append(parts, "needs")
	}
	if placements {
		parts = append(parts, "placements and costs")
	}
	if proceedings {
		parts = append(parts, "care proceedings")
	}
	if len(parts) == 0 {
		return "nothing"
	}
	// Commas only: "placements and costs" has its own "and".
	return strings.Join(parts, ", ")
}

// CouncilAgreements lists a council's agreements and the RCCs it may sign
// with today. Only the council's admins may.
func (s *Service) CouncilAgreements(ctx context.Context, userID int64, la int32) ([]Agreement, []db.RegionalCooperative, error) {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Council, authz.Manage) {
		return nil, nil, children.ErrForbidden
	}
	q := db.New(s.pool)
	rows, err := q.AgreementsForCouncil(ctx, la)
	if err != nil {
		return nil, nil, err
	}
	today := s.today()
	out := make([]Agreement, len(rows))
	for i, r := range rows {
		last := r.SignedAt
		if r.ReviewedAt != nil {
			last = *r.ReviewedAt
		}
		out[i] = Agreement{AgreementsForCouncilRow: r, ReviewDue: last.UTC().AddDate(0, ReviewEvery, 0).Truncate(24 * time.Hour),
			InForce: !r.StartsOn.After(today) && (r.EndsOn == nil || r.EndsOn.After(today))}
	}
	rccs, err := q.RCCsOfCouncil(ctx, db.RCCsOfCouncilParams{LaID: la, Day: today})
	return out, rccs, err
}

// Terms are what a council admin signs.
type Terms struct {
	RCCID       int32
	Needs       bool
	Placements  bool
	Proceedings bool
	StartsOn    time.Time
}

// Sign records a new agreement for a council, and makes the council's
// pseudonym key if it has none.
func (s *Service) Sign(ctx context.Context, userID int64, la int32, t Terms) (db.SharingAgreement, error) {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Council, authz.Manage) {
		return db.SharingAgreement{}, children.ErrForbidden
	}
	var ps valid.Problems
	if !t.Needs && !t.Placements && !t.Proceedings {
		ps.Add("shares", "choose at least one of needs, placements and costs, or care proceedings")
	}
	if t.StartsOn.IsZero() {
		ps.Add("starts_on", "enter the date sharing starts")
	}
	q := db.New(s.pool)
	if t.RCCID == 0 {
		ps.Add("rcc", "choose the regional care cooperative")
	} else if !t.StartsOn.IsZero() {
		rccs, err := q.RCCsOfCouncil(ctx, db.RCCsOfCouncilParams{LaID: la, Day: t.StartsOn})
		if err != nil {
			return db.SharingAgreement{}, err
		}
		member := false
		for _, r := range rccs {
			member = member || r.RccID == t.RCCID
		}
		if !member {
			ps.Add("starts_on", "the council is not a member of that cooperative on %s", t.StartsOn.Format("2 January 2006"))
		}
	}
	if err := ps.Err(); err != nil {
		return db.SharingAgreement{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return db.SharingAgreement{}, fmt.Errorf("council key: %w", err)
	}
	var a db.SharingAgreement
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		if err := qt.CouncilKeyEnsure(ctx, db.CouncilKeyEnsureParams{LaID: la, Secret: secret}); err != nil {
			return err
		}
		var err error
		if a, err = qt.AgreementInsert(ctx, db.AgreementInsertParams{LaID: la, RccID: t.RCCID, SharesNeeds: t.Needs,
			SharesPlacements: t.Placements, SharesProceedings: t.Proceedings, StartsOn: t.StartsOn, SignedBy: &userID}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: la, Action: "create", Entity: "sharing_agreement",
			EntityID: strconv.FormatInt(a.AgreementID, 10), Detail: map[string]any{"rcc": t.RCCID, "shares": What(t.Needs, t.Placements, t.Proceedings),
				"starts_on": t.StartsOn.Format(time.DateOnly)}})
	})
	if postgres.IsExclusionViolation(err) {
		return a, valid.Errorf("starts_on", "the council already has an agreement with this cooperative running on or after %s; end it first",
			t.StartsOn.Format("2 January 2006"))
	}
	return a, err
}

// ErrNotRunning is ending or reviewing an agreement that has already ended.
var ErrNotRunning = errors.New("that agreement has already ended")

// End stops an agreement today: nothing more of the council reaches the RCC
// under it, from this moment.
func (s *Service) End(ctx context.Context, userID int64, la int32, id int64) error {
	return s.change(ctx, userID, la, id, "end", func(q *db.Queries) (db.SharingAgreement, error) {
		return q.AgreementEnd(ctx, db.AgreementEndParams{LaID: la, AgreementID: id, Day: s.today(), EndedBy: &userID})
	})
}

// MayEnd says whether the caller may end an agreement of the council, decided
// as End decides it, so a confirmation is never offered for what End refuses.
func (s *Service) MayEnd(userID int64, la int32) error {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Council, authz.Manage) {
		return children.ErrForbidden
	}
	return nil
}

// Review records that a council admin has confirmed an agreement still holds.
func (s *Service) Review(ctx context.Context, userID int64, la int32, id int64) error {
	return s.change(ctx, userID, la, id, "review", func(q *db.Queries) (db.SharingAgreement, error) {
		return q.AgreementReview(ctx, db.AgreementReviewParams{LaID: la, AgreementID: id})
	})
}

func (s *Service) change(ctx context.Context, userID int64, la int32, id int64, action string, do func(*db.Queries) (db.SharingAgreement, error)) error {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Council, authz.Manage) {
		return children.ErrForbidden
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		a, err := do(db.New(tx))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotRunning
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: la, Action: action, Entity: "sharing_agreement",
			EntityID: strconv.FormatInt(a.AgreementID, 10), Detail: map[string]any{"rcc": a.RccID}})
	})
}

// CouncilByCode finds a council by its DfE LA code (352) or ONS code
// (E08000003), as regional staff and the command line name them.
func CouncilByCode(ctx context.Context, q *db.Queries, code string) (int32, error) {
	if n, err := strconv.Atoi(code); err == nil {
		la, err := q.LocalAuthorityGet(ctx, int32(n))
		if err != nil {
			return 0, fmt.Errorf("no council with LA code %s", code)
		}
		return la.LaID, nil
	}
	la, err := q.LocalAuthorityGetByONS(ctx, code)
	if err != nil {
		return 0, fmt.Errorf("no council with ONS code %q", code)
	}
	return la.LaID, nil
}
