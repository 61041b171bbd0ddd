package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/needs"
)

const needsUsage = "usage: hearth import needs --council CODE [--as EMAIL] [--mapping FILE.json] FILE (.csv or .json)"

// importNeedsCmd brings in a needs history approved in another system,
// through the same checks as POST /api/v1/imports/needs.
func importNeedsCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import needs", flag.ContinueOnError)
	ia := newImportArgs(fs, "email of the person importing: the author of rows without an author column, and who the import is audited against")
	mapping := fs.String("mapping", "", "a JSON file mapping another instrument's domain codes to an instrument loaded in Hearth")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ia.council == "" || fs.NArg() != 1 {
		return errors.New(needsUsage)
	}
	var m *needs.Mapping
	if *mapping != "" {
		f, err := os.Open(*mapping)
		if err != nil {
			return err
		}
		mm, err := needs.ReadMapping(f)
		f.Close()
		if err != nil {
			return err
		}
		m = &mm
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
	rows, fm, ps := needs.ReadHistory(f)
	if m == nil {
		m = fm
	}
	rep := needs.HistoryReport{Rows: len(rows), Problems: ps}
	if len(ps) == 0 {
		az, err := authz.New(ctx, t.pool, log)
		if err != nil {
			return err
		}
		rep, err = needs.New(t.pool, az).ImportHistory(ctx, 0, t.userID, t.la, filepath.Base(fs.Arg(0)), rows, m)
		if err != nil && !errors.Is(err, needs.ErrHistoryRefused) {
			return err
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "row %d %s: %s\n", p.Row, orDash(p.Column), p.Message)
	}
	if len(rep.Problems) > 0 {
		return fmt.Errorf("%w (%d problems)", needs.ErrHistoryRefused, len(rep.Problems))
	}
	fmt.Fprintf(stdout, "needs history: %d assessments, %d imported, %d already held\n", rep.Rows, rep.Imported, rep.Unchanged)
	return nil
}
