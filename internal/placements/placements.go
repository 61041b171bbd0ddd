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

// CostOn is the weekly cost in force on a day, in pence, if any.
func CostOn(costs []db.PlacementCost, day time.Time) (db.PlacementCost, bool) {
	for _, c := range costs {
		if !c.EffectiveFrom.After(day) && (c.EffectiveTo == nil || !c.EffectiveTo.Before(day)) {
			return c, true
		}
	}
	return db.PlacementCost{}, false
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
