package forecasting

import (
	"context"
	"encoding/json"
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
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/sharing"
)

// The regional forecast for an RCC's analysts is made from shared,
// aggregate inputs only (schema 032). Each member council with an agreement
// in force that shares placements works out, inside its own scope, the
// demand model's sufficient statistics over the reference window and its
// stock by category and age band as disclosure-control counts, and
// publishes those. The regional model is their sum (forecast.Sum, which is
// exactly the model of the pooled histories), simulated as a council's is.
// What the RCC sees is protected as every regional output is: today's stock
// through the RCC's cell key perturbation (sharing.Control.Protect), and
// every forecast figure withheld (c) below the RCC's smallest count and
// otherwise rounded to the nearest RoundTo, because modelled figures have no
// records to key noise to.

// controlKey carries another disclosure control than the RCC's; only tests
// set it (export_test.go), to prove that their checks of the published
// figures fail when the protection is off.
type controlKey struct{}

// RoundTo is what published regional forecast figures are rounded to.
const RoundTo = 5

// SharedStale is how old a council's published inputs may be before the
// next request works them out again: history is corrected after the event.
const SharedStale = 24 * time.Hour

// Figure is a published forecast figure: a rounded number, or withheld.
type Figure struct {
	V          float64 `json:"value"`
	Suppressed bool    `json:"suppressed"`
}

// String is the figure as published: c when withheld.
func (f Figure) String() string {
	if f.Suppressed {
		return "c"
	}
	return strconv.FormatFloat(f.V, 'f', 0, 64)
}

// Published is a forecast interval as published.
type Published struct {
	Mean Figure `json:"mean"`
	P025 Figure `json:"p025"`
	P10  Figure `json:"p10"`
	P90  Figure `json:"p90"`
	P975 Figure `json:"p975"`
}

// publish withholds an interval whose mean is below the smallest count
// (and then all of it, so no bound gives the mean away), and any bound
// below it, and rounds the rest.
func publish(iv forecast.Interval, ctl sharing.Control) Published {
	min := float64(max(ctl.MinCount, 1))
	fig := func(v float64) Figure {
		if v < min {
			return Figure{Suppressed: true}
		}
		return Figure{V: math.Round(v/RoundTo) * RoundTo}
	}
	if iv.Mean < min {
		c := Figure{Suppressed: true}
		return Published{c, c, c, c, c}
	}
	return Published{Mean: fig(iv.Mean), P025: fig(iv.P025), P10: fig(iv.P10), P90: fig(iv.P90), P975: fig(iv.P975)}
}

// RegionalMonth is one month end of the regional forecast, as published.
type RegionalMonth struct {
	Date     time.Time                         `json:"month_end"`
	Total    Published                         `json:"total"`
	Category [forecast.NumCategories]Published `json:"category"`
	Band     [forecast.NumAgeBands]Published   `json:"band"`
}

// Regional is an RCC's forecast with what a reader needs to judge it.
type Regional struct {
	RCCID      int32     `json:"rcc_id"`
	RCC        string    `json:"rcc"`
	RCCCode    string    `json:"rcc_code"`
	Params     Params    `json:"params"`
	Population string    `json:"population"`
	Method     string    `json:"method"`
	Protection string    `json:"protection"`
	WindowFrom time.Time `json:"window_from"`
	WindowTo   time.Time `json:"window_to"`
	// Councils are those whose shared inputs are in the forecast;
	// NotSharing the members left out (no agreement in force, or one that
	// does not share placements).
	Councils   []string        `json:"councils"`
	NotSharing []string        `json:"not_sharing"`
	Control    sharing.Control `json:"disclosure"`
	// ModelError says the intervals are widened for the model's own error
	// (forecast.Forecast.Widen on the councils' summed calibration sums);
	// Intervals says how they were made, as a parameter of every figure.
	ModelError bool   `json:"intervals_widened"`
	Intervals  string `json:"intervals"`
	// Stock is the children in care on the as-of date by category and age
	// band, under cell key perturbation.
	Stock  sharing.Table   `json:"stock"`
	Months []RegionalMonth `json:"months"`

	// Costed is the children with a recorded weekly cost the spend is
	// priced from, and StepDown the step-down candidates (the step-down
	// lever's head count), both under cell key perturbation.
	Costed   sharing.Cell `json:"costed_children"`
	StepDown sharing.Cell `json:"step_down_candidates"`
	// Places is the children in care by category inside and outside their
	// council's area on the as-of date, under cell key perturbation: the
	// in-area column is the in-region supply (Hearth records no vacancies).
	Places sharing.Table `json:"places"`
	// CostNote says why there is no spend, sufficiency or scenario, if so.
	CostNote    string                `json:"cost_note,omitempty"`
	Spend       []RegionalSpend       `json:"spend,omitempty"`
	Sufficiency []RegionalSufficiency `json:"sufficiency,omitempty"`
	// Compat is cs-demand-model's method on the councils' pooled daily
	// sums, beside Hearth's.
	Compat     []RegionalCompatMonth `json:"compat,omitempty"`
	CompatNote string                `json:"compat_method"`
	Scenarios  []RegionalScenario    `json:"scenarios,omitempty"`
	// Backtest scores Hearth's model and the anchor's on the councils'
	// summed inputs at past origins; BacktestNote says why there is none.
	Backtest     *RegionalBacktest `json:"backtest,omitempty"`
	BacktestNote string            `json:"backtest_note,omitempty"`
}

// stockCell is one council's count of children in care in a category and
// age band on the as-of date, with its cell key.
type stockCell struct {
	Category int `json:"category"`
	Band     int `json:"band"`
	N        int `json:"n"`
	Key      int `json:"key"`
}

// ErrNoSharedInputs is a region with no council sharing placements.
var ErrNoSharedInputs = errors.New("no member council shares placements with this cooperative under an agreement in force, so there is nothing to forecast from")

// Region is an RCC's regional forecast for an RCC analyst (or anyone who may
// read the RCC's regional figures). The view, or the refusal, is audited
// against the RCC and names the councils it drew on.
func (s *Service) Region(ctx context.Context, userID int64, rccID int32, p Params, scenarios ...forecast.Scenario) (*Regional, error) {
	if !s.authz.Allowed(userID, authz.RCCDomain(rccID), authz.Region, authz.Read) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region_forecast",
			EntityID: strconv.Itoa(int(rccID)), Outcome: audit.Denied}); err != nil {
			return nil, err
		}
		return nil, children.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	r, err := BuildRegion(ctx, s.pool, rccID, p, s.Now(), scenarios...)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, sc := range scenarios {
		names = append(names, sc.Name)
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region_forecast", EntityID: strconv.Itoa(int(rccID)),
		Detail: map[string]any{"as_of": p.AsOf.Format(time.DateOnly), "months": p.Months, "paths": p.Paths, "window_months": p.WindowMonths, "councils": r.Councils,
			"scenarios": names}})
	return r, err
}

// RCCs are the cooperatives whose regional forecast the user may read.
func (s *Service) RCCs(userID int64) []int32 { return s.authz.RCCs(userID, authz.Region, authz.Read) }

// BuildRegion works out an RCC's regional forecast, and each scenario
// against it. It trusts its caller (Service.Region, or the command line).
// now decides which agreements are in force (ending one stops sharing at
// once) and whether shared inputs are stale.
func BuildRegion(ctx context.Context, pool *pgxpool.Pool, rccID int32, p Params, now time.Time, scenarios ...forecast.Scenario) (*Regional, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	for _, sc := range scenarios {
		if err := sc.Check(); err != nil {
			return nil, err
		}
	}
	y, mo, d := now.UTC().Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	q := db.New(pool)
	rcc, err := q.RCCGet(ctx, rccID)
	if err != nil {
		return nil, fmt.Errorf("regional forecast, cooperative %d: %w", rccID, err)
	}
	from := p.AsOf.AddDate(0, -p.WindowMonths, 0)
	agreements, err := q.AgreementsInForce(ctx, db.AgreementsInForceParams{RccID: rccID, Day: today})
	if err != nil {
		return nil, fmt.Errorf("regional forecast, %s: agreements: %w", rcc.Name, err)
	}
	res := &Regional{RCCID: rccID, RCC: rcc.Name, RCCCode: rcc.Code, Params: p, WindowFrom: from, WindowTo: p.AsOf,
		Control: sharing.ControlOf(rcc), Method: "hearth-simulated"}
	if ctl, ok := ctx.Value(controlKey{}).(sharing.Control); ok {
		res.Control = ctl
	}
	var las []int32
	sharingLA := map[int32]bool{}
	// The councils are those sharing placements today, whatever the as-of
	// date. Leaving out a council whose agreement started after the as-of
	// date (as this once did) let an analyst ask, on demand and as often as
	// they liked, for the region with and without it (as of the day before
	// its agreement started and the day it did, or either side of any day),
	// and narrow its contribution to each figure by differencing: each pair
	// of figures rounded to 5 leaves a range of 10, but many pairs whose
	// other councils' parts round differently overlap in a narrower one. The
	// set now changes only when an agreement starts or ends, which no
	// analyst controls (docs/forecast.md, "The regional forecast").
	for _, a := range agreements {
		if !a.SharesPlacements {
			continue
		}
		sharingLA[a.LaID] = true
		las = append(las, a.LaID)
	}
	members, err := q.RCCMembers(ctx, rccID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		current := !m.ValidFrom.After(today) && (m.ValidTo == nil || m.ValidTo.After(today))
		if current && !sharingLA[m.LaID] && !contains(res.NotSharing, m.Name) {
			res.NotSharing = append(res.NotSharing, m.Name)
		}
	}
	// The region's reads and writes of shared inputs reach only the
	// councils sharing, whatever the caller's reach.
	shared := postgres.WithCouncils(ctx, postgres.OnlyCouncils(las...))
	if len(las) > 0 {
		if _, err := q.ForecastSharedTidy(postgres.WithCouncils(ctx, postgres.OnlyCouncils(allMembers(members)...)), db.ForecastSharedTidyParams{RccID: rccID, Day: today}); err != nil {
			return nil, fmt.Errorf("regional forecast, %s: tidying ended agreements: %w", rcc.Name, err)
		}
	}
	rows, err := q.ForecastSharedInForce(shared, db.ForecastSharedInForceParams{Day: today, RccID: rccID, AsOf: p.AsOf, WindowFrom: from})
	if err != nil {
		return nil, err
	}
	have := map[int32]time.Time{}
	for _, r := range rows {
		// A row shared before schema 037 has no aggregates, one shared
		// before its backtest recorded its window may have been fitted over
		// a month less (see councilAggregates), and one shared before the
		// widening has no calibration sums: share again.
		if r.Aggregates != nil && sharedCurrent(r.Aggregates, p.WindowMonths) {
			have[r.LaID] = r.ComputedAt
		}
	}
	refreshed := false
	for _, a := range agreements {
		if !sharingLA[a.LaID] {
			continue
		}
		if at, ok := have[a.LaID]; ok && now.Sub(at) < SharedStale {
			continue
		}
		if err := ShareInputs(ctx, pool, rccID, a.LaID, a.AgreementID, p.AsOf, p.WindowMonths, now); err != nil && !errors.Is(err, ErrNoHistory) {
			return nil, err
		}
		refreshed = true
	}
	if refreshed {
		if rows, err = q.ForecastSharedInForce(shared, db.ForecastSharedInForceParams{Day: today, RccID: rccID, AsOf: p.AsOf, WindowFrom: from}); err != nil {
			return nil, err
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("regional forecast, %s: %w", rcc.Name, ErrNoSharedInputs)
	}
	var models []*forecast.Model
	counts := make([][]sharing.Count, forecast.NumCategories)
	placed := make([][]sharing.Count, forecast.NumCategories)
	for c := range counts {
		counts[c] = make([]sharing.Count, forecast.NumAgeBands)
		placed[c] = make([]sharing.Count, 2)
	}
	var costs []forecast.CostInputs
	var cals []*forecast.CalibrationInputs
	var compat []*forecast.CompatInputs
	var backtests []*forecast.BacktestInputs
	var costed, stepDown sharing.Count
	for _, r := range rows {
		var ag sharedAggregates
		if r.Aggregates == nil {
			return nil, fmt.Errorf("regional forecast: %s's shared inputs have no aggregates", r.Name)
		}
		if err := json.Unmarshal(r.Aggregates, &ag); err != nil {
			return nil, fmt.Errorf("regional forecast: %s's shared aggregates: %w", r.Name, err)
		}
		if err := ag.Costs.Check(); err != nil {
			return nil, fmt.Errorf("regional forecast: %s's shared costs: %w", r.Name, err)
		}
		costs = append(costs, ag.Costs)
		if ag.Calibration != nil {
			cals = append(cals, ag.Calibration)
		}
		if ag.Compat != nil {
			compat = append(compat, ag.Compat)
		}
		if ag.Backtest != nil {
			backtests = append(backtests, ag.Backtest)
		}
		costed, stepDown = costed.Plus(ag.Costed), stepDown.Plus(ag.StepDown)
		for c := range forecast.NumCategories {
			for k := range 2 {
				placed[c][k] = placed[c][k].Plus(sharing.Count{N: max(ag.Placed[c][k].N, 0), Key: ag.Placed[c][k].Key & 255})
			}
		}
		var m forecast.Model
		if err := json.Unmarshal(r.Stats, &m); err != nil {
			return nil, fmt.Errorf("regional forecast: %s's shared inputs: %w", r.Name, err)
		}
		if err := m.Check(); err != nil {
			return nil, fmt.Errorf("regional forecast: %s's shared inputs: %w", r.Name, err)
		}
		models = append(models, &m)
		var cells []stockCell
		if err := json.Unmarshal(r.Stock, &cells); err != nil {
			return nil, fmt.Errorf("regional forecast: %s's shared stock: %w", r.Name, err)
		}
		for _, c := range cells {
			if c.Category < 0 || c.Category >= forecast.NumCategories || c.Band < 0 || c.Band >= forecast.NumAgeBands || c.N < 0 {
				return nil, fmt.Errorf("regional forecast: %s's shared stock: cell %+v out of range", r.Name, c)
			}
			counts[c.Category][c.Band] = counts[c.Category][c.Band].Plus(sharing.Count{N: c.N, Key: c.Key & 255})
		}
		res.Councils = append(res.Councils, r.Name)
	}
	m, err := forecast.Sum(models...)
	if err != nil {
		return nil, fmt.Errorf("regional forecast, %s: %w", rcc.Name, err)
	}
	f, err := m.Simulate(forecast.Options{Months: p.Months, Paths: p.Paths, Seed: p.Seed})
	if err != nil {
		return nil, err
	}
	// At regional scale chance is small beside the model's own error, and
	// the plain intervals under-cover (England: 59% of 12-month points in
	// the 80% band, 86% widened), so they are widened as Forecast.Widen
	// widens a council's, calibrated on the councils' summed sums.
	if len(cals) == len(rows) {
		me, err := forecast.PooledModelError(cals...)
		if err != nil {
			return nil, fmt.Errorf("regional forecast, %s: %w", rcc.Name, err)
		}
		f.Widen(me)
		res.ModelError = true
		res.Intervals = fmt.Sprintf("simulated (%d paths) and widened for the model's own error, measured by fitting the model at the %d quarter ends before the as-of date on the councils' shared sums and scoring each projection to the as-of date (log scale, growing linearly with the horizon; means unchanged)",
			p.Paths, forecast.CalibrationOrigins)
	} else {
		res.Intervals = fmt.Sprintf("simulated (%d paths), not widened for model error: not every sharing council's inputs include the widening's sums", p.Paths)
	}
	var catNames, bandNames []string
	for c := range forecast.Category(forecast.NumCategories) {
		catNames = append(catNames, c.String())
	}
	for b := range forecast.AgeBand(forecast.NumAgeBands) {
		bandNames = append(bandNames, b.String())
	}
	res.Stock = res.Control.Protect("forecast-stock", catNames, bandNames, counts)
	for _, mo := range f.Months {
		rm := RegionalMonth{Date: mo.Date, Total: publish(mo.Total, res.Control)}
		for c := range forecast.NumCategories {
			rm.Category[c] = publish(mo.Category[c], res.Control)
		}
		for b := range forecast.NumAgeBands {
			rm.Band[b] = publish(mo.Band[b], res.Control)
		}
		res.Months = append(res.Months, rm)
	}
	if err := res.costs(f, m, costs, compat, backtests, costed, stepDown, placed, scenarios); err != nil {
		return nil, fmt.Errorf("regional forecast, %s: %w", rcc.Name, err)
	}
	res.Population = fmt.Sprintf("children under 18 looked after by the %d councils of %s sharing placements under an agreement in force (%s), from the aggregate forecast inputs each shared; %s in care on %s (under cell key perturbation)",
		len(res.Councils), rcc.Name, joinNames(res.Councils), res.Stock.Total, p.AsOf.Format(time.DateOnly))
	res.Protection = fmt.Sprintf("children in care on the as-of date under cell key perturbation (counts below %d shown as c, noise up to ±%d); every forecast figure below %d shown as c and the rest rounded to the nearest %d",
		res.Control.MinCount, res.Control.MaxNoise, res.Control.MinCount, RoundTo)
	return res, nil
}

// ShareInputs works out one council's forecast inputs inside the council's
// own scope and publishes them to the RCC under the agreement: the model's
// sufficient statistics and the stock by category and age band with cell
// keys. It stores no child, episode or date of birth, and it is audited
// against the council. now dates the inputs (staleness is judged by it).
// The window is given in months, as the forecast's is, so the inputs and
// the regional options that score them cannot disagree about it.
func ShareInputs(ctx context.Context, pool *pgxpool.Pool, rccID, la int32, agreementID int64, asOf time.Time, windowMonths int, now time.Time) error {
	from := asOf.AddDate(0, -windowMonths, 0)
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	q := db.New(pool)
	hist, err := History(ctx, q, la, asOf)
	if err != nil {
		return err
	}
	if len(hist) == 0 {
		return fmt.Errorf("council %d: %w", la, ErrNoHistory)
	}
	m, err := forecast.Fit(hist, from, asOf)
	if err != nil {
		return fmt.Errorf("council %d's forecast inputs: %w", la, err)
	}
	keys, err := q.CouncilKeys(ctx, []int32{la})
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return fmt.Errorf("council %d has an agreement but no pseudonym key", la)
	}
	var cells [forecast.NumCategories][forecast.NumAgeBands]sharing.Count
	seen := map[string]bool{}
	for _, e := range hist {
		if !e.Open(asOf) || seen[e.Child] {
			continue
		}
		am := forecast.AgeMonths(e.DOB, asOf)
		if am < 0 || am >= forecast.LeaveMonths {
			continue
		}
		seen[e.Child] = true
		id, err := strconv.ParseInt(e.Child, 10, 64)
		if err != nil {
			return fmt.Errorf("council %d: child %q: %w", la, e.Child, err)
		}
		cells[forecast.CategoryOf(e.Place)][forecast.BandOfMonths(am)].Add(sharing.RecordKey(keys[0].Secret, la, id))
	}
	var stock []stockCell
	for c := range forecast.NumCategories {
		for b := range forecast.NumAgeBands {
			if n := cells[c][b]; n.N > 0 {
				stock = append(stock, stockCell{Category: c, Band: b, N: n.N, Key: n.Key})
			}
		}
	}
	if stock == nil {
		stock = []stockCell{}
	}
	stats, err := json.Marshal(m)
	if err != nil {
		return err
	}
	council, err := q.LocalAuthorityGet(ctx, la)
	if err != nil {
		return fmt.Errorf("council %d: %w", la, err)
	}
	cc, err := readCouncilCosts(ctx, q, la, council.Name, asOf)
	if err != nil {
		return err
	}
	ag, err := councilAggregates(cc, hist, keys[0].Secret, la, asOf, windowMonths)
	if err != nil {
		return fmt.Errorf("council %d's forecast aggregates: %w", la, err)
	}
	aj, err := json.Marshal(ag)
	if err != nil {
		return err
	}
	sj, err := json.Marshal(stock)
	if err != nil {
		return err
	}
	if err := q.ForecastSharedUpsert(ctx, db.ForecastSharedUpsertParams{LaID: la, AgreementID: agreementID, RccID: rccID, AsOf: asOf, ComputedAt: now,
		WindowFrom: from, Children: int32(m.Children), Stats: stats, Stock: sj, Aggregates: aj}); err != nil {
		return fmt.Errorf("council %d: publishing forecast inputs: %w", la, err)
	}
	return audit.Record(ctx, pool, audit.Event{LAID: la, Action: "share", Entity: "forecast_inputs", EntityID: strconv.Itoa(int(rccID)),
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly), "window_from": from.Format(time.DateOnly), "agreement": agreementID, "children": m.Children}})
}

// sharedCurrent says whether shared aggregates carry what this code
// publishes from them: backtest sums (widened) fitted over the forecast's
// window, and the widening's calibration sums.
func sharedCurrent(aggregates []byte, windowMonths int) bool {
	var ag struct {
		Backtest *struct {
			WindowMonths int               `json:"window_months"`
			Calibration  []json.RawMessage `json:"calibration"`
		} `json:"backtest"`
		Calibration json.RawMessage `json:"calibration"`
	}
	if json.Unmarshal(aggregates, &ag) != nil || ag.Calibration == nil {
		return false
	}
	// A council whose history is too short for a backtest shares none.
	return ag.Backtest == nil || (ag.Backtest.WindowMonths == windowMonths && len(ag.Backtest.Calibration) > 0)
}

func allMembers(ms []db.RCCMembersRow) []int32 {
	var out []int32
	for _, m := range ms {
		out = append(out, m.LaID)
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func joinNames(s []string) string {
	switch len(s) {
	case 0:
		return "none"
	case 1:
		return s[0]
	}
	out := ""
	for i, v := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			out += " and "
		default:
			out += ", "
		}
		out += v
	}
	return out
}
