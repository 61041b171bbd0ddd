package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
)

// t0 is the pinned clock of these tests.
var t0 = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)

const password = "a long enough password"

type clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
func (c *clock) sleep(_ context.Context, d time.Duration) {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
}

func setupAccounts(t testing.TB) (*pgxpool.Pool, *auth.Service, *clock) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := db.New(pool).LocalAuthorityUpsert(ctx, db.LocalAuthorityUpsertParams{LaID: 352, OnsCode: "E08000003", Name: "Manchester"}); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: t0}
	a := auth.New(pool, auth.Settings{})
	a.Now, a.Sleep = c.Now, c.sleep
	for _, e := range []string{"ann@example.org", "closed@example.org", "locked@example.org"} {
		if _, err := a.CreateUser(ctx, e, "Someone", password, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Grant(ctx, "ann@example.org", authz.SocialWorker, auth.Scope{CouncilONS: "E08000003"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Disable(ctx, 0, "closed@example.org"); err != nil {
		t.Fatal(err)
	}
	return pool, a, c
}

// TestStreamFromOneSourceDoesNotKeepTheUserOut: an attacker sends a wrong
// password for Ann every minute for two hours from one address. Ann's
// account is locked at most for LockFor at a time, and once that ends she signs
// in from her own address while the attacker's address is still backing off.
func TestStreamFromOneSourceDoesNotKeepTheUserOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, a, c := setupAccounts(t)
	set := a.Settings()
	lockedFrom := time.Time{}
	for i := range 120 {
		_, _, err := a.SignIn(ctx, "ann@example.org", fmt.Sprintf("guess-%d", i), "203.0.113.9")
		var se *auth.SignInError
		if !errors.As(err, &se) {
			t.Fatalf("attempt %d: %v; want a refused sign-in", i, err)
		}
		if se.Reason == "throttled" && lockedFrom.IsZero() {
			lockedFrom = c.Now()
		}
		c.add(time.Minute)
	}
	if lockedFrom.IsZero() {
		t.Fatal("120 wrong passwords never throttled")
	}
	// Ann, from her own address, gets in within one lock period of now.
	in := false
	for waited := time.Duration(0); waited <= set.LockFor && !in; waited += time.Minute {
		_, _, err := a.SignIn(ctx, "ann@example.org", password, "198.51.100.7")
		in = err == nil
		if !in {
			c.add(time.Minute)
		}
	}
	if !in {
		t.Fatalf("Ann still kept out %s after two hours of guesses from one address", set.LockFor)
	}
	// The attacker's address is still backing off.
	if _, _, err := a.SignIn(ctx, "someone-else@example.org", "x", "203.0.113.9"); err == nil {
		t.Fatal("attacker address signed in")
	} else if se := new(auth.SignInError); !errors.As(err, &se) || se.Reason != "throttled" {
		t.Errorf("attacker address after the stream: %v (%q); want throttled", err, se.Reason)
	}
}

// TestLockCounterRestartsWhenTheLockEnds: after a lock runs out, one more wrong
// password does not lock the account again.
func TestLockCounterRestartsWhenTheLockEnds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, a, c := setupAccounts(t)
	set := a.Settings()
	for i := range set.LockAfter {
		_, _, _ = a.SignIn(ctx, "locked@example.org", "wrong", fmt.Sprintf("192.0.2.%d", i))
	}
	if _, _, err := a.SignIn(ctx, "locked@example.org", password, "192.0.2.200"); err == nil {
		t.Fatal("right password during a lock: signed in")
	}
	c.add(set.LockFor + time.Second)
	_, _, _ = a.SignIn(ctx, "locked@example.org", "wrong again", "192.0.2.201")
	if _, _, err := a.SignIn(ctx, "locked@example.org", password, "192.0.2.202"); err != nil {
		t.Errorf("one wrong password after the lock ended kept the account locked: %v", err)
	}
}

// refusals are the four ways a sign-in is refused, each from its own address.
var refusals = []struct{ name, email, password, reason string }{
	{"unknown", "nobody@example.org", password, "unknown"},
	{"closed", "closed@example.org", password, "disabled"},
	{"locked", "locked@example.org", password, "throttled"},
	{"wrong password", "ann@example.org", "not it at all", "wrong_password"},
}

func lockOut(ctx context.Context, a *auth.Service) {
	for i := range a.Settings().LockAfter {
		_, _, _ = a.SignIn(ctx, "locked@example.org", "wrong", fmt.Sprintf("192.0.2.%d", i))
	}
}

// TestEveryRefusalAnswersAlike: unknown, closed, locked and wrong password give
// the same text and the same work — exactly one argon2id
// check at the same cost parameters — so neither the answer nor its time tells
// them apart. The work is counted, not timed; BenchmarkRefusals gives the times.
func TestEveryRefusalAnswersAlike(t *testing.T) {
	ctx := context.Background()
	_, a, _ := setupAccounts(t)
	lockOut(ctx, a)
	checked, undo := auth.CountPasswordChecks()
	defer undo()
	texts := make([]string, len(refusals))
	for n, tt := range refusals {
		*checked = (*checked)[:0]
		_, _, err := a.SignIn(ctx, tt.email, tt.password, fmt.Sprintf("198.51.100.%d", n))
		var se *auth.SignInError
		if !errors.As(err, &se) || se.Reason != tt.reason || !errors.Is(err, auth.ErrSignInFailed) {
			t.Fatalf("%s: %v (%+v); want a refused sign-in, reason %s", tt.name, err, se, tt.reason)
		}
		texts[n] = err.Error()
		if len(*checked) != 1 {
			t.Errorf("%s: %d password checks; want exactly 1", tt.name, len(*checked))
		} else if got, want := costOf((*checked)[0]), costOf(auth.HashPassword("x")); got != want {
			t.Errorf("%s: checked against a hash costing %q; want %q, as a real account's", tt.name, got, want)
		}
	}
	for i := range texts {
		if texts[i] != texts[0] {
			t.Errorf("answer %q = %q; want the same as %q (%q)", refusals[i].name, texts[i], refusals[0].name, texts[0])
		}
	}
}

// costOf is a PHC hash's algorithm, version and parameters: what sets the
// time a check takes.
func costOf(hash string) string {
	parts := strings.Split(hash, "$")
	if len(parts) < 4 {
		return hash
	}
	return strings.Join(parts[:4], "$")
}

// BenchmarkRefusals times each kind of refusal; compare the four (benchstat)
// to see that a refusal's time does not tell which it was.
func BenchmarkRefusals(b *testing.B) {
	ctx := context.Background()
	_, a, _ := setupAccounts(b)
	lockOut(ctx, a)
	for n, tt := range refusals {
		b.Run(strings.ReplaceAll(tt.name, " ", "_"), func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				// A fresh source each time, so the slow-down never starts.
				_, _, err := a.SignIn(ctx, tt.email, tt.password, fmt.Sprintf("2001:db8:%x::%x", n, i))
				if !errors.Is(err, auth.ErrSignInFailed) {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDisableEndsSessionsAndTokens, and grant history answers "what could this
// person do on 3 March?".
func TestDisableEndsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, a, c := setupAccounts(t)
	session, _, err := a.SignIn(ctx, "ann@example.org", password, "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.NewLabelledToken(ctx, "ann@example.org", "reporting script")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Token(ctx, token); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	if _, err := a.Disable(ctx, 0, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session(ctx, session); err == nil {
		t.Error("session still works after the account was disabled")
	}
	if _, err := a.Token(ctx, token); err == nil {
		t.Error("bearer token still works after the account was disabled")
	}
	if _, err := a.Enable(ctx, 0, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Token(ctx, token); err == nil {
		t.Error("a token revoked by disabling came back with enable")
	}
	var n int64
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE entity = 'user' AND action IN ('disable','enable') AND la_id = 352").Scan(&n); err != nil || n != 2 {
		t.Errorf("disable/enable audited against the council: %d (%v); want 2", n, err)
	}

	// Tokens: listed without secrets, revoked one by one.
	token2, err := a.NewLabelledToken(ctx, "ann@example.org", "second")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := a.Tokens(ctx, "ann@example.org")
	if err != nil || len(ts) != 2 || ts[0].RevokedAt == nil || ts[1].RevokedAt != nil || ts[1].Label != "second" {
		t.Fatalf("Tokens = %+v, %v; want the revoked one and the live one", ts, err)
	}
	if err := a.RevokeToken(ctx, 0, "ann@example.org", *ts[1].TokenID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Token(ctx, token2); err == nil {
		t.Error("revoked token still works")
	}
	if err := a.RevokeToken(ctx, 0, "ann@example.org", *ts[1].TokenID); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("revoking twice: %v; want not found", err)
	}

	// Sign-out ends the session row.
	s2, _, err := a.SignIn(ctx, "ann@example.org", password, "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SignOut(ctx, s2); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session(ctx, s2); err == nil {
		t.Error("session works after sign-out")
	}

	// Grants: revoked on 10 March, granted again on 20 March.
	c.add(7 * 24 * time.Hour) // 10 March
	if err := a.Revoke(ctx, "ann@example.org", authz.SocialWorker, auth.Scope{CouncilONS: "E08000003"}); err != nil {
		t.Fatal(err)
	}
	c.add(10 * 24 * time.Hour) // 20 March
	if err := a.Grant(ctx, "ann@example.org", authz.SocialWorker, auth.Scope{CouncilONS: "E08000003"}); err != nil {
		t.Fatal(err)
	}
	acc, err := a.Show(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(acc.Grants) != 2 {
		t.Fatalf("grant history: %d rows; want 2 (the ended grant kept)", len(acc.Grants))
	}
	for _, tt := range []struct {
		on   time.Time
		want int
	}{{t0.AddDate(0, 0, -1), 0}, {t0.Add(time.Hour), 1}, {t0.AddDate(0, 0, 12), 0}, {t0.AddDate(0, 0, 18), 1}} {
		if got := len(acc.InForce(tt.on)); got != tt.want {
			t.Errorf("grants in force on %s: %d; want %d", tt.on.Format(time.DateOnly), got, tt.want)
		}
	}
}
