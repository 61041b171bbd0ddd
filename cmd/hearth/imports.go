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
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sharing"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// councilID reads a council as its ONS code (E08000003) or DfE LA code (352).
func councilID(ctx context.Context, pool *pgxpool.Pool, code string) (int32, error) {
	la, err := sharing.CouncilByCode(ctx, db.New(pool), code)
	if err != nil {
		return 0, fmt.Errorf("--council: %w", err)
	}
	return la, nil
}

func importCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if sub, ok := importKinds[firstArg(args)]; ok {
		return sub(ctx, cfg, log, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "ssda903" {
		return errors.New("usage: hearth import ssda903 --council CODE --year YYYY [--problems FILE.csv] [--replace-later] FILE...")
	}
	fs := flag.NewFlagSet("import ssda903", flag.ContinueOnError)
	ia := newImportArgs(fs, asHelp)
	year := fs.Int("year", 0, "collection year, named by the year it ends (2026 = 2025/26)")
	problems := fs.String("problems", "", "write every problem to this CSV file (the output shows each rule's first rows)")
	replaceLater := fs.Bool("replace-later", false, "let a return for an earlier year than one already imported change what the later return recorded (each change is audited)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *ia.council == "" || *year == 0 || fs.NArg() == 0 {
		return errors.New("usage: hearth import ssda903 --council CODE --year YYYY [--problems FILE.csv] [--replace-later] FILE...")
	}
	ctx, t, err := ia.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer t.close()
	var files []ssda903.File
	for _, p := range fs.Args() {
		f, err := t.openFile(p)
		if err != nil {
			return err
		}
		files = append(files, ssda903.File{Name: filepath.Base(p), Body: f})
	}
	az, err := authz.New(ctx, t.pool, log)
	if err != nil {
		return err
	}
	la := t.la
	im := &ssda903.Importer{Pool: t.pool, Authz: az, Log: log}
	last := time.Time{}
	rep, err := im.ImportWith(ctx, t.userID, la, ssda903.Year(*year), files, func(stage string, done, total int64) {
		if time.Since(last) < 500*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		if total > 0 {
			fmt.Fprintf(stdout, "%-34s %9d of %d rows (%d%%)\n", stage, done, total, done*100/total)
		} else {
			fmt.Fprintf(stdout, "%s…\n", stage)
		}
	}, ssda903.Options{ReplaceLater: *replaceLater})
	for _, f := range rep.Files {
		use := "imported"
		if !f.Used {
			use = "read, not used by Hearth"
		}
		if f.Table == "" {
			use = "not recognised"
		}
		fmt.Fprintf(stdout, "%s: %s, %d rows, %s\n", f.Name, orDash(string(f.Table)), f.Rows, use)
	}
	printSummary(stdout, rep.Problems)
	if *problems != "" && len(rep.Problems) > 0 {
		if werr := writeProblems(*problems, rep.Problems); werr != nil {
			return werr
		}
		fmt.Fprintf(stdout, "wrote all %d problems to %s\n", len(rep.Problems), *problems)
	} else if len(rep.Problems) > 0 {
		fmt.Fprintln(stdout, "give --problems FILE.csv to write every problem, one a row")
	}
	if err != nil {
		return fmt.Errorf("%w (%d errors, %d warnings)", err, rep.Errors, rep.Warnings)
	}
	for _, k := range []string{"children", "episodes", "uasc", "sdq", "missing", "reviews", "kept"} {
		c := rep.Counts[k]
		fmt.Fprintf(stdout, "%-9s %7d rows: %d new, %d changed, %d unchanged\n", k, c.Rows, c.Inserted, c.Updated, c.Unchanged)
	}
	fmt.Fprintf(stdout, "imported %s return for council %d with %d warnings in %.1fs (import %d)\n", rep.Year, la, rep.Warnings, rep.Seconds, rep.ImportID)
	return nil
}

// asHelp is --as for the imports that audit against the person importing.
const asHelp = "email of the person importing, for the audit trail (must hold the import permission)"

// importKinds are the imports other than SSDA903, each in its own file.
var importKinds = map[string]func(context.Context, config.Config, *slog.Logger, []string, io.Writer) error{
	"census": importCensusCmd,
	"needs":  importNeedsCmd,
	"pds":    importPDSCmd,
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// printSummary prints problems grouped by rule: structural first, then
// errors, then queries, each with its count and first rows.
func printSummary(w io.Writer, ps []ssda903.Problem) {
	for _, g := range ssda903.Summarise(ps) {
		kind := string(g.Severity)
		if g.Severity == ssda903.Warning {
			kind = "query"
		}
		if g.Rule != "" {
			kind += " " + g.Rule
		}
		fmt.Fprintf(w, "%s ×%d: %s\n", kind, g.Count, g.Message)
		for _, f := range g.First {
			fmt.Fprintf(w, "    %s\n", f)
		}
		if g.Count > len(g.First) {
			fmt.Fprintf(w, "    … and %d more\n", g.Count-len(g.First))
		}
	}
}

func writeProblems(path string, ps []ssda903.Problem) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := ssda903.WriteProblems(f, ps); err != nil {
		f.Close()
		return fmt.Errorf("--problems: %w", err)
	}
	return f.Close()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func exportCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	const usage = "usage: hearth export ssda903 --council CODE --year YYYY [-o DIR] [--xml]"
	if firstArg(args) == "pds" {
		return exportPDSCmd(ctx, cfg, log, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "ssda903" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("export ssda903", flag.ContinueOnError)
	council := fs.String("council", "", "council: ONS code or LA code")
	year := fs.Int("year", 0, "collection year (2026 = 2025/26)")
	dir := fs.String("o", ".", "directory to write the tables into (header.csv, episodes.csv, …)")
	asXML := fs.Bool("xml", false, "write the DfE XML layout (return.xml) instead of one CSV file a table")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *council == "" || *year == 0 {
		return errors.New(usage)
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
	x, err := ssda903.ExportAll(ctx, db.New(pool), la, ssda903.Year(*year))
	if err != nil {
		return err
	}
	write := func(name string, fn func(io.Writer) error) error {
		p := filepath.Join(*dir, name)
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", p, err)
		}
		return f.Close()
	}
	if *asXML {
		if err := write("return.xml", x.WriteXML); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d children)\n", filepath.Join(*dir, "return.xml"), len(x.Tables[ssda903.Header]))
		return nil
	}
	for _, t := range ssda903.ExportTables {
		// Header and Episodes always; the others when the year has rows.
		if len(x.Tables[t]) == 0 && t != ssda903.Header && t != ssda903.Episodes {
			continue
		}
		name := strings.ToLower(string(t)) + ".csv"
		if err := write(name, func(w io.Writer) error { return x.WriteCSV(w, t) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d rows)\n", filepath.Join(*dir, name), len(x.Tables[t]))
	}
	return nil
}
