package ssda903

import "time"

// Period is a care period or a legal-status run, derived from episodes.
type Period struct {
	StartedOn time.Time
	EndedOn   *time.Time
	Code      string // legal status, for legal-status runs
}

// DerivePeriods works out periods of care (episodes joined by X1 with no gap,
// as the DfE counts them) and legal-status runs from a child's episodes,
// ordered by start.
func DerivePeriods(eps []EpisodeLink) (care, legal []Period) {
	for i, e := range eps {
		joined := i > 0 && eps[i-1].EndedOn != nil && eps[i-1].EndedOn.Equal(e.StartedOn) && eps[i-1].REC == "X1"
		if !joined {
			care = append(care, Period{StartedOn: e.StartedOn})
		}
		if !joined || eps[i-1].LegalStatus != e.LegalStatus {
			legal = append(legal, Period{StartedOn: e.StartedOn, Code: e.LegalStatus})
		}
		care[len(care)-1].EndedOn, legal[len(legal)-1].EndedOn = e.EndedOn, e.EndedOn
	}
	return care, legal
}

// EpisodeLink is what period derivation needs of an episode.
type EpisodeLink struct {
	StartedOn   time.Time
	EndedOn     *time.Time
	REC         string
	LegalStatus string
}
