// Package placements owns where children live and what it costs: SSDA903
// episodes (the record), the placements and care periods derived from them,
// providers, and effective-dated weekly costs with who pays them.
package placements

import (
	"time"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// Links reads what period derivation needs from a child's episodes.
func Links(eps []db.Episode) []ssda903.EpisodeLink {
	out := make([]ssda903.EpisodeLink, len(eps))
	for i, e := range eps {
		out[i] = ssda903.EpisodeLink{StartedOn: e.StartedOn, EndedOn: e.EndedOn, REC: deref(e.Rec), LegalStatus: e.LegalStatus}
	}
	return out
}

// Placement is a run of episodes in one place with one provider: an episode
// starts a new placement unless it only changed the legal status. The
// placements view in schema/004 applies the same rule in SQL.
type Placement struct {
	StartedOn        time.Time          `json:"started_on"`
	EndedOn          *time.Time         `json:"ended_on"`
	Place            string             `json:"place"`
	PlaceLabel       string             `json:"place_label"`
	ProviderKind     string             `json:"provider_kind"`
	ProviderID       *int64             `json:"provider_id"`
	ProviderName     string             `json:"provider_name"`
	PostcodeDistrict string             `json:"postcode_district"`
	DistanceMiles    *float64           `json:"distance_miles"`
	OutOfArea        *bool              `json:"out_of_area"`
	ReasonEnded      string             `json:"reason_ended"`
	Episodes         []db.Episode       `json:"-"`
	Costs            []db.PlacementCost `json:"costs"`
	WeeklyPenceNow   int64              `json:"weekly_pence_now"` // cost on the as-of date, 0 if none
}

// Group turns a child's episodes (ordered by start) into placements.
func Group(eps []db.Episode) []Placement {
	var out []Placement
	for i, e := range eps {
		starts := i == 0 || e.Rne != "L" || eps[i-1].Place != e.Place || !eqInt(eps[i-1].ProviderID, e.ProviderID) ||
			eps[i-1].EndedOn == nil || !eps[i-1].EndedOn.Equal(e.StartedOn)
		if starts {
			out = append(out, Placement{StartedOn: e.StartedOn, Place: e.Place, PlaceLabel: ssda903.PlaceLabels[e.Place], ProviderKind: deref(e.PlaceProvider),
				ProviderID: e.ProviderID, PostcodeDistrict: district(deref(e.PlacementPostcode)), DistanceMiles: e.DistanceMiles, OutOfArea: e.OutOfArea})
		}
		p := &out[len(out)-1]
		p.EndedOn = e.EndedOn
		p.ReasonEnded = deref(e.ReasonPlaceChange)
		p.Episodes = append(p.Episodes, e)
	}
	return out
}

// On is the placement open on a day, or nil. A placement is open from its
// start to the day before its end: SSDA903 dates an episode's end (DEC) with
// the day the next one starts, or the child's first day out of care.
func On(ps []Placement, day time.Time) *Placement {
	for i := range ps {
		p := &ps[i]
		if !p.StartedOn.After(day) && (p.EndedOn == nil || p.EndedOn.After(day)) {
			return p
		}
	}
	return nil
}

// CostOn is the cost of a child on a day (design.md §9): the cost period in
// force that day (both its dates included) of the placement open that day,
// and nothing else; false when no placement is open or it has no cost then.
// The cost_spans view (schema/014) is the same rule in SQL.
func CostOn(ps []Placement, day time.Time) (db.PlacementCost, bool) {
	if p := On(ps, day); p != nil {
		return p.costOn(day)
	}
	return db.PlacementCost{}, false
}

// costOn is the placement's own cost period in force on a day.
func (p *Placement) costOn(day time.Time) (db.PlacementCost, bool) {
	for _, c := range p.Costs {
		if !c.EffectiveFrom.After(day) && (c.EffectiveTo == nil || !c.EffectiveTo.Before(day)) {
			return c, true
		}
	}
	return db.PlacementCost{}, false
}

// WithCosts groups a child's episodes into placements and hangs each cost
// period on the placement it names.
func WithCosts(eps []db.Episode, costs []db.PlacementCost) []Placement {
	ps := Group(eps)
	for i := range ps {
		for _, c := range costs {
			if c.PlacementStartedOn.Equal(ps[i].StartedOn) {
				ps[i].Costs = append(ps[i].Costs, c)
			}
		}
	}
	return ps
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func eqInt(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// district is a postcode's district; a district on its own is kept as it is.
func district(pc string) string {
	if d := ssda903.District(pc); d != "" {
		return d
	}
	if districtRE.MatchString(pc) {
		return pc
	}
	return ""
}
