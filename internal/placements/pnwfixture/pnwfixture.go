// Package pnwfixture builds cost censuses laid out like the Placements North
// West census template, as CSV (the template's sheet saved as CSV) and as the
// .xlsx workbook, for tests of the census import. The layout follows the
// published template: a title row and a guidance row above the header, header
// cells that carry guidance text below the column name, the contribution
// columns named "Contribution from Social Care / Education / Health", and
// columns Hearth does not use (age, gender, sourcing, registration, distance).
package pnwfixture

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// Title and Guidance are the rows above the header.
const (
	Title    = "Placements North West: Placement Cost Census"
	Guidance = "Complete one row per child in a placement on the census date. Do not add, remove or rename columns. Costs are weekly, in pounds, excluding VAT."
)

// Header is the header row; each cell names a column and then guides.
var Header = []string{
	"Placing Authority\n(the local authority placing the child)",
	"Identifier\n(the child's ID in your case management system, not their name)",
	"Age",
	"Gender",
	"How was the placement sourced?\n(Framework, Spot Purchase, Block Contract, GM RCC Flexi Block)",
	"Provider",
	"Establishment",
	"Type of Provision",
	"UASC (Y/N)",
	"Placement Start Date\n(dd/mm/yyyy)",
	"Total Weekly Cost (£)\n(the fee paid, excluding VAT)",
	"Contribution from Social Care (£)",
	"Contribution from Education (£)",
	"Contribution from Health (£)",
	"Registration Type",
	"Reason for placing at a distance",
}

// Unused are the header's columns Hearth does not read, as the import names them.
var Unused = []string{"Age", "Gender", "How was the placement sourced? (Framework, Spot Purchase, Block Contract, GM RCC Flexi Block)", "Registration Type", "Reason for placing at a distance"}

// Row is one child's row.
type Row struct {
	Authority, Identifier, Provider, Establishment, Type, StartDate string
	Total, SocialCare, Education, Health                            string
}

func (r Row) cells() []string {
	return []string{r.Authority, r.Identifier, "14", "F", "Framework", r.Provider, r.Establishment, r.Type, "N", r.StartDate,
		r.Total, r.SocialCare, r.Education, r.Health, "Ofsted registered", ""}
}

// CSV is the census sheet saved as CSV.
func CSV(rows []Row) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	pad := func(s string) []string { return append([]string{s}, make([]string, len(Header)-1)...) }
	_ = w.Write(pad(Title))
	_ = w.Write(pad(Guidance))
	_ = w.Write(Header)
	for _, r := range rows {
		_ = w.Write(r.cells())
	}
	w.Flush()
	return b.Bytes()
}

// XLSX is the census as a workbook: an instructions sheet first, then the
// census sheet, with numbers as numbers and the start date as a date cell.
func XLSX(rows []Row) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Instructions"); err != nil {
		return nil, err
	}
	_ = f.SetCellValue("Instructions", "A1", "How to complete the census")
	_ = f.SetCellValue("Instructions", "A2", Guidance)
	const sheet = "Census"
	if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(sheet, cell, v)
	}
	_ = set(1, 1, Title)
	_ = set(1, 2, Guidance)
	for i, h := range Header {
		if err := set(i+1, 3, h); err != nil {
			return nil, err
		}
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		for j, c := range r.cells() {
			var v any = c
			if n, err := parseNumber(c); err == nil && j >= 10 && j <= 13 {
				v = n
			}
			if err := set(j+1, i+4, v); err != nil {
				return nil, err
			}
		}
		if r.StartDate != "" {
			var d, m, y int
			if _, err := fmt.Sscanf(r.StartDate, "%d/%d/%d", &d, &m, &y); err == nil {
				cell, _ := excelize.CoordinatesToCellName(10, i+4)
				_ = f.SetCellValue(sheet, cell, dateOf(y, m, d))
				_ = f.SetCellStyle(sheet, cell, cell, dateStyle)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func parseNumber(s string) (float64, error) {
	var f float64
	_, err := fmt.Sscanf(s, "%g", &f)
	if err != nil || fmt.Sprint(f) != s && fmt.Sprintf("%.2f", f) != s {
		return 0, fmt.Errorf("not a plain number: %q", s)
	}
	return f, nil
}

func dateOf(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
