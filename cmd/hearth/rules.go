package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hearthcare/hearth/internal/ssda903"
)

// rulesCmd prints the SSDA903 rules Hearth checks, errors and queries per
// collection year, and with files given, how often each rule is broken in
// them (read and checked only; nothing is imported, no database is needed).
func rulesCmd(args []string, stdout io.Writer) error {
	const usage = "usage: hearth rules ssda903 [--year YYYY] [FILE...]"
	if len(args) == 0 || args[0] != "ssda903" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("rules ssda903", flag.ContinueOnError)
	year := fs.Int("year", 2026, "collection year the files are checked as (2026 = 2025/26)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	years := []ssda903.Year{2024, 2025, 2026, 2027}
	var problems []ssda903.Problem
	if fs.NArg() > 0 {
		var files []ssda903.File
		for _, p := range fs.Args() {
			f, err := os.Open(p)
			if err != nil {
				return fmt.Errorf("rules: %w", err)
			}
			defer f.Close()
			files = append(files, ssda903.File{Name: filepath.Base(p), Body: f})
		}
		r := ssda903.Read(ssda903.Year(*year), files)
		problems = r.Problems
		fmt.Fprintf(stdout, "%d files checked as %s: %d problems (%d errors); count is per rule\n\n", len(files), ssda903.Year(*year), len(r.Problems), r.Errors())
	}
	return ssda903.WriteRuleTable(stdout, years, ssda903.RuleTable(years, problems), fs.NArg() > 0)
}
