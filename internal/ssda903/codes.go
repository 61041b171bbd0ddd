// Package ssda903 reads, checks, imports and exports the SSDA903 children
// looked after return: the CSV layout (one file per table, each table known by
// its exact set of columns) and the DfE XML layout. Every problem names its
// file, row, column and value, and is an error (the file imports nothing) or a
// warning (it imports). Codes and their validity by collection year follow
// ../shared/docs/ssda903.md.
package ssda903

import (
	"fmt"
	"time"
)

// Year is a collection year named by the year it ends: 2026 is 2025/26.
type Year int

func (y Year) String() string { return fmt.Sprintf("%d/%02d", int(y)-1, int(y)%100) }

// YearOf is the collection year a day falls in.
func YearOf(t time.Time) Year {
	if t.Month() >= time.April {
		return Year(t.Year() + 1)
	}
	return Year(t.Year())
}

// Start is 1 April at the start of the year; End is 31 March at its end.
func (y Year) Start() time.Time { return time.Date(int(y)-1, time.April, 1, 0, 0, 0, 0, time.UTC) }

// End is the last day of the collection year.
func (y Year) End() time.Time { return time.Date(int(y), time.March, 31, 0, 0, 0, 0, time.UTC) }

// PlaceValid reports whether a placement code may start or run in a year.
func PlaceValid(code string, y Year) bool {
	switch code {
	case "A3", "A4", "A5", "A6", "K1", "K2", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
		"T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6":
		return true
	case "H5", "P2":
		return y <= 2025 // gone from the 2025/26 list (P2 not valid for placements from 28 Oct 2023)
	case "K3":
		return y >= 2025
	case "Z1":
		return y <= 2025
	case "Z11", "Z12", "Z13", "Z14":
		return y >= 2026
	}
	return false
}

// ProviderExempt lists placement codes that take no PLACE_PROVIDER.
func ProviderExempt(place string) bool {
	switch place {
	case "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14":
		return true
	}
	return false
}

var (
	rneCodes  = set("S", "L", "P", "T", "B", "U")
	lsCodes   = set("C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3")
	cinCodes  = set("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
	provCodes = set("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
	recCodes  = set("X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B", "E41",
		"E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9")
	reasonCodes = set("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER")
	ethnicCodes = set("WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
		"AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")
	reviewCodes = set("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
	sdqReasons  = set("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5")
	upnUnknown  = set("UN1", "UN2", "UN3", "UN4", "UN5")
)

// PlaceLabels names placement types for pages and reports.
var PlaceLabels = map[string]string{
	"A3": "Placed for adoption with consent, with current foster carer", "A4": "Placed for adoption with consent",
	"A5": "Placed for adoption under a placement order, with current foster carer", "A6": "Placed for adoption under a placement order",
	"H5": "Semi-independent living (unregulated)", "K1": "Secure children's home", "K2": "Children's home",
	"K3": "Registered supported accommodation", "P1": "With parents", "P2": "Independent living", "P3": "Residential employment",
	"R1": "Residential care home", "R2": "NHS or health establishment", "R3": "Family centre or mother and baby unit",
	"R5": "Young offender institution or prison", "S1": "Residential school", "T0": "Temporary move", "T1": "Temporary: hospital",
	"T2": "Temporary: holiday", "T3": "Temporary: carer's holiday", "T4": "Temporary: 7 days or less",
	"U1": "Kinship foster care, long-term", "U2": "Kinship foster care, fostering for adoption", "U3": "Kinship foster care",
	"U4": "Foster care, long-term", "U5": "Foster care, fostering for adoption", "U6": "Foster care",
	"Z1": "Other placement", "Z11": "Other placement (Z11)", "Z12": "Other placement (Z12)", "Z13": "Other placement (Z13)", "Z14": "Other placement (Z14)",
}

// ProviderLabels names PLACE_PROVIDER codes.
var ProviderLabels = map[string]string{
	"PR0": "Parents or others with parental responsibility", "PR1": "Own council's provision", "PR2": "Another council's provision",
	"PR3": "Other public provision", "PR4": "Private provision", "PR5": "Voluntary or third sector provision",
}

func set(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// LegalStatusValid reports whether a code is an SSDA903 legal status.
func LegalStatusValid(code string) bool { return lsCodes[code] }

// LegalStatusLabels names legal statuses for pages.
var LegalStatusLabels = map[string]string{
	"C1": "Interim care order", "C2": "Full care order", "D1": "Freeing order", "E1": "Placement order",
	"V2": "Accommodated under s20", "V3": "Short breaks, as episodes", "V4": "Short breaks, as agreements",
	"L1": "Police protection", "L2": "Emergency protection order", "L3": "Child assessment order",
	"J1": "Remanded", "J2": "Placed under PACE", "J3": "Youth rehabilitation order with residence",
}
