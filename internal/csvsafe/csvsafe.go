// Package csvsafe is the one CSV writer every Hearth export uses. A cell
// that a spreadsheet would read as a formula (starting with = + - @, a tab
// or a carriage return) is written with a leading apostrophe, so a provider
// renamed "=HYPERLINK(…)" reaches Excel as text, never as a live formula
// (OWASP's advice on CSV injection). Numbers are left as they are.
package csvsafe

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
)

// Writer writes CSV records with every cell made safe.
type Writer struct {
	w   *csv.Writer
	rec []string
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, c := range record {
		w.rec = append(w.rec, Cell(c))
	}
	return w.w.Write(w.rec)
}

// Flush writes any buffered data.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error from an earlier Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }

// Cell is a value as it is safe to write: with a leading apostrophe if a
// spreadsheet would otherwise treat it as a formula.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] != '\t' && s[0] != '\r' {
			return s // a number such as -12.50 is not a formula
		}
		return "'" + s
	}
	return s
}

// Unsafe reports whether any cell of a CSV file would be read as a formula:
// for tests of every export.
func Unsafe(data []byte) bool {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return true
	}
	for _, r := range recs {
		for _, c := range r {
			if Cell(c) != c {
				return true
			}
		}
	}
	return false
}

// UseCRLF ends lines with \r\n, as some returns require.
func (w *Writer) UseCRLF() { w.w.UseCRLF = true }

// WriteAll writes every record and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
