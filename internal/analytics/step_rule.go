package analytics

import (
	"context"

	"github.com/hearthcare/hearth/internal/db"
)

// StepDownRule is a council's step-down rule as its settings form shows it;
// a council with none set has an empty rule.
func (s *Service) StepDownRule(ctx context.Context, la int32) (StepRule, error) {
	rules, err := Rules(ctx, db.New(s.pool), []int32{la})
	if err != nil {
		return StepRule{}, err
	}
	return rules[la], nil
}
