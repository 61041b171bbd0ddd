package forecast

import (
	"math"
	"testing"
	"time"
)

// costCase: 10 fostered children aged 5 and 4 in residential care aged 12,
// with no moves or entrants, so the counts hold for the months tested.
// Costs: fostering 5–9 "low" £10 a week (5 children), "high" £30 (5
// children; £20 social care, £5 education, £5 health); residential 10–15
// "high" £50 (5 children).
func costCase(t *testing.T, uplift float64) (*Model, *CostModel) {
	t.Helper()
	m := &Model{From: day("2025-03-31"), To: day("2026-03-31"), Start: make([]float64, LeaveMonths*NumCategories)}
	m.Start[60*NumCategories+int(Fostering)] = 10
	m.Start[144*NumCategories+int(Residential)] = 4
	var s []CostSample
	for range 5 {
		s = append(s,
			CostSample{Category: Fostering, Group: "Agency foster care", NeedBand: "low", Band: Age5to9, Weekly: 1000, SocialCare: 1000},
			CostSample{Category: Fostering, Group: "In-house foster care", NeedBand: "high", Band: Age5to9, Weekly: 3000, SocialCare: 2000, Education: 500, Health: 500},
			CostSample{Category: Residential, Group: "Children's home", NeedBand: "high", Band: Age10to15, Weekly: 5000, SocialCare: 5000})
	}
	cm, err := NewCostModel(s, uplift)
	if err != nil {
		t.Fatal(err)
	}
	return m, cm
}

// TestSpendByHand: April 2026 has 30 days (30/7 weeks).
//
//	fostering:   10 × (½ × £10 + ½ × £30) × 30/7 = £857.142857
//	residential:  4 × £50 × 30/7                  = £857.142857
//	education:   10 × ½ × £5 × 30/7               = £107.142857
//
// With a 10% uplift, May (31 days, 61 days after the as-of date) is priced
// at 1.1^(61/365.25).
func TestSpendByHand(t *testing.T) {
	m, cm := costCase(t, 0)
	f, err := m.Project(Options{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	sp := cm.Spend(f)
	if got, want := sp[0].Category[Fostering], 10*2000*30/7.0; !near(got, want, 1e-6) {
		t.Errorf("April fostering %.4f pence; want %.4f", got, want)
	}
	if got, want := sp[0].Category[Residential], 4*5000*30/7.0; !near(got, want, 1e-6) {
		t.Errorf("April residential %.4f pence; want %.4f", got, want)
	}
	if got, want := sp[0].Education, 10*0.5*500*30/7.0; !near(got, want, 1e-6) {
		t.Errorf("April education %.4f pence; want %.4f", got, want)
	}
	if got := sp[0].SocialCare + sp[0].Education + sp[0].Health; !near(got, sp[0].Total, 1e-6) {
		t.Errorf("split %.4f does not add up to the total %.4f", got, sp[0].Total)
	}
	_, up := costCase(t, 0.10)
	sp2 := up.Spend(f)
	want := (10*2000 + 4*5000) * 31 / 7.0 * pow(1.1, 61/365.25)
	if !near(sp2[1].Total, want, 1e-6) {
		t.Errorf("May with 10%% uplift %.4f pence; want %.4f", sp2[1].Total, want)
	}
	if u := cm.Unit(Fostering, "low", Age5to9); u.Basis != "category × need × age" || u.Weekly != 1000 {
		t.Errorf("unit fostering low 5–9 = %+v; want £10 from category × need × age", u)
	}
	if u := cm.Unit(Fostering, "low", Age16to17); u.Basis != "category × need" {
		t.Errorf("unit fostering low 16–17 basis %q; want the fallback category × need", u.Basis)
	}
}

// TestSufficiencyByHand: 10 fostered children and 8 fostering places: a gap
// of 2 and a fifth placed out of the region; 4 residential children and 6
// places: no gap, out-of-area stays at today's 25%.
func TestSufficiencyByHand(t *testing.T) {
	m, cm := costCase(t, 0)
	f, _ := m.Project(Options{Months: 3})
	rows := cm.SufficiencyByQuarter(f, [NumCategories]float64{Fostering: 8, Residential: 6}, [NumCategories]float64{Residential: 0.25})
	got := map[string]Sufficiency{}
	for _, r := range rows {
		got[r.Category.String()+"/"+r.NeedBand] = r
	}
	if r := got["Fostering/low"]; !near(r.Needed, 5, 1e-9) || r.Gap != 2 || !near(r.OutOfArea, 0.2, 1e-9) {
		t.Errorf("fostering low: %+v; want needed 5, gap 2, out of area 0.2", r)
	}
	if r := got["Residential/high"]; r.Needed != 4 || r.Gap != -2 || r.OutOfArea != 0.25 {
		t.Errorf("residential high: %+v; want needed 4, gap −2, out of area 0.25", r)
	}
}

// TestScenariosByHand:
//   - step down 50% of 4 candidates: 2 children from residential (£50) to
//     fostering (£20 at the fostering 5–9 need mix — the fallback for their
//     age band is the category's mix): April saves 2 × £30 × 30/7.
//   - 3 in-house carers: 3 × (agency £10 − in-house £30) = £60 a week more.
//   - 12 cases a year 2 weeks sooner at £100 a week: a month saves
//     1 case × 2 × £100 × (30/7 × 12/52.18).
//   - entrants +50% with 2 a month at baseline: one more a month.
func TestScenariosByHand(t *testing.T) {
	m, cm := costCase(t, 0)
	o := Options{Months: 1}
	r, err := RunScenario(m, cm, o, Scenario{Name: "step down", StepDownShare: 0.5, StepDownCandidates: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Months[0].Category[Residential]; !near(got, -2, 1e-9) || !near(r.Months[0].Children, 0, 1e-9) {
		t.Errorf("step down: residential %+.2f, all %+.2f; want −2, 0", got, r.Months[0].Children)
	}
	if want := -2 * 3000 * 30 / 7.0; !near(r.Pence, want, 1e-6) {
		t.Errorf("step down saves %.2f pence; want %.2f", r.Pence, want)
	}
	r, _ = RunScenario(m, cm, o, Scenario{Name: "carers", InHouseCarers: 3})
	if want := 3 * 2000 * 30 / 7.0; !near(r.Pence, want, 1e-6) {
		t.Errorf("carers cost %.2f pence; want %.2f", r.Pence, want)
	}
	r, _ = RunScenario(m, cm, o, Scenario{Name: "proceedings", ProceedingsWeeks: 2, ProceedingsPerYear: 12, DelayPencePerWeek: 10000})
	if want := -1 * 2 * 10000 * (30 / 7.0 * 12 / 52.18); !near(r.Pence, want, 1e-6) {
		t.Errorf("proceedings %.2f pence; want %.2f", r.Pence, want)
	}
	m.Entries[FirstEntry][5][Fostering] = 2 / StepDays * m.WindowDays() // 2 a month at age 5
	r, _ = RunScenario(m, cm, o, Scenario{Name: "entrants", EntrantChange: 0.5})
	if !near(r.Months[0].Children, 1, 1e-9) {
		t.Errorf("entrants +50%%: %+.3f children; want +1", r.Months[0].Children)
	}
	if _, err := RunScenario(m, cm, o, Scenario{Name: "", StepDownShare: 2}); err == nil {
		t.Error("a scenario with no name and a 200% step-down was accepted")
	}
}

func pow(a, b float64) float64 { return math.Pow(a, b) }

// TestSpendShortFirstMonth: as of 1 December the first month's spend is 30
// days' worth (2 to 31 December: the as-of day is the day the stock is
// counted, and its spend is on the record); as of 31 December the first
// month is January's 31 days. costCase's children cannot leave or change
// band in a month.
func TestSpendShortFirstMonth(t *testing.T) {
	for _, c := range []struct {
		asOf, first string
		days        float64
	}{{"2026-12-01", "2026-12-31", 30}, {"2026-12-31", "2027-01-31", 31}} {
		m, cm := costCase(t, 0)
		m.From, m.To = day(c.asOf).AddDate(-1, 0, 0), day(c.asOf)
		f, err := m.Project(Options{Months: 2})
		if err != nil {
			t.Fatal(err)
		}
		sp := cm.Spend(f)
		if !sp[0].Date.Equal(day(c.first)) {
			t.Errorf("as of %s: first month ends %s; want %s", c.asOf, sp[0].Date.Format(time.DateOnly), c.first)
		}
		if got, want := sp[0].Total, (10*2000+4*5000)*c.days/7; !near(got, want, 1e-6) {
			t.Errorf("as of %s: first month's spend %.4f pence; want %.4f (%g days)", c.asOf, got, want, c.days)
		}
	}
}
