package ssda903

import (
	"io"
	"strconv"

	"github.com/hearthcare/hearth/internal/csvsafe"
)

// WriteTable writes one table in the CSV layout: the header row, then rows in
// the column order of Columns.
func WriteTable(w io.Writer, t Table, rows [][]string) error {
	cw := csvsafe.NewWriter(w)
	cw.UseCRLF() // as Excel and the DfE tools write them
	if err := cw.Write(Columns[t]); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteProblems writes every problem as CSV, one a row, for a council to
// sort and work through in a spreadsheet.
func WriteProblems(w io.Writer, ps []Problem) error {
	cw := csvsafe.NewWriter(w)
	cw.UseCRLF()
	if err := cw.Write([]string{"severity", "rule", "file", "line", "column", "value", "problem"}); err != nil {
		return err
	}
	for _, p := range ps {
		line := ""
		if p.Line > 0 {
			line = strconv.Itoa(p.Line)
		}
		sev := string(p.Severity)
		if p.Severity == Warning {
			sev = "query"
		}
		if err := cw.Write([]string{sev, p.Rule, p.File, line, p.Column, p.Value, p.Message}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
