package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/councils"
	"github.com/hearthcare/hearth/internal/sharing"
)

const rccUsage = `usage:
  hearth rcc create --rcc CODE --name NAME
  hearth rcc show --rcc CODE
  hearth rcc join --rcc CODE --council CODE [--from YYYY-MM-DD]
  hearth rcc leave --rcc CODE --council CODE [--on YYYY-MM-DD]
  hearth rcc disclosure --rcc CODE --min-count N --max-noise N --k N`

// rccCmd keeps a regional care cooperative's memberships over time and its
// disclosure-control thresholds. Sharing agreements are signed by each
// council's administrator on /settings/sharing, not here.
func rccCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(rccUsage)
	}
	fs := flag.NewFlagSet("rcc "+args[0], flag.ContinueOnError)
	code := fs.String("rcc", "", "the cooperative's code")
	council := fs.String("council", "", "council: ONS code or LA code")
	from := fs.String("from", "", "membership starts (default today)")
	on := fs.String("on", "", "membership ends (default today)")
	name := fs.String("name", "", "the cooperative's name (create)")
	minCount := fs.Int("min-count", 0, "counts from 1 to this − 1 are suppressed")
	maxNoise := fs.Int("max-noise", 3, "the perturbation adds noise of up to this either way")
	k := fs.Int("k", 5, "every combination in the pooled extract is shared by at least this many rows")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *code == "" {
		return errors.New(rccUsage)
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	svc := sharing.New(pool, az)
	switch args[0] {
	case "create":
		r, err := councils.New(pool, az, svc).CreateRCC(ctx, councils.CommandLine, *code, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created cooperative %s (%s)\n", r.Name, r.Code)
	case "show":
		out, err := svc.Describe(ctx, *code)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, out)
	case "join", "leave":
		if *council == "" {
			return errors.New(rccUsage)
		}
		date := *from
		if args[0] == "leave" {
			date = *on
		}
		day, err := asOfDate(date)
		if err != nil {
			return err
		}
		if args[0] == "join" {
			err = svc.Join(ctx, *code, *council, day)
		} else {
			err = svc.Leave(ctx, *code, *council, day)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s %s from %s\n", *council, map[string]string{"join": "joined", "leave": "left"}[args[0]], *code, day.Format("2006-01-02"))
	case "disclosure":
		if err := svc.SetDisclosure(ctx, *code, *minCount, *maxNoise, *k); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: counts below %d withheld, noise up to ±%d, extract k = %d\n", *code, *minCount, *maxNoise, *k)
	default:
		return fmt.Errorf("unknown subcommand %q\n%s", args[0], rccUsage)
	}
	return nil
}
