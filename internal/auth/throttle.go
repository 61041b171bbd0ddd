package auth

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/db"
)

// Sign-in throttling, per email address and per source address.
//
//   - An email address (known or not, so the two behave alike) is blocked for
//     LockFor after LockAfter failures in a row. When the block runs out the
//     count starts again from nothing, so a stale lock cannot be topped up.
//   - A source address is blocked after SourceAfter failures, for SourceBlock,
//     doubling with every further failure up to SourceMax; it starts afresh
//     after Quiet without a failure.
//   - Attempts refused because a key is blocked are not counted.
//
// So a stream of wrong passwords from one address locks an account at most
// once, for LockFor; after that the address waits ever longer between tries
// and the real user, from their own address, gets in as soon as the lock ends.

func emailKey(email string) string   { return "email:" + email }
func sourceKey(source string) string { return "source:" + source }

// blocked reports whether any key is blocked now, and the email key's current
// count of failures (for the slow-down).
func (s *Service) blocked(ctx context.Context, now time.Time, keys []string) (bool, int, error) {
	blocked, failures := false, 0
	for i, k := range keys {
		t, err := s.q.ThrottleGet(ctx, k)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return false, 0, err
		}
		live := t.BlockedUntil != nil && now.Before(*t.BlockedUntil)
		blocked = blocked || live
		if i == 0 && (live || t.BlockedUntil == nil) {
			failures = int(t.Failures)
		}
	}
	return blocked, failures, nil
}

// countFailure counts one failure against the email and source keys and
// returns the email key's new count.
func (s *Service) countFailure(ctx context.Context, now time.Time, email, source string) (int, error) {
	n, err := s.fail(ctx, now, email, func(t *db.SigninThrottle) {
		if t.BlockedUntil != nil && !now.Before(*t.BlockedUntil) {
			t.Failures, t.BlockedUntil = 0, nil // the lock ran out: start again
		}
		t.Failures++
		if int(t.Failures) >= s.set.LockAfter {
			until := now.Add(s.set.LockFor)
			t.BlockedUntil = &until
		}
	})
	if err != nil {
		return 0, err
	}
	_, err = s.fail(ctx, now, source, func(t *db.SigninThrottle) {
		if now.Sub(t.LastFailureAt) > s.set.Quiet {
			t.Failures, t.Blocks, t.BlockedUntil = 0, 0, nil
		}
		t.Failures++
		if int(t.Failures) >= s.set.SourceAfter {
			d := s.set.SourceBlock << min(t.Blocks, 20)
			if d > s.set.SourceMax || d <= 0 {
				d = s.set.SourceMax
			}
			until := now.Add(d)
			t.BlockedUntil = &until
			t.Blocks++
		}
	})
	return n, err
}

func (s *Service) fail(ctx context.Context, now time.Time, key string, step func(*db.SigninThrottle)) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		t, err := q.ThrottleLock(ctx, db.ThrottleLockParams{Key: key, Now: now})
		if err != nil {
			return err
		}
		step(&t)
		n = int(t.Failures)
		return q.ThrottlePut(ctx, db.ThrottlePutParams{Key: key, Failures: t.Failures, Blocks: t.Blocks,
			LastFailureAt: now, BlockedUntil: t.BlockedUntil})
	})
	return n, err
}
