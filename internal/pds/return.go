package pds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/valid"
)

// Quarter is a calendar quarter, as a return covers: 2026Q3 is July to
// September 2026.
type Quarter struct {
	Year int
	Q    int
}

// ParseQuarter reads 2026Q3.
func ParseQuarter(s string) (Quarter, error) {
	y, q, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "Q")
	yn, err1 := strconv.Atoi(y)
	qn, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || yn < 2000 || yn > 2100 || qn < 1 || qn > 4 {
		return Quarter{}, valid.Errorf("quarter", "%q is not a quarter like 2026Q3 (July to September 2026)", s)
	}
	return Quarter{yn, qn}, nil
}

// From is the quarter's first day; To the day after its last.
func (q Quarter) From() time.Time {
	return time.Date(q.Year, time.Month(3*q.Q-2), 1, 0, 0, 0, 0, time.UTC)
}

// To is the first day of the next quarter.
func (q Quarter) To() time.Time { return q.From().AddDate(0, 3, 0) }

func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Contains reports whether a day falls in the quarter.
func (q Quarter) Contains(d time.Time) bool { return !d.Before(q.From()) && d.Before(q.To()) }

// WriteCSV writes records as the return's CSV: the header row, then one row
// a record, every cell made safe for spreadsheets.
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(Headers()); err != nil {
		return err
	}
	for i := range recs {
		if err := cw.Write(recs[i].Row()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SheetName is the template's data sheet.
const SheetName = "Data collection"

// WriteXLSX writes records as the return's workbook: one sheet, the header
// row, then a row a record; pounds and counts as numbers, dates as dates.
func WriteXLSX(w io.Writer, recs []Record) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: new("yyyy-mm-dd")})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c.Header
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for n := range recs {
		row := recs[n].Row()
		cells := make([]any, len(row))
		for i, c := range Columns {
			v := row[i]
			cells[i] = v
			if v == "" {
				cells[i] = nil
				continue
			}
			switch c.Kind {
			case "number":
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					cells[i] = x
				}
			case "date":
				if t, err := time.Parse(time.DateOnly, v); err == nil {
					cells[i] = excelize.Cell{StyleID: dateStyle, Value: t}
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// MaxReturnBytes bounds an uploaded return; a quarter of a region's
// placements is a few hundred rows.
const MaxReturnBytes = 20 << 20

// MaxReturnRows bounds the rows read.
const MaxReturnRows = 50_000

// ParsedRow is one data row of a return and the line it came from.
type ParsedRow struct {
	Line     int
	Record   Record
	Warnings []Warning
}

// ReadReturn reads a return (CSV or .xlsx, told apart by content) and checks
// every row. Problems name the row (the spreadsheet's row number) and the
// column; nothing is returned as good if any row has a problem.
func ReadReturn(data []byte) ([]ParsedRow, error) {
	if len(data) > MaxReturnBytes {
		return nil, valid.Errorf("file", "the file is larger than %d MB", MaxReturnBytes>>20)
	}
	rows, err := readCells(data)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, valid.Errorf("file", "the file is empty: it needs the template's header row")
	}
	var ps valid.Problems
	head := rows[0]
	for len(head) > 0 && strings.TrimSpace(head[len(head)-1]) == "" {
		head = head[:len(head)-1]
	}
	if len(head) != len(Columns) {
		ps.Add("header", "row 1 has %d columns; the template has %d, in a fixed order, starting %s", len(head), len(Columns), Columns[0].Header)
	}
	for i, c := range Columns {
		if i < len(head) && !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff")), c.Header) {
			ps.Add("header", "row 1, column %s: %q where the template has %s", colName(i), head[i], c.Header)
		}
	}
	for i := len(Columns); i < len(head); i++ {
		ps.Add("header", "row 1, column %s: %q is not a template column (no extra columns)", colName(i), head[i])
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if len(rows)-1 > MaxReturnRows {
		return nil, valid.Errorf("file", "the file has %d rows; a return has at most %d", len(rows)-1, MaxReturnRows)
	}
	var out []ParsedRow
	for n, cells := range rows[1:] {
		line := n + 2
		if blank(cells) {
			continue
		}
		if len(cells) > len(Columns) && !blank(cells[len(Columns):]) {
			ps.Add(fmt.Sprintf("row %d", line), "has cells beyond column %s, the template's last", colName(len(Columns)-1))
			continue
		}
		for i := range cells {
			cells[i] = unsafePrefix(cells[i])
		}
		r, w, err := FromRow(cells)
		var ve *valid.Error
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				ps.Add(fmt.Sprintf("row %d, %s", line, header(p.Field)), "%s", p.Message)
			}
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, ParsedRow{Line: line, Record: r, Warnings: w})
	}
	return out, ps.Err()
}

// unsafePrefix undoes csvsafe's apostrophe before a formula character, so
// an exported return imports as what was exported.
func unsafePrefix(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func header(field string) string {
	for i, c := range Columns {
		if c.Field() == field {
			return fmt.Sprintf("column %s (%s)", c.Header, colName(i))
		}
	}
	return field
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

var zipMagic = []byte("PK\x03\x04")

func readCells(data []byte) ([][]string, error) {
	if bytes.HasPrefix(data, zipMagic) {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
			UnzipSizeLimit: 200 << 20, UnzipXMLSizeLimit: 50 << 20})
		if err != nil {
			return nil, valid.Errorf("file", "not a readable .xlsx workbook: %v", err)
		}
		defer f.Close()
		sheet := ""
		for _, name := range f.GetSheetList() {
			if strings.EqualFold(strings.TrimSpace(name), SheetName) {
				sheet = name
			}
		}
		if sheet == "" {
			list := f.GetSheetList()
			if len(list) != 1 {
				return nil, valid.Errorf("file", "the workbook has no %q sheet (it has %s)", SheetName, strings.Join(list, ", "))
			}
			sheet = list[0]
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, valid.Errorf("file", "sheet %q could not be read: %v", sheet, err)
		}
		for n, row := range rows {
			if n == 0 {
				continue
			}
			for i := range row {
				if i < len(Columns) && Columns[i].Kind == "date" {
					row[i] = serialDate(row[i])
				}
			}
		}
		return rows, nil
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, valid.Errorf(fmt.Sprintf("row %d", pe.Line), "the CSV cannot be read from here: %v", pe.Err)
			}
			return nil, valid.Errorf("file", "the CSV cannot be read: %v", err)
		}
		if len(rows) > MaxReturnRows+1 {
			return nil, valid.Errorf("file", "the file has more than %d rows; a return has at most %d", MaxReturnRows, MaxReturnRows)
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

// serialDate turns an Excel date serial (as a raw cell holds a date) into
// 2026-07-01; anything else is left for the date parser.
func serialDate(s string) string {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || x < 1 || x > 2958465 {
		return s
	}
	t, err := excelize.ExcelDateToTime(x, false)
	if err != nil {
		return s
	}
	return t.Format(time.DateOnly)
}
