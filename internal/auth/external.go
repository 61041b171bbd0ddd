package auth

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/db"
)

// StartSession starts a session for someone a council's identity provider has
// signed in (internal/sso), who has no Hearth password to check. The caller
// has matched them to this account; a closed account gets no session.
func (s *Service) StartSession(ctx context.Context, u db.User) (string, error) {
	u, err := s.activeUser(ctx, u.UserID)
	if err != nil {
		return "", err
	}
	now := s.Now()
	if err := s.q.UserRecordSignin(ctx, db.UserRecordSigninParams{UserID: u.UserID, At: &now}); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	token := newToken()
	if err := s.q.SessionInsert(ctx, db.SessionInsertParams{TokenHash: hashToken(token), UserID: u.UserID,
		CreatedAt: now, ExpiresAt: now.Add(s.set.SessionMax)}); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return token, nil
}
