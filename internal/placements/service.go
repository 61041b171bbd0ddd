package placements

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// ErrConflict is returned when a record changed since the caller read it.
var ErrConflict = errors.New("the placement record was changed by someone else")

// Service keeps placements and costs.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now}
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// History is a child's placements, with costs, as of today.
type History struct {
	ChildID        int64               `json:"child_id"`
	AsOf           time.Time           `json:"as_of"`
	Placements     []Placement         `json:"placements"` // oldest first
	Current        *Placement          `json:"current"`
	WeeklyPenceNow int64               `json:"weekly_pence_now"`
	Missing        []db.MissingEpisode `json:"missing"`
	Episodes       []db.Episode        `json:"episodes"`
}

// child returns the child if the caller may act on its placements.
func (s *Service) child(ctx context.Context, q *db.Queries, userID, childID int64, act authz.Action) (db.ChildGetRow, error) {
	return children.Authorize(ctx, s.pool, s.authz, userID, childID, authz.Placement, act)
}

// Get returns a child's placement history; the view is audited.
func (s *Service) Get(ctx context.Context, userID, childID int64) (History, error) {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Read)
	if err != nil {
		return History{}, err
	}
	h, err := load(ctx, q, c.LaID, childID, s.today())
	if err != nil {
		return h, err
	}
	return h, audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: c.LaID, Action: "view", Entity: "child_placements",
		EntityID: strconv.FormatInt(childID, 10)})
}

func load(ctx context.Context, q *db.Queries, la int32, childID int64, today time.Time) (History, error) {
	h := History{ChildID: childID, AsOf: today}
	var err error
	if h.Episodes, err = q.EpisodesByChild(ctx, db.EpisodesByChildParams{LaID: la, ChildID: childID}); err != nil {
		return h, err
	}
	costs, err := q.CostsByChild(ctx, db.CostsByChildParams{LaID: la, ChildID: childID})
	if err != nil {
		return h, err
	}
	if h.Missing, err = q.MissingByChild(ctx, db.MissingByChildParams{LaID: la, ChildID: childID}); err != nil {
		return h, err
	}
	h.Placements = WithCosts(h.Episodes, costs)
	names := map[int64]string{}
	for i := range h.Placements {
		p := &h.Placements[i]
		if p.ProviderID != nil {
			if _, ok := names[*p.ProviderID]; !ok {
				pr, err := q.ProviderGet(ctx, *p.ProviderID)
				if err != nil {
					return h, err
				}
				names[*p.ProviderID] = pr.Name
			}
			p.ProviderName = names[*p.ProviderID]
		}
	}
	// Only the placement open today is current, and only its cost counts.
	if h.Current = On(h.Placements, today); h.Current != nil {
		if c, ok := CostOn(h.Placements, today); ok {
			h.Current.WeeklyPenceNow = c.WeeklyPence
			h.WeeklyPenceNow = c.WeeklyPence
		}
	}
	return h, nil
}

// Move records a change of placement on a day: the open episode ends (X1,
// with the reason) and a new one starts with the same legal status.
type Move struct {
	On            time.Time
	Place         string
	ProviderKind  string // PR0–PR5
	ProviderID    *int64
	Reason        string // REASON_PLACE_CHANGE
	Postcode      string // placement postcode or district
	DistanceMiles *float64
	OutOfArea     *bool
	// The open episode as the caller saw it: a move made from a stale page is a conflict.
	From    time.Time
	Version int32
	// Cost is the new placement's cost from the day of the move, if known.
	Cost *Cost
}

// RecordMove applies a Move.
func (s *Service) RecordMove(ctx context.Context, userID, childID int64, m Move) error {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return err
	}
	today := s.today()
	var ps valid.Problems
	switch {
	case m.On.IsZero():
		ps.Add("on", "enter the date of the move")
	case m.On.After(today):
		ps.Add("on", "the move cannot be in the future")
	}
	s.checkPlace(&ps, m.Place, m.ProviderKind, ssda903.YearOf(m.On))
	if _, ok := reasons[m.Reason]; !ok {
		ps.Add("reason", "choose why the placement changed: one of %s", codeList(reasons, nil))
	}
	if m.DistanceMiles != nil && (*m.DistanceMiles < 0 || *m.DistanceMiles > 1000 || math.IsNaN(*m.DistanceMiles)) {
		ps.Add("distance_miles", "enter the distance from home in miles, 0 or more")
	}
	if m.Postcode != "" && ssda903.District(m.Postcode) == "" && !districtRE.MatchString(m.Postcode) {
		ps.Add("postcode", "%q is not a postcode or postcode district", m.Postcode)
	}
	if m.Cost != nil {
		m.Cost.From, m.Cost.To = &m.On, nil
		if m.Cost.Source == "" {
			m.Cost.Source = "manual"
		}
		var ve *valid.Error
		if err := checkCost(*m.Cost, Placement{StartedOn: m.On}); errors.As(err, &ve) {
			ps = append(ps, ve.Problems...)
		}
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		eps, err := qt.EpisodesForUpdate(ctx, db.EpisodesForUpdateParams{LaID: c.LaID, ChildID: childID})
		if err != nil {
			return err
		}
		var open *db.Episode
		for i := range eps {
			if eps[i].EndedOn == nil {
				open = &eps[i]
			}
		}
		if open == nil {
			return valid.Errorf("on", "the child has no open placement to move from; they are not in care")
		}
		if !open.StartedOn.Equal(m.From) || open.Version != m.Version {
			return ErrConflict
		}
		if !m.On.After(open.StartedOn) {
			return valid.Errorf("on", "the move must be after the current placement started (%s)", open.StartedOn.Format("2 January 2006"))
		}
		if _, err := qt.EpisodeClose(ctx, db.EpisodeCloseParams{LaID: c.LaID, ChildID: childID, StartedOn: open.StartedOn, Version: m.Version,
			EndedOn: m.On, Rec: "X1", ReasonPlaceChange: &m.Reason}); errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		} else if err != nil {
			return err
		}
		rne := "P"
		if open.ProviderID != nil && m.ProviderID != nil && *open.ProviderID == *m.ProviderID {
			rne = "T" // same carer, different placement
		}
		var urn *string
		if m.ProviderID != nil {
			pr, err := qt.ProviderGet(ctx, *m.ProviderID)
			if err != nil {
				return valid.Errorf("provider_id", "choose a provider from the list")
			}
			urn = pr.OfstedUrn
		}
		if err := qt.EpisodeInsert(ctx, db.EpisodeInsertParams{LaID: c.LaID, ChildID: childID, StartedOn: m.On, Rne: rne,
			LegalStatus: open.LegalStatus, Cin: open.Cin, Place: m.Place, PlaceProvider: optStr(m.ProviderKind), ProviderID: m.ProviderID,
			Urn: urn, HomePostcode: open.HomePostcode, PlacementPostcode: optStr(m.Postcode), DistanceMiles: m.DistanceMiles,
			OutOfArea: m.OutOfArea}); err != nil {
			return err
		}
		if err := rederive(ctx, qt, c.LaID, childID); err != nil {
			return err
		}
		// The old placement's costs end the day before the new one starts.
		if err := repairCosts(ctx, qt, c.LaID, childID); err != nil {
			return err
		}
		if m.Cost != nil {
			k := m.Cost
			if _, err := qt.CostInsert(ctx, db.CostInsertParams{LaID: c.LaID, ChildID: childID, PlacementStartedOn: m.On, EffectiveFrom: m.On,
				WeeklyPence: k.Weekly, SocialCarePence: k.SocialCare, EducationPence: k.Education, HealthPence: k.Health, Source: k.Source}); err != nil {
				return valid.Errorf("weekly", "the new placement already has a cost from %s; correct that one instead", m.On.Format("2 January 2006"))
			}
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: c.LaID, Action: "create", Entity: "placement",
			EntityID: strconv.FormatInt(childID, 10), Detail: map[string]any{"on": m.On.Format(time.DateOnly), "place": m.Place, "reason": m.Reason}})
	})
}

// repairCosts makes a child's stored cost periods end with their placements
// (schema/014's placement_costs_repair).
func repairCosts(ctx context.Context, q *db.Queries, la int32, childID int64) error {
	if err := q.PlacementCostsRepair(ctx, db.PlacementCostsRepairParams{PLa: &la, PChildren: []int64{childID}}); err != nil {
		return fmt.Errorf("end costs with their placements: %w", err)
	}
	return nil
}

// rederive replaces a child's care periods and legal statuses from its episodes.
func rederive(ctx context.Context, q *db.Queries, la int32, childID int64) error {
	eps, err := q.EpisodesByChild(ctx, db.EpisodesByChildParams{LaID: la, ChildID: childID})
	if err != nil {
		return err
	}
	care, legal := ssda903.DerivePeriods(Links(eps))
	if err := q.CarePeriodsDelete(ctx, db.CarePeriodsDeleteParams{LaID: la, ChildID: childID}); err != nil {
		return err
	}
	if err := q.LegalStatusesDelete(ctx, db.LegalStatusesDeleteParams{LaID: la, ChildID: childID}); err != nil {
		return err
	}
	for _, p := range care {
		if err := q.CarePeriodInsert(ctx, db.CarePeriodInsertParams{LaID: la, ChildID: childID, StartedOn: p.StartedOn, EndedOn: p.EndedOn}); err != nil {
			return err
		}
	}
	for _, p := range legal {
		if err := q.LegalStatusInsert(ctx, db.LegalStatusInsertParams{LaID: la, ChildID: childID, StartedOn: p.StartedOn, EndedOn: p.EndedOn, Code: p.Code}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkPlace(ps *valid.Problems, place, kind string, y ssda903.Year) {
	switch {
	case place == "":
		ps.Add("place", "choose the type of placement")
	case !ssda903.PlaceValid(place, y):
		ps.Add("place", "%q is not a placement type in %s: one of %s", place, y, placeCodes(y))
	}
	switch {
	case kind == "" && !ssda903.ProviderExempt(place):
		ps.Add("provider_kind", "choose who provides the placement")
	case kind != "" && ssda903.ProviderLabels[kind] == "":
		ps.Add("provider_kind", "%q is not a provider code: one of %s", kind, codeList(ssda903.ProviderLabels, nil))
	}
}

var reasons = map[string]string{"CARPL": "Change to or carrying out of the care plan", "CLOSE": "The provider resigned or closed",
	"ALLEG": "Allegation (s47 enquiry)", "STAND": "Concern about standards of care", "APPRR": "Carer's approval removed",
	"CREQB": "Carer asked to end it: child's behaviour", "CREQO": "Carer asked to end it: other reason", "CHILD": "The child asked to end it",
	"LAREQ": "The council asked to end it", "PLACE": "Change in the status of the placement only", "CUSTOD": "Custody arrangement", "OTHER": "Other"}

// codeList lists a code list's valid values, sorted, so an error says what
// would have been accepted (an API caller cannot see the form's choices).
func codeList(m map[string]string, keep func(string) bool) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		if keep == nil || keep(k) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// placeCodes lists the placement types valid in a collection year.
func placeCodes(y ssda903.Year) string {
	return codeList(ssda903.PlaceLabels, func(k string) bool { return ssda903.PlaceValid(k, y) })
}

// Reasons names REASON_PLACE_CHANGE codes, for forms.
func Reasons() map[string]string { return reasons }

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Cost is a weekly cost for a placement from a date, in pence.
type Cost struct {
	From, To                      *time.Time
	Weekly                        int64
	SocialCare, Education, Health int64
	Source                        string
}

// AddCost records a placement's weekly cost from a date. An open-ended cost
// already running then ends the day before; any other overlap is refused.
func (s *Service) AddCost(ctx context.Context, userID, childID int64, placementStart time.Time, c Cost) (db.PlacementCost, error) {
	q := db.New(s.pool)
	ch, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return db.PlacementCost{}, err
	}
	if c.Source == "" {
		c.Source = "manual"
	}
	var out db.PlacementCost
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		if err := qt.ChildLock(ctx, db.ChildLockParams{LaID: ch.LaID, ChildID: childID}); err != nil {
			return err
		}
		h, err := load(ctx, qt, ch.LaID, childID, s.today())
		if err != nil {
			return err
		}
		var p *Placement
		for i := range h.Placements {
			if h.Placements[i].StartedOn.Equal(placementStart) {
				p = &h.Placements[i]
			}
		}
		if p == nil {
			return valid.Errorf("placement", "the child has no placement starting on %s", placementStart.Format("2 January 2006"))
		}
		if err := checkCost(c, *p); err != nil {
			return err
		}
		c.To = boundTo(c.To, *p)
		for _, old := range p.Costs {
			if overlaps(old, *c.From, c.To) {
				// A period running to the placement's end (open, or cut at its
				// last day) gives way to the new cost.
				toEnd := old.EffectiveTo == nil || p.EndedOn != nil && old.EffectiveTo.Equal(p.EndedOn.AddDate(0, 0, -1))
				if toEnd && old.EffectiveFrom.Before(*c.From) {
					if err := qt.CostClose(ctx, db.CostCloseParams{LaID: ch.LaID, CostID: old.CostID, EffectiveTo: ptr(c.From.AddDate(0, 0, -1))}); err != nil {
						return err
					}
					continue
				}
				return valid.Errorf("from", "overlaps the cost of %s a week from %s; correct that one instead",
					pounds(old.WeeklyPence), old.EffectiveFrom.Format("2 January 2006"))
			}
		}
		out, err = qt.CostInsert(ctx, db.CostInsertParams{LaID: ch.LaID, ChildID: childID, PlacementStartedOn: placementStart,
			EffectiveFrom: *c.From, EffectiveTo: c.To, WeeklyPence: c.Weekly, SocialCarePence: c.SocialCare, EducationPence: c.Education,
			HealthPence: c.Health, Source: c.Source})
		if postgres.IsExclusionViolation(err) {
			return valid.Errorf("from", "overlaps another cost period of this placement")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: ch.LaID, Action: "create", Entity: "placement_cost",
			EntityID: strconv.FormatInt(out.CostID, 10), Detail: map[string]any{"child_id": childID, "weekly_pence": c.Weekly, "from": c.From.Format(time.DateOnly)}})
	})
	return out, err
}

func checkCost(c Cost, p Placement) error {
	var ps valid.Problems
	switch {
	case c.From == nil:
		ps.Add("from", "enter the date the cost applies from")
	case c.From.Before(p.StartedOn):
		ps.Add("from", "the cost cannot start before the placement (%s)", p.StartedOn.Format("2 January 2006"))
	case p.EndedOn != nil && !c.From.Before(*p.EndedOn):
		ps.Add("from", "the placement ended on %s; its last day was %s", p.EndedOn.Format("2 January 2006"), p.EndedOn.AddDate(0, 0, -1).Format("2 January 2006"))
	}
	switch {
	case c.To != nil && c.From != nil && c.To.Before(*c.From):
		ps.Add("to", "the end date is before the start date")
	case c.To != nil && p.EndedOn != nil && !c.To.Before(*p.EndedOn):
		ps.Add("to", "the placement's last day was %s; the cost cannot run past it", p.EndedOn.AddDate(0, 0, -1).Format("2 January 2006"))
	}
	for _, f := range []struct {
		field string
		v     int64
	}{{"weekly", c.Weekly}, {"social_care", c.SocialCare}, {"education", c.Education}, {"health", c.Health}} {
		if f.v < 0 {
			ps.Add(f.field, "a cost cannot be negative")
		}
	}
	if c.Weekly > 100_000_00 {
		ps.Add("weekly", "%s a week is more than £100,000; check the amount", pounds(c.Weekly))
	}
	if c.SocialCare+c.Education+c.Health != c.Weekly {
		ps.Add("weekly", "the contributions (%s social care, %s education, %s health) add up to %s, not the weekly cost of %s",
			pounds(c.SocialCare), pounds(c.Education), pounds(c.Health), pounds(c.SocialCare+c.Education+c.Health), pounds(c.Weekly))
	}
	return ps.Err()
}

// boundTo ends an open-ended cost of an ended placement on its last day.
func boundTo(to *time.Time, p Placement) *time.Time {
	if to == nil && p.EndedOn != nil {
		return ptr(p.EndedOn.AddDate(0, 0, -1))
	}
	return to
}

func overlaps(c db.PlacementCost, from time.Time, to *time.Time) bool {
	startsBeforeEnd := to == nil || !c.EffectiveFrom.After(*to)
	endsAfterStart := c.EffectiveTo == nil || !c.EffectiveTo.Before(from)
	return startsBeforeEnd && endsAfterStart
}

func ptr[T any](v T) *T { return &v }

func pounds(p int64) string {
	return fmt.Sprintf("£%d.%02d", p/100, p%100)
}

// Correction is what can be corrected in an episode by hand; dates and the
// episode chain come from moves and returns.
type Correction struct {
	Place, ProviderKind, LegalStatus, Reason, Postcode string
	ProviderID                                         *int64
	DistanceMiles                                      *float64
	OutOfArea                                          *bool
	Version                                            int32
}

// CorrectEpisode corrects an episode from the version the caller read.
func (s *Service) CorrectEpisode(ctx context.Context, userID, childID int64, start time.Time, c Correction) error {
	q := db.New(s.pool)
	ch, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return err
	}
	var ps valid.Problems
	s.checkPlace(&ps, c.Place, c.ProviderKind, ssda903.YearOf(start))
	if !ssda903.LegalStatusValid(c.LegalStatus) {
		ps.Add("legal_status", "choose the legal status")
	}
	if _, ok := reasons[c.Reason]; c.Reason != "" && !ok {
		ps.Add("reason", "%q is not a reason for a placement change", c.Reason)
	}
	if c.DistanceMiles != nil && (*c.DistanceMiles < 0 || *c.DistanceMiles > 1000 || math.IsNaN(*c.DistanceMiles)) {
		ps.Add("distance_miles", "enter the distance from home in miles, 0 or more")
	}
	if c.Postcode != "" && district(c.Postcode) == "" {
		ps.Add("postcode", "%q is not a postcode or postcode district", c.Postcode)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		if err := qt.ChildLock(ctx, db.ChildLockParams{LaID: ch.LaID, ChildID: childID}); err != nil {
			return err
		}
		if c.ProviderID != nil {
			if _, err := qt.ProviderGet(ctx, *c.ProviderID); err != nil {
				return valid.Errorf("provider_id", "choose a provider from the list")
			}
		}
		_, err := qt.EpisodeCorrect(ctx, db.EpisodeCorrectParams{LaID: ch.LaID, ChildID: childID, StartedOn: start, Version: c.Version,
			Place: c.Place, PlaceProvider: optStr(c.ProviderKind), ProviderID: c.ProviderID, LegalStatus: c.LegalStatus,
			PlacementPostcode: optStr(c.Postcode), DistanceMiles: c.DistanceMiles, OutOfArea: c.OutOfArea, ReasonPlaceChange: optStr(c.Reason)})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		if err := rederive(ctx, qt, ch.LaID, childID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: ch.LaID, Action: "update", Entity: "episode",
			EntityID: strconv.FormatInt(childID, 10) + "/" + start.Format(time.DateOnly), Detail: map[string]any{"place": c.Place, "legal_status": c.LegalStatus}})
	})
}

// CorrectCost corrects a cost period from the version the caller read.
func (s *Service) CorrectCost(ctx context.Context, userID, childID, costID int64, version int32, c Cost) error {
	q := db.New(s.pool)
	ch, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		if err := qt.ChildLock(ctx, db.ChildLockParams{LaID: ch.LaID, ChildID: childID}); err != nil {
			return err
		}
		h, err := load(ctx, qt, ch.LaID, childID, s.today())
		if err != nil {
			return err
		}
		var p *Placement
		for i := range h.Placements {
			for _, k := range h.Placements[i].Costs {
				if k.CostID == costID {
					p = &h.Placements[i]
				}
			}
		}
		if p == nil {
			return children.ErrNotFound
		}
		if err := checkCost(c, *p); err != nil {
			return err
		}
		c.To = boundTo(c.To, *p)
		_, err = qt.CostUpdate(ctx, db.CostUpdateParams{LaID: ch.LaID, CostID: costID, Version: version, EffectiveFrom: *c.From, EffectiveTo: c.To,
			WeeklyPence: c.Weekly, SocialCarePence: c.SocialCare, EducationPence: c.Education, HealthPence: c.Health})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return ErrConflict
		case postgres.IsExclusionViolation(err):
			return valid.Errorf("from", "these dates overlap another cost period of the placement")
		case err != nil:
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: ch.LaID, Action: "update", Entity: "placement_cost",
			EntityID: strconv.FormatInt(costID, 10), Detail: map[string]any{"child_id": childID, "weekly_pence": c.Weekly}})
	})
}

// Missing is a missing (M) or away-without-authorisation (A) episode.
type Missing struct {
	Kind      string
	StartedOn time.Time
	EndedOn   *time.Time
}

// RecordMissing adds a missing episode, or records the return from an open
// one when Kind and StartedOn name it.
func (s *Service) RecordMissing(ctx context.Context, userID, childID int64, m Missing) error {
	q := db.New(s.pool)
	c, err := s.child(ctx, q, userID, childID, authz.Write)
	if err != nil {
		return err
	}
	var ps valid.Problems
	if m.Kind != "M" && m.Kind != "A" {
		ps.Add("missing_kind", "choose missing or away without authorisation: one of A, M")
	}
	today := s.today()
	switch {
	case m.StartedOn.IsZero():
		ps.Add("missing_from", "enter the date they went missing")
	case m.StartedOn.After(today):
		ps.Add("missing_from", "the date cannot be in the future")
	case m.StartedOn.Before(c.DateOfBirth):
		ps.Add("missing_from", "the date is before the child's date of birth")
	}
	if m.EndedOn != nil && (m.EndedOn.Before(m.StartedOn) || m.EndedOn.After(today)) {
		ps.Add("missing_to", "the return must be on or after the day they went missing, and not in the future")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		qt := db.New(tx)
		n, err := int64(0), error(nil)
		if m.EndedOn != nil {
			n, err = qt.MissingClose(ctx, db.MissingCloseParams{LaID: c.LaID, ChildID: childID, Kind: m.Kind, StartedOn: m.StartedOn, EndedOn: *m.EndedOn})
			if err != nil {
				return err
			}
		}
		if n == 0 {
			err = qt.MissingInsert(ctx, db.MissingInsertParams{LaID: c.LaID, ChildID: childID, Kind: m.Kind, StartedOn: m.StartedOn, EndedOn: m.EndedOn})
			if postgres.IsUniqueViolation(err) {
				return valid.Errorf("missing_from", "this episode is already recorded with its return date")
			}
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: c.LaID, Action: "create", Entity: "missing_episode",
			EntityID: strconv.FormatInt(childID, 10), Detail: map[string]any{"kind": m.Kind, "from": m.StartedOn.Format(time.DateOnly)}})
	})
}
