package pds

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors the HTTP boundary maps.
var (
	ErrConflict  = errors.New("the placement's standard record was changed by someone else")
	ErrForbidden = children.ErrForbidden
	ErrNotFound  = children.ErrNotFound
)

// Service keeps the standard's records.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now}
}

// Derived is what Hearth already knows of a placement in the standard's
// terms. Fixed fields are taken from Hearth's own records and not asked for;
// Suggested ones pre-fill the form (from the latest approved needs profile
// and the episode) and the placement team confirms or changes them.
type Derived struct {
	Fixed     Record   `json:"fixed"`
	FixedKeys []string `json:"fixed_fields"` // the columns Fixed sets
	Suggested Record   `json:"suggested"`
	Age       int      `json:"age_at_placement"`
	Sex       string   `json:"sex"`
	Place     string   `json:"ssda903_place"`
}

// Placement is one placement's standard record as a page or the API shows it.
type Placement struct {
	ChildID   int64     `json:"child_id"`
	Council   int32     `json:"council"`
	StartedOn time.Time `json:"placement_started_on"`
	Derived   Derived   `json:"derived"`
	Record    *Record   `json:"record"` // nil until recorded
	RecordID  int64     `json:"record_id,omitempty"`
	Version   int32     `json:"version,omitempty"`
}

// Need-domain mappings for suggestions (docs/pds.md): a domain of the
// default instrument rated at or above the level suggests the standard's
// field. Other instruments' domains map to nothing, so nothing is suggested.
var needsSuggest = []struct {
	domain string
	level  int32
	risk   string // a risk field suggested risk-present
}{
	{"keeping_safe", 3, "risk_missing"},
	{"emotional_health", 4, "risk_self_harm"},
	{"managing_emotions", 4, "risk_to_others_physical"},
}

// Get returns a placement's record and what Hearth derives for it; the view
// is audited against the child's council. act is Read to show, Write for the form.
func (s *Service) Get(ctx context.Context, userID, childID int64, start time.Time, act authz.Action) (Placement, error) {
	c, err := children.Authorize(ctx, s.pool, s.authz, userID, childID, authz.Placement, act)
	if err != nil {
		return Placement{}, err
	}
	p, err := s.load(ctx, db.New(s.pool), c, start)
	if err != nil {
		return p, err
	}
	return p, audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: c.LaID, Action: "view", Entity: "pds_record",
		EntityID: strconv.FormatInt(childID, 10) + "/" + start.Format(time.DateOnly)})
}

func (s *Service) load(ctx context.Context, q *db.Queries, c db.ChildGetRow, start time.Time) (Placement, error) {
	p := Placement{ChildID: c.ChildID, Council: c.LaID, StartedOn: start}
	eps, err := q.EpisodesByChild(ctx, db.EpisodesByChildParams{LaID: c.LaID, ChildID: c.ChildID})
	if err != nil {
		return p, fmt.Errorf("pds episodes: %w", err)
	}
	costs, err := q.CostsByChild(ctx, db.CostsByChildParams{LaID: c.LaID, ChildID: c.ChildID})
	if err != nil {
		return p, fmt.Errorf("pds costs: %w", err)
	}
	var pl *placements.Placement
	all := placements.WithCosts(eps, costs)
	for i := range all {
		if all[i].StartedOn.Equal(start) {
			pl = &all[i]
		}
	}
	if pl == nil {
		return p, valid.Errorf("start", "the child has no placement starting on %s", start.Format(time.DateOnly))
	}
	d := Derived{Sex: c.Sex, Place: pl.Place, Age: ageOn(c.DateOfBirth, start)}
	fix := func(k string) { d.FixedKeys = append(d.FixedKeys, k) }
	d.Fixed.ChildRef, d.Fixed.PlacementDate = c.ChildRef, start
	fix("child_id")
	fix("placement_date")
	if t := PlacementTypeOf(pl.Place); t != "" {
		d.Fixed.PlacementType = t
		fix("placement_type")
	}
	urn := ""
	if len(pl.Episodes) > 0 && pl.Episodes[0].Urn != nil {
		urn = *pl.Episodes[0].Urn
	}
	if urn == "" && pl.ProviderID != nil {
		pr, err := q.ProviderGet(ctx, *pl.ProviderID)
		if err != nil {
			return p, fmt.Errorf("pds provider: %w", err)
		}
		urn = deref(pr.OfstedUrn)
	}
	if urn != "" && urnRE.MatchString(urn) {
		d.Fixed.ProviderURN = urn
		fix("provider_urn")
	}
	if outwardRE.MatchString(pl.PostcodeDistrict) {
		d.Fixed.PlacementLocation = pl.PostcodeDistrict
		fix("placement_location")
	}
	if len(pl.Costs) > 0 { // the fee paid when the placement was agreed: its first cost period
		first := pl.Costs[0]
		d.Fixed.CostTotal, d.Fixed.CostDate = new(first.WeeklyPence), first.EffectiveFrom
		fix("cost_total_weekly")
		fix("cost_date")
	}
	if pl.OutOfArea != nil {
		d.Suggested.PreferredLocationLocal = new(!*pl.OutOfArea)
	}
	levels, err := q.PdsNeedsBefore(ctx, db.PdsNeedsBeforeParams{LaID: c.LaID, ChildID: c.ChildID, OnDate: start})
	if err != nil {
		return p, fmt.Errorf("pds needs: %w", err)
	}
	if len(levels) > 0 {
		byDomain := map[string]int32{}
		for _, l := range levels {
			byDomain[l.DomainCode] = l.Level
		}
		d.Suggested.Risks = map[string]string{}
		for _, m := range needsSuggest {
			if lv, ok := byDomain[m.domain]; ok && lv >= m.level {
				d.Suggested.Risks[m.risk] = "risk-present"
			}
		}
		if lv, ok := byDomain["communication_learning"]; ok {
			d.Suggested.CommunicationNeeds = "no"
			if lv >= 2 {
				d.Suggested.CommunicationNeeds = "yes"
			}
		}
	}
	p.Derived = d
	row, err := q.PdsForPlacement(ctx, db.PdsForPlacementParams{LaID: c.LaID, ChildID: &c.ChildID, PlacementStartedOn: &start})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return p, fmt.Errorf("pds record: %w", err)
	default:
		r := FromDB(row)
		p.Record, p.RecordID, p.Version = &r, row.RecordID, row.Version
	}
	return p, nil
}

func ageOn(dob, day time.Time) int {
	a := day.Year() - dob.Year()
	if day.Month() < dob.Month() || day.Month() == dob.Month() && day.Day() < dob.Day() {
		a--
	}
	return a
}

// Apply lays what Hearth knows over what the caller gave: a fixed field is
// Hearth's whatever the caller sent, so the record cannot drift from the
// child's episodes and costs.
func (d Derived) Apply(r Record) Record {
	for _, k := range d.FixedKeys {
		switch k {
		case "child_id":
			r.ChildRef = d.Fixed.ChildRef
		case "placement_date":
			r.PlacementDate = d.Fixed.PlacementDate
		case "placement_type":
			r.PlacementType = d.Fixed.PlacementType
		case "provider_urn":
			r.ProviderURN = d.Fixed.ProviderURN
		case "placement_location":
			r.PlacementLocation = d.Fixed.PlacementLocation
		case "cost_total_weekly":
			r.CostTotal = d.Fixed.CostTotal
		case "cost_date":
			r.CostDate = d.Fixed.CostDate
		}
	}
	if r.Risks != nil {
		r.Risks = maps.Clone(r.Risks)
	}
	return r
}

// Saved is the result of a save.
type Saved struct {
	RecordID int64     `json:"record_id"`
	Version  int32     `json:"version"`
	Warnings []Warning `json:"warnings"`
}

// Save records (version 0) or corrects (the version read) a placement's
// standard record. What Hearth knows is applied over the input; the rest is
// validated against the standard's code lists and rules.
func (s *Service) Save(ctx context.Context, userID, childID int64, start time.Time, in Record, version int32) (Saved, error) {
	c, err := children.Authorize(ctx, s.pool, s.authz, userID, childID, authz.Placement, authz.Write)
	if err != nil {
		return Saved{}, err
	}
	var out Saved
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		p, err := s.load(ctx, q, c, start)
		if err != nil {
			return err
		}
		r := p.Derived.Apply(in)
		if out.Warnings, err = r.Validate(); err != nil {
			return err
		}
		if r.ReferralDate.After(s.today()) {
			return valid.Errorf("referral_date", "the referral cannot be in the future")
		}
		ins := insertParams(c.LaID, "hearth", &childID, &userID, r)
		action := "create"
		switch {
		case p.Record == nil && version != 0:
			return ErrConflict // someone deleted it, or the caller thought it existed
		case p.Record == nil:
			row, err := q.PdsInsert(ctx, ins)
			if err != nil {
				return fmt.Errorf("pds insert: %w", err)
			}
			out.RecordID, out.Version = row.RecordID, row.Version
		default:
			row, err := q.PdsUpdate(ctx, updateParams(ins, p.RecordID, version))
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrConflict
			}
			if err != nil {
				return fmt.Errorf("pds update: %w", err)
			}
			out.RecordID, out.Version, action = row.RecordID, row.Version, "update"
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: c.LaID, Action: action, Entity: "pds_record",
			EntityID: strconv.FormatInt(out.RecordID, 10), Detail: map[string]any{"child_id": childID, "placement": start.Format(time.DateOnly)}})
	})
	if out.Warnings == nil {
		out.Warnings = []Warning{}
	}
	return out, err
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
