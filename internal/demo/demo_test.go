package demo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var asOf = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a := Generate(Options{Seed: 42, Children: 500, AsOf: asOf})
	b := Generate(Options{Seed: 42, Children: 500, AsOf: asOf})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different regions (-first +second):\n%s", diff)
	}
	c := Generate(Options{Seed: 43, Children: 500, AsOf: asOf})
	if cmp.Equal(a.Children, c.Children) {
		t.Error("different seeds gave the same children")
	}
}

// TestGenerateRates checks the demo against the national rates it claims
// (package doc), counted independently here.
func TestGenerateRates(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 1, Children: 20000, AsOf: asOf})
	if len(reg.Children) != 20000 {
		t.Fatalf("children = %d; want 20000", len(reg.Children))
	}
	var boys, uasc, ehc, under1, teen16, bad int
	refs := map[string]bool{}
	perCouncil := map[int32]int{}
	for _, c := range reg.Children {
		age := yearsBetween(c.DateOfBirth, asOf)
		if c.Sex == "M" {
			boys++
		}
		if c.UASC {
			uasc++
		}
		if c.EHCPlan {
			ehc++
		}
		if age < 1 {
			under1++
		}
		if age >= 16 {
			teen16++
		}
		if age < 0 || age > 17 || c.CareStart.Before(c.DateOfBirth) || c.CareStart.After(asOf) || c.AllocatedFrom.Before(c.CareStart) {
			bad++
		}
		key := string(rune(c.LAID)) + c.Ref
		if refs[key] {
			t.Errorf("duplicate child reference %s in council %d", c.Ref, c.LAID)
		}
		refs[key] = true
		perCouncil[c.LAID]++
	}
	n := float64(len(reg.Children))
	within := func(name string, got int, lo, hi float64) {
		if r := float64(got) / n; r < lo || r > hi {
			t.Errorf("%s = %.3f; want between %.2f and %.2f", name, r, lo, hi)
		}
	}
	within("boys", boys, 0.53, 0.60)
	within("UASC", uasc, 0.06, 0.12)
	within("EHC plan", ehc, 0.24, 0.33)
	within("under 1", under1, 0.04, 0.06)
	within("16 and 17", teen16, 0.24, 0.28)
	if bad > 0 {
		t.Errorf("%d children with impossible dates", bad)
	}
	if len(perCouncil) != 4 {
		t.Errorf("children in %d councils; want 4", len(perCouncil))
	}
	signIns := SignIns(reg)
	if len(signIns) != 10 {
		t.Errorf("demo sign-ins cover %d roles; want all 10", len(signIns))
	}
}

func yearsBetween(birth, on time.Time) int {
	y := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		y--
	}
	return y
}
