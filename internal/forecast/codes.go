// Package forecast projects children in care, their placements and what they
// cost, from the history of episodes alone: every function here is a pure
// function of history, parameters and an as-of date (no database, no clock),
// so a forecast can be reproduced, backtested and tested by hand. Loading the
// history is the job of the packages that own episodes, costs and needs.
//
// Two models live here. Model is Hearth's: states are single months of age ×
// placement category, so children age out of their band on their birthday and
// leave at 18; rates are hazards (events ÷ days at risk) over a reference
// window; entrants are Poisson by year of age and category, first entries kept
// apart from re-entries; and a simulation gives intervals. Compat reproduces
// the method of data-to-insight/cs-demand-model v0.5.1 as
// ../shared/docs/forecasting.md describes it, so the two can be backtested side
// by side on the same episodes.
package forecast

import "time"

// Category is a placement category: the level at which demand is forecast.
type Category int

// The categories. Every 2025/26 PLACE code, and every older one still found
// in history, maps to one of them (see CategoryOf).
const (
	Fostering Category = iota
	Residential
	Supported
	Other
	NumCategories = 4
)

var categoryNames = [NumCategories]string{"Fostering", "Residential", "Supported", "Other"}

func (c Category) String() string {
	if c < 0 || int(c) >= NumCategories {
		return "Unknown"
	}
	return categoryNames[c]
}

// CategoryOf maps a PLACE code to Hearth's category. Supported takes K3
// (registered supported accommodation, 2024/25 on) with the H5 and P2 it
// replaced, so the coding change is not read as a fall in supported
// accommodation; secure homes, residential schools and residential employment
// are residential; Z1 and its 2025/26 split Z11–Z14, adoption, placement with
// parents, health settings, custody and temporary moves are Other.
func CategoryOf(place string) Category {
	switch place {
	case "U1", "U2", "U3", "U4", "U5", "U6", "Q1", "Q2":
		return Fostering
	case "K1", "K2", "R1", "S1", "P3":
		return Residential
	case "H5", "P2", "K3":
		return Supported
	}
	return Other
}

// AgeBand is one of England's published age bands for children in care.
type AgeBand int

// The bands: under 1, 1–4, 5–9, 10–15 and 16–17. Children leave care at 18.
const (
	Under1 AgeBand = iota
	Age1to4
	Age5to9
	Age10to15
	Age16to17
	NumAgeBands = 5
)

var bandNames = [NumAgeBands]string{"Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17"}

func (b AgeBand) String() string {
	if b < 0 || int(b) >= NumAgeBands {
		return "Unknown"
	}
	return bandNames[b]
}

// LeaveMonths is the age in months at which a child leaves care.
const LeaveMonths = 18 * 12

// BandOfMonths is the band of a child aged m whole months.
func BandOfMonths(m int) AgeBand {
	switch {
	case m < 12:
		return Under1
	case m < 60:
		return Age1to4
	case m < 120:
		return Age5to9
	case m < 192:
		return Age10to15
	}
	return Age16to17
}

// bandStartMonths is the first month of age in each band.
var bandStartMonths = [NumAgeBands + 1]int{0, 12, 60, 120, 192, LeaveMonths}

// AgeMonths is the age in whole months on day d of a child born on dob: the
// child turns a month older on the same day of the month as the birthday (or
// the month's last day, for birthdays on the 29th to 31st).
func AgeMonths(dob, d time.Time) int {
	m := (d.Year()-dob.Year())*12 + int(d.Month()) - int(dob.Month())
	if d.Day() < dob.Day() && d.Day() < daysIn(d.Year(), d.Month()) {
		m--
	}
	return m
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Birthday is the day a child born on dob turns m months old.
func Birthday(dob time.Time, m int) time.Time {
	y, mo := dob.Year(), dob.Month()+time.Month(m)
	first := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	day := min(dob.Day(), daysIn(first.Year(), first.Month()))
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

// Episode is one SSDA903 episode of care as the forecast needs it. End is
// zero while the episode is open. Reason is REC (X1 for a new episode the same
// day; E17 for staying put).
type Episode struct {
	Child    string
	DOB      time.Time
	Start    time.Time
	End      time.Time
	Place    string
	Provider string
	Reason   string
}

// Open reports whether the episode is open on day d (start ≤ d < end).
func (e Episode) Open(d time.Time) bool {
	return !e.Start.After(d) && (e.End.IsZero() || e.End.After(d))
}
