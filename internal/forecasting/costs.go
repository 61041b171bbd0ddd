package forecasting

import (
	"context"
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
)

// councilCosts is what a council's forecast prices and sizes its demand
// with, read inside the council's scope: its children in care on the as-of
// date, the weekly cost of each costed child under 18 (and who pays it), the
// children in care in and out of its area by category, and its step-down
// candidates. The council forecast uses it directly; the regional forecast
// shares only its sums (regional.go).
type councilCosts struct {
	kids       []analytics.Child
	samples    []forecast.CostSample
	sampleKids []analytics.Child // the child of each sample
	inArea     [forecast.NumCategories]float64
	all        [forecast.NumCategories]float64
	candidates []analytics.Candidate
}

func readCouncilCosts(ctx context.Context, q *db.Queries, la int32, name string, asOf time.Time) (*councilCosts, error) {
	kids, err := analytics.Snapshot(ctx, q, []int32{la}, asOf)
	if err != nil {
		return nil, fmt.Errorf("forecast %s: children in care: %w", name, err)
	}
	rules, err := analytics.Rules(ctx, q, []int32{la})
	if err != nil {
		return nil, err
	}
	cohort := analytics.Compute(kids, analytics.Filter{}, asOf, 12, rules)
	splits, err := q.ForecastCostSplit(ctx, db.ForecastCostSplitParams{LaID: la, AsOf: asOf})
	if err != nil {
		return nil, fmt.Errorf("forecast %s: who pays: %w", name, err)
	}
	split := make(map[int64]db.ForecastCostSplitRow, len(splits))
	for _, sp := range splits {
		split[sp.ChildID] = sp
	}
	out := &councilCosts{kids: kids, candidates: cohort.StepDown.Candidates}
	for _, k := range kids {
		c := forecast.CategoryOf(k.Place)
		out.all[c]++
		if !k.OutOfArea {
			out.inArea[c]++
		}
		if !k.HasCost() || k.Age >= 18 {
			continue
		}
		cs := forecast.CostSample{Category: c, Group: k.Group, NeedBand: k.Band, Band: bandOfAge(k.Age), Weekly: k.WeeklyPence, SocialCare: k.WeeklyPence}
		if sp, ok := split[k.ChildID]; ok && sp.WeeklyPence == k.WeeklyPence {
			cs.SocialCare, cs.Education, cs.Health = sp.SocialCarePence, sp.EducationPence, sp.HealthPence
		}
		out.samples = append(out.samples, cs)
		out.sampleKids = append(out.sampleKids, k)
	}
	return out, nil
}

// outOfAreaShare is today's share of each category's children placed
// outside the council's area.
func (cc *councilCosts) outOfAreaShare() (s [forecast.NumCategories]float64) {
	for c := range forecast.NumCategories {
		if cc.all[c] > 0 {
			s[c] = 1 - cc.inArea[c]/cc.all[c]
		}
	}
	return s
}
