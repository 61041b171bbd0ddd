// Package forecasting runs internal/forecast on a council's own records: it
// loads the history of episodes and the weekly costs of the children in care
// (through the database, scoped to the council by row-level security as
// every read is), decides who may see a forecast, audits each view and
// refusal against the council, and labels every figure with its population,
// reference window, as-of date and parameters. The model itself stays a pure
// function in internal/forecast.
package forecasting

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/postgres"
)

// Params are a council forecast's parameters.
type Params struct {
	AsOf         time.Time `json:"as_of"`
	Months       int       `json:"months"`
	Paths        int       `json:"paths"`
	Seed         uint64    `json:"seed"`
	WindowMonths int       `json:"window_months"`
	Uplift       float64   `json:"uplift"`
}

// Defaults are the parameters when none are given: three years ahead, 1,000
// paths, a 36-month reference window (the window the synthetic backtests
// scored best on: long enough to steady small categories' rates), 3% uplift.
func Defaults(asOf time.Time) Params {
	return Params{AsOf: asOf, Months: 36, Paths: forecast.MinPaths, Seed: 1, WindowMonths: 36, Uplift: 0.03}
}

// Check says what is wrong with the parameters.
func (p Params) Check() error {
	var errs []error
	if p.AsOf.IsZero() {
		errs = append(errs, errors.New("as-of date: missing"))
	}
	if p.Months < 1 || p.Months > 60 {
		errs = append(errs, fmt.Errorf("months: %d; want 1 to 60", p.Months))
	}
	if p.Paths < forecast.MinPaths || p.Paths > 10000 {
		errs = append(errs, fmt.Errorf("paths: %d; want %d to 10000", p.Paths, forecast.MinPaths))
	}
	if p.WindowMonths < 3 || p.WindowMonths > 60 {
		errs = append(errs, fmt.Errorf("window: %d months; want 3 to 60", p.WindowMonths))
	}
	if math.IsNaN(p.Uplift) || p.Uplift < -0.5 || p.Uplift > 1 {
		errs = append(errs, fmt.Errorf("uplift: %g; want −0.5 to 1", p.Uplift))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", forecast.ErrOptions, errors.Join(errs...))
	}
	return nil
}

// Result is a council's forecast with everything a reader needs to judge it.
type Result struct {
	LAID    int32  `json:"la_id"`
	Council string `json:"council"`
	Params  Params `json:"params"`
	// Population says who is counted.
	Population  string                 `json:"population"`
	WindowFrom  time.Time              `json:"window_from"`
	WindowTo    time.Time              `json:"window_to"`
	Forecast    *forecast.Forecast     `json:"forecast"`
	Compat      *forecast.Forecast     `json:"compat"`
	Spend       []forecast.CostMonth   `json:"spend"`
	Sufficiency []forecast.Sufficiency `json:"sufficiency"`
	// CostedChildren had a weekly cost recorded on the as-of date.
	CostedChildren     int                 `json:"costed_children"`
	StepDownCandidates int                 `json:"step_down_candidates"`
	Model              *forecast.Model     `json:"-"`
	Needs              *forecast.NeedModel `json:"-"`
	Costs              *forecast.CostModel `json:"-"`
	History            []forecast.Episode  `json:"-"`
}

// ErrNoHistory reports a council with no children in care to forecast from.
var ErrNoHistory = errors.New("no episodes of care recorded before the as-of date")

// History reads a council's episodes up to asOf for the model.
func History(ctx context.Context, q *db.Queries, la int32, asOf time.Time) ([]forecast.Episode, error) {
	rows, err := q.ForecastEpisodes(ctx, db.ForecastEpisodesParams{LaID: la, AsOf: asOf})
	if err != nil {
		return nil, fmt.Errorf("forecast history of council %d: %w", la, err)
	}
	out := make([]forecast.Episode, len(rows))
	for i, r := range rows {
		e := forecast.Episode{Child: strconv.FormatInt(r.ChildID, 10), DOB: r.DateOfBirth, Start: r.StartedOn, Place: r.Place}
		if r.EndedOn != nil {
			e.End = *r.EndedOn
		}
		if r.PlaceProvider != nil {
			e.Provider = *r.PlaceProvider
		}
		if r.Rec != nil {
			e.Reason = *r.Rec
		}
		out[i] = e
	}
	return out, nil
}

// NeedHistory reads each child's need band changes up to asOf for the
// need-band model: the band (by the default instrument's rules) of the
// latest approved assessment on or before each assessment date, where an
// approved correction supersedes what it corrects from its own date. It also
// returns the instrument's bands, in its order.
func NeedHistory(ctx context.Context, q *db.Queries, la int32, asOf time.Time) (forecast.NeedHistory, []string, error) {
	row, err := q.InstrumentGetByCode(ctx, needs.DefaultInstrument)
	if err != nil {
		return nil, nil, fmt.Errorf("forecast needs of council %d: instrument: %w", la, err)
	}
	in, err := needs.LoadInstrument(ctx, q, row.InstrumentID)
	if err != nil {
		return nil, nil, fmt.Errorf("forecast needs of council %d: instrument: %w", la, err)
	}
	rows, err := q.ForecastNeedAssessments(ctx, db.ForecastNeedAssessmentsParams{LaID: la, AsOf: asOf, InstrumentID: in.ID})
	if err != nil {
		return nil, nil, fmt.Errorf("forecast needs of council %d: %w", la, err)
	}
	bands := make([]string, len(in.Bands))
	for i, b := range in.Bands {
		bands[i] = b.Code
	}
	out := forecast.NeedHistory{}
	// Rows come by child, then date: each child's are worked out together.
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].ChildID == rows[i].ChildID {
			j++
		}
		out[strconv.FormatInt(rows[i].ChildID, 10)] = needChanges(in, rows[i:j])
		i = j
	}
	return out, bands, nil
}

// needChanges is one child's band on each assessment date from then on:
// the latest approved assessment by then that no approved correction dated
// by then supersedes; repeated bands are dropped.
func needChanges(in needs.Instrument, rows []db.ForecastNeedAssessmentsRow) []forecast.NeedChange {
	var out []forecast.NeedChange
	for k, r := range rows {
		if k+1 < len(rows) && rows[k+1].AssessedOn.Equal(r.AssessedOn) {
			continue // the day's last assessment decides the day
		}
		superseded := map[int64]bool{}
		for _, s := range rows[:k+1] {
			if s.Supersedes != nil {
				superseded[*s.Supersedes] = true
			}
		}
		band := forecast.NeedUnknown
		for x := k; x >= 0; x-- {
			if !superseded[rows[x].AssessmentID] {
				band = in.BandOfLevels(rows[x].Levels).Code
				break
			}
		}
		if n := len(out); n == 0 && band != forecast.NeedUnknown || n > 0 && out[n-1].Band != band {
			out = append(out, forecast.NeedChange{On: r.AssessedOn, Band: band})
		}
	}
	return out
}

// Build forecasts one council. It trusts its caller: the command line, or a
// Service method that has decided the caller may see the council.
func Build(ctx context.Context, pool *pgxpool.Pool, la int32, p Params) (*Result, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	q := db.New(pool)
	council, err := q.LocalAuthorityGet(ctx, la)
	if err != nil {
		return nil, fmt.Errorf("forecast council %d: %w", la, err)
	}
	hist, err := History(ctx, q, la, p.AsOf)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 {
		return nil, fmt.Errorf("forecast %s: %w", council.Name, ErrNoHistory)
	}
	from := p.AsOf.AddDate(0, -p.WindowMonths, 0)
	m, err := forecast.Fit(hist, from, p.AsOf)
	if err != nil {
		return nil, fmt.Errorf("forecast %s: %w", council.Name, err)
	}
	f, err := m.Simulate(forecast.Options{Months: p.Months, Paths: p.Paths, Seed: p.Seed})
	if err != nil {
		return nil, err
	}
	// Need band as a state: the need-band model over the same window
	// shares each month's children across need bands, so spend and
	// sufficiency follow the forecast's needs rather than today's mix.
	nh, bands, err := NeedHistory(ctx, q, la, p.AsOf)
	if err != nil {
		return nil, err
	}
	nm, err := forecast.FitNeeds(hist, nh, bands, from, p.AsOf)
	if err != nil {
		return nil, fmt.Errorf("forecast %s: %w", council.Name, err)
	}
	nf, err := m.ProjectNeeds(nm, forecast.Options{Months: p.Months})
	if err != nil {
		return nil, err
	}
	if err := f.SetNeeds(nf); err != nil {
		return nil, err
	}
	cm, err := forecast.FitCompat(hist, from, p.AsOf)
	if err != nil {
		return nil, err
	}
	cf, err := cm.Project(p.Months, 1)
	if err != nil {
		return nil, err
	}
	cc, err := readCouncilCosts(ctx, q, la, council.Name, p.AsOf)
	if err != nil {
		return nil, err
	}
	samples := cc.samples
	res := &Result{LAID: la, Council: council.Name, Params: p, WindowFrom: from, WindowTo: p.AsOf, Forecast: f, Compat: cf,
		Model: m, Needs: nm, History: hist, CostedChildren: len(samples), StepDownCandidates: len(cc.candidates),
		Population: fmt.Sprintf("children under 18 looked after by %s, from its SSDA903 episodes (%d children in its history; %.0f in care on %s)",
			council.Name, m.Children, m.StartTotal(), p.AsOf.Format(time.DateOnly))}
	if len(samples) > 0 {
		costs, err := forecast.NewCostModel(samples, p.Uplift)
		if err != nil {
			return nil, err
		}
		res.Costs = costs
		res.Spend = costs.Spend(f)
		// In-region supply is the places the council's children fill in
		// the region today: Hearth records no vacancies.
		res.Sufficiency = costs.SufficiencyByQuarter(f, cc.inArea, cc.outOfAreaShare())
	}
	return res, nil
}

func bandOfAge(age int) forecast.AgeBand { return forecast.BandOfMonths(age * 12) }

// Service gives people the forecasts they may see.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now}
}

// Today is the as-of date when none is given.
func (s *Service) Today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Councils are the councils whose forecasts the user may see.
func (s *Service) Councils(userID int64) []int32 {
	return s.authz.Councils(userID, authz.Forecast, authz.Read)
}

// Council is a council's forecast for a user allowed to act (read, or export)
// on forecasts in that council; the view, or the refusal, is audited against
// the council.
func (s *Service) Council(ctx context.Context, userID int64, la int32, p Params, act authz.Action) (*Result, error) {
	verb := "view"
	if act == authz.Export {
		verb = "export"
	}
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Forecast, act) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: verb, Entity: "forecast", Outcome: audit.Denied}); err != nil {
			return nil, err
		}
		return nil, children.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	res, err := Build(ctx, s.pool, la, p)
	if err != nil {
		return nil, err
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: verb, Entity: "forecast",
		Detail: map[string]any{"as_of": p.AsOf.Format(time.DateOnly), "months": p.Months, "paths": p.Paths, "window_months": p.WindowMonths}})
	return res, err
}
