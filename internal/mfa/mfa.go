// Package mfa owns the second factor of local accounts: TOTP (RFC 6238) with
// enrolment by QR code, one-use recovery codes, the sign-in step that asks for
// a code after the password, and each council's setting to require it.
//
// Accounts that sign in through their council's identity provider
// (internal/sso) never reach this step: the council's IdP, which the council
// runs with its own multi-factor policy, vouches for them.
package mfa

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/sealing"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors.
var (
	// ErrChallengeGone: the sign-in step expired, was used, or had too many wrong codes.
	ErrChallengeGone = errors.New("this sign-in has expired: sign in again with your email and password")
	ErrForbidden     = errors.New("you do not administer that council")
)

const (
	period       = 30 // seconds a code lasts
	maxFailures  = 5  // wrong codes before the sign-in step is spent
	challengeTTL = 5 * time.Minute
	recoveryN    = 10
)

// Service keeps second factors.
type Service struct {
	pool *pgxpool.Pool
	q    *db.Queries
	az   *authz.Authorizer
	key  sealing.Key // seals each TOTP secret; nil: none can be set up
	// Now is the clock codes are checked against; tests replace it.
	Now func() time.Time
}

// New returns a Service; key (HEARTH_SECRET_KEY) seals the TOTP secrets.
func New(pool *pgxpool.Pool, az *authz.Authorizer, key sealing.Key) *Service {
	return &Service{pool: pool, q: db.New(pool), az: az, key: key, Now: time.Now}
}

// aad binds a sealed secret to its person: copied to another row it does not open.
func aad(userID int64) string { return "user_totp:" + strconv.FormatInt(userID, 10) }

// secret opens a person's TOTP secret (or reads one stored before sealing).
func (s *Service) secret(t db.UserTotp) (string, error) {
	if t.Secret != nil {
		return *t.Secret, nil
	}
	b, err := s.key.Open(aad(t.UserID), t.SecretSealed)
	if err != nil {
		return "", fmt.Errorf("second factor: %w", err)
	}
	return string(b), nil
}

// SealStored seals every secret stored before secrets were sealed (schema
// 033). The server runs it at start-up; it returns how many it sealed.
func (s *Service) SealStored(ctx context.Context) (int, error) {
	rows, err := s.q.TOTPUnsealed(ctx)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		sealed, err := s.key.Seal(aad(r.UserID), []byte(r.Secret))
		if err != nil {
			return n, fmt.Errorf("seal second factors: %w", err)
		}
		c, err := s.q.TOTPSeal(ctx, db.TOTPSealParams{SecretSealed: sealed, UserID: r.UserID, Secret: r.Secret})
		if err != nil {
			return n, fmt.Errorf("seal second factors: %w", err)
		}
		n += int(c)
	}
	return n, nil
}

// Status is a person's second factor.
type Status struct {
	Enrolled     bool
	Required     bool // a council they work for requires it
	RecoveryLeft int64
}

// StatusOf returns the person's second-factor status.
func (s *Service) StatusOf(ctx context.Context, userID int64) (Status, error) {
	var st Status
	t, err := s.q.TOTPGet(ctx, userID)
	switch {
	case err == nil:
		st.Enrolled = t.ConfirmedAt != nil
	case !errors.Is(err, pgx.ErrNoRows):
		return st, fmt.Errorf("second factor: %w", err)
	}
	if st.Required, err = s.q.TOTPRequired(ctx, userID); err != nil {
		return st, fmt.Errorf("second factor: %w", err)
	}
	if st.RecoveryLeft, err = s.q.RecoveryCodesLeft(ctx, userID); err != nil {
		return st, fmt.Errorf("second factor: %w", err)
	}
	return st, nil
}

// Enrolment is a new secret to put in an authenticator app.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	QR     string // data: URI of a PNG of the otpauth:// URL, drawn on the server
}

// Begin makes a new secret for the person (replacing one not yet confirmed).
func (s *Service) Begin(ctx context.Context, u db.User) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Hearth", AccountName: u.Email, Period: period, Digits: otp.DigitsSix})
	if err != nil {
		return Enrolment{}, fmt.Errorf("new secret: %w", err)
	}
	sealed, err := s.key.Seal(aad(u.UserID), []byte(key.Secret()))
	if errors.Is(err, sealing.ErrNoKey) {
		return Enrolment{}, valid.Errorf("code", "A second factor cannot be set up on this server yet: its administrator must set HEARTH_SECRET_KEY")
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("new secret: %w", err)
	}
	if err := s.q.TOTPBegin(ctx, db.TOTPBeginParams{UserID: u.UserID, SecretSealed: sealed, CreatedAt: s.Now()}); err != nil {
		return Enrolment{}, fmt.Errorf("new secret: %w", err)
	}
	t, err := s.q.TOTPGet(ctx, u.UserID)
	if err != nil {
		return Enrolment{}, err
	}
	if t.ConfirmedAt != nil {
		return Enrolment{}, valid.Errorf("code", "A second factor is already set up")
	}
	return s.enrolment(u.Email, t)
}

func (s *Service) enrolment(email string, t db.UserTotp) (Enrolment, error) {
	secret, err := s.secret(t)
	if err != nil {
		return Enrolment{}, err
	}
	key, err := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/Hearth:%s?secret=%s&issuer=Hearth&period=%d&digits=6&algorithm=SHA1", email, secret, period))
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: secret, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// Pending returns the unconfirmed enrolment again (after a wrong code).
func (s *Service) Pending(ctx context.Context, u db.User) (Enrolment, error) {
	t, err := s.q.TOTPGet(ctx, u.UserID)
	if err != nil || t.ConfirmedAt != nil {
		return s.Begin(ctx, u)
	}
	return s.enrolment(u.Email, t)
}

// step returns the time step a code belongs to (now, or one either side for
// a phone's clock a little out), or 0 when it matches none.
func (s *Service) step(secret, code string) int64 {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	now := s.Now()
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*period) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / period
		}
	}
	return 0
}

// Confirm checks the first code from the app and turns the second factor on;
// it returns the recovery codes, shown once.
func (s *Service) Confirm(ctx context.Context, u db.User, code string) ([]string, error) {
	t, err := s.q.TOTPGet(ctx, u.UserID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, valid.Errorf("code", "Start again: scan the new QR code")
	}
	if err != nil {
		return nil, err
	}
	if t.ConfirmedAt != nil {
		return nil, valid.Errorf("code", "A second factor is already set up")
	}
	secret, err := s.secret(t)
	if err != nil {
		return nil, err
	}
	st := s.step(secret, code)
	if st == 0 {
		return nil, valid.Errorf("code", "The code is not right: enter the 6 digits your app shows now")
	}
	codes := make([]string, recoveryN)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		if err := q.TOTPConfirm(ctx, db.TOTPConfirmParams{At: ptr(s.Now()), Step: st, UserID: u.UserID}); err != nil {
			return err
		}
		if err := q.RecoveryCodesReplace(ctx, u.UserID); err != nil {
			return err
		}
		for i := range codes {
			codes[i] = recoveryCode()
			if err := q.RecoveryCodeInsert(ctx, db.RecoveryCodeInsertParams{UserID: u.UserID, CodeHash: hash(codes[i])}); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, u.UserID, "totp_enrol", audit.OK, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("confirm second factor: %w", err)
	}
	return codes, nil
}

func ptr[T any](v T) *T { return &v }

// Needed reports whether the person must give a second factor after their
// password: they set one up, or a council they work for requires one.
func (s *Service) Needed(ctx context.Context, userID int64) (bool, error) {
	st, err := s.StatusOf(ctx, userID)
	return st.Enrolled || st.Required, err
}

// Challenge records that the person's password was right and a second
// factor is awaited; the returned secret goes in the browser's cookie.
func (s *Service) Challenge(ctx context.Context, userID int64, next string) (string, error) {
	token := random()
	err := s.q.ChallengeInsert(ctx, db.ChallengeInsertParams{TokenHash: hash(token), UserID: userID, Next: next, ExpiresAt: s.Now().Add(challengeTTL)})
	if err != nil {
		return "", fmt.Errorf("second factor: %w", err)
	}
	return token, nil
}

// Challenged is a live sign-in step.
type Challenged struct {
	User     db.User
	Next     string
	Enrolled bool
}

// Look returns the sign-in step the cookie names.
func (s *Service) Look(ctx context.Context, token string) (Challenged, error) {
	var c Challenged
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		c, err = s.look(ctx, db.New(tx), token)
		return err
	})
	return c, err
}

func (s *Service) look(ctx context.Context, q *db.Queries, token string) (Challenged, error) {
	ch, err := q.ChallengeGet(ctx, hash(token))
	if errors.Is(err, pgx.ErrNoRows) {
		return Challenged{}, ErrChallengeGone
	}
	if err != nil {
		return Challenged{}, err
	}
	if !s.Now().Before(ch.ExpiresAt) || ch.Failures >= maxFailures {
		return Challenged{}, ErrChallengeGone
	}
	u, err := q.UserGet(ctx, ch.UserID)
	if err != nil {
		return Challenged{}, err
	}
	if u.DisabledAt != nil {
		return Challenged{}, ErrChallengeGone
	}
	c := Challenged{User: u, Next: ch.Next}
	t, err := q.TOTPGet(ctx, u.UserID)
	c.Enrolled = err == nil && t.ConfirmedAt != nil
	return c, nil
}

// Verify checks a code (from the app, or a recovery code) for the sign-in
// step. On success the step is spent and the caller starts the session.
// A wrong code counts; the fifth spends the step.
func (s *Service) Verify(ctx context.Context, token, code string) (Challenged, error) {
	var c Challenged
	var wrong bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var err error
		if c, err = s.look(ctx, q, token); err != nil {
			return err
		}
		t, err := q.TOTPGet(ctx, c.User.UserID)
		if err != nil {
			return err
		}
		secret, err := s.secret(t)
		if err != nil {
			return err
		}
		how := ""
		if st := s.step(secret, code); st != 0 {
			n, err := q.TOTPStep(ctx, db.TOTPStepParams{Step: st, UserID: c.User.UserID})
			if err != nil {
				return err
			}
			if n == 1 {
				how = "totp"
			}
		} else if rc := normaliseRecovery(code); rc != "" {
			n, err := q.RecoveryCodeUse(ctx, db.RecoveryCodeUseParams{At: ptr(s.Now()), UserID: c.User.UserID, CodeHash: hash(rc)})
			if err != nil {
				return err
			}
			if n == 1 {
				how = "recovery_code"
			}
		}
		if how == "" {
			wrong = true
			if err := q.ChallengeFail(ctx, hash(token)); err != nil {
				return err
			}
			return s.record(ctx, tx, c.User.UserID, "signin_second_factor", audit.Denied, nil)
		}
		if err := q.ChallengeDelete(ctx, hash(token)); err != nil {
			return err
		}
		return s.record(ctx, tx, c.User.UserID, "signin_second_factor", audit.OK, map[string]any{"with": how})
	})
	if err != nil {
		return Challenged{}, err
	}
	if wrong {
		return c, valid.Errorf("code", "The code is not right, or was used already: enter the 6 digits your app shows now, or one of your recovery codes")
	}
	return c, nil
}

// ConfirmChallenge completes sign-in for someone whose council requires a
// second factor they have not set up: their first code sets it up.
func (s *Service) ConfirmChallenge(ctx context.Context, token, code string) (Challenged, []string, error) {
	c, err := s.Look(ctx, token)
	if err != nil {
		return c, nil, err
	}
	codes, err := s.Confirm(ctx, c.User, code)
	if err != nil {
		return c, nil, err
	}
	if err := s.q.ChallengeDelete(ctx, hash(token)); err != nil {
		return c, nil, err
	}
	return c, codes, nil
}

// SetRequired sets whether a council requires a second factor of its staff
// with local accounts; only that council's administrator (or a system one).
func (s *Service) SetRequired(ctx context.Context, actor int64, la int32, require bool) error {
	if la == 0 {
		return valid.Errorf("la", "Choose the council")
	}
	if !s.az.AllowedOn(actor, authz.Object{LAID: la, Allocated: true}, authz.Council, authz.Manage) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: actor, LAID: la, Action: "update", Entity: "council_second_factor",
			EntityID: strconv.Itoa(int(la)), Outcome: audit.Denied}); err != nil {
			return err
		}
		return ErrForbidden
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.New(tx).CouncilRequireTOTP(ctx, db.CouncilRequireTOTPParams{Require: require, LaID: la}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: actor, LAID: la, Action: "update", Entity: "council_second_factor",
			EntityID: strconv.Itoa(int(la)), Detail: map[string]any{"require": require}})
	})
}

func (s *Service) record(ctx context.Context, q db.DBTX, userID int64, action, outcome string, detail map[string]any) error {
	gs, err := db.New(q).RoleListByUser(ctx, userID)
	if err != nil {
		return err
	}
	var las []int32
	for _, g := range gs {
		if g.LaID != nil {
			las = append(las, *g.LaID)
		}
	}
	return audit.RecordCouncils(ctx, q, audit.Event{UserID: userID, Action: action, Entity: "user", EntityID: strconv.FormatInt(userID, 10),
		Outcome: outcome, Detail: detail}, las, nil)
}

// recoveryCode is 10 characters from an alphabet without look-alikes, shown as xxxxx-xxxxx.
func recoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:5]) + "-" + string(b[5:])
}

func normaliseRecovery(c string) string {
	c = strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(c)))
	if len(c) != 10 {
		return ""
	}
	return c[:5] + "-" + c[5:]
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
