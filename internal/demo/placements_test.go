package demo

import (
	"sort"
	"testing"
)

// TestDemoPlacementShape checks current placements against domain.md §3,
// counted here from the generated children.
func TestDemoPlacementShape(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 1, Children: 20000, AsOf: asOf})
	byPlace := map[string]int{}
	prices := map[string][]float64{}
	var homes, homesNoHigh, homesOut, over10k, bad int
	for _, c := range reg.Children {
		if len(c.Episodes) == 0 {
			t.Fatalf("child %s has no episodes", c.Ref)
		}
		last := c.Episodes[len(c.Episodes)-1]
		if last.End != nil {
			t.Fatalf("child %s: last episode is closed; demo children are all in care", c.Ref)
		}
		for i, e := range c.Episodes {
			if i > 0 && (c.Episodes[i-1].End == nil || !c.Episodes[i-1].End.Equal(e.Start)) {
				bad++
			}
		}
		if !c.Episodes[0].Start.Equal(c.CareStart) {
			bad++
		}
		// The placement's costs sit on the episode that starts it.
		start := len(c.Episodes) - 1
		for start > 0 && c.Episodes[start].RNE == "L" {
			start--
		}
		costs := c.Episodes[start].Costs
		if len(costs) == 0 || costs[len(costs)-1].To != nil {
			t.Fatalf("child %s: current placement has no open cost", c.Ref)
		}
		now := costs[len(costs)-1]
		if now.SocialCare+now.Education+now.Health != now.Weekly {
			t.Fatalf("child %s: contributions do not add up", c.Ref)
		}
		key := last.Place
		if last.Place == "U6" || last.Place == "U4" {
			key = map[string]string{"PR1": "in-house foster", "PR4": "IFA foster", "PR5": "IFA foster"}[last.ProvKind]
		}
		byPlace[key]++
		prices[key] = append(prices[key], float64(now.Weekly)/100)
		if last.Place == "K2" {
			homes++
			if a, ok := c.LatestApproved(); ok {
				high := false
				for _, l := range a.Levels {
					high = high || l >= 3
				}
				if !high {
					homesNoHigh++
				}
			}
			if last.OutOfArea {
				homesOut++
			}
			if now.Weekly > 10000_00 {
				over10k++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d broken episode chains", bad)
	}
	n := float64(len(reg.Children))
	share := func(name string, lo, hi float64) {
		t.Helper()
		if s := float64(byPlace[name]) / n; s < lo || s > hi {
			t.Errorf("%s share %.3f; want %.2f–%.2f", name, s, lo, hi)
		}
	}
	share("in-house foster", 0.20, 0.34)
	share("IFA foster", 0.18, 0.30)
	share("U3", 0.10, 0.20) // kinship
	share("K2", 0.07, 0.15)
	share("K3", 0.05, 0.15)
	share("P1", 0.03, 0.08)
	median := func(name string, lo, hi float64) {
		t.Helper()
		p := prices[name]
		sort.Float64s(p)
		if m := p[len(p)/2]; m < lo || m > hi {
			t.Errorf("%s median weekly £%.0f; want £%.0f–£%.0f", name, m, lo, hi)
		}
	}
	median("in-house foster", 450, 700)
	median("IFA foster", 800, 1150)
	median("K2", 4800, 7500)
	if f := float64(homesNoHigh) / float64(homes); f < 0.3 || f > 0.65 {
		t.Errorf("%.2f of children in children's homes have no high need; domain.md says about half have no severe or complex need", f)
	}
	if f := float64(homesOut) / float64(homes); f < 0.45 || f > 0.8 {
		t.Errorf("%.2f of children's home placements are out of area; NAO says about two thirds", f)
	}
	if over10k == 0 {
		t.Error("no children's home placement over £10,000 a week")
	}
	t.Logf("mix %v; homes %d (no high need %d, out of area %d, over £10k %d)", byPlace, homes, homesNoHigh, homesOut, over10k)
}
