package forecast

import (
	"testing"
	"time"
)

// TestSynthCouncilShape: about 1,500 in care and 350 first entrants a year,
// the residential share rising about a point a year, and the coding changes
// where the returns made them.
func TestSynthCouncilShape(t *testing.T) {
	kids, eps := Synthesize(DefaultSynth(1))
	if len(kids) == 0 {
		t.Fatal("no children")
	}
	var shares []float64
	for y := 2020; y <= 2026; y++ {
		tot, cat, band := Count(eps, day0(y, 3, 31))
		shares = append(shares, cat[Residential]/tot)
		t.Logf("31 Mar %d: %.0f in care; F %.0f R %.0f (%.1f%%) S %.0f O %.0f; bands %v", y, tot, cat[Fostering], cat[Residential], 100*cat[Residential]/tot, cat[Supported], cat[Other], band)
		if tot < 1300 || tot > 1700 {
			t.Errorf("31 Mar %d: %.0f in care; want about 1,500", y, tot)
		}
	}
	if rise := (shares[6] - shares[0]) / 6 * 100; rise < 0.6 || rise > 1.4 {
		t.Errorf("residential share rises %.2f points a year; want about 1", rise)
	}
	seen := map[string]int{}
	for _, e := range eps {
		seen[e.Place]++
		switch {
		case e.Place == "P2" && !e.Start.Before(p2Ends):
			t.Errorf("P2 episode starting %s, after P2 ended", e.Start.Format(time.DateOnly))
		case e.Place == "H5" && e.Open(k3Start):
			t.Errorf("H5 episode of %s still open when H5 became K3", e.Child)
		case e.Place == "K3" && e.Start.Before(k3Start):
			t.Errorf("K3 episode starting %s, before K3 existed", e.Start.Format(time.DateOnly))
		case e.Place == "Z1" && e.Open(zSplit):
			t.Errorf("Z1 episode of %s still open when Z1 split", e.Child)
		case len(e.Place) == 3 && e.Place[0] == 'Z' && e.Start.Before(zSplit):
			t.Errorf("%s episode starting %s, before the split", e.Place, e.Start.Format(time.DateOnly))
		}
	}
	for _, code := range []string{"P2", "H5", "K3", "Z1", "Z11", "Z14", "K2", "U6"} {
		if seen[code] == 0 {
			t.Errorf("no %s episodes; the coding changes need all of them", code)
		}
	}
	if k := (SynthChild{Female: true}); k.SexCode(2024) != "2" || k.SexCode(2025) != "F" {
		t.Errorf("sex coded %q in 2023/24 and %q in 2024/25; want 2 and F", k.SexCode(2024), k.SexCode(2025))
	}
	a, _ := Synthesize(DefaultSynth(1))
	if len(a) != len(kids) || a[len(a)-1] != kids[len(kids)-1] {
		t.Error("the same seed gave a different council")
	}
}

// TestSynthEpisodesValid: every generated episode passes Validate, at the
// scale of a synthetic England too.
func TestSynthEpisodesValid(t *testing.T) {
	o := DefaultSynth(5)
	o.EntrantsPerYear = 5000
	_, eps := Synthesize(o)
	if err := Validate(eps); err != nil {
		t.Fatal(err)
	}
}
