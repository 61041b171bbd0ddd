package valid

import (
	"strings"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	want := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in    string
		ok    bool
		error string // part of the message when not ok
	}{
		{"28/11/2026", true, ""},
		{" 28/11/2026 ", true, ""},
		{"28-11-2026", true, ""},
		{"28.11.2026", true, ""},
		{"28 Nov 2026", true, ""},
		{"28 nov 2026", true, ""},
		{"28 November 2026", true, ""},
		{"28 Nov, 2026", true, ""},
		{"2026-11-28", true, ""},
		{"2026/11/28", true, ""},
		{"", false, "Enter the date of the hearing"},
		{"28/11/26", false, "year of the date of the hearing in full"},
		{"31/11/2026", false, "November 2026 has 30 days"},
		{"29/02/2027", false, "February 2027 has 28 days"},
		{"28/13/2026", false, "as a real date"},
		{"28 Nox 2026", false, "as a real date"},
		{"tomorrow", false, `you typed "tomorrow"`},
		{"28/11/2026/1", false, "as a real date"},
		{"1/1/0001", false, "as a real date"},
	} {
		got, err := Date("the date of the hearing", tc.in)
		if tc.ok {
			if err != nil || !got.Equal(want) {
				t.Errorf("Date(%q) = %v, %v; want %v", tc.in, got, err, want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.error) {
			t.Errorf("Date(%q) error = %v; want one containing %q", tc.in, err, tc.error)
		}
	}
	if got, err := Date("d", "29 Feb 2028"); err != nil || got.Day() != 29 {
		t.Errorf("leap day: %v %v", got, err)
	}
}
