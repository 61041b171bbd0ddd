package proceedings

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// ErrConflict is returned when a case changed since the caller read it.
var ErrConflict = errors.New("the case was changed by someone else")

// Service keeps proceedings.
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

// FinalOrders names the final orders a case can end with.
var FinalOrders = map[string]string{"care": "Care order", "supervision": "Supervision order", "sgo": "Special guardianship order",
	"placement": "Placement order", "child_arrangements": "Child arrangements order", "no_order": "No order", "withdrawn": "Withdrawn"}

// HearingKinds and Outcomes name hearings.
var (
	HearingKinds = map[string]string{"cmh": "Case management hearing", "fcmh": "Further case management hearing", "irh": "Issues resolution hearing",
		"final": "Final hearing", "other": "Other hearing"}
	Outcomes = map[string]string{"effective": "Effective", "adjourned": "Adjourned", "vacated": "Vacated"}
	// Listed is a hearing's state before its day: not an outcome, so not in Outcomes.
	Listed = "listed"
)

// codes lists a code list's valid values, sorted, for an error that says what
// would have been accepted (an API caller cannot see the form's choices).
func codes(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Input is a case as a court officer records it.
type Input struct {
	CaseNumber, Court string
	PreProceedingsOn  *time.Time
	IssuedOn          time.Time
	ConcludedOn       *time.Time
	FinalOrder        string
	ChildIDs          []int64
	ChildRefs         []string // as a court officer types them; added to ChildIDs
	Version           int32    // for an update
}

func (s *Service) check(in Input) valid.Problems {
	var ps valid.Problems
	today := s.today()
	if len(strings.TrimSpace(in.CaseNumber)) < 3 || len(in.CaseNumber) > 30 {
		ps.Add("case_number", "enter the court's case number")
	}
	if strings.TrimSpace(in.Court) == "" {
		ps.Add("court", "enter the court")
	}
	switch {
	case in.IssuedOn.IsZero():
		ps.Add("issued_on", "enter the date the application was issued")
	case in.IssuedOn.After(today):
		ps.Add("issued_on", "the issue date cannot be in the future")
	}
	if in.PreProceedingsOn != nil && !in.IssuedOn.IsZero() && in.PreProceedingsOn.After(in.IssuedOn) {
		ps.Add("pre_proceedings_on", "pre-proceedings start before the application is issued")
	}
	if in.ConcludedOn != nil {
		switch {
		case in.ConcludedOn.After(today):
			ps.Add("concluded_on", "the conclusion date cannot be in the future")
		case !in.IssuedOn.IsZero() && in.ConcludedOn.Before(in.IssuedOn):
			ps.Add("concluded_on", "the case cannot conclude before it was issued (%s)", in.IssuedOn.Format("2 January 2006"))
		}
	}
	switch {
	case in.FinalOrder != "" && FinalOrders[in.FinalOrder] == "":
		ps.Add("final_order", "choose the final order: one of %s", codes(FinalOrders))
	case in.FinalOrder != "" && in.ConcludedOn == nil:
		ps.Add("concluded_on", "a final order needs the date the case concluded")
	case in.FinalOrder == "" && in.ConcludedOn != nil:
		ps.Add("final_order", "a concluded case needs its final order")
	}
	if len(in.ChildIDs) == 0 {
		ps.Add("children", "choose the children in the case")
	}
	return ps
}

// Save creates (id 0) or updates a case, with its children. A child can be in
// only one open case; hearings cannot fall outside the case's dates.
func (s *Service) Save(ctx context.Context, userID int64, laID int32, id int64, in Input) (int64, error) {
	if id != 0 {
		p, err := s.proceeding(ctx, userID, id, authz.Write)
		if err != nil {
			return 0, err
		}
		laID = p.LaID // the case's council decides, never the form's
	} else if !s.authz.AllowedOn(userID, authz.Object{LAID: laID}, authz.Proceedings, authz.Write) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "proceedings.write", Entity: "proceeding", Outcome: audit.Denied}); err != nil {
			return 0, err
		}
		return 0, children.ErrForbidden
	}
	in.CaseNumber, in.Court = strings.TrimSpace(in.CaseNumber), strings.TrimSpace(in.Court)
	var unknown valid.Problems
	for _, ref := range in.ChildRefs {
		child, err := db.New(s.pool).ChildIDByRef(ctx, db.ChildIDByRefParams{LaID: laID, ChildRef: strings.ToUpper(strings.TrimSpace(ref))})
		if err != nil {
			unknown.Add("children", "%s is not a child of this council", ref)
			continue
		}
		in.ChildIDs = append(in.ChildIDs, child)
	}
	ps := append(unknown, s.check(in)...)
	if len(ps) > 0 {
		return 0, ps.Err()
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var final *string
		if in.FinalOrder != "" {
			final = &in.FinalOrder
		}
		if id == 0 {
			p, err := q.ProceedingInsert(ctx, db.ProceedingInsertParams{LaID: laID, CaseNumber: in.CaseNumber, Court: in.Court,
				PreProceedingsOn: in.PreProceedingsOn, IssuedOn: in.IssuedOn, ConcludedOn: in.ConcludedOn, FinalOrder: final})
			if postgres.IsUniqueViolation(err) {
				return valid.Errorf("case_number", "the council already has a case %s", in.CaseNumber)
			}
			if err != nil {
				return err
			}
			id = p.ProceedingID
		} else {
			p, err := q.ProceedingUpdate(ctx, db.ProceedingUpdateParams{LaID: laID, ProceedingID: id, Version: in.Version, CaseNumber: in.CaseNumber,
				Court: in.Court, PreProceedingsOn: in.PreProceedingsOn, IssuedOn: in.IssuedOn, ConcludedOn: in.ConcludedOn, FinalOrder: final})
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrConflict
			}
			if postgres.IsUniqueViolation(err) {
				return valid.Errorf("case_number", "the council already has a case %s", in.CaseNumber)
			}
			if err != nil {
				return err
			}
			hs, err := q.HearingsByProceeding(ctx, db.HearingsByProceedingParams{LaID: laID, ProceedingID: id})
			if err != nil {
				return err
			}
			for _, h := range hs {
				if h.HeldOn.Before(p.IssuedOn) || p.ConcludedOn != nil && h.HeldOn.After(*p.ConcludedOn) {
					return valid.Errorf("issued_on", "a hearing on %s would fall outside the case's dates", h.HeldOn.Format("2 January 2006"))
				}
			}
			old, err := q.ProceedingChildren(ctx, db.ProceedingChildrenParams{LaID: laID, ProceedingID: id})
			if err != nil {
				return err
			}
			for _, c := range old {
				if err := q.ProceedingChildRemove(ctx, db.ProceedingChildRemoveParams{LaID: laID, ProceedingID: id, ChildID: c.ChildID}); err != nil {
					return err
				}
			}
		}
		for _, child := range in.ChildIDs {
			// Lock the child so two officers cannot put one child in two open cases at once.
			ref, err := q.ChildRefForUpdate(ctx, db.ChildRefForUpdateParams{LaID: laID, ChildID: child})
			if err != nil {
				return valid.Errorf("children", "child %d is not one of the council's children", child)
			}
			if in.ConcludedOn == nil {
				others, err := q.OpenProceedingsOfChild(ctx, db.OpenProceedingsOfChildParams{LaID: laID, ChildID: child, ProceedingID: id})
				if err != nil {
					return err
				}
				if len(others) > 0 {
					return valid.Errorf("children", "child %s is already in open case %s", ref, others[0].CaseNumber)
				}
			}
			if err := q.ProceedingChildAdd(ctx, db.ProceedingChildAddParams{LaID: laID, ProceedingID: id, ChildID: child}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: laID, Action: map[bool]string{true: "create", false: "update"}[in.Version == 0],
			Entity: "proceeding", EntityID: strconv.FormatInt(id, 10), Detail: map[string]any{"case_number": in.CaseNumber, "children": in.ChildIDs}})
	})
	return id, err
}

// HearingInput is a hearing as recorded.
type HearingInput struct {
	On            time.Time
	Kind, Outcome string
	Reason        string
}

// AddHearing records a hearing in a case.
func (s *Service) AddHearing(ctx context.Context, userID, id int64, h HearingInput) error {
	p, err := s.proceeding(ctx, userID, id, authz.Write)
	if err != nil {
		return err
	}
	var ps valid.Problems
	switch {
	case h.On.IsZero():
		ps.Add("held_on", "enter the date of the hearing")
	case h.On.Before(p.IssuedOn):
		ps.Add("held_on", "the hearing is before the case was issued (%s)", p.IssuedOn.Format("2 January 2006"))
	case p.ConcludedOn != nil && h.On.After(*p.ConcludedOn):
		ps.Add("held_on", "the hearing is after the case concluded (%s)", p.ConcludedOn.Format("2 January 2006"))
	}
	if HearingKinds[h.Kind] == "" {
		ps.Add("kind", "Choose the kind of hearing: one of %s", codes(HearingKinds))
	}
	// A hearing today or later is listed: its outcome comes after the day.
	future := !h.On.IsZero() && !h.On.Before(s.today())
	switch {
	case future && (h.Outcome == "" || h.Outcome == "listed"):
		h.Outcome = "listed"
	case future && h.On.After(s.today()):
		ps.Add("outcome", "Leave the outcome of the hearing empty: it is on %s, so record the outcome after that day", h.On.Format("2 January 2006"))
	case h.Outcome == "listed" || (h.Outcome == "" && !h.On.IsZero()):
		ps.Add("outcome", "Choose the outcome of the hearing: effective, adjourned or vacated (it was on %s)", h.On.Format("2 January 2006"))
	case Outcomes[h.Outcome] == "" && !h.On.IsZero():
		ps.Add("outcome", "Choose the outcome of the hearing: one of %s", codes(Outcomes))
	}
	if h.Outcome != "effective" && h.Outcome != "listed" && strings.TrimSpace(h.Reason) == "" && Outcomes[h.Outcome] != "" {
		ps.Add("reason", "Say why the hearing was %s", h.Outcome)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := db.New(tx).HearingInsert(ctx, db.HearingInsertParams{LaID: p.LaID, ProceedingID: id, HeldOn: h.On, Kind: h.Kind, Outcome: h.Outcome,
			Reason: strings.TrimSpace(h.Reason)})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: p.LaID, Action: "create", Entity: "hearing",
			EntityID: strconv.FormatInt(row.HearingID, 10), Detail: map[string]any{"proceeding_id": id, "kind": h.Kind, "outcome": h.Outcome}})
	})
}

// ExpertInput is an expert assessment as recorded.
type ExpertInput struct {
	Kind           string
	CommissionedOn time.Time
	DeliveredOn    *time.Time
	CostPence      int64
}

// AddExpert records an expert assessment in a case.
func (s *Service) AddExpert(ctx context.Context, userID, id int64, e ExpertInput) error {
	p, err := s.proceeding(ctx, userID, id, authz.Write)
	if err != nil {
		return err
	}
	var ps valid.Problems
	if strings.TrimSpace(e.Kind) == "" {
		ps.Add("kind", "say what kind of assessment it is")
	}
	if e.CommissionedOn.IsZero() || e.CommissionedOn.After(s.today()) {
		ps.Add("commissioned_on", "enter the date it was commissioned")
	}
	if e.DeliveredOn != nil && e.DeliveredOn.Before(e.CommissionedOn) {
		ps.Add("delivered_on", "it cannot be delivered before it was commissioned")
	}
	if e.CostPence < 0 {
		ps.Add("cost", "a cost cannot be negative")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := db.New(tx).ExpertInsert(ctx, db.ExpertInsertParams{LaID: p.LaID, ProceedingID: id, Kind: strings.TrimSpace(e.Kind),
			CommissionedOn: e.CommissionedOn, DeliveredOn: e.DeliveredOn, CostPence: e.CostPence})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: p.LaID, Action: "create", Entity: "expert_assessment",
			EntityID: strconv.FormatInt(row.ExpertID, 10), Detail: map[string]any{"proceeding_id": id, "cost_pence": e.CostPence}})
	})
}

// proceeding returns a case the caller may act on, deciding on the case itself:
// its council, and for caseload roles whether one of its children is theirs.
// A case the caller may not read answers ErrNotFound; one they may read but not
// change, ErrForbidden. Both are audited against the case's council.
func (s *Service) proceeding(ctx context.Context, userID, id int64, act authz.Action) (db.Proceeding, error) {
	q := db.New(s.pool)
	eid := strconv.FormatInt(id, 10)
	p, err := q.ProceedingGet(ctx, id)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("proceeding %d: %w", id, err)
	}
	var obj authz.Object
	if err == nil {
		mine, err := q.ProceedingHasAllocatedChild(ctx, db.ProceedingHasAllocatedChildParams{LaID: p.LaID, ProceedingID: id, UserID: userID})
		if err != nil {
			return p, fmt.Errorf("proceeding %d allocation: %w", id, err)
		}
		obj = authz.Object{LAID: p.LaID, Allocated: mine}
	}
	if !s.authz.AllowedOn(userID, obj, authz.Proceedings, authz.Read) {
		if aerr := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: obj.LAID, Action: "proceedings." + string(act), Entity: "proceeding",
			EntityID: eid, Outcome: audit.NotFound}); aerr != nil {
			return p, aerr
		}
		return db.Proceeding{}, children.ErrNotFound
	}
	if act != authz.Read && !s.authz.AllowedOn(userID, obj, authz.Proceedings, act) {
		if aerr := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: p.LaID, Action: "proceedings." + string(act), Entity: "proceeding",
			EntityID: eid, Outcome: audit.Denied}); aerr != nil {
			return p, aerr
		}
		return p, children.ErrForbidden
	}
	return p, nil
}

func contains(xs []int32, x int32) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Detail is one case with everything recorded and its cost of delay.
type Detail struct {
	Proceeding db.Proceeding              `json:"proceeding"`
	Children   []db.ProceedingChildrenRow `json:"children"`
	Hearings   []db.Hearing               `json:"hearings"`
	Experts    []db.ExpertAssessment      `json:"experts"`
	Params     Params                     `json:"params"`
	Breakdown  Breakdown                  `json:"breakdown"`
	AsOf       time.Time                  `json:"as_of"`
}

// Get returns a case; the view is audited.
func (s *Service) Get(ctx context.Context, userID, id int64) (Detail, error) {
	p, err := s.proceeding(ctx, userID, id, authz.Read)
	if err != nil {
		return Detail{}, err
	}
	r, err := s.report(ctx, []int32{p.LaID}, p.IssuedOn, p.IssuedOn, &id)
	if err != nil {
		return Detail{}, err
	}
	if len(r.Cases) != 1 {
		return Detail{}, fmt.Errorf("case %d: %d rows", id, len(r.Cases))
	}
	q := db.New(s.pool)
	d := Detail{Proceeding: p, Params: r.Cases[0].Params, Breakdown: r.Cases[0].Breakdown, AsOf: r.AsOf}
	all, err := q.ProceedingChildren(ctx, db.ProceedingChildrenParams{LaID: p.LaID, ProceedingID: id})
	if err != nil {
		return d, err
	}
	// Someone who reads cases only through their caseload sees only their own
	// children of it, not a sibling allocated to a colleague.
	whole := s.authz.AllowedOn(userID, authz.Object{LAID: p.LaID}, authz.Proceedings, authz.Read)
	d.Children = []db.ProceedingChildrenRow{}
	shown := []string{}
	for _, c := range all {
		if !whole {
			mine, err := q.ChildAllocatedTo(ctx, db.ChildAllocatedToParams{LaID: p.LaID, ChildID: c.ChildID, UserID: userID})
			if err != nil {
				return d, err
			}
			if !mine {
				continue
			}
		}
		d.Children = append(d.Children, c)
		shown = append(shown, strconv.FormatInt(c.ChildID, 10))
	}
	if d.Hearings, err = q.HearingsByProceeding(ctx, db.HearingsByProceedingParams{LaID: p.LaID, ProceedingID: id}); err != nil {
		return d, err
	}
	if d.Experts, err = q.ExpertsByProceeding(ctx, db.ExpertsByProceedingParams{LaID: p.LaID, ProceedingID: id}); err != nil {
		return d, err
	}
	return d, audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: p.LaID, Action: "view", Entity: "proceeding", EntityID: strconv.FormatInt(id, 10),
		Detail: map[string]any{"children_shown": shown}})
}

// ForChild lists a child's cases with their cost of delay.
func (s *Service) ForChild(ctx context.Context, userID int64, laID int32, childID int64) ([]CaseRow, error) {
	// The child page has read the child already; this asks the database only
	// when nothing in the request has.
	mine, err := children.AllocatedTo(ctx, s.pool, userID, laID, childID)
	if err != nil {
		return nil, err
	}
	if !s.authz.AllowedOn(userID, authz.Object{LAID: laID, Allocated: mine}, authz.Proceedings, authz.Read) {
		return nil, nil
	}
	ps, err := db.New(s.pool).ProceedingsByChild(ctx, db.ProceedingsByChildParams{LaID: laID, ChildID: childID})
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	var out []CaseRow
	for _, p := range ps {
		r, err := s.report(ctx, []int32{laID}, p.IssuedOn, p.IssuedOn, &p.ProceedingID)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Cases...)
	}
	return out, nil
}

// CaseRow is a case in a report.
type CaseRow struct {
	Case      Case      `json:"case"`
	Council   string    `json:"council"`
	Court     string    `json:"court"`
	Params    Params    `json:"params"`
	Breakdown Breakdown `json:"breakdown"`
}

// Report is delay across a council or region over a period.
type Report struct {
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	AsOf          time.Time `json:"as_of"`
	Councils      []int32   `json:"councils"`
	Cases         []CaseRow `json:"cases"`
	Summary       Summary   `json:"summary"`
	AnnualBenefit int64     `json:"one_week_benefit_a_year_pence"`
	Histogram     []Bucket  `json:"duration_histogram"`
}

// Bucket counts cases by duration.
type Bucket struct {
	Label string `json:"label"`
	From  int    `json:"from_weeks"`
	Count int    `json:"count"`
}

// Delay reports delay for the councils the caller may read, or one of them, over a period.
func (s *Service) Delay(ctx context.Context, userID int64, laID *int32, from, to time.Time) (Report, error) {
	var ps valid.Problems
	if to.Before(from) {
		ps.Add("to", "the period ends before it starts")
	}
	if err := ps.Err(); err != nil {
		return Report{}, err
	}
	// Delay figures name the children of every case, so they are for roles
	// that read all of a council's cases, not a caseload.
	las := s.authz.Scope(userID, authz.Proceedings, authz.Read).All
	refuse := func(la int32) (Report, error) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "view", Entity: "delay", Outcome: audit.Denied}); err != nil {
			return Report{}, err
		}
		return Report{}, children.ErrForbidden
	}
	if laID != nil {
		if !contains(las, *laID) {
			return refuse(*laID)
		}
		las = []int32{*laID}
	}
	if len(las) == 0 {
		return refuse(0)
	}
	rep, err := s.report(ctx, las, from, to, nil)
	if err != nil {
		return rep, err
	}
	cases := map[int32]map[string]any{}
	for _, c := range rep.Cases {
		if cases[c.Case.LAID] == nil {
			cases[c.Case.LAID] = map[string]any{"cases": 0}
		}
		cases[c.Case.LAID]["cases"] = cases[c.Case.LAID]["cases"].(int) + 1
	}
	return rep, audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "delay",
		Detail: map[string]any{"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}}, las, cases)
}

// caseDetails reads one case's hearings, experts, children and their costs.
func caseDetails(ctx context.Context, q *db.Queries, la int32, id int64) ([]db.Hearing, []db.ExpertAssessment, []db.ChildrenForProceedingsRow, placed, error) {
	ids := []int64{id}
	hs, err := q.HearingsForProceedings(ctx, db.HearingsForProceedingsParams{LaID: la, Ids: ids})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	es, err := q.ExpertsForProceedings(ctx, db.ExpertsForProceedingsParams{LaID: la, Ids: ids})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cs, err := q.ChildrenForProceedings(ctx, db.ChildrenForProceedingsParams{LaID: la, Ids: ids})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	childIDs := make([]int64, len(cs))
	for i, c := range cs {
		childIDs[i] = c.ChildID
	}
	costs, err := q.CostsForChildren(ctx, db.CostsForChildrenParams{LaID: la, Ids: childIDs})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	eps, err := q.EpisodesForChildren(ctx, db.EpisodesForChildrenParams{LaID: la, Ids: childIDs})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	pcs := make([]db.PlacementCost, len(costs))
	for i, c := range costs {
		pcs[i] = db.PlacementCost{ChildID: c.ChildID, PlacementStartedOn: c.PlacementStartedOn, EffectiveFrom: c.EffectiveFrom,
			EffectiveTo: c.EffectiveTo, WeeklyPence: c.WeeklyPence}
	}
	return hs, es, cs, placedByChild(eps, pcs), nil
}

// placed is each child's placements with their costs.
type placed map[int64][]placements.Placement

// placedByChild groups episodes and costs (each ordered by child) by child.
func placedByChild(eps []db.Episode, costs []db.PlacementCost) placed {
	epsBy, costsBy := map[int64][]db.Episode{}, map[int64][]db.PlacementCost{}
	for _, e := range eps {
		epsBy[e.ChildID] = append(epsBy[e.ChildID], e)
	}
	for _, c := range costs {
		costsBy[c.ChildID] = append(costsBy[c.ChildID], c)
	}
	out := placed{}
	for id, es := range epsBy {
		out[id] = placements.WithCosts(es, costsBy[id])
	}
	return out
}

// periodDetails reads the same for every case active in a period, the four
// reads at once: for a large council they are each tens of milliseconds.
func periodDetails(ctx context.Context, q *db.Queries, p db.HearingsInPeriodParams) ([]db.Hearing, []db.ExpertAssessment, []db.ChildrenForProceedingsRow, placed, error) {
	var (
		hs                 []db.Hearing
		es                 []db.ExpertAssessment
		crows              []db.ChildrenInPeriodRow
		prows              []db.CostsInPeriodRow
		eps                []db.Episode
		e1, e2, e3, e4, e5 error
		wg                 sync.WaitGroup
	)
	wg.Go(func() { hs, e1 = q.HearingsInPeriod(ctx, p) })
	wg.Go(func() { es, e2 = q.ExpertsInPeriod(ctx, db.ExpertsInPeriodParams(p)) })
	wg.Go(func() { crows, e3 = q.ChildrenInPeriod(ctx, db.ChildrenInPeriodParams(p)) })
	wg.Go(func() { prows, e4 = q.CostsInPeriod(ctx, db.CostsInPeriodParams(p)) })
	wg.Go(func() { eps, e5 = q.EpisodesInPeriod(ctx, db.EpisodesInPeriodParams(p)) })
	wg.Wait()
	if err := errors.Join(e1, e2, e3, e4, e5); err != nil {
		return nil, nil, nil, nil, err
	}
	cs := make([]db.ChildrenForProceedingsRow, len(crows))
	for i, c := range crows {
		cs[i] = db.ChildrenForProceedingsRow(c)
	}
	costs := make([]db.PlacementCost, len(prows))
	for i, c := range prows {
		costs[i] = db.PlacementCost{ChildID: c.ChildID, PlacementStartedOn: c.PlacementStartedOn, EffectiveFrom: c.EffectiveFrom,
			EffectiveTo: c.EffectiveTo, WeeklyPence: c.WeeklyPence}
	}
	return hs, es, cs, placedByChild(eps, costs), nil
}

func (s *Service) report(ctx context.Context, las []int32, from, to time.Time, only *int64) (Report, error) {
	q := db.New(s.pool)
	asOf := s.today()
	if to.Before(asOf) && only == nil {
		asOf = to
	}
	r := Report{From: from, To: to, AsOf: asOf, Councils: las, Cases: []CaseRow{}}
	var rows []db.ProceedingsActiveRow
	if only != nil {
		p, err := q.ProceedingGet(ctx, *only)
		if err != nil {
			return r, err
		}
		rows = []db.ProceedingsActiveRow{{LaID: p.LaID, ProceedingID: p.ProceedingID, CaseNumber: p.CaseNumber, Court: p.Court,
			PreProceedingsOn: p.PreProceedingsOn, IssuedOn: p.IssuedOn, ConcludedOn: p.ConcludedOn, FinalOrder: p.FinalOrder}}
		r.AsOf = s.today()
	} else {
		var err error
		if rows, err = q.ProceedingsActive(ctx, db.ProceedingsActiveParams{LaIds: las, PeriodStart: from, PeriodEnd: to}); err != nil {
			return r, err
		}
	}
	var (
		hs    []db.Hearing
		es    []db.ExpertAssessment
		cs    []db.ChildrenForProceedingsRow
		costs placed
		err   error
	)
	if only != nil {
		hs, es, cs, costs, err = caseDetails(ctx, q, rows[0].LaID, *only)
	} else {
		hs, es, cs, costs, err = periodDetails(ctx, q, db.HearingsInPeriodParams{LaIds: las, PeriodStart: from, PeriodEnd: to})
	}
	if err != nil {
		return r, err
	}
	params, err := s.params(ctx, q, las)
	if err != nil {
		return r, err
	}
	cases := map[int64]*Case{}
	for _, p := range rows {
		c := &Case{ID: p.ProceedingID, LAID: p.LaID, CaseNumber: p.CaseNumber, PreProceedingsOn: p.PreProceedingsOn, IssuedOn: p.IssuedOn,
			ConcludedOn: p.ConcludedOn}
		if p.FinalOrder != nil {
			c.FinalOrder = *p.FinalOrder
		}
		if c.ConcludedOn != nil && c.ConcludedOn.After(r.AsOf) {
			c.ConcludedOn = nil // as the period's end saw it
		}
		cases[p.ProceedingID] = c
	}
	for _, h := range hs {
		if c := cases[h.ProceedingID]; c != nil && !h.HeldOn.After(r.AsOf) {
			c.Hearings = append(c.Hearings, Hearing{On: h.HeldOn, Kind: h.Kind, Outcome: h.Outcome})
		}
	}
	for _, e := range es {
		if c := cases[e.ProceedingID]; c != nil && !e.CommissionedOn.After(r.AsOf) {
			c.Experts = append(c.Experts, Expert{Kind: e.Kind, CostPence: e.CostPence})
		}
	}
	for _, ch := range cs {
		if c := cases[ch.ProceedingID]; c != nil {
			c.Children = append(c.Children, CaseChild{ChildID: ch.ChildID, ChildRef: ch.ChildRef, Placements: costs[ch.ChildID]})
		}
	}
	var bs []Breakdown
	names := map[int32]string{}
	for _, p := range rows {
		names[p.LaID] = p.CouncilName
	}
	for _, p := range rows {
		c := cases[p.ProceedingID]
		par := params(p.LaID, c.IssuedOn)
		b := Cost(*c, par, r.AsOf)
		bs = append(bs, b)
		r.Cases = append(r.Cases, CaseRow{Case: *c, Council: names[p.LaID], Court: p.Court, Params: par, Breakdown: b})
	}
	r.Summary = Summarise(bs)
	if days := to.Sub(from).Hours() / 24; days >= 28 {
		r.AnnualBenefit = int64(math.Round(float64(r.Summary.OneWeekBenefit) * 365 / (days + 1)))
	}
	r.Histogram = histogram(bs)
	return r, nil
}

func histogram(bs []Breakdown) []Bucket {
	edges := []int{0, 13, 26, 39, 52, 78}
	out := make([]Bucket, len(edges))
	for i, e := range edges {
		out[i].From = e
		if i+1 < len(edges) {
			out[i].Label = fmt.Sprintf("%d–%d", e, edges[i+1])
		} else {
			out[i].Label = fmt.Sprintf("%d+", e)
		}
	}
	for _, b := range bs {
		i := sort.Search(len(edges), func(i int) bool { return float64(edges[i]) > b.Weeks }) - 1
		out[max(0, i)].Count++
	}
	return out
}

// params returns a lookup of the parameters in force for a council on a date.
func (s *Service) params(ctx context.Context, q *db.Queries, las []int32) (func(int32, time.Time) Params, error) {
	rows, err := q.DelayParameters(ctx, las)
	if err != nil {
		return nil, err
	}
	return func(la int32, on time.Time) Params {
		for _, r := range rows {
			if r.LaID == la && !r.EffectiveFrom.After(on) && (r.EffectiveTo == nil || !r.EffectiveTo.Before(on)) {
				return paramsOf(r)
			}
		}
		return National
	}, nil
}

func paramsOf(r db.DelayParameter) Params {
	return Params{TargetWeeks: int(r.TargetWeeks), StandardHearings: r.StandardHearings, LegalPencePerHearing: r.LegalPencePerHearing,
		SWHoursPerWeek: r.SwHoursPerWeek, SWPencePerHour: r.SwPencePerHour, ContactHoursPerWeek: r.ContactHoursPerWeek,
		ContactPencePerHour: r.ContactPencePerHour, PlacementPencePerWeek: r.PlacementPencePerWeek}
}

// Parameters lists a council's parameter periods.
func (s *Service) Parameters(ctx context.Context, laID int32) ([]db.DelayParameter, error) {
	return db.New(s.pool).DelayParameters(ctx, []int32{laID})
}

// SetParameters adds a council's parameters from a date; only council admins may.
func (s *Service) SetParameters(ctx context.Context, userID int64, laID int32, from time.Time, to *time.Time, p Params) error {
	if !s.authz.Allowed(userID, authz.CouncilDomain(laID), authz.Council, authz.Manage) {
		// The refusal is recorded against the council whose parameters were asked for.
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "create", Entity: "delay_parameters",
			Outcome: audit.Denied}); err != nil {
			return err
		}
		return children.ErrForbidden
	}
	var ps valid.Problems
	if from.IsZero() {
		ps.Add("effective_from", "enter the date these parameters apply from")
	}
	if to != nil && to.Before(from) {
		ps.Add("effective_to", "the end date is before the start date")
	}
	if p.TargetWeeks < 1 || p.TargetWeeks > 104 {
		ps.Add("target_weeks", "the target is between 1 and 104 weeks")
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"standard_hearings", p.StandardHearings}, {"legal_per_hearing", float64(p.LegalPencePerHearing)}, {"sw_hours", p.SWHoursPerWeek},
		{"sw_rate", float64(p.SWPencePerHour)}, {"contact_hours", p.ContactHoursPerWeek}, {"contact_rate", float64(p.ContactPencePerHour)},
		{"placement_weekly", float64(p.PlacementPencePerWeek)}} {
		if f.v < 0 || math.IsNaN(f.v) {
			ps.Add(f.field, "cannot be negative")
		}
	}
	if p.SWHoursPerWeek > 168 || p.ContactHoursPerWeek > 168 {
		ps.Add("sw_hours", "there are only 168 hours in a week")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := db.New(tx).DelayParameterInsert(ctx, db.DelayParameterInsertParams{LaID: laID, EffectiveFrom: from, EffectiveTo: to,
			TargetWeeks: int32(p.TargetWeeks), StandardHearings: p.StandardHearings, LegalPencePerHearing: p.LegalPencePerHearing,
			SwHoursPerWeek: p.SWHoursPerWeek, SwPencePerHour: p.SWPencePerHour, ContactHoursPerWeek: p.ContactHoursPerWeek,
			ContactPencePerHour: p.ContactPencePerHour, PlacementPencePerWeek: p.PlacementPencePerWeek})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: laID, Action: "create", Entity: "delay_parameters",
			EntityID: strconv.FormatInt(row.ParameterID, 10), Detail: map[string]any{"from": from.Format(time.DateOnly), "params": p}})
	})
	if postgres.IsExclusionViolation(err) {
		return valid.Errorf("effective_from", "these dates overlap parameters the council already has; end those first or choose other dates")
	}
	return err
}

// CouncilReport is Delay without the caller's permissions, for trusted callers
// (the command line, or a page that has already checked them).
func (s *Service) CouncilReport(ctx context.Context, las []int32, from, to time.Time) (Report, error) {
	return s.report(ctx, las, from, to, nil)
}

// Council returns the council of a case, for recording a refused request
// against it. It is never shown to the caller.
func (s *Service) Council(ctx context.Context, id int64) (int32, bool) {
	p, err := db.New(s.pool).ProceedingGet(ctx, id)
	return p.LaID, err == nil
}

// Authorize decides whether the caller may act on a case, as the service
// methods do; pages ask before showing a form. Refusals are audited.
func (s *Service) Authorize(ctx context.Context, userID, id int64, act authz.Action) error {
	_, err := s.proceeding(ctx, userID, id, act)
	return err
}

// RecordOutcome records what happened at a listed hearing, once its day has
// come. A hearing whose outcome is already recorded is a conflict.
func (s *Service) RecordOutcome(ctx context.Context, userID, id, hearingID int64, outcome, reason string) error {
	p, err := s.proceeding(ctx, userID, id, authz.Write)
	if err != nil {
		return err
	}
	var ps valid.Problems
	if Outcomes[outcome] == "" {
		ps.Add("outcome", "Choose the outcome of the hearing: one of %s", codes(Outcomes))
	}
	if outcome != "effective" && Outcomes[outcome] != "" && strings.TrimSpace(reason) == "" {
		ps.Add("reason", "Say why the hearing was %s", outcome)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := db.New(tx).HearingRecordOutcome(ctx, db.HearingRecordOutcomeParams{Outcome: outcome, Reason: strings.TrimSpace(reason),
			LaID: p.LaID, ProceedingID: id, HearingID: hearingID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict // recorded already, or not a hearing of this case
		}
		if err != nil {
			return fmt.Errorf("record outcome: %w", err)
		}
		if row.HeldOn.After(s.today()) {
			return valid.Errorf("outcome", "The hearing is on %s: record its outcome after that day", row.HeldOn.Format("2 January 2006"))
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: p.LaID, Action: "update", Entity: "hearing",
			EntityID: strconv.FormatInt(hearingID, 10), Detail: map[string]any{"proceeding_id": id, "outcome": outcome}})
	})
}
