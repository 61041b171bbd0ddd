package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/placements"
)

const censusUsage = "usage: hearth import census --council CODE --as-of YYYY-MM-DD [--as EMAIL] FILE (.csv, or the .xlsx workbook)"

// importCensusCmd loads a cost census from the command line through the same
// service, checks and stored report as the upload page and the API.
func importCensusCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import census", flag.ContinueOnError)
	ia := newImportArgs(fs, asHelp)
	asOf := fs.String("as-of", "", "the date the census describes, YYYY-MM-DD")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ia.council == "" || *asOf == "" || fs.NArg() != 1 {
		return errors.New(censusUsage)
	}
	date, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		return fmt.Errorf("--as-of: %q is not a date like 2026-03-31", *asOf)
	}
	ctx, t, err := ia.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer t.close()
	f, err := t.openFile(fs.Arg(0))
	if err != nil {
		return err
	}
	az, err := authz.New(ctx, t.pool, log)
	if err != nil {
		return err
	}
	svc := placements.New(t.pool, az)
	id, err := svc.BeginCensus(ctx, t.userID, t.la, date, filepath.Base(fs.Arg(0)))
	if err != nil {
		return err
	}
	stop := importq.Heartbeat(ctx, t.pool, log, id)
	rep, err := svc.RunCensus(ctx, id, t.userID, t.la, date, f)
	stop()
	printCensus(stdout, rep)
	if err != nil {
		return fmt.Errorf("import %d: %w", id, err)
	}
	return nil
}

func printCensus(w io.Writer, rep placements.CensusReport) {
	for _, p := range rep.Errors {
		fmt.Fprintf(w, "error %s row %d %s: %s\n", p.File, p.Line, orDash(p.Column), p.Message)
	}
	for _, p := range rep.Unmatched {
		fmt.Fprintf(w, "not attached: row %d %s: %s\n", p.Line, p.Value, p.Message)
	}
	for _, c := range rep.Ignored {
		fmt.Fprintf(w, "column not used: %s\n", c)
	}
	fmt.Fprintf(w, "census %s (import %d): %d rows, %d attached, %d updated, %d unchanged, %d not attached, %d errors\n",
		rep.Date, rep.ImportID, rep.Rows, rep.Attached, rep.Updated, rep.Unchanged, len(rep.Unmatched), len(rep.Errors))
}
