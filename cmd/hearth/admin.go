package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/sso"
)

func demoCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "random seed: the same seed and date give the same region")
	n := fs.Int("children", 1500, "number of children in care across the region")
	asOf := fs.String("as-of", "", "date the region is as of (YYYY-MM-DD; default today)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := asOfDate(*asOf)
	if err != nil {
		return err
	}
	o := demo.Options{Seed: *seed, Children: *n, AsOf: day}
	if *n < 1 || *n > 1_000_000 {
		return fmt.Errorf("--children: %d is outside 1 to 1,000,000", *n)
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, cfg, log, false); err != nil {
		return err
	}
	start := time.Now()
	reg := demo.Generate(o)
	if err := demo.Load(ctx, pool, reg); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded %d children and %d users in %s\n", len(reg.Children), len(reg.Users), time.Since(start).Round(time.Millisecond))
	return nil
}

func userCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: hearth user create|grant|revoke|token|show|disable|enable|tokens|revoke-token|unbind-sso --email E ...")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (create)")
	team := fs.String("team", "", "the user's team (create)")
	role := fs.String("role", "", "role to grant or revoke: "+roleList())
	council := fs.String("council", "", "ONS code of the council the role is held in")
	rcc := fs.Int("rcc", 0, "ID of the regional care cooperative the role is held in")
	system := fs.Bool("system", false, "the role is held system-wide")
	label := fs.String("label", "", "what the token is for (token)")
	tokenID := fs.Int64("token", 0, "the number of the token to revoke (revoke-token; see tokens)")
	on := fs.String("on", "", "show only the grants in force on this date, YYYY-MM-DD (show)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	a := auth.New(pool, auth.Settings{})
	scope := auth.Scope{CouncilONS: *council, RCCID: int32(*rcc), System: *system}
	switch args[0] {
	case "create":
		// The password comes on standard input so it never appears in the process list or shell history.
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password := strings.TrimRight(line, "\r\n")
		if password == "" {
			return errors.New("password: give the new user's password on standard input")
		}
		u, err := a.CreateUser(ctx, *email, *name, password, *team)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %d %s\n", u.UserID, u.Email)
	case "grant":
		if err := a.Grant(ctx, *email, authz.Role(*role), scope); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "granted %s to %s\n", *role, *email)
	case "revoke":
		if err := a.Revoke(ctx, *email, authz.Role(*role), scope); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s from %s\n", *role, *email)
	case "token":
		t, err := a.NewLabelledToken(ctx, *email, *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, t)
	case "show":
		return userShow(ctx, a, stdout, *email, *on)
	case "disable":
		u, err := a.Disable(ctx, 0, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled %s: sessions ended, bearer tokens revoked\n", u.Email)
	case "enable":
		u, err := a.Enable(ctx, 0, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "enabled %s (old sessions and tokens stay ended)\n", u.Email)
	case "tokens":
		ts, err := a.Tokens(ctx, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-6s %-10s %-10s %-10s %-10s %s\n", "token", "created", "expires", "last used", "revoked", "label")
		for _, t := range ts {
			fmt.Fprintf(stdout, "%-6d %-10s %-10s %-10s %-10s %s\n", deref(t.TokenID), t.CreatedAt.Format(time.DateOnly), t.ExpiresAt.Format(time.DateOnly),
				optDate(t.LastUsedAt), optDate(t.RevokedAt), t.Label)
		}
	case "revoke-token":
		if *tokenID == 0 {
			return errors.New("--token is required (the number from hearth user tokens)")
		}
		if err := a.RevokeToken(ctx, 0, *email, *tokenID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d of %s\n", *tokenID, *email)
	case "unbind-sso":
		// The person's id at the council's identity provider changed (their
		// account there was remade): their next sign-in binds afresh.
		la, err := db.New(pool).LocalAuthorityGetByONS(ctx, *council)
		if err != nil {
			return fmt.Errorf("--council %q: %w", *council, err)
		}
		u, err := db.New(pool).UserGetByEmail(ctx, auth.NormaliseEmail(*email))
		if err != nil {
			return fmt.Errorf("--email %q: %w", *email, err)
		}
		if err := sso.New(pool, nil, a, nil).Unbind(ctx, 0, la.LaID, u.UserID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s will be matched by verified email at their next sign-in to %s\n", u.Email, la.Name)
	default:
		return fmt.Errorf("user: unknown subcommand %q (create, grant, revoke, token, show, disable, enable, tokens, revoke-token or unbind-sso)", args[0])
	}
	return nil
}

// userShow prints an account and its grants: every grant ever held, or with
// --on only those in force that day (at any moment of it, UTC).
func userShow(ctx context.Context, a *auth.Service, stdout io.Writer, email, on string) error {
	acc, err := a.Show(ctx, email)
	if err != nil {
		return err
	}
	grants := acc.Grants
	if on != "" {
		day, err := time.Parse(time.DateOnly, on)
		if err != nil {
			return fmt.Errorf("--on: %q is not a date like 2026-03-03", on)
		}
		grants = nil
		for _, g := range acc.Grants {
			if g.ValidFrom.Before(day.AddDate(0, 0, 1)) && (g.ValidTo == nil || g.ValidTo.After(day)) {
				grants = append(grants, g)
			}
		}
	}
	state := "active"
	if acc.User.DisabledAt != nil {
		state = "disabled since " + acc.User.DisabledAt.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(stdout, "%s (%s), user %d, %s\n", acc.User.Email, acc.User.DisplayName, acc.User.UserID, state)
	if on != "" {
		fmt.Fprintf(stdout, "grants in force on %s:\n", on)
	}
	if len(grants) == 0 {
		fmt.Fprintln(stdout, "  no roles")
	}
	for _, g := range grants {
		scope := "system"
		switch {
		case g.LaID != nil:
			scope = fmt.Sprintf("council %d", *g.LaID)
		case g.RccID != nil:
			scope = fmt.Sprintf("rcc %d", *g.RccID)
		}
		to := "open"
		if g.ValidTo != nil {
			to = g.ValidTo.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "  %-14s %-12s from %s to %s\n", g.Role, scope, g.ValidFrom.UTC().Format(time.RFC3339), to)
	}
	return nil
}

func optDate(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func roleList() string {
	s := make([]string, len(authz.Roles))
	for i, r := range authz.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
