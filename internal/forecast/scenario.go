package forecast

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Scenario is a change on one of Hearth's levers, costed against the
// baseline. Zero values leave a lever alone.
type Scenario struct {
	Name string `json:"name"`
	// StepDownShare of the StepDownCandidates in residential care move to
	// family-based (fostering) care at the as-of date (0.25 for 25%).
	StepDownShare      float64 `json:"step_down_share"`
	StepDownCandidates float64 `json:"step_down_candidates"`
	// ProceedingsWeeks shorter proceedings for ProceedingsPerYear cases a
	// year, each week saving DelayPencePerWeek (the delay model's cost of a
	// week over target, per case).
	ProceedingsWeeks   float64 `json:"proceedings_weeks"`
	ProceedingsPerYear float64 `json:"proceedings_per_year"`
	DelayPencePerWeek  float64 `json:"delay_pence_per_week"`
	// InHouseCarers new in-house foster carers, each taking a child who
	// would otherwise be with an agency (IFA) carer.
	InHouseCarers float64 `json:"in_house_carers"`
	// EntrantChange scales entrants (+0.1 is 10% more).
	EntrantChange float64 `json:"entrant_change"`
}

// Check says what is wrong with a scenario's parameters.
func (s Scenario) Check() error {
	var p []string
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if s.Name == "" || len(s.Name) > 100 {
		p = append(p, "name: give a name of 1 to 100 characters")
	}
	if bad(s.StepDownShare) || s.StepDownShare < 0 || s.StepDownShare > 1 {
		p = append(p, fmt.Sprintf("step-down share: %g; want 0 to 1", s.StepDownShare))
	}
	if bad(s.StepDownCandidates) || s.StepDownCandidates < 0 {
		p = append(p, fmt.Sprintf("step-down candidates: %g; want 0 or more", s.StepDownCandidates))
	}
	if bad(s.ProceedingsWeeks) || s.ProceedingsWeeks < 0 || s.ProceedingsWeeks > 52 {
		p = append(p, fmt.Sprintf("proceedings weeks: %g; want 0 to 52", s.ProceedingsWeeks))
	}
	if bad(s.ProceedingsPerYear) || s.ProceedingsPerYear < 0 || bad(s.DelayPencePerWeek) || s.DelayPencePerWeek < 0 {
		p = append(p, "proceedings a year and cost a week must be 0 or more")
	}
	if bad(s.InHouseCarers) || s.InHouseCarers < 0 || s.InHouseCarers > 10000 {
		p = append(p, fmt.Sprintf("in-house carers: %g; want 0 to 10000", s.InHouseCarers))
	}
	if bad(s.EntrantChange) || s.EntrantChange < -1 || s.EntrantChange > 10 {
		p = append(p, fmt.Sprintf("entrant change: %g; want −1 to +10", s.EntrantChange))
	}
	if len(p) > 0 {
		return fmt.Errorf("%w: scenario %q: %v", ErrOptions, s.Name, p)
	}
	return nil
}

// ScenarioMonth is a month's difference from the baseline.
type ScenarioMonth struct {
	Date     time.Time
	Children float64
	Category [NumCategories]float64
	Pence    float64
}

// ScenarioResult is a scenario's deltas against the baseline; the totals are
// over the whole horizon.
type ScenarioResult struct {
	Scenario      Scenario
	Months        []ScenarioMonth
	ChildrenAtEnd float64
	Pence         float64
	// Notes say what a lever does and does not move.
	Notes []string
}

// RunScenario compares a scenario with the baseline on the expected-value
// projection (a difference of two simulations would carry their noise).
func RunScenario(m *Model, cm *CostModel, o Options, sc Scenario) (*ScenarioResult, error) {
	if err := sc.Check(); err != nil {
		return nil, err
	}
	base, err := m.Project(o)
	if err != nil {
		return nil, err
	}
	alt := *m
	alt.Start = slices.Clone(m.Start)
	res := &ScenarioResult{Scenario: sc}
	if k := sc.StepDownShare * sc.StepDownCandidates; k > 0 {
		var inRes float64
		for am := range LeaveMonths {
			inRes += alt.Start[am*NumCategories+int(Residential)]
		}
		k = math.Min(k, inRes)
		for am := range LeaveMonths {
			i := am * NumCategories
			mv := alt.Start[i+int(Residential)] / inRes * k
			alt.Start[i+int(Residential)] -= mv
			alt.Start[i+int(Fostering)] += mv
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%.1f children step down from residential to fostering on %s, spread over ages as residential children are; afterwards they move as fostered children do", k, m.To.Format(time.DateOnly)))
	}
	ao := o
	ao.EntrantChange = sc.EntrantChange
	alt2, err := alt.Project(ao)
	if err != nil {
		return nil, err
	}
	bs, as := cm.Spend(base), cm.Spend(alt2)
	agency, okA := cm.GroupUnit("Agency foster care")
	inHouse, okI := cm.GroupUnit("In-house foster care")
	if sc.InHouseCarers > 0 {
		if okA && okI {
			res.Notes = append(res.Notes, fmt.Sprintf("%g children move from agency carers (£%.0f a week) to new in-house carers (£%.0f a week); the number in care does not change", sc.InHouseCarers, agency.Weekly/100, inHouse.Weekly/100))
		} else {
			res.Notes = append(res.Notes, "no recorded costs for both agency and in-house foster care: the in-house carers lever is not costed")
		}
	}
	if sc.ProceedingsWeeks > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%g cases a year finish %g weeks sooner at £%.0f a week of delay; the demand model's flows are not changed", sc.ProceedingsPerYear, sc.ProceedingsWeeks, sc.DelayPencePerWeek/100))
	}
	prev := m.To
	for i := range base.Months {
		d := base.Months[i].Date
		weeks := d.Sub(prev).Hours() / 24 / 7
		prev = d
		price := math.Pow(1+cm.Uplift, d.Sub(m.To).Hours()/24/365.25)
		sm := ScenarioMonth{Date: d, Children: alt2.Months[i].Total.Mean - base.Months[i].Total.Mean, Pence: as[i].Total - bs[i].Total}
		for c := range NumCategories {
			sm.Category[c] = alt2.Months[i].Category[c].Mean - base.Months[i].Category[c].Mean
		}
		if sc.InHouseCarers > 0 && okA && okI {
			sm.Pence -= sc.InHouseCarers * (agency.Weekly - inHouse.Weekly) * weeks * price
		}
		sm.Pence -= sc.ProceedingsPerYear / 12 * sc.ProceedingsWeeks * sc.DelayPencePerWeek * price * (weeks * 12 / 52.18)
		res.Months = append(res.Months, sm)
		res.Pence += sm.Pence
	}
	if n := len(res.Months); n > 0 {
		res.ChildrenAtEnd = res.Months[n-1].Children
	}
	return res, nil
}
