package children

import (
	"context"
	"slices"
	"strings"

	"github.com/hearthcare/hearth/internal/db"
)

// MaxWorkerOptions is the most social workers the allocation form offers at
// once. A council of 2,510 workers made the page 181 KB of <option>s; the
// manager narrows by team or name instead (a plain GET form, no script).
const MaxWorkerOptions = 100

// WorkerFilter narrows the allocation form's list of social workers.
type WorkerFilter struct {
	Team string // "" for the manager's own team, "*" for every team
	Find string // part of a name, any case
	Keep int64  // a worker to list whatever the filter (the one chosen in a post)
}

// WorkerList is the part of a council's social workers the form shows.
type WorkerList struct {
	Workers []db.AllocationChoicesRow
	Teams   []string // every team with a social worker, for the team filter
	Team    string   // the team shown, "*" for all
	Find    string
	Matched int // how many match the filter; Workers holds at most MaxWorkerOptions of them
}

// More reports whether some workers matching the filter are not listed.
func (l WorkerList) More() bool { return l.Matched > len(l.Workers) }

// ListWorkers narrows the choices. With no team asked for it shows the
// caller's own team when that team has social workers in the council, else
// every team.
func (s *Service) ListWorkers(ctx context.Context, userID int64, c Choices, f WorkerFilter) (WorkerList, error) {
	l := WorkerList{Team: f.Team, Find: strings.TrimSpace(f.Find)}
	for _, w := range c.Workers {
		if w.Team != "" && !slices.Contains(l.Teams, w.Team) {
			l.Teams = append(l.Teams, w.Team)
		}
	}
	slices.Sort(l.Teams)
	if l.Team == "" {
		u, err := db.New(s.pool).UserGet(ctx, userID)
		if err != nil {
			return l, err
		}
		l.Team = "*"
		if slices.Contains(l.Teams, u.Team) {
			l.Team = u.Team
		}
	}
	find := strings.ToLower(l.Find)
	for _, w := range c.Workers {
		match := (l.Team == "*" || w.Team == l.Team) && (find == "" || strings.Contains(strings.ToLower(w.DisplayName), find))
		if match {
			l.Matched++
		}
		if (match && len(l.Workers) < MaxWorkerOptions) || (!match && w.UserID == f.Keep) {
			l.Workers = append(l.Workers, w)
		} else if match && w.UserID == f.Keep {
			l.Workers = append(l.Workers, w) // past the cap, but chosen
		}
	}
	return l, nil
}
