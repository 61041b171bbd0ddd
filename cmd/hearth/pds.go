package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/pds"
	"github.com/hearthcare/hearth/internal/postgres"
)

const (
	pdsExportUsage = "usage: hearth export pds --council CODE --quarter 2026Q3 [-o FILE.csv|FILE.xlsx]"
	pdsImportUsage = "usage: hearth import pds --council CODE --quarter 2026Q3 FILE (.csv or .xlsx, the template's columns)"
)

// exportPDSCmd writes a council's quarterly Placements Data Standard return,
// CSV to stdout or to -o (an .xlsx name writes the workbook). The command
// line is trusted, as for the SSDA903 export.
func exportPDSCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export pds", flag.ContinueOnError)
	council := fs.String("council", "", "council: ONS code or LA code")
	quarter := fs.String("quarter", "", "calendar quarter, like 2026Q3 (July to September 2026)")
	out := fs.String("o", "", "write to this file (.csv or .xlsx) instead of CSV to standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *council == "" || *quarter == "" {
		return errors.New(pdsExportUsage)
	}
	q, err := pds.ParseQuarter(*quarter)
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
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	recs, err := pds.New(pool, nil).ExportCouncil(ctx, la, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
		err = pds.WriteXLSX(&buf, recs)
	} else {
		err = pds.WriteCSV(&buf, recs)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d placements for council %d, %s, to %s\n", len(recs), la, q, *out)
	return nil
}

// importPDSCmd loads a council's quarterly return, all or nothing, as the
// API does; the command line is trusted.
func importPDSCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import pds", flag.ContinueOnError)
	ia := newImportArgs(fs, "")
	quarter := fs.String("quarter", "", "calendar quarter, like 2026Q3")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ia.council == "" || *quarter == "" || fs.NArg() != 1 {
		return errors.New(pdsImportUsage)
	}
	q, err := pds.ParseQuarter(*quarter)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	ctx, t, err := ia.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer t.close()
	la := t.la
	res, err := pds.New(t.pool, nil).ImportCouncil(ctx, nil, la, q, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "council %d, %s: %d rows; %d added, %d changed, %d unchanged, %d removed\n", la, q, res.Rows, res.Added, res.Changed, res.Unchanged, res.Removed)
	for _, w := range res.Warnings {
		fmt.Fprintf(stdout, "warning: %s: %s\n", w.Field, w.Message)
	}
	return nil
}
