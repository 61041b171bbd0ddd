// Package proceedings owns care proceedings (cases, the children in them,
// hearings and expert assessments), the delay figures the family courts and
// councils watch, and the cost-of-delay model of docs/delay-model.md.
package proceedings

import (
	"math"
	"sort"
	"time"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/placements"
)

// Params are a council's cost-of-delay parameters. Money is in pence.
type Params struct {
	TargetWeeks           int     `json:"target_weeks"`
	StandardHearings      float64 `json:"standard_hearings"`
	LegalPencePerHearing  int64   `json:"legal_pence_per_hearing"`
	SWHoursPerWeek        float64 `json:"sw_hours_per_week"`
	SWPencePerHour        int64   `json:"sw_pence_per_hour"`
	ContactHoursPerWeek   float64 `json:"contact_hours_per_week"` // per child
	ContactPencePerHour   int64   `json:"contact_pence_per_hour"`
	PlacementPencePerWeek int64   `json:"placement_pence_per_week"` // per child, when their own cost is not known
}

// National are the defaults when a council has set none; docs/delay-model.md
// gives each one's source.
var National = Params{TargetWeeks: 26, StandardHearings: 3, LegalPencePerHearing: 1500_00, SWHoursPerWeek: 2, SWPencePerHour: 50_00,
	ContactHoursPerWeek: 3, ContactPencePerHour: 40_00, PlacementPencePerWeek: 1000_00}

// Case is a proceeding as the model needs it.
type Case struct {
	ID               int64       `json:"proceeding_id"`
	LAID             int32       `json:"la_id"`
	CaseNumber       string      `json:"case_number"`
	PreProceedingsOn *time.Time  `json:"pre_proceedings_on"`
	IssuedOn         time.Time   `json:"issued_on"`
	ConcludedOn      *time.Time  `json:"concluded_on"`
	FinalOrder       string      `json:"final_order"`
	Children         []CaseChild `json:"children"`
	Hearings         []Hearing   `json:"hearings"`
	Experts          []Expert    `json:"experts"`
}

// CaseChild is a child in a case with their placements and the costs hung
// on them. With none recorded, the default placement cost applies throughout.
type CaseChild struct {
	ChildID    int64                  `json:"child_id"`
	ChildRef   string                 `json:"child_ref"`
	Placements []placements.Placement `json:"-"`
}

// CostPeriod is a weekly placement cost over inclusive dates, for building a
// CaseChild by hand.
type CostPeriod struct {
	From, To    time.Time // To is the zero time when open-ended
	WeeklyPence int64
}

// InPlacement is a CaseChild in one placement from a date (open-ended) with
// these costs: a convenience for examples and tests.
func InPlacement(id int64, from time.Time, costs ...CostPeriod) CaseChild {
	p := placements.Placement{StartedOn: from}
	for _, c := range costs {
		pc := db.PlacementCost{PlacementStartedOn: from, EffectiveFrom: c.From, WeeklyPence: c.WeeklyPence}
		if !c.To.IsZero() {
			pc.EffectiveTo = &c.To
		}
		p.Costs = append(p.Costs, pc)
	}
	return CaseChild{ChildID: id, Placements: []placements.Placement{p}}
}

// Hearing is one listed hearing.
type Hearing struct {
	On      time.Time `json:"held_on"`
	Kind    string    `json:"kind"`    // cmh, fcmh, irh, final, other
	Outcome string    `json:"outcome"` // effective, adjourned, vacated
}

// Expert is an expert assessment and its cost.
type Expert struct {
	Kind      string `json:"kind"`
	CostPence int64  `json:"cost_pence"`
}

// Breakdown is a case's delay and its cost, every component shown.
type Breakdown struct {
	Weeks            float64 `json:"weeks"` // issue to conclusion, or to the as-of date while open
	Open             bool    `json:"open"`
	TargetWeeks      int     `json:"target_weeks"`
	WeeksOver        float64 `json:"weeks_over"`
	PlacementWeekly  int64   `json:"placement_weekly_pence"`
	ActualPlacement  int     `json:"children_with_actual_cost"` // how many children's own costs were used
	Children         int     `json:"children"`
	SocialWorkWeekly int64   `json:"social_work_weekly_pence"`
	ContactWeekly    int64   `json:"contact_weekly_pence"`
	WeeklyCost       int64   `json:"weekly_cost_pence"`
	DelayWeeksCost   int64   `json:"delay_weeks_cost_pence"`
	Hearings         int     `json:"hearings"`         // listed
	CountedHearings  float64 `json:"counted_hearings"` // effective or adjourned: the ones that cost
	FCMHs            int     `json:"fcmhs"`
	Adjourned        int     `json:"adjourned"`
	ExtraHearings    float64 `json:"extra_hearings"`
	StandardHearings float64 `json:"standard_hearings"`
	PerHearing       int64   `json:"legal_pence_per_hearing"`
	HearingCost      int64   `json:"hearing_cost_pence"`
	ExpertCost       int64   `json:"expert_cost_pence"`
	Total            int64   `json:"total_pence"`
	OneWeekSaving    int64   `json:"one_week_saving_pence"`
	PreProceedingsWk float64 `json:"pre_proceedings_weeks"`
}

// weeks between two dates, as a fraction.
func weeks(from, to time.Time) float64 { return to.Sub(from).Hours() / 24 / 7 }

func pence(x float64) int64 { return int64(math.Round(x)) }

// Cost works out a case's delay cost as of a date (for open cases).
//
// cost of delay = weeks over target × weekly cost of the case
//   - extra hearings × legal cost per hearing
//   - expert assessments
//
// The weekly cost is each child's actual placement cost averaged over the
// weeks over target (or the parameter when Hearth has none), plus social-work
// time for the case and supervised contact for each child.
func Cost(c Case, p Params, asOf time.Time) Breakdown {
	end := asOf
	b := Breakdown{Open: c.ConcludedOn == nil, TargetWeeks: p.TargetWeeks, Children: len(c.Children)}
	if c.ConcludedOn != nil {
		end = *c.ConcludedOn
	}
	b.Weeks = weeks(c.IssuedOn, end)
	b.WeeksOver = math.Max(0, b.Weeks-float64(p.TargetWeeks))
	if c.PreProceedingsOn != nil {
		b.PreProceedingsWk = weeks(*c.PreProceedingsOn, c.IssuedOn)
	}
	from := c.IssuedOn
	if b.WeeksOver > 0 {
		from = c.IssuedOn.AddDate(0, 0, 7*p.TargetWeeks) // the weeks over target
	}
	for _, ch := range c.Children {
		w, actual := averageWeekly(ch.Placements, from, end, p.PlacementPencePerWeek)
		b.PlacementWeekly += w
		if actual {
			b.ActualPlacement++
		}
	}
	b.SocialWorkWeekly = pence(p.SWHoursPerWeek * float64(p.SWPencePerHour))
	b.ContactWeekly = pence(p.ContactHoursPerWeek * float64(p.ContactPencePerHour) * float64(len(c.Children)))
	b.WeeklyCost = b.PlacementWeekly + b.SocialWorkWeekly + b.ContactWeekly
	b.DelayWeeksCost = pence(b.WeeksOver * float64(b.WeeklyCost))
	for _, h := range c.Hearings {
		if h.Outcome == Listed {
			continue // not yet held, or its outcome not yet recorded
		}
		b.Hearings++
		if h.Outcome != "vacated" {
			b.CountedHearings++
		}
		if h.Kind == "fcmh" {
			b.FCMHs++
		}
		if h.Outcome == "adjourned" {
			b.Adjourned++
		}
	}
	b.StandardHearings, b.PerHearing = p.StandardHearings, p.LegalPencePerHearing
	b.ExtraHearings = math.Max(0, b.CountedHearings-p.StandardHearings)
	b.HearingCost = pence(b.ExtraHearings * float64(p.LegalPencePerHearing))
	for _, e := range c.Experts {
		b.ExpertCost += e.CostPence
	}
	b.Total = b.DelayWeeksCost + b.HearingCost + b.ExpertCost
	b.OneWeekSaving = pence(math.Min(1, b.WeeksOver) * float64(b.WeeklyCost))
	return b
}

// averageWeekly is a child's placement cost a week averaged by day over
// [from, to): each day costs what placements.CostOn gives (the cost of the
// placement open that day), the default when that placement has no cost
// recorded for the day or Hearth holds no placement for the child at all, and
// nothing on days the child was not looked after. actual reports whether any
// day had a recorded cost. An empty range costs the default.
func averageWeekly(ps []placements.Placement, from, to time.Time, def int64) (int64, bool) {
	if !to.After(from) || len(ps) == 0 {
		return def, false
	}
	var days, sum float64
	actual := false
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		days++
		if c, ok := placements.CostOn(ps, d); ok {
			sum += float64(c.WeeklyPence)
			actual = true
		} else if placements.On(ps, d) != nil {
			sum += float64(def)
		}
	}
	return pence(sum / days), actual
}

// Summary is delay across cases.
type Summary struct {
	Cases          int     `json:"cases"`
	Concluded      int     `json:"concluded"`
	Open           int     `json:"open"`
	MeanWeeks      float64 `json:"mean_weeks"`
	MedianWeeks    float64 `json:"median_weeks"`
	WithinTarget   int     `json:"within_target"` // of concluded cases
	WithinShare    float64 `json:"within_target_share"`
	HearingsPer    float64 `json:"hearings_per_case"`
	FCMHsPer       float64 `json:"fcmhs_per_case"`
	AdjournedPer   float64 `json:"adjournments_per_case"`
	MeanPreWeeks   float64 `json:"mean_pre_proceedings_weeks"`
	PreN           int     `json:"pre_proceedings_n"`
	Total          int64   `json:"total_pence"`
	OneWeekBenefit int64   `json:"one_week_benefit_pence"`
}

// Summarise adds up breakdowns; duration figures use every case (open ones to
// the as-of date); the within-target share uses concluded cases.
func Summarise(bs []Breakdown) Summary {
	s := Summary{Cases: len(bs)}
	if len(bs) == 0 {
		return s
	}
	var ws []float64
	var sum, hearings, fcmhs, adj, pre float64
	for _, b := range bs {
		ws = append(ws, b.Weeks)
		sum += b.Weeks
		hearings += float64(b.Hearings)
		fcmhs += float64(b.FCMHs)
		adj += float64(b.Adjourned)
		if b.PreProceedingsWk > 0 {
			pre += b.PreProceedingsWk
			s.PreN++
		}
		if b.Open {
			s.Open++
		} else {
			s.Concluded++
			if b.Weeks <= float64(b.TargetWeeks) {
				s.WithinTarget++
			}
		}
		s.Total += b.Total
		s.OneWeekBenefit += b.OneWeekSaving
	}
	n := float64(len(bs))
	s.MeanWeeks, s.HearingsPer, s.FCMHsPer, s.AdjournedPer = sum/n, hearings/n, fcmhs/n, adj/n
	sort.Float64s(ws)
	if len(ws)%2 == 1 {
		s.MedianWeeks = ws[len(ws)/2]
	} else {
		s.MedianWeeks = (ws[len(ws)/2-1] + ws[len(ws)/2]) / 2
	}
	if s.Concluded > 0 {
		s.WithinShare = float64(s.WithinTarget) / float64(s.Concluded)
	}
	if s.PreN > 0 {
		s.MeanPreWeeks = pre / float64(s.PreN)
	}
	return s
}

// IfAverageWere is the total cost of delay if every case's duration were
// scaled so the mean became weeks, each at its own weekly cost.
func IfAverageWere(bs []Breakdown, weeks float64) int64 {
	s := Summarise(bs)
	if s.MeanWeeks == 0 {
		return 0
	}
	f := weeks / s.MeanWeeks
	var total int64
	for _, b := range bs {
		over := math.Max(0, b.Weeks*f-float64(b.TargetWeeks))
		total += pence(over*float64(b.WeeklyCost)) + b.HearingCost + b.ExpertCost
	}
	return total
}

// IfFCMHsFell is the total cost of delay if each case had a share fewer of its
// listed further case management hearings (0.5 = half as many).
func IfFCMHsFell(bs []Breakdown, share float64) int64 {
	var total int64
	for _, b := range bs {
		extra := math.Max(0, b.CountedHearings-float64(b.FCMHs)*share-b.StandardHearings)
		total += b.DelayWeeksCost + pence(extra*float64(b.PerHearing)) + b.ExpertCost
	}
	return total
}
