package mfa_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/dbtest"
	"github.com/hearthcare/hearth/internal/mfa"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/valid"
)

var (
	key = sealing.Key("0123456789abcdef0123456789abcdef")
	t0  = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func users(t *testing.T, ctx context.Context, au *auth.Service, emails ...string) []db.User {
	t.Helper()
	var us []db.User
	for _, e := range emails {
		u, err := au.CreateUser(ctx, e, "Someone", "a long enough password 1", "")
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	return us
}

// TestSecretIsSealed: a TOTP secret is kept only sealed under the server's
// key, bound to its person, so neither a copy of the database nor a secret
// moved to another person's row gives a working second factor.
func TestSecretIsSealed(t *testing.T) {
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	au := auth.New(app, auth.Settings{})
	us := users(t, ctx, au, "ann@example.org", "bob@example.org")
	svc := mfa.New(app, nil, key)
	svc.Now = func() time.Time { return t0 }

	e, err := svc.Begin(ctx, us[0])
	if err != nil {
		t.Fatal(err)
	}
	var plain *string
	var sealed []byte
	if err := owner.QueryRow(ctx, "SELECT secret, secret_sealed FROM user_totp WHERE user_id = $1", us[0].UserID).Scan(&plain, &sealed); err != nil {
		t.Fatal(err)
	}
	if plain != nil || len(sealed) == 0 || bytes.Contains(sealed, []byte(e.Secret)) {
		t.Fatalf("stored secret %v, sealed %d bytes (holds the secret: %v); want only a sealed value",
			plain, len(sealed), bytes.Contains(sealed, []byte(e.Secret)))
	}
	if _, err := svc.Confirm(ctx, us[0], code(t, e.Secret, t0)); err != nil {
		t.Fatalf("confirm with the app's code: %v", err)
	}

	// Ann's sealed secret copied onto Bob's enrolment does not open.
	if _, err := svc.Begin(ctx, us[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, "UPDATE user_totp SET secret_sealed = $1 WHERE user_id = $2", sealed, us[1].UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Confirm(ctx, us[1], code(t, e.Secret, t0.Add(30*time.Second))); err == nil || errors.As(err, new(*valid.Error)) {
		t.Errorf("Bob confirmed with Ann's moved secret: %v; want it not to open", err)
	}

	// Without the server's key, nothing is set up, and the person is told why.
	bare := mfa.New(app, nil, nil)
	if _, err := bare.Begin(ctx, us[1]); !errors.As(err, new(*valid.Error)) {
		t.Errorf("Begin without a key: %v; want a plain refusal", err)
	}
}

// TestSealStored: secrets stored before sealing (schema 033) keep working
// and are sealed when the server starts with its key.
func TestSealStored(t *testing.T) {
	ctx := context.Background()
	app, owner := dbtest.NewWithOwner(t)
	au := auth.New(app, auth.Settings{})
	us := users(t, ctx, au, "cat@example.org")
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	if _, err := owner.Exec(ctx, "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)", us[0].UserID, secret, t0); err != nil {
		t.Fatal(err)
	}
	svc := mfa.New(app, nil, key)
	svc.Now = func() time.Time { return t0 }
	for _, want := range []int{1, 0} { // a second start seals nothing more
		n, err := svc.SealStored(ctx)
		if err != nil || n != want {
			t.Fatalf("SealStored = %d, %v; want %d", n, err, want)
		}
	}
	var left int
	if err := owner.QueryRow(ctx, "SELECT count(*) FROM user_totp WHERE secret IS NOT NULL").Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d secrets left unsealed (%v)", left, err)
	}
	if _, err := svc.Confirm(ctx, us[0], code(t, secret, t0)); err != nil {
		t.Errorf("confirm with the app's code after sealing: %v", err)
	}
}
