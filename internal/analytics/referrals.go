package analytics

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// Figures from the Placements Data Standard's records (internal/pds): what
// the social worker preferred against the setting used, and what urgency
// costs. They count every record of the councils whose agreed placement
// started on or before the as-of date, Hearth's own and imported returns
// alike; the cohort filter does not apply (a record is a snapshot at
// referral, not a child in care on the date).

// MinUrgencyN is the fewest placements a median weekly cost is given for.
const MinUrgencyN = 5

// Referrals are the standard's figures.
type Referrals struct {
	N          int    `json:"n"`
	Definition string `json:"definition"`
	// PreferredVsActual counts records by each setting marked preferred
	// ("none" when none is) and the placement type used: a record with two
	// preferred settings counts under each.
	PreferredVsActual []SettingCount `json:"preferred_vs_actual"`
	// StepDown are the records where foster care was preferred and a
	// residential placement used: candidates to review for a step-down.
	StepDown    []ReferralChild `json:"foster_preferred_residential_used"`
	UrgencyCost []UrgencyCost   `json:"urgency_vs_cost"`
}

// SettingCount is one cell of preferred against actual.
type SettingCount struct {
	Preferred string `json:"preferred"`
	Actual    string `json:"actual"`
	N         int    `json:"n"`
}

// ReferralChild is a record in a list; ChildID is set for Hearth's own
// records (the page links to the child), nil for an imported return's.
type ReferralChild struct {
	Council       int32     `json:"council"`
	ChildID       *int64    `json:"child_id"`
	ChildRef      string    `json:"child_ref"`
	PlacementDate time.Time `json:"placement_date"`
	WeeklyPence   int64     `json:"weekly_pence"`
}

// UrgencyCost is the median weekly fee paid for placements needed by one
// urgency band; null with the reason when too few placements to say.
type UrgencyCost struct {
	Urgency    string   `json:"urgency"`
	N          int      `json:"n"`
	Median     *float64 `json:"median_weekly_pence"`
	MedianWhy  string   `json:"median_weekly_pence_reason,omitempty"`
	Definition string   `json:"definition"`
}

// Urgencies are the standard's bands, then records that do not say.
var Urgencies = []string{"today", "lt-5-days", "gt-5-days", "not stated"}

var settings = []string{"foster", "residential", "supported-accommodation"}

// ComputeReferrals works out the figures from the records.
func ComputeReferrals(rows []db.PdsForAnalyticsRow) Referrals {
	out := Referrals{N: len(rows), PreferredVsActual: []SettingCount{}, StepDown: []ReferralChild{}, UrgencyCost: []UrgencyCost{},
		Definition: "Placements Data Standard records whose agreed placement started on or before the date, in the councils shown"}
	cells := map[[2]string]int{}
	costs := map[string][]float64{}
	for _, r := range rows {
		pref := map[string]string{"foster": r.FosterSuitability, "residential": r.ResidentialSuitability, "supported-accommodation": r.SupportedSuitability}
		any := false
		for _, s := range settings {
			if pref[s] == "preferred" {
				cells[[2]string{s, r.PlacementType}]++
				any = true
			}
		}
		if !any {
			cells[[2]string{"none", r.PlacementType}]++
		}
		if r.FosterSuitability == "preferred" && r.PlacementType == "residential" {
			out.StepDown = append(out.StepDown, ReferralChild{Council: r.LaID, ChildID: r.ChildID, ChildRef: r.ChildRef,
				PlacementDate: r.PlacementDate, WeeklyPence: r.CostTotalPence})
		}
		u := "not stated"
		if r.NeededBy != nil {
			u = *r.NeededBy
		}
		costs[u] = append(costs[u], float64(r.CostTotalPence))
	}
	for _, p := range append(slices.Clone(settings), "none") {
		for _, a := range settings {
			if n := cells[[2]string{p, a}]; n > 0 {
				out.PreferredVsActual = append(out.PreferredVsActual, SettingCount{p, a, n})
			}
		}
	}
	for _, u := range Urgencies {
		c := costs[u]
		uc := UrgencyCost{Urgency: u, N: len(c), Definition: "median total weekly fee paid (excluding VAT, pence) of placements needed by this urgency, interpolated as percentile_cont(0.5)"}
		if len(c) < MinUrgencyN {
			uc.MedianWhy = fmt.Sprintf("fewer than %d placements (%d)", MinUrgencyN, len(c))
		} else {
			m := medianOf(c)
			uc.Median = &m
		}
		out.UrgencyCost = append(out.UrgencyCost, uc)
	}
	return out
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// referrals reads the standard's records for the councils and works out their figures.
func referrals(ctx context.Context, q *db.Queries, las []int32, asOf time.Time) (*Referrals, error) {
	rows, err := q.PdsForAnalytics(ctx, db.PdsForAnalyticsParams{LaIds: las, AsOf: asOf})
	if err != nil {
		return nil, fmt.Errorf("placements data standard figures: %w", err)
	}
	r := ComputeReferrals(rows)
	return &r, nil
}

// MedianPounds is the median in pounds, for pages; 0 when there is none.
func (u UrgencyCost) MedianPounds() float64 {
	if u.Median == nil {
		return 0
	}
	return *u.Median / 100
}
