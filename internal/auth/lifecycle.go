package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/db"
)

// Account lifecycle: closing an account cuts every way in at once (sessions
// deleted, bearer tokens revoked) in one transaction, audited against each
// council the person held a role in. The command line runs these (`hearth user
// disable|enable|tokens|revoke-token|show`); by is the acting user, 0 for the
// command line.

// Disable closes an account, ending its sessions and bearer tokens at once.
func (s *Service) Disable(ctx context.Context, by int64, email string) (db.User, error) {
	u, err := s.user(ctx, email)
	if err != nil {
		return u, err
	}
	now := s.Now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		if u, err = q.UserDisable(ctx, db.UserDisableParams{UserID: u.UserID, At: now}); err != nil {
			return err
		}
		sessions, err := q.SessionDeleteByUser(ctx, u.UserID)
		if err != nil {
			return err
		}
		tokens, err := q.APITokenRevokeByUser(ctx, db.APITokenRevokeByUserParams{UserID: u.UserID, At: &now})
		if err != nil {
			return err
		}
		return s.auditUser(ctx, tx, by, u, "disable", map[string]any{"sessions_ended": sessions, "tokens_revoked": tokens})
	})
	if err != nil {
		return u, fmt.Errorf("disable %s: %w", email, err)
	}
	return u, nil
}

// Enable reopens a closed account. Its old sessions and tokens stay dead.
func (s *Service) Enable(ctx context.Context, by int64, email string) (db.User, error) {
	u, err := s.user(ctx, email)
	if err != nil {
		return u, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if u, err = db.New(tx).UserEnable(ctx, u.UserID); err != nil {
			return err
		}
		return s.auditUser(ctx, tx, by, u, "enable", nil)
	})
	if err != nil {
		return u, fmt.Errorf("enable %s: %w", email, err)
	}
	return u, nil
}

// Tokens lists a user's bearer tokens, revoked and expired ones included; never
// the secrets, which Hearth does not keep.
func (s *Service) Tokens(ctx context.Context, email string) ([]db.APITokenListByUserRow, error) {
	u, err := s.user(ctx, email)
	if err != nil {
		return nil, err
	}
	return s.q.APITokenListByUser(ctx, u.UserID)
}

// RevokeToken ends one of the user's bearer tokens at once.
func (s *Service) RevokeToken(ctx context.Context, by int64, email string, tokenID int64) error {
	u, err := s.user(ctx, email)
	if err != nil {
		return err
	}
	now := s.Now()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		n, err := db.New(tx).APITokenRevoke(ctx, db.APITokenRevokeParams{TokenID: &tokenID, UserID: u.UserID, At: &now})
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("token %d: %w (not one of %s's live tokens)", tokenID, ErrNotFound, u.Email)
		}
		return s.auditUser(ctx, tx, by, u, "revoke_token", map[string]any{"token_id": tokenID})
	})
}

// Account is a person's account with every role grant they have held.
type Account struct {
	User   db.User
	Grants []db.RoleAssignment
}

// InForce returns the grants in force at the moment on.
func (a Account) InForce(on time.Time) []db.RoleAssignment {
	var out []db.RoleAssignment
	for _, g := range a.Grants {
		if !g.ValidFrom.After(on) && (g.ValidTo == nil || g.ValidTo.After(on)) {
			out = append(out, g)
		}
	}
	return out
}

// Show returns an account and its grant history.
func (s *Service) Show(ctx context.Context, email string) (Account, error) {
	u, err := s.user(ctx, email)
	if err != nil {
		return Account{}, err
	}
	gs, err := s.q.RoleListByUser(ctx, u.UserID)
	if err != nil {
		return Account{}, fmt.Errorf("grants of %s: %w", email, err)
	}
	return Account{User: u, Grants: gs}, nil
}

func (s *Service) user(ctx context.Context, email string) (db.User, error) {
	u, err := s.q.UserGetByEmail(ctx, NormaliseEmail(email))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, fmt.Errorf("user %q: %w", email, ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("user %q: %w", email, err)
	}
	return u, nil
}

// auditUser records a change to an account against every council the person
// holds or held a role in, so each council's auditor sees it.
func (s *Service) auditUser(ctx context.Context, tx db.DBTX, by int64, u db.User, action string, detail map[string]any) error {
	gs, err := db.New(tx).RoleListByUser(ctx, u.UserID)
	if err != nil {
		return err
	}
	var las []int32
	for _, g := range gs {
		if g.LaID != nil {
			las = append(las, *g.LaID)
		}
	}
	return audit.RecordCouncils(ctx, tx, audit.Event{UserID: by, Action: action, Entity: "user",
		EntityID: strconv.FormatInt(u.UserID, 10), Detail: detail}, las, nil)
}
