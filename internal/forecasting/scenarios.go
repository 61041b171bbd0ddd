package forecasting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Saved is a saved scenario and what it does against the baseline.
type Saved struct {
	ID      int64                    `json:"scenario_id"`
	Version int32                    `json:"version"`
	Updated time.Time                `json:"updated_at"`
	Result  *forecast.ScenarioResult `json:"result"`
}

// ErrConflict reports a scenario changed by someone else since it was read.
var ErrConflict = fmt.Errorf("%w: the scenario was changed by someone else; reload it", children.ErrConflict)

// ErrDuplicate reports a scenario name already used in the council.
var ErrDuplicate = valid.Errorf("name", "the council already has a scenario with this name")

func (s *Service) allowed(ctx context.Context, userID int64, la int32, act authz.Action, verb string) error {
	if s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Forecast, act) {
		return nil
	}
	if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: verb, Entity: "forecast_scenario", Outcome: audit.Denied}); err != nil {
		return err
	}
	return children.ErrForbidden
}

// SaveScenario saves a new scenario (id 0) or changes one at the version the
// user read. Step-down candidates are the council's on the day it runs, so
// the saved lever is the share, not a head count.
func (s *Service) SaveScenario(ctx context.Context, userID int64, la int32, id int64, version int32, sc forecast.Scenario) (int64, error) {
	if err := s.allowed(ctx, userID, la, authz.Write, "save"); err != nil {
		return 0, err
	}
	sc.StepDownCandidates = 0
	if err := sc.Check(); err != nil {
		return 0, valid.Errorf("scenario", "%s", err.Error())
	}
	raw, err := json.Marshal(sc)
	if err != nil {
		return 0, err
	}
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	q := db.New(s.pool)
	var row db.ForecastScenario
	if id == 0 {
		row, err = q.ForecastScenarioInsert(ctx, db.ForecastScenarioInsertParams{LaID: la, Name: sc.Name, Params: raw, UserID: &userID})
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, ErrDuplicate
		}
	} else {
		row, err = q.ForecastScenarioUpdate(ctx, db.ForecastScenarioUpdateParams{LaID: la, ScenarioID: id, Version: version, Name: sc.Name, Params: raw, UserID: &userID})
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, ErrConflict
		}
	}
	if err != nil {
		return 0, fmt.Errorf("save scenario %q: %w", sc.Name, err)
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "save", Entity: "forecast_scenario", EntityID: fmt.Sprint(row.ScenarioID),
		Detail: map[string]any{"name": sc.Name, "version": row.Version}})
	return row.ScenarioID, err
}

// Scenarios works out every saved scenario of the council against the
// baseline of res (a forecast the user was allowed to see).
func (s *Service) Scenarios(ctx context.Context, userID int64, res *Result) ([]Saved, error) {
	if err := s.allowed(ctx, userID, res.LAID, authz.Read, "view"); err != nil {
		return nil, err
	}
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(res.LAID))
	rows, err := db.New(s.pool).ForecastScenarioList(ctx, res.LAID)
	if err != nil {
		return nil, fmt.Errorf("scenarios of council %d: %w", res.LAID, err)
	}
	if res.Costs == nil || len(rows) == 0 {
		return nil, nil
	}
	out := make([]Saved, 0, len(rows))
	for _, r := range rows {
		var sc forecast.Scenario
		if err := json.Unmarshal(r.Params, &sc); err != nil {
			return nil, fmt.Errorf("scenario %d: %w", r.ScenarioID, err)
		}
		sc.Name = r.Name
		sc.StepDownCandidates = float64(res.StepDownCandidates)
		sr, err := forecast.RunScenario(res.Model, res.Costs, forecast.Options{Months: res.Params.Months}, sc)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", r.Name, err)
		}
		out = append(out, Saved{ID: r.ScenarioID, Version: r.Version, Updated: r.UpdatedAt, Result: sr})
	}
	return out, nil
}
