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

const councilUsage = `usage:
  hearth council create --la CODE --ons CODE --name NAME`

// councilCmd adds a council (a new tenant). Its staff are then invited by its
// administrator on /staff (the first administrator: hearth user create and
// hearth user grant --role la_admin, or a system administrator's /staff page).
func councilCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(councilUsage)
	}
	fs := flag.NewFlagSet("council create", flag.ContinueOnError)
	la := fs.String("la", "", "the council's three-digit DfE LA code")
	ons := fs.String("ons", "", "the council's ONS code")
	name := fs.String("name", "", "the council's name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	svc, closeDB, err := councilService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	c, err := svc.CreateCouncil(ctx, councils.CommandLine, councils.NewCouncil{LACode: *la, ONS: *ons, Name: *name})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created council %s (LA %d, ONS %s)\n", c.Name, c.LaID, c.OnsCode)
	return nil
}

func councilService(ctx context.Context, cfg config.Config, log *slog.Logger) (*councils.Service, func(), error) {
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return councils.New(pool, az, sharing.New(pool, az)), pool.Close, nil
}
