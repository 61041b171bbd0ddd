package ssda903

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Severity says whether a problem stops the import.
type Severity string

const (
	Error   Severity = "error"   // the file set imports nothing
	Warning Severity = "warning" // imported; the value may be left out
)

// Problem is one thing wrong, located exactly.
type Problem struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule,omitempty"` // the DfE validation rule, where there is one
	// Structural problems (an unreadable, empty or unrecognised file, a
	// missing Header) make the cross-table checks meaningless: they are
	// reported first, and those checks are not run.
	Structural bool   `json:"structural,omitempty"`
	File       string `json:"file"`
	Line       int    `json:"line"` // 0 when the problem is with the whole file
	Column     string `json:"column,omitempty"`
	Value      string `json:"value,omitempty"`
	Message    string `json:"message"`
}

// Bounds on what a problem echoes of its input: a 100 MB text node or a
// binary file must not become a 100 MB report, and PostgreSQL refuses NUL.
const (
	maxValueRunes   = 120
	maxMessageRunes = 600
)

// Clean returns the problem with every text field made safe to store and
// show: valid UTF-8, no NUL or other control characters, bounded in length.
func (p Problem) Clean() Problem {
	p.File = cleanText(p.File, maxValueRunes)
	p.Column = cleanText(p.Column, maxValueRunes)
	p.Value = cleanText(p.Value, maxValueRunes)
	p.Message = cleanText(p.Message, maxMessageRunes)
	p.Rule = cleanText(p.Rule, 16)
	return p
}

// cleanText replaces invalid UTF-8 and control characters with U+FFFD and
// cuts the text to max runes, saying how much was cut.
func cleanText(s string, max int) string {
	clean := true
	n := 0
	for _, c := range s {
		n++
		if c == utf8.RuneError || c < 0x20 || c == 0x7F {
			clean = false
		}
	}
	if clean && n <= max {
		return s
	}
	var b strings.Builder
	i := 0
	for _, c := range s {
		if i == max {
			fmt.Fprintf(&b, "… (%d more characters)", n-max)
			break
		}
		if c == utf8.RuneError || c < 0x20 || c == 0x7F {
			c = '\uFFFD'
		}
		b.WriteRune(c)
		i++
	}
	return b.String()
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += fmt.Sprintf(" line %d", p.Line)
	}
	if p.Column != "" {
		loc += " " + p.Column
		if p.Value != "" {
			loc += fmt.Sprintf(" %q", p.Value)
		}
	}
	return fmt.Sprintf("%s: %s: %s", p.Severity, loc, p.Message)
}

// Table is an SSDA903 table.
type Table string

// The tables, with their columns as csc-validator's config has them.
const (
	Header         Table = "Header"
	Episodes       Table = "Episodes"
	Reviews        Table = "Reviews"
	UASC           Table = "UASC"
	OC2            Table = "OC2"
	OC3            Table = "OC3"
	AD1            Table = "AD1"
	PlacedAdoption Table = "PlacedAdoption"
	PrevPerm       Table = "PrevPerm"
	Missing        Table = "Missing"
	SWEpisodes     Table = "SWEpisodes"
	DoLo           Table = "DoLo"
)

// Columns lists each table's columns in the order Hearth writes them.
var Columns = map[Table][]string{
	Header:         {"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"},
	Episodes:       {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"},
	Reviews:        {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"},
	UASC:           {"CHILD", "SEX", "DOB", "DUC"},
	OC2:            {"CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"},
	OC3:            {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"},
	AD1:            {"CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"},
	PlacedAdoption: {"CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"},
	PrevPerm:       {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"},
	Missing:        {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"},
	SWEpisodes:     {"CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"},
	DoLo:           {"CHILD", "DOB", "DOLO_START", "DOLO_END"},
}

// MaxFileBytes is the largest file accepted: a whole national return's
// episodes table is about 35 MB.
const MaxFileBytes = 150 << 20

// Where a row came from.
type Where struct {
	File string
	Line int
}

// HeaderRow is a child in the return.
type HeaderRow struct {
	Where
	Child    string
	Sex      string // M, F or U (1 and 2 of earlier years are read as M and F)
	DOB      time.Time
	Ethnic   string
	UPN      string
	NoUPN    string // UN1 to UN5: why there is no UPN
	UPNBlank bool   // no UPN and no UN code
	Mother   string // MOTHER as given: 1, 0 or blank
	MCDOB    *time.Time
}

// EpisodeRow is one episode of care.
type EpisodeRow struct {
	Where
	Child                      string
	DECOM                      time.Time
	DEC                        *time.Time
	RNE, LS, CIN, Place        string
	Provider, REC, Reason, URN string
	HomePost, PlacePost        string
	URNUnknown                 bool // URN given as XXXXXXX
}

// UASCRow marks an unaccompanied asylum-seeking child.
type UASCRow struct {
	Where
	Child string
	DUC   *time.Time
}

// OC2Row carries the SDQ score.
type OC2Row struct {
	Where
	Child string
	SDQ   *int32
}

// MissingRow is a missing or away-without-authorisation episode.
type MissingRow struct {
	Where
	Child string
	Kind  string
	Start time.Time
	End   *time.Time
}

// ReviewRow is a looked-after review.
type ReviewRow struct {
	Where
	Child string
	On    time.Time
	Code  string
}

// KeptRow is a row of a table Hearth keeps as the return gave it (OC3, AD1,
// PlacedAdoption, PrevPerm, all of OC2), or what Header and Episodes carry
// beyond Hearth's model (UPN as given, MOTHER, MC_DOB; a URN of XXXXXXX),
// so the export gives it back.
type KeptRow struct {
	Where
	Table Table // or "EpisodeURN"
	Child string
	Vals  []string // the table's columns after CHILD, in Columns order
}

// FileSummary says what a file was read as.
type FileSummary struct {
	Name  string `json:"name"`
	Table Table  `json:"table,omitempty"`
	Rows  int    `json:"rows"`
	Used  bool   `json:"used"`
}

// Return is what was read from a set of files for one council and year.
type Return struct {
	Year     Year
	Headers  []HeaderRow
	Episodes []EpisodeRow
	UASC     []UASCRow
	OC2      []OC2Row
	Missing  []MissingRow
	Reviews  []ReviewRow
	Kept     []KeptRow
	Files    []FileSummary
	Problems []Problem
	stopped  bool // too many problems: the rest of the input is not read
	given    []givenRow
	raw      map[Table][]rawRow // the small tables as read, for the DfE's rules across tables
	under    string             // the rule a field check is run as (checkUnder)
}

// rawRow is a row of a table other than Header and Episodes as read
// (upper-cased, trimmed), for the rules that compare tables.
type rawRow struct {
	Where
	v map[string]string
}

// givenRow is the DOB (and SEX) another table gives a child, to check against Header.
type givenRow struct {
	Where
	table           Table
	child, dob, sex string
}

// Errors counts the problems that stop the import.
func (r *Return) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

// File is one uploaded or named file.
type File struct {
	Name string
	Body io.Reader
}

// Read reads every file, recognising each table by its columns (or reading
// the XML layout), checks each row, then checks the tables against each other.
func Read(y Year, files []File) *Return {
	r, whole := parse(y, files)
	if whole {
		r.crossCheck()
	}
	r.sortProblems()
	return r
}

// parse reads every file and checks each row on its own. whole is true when
// the return is whole enough for the checks across tables (crossCheck),
// which the caller then runs; otherwise parse has already said why not.
// The importer runs crossCheck beside the load (it only reads the rows).
func parse(y Year, files []File) (r *Return, whole bool) {
	r = &Return{Year: y}
	for _, f := range files {
		r.readFile(f)
	}
	// Without a whole Header every check across tables reports its
	// consequences (each episode "has no Header row"): leave them out so the
	// one cause is what the council sees.
	broken := map[string]bool{}
	for _, p := range r.Problems {
		if p.Structural {
			broken[p.File] = true
		}
	}
	headerOK, unknownBroken := false, false
	for _, f := range r.Files {
		headerOK = headerOK || (f.Table == Header || f.Table == "XML") && !broken[f.Name]
		unknownBroken = unknownBroken || broken[f.Name] && (f.Table == "" || f.Table == Header || f.Table == "XML")
	}
	switch {
	case headerOK:
		return r, true
	case !unknownBroken && !r.stopped:
		r.structural(Where{}, "the return has no Header table (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB); every other table needs it")
	}
	return r, false
}

// checkAside runs crossCheck in its own goroutine and returns a wait for
// it, which gives the errors the return then has. crossCheck only reads the
// rows and appends to r.Problems, which nothing else touches until the wait
// returns. A panic in it is raised again by the wait, in the caller's
// goroutine, where the importer's recover marks the import failed.
func (r *Return) checkAside() (wait func() int) {
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		r.crossCheck()
	}()
	return func() int {
		<-done
		if panicked != nil {
			panic(panicked)
		}
		return r.Errors()
	}
}

// sortProblems puts structural problems first, then the rest by file and line.
func (r *Return) sortProblems() {
	sort.SliceStable(r.Problems, func(i, j int) bool {
		a, b := r.Problems[i], r.Problems[j]
		if a.Structural != b.Structural {
			return a.Structural
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}

func (r *Return) problem(sev Severity, w Where, col, val, format string, args ...any) {
	r.add(Problem{Severity: sev, Rule: Rules[r.under].Code, File: w.File, Line: w.Line, Column: col, Value: val, Message: fmt.Sprintf(format, args...)})
}

// checkUnder runs one of Hearth's field checks as a DfE rule: what it finds
// carries the rule's code, so it is summarised and counted with the rule.
func (r *Return) checkUnder(key string, f func()) {
	if _, ok := Rules[key]; !ok {
		panic("ssda903: unknown rule " + key) // a programming error, caught by the rule tests
	}
	r.under = key
	f()
	r.under = ""
}

// structural records a problem that makes the file (or the return) unusable.
func (r *Return) structural(w Where, format string, args ...any) {
	r.add(Problem{Severity: Error, Structural: true, File: w.File, Line: w.Line, Message: fmt.Sprintf(format, args...)})
}

// add keeps every problem, cleaned, up to maxProblems; past that the file
// is not a return anyone can correct row by row, and reading stops with a
// problem that says so rather than holding millions in memory.
func (r *Return) add(p Problem) {
	if r.stopped {
		return
	}
	if len(r.Problems) >= maxProblems {
		r.stopped = true
		r.Problems = append(r.Problems, Problem{Severity: Error, Structural: true, File: p.File,
			Message: fmt.Sprintf("reading stopped after %d problems: this does not look like a return that can be corrected row by row", maxProblems)}.Clean())
		return
	}
	r.Problems = append(r.Problems, p.Clean())
}

// maxProblems bounds the problems one read keeps (all are stored and shown).
const maxProblems = 200_000

var errTooBig = errors.New("too big")

// limited fails once more than MaxFileBytes have been read.
type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > MaxFileBytes {
		return n, errTooBig
	}
	return n, err
}

func (r *Return) readFile(f File) {
	whole := Where{File: f.Name}
	br := bufio.NewReaderSize(&limited{r: f.Body}, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case len(head) == 0:
		r.structural(whole, "the file is empty")
		r.Files = append(r.Files, FileSummary{Name: f.Name})
		return
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		r.structural(whole, "the file is UTF-16; save it as CSV UTF-8 and upload it again")
		r.Files = append(r.Files, FileSummary{Name: f.Name})
		return
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3) // a UTF-8 byte-order mark, as Excel writes: harmless
	}
	first, _ := br.Peek(64)
	if t := bytes.TrimLeft(first, " \t\r\n"); len(t) > 0 && t[0] == '<' {
		r.readXML(f.Name, br)
		return
	}
	r.readCSV(f.Name, br)
}

func (r *Return) readCSV(name string, in io.Reader) {
	whole := Where{File: name}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	sum := FileSummary{Name: name}
	defer func() { r.Files = append(r.Files, sum) }()
	head, err := cr.Read()
	if err != nil {
		r.readErr(whole, err)
		return
	}
	cols := make([]string, len(head))
	for i, h := range head {
		cols[i] = strings.ToUpper(strings.TrimSpace(h))
	}
	if !utf8.ValidString(strings.Join(cols, "")) {
		r.structural(Where{name, 1}, "the file is not UTF-8 text (is it a spreadsheet or zip?); save it as CSV UTF-8 and upload it again")
		return
	}
	t, ok := tableOf(cols)
	if !ok {
		r.structural(Where{name, 1}, "%s", describeMismatch(cols))
		return
	}
	sum.Table, sum.Used = t, usedIn(t, r.Year)
	for !r.stopped {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldPos is only defined for a record Read returned: a parse
			// error carries its own line (and FieldPos would panic).
			r.readErr(Where{File: name}, err)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			r.problem(Error, Where{name, line}, "", "", "the row has %d values; the header has %d columns", len(rec), len(cols))
			continue
		}
		row := make(map[string]string, len(cols))
		for i, v := range rec {
			if !utf8.ValidString(v) {
				r.structural(Where{name, line}, "the file is not UTF-8 from this line (column %s); save it as CSV UTF-8 and upload it again", cols[i])
				return
			}
			row[cols[i]] = strings.ToUpper(strings.TrimSpace(v))
		}
		sum.Rows++
		r.addRow(t, Where{name, line}, row)
	}
	if sum.Rows == 0 {
		r.problem(Warning, whole, "", "", "the %s table has no rows", t)
	}
}

func (r *Return) readErr(w Where, err error) {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errTooBig):
		r.structural(Where{File: w.File}, "the file is larger than %d MB; split it by table or by year", MaxFileBytes>>20)
	case errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)):
		// The rest of the file cannot be split into rows reliably.
		r.structural(Where{w.File, pe.StartLine}, "a quote mark (\") in this row is not closed or is inside an unquoted value (near line %d column %d); the file cannot be read past it. Remove the stray quote or save the file again as CSV from the spreadsheet", pe.Line, pe.Column)
	case errors.As(err, &pe):
		r.structural(Where{w.File, pe.StartLine}, "not a readable CSV row: %v", pe.Err)
	case err == io.EOF:
		r.structural(Where{File: w.File}, "the file is empty")
	default:
		r.structural(w, "could not read the file: %v", err)
	}
}

func used(t Table) bool {
	switch t {
	case Header, Episodes, UASC, OC2, Missing, Reviews, OC3, AD1, PlacedAdoption, PrevPerm:
		return true
	}
	return false
}

// usedIn says whether Hearth reads a table in a collection year: social
// worker episodes are in the return from 2023/24, DoLo from 2026/27.
func usedIn(t Table, y Year) bool {
	switch t {
	case SWEpisodes:
		return y >= 2024
	case DoLo:
		return y >= 2027
	}
	return used(t)
}

func tableOf(cols []string) (Table, bool) {
	for t, want := range Columns {
		if sameSet(cols, want) {
			return t, true
		}
	}
	return "", false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := set(b...)
	for _, c := range a {
		if !m[c] {
			return false
		}
		delete(m, c)
	}
	return len(m) == 0
}

// describeMismatch names the nearest table and the columns that differ.
func describeMismatch(cols []string) string {
	best, bestScore := Table(""), -1
	for t, want := range Columns {
		m := set(want...)
		score := 0
		for _, c := range cols {
			if m[c] {
				score++
			}
		}
		if score > bestScore || score == bestScore && t < best {
			best, bestScore = t, score
		}
	}
	have := set(cols...)
	var missing, extra []string
	for _, c := range Columns[best] {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	want := set(Columns[best]...)
	for _, c := range cols {
		if !want[c] {
			extra = append(extra, c)
		}
	}
	msg := "the columns do not match any SSDA903 table; nearest is " + string(best)
	if len(missing) > 0 {
		msg += ", which also needs " + strings.Join(missing, ", ")
	}
	if len(extra) > 0 {
		msg += "; not SSDA903 columns: " + strings.Join(extra, ", ")
	}
	return msg
}

// Field checks.

const dateLayout = "02/01/2006"

func (r *Return) date(w Where, row map[string]string, col string, required bool) (time.Time, bool) {
	v := row[col]
	if v == "" {
		if required {
			r.problem(Error, w, col, "", "missing; give a date like 31/03/2026")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		r.problem(Error, w, col, v, "not a date like 31/03/2026")
		return time.Time{}, false
	}
	return t, true
}

func (r *Return) optDate(w Where, row map[string]string, col string) *time.Time {
	if t, ok := r.date(w, row, col, false); ok {
		return &t
	}
	return nil
}

func (r *Return) code(w Where, row map[string]string, col string, valid map[string]bool, what string) string {
	return r.codeRule("", w, row, col, valid, what)
}

// codeRule checks a required code, under a DfE rule when key is given.
func (r *Return) codeRule(key string, w Where, row map[string]string, col string, valid map[string]bool, what string) string {
	v := row[col]
	switch {
	case v == "" && key != "":
		r.rule(key, w, col, "", "missing; give the %s", what)
	case v == "":
		r.problem(Error, w, col, "", "missing; give the %s", what)
	case !valid[v] && key != "":
		r.rule(key, w, col, v, "not a valid %s", what)
	case !valid[v]:
		r.problem(Error, w, col, v, "not a valid %s", what)
	}
	return v
}

var childRE = regexp.MustCompile(`^[A-Z0-9_-]{1,20}$`)

func (r *Return) child(w Where, row map[string]string) string {
	v := row["CHILD"]
	if !childRE.MatchString(v) {
		r.problem(Error, w, "CHILD", v, "a child identifier is 1 to 20 letters, digits, hyphens or underscores")
	}
	return v
}

var (
	postcodeRE = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$`)
	urnRE      = regexp.MustCompile(`^(SC[0-9]{6}|[0-9]{6,7}|XXXXXXX)$`)
	upnRE      = regexp.MustCompile(`^[A-Z][0-9]{11}[0-9A-Z]$`)
)

// District returns a postcode's outward code (its district), or "".
func District(postcode string) string {
	m := postcodeRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(postcode)))
	if m == nil {
		return ""
	}
	return m[1]
}

func (r *Return) postcode(w Where, row map[string]string, col string) string {
	v := row[col]
	if v == "" {
		return ""
	}
	if !postcodeRE.MatchString(v) {
		r.problem(Warning, w, col, v, "not a UK postcode; left out")
		return ""
	}
	return v
}

func (r *Return) addRow(t Table, w Where, row map[string]string) {
	y := r.Year
	if t != Header && t != Episodes {
		r.given = append(r.given, givenRow{Where: w, table: t, child: row["CHILD"], dob: row["DOB"], sex: row["SEX"]})
		if r.raw == nil {
			r.raw = map[Table][]rawRow{}
		}
		r.raw[t] = append(r.raw[t], rawRow{w, row})
	}
	if !usedIn(t, y) {
		return // a table the year does not have: the file summary says it was not used
	}
	switch t {
	case Header:
		h := HeaderRow{Where: w, Child: r.child(w, row), Ethnic: r.codeRule("103", w, row, "ETHNIC", ethnicCodes, "ethnicity code")}
		h.Sex = r.sex(Header, w, row)
		var dob time.Time
		var ok bool
		r.checkUnder("102", func() { dob, ok = r.date(w, row, "DOB", true) })
		if ok {
			h.DOB = dob
			if dob.After(y.End()) {
				r.problem(Error, w, "DOB", row["DOB"], "after the end of the %s collection year", y)
			}
		}
		switch upn := row["UPN"]; {
		case upn == "" || upnUnknown[upn]:
			h.NoUPN, h.UPNBlank = upn, upn == ""
		case !upnRE.MatchString(upn):
			r.checkUnder("168", func() {
				r.problem(Warning, w, "UPN", upn, "not a unique pupil number (a letter, 11 digits and a letter or digit) or UN1 to UN5; left out")
			})
		default:
			h.UPN = upn
		}
		if m := row["MOTHER"]; m != "" && m != "0" && m != "1" {
			r.checkUnder("165", func() { r.problem(Error, w, "MOTHER", m, "must be 1 (the child is a mother), 0 or blank") })
		}
		h.Mother = row["MOTHER"]
		r.checkUnder("171", func() { h.MCDOB = r.optDate(w, row, "MC_DOB") })
		r.Headers = append(r.Headers, h)
		if row["UPN"] != h.UPN || row["MOTHER"] != "" || row["MC_DOB"] != "" {
			r.keep(Header, w, h.Child, []string{row["UPN"], row["MOTHER"], row["MC_DOB"]})
		}
	case Episodes:
		e := EpisodeRow{Where: w, Child: r.child(w, row)}
		var decom time.Time
		var ok bool
		r.checkUnder("141", func() { decom, ok = r.date(w, row, "DECOM", true) })
		e.DECOM = decom
		if ok && decom.After(y.End()) {
			r.checkUnder("354", func() { r.problem(Error, w, "DECOM", row["DECOM"], "after the end of the %s collection year", y) })
		}
		r.checkUnder("147", func() { e.DEC = r.optDate(w, row, "DEC") })
		if ok && e.DEC != nil && e.DEC.Before(decom) {
			r.checkUnder("356", func() { r.problem(Error, w, "DEC", row["DEC"], "the episode ends before it starts (%s)", row["DECOM"]) })
		}
		if e.DEC != nil && e.DEC.After(y.End()) {
			r.checkUnder("385", func() { r.problem(Error, w, "DEC", row["DEC"], "after the end of the %s collection year", y) })
		}
		e.RNE = r.codeRule("143", w, row, "RNE", rneCodes, "reason for new episode")
		e.LS = r.codeRule("144", w, row, "LS", lsCodes, "legal status")
		if e.LS == "D1" && ok && !decom.Before(time.Date(2005, 12, 30, 0, 0, 0, 0, time.UTC)) {
			r.rule("hearth-d1", w, "LS", "D1", "freeing orders (D1) ended in December 2005; use E1 for a placement order")
		}
		e.CIN = r.codeRule("145", w, row, "CIN", cinCodes, "category of need")
		e.Place = row["PLACE"]
		switch {
		case e.Place == "":
			r.rule("146", w, "PLACE", "", "missing; give the placement type")
		case !PlaceValid(e.Place, y):
			if _, known := PlaceLabels[e.Place]; known {
				r.rule("146", w, "PLACE", e.Place, "not a valid placement type in %s", y)
			} else {
				r.rule("146", w, "PLACE", e.Place, "not a placement type")
			}
		}
		e.Provider = row["PLACE_PROVIDER"]
		r.placementRules(w, e, row)
		e.REC = row["REC"]
		switch {
		case e.DEC == nil && e.REC != "" && row["DEC"] == "":
			r.checkUnder("148", func() {
				r.problem(Error, w, "REC", e.REC, "a reason the episode ceased is given but the episode has no end date (DEC)")
			})
		case e.DEC != nil && e.REC == "":
			r.checkUnder("148", func() { r.problem(Error, w, "REC", "", "missing; an episode that ends needs the reason it ceased") })
		case e.REC != "" && !recCodes[e.REC]:
			r.rule("149", w, "REC", e.REC, "not a reason for an episode ceasing")
		}
		e.Reason = row["REASON_PLACE_CHANGE"]
		if e.Reason != "" && !reasonCodes[e.Reason] {
			r.problem(Error, w, "REASON_PLACE_CHANGE", e.Reason, "not a reason for a placement change")
		}
		if e.Reason != "" && len(e.Place) == 2 && e.Place[0] == 'T' {
			r.rule("226", w, "REASON_PLACE_CHANGE", e.Reason, "a temporary placement (%s) takes no reason for a placement change; leave it blank", e.Place)
		}
		if e.Reason != "" && e.DEC == nil {
			r.rule("233", w, "REASON_PLACE_CHANGE", e.Reason, "the episode is still open, so the placement has not changed; leave the reason blank")
		}
		e.HomePost = r.postcode(w, row, "HOME_POST")
		e.PlacePost = r.postcode(w, row, "PL_POST")
		if row["URN"] == "XXXXXXX" {
			e.URNUnknown = true
			r.keep("EpisodeURN", w, e.Child, []string{row["DECOM"]})
		}
		if u := row["URN"]; u != "" && u != "XXXXXXX" {
			if urnRE.MatchString(u) {
				e.URN = u
			} else {
				r.problem(Warning, w, "URN", u, "not an Ofsted unique reference number; left out")
			}
		}
		r.Episodes = append(r.Episodes, e)
	case UASC:
		u := UASCRow{Where: w, Child: r.child(w, row)}
		r.checkUnder("104", func() { u.DUC = r.optDate(w, row, "DUC") })
		r.sex(UASC, w, row)
		r.date(w, row, "DOB", true)
		r.UASC = append(r.UASC, u)
	case OC2:
		o := OC2Row{Where: w, Child: r.child(w, row)}
		r.date(w, row, "DOB", true)
		if v := row["SDQ_SCORE"]; v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n != float64(int32(n)) || n < 0 || n > 40 {
				r.checkUnder("180", func() {
					r.problem(Error, w, "SDQ_SCORE", v, "an SDQ total difficulties score is a whole number from 0 to 40")
				})
			} else {
				s := int32(n)
				o.SDQ = &s
			}
			if row["SDQ_REASON"] != "" {
				r.checkUnder("197a", func() {
					r.problem(Warning, w, "SDQ_REASON", row["SDQ_REASON"], "a reason for no score is given as well as a score")
				})
			}
		} else if v := row["SDQ_REASON"]; v != "" && !sdqReasons[v] {
			r.checkUnder("196", func() { r.problem(Error, w, "SDQ_REASON", v, "not a reason for no SDQ score (SDQ1 to SDQ5)") })
		}
		for _, col := range oc2Flags {
			if v := row[col]; v != "" && v != "0" && v != "1" {
				r.rule("181", w, col, v, "must be 0 or 1")
			}
		}
		r.OC2 = append(r.OC2, o)
		r.keepAll(OC2, w, o.Child, row)
	case OC3:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		r.checkUnder("131", func() { r.codeOpt(w, row, "IN_TOUCH", inTouchCodes, "in-touch code (YES, NO, DIED, REFU, NREQ, RHOM)") })
		r.checkUnder("132", func() { r.codeOpt(w, row, "ACTIV", activCodes, "activity code") })
		r.checkUnder("133", func() { r.codeOpt(w, row, "ACCOM", accomCodes, "accommodation code") })
		r.keepAll(OC3, w, c, row)
	case AD1:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		r.checkUnder("112", func() { r.optDate(w, row, "DATE_INT") })
		r.checkUnder("113", func() { r.optDate(w, row, "DATE_MATCH") })
		r.checkUnder("114", func() { r.codeOpt(w, row, "FOSTER_CARE", set("0", "1"), "0 or 1") })
		r.checkUnder("175", func() { r.codeOpt(w, row, "NB_ADOPTR", set("1", "2"), "number of adopters (1 or 2)") })
		r.checkUnder("176", func() { r.codeOpt(w, row, "SEX_ADOPTR", set("M1", "F1", "MM", "FF", "MF"), "sex of adopters code") })
		r.checkUnder("177", func() {
			r.codeOpt(w, row, "LS_ADOPTR", set("L0", "L11", "L12", "L2", "L3", "L4"), "legal status of adopters code")
		})
		r.keepAll(AD1, w, c, row)
	case PlacedAdoption:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		r.checkUnder("115", func() { r.optDate(w, row, "DATE_PLACED") })
		r.checkUnder("116", func() { r.optDate(w, row, "DATE_PLACED_CEASED") })
		r.checkUnder("120", func() {
			r.codeOpt(w, row, "REASON_PLACED_CEASED", set("RD1", "RD2", "RD3", "RD4"), "reason the decision ceased (RD1 to RD4)")
		})
		r.keepAll(PlacedAdoption, w, c, row)
	case PrevPerm:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		r.checkUnder("631", func() {
			r.codeOpt(w, row, "PREV_PERM", set("P1", "P2", "P3", "P4", "Z1"), "previous permanence code (P1 to P4, Z1)")
		})
		if v := row["DATE_PERM"]; v != "" && !datePermRE.MatchString(v) {
			r.checkUnder("632", func() { r.problem(Error, w, "DATE_PERM", v, "not a date like 31/03/2020 (ZZ for a part not known)") })
		}
		r.keepAll(PrevPerm, w, c, row)
	case Missing:
		m := MissingRow{Where: w, Child: r.child(w, row)}
		r.checkUnder("565", func() {
			m.Kind = r.code(w, row, "MISSING", set("M", "A"), "missing kind (M missing, A away without authorisation)")
		})
		r.date(w, row, "DOB", true)
		start, ok := r.date(w, row, "MIS_START", true)
		m.Start = start
		m.End = r.optDate(w, row, "MIS_END")
		if ok && m.End != nil && m.End.Before(start) {
			r.rule("567", w, "MIS_END", row["MIS_END"], "the missing episode ends before it starts (%s)", row["MIS_START"])
		}
		r.Missing = append(r.Missing, m)
	case SWEpisodes:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		if id := row["SW_ID"]; !swIDRE.MatchString(id) {
			r.checkUnder("SW02", func() {
				r.problem(Error, w, "SW_ID", id, "a social worker's identifier starts with SW (or XX when not known) followed by letters or digits, up to 20 in all")
			})
		}
		var start time.Time
		var ok bool
		var end *time.Time
		r.checkUnder("SW04", func() { start, ok = r.date(w, row, "SW_DECOM", true) })
		r.checkUnder("SW05", func() { end = r.optDate(w, row, "SW_DEC") })
		if ok && end != nil && end.Before(start) {
			before := func() {
				r.problem(Error, w, "SW_DEC", row["SW_DEC"], "the social worker episode ends before it starts (%s)", row["SW_DECOM"])
			}
			if y >= 2026 {
				r.checkUnder("SW18", before) // the DfE's rule from 2025/26
			} else {
				before()
			}
		}
		if ok && start.After(y.End()) {
			r.checkUnder("SW06", func() { r.problem(Error, w, "SW_DECOM", row["SW_DECOM"], "after the end of the %s collection year", y) })
		}
		r.checkUnder("SW13", func() { r.codeOpt(w, row, "SW_REASON", swReasons, "reason the social worker changed") })
		// A blank SW_REASON is rule SW03 (dferules_b.go).
		r.keepAll(SWEpisodes, w, c, row)
	case DoLo:
		c := r.child(w, row)
		r.date(w, row, "DOB", true)
		var start time.Time
		var ok bool
		var end *time.Time
		r.checkUnder("700", func() { start, ok = r.date(w, row, "DOLO_START", true) })
		r.checkUnder("701", func() { end = r.optDate(w, row, "DOLO_END") })
		if ok && end != nil && !end.After(start) {
			r.checkUnder("702", func() {
				r.problem(Error, w, "DOLO_END", row["DOLO_END"], "the order ends on or before the day it starts (%s)", row["DOLO_START"])
			})
		}
		if ok && start.After(y.End()) {
			r.checkUnder("703", func() {
				r.problem(Error, w, "DOLO_START", row["DOLO_START"], "after the end of the %s collection year", y)
			})
		}
		r.keepAll(DoLo, w, c, row)
	case Reviews:
		v := ReviewRow{Where: w, Child: r.child(w, row)}
		r.checkUnder("167", func() { v.Code = r.code(w, row, "REVIEW_CODE", reviewCodes, "review participation code (PN0 to PN7)") })
		r.date(w, row, "DOB", true)
		r.checkUnder("166", func() { v.On, _ = r.date(w, row, "REVIEW", true) })
		r.Reviews = append(r.Reviews, v)
	}
}

var (
	swIDRE    = regexp.MustCompile(`^(SW|XX)[A-Z0-9]{0,18}$`)
	swReasons = set("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS")
)

var oc2Flags = []string{"CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"}

var datePermRE = regexp.MustCompile(`^(ZZ|[0-3][0-9])/(ZZ|[01][0-9])/(ZZZZ|[12][0-9]{3})$`)

var (
	inTouchCodes = set("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
	activCodes   = set("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
	accomCodes   = func() map[string]bool {
		m := map[string]bool{"0": true}
		for _, c := range "BCDEGHKRSTUVWXYZ" {
			m[string(c)+"1"], m[string(c)+"2"] = true, true
		}
		return m
	}()
)

// codeOpt checks a code that may be blank.
func (r *Return) codeOpt(w Where, row map[string]string, col string, valid map[string]bool, what string) {
	if v := row[col]; v != "" && !valid[v] {
		r.problem(Error, w, col, v, "not a valid %s", what)
	}
}

func (r *Return) keep(t Table, w Where, child string, vals []string) {
	r.Kept = append(r.Kept, KeptRow{Where: w, Table: t, Child: child, Vals: vals})
}

// keepAll keeps a row's columns after CHILD, in Columns order.
func (r *Return) keepAll(t Table, w Where, child string, row map[string]string) {
	cols := Columns[t][1:]
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = row[c]
	}
	r.keep(t, w, child, vals)
}

// sex reads SEX: 1 and 2 up to 2023/24, M, F and U from 2024/25.
func (r *Return) sex(t Table, w Where, row map[string]string) string {
	v := row["SEX"]
	old := map[string]string{"1": "M", "2": "F"}
	switch {
	case r.Year <= 2024 && old[v] != "":
		return old[v]
	case r.Year >= 2025 && (v == "M" || v == "F" || v == "U"):
		if v == "U" && t == Header {
			r.rule("232", w, "SEX", "U", "sex is recorded as unknown; confirm it")
		}
		return v
	case r.Year <= 2024:
		r.rule("101", w, "SEX", v, "must be 1 (male) or 2 (female) in %s", r.Year)
	default:
		r.rule("101", w, "SEX", v, "must be M, F or U in %s", r.Year)
	}
	return ""
}
