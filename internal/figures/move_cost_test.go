package figures_test

import "github.com/hearthcare/hearth/internal/placements"

// withCost gives a move on the web form the new placement's weekly cost.
func withCost(m *placements.Move, weekly int64) {
	if weekly > 0 {
		m.Cost = &placements.Cost{Weekly: weekly, SocialCare: weekly}
	}
}
