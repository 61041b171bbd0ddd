package ui

import (
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
