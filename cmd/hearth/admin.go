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
	"github.com/hearthcare/hearth/internal/demo"
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
		return errors.New("usage: hearth user create|grant|revoke|token --email E ...")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (create)")
	team := fs.String("team", "", "the user's team (create)")
	role := fs.String("role", "", "role to grant or revoke: "+roleList())
	council := fs.String("council", "", "ONS code of the council the role is held in")
	rcc := fs.Int("rcc", 0, "ID of the regional care cooperative the role is held in")
	system := fs.Bool("system", false, "the role is held system-wide")
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
		t, err := a.NewAPIToken(ctx, *email)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, t)
	default:
		return fmt.Errorf("user: unknown subcommand %q (create, grant, revoke or token)", args[0])
	}
	return nil
}

func roleList() string {
	s := make([]string, len(authz.Roles))
	for i, r := range authz.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
