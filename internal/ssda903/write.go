package ssda903

import (
	"io"

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
