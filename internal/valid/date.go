package valid

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date reads a date as people type it: 28/11/2026, 28-11-2026, 28.11.2026,
// 28 Nov 2026, 28 November 2026 or 2026-11-28, with or without leading zeros.
// Two-digit years are refused rather than guessed (is 11/03/26 1926 or 2026?).
// what names the date in the error, in words: "the date of the hearing".
// One parser for every form, so every date field accepts the same things.
func Date(what, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("Enter %s", what)
	}
	bad := fmt.Errorf("Enter %s as a real date, for example 28/11/2026, 28 Nov 2026 or 2026-11-28 (you typed %q)", what, s)
	var d, m, y int
	var err error
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' || r == ',' })
	if len(fields) != 3 {
		return time.Time{}, bad
	}
	switch {
	case len(fields[0]) == 4: // 2026-11-28
		y, err = strconv.Atoi(fields[0])
		if err == nil {
			m, err = month(fields[1])
		}
		if err == nil {
			d, err = strconv.Atoi(fields[2])
		}
	default: // 28/11/2026, 28 Nov 2026
		d, err = strconv.Atoi(fields[0])
		if err == nil {
			m, err = month(fields[1])
		}
		if err == nil {
			if len(fields[2]) != 4 {
				return time.Time{}, fmt.Errorf("Enter the year of %s in full, for example 2026 (you typed %q)", what, s)
			}
			y, err = strconv.Atoi(fields[2])
		}
	}
	if err != nil || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, bad
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31/11/2026 would roll over to 1 December
		return time.Time{}, fmt.Errorf("Enter %s as a real date: %s %d has %d days (you typed %q)", what,
			time.Month(m), y, time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(), s)
	}
	return t, nil
}

// month reads 11, 011, Nov or November.
func month(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	l := strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if l == name || (len(l) >= 3 && strings.HasPrefix(name, l)) {
			return int(m), nil
		}
	}
	return 0, fmt.Errorf("%q is not a month", s)
}

// DateField reads a form's date into ps under field, saying which date is
// wrong. It returns the zero time when the field is empty and optional.
func (ps *Problems) DateField(field, what, s string, required bool) time.Time {
	if strings.TrimSpace(s) == "" && !required {
		return time.Time{}
	}
	t, err := Date(what, s)
	if err != nil {
		*ps = append(*ps, Problem{Field: field, Message: err.Error()})
	}
	return t
}
