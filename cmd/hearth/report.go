package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
)

func reportCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "commissioning" {
		return errors.New("usage: hearth report commissioning --council CODE --as-of YYYY-MM-DD -o FILE")
	}
	fs := flag.NewFlagSet("report commissioning", flag.ContinueOnError)
	council := fs.String("council", "", "council: ONS code or LA code")
	asOfFlag := fs.String("as-of", "", "date the figures describe (default today)")
	out := fs.String("o", "", "PDF file to write")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *council == "" || *out == "" {
		return errors.New("usage: hearth report commissioning --council CODE --as-of YYYY-MM-DD -o FILE")
	}
	asOf := time.Now().UTC().Truncate(24 * time.Hour)
	if *asOfFlag != "" {
		t, err := time.Parse(time.DateOnly, *asOfFlag)
		if err != nil {
			return fmt.Errorf("--as-of: %q is not a date like 2026-03-31", *asOfFlag)
		}
		asOf = t
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	la, err := councilID(ctx, pool, *council)
	if err != nil {
		return err
	}
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	start := time.Now()
	data, err := report.GatherCommissioning(ctx, pool, proceedings.New(pool, az), la, asOf)
	if err != nil {
		return err
	}
	pdf, err := report.CommissioningPDF(data)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d KB) for %s as of %s in %s\n", *out, len(pdf)/1024, data.Council.Name, asOf.Format(time.DateOnly), time.Since(start).Round(time.Millisecond))
	return nil
}
