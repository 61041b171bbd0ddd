package placements

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/hearthcare/hearth/internal/ssda903"
)

// censusCols are the columns Hearth reads, each under the names councils give
// it. The Placements North West template says "Contribution from Social Care"
// where older censuses say "Social care contribution"; both are read.
var censusCols = map[string][]string{
	"placing_authority": {"placing_authority", "placing_la", "local_authority", "placing_local_authority"},
	"identifier":        {"identifier", "child_identifier", "child_id", "child", "child_reference"},
	"provider":          {"provider", "provider_name"},
	"establishment":     {"establishment", "establishment_name"},
	"type":              {"type_of_provision", "provision_type"},
	"uasc":              {"uasc"},
	"total":             {"total_weekly_cost", "weekly_cost", "total_cost", "total_weekly_fee"},
	"social_care":       {"social_care_contribution", "social_care", "contribution_social_care", "contribution_from_social_care"},
	"education":         {"education_contribution", "education", "contribution_education", "contribution_from_education"},
	"health":            {"health_contribution", "health", "contribution_health", "contribution_from_health"},
	"started_on":        {"placement_start_date", "start_date", "date_placement_started", "placement_started"},
}

// censusRequired are the columns without which a census cannot be read.
var censusRequired = []string{"placing_authority", "identifier", "total"}

// headerScan is how many rows may come before the header row: the published
// template has a title and guidance rows above it.
const headerScan = 12

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func normalHeader(h string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(strings.TrimSpace(h)), "_"), "_")
}

// headerKey names the column a header cell is for. A cell of the published
// template carries guidance after the name ("Placing Authority\n(the local
// authority placing the child)", "Total Weekly Cost (£): the fee paid"), so
// the name is the text before the first line break, bracket or colon.
func headerKey(cell string) (string, bool) {
	name := cell
	if i := strings.IndexAny(name, "\r\n([:"); i >= 0 {
		name = name[:i]
	}
	for _, n := range []string{normalHeader(name), normalHeader(cell)} {
		for key, aliases := range censusCols {
			for _, a := range aliases {
				if n == a {
					return key, true
				}
			}
		}
	}
	return "", false
}

// ReadCensus reads a cost census without loading it: the report's rows,
// errors and columns not used. It never panics on any input (FuzzReadCensus).
func ReadCensus(body io.Reader, date time.Time) CensusReport {
	var rep CensusReport
	readCensus(body, date, &rep)
	return rep
}

type sizeLimit struct {
	r io.Reader
	n int64
}

var errCensusTooBig = errors.New("too big")

func (l *sizeLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > ssda903.MaxFileBytes {
		return n, errCensusTooBig
	}
	return n, err
}

// rowSource gives a census's rows one at a time with their line (or sheet row) numbers.
type rowSource interface {
	next() (rec []string, line int, err error)
}

// csvSource numbers rows as a spreadsheet does (a header cell's guidance
// spans lines of the file but is one row), since councils open the census in
// Excel to find a row a problem names.
type csvSource struct {
	r   *csv.Reader
	row int
}

func (c *csvSource) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	c.row++
	return rec, c.row, err
}

type sheetSource struct {
	rows [][]string
	i    int
}

func (s *sheetSource) next() ([]string, int, error) {
	if s.i >= len(s.rows) {
		return nil, 0, io.EOF
	}
	s.i++
	return s.rows[s.i-1], s.i, nil
}

var zipMagic = []byte("PK\x03\x04")

// openCensus detects the file's form: an .xlsx workbook (a zip) is read with
// excelize, choosing the first sheet whose top rows hold a census header;
// anything else is read as CSV, with bare quotes allowed because spreadsheets
// write them unescaped (5'10", a provider called "The Oaks).
func openCensus(body io.Reader, bad func(line int, col, val, format string, args ...any)) (rowSource, string) {
	br := bufio.NewReader(&sizeLimit{r: body})
	head, _ := br.Peek(4)
	switch {
	case bytes.Equal(head, zipMagic):
		raw, err := io.ReadAll(br)
		if errors.Is(err, errCensusTooBig) {
			bad(0, "", "", "the file is larger than %d MB", ssda903.MaxFileBytes>>20)
			return nil, ""
		}
		if err != nil {
			bad(0, "", "", "the workbook could not be read: %v", err)
			return nil, ""
		}
		wb, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{RawCellValue: true})
		if err != nil {
			bad(0, "", "", "not a readable .xlsx workbook: %v", err)
			return nil, ""
		}
		defer wb.Close()
		sheets := wb.GetSheetList()
		var first *sheetSource
		for _, name := range sheets {
			rows, err := wb.GetRows(name, excelize.Options{RawCellValue: true})
			if err != nil {
				continue
			}
			src := &sheetSource{rows: rows}
			if first == nil {
				first = src
			}
			for i := 0; i < len(rows) && i < headerScan; i++ {
				if isHeader(rows[i]) {
					return src, name
				}
			}
		}
		if first == nil {
			bad(0, "", "", "the workbook has no sheets")
			return nil, ""
		}
		// No sheet has the header: read the first, which says what is missing.
		return first, sheets[0]
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	case len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF):
		bad(0, "", "", "the file is UTF-16; save it as CSV UTF-8 and upload it again")
		return nil, ""
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return &csvSource{r: cr}, ""
}

func isHeader(rec []string) bool {
	got := map[string]bool{}
	for _, c := range rec {
		if k, ok := headerKey(c); ok {
			got[k] = true
		}
	}
	for _, k := range censusRequired {
		if !got[k] {
			return false
		}
	}
	return true
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// readCensus checks every row and returns them; any error in rep means
// nothing may be loaded.
func readCensus(body io.Reader, date time.Time, rep *CensusReport) []censusRow {
	file := "census"
	bad := func(line int, col, val, format string, args ...any) {
		rep.Errors = append(rep.Errors, ssda903.Problem{Severity: ssda903.Error, File: file, Line: line, Column: col, Value: clip(val),
			Message: clip(fmt.Sprintf(format, args...))})
	}
	src, sheet := openCensus(body, bad)
	if src == nil {
		return nil
	}
	if sheet != "" {
		file = "census sheet " + clip(sheet)
	}
	// The header row is the first of the top rows naming the columns a census
	// needs; rows above it are the template's title and guidance.
	var head []string
	var firstRow []string
	headLine := 0
	for i := 0; i < headerScan; i++ {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errCensusTooBig) {
			bad(0, "", "", "the file is larger than %d MB", ssda903.MaxFileBytes>>20)
			return nil
		}
		if err != nil {
			bad(line, "", "", "not a readable CSV file: %v", err)
			return nil
		}
		if !validUTF8(rec) {
			bad(line, "", "", "the file is not UTF-8 from this line; save it as CSV UTF-8 and upload it again")
			return nil
		}
		if firstRow == nil && !blank(rec) {
			firstRow = rec
		}
		if isHeader(rec) {
			head, headLine = rec, line
			break
		}
	}
	if firstRow == nil {
		bad(0, "", "", "the file is empty")
		return nil
	}
	if head == nil {
		got := map[string]bool{}
		for _, c := range firstRow {
			if k, ok := headerKey(c); ok {
				got[k] = true
			}
		}
		for _, need := range censusRequired {
			if !got[need] {
				bad(1, "", "", "the census needs %s column in its header row (the first row has: %s)", article(strings.ReplaceAll(censusCols[need][0], "_", " ")),
					strings.Join(oneLine(firstRow), ", "))
			}
		}
		return nil
	}
	idx := map[string]int{}
	for i, h := range head {
		key, ok := headerKey(h)
		if !ok {
			if strings.TrimSpace(h) != "" {
				rep.Ignored = append(rep.Ignored, clip(oneLine([]string{h})[0]))
			}
			continue
		}
		if _, dup := idx[key]; dup {
			bad(headLine, clip(oneLine([]string{h})[0]), "", "a second %s column; keep one", strings.ReplaceAll(censusCols[key][0], "_", " "))
			continue
		}
		idx[key] = i
	}
	var rows []censusRow
	for {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errCensusTooBig) {
			bad(0, "", "", "the file is larger than %d MB", ssda903.MaxFileBytes>>20)
			return nil
		}
		if err != nil {
			bad(line, "", "", "not a readable CSV row: %v", err)
			return nil
		}
		if !validUTF8(rec) {
			bad(line, "", "", "the file is not UTF-8 from this line; save it as CSV UTF-8 and upload it again")
			return nil
		}
		if blank(rec) {
			continue
		}
		if len(rep.Errors) > 200000 {
			bad(line, "", "", "reading stopped after 200,000 problems")
			return nil
		}
		get := func(key string) string {
			if i, ok := idx[key]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rep.Rows++
		row := censusRow{line: line, la: get("placing_authority"), child: strings.ToUpper(get("identifier")), provider: get("provider"), establishment: get("establishment")}
		if row.child == "" {
			bad(line, "identifier", "", "missing; give the child's identifier")
		}
		if row.la == "" {
			bad(line, "placing_authority", "", "missing; give the placing authority (its name, ONS code or LA code)")
		}
		money := func(key string, required bool) int64 {
			v := get(key)
			if v == "" {
				if required {
					bad(line, censusCols[key][0], "", "missing; give the weekly cost in pounds")
				}
				return 0
			}
			p, err := ParsePounds(v)
			switch {
			case err != nil:
				bad(line, censusCols[key][0], v, "not an amount in pounds, like 1,234.50")
			case p < 0:
				bad(line, censusCols[key][0], v, "a cost cannot be negative")
			}
			return p
		}
		row.total = money("total", true)
		row.socialCare, row.education, row.health = money("social_care", false), money("education", false), money("health", false)
		if get("social_care") == "" && get("education") == "" && get("health") == "" {
			row.socialCare = row.total
		} else if sum := row.socialCare + row.education + row.health; sum != row.total {
			bad(line, "total_weekly_cost", get("total"), "the contributions add up to %s, not the total of %s", pounds(sum), pounds(row.total))
		}
		if v := get("started_on"); v != "" {
			d, err := parseCensusDate(v, sheet != "")
			switch {
			case err != nil:
				bad(line, "placement_start_date", v, "not a date; write it like 31/03/2026 or 2026-03-31")
			case !date.IsZero() && d.After(date):
				bad(line, "placement_start_date", v, "the placement starts after the census date (%s)", date.Format("2 January 2006"))
			default:
				row.startedOn = d
			}
		}
		rows = append(rows, row)
	}
	if rep.Rows == 0 {
		bad(0, "", "", "the census has no rows")
	}
	return rows
}

// parseCensusDate reads a date as spreadsheets write it; a workbook's raw
// cell is Excel's serial day number.
func parseCensusDate(v string, workbook bool) (time.Time, error) {
	if workbook {
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			if n < 1 || n > 2958465 {
				return time.Time{}, fmt.Errorf("serial %v out of range", n)
			}
			t, err := excelize.ExcelDateToTime(n, false)
			if err != nil {
				return time.Time{}, err
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006", "02-01-2006", "2 January 2006", "2 Jan 2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", v)
}

func validUTF8(rec []string) bool {
	for _, v := range rec {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// oneLine flattens header cells for a message: guidance spans lines.
func oneLine(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.Join(strings.Fields(c), " ")
	}
	return out
}

// clip keeps a value a report can store: no control characters, at most 120 runes.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "�"))
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:120]) + "…"
	}
	return s
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
