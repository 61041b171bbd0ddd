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

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecasting"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
)

func reportCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "regional" {
		return regionalCmd(ctx, cfg, log, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "commissioning" {
		return errors.New("usage: hearth report commissioning|regional …")
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
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
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

// regionalCmd writes an RCC's regional commissioning report. The command line
// is trusted, as for council reports: whoever runs it holds the database. The
// report holds only published figures all the same.
func regionalCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	const use = "usage: hearth report regional --rcc CODE --as-of YYYY-MM-DD -o FILE"
	fs := flag.NewFlagSet("report regional", flag.ContinueOnError)
	code := fs.String("rcc", "", "the cooperative's code (gm-rcc in the demo)")
	asOfFlag := fs.String("as-of", "", "date the figures describe (default today)")
	out := fs.String("o", "", "PDF file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *code == "" || *out == "" {
		return errors.New(use)
	}
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	rcc, err := db.New(pool).RCCByCode(ctx, *code)
	if err != nil {
		return fmt.Errorf("--rcc: no cooperative with code %q", *code)
	}
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	start := time.Now()
	reg, err := sharing.New(pool, az).Published(ctx, rcc.RccID, analytics.Filter{}, asOf, proceedings.New(pool, az))
	if err != nil {
		return err
	}
	// The Forecast chapter, as the page's PDF has it; a cooperative whose
	// members share no forecast inputs yet gets the report without it.
	fc, err := forecasting.BuildRegion(ctx, pool, rcc.RccID, forecasting.Defaults(asOf), time.Now())
	if errors.Is(err, forecasting.ErrNoSharedInputs) || errors.Is(err, forecasting.ErrNoHistory) {
		fc, err = nil, nil
	}
	if err != nil {
		return err
	}
	pdf, err := report.RegionalPDFWithForecast(reg, fc, time.Now())
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d KB) for %s as of %s in %s\n", *out, len(pdf)/1024, reg.RCC, asOf.Format(time.DateOnly), time.Since(start).Round(time.Millisecond))
	return nil
}
