package proceedings

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/placements"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// workedCases are the three cases of docs/delay-model.md's worked example.
func workedCases() []Case {
	h := func(kind, outcome string) Hearing { return Hearing{Kind: kind, Outcome: outcome} }
	return []Case{
		{CaseNumber: "A", IssuedOn: day("2025-01-06"), ConcludedOn: ptr(day("2025-10-13")), FinalOrder: "care",
			Children: []CaseChild{InPlacement(1, day("2024-11-01"), CostPeriod{From: day("2024-11-01"), WeeklyPence: 900_00}), {ChildID: 2}},
			Hearings: []Hearing{h("cmh", "effective"), h("fcmh", "effective"), h("fcmh", "adjourned"), h("irh", "effective"), h("irh", "vacated"), h("final", "effective")},
			Experts:  []Expert{{Kind: "parenting", CostPence: 7500_00}}},
		{CaseNumber: "B", IssuedOn: day("2025-03-03"), ConcludedOn: ptr(day("2025-08-25")), FinalOrder: "supervision",
			Children: []CaseChild{{ChildID: 3}},
			Hearings: []Hearing{h("cmh", "effective"), h("irh", "effective"), h("final", "effective")}},
		{CaseNumber: "C", IssuedOn: day("2025-06-02"),
			Children: []CaseChild{InPlacement(4, day("2025-05-01"), CostPeriod{From: day("2025-05-01"), To: day("2025-11-30"), WeeklyPence: 5600_00},
				CostPeriod{From: day("2025-12-01"), WeeklyPence: 6160_00})},
			Hearings: []Hearing{h("cmh", "effective"), h("fcmh", "effective"), h("fcmh", "effective"), h("fcmh", "adjourned")},
			Experts:  []Expert{{Kind: "residential", CostPence: 30000_00}}},
	}
}

// table reads a worked-example table from docs/delay-model.md, between its markers.
func table(t *testing.T, marker string) [][]string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/delay-model.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i := strings.Index(s, "<!-- "+marker+":")
	j := strings.Index(s, "<!-- end "+marker+" -->")
	if i < 0 || j < i {
		t.Fatalf("docs/delay-model.md has no %s table", marker)
	}
	var rows [][]string
	for _, line := range strings.Split(s[i:j], "\n")[3:] { // skip the marker, header and rule
		if !strings.HasPrefix(line, "|") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	return rows
}

func poundsOf(t *testing.T, v string) int64 {
	t.Helper()
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%q is not an amount", v)
	}
	return int64(math.Round(f * 100))
}

// TestWorkedExample checks the code against the hand-worked example in
// docs/delay-model.md, number by number, read from the document itself.
func TestWorkedExample(t *testing.T) {
	asOf := day("2026-01-05")
	cases := workedCases()
	got := map[string]Breakdown{}
	var bs []Breakdown
	for _, c := range cases {
		b := Cost(c, National, asOf)
		got[c.CaseNumber] = b
		bs = append(bs, b)
	}
	rows := table(t, "worked-example")
	if len(rows) < 20 {
		t.Fatalf("only %d rows in the worked example", len(rows))
	}
	for _, r := range rows {
		b, item, want := got[r[0]], r[1], r[2]
		var have string
		switch item {
		case "weeks":
			have = strconv.FormatFloat(b.Weeks, 'f', -1, 64)
		case "weeks over":
			have = strconv.FormatFloat(b.WeeksOver, 'f', -1, 64)
		case "extra hearings":
			have = strconv.FormatFloat(b.ExtraHearings, 'f', -1, 64)
		default:
			money := map[string]int64{"placement weekly": b.PlacementWeekly, "social work weekly": b.SocialWorkWeekly, "contact weekly": b.ContactWeekly,
				"weekly cost": b.WeeklyCost, "delay weeks cost": b.DelayWeeksCost, "hearing cost": b.HearingCost, "expert cost": b.ExpertCost,
				"total": b.Total, "one-week saving": b.OneWeekSaving}
			v, ok := money[item]
			if !ok {
				t.Fatalf("the worked example has an item the test does not know: %q", item)
			}
			if v != poundsOf(t, want) {
				t.Errorf("case %s %s: %d pence; the document says £%s", r[0], item, v, want)
			}
			continue
		}
		if have != want {
			t.Errorf("case %s %s: %s; the document says %s", r[0], item, have, want)
		}
	}
	s := Summarise(bs)
	for _, r := range table(t, "worked-example-council") {
		item, want := r[0], r[1]
		var have string
		switch item {
		case "cases":
			have = strconv.Itoa(s.Cases)
		case "mean weeks":
			have = strconv.FormatFloat(s.MeanWeeks, 'f', -1, 64)
		case "median weeks":
			have = strconv.FormatFloat(s.MedianWeeks, 'f', -1, 64)
		case "within target":
			have = fmt.Sprintf("%d of %d concluded", s.WithinTarget, s.Concluded)
		case "hearings per case":
			have = strconv.FormatFloat(s.HearingsPer, 'f', 3, 64)
		case "FCMHs per case":
			have = strconv.FormatFloat(s.FCMHsPer, 'f', 3, 64)
		case "adjournments per case":
			have = strconv.FormatFloat(s.AdjournedPer, 'f', 3, 64)
		case "total":
			have = fmt.Sprintf("%.2f", float64(s.Total)/100)
		case "one-week benefit":
			have = fmt.Sprintf("%.2f", float64(s.OneWeekBenefit)/100)
		case "if the average fell to 30 weeks":
			have = fmt.Sprintf("%.2f", float64(IfAverageWere(bs, 30))/100)
		case "if FCMHs fell by 50%":
			have = fmt.Sprintf("%.2f", float64(IfFCMHsFell(bs, 0.5))/100)
		default:
			t.Fatalf("the council example has an item the test does not know: %q", item)
		}
		if have != want {
			t.Errorf("council %s: %s; the document says %s", item, have, want)
		}
	}
}

func TestAverageWeekly(t *testing.T) {
	// One placement from 1 January at £700 to the 10th, then £1,400; the child
	// moves on the 15th to a placement with no cost, and leaves care on the 22nd.
	moved, left := day("2025-01-15"), day("2025-01-22")
	first := InPlacement(1, day("2025-01-01"), CostPeriod{From: day("2025-01-01"), To: day("2025-01-10"), WeeklyPence: 700_00},
		CostPeriod{From: day("2025-01-11"), WeeklyPence: 1400_00}).Placements[0]
	first.EndedOn = &moved
	second := InPlacement(1, moved).Placements[0]
	second.EndedOn = &left
	ps := []placements.Placement{first, second}
	for _, tc := range []struct {
		name     string
		from, to string
		want     int64
		actual   bool
	}{
		// 10 days at £700 and 4 at £1,400: (10×700 + 4×1400) ÷ 14 = £900.
		{"weighted by day", "2025-01-01", "2025-01-15", 900_00, true},
		// The old placement's open cost stops at the move: 7 days at the £1,000 default.
		{"new placement without a cost", "2025-01-15", "2025-01-22", 1000_00, false},
		// 7 days at the default, then 7 out of care at nothing.
		{"after leaving care", "2025-01-15", "2025-01-29", 500_00, false},
		{"empty range", "2025-01-15", "2025-01-15", 1000_00, false},
	} {
		w, actual := averageWeekly(ps, day(tc.from), day(tc.to), 1000_00)
		if w != tc.want || actual != tc.actual {
			t.Errorf("%s: averageWeekly(%s, %s) = %d, %v; want %d, %v", tc.name, tc.from, tc.to, w, actual, tc.want, tc.actual)
		}
	}
	if w, actual := averageWeekly(nil, day("2025-01-01"), day("2025-01-15"), 1000_00); w != 1000_00 || actual {
		t.Errorf("no placements: %d, %v; want the default", w, actual)
	}
}
