// Package councils owns setting up the service's tenants: adding a council
// or a regional care cooperative, and (through internal/sharing, which owns
// memberships and disclosure control) a cooperative's members over time and
// its disclosure thresholds. Only a system administrator does this on the web
// (council:manage held system-wide); the command line, run by whoever runs
// Hearth, is trusted as imports are and acts as user 0.
package councils

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/valid"
)

// ErrForbidden: only a system administrator sets up councils and cooperatives.
var ErrForbidden = errors.New("only a system administrator sets up councils and cooperatives")

// CommandLine is the actor for changes made from the command line.
const CommandLine int64 = 0

// Service adds councils and cooperatives.
type Service struct {
	pool    *pgxpool.Pool
	q       *db.Queries
	az      *authz.Authorizer
	sharing *sharing.Service
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer, sh *sharing.Service) *Service {
	return &Service{pool: pool, q: db.New(pool), az: az, sharing: sh}
}

// May reports whether the actor sets up councils and cooperatives.
func (s *Service) May(actor int64) bool {
	return actor == CommandLine || s.az.Allowed(actor, authz.SystemDomain, authz.Council, authz.Manage)
}

func (s *Service) gate(ctx context.Context, actor int64, action, entity, id string) error {
	if s.May(actor) {
		return nil
	}
	las := s.az.Councils(actor, authz.Account, authz.Read)
	if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: actor, Action: action, Entity: entity, EntityID: id, Outcome: audit.Denied}, las, nil); err != nil {
		return fmt.Errorf("audit refusal: %w", err)
	}
	return ErrForbidden
}

var (
	onsRE = regexp.MustCompile(`^E(06|07|08|09|10)[0-9]{6}$`)
	rccRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// NewCouncil is a council to add.
type NewCouncil struct {
	LACode string // DfE three-digit LA code
	ONS    string // ONS code of a council with children's services (E06, E08, E09, E10; E07 for completeness)
	Name   string
}

// CreateCouncil adds a council. Its pseudonym key for regional sharing is made
// when it first shares; its staff are invited on /staff.
func (s *Service) CreateCouncil(ctx context.Context, actor int64, in NewCouncil) (db.LocalAuthority, error) {
	if err := s.gate(ctx, actor, "create", "council", in.LACode); err != nil {
		return db.LocalAuthority{}, err
	}
	var ps valid.Problems
	la, err := strconv.Atoi(strings.TrimSpace(in.LACode))
	if err != nil || la < 100 || la > 999 {
		ps.Add("la", "Enter the council's three-digit DfE LA code, like 352")
	}
	ons := strings.ToUpper(strings.TrimSpace(in.ONS))
	if !onsRE.MatchString(ons) {
		ps.Add("ons", "Enter the council's nine-character ONS code, like E08000003")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 200 {
		ps.Add("name", "Enter the council's name (200 characters or fewer)")
	}
	if err := ps.Err(); err != nil {
		return db.LocalAuthority{}, err
	}
	var c db.LocalAuthority
	err = postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		c, err = db.New(tx).CouncilInsert(ctx, db.CouncilInsertParams{LaID: int32(la), OnsCode: ons, Name: name})
		if postgres.IsUniqueViolation(err) {
			if strings.Contains(postgres.ConstraintOf(err), "ons") {
				return valid.Errorf("ons", "A council with ONS code %s is already set up", ons)
			}
			return valid.Errorf("la", "A council with LA code %d is already set up", la)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: actor, LAID: c.LaID, Action: "create", Entity: "council", EntityID: strconv.Itoa(la),
			Detail: map[string]any{"ons": ons, "name": name}})
	})
	if err != nil {
		return c, fmt.Errorf("create council: %w", err)
	}
	// System-wide roles reach every council: tell authorisation about the new one.
	return c, s.az.Reload(ctx)
}

// CreateRCC adds a regional care cooperative, with the default disclosure control.
func (s *Service) CreateRCC(ctx context.Context, actor int64, code, name string) (db.RegionalCooperative, error) {
	if err := s.gate(ctx, actor, "create", "rcc", code); err != nil {
		return db.RegionalCooperative{}, err
	}
	var ps valid.Problems
	code = strings.ToLower(strings.TrimSpace(code))
	if !rccRE.MatchString(code) || len(code) > 40 {
		ps.Add("code", "Enter a short code of lower-case letters, digits and hyphens, like gm-rcc")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		ps.Add("rcc_name", "Enter the cooperative's name (200 characters or fewer)")
	}
	if err := ps.Err(); err != nil {
		return db.RegionalCooperative{}, err
	}
	var r db.RegionalCooperative
	err := postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		r, err = db.New(tx).RCCInsert(ctx, db.RCCInsertParams{Code: code, Name: name})
		if postgres.IsUniqueViolation(err) {
			return valid.Errorf("code", "A cooperative with code %s is already set up", code)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: actor, Action: "create", Entity: "rcc", EntityID: code, Detail: map[string]any{"name": name}})
	})
	if err != nil {
		return r, fmt.Errorf("create cooperative: %w", err)
	}
	return r, nil
}

// Cooperative is one cooperative with its members over time.
type Cooperative struct {
	RCC     db.RegionalCooperative
	Members []db.RCCMembersRow
}

// Overview lists every council and cooperative, for the system administrator's page.
func (s *Service) Overview(ctx context.Context, actor int64) ([]db.LocalAuthority, []Cooperative, error) {
	if err := s.gate(ctx, actor, "read", "council", ""); err != nil {
		return nil, nil, err
	}
	las, err := s.q.LocalAuthorityList(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("councils: %w", err)
	}
	rccs, err := s.q.RCCListAll(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("cooperatives: %w", err)
	}
	out := make([]Cooperative, 0, len(rccs))
	for _, r := range rccs {
		ms, err := s.q.RCCMembers(ctx, r.RccID)
		if err != nil {
			return nil, nil, fmt.Errorf("members of %s: %w", r.Code, err)
		}
		out = append(out, Cooperative{RCC: r, Members: ms})
	}
	return las, out, nil
}

// Join makes a council a member of a cooperative from a date.
func (s *Service) Join(ctx context.Context, actor int64, rcc, council string, from time.Time) error {
	if err := s.gate(ctx, actor, "create", "rcc_membership", rcc); err != nil {
		return err
	}
	return s.sharing.JoinBy(ctx, actor, rcc, council, from)
}

// Leave ends a council's membership of a cooperative on a date.
func (s *Service) Leave(ctx context.Context, actor int64, rcc, council string, on time.Time) error {
	if err := s.gate(ctx, actor, "end", "rcc_membership", rcc); err != nil {
		return err
	}
	return s.sharing.LeaveBy(ctx, actor, rcc, council, on)
}

// SetDisclosure changes a cooperative's disclosure control.
func (s *Service) SetDisclosure(ctx context.Context, actor int64, rcc string, minCount, maxNoise, k int) error {
	if err := s.gate(ctx, actor, "update", "rcc_disclosure", rcc); err != nil {
		return err
	}
	return s.sharing.SetDisclosureBy(ctx, actor, rcc, minCount, maxNoise, k)
}
