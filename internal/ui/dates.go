package ui

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/valid"
)

// dateWords names each date field of Hearth's forms in words, so an error
// says which date is wrong ("Enter the date of the hearing").
var dateWords = map[string]string{
	"assessed_on": "the date of the assessment", "taken_on": "the date the SDQ was completed", "date_of_birth": "the date of birth",
	"census_date": "the date of the census", "as_of": "the “as of” date", "starts_on": "the date sharing starts",
	"issued_on": "the date the case was issued", "pre_proceedings_on": "the date pre-proceedings began",
	"concluded_on": "the date the case concluded", "held_on": "the date of the hearing",
	"commissioned_on": "the date the expert was commissioned", "delivered_on": "the date the expert's report was delivered",
	"effective_from": "the date the settings take effect", "effective_to": "the date the settings end",
	"on": "the date of the move", "from": "the first date", "to": "the last date",
	"missing_from": "the date the child went missing", "missing_to": "the date the child was found or returned",
}

func dateName(field string) string {
	if w, ok := dateWords[field]; ok {
		return w
	}
	return "the date"
}

// formDate reads a date field as people type it (valid.Date: 28/11/2026,
// 28 Nov 2026, 2026-11-28), recording a problem that names the date.
func formDate(ps *valid.Problems, f url.Values, field string, required bool) time.Time {
	return ps.DateField(field, dateName(field), strings.TrimSpace(f.Get(field)), required)
}

// withFormProblems joins what the form could not read (a date typed wrong)
// with the service's own problems, so a page shows every problem at once. The
// form's word wins for a field both name: it says what was typed.
func withFormProblems(form valid.Problems, err error) error {
	if len(form) == 0 {
		return err
	}
	var ve *valid.Error
	if err != nil && !errors.As(err, &ve) {
		return err
	}
	out := append(valid.Problems{}, form...)
	if ve != nil {
		named := map[string]bool{}
		for _, p := range form {
			named[p.Field] = true
		}
		for _, p := range ve.Problems {
			if !named[p.Field] {
				out = append(out, p)
			}
		}
	}
	return out.Err()
}
