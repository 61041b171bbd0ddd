package analytics

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Service works out analytics from the database.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time

	mu         sync.Mutex
	cache      map[cacheKey]*councilFit // councils' medians for child pages, briefly
	refresh    singleflight.Group       // one snapshot read per council at a time
	refreshing map[cacheKey]bool        // councils being read again in the background
	// Reads sends the cohort's reads to a streaming replica while it keeps
	// up (DATABASE_REPLICA_URL); nil reads the primary. Audit events are
	// always written to the primary.
	Reads *postgres.Reads
	// readCouncil reads a council's children in care (Snapshot; tests count it).
	readCouncil func(ctx context.Context, la int32, asOf time.Time) ([]Child, error)
}

type cacheKey struct {
	la   int32
	asOf time.Time
}

// councilFit is a council's children in care today, with its medians worked
// out once, for the child pages' cost-against-needs comparison.
type councilFit struct {
	at      time.Time
	byChild map[int64]Child
	medians Medians
}

// fitFresh is how long a council's medians answer child pages before they
// are read again; fitStale is how long, past that, a page may still be
// answered from them while one request reads them again in the background.
const (
	fitFresh = 5 * time.Minute
	fitStale = 30 * time.Minute
)

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	s := &Service{pool: pool, authz: az, Now: time.Now, cache: map[cacheKey]*councilFit{}, refreshing: map[cacheKey]bool{}}
	s.readCouncil = func(ctx context.Context, la int32, asOf time.Time) ([]Child, error) {
		return Snapshot(ctx, db.New(s.pool), []int32{la}, asOf)
	}
	return s
}

// Today is the as-of date when none is given.
func (s *Service) Today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Snapshot reads every child in care on asOf in the councils, with band
// and score from the default instrument.
// When ctx carries a replica that keeps up (postgres.WithReads), the
// children are read there instead of through q: the regional figures,
// forecasts and reports read whole councils, and on the replica they do not
// compete with page views for the primary.
func Snapshot(ctx context.Context, q *db.Queries, las []int32, asOf time.Time) ([]Child, error) {
	if r := postgres.ReplicaFor(ctx); r != nil {
		q = db.New(r)
	}
	kids, _, err := SnapshotComputed(ctx, q, las, asOf)
	return kids, err
}

// SnapshotComputed is Snapshot with when its figures were computed: the
// view's refresh time when they come from today's view, or the zero time
// when they were worked out from the tables just now. The view is used only
// while nothing it reads has changed since its refresh (schema/015).
func SnapshotComputed(ctx context.Context, q *db.Queries, las []int32, asOf time.Time) ([]Child, time.Time, error) {
	row, err := q.InstrumentGetByCode(ctx, needs.DefaultInstrument)
	if err != nil {
		return nil, time.Time{}, err
	}
	in, err := needs.LoadInstrument(ctx, q, row.InstrumentID)
	if err != nil {
		return nil, time.Time{}, err
	}
	b := builder{asOf: asOf, in: in, codes: map[string]string{}}
	ref, refErr := q.CurrentRefreshed(ctx)
	if refErr == nil && ref.AsOf.Equal(asOf) && !ref.Stale {
		// Today's figures come from the refreshed view (schema/011), streamed
		// into one allocation: growing a slice of 100,000 children cost more
		// than reading them.
		n, err := q.CurrentCount(ctx, las)
		if err != nil {
			return nil, time.Time{}, err
		}
		b.kids = make([]Child, 0, n)
		err = q.CurrentSnapshotEach(ctx, las, func(r *db.ChildCurrentRow) error {
			b.add(r)
			return nil
		})
		return b.kids, ref.RefreshedAt, err
	}
	// A past date reads its kept rows while no write since could have
	// changed them (schema/031); otherwise the tables, and the refresher
	// keeps the date for next time.
	if refErr == nil && asOf.Before(ref.AsOf) {
		if ok, err := keptSnapshot(ctx, q, &b, las, asOf); err != nil || ok {
			return b.kids, time.Time{}, err
		}
		Want(las, asOf)
	}
	rows, err := q.CohortSnapshot(ctx, db.CohortSnapshotParams{AsOf: asOf, LaIds: las, InstrumentID: in.ID})
	if err != nil {
		return nil, time.Time{}, err
	}
	b.kids = make([]Child, 0, len(rows))
	for _, r := range rows {
		b.add(&db.ChildCurrentRow{LaID: r.LaID, ChildID: r.ChildID, Age: r.Age, BirthYm: r.BirthYm, CareDays: r.CareDays,
			Uasc: r.Uasc, EhcPlan: r.EhcPlan, Place: []byte(r.Place), PlaceProvider: []byte(r.PlaceProvider), ProviderID: r.ProviderID,
			LegalStatus: []byte(r.LegalStatus), OutOfArea: r.OutOfArea, DistanceMiles: r.DistanceMiles, WeeklyPence: r.WeeklyPence,
			AssessmentID: r.AssessmentID, AssessedDays: r.AssessedDays, Levels: []byte(r.Levels)})
	}
	return b.kids, time.Time{}, nil
}

// builder turns snapshot rows into children without allocating per child:
// codes are interned, and levels share backing arrays.
type builder struct {
	asOf   time.Time
	in     needs.Instrument
	codes  map[string]string
	levels []int32
	kids   []Child
}

func (b *builder) code(v []byte) string {
	if s, ok := b.codes[string(v)]; ok {
		return s
	}
	s := string(v)
	b.codes[s] = s
	return s
}

func (b *builder) add(r *db.ChildCurrentRow) {
	place, kind := b.code(r.Place), b.code(r.PlaceProvider)
	k := Child{LAID: r.LaID, ChildID: r.ChildID, Age: int(r.Age), BirthYM: r.BirthYm,
		YearsInCare: float64(r.CareDays) / 365.25, UASC: r.Uasc, EHC: r.EhcPlan, LegalStatus: b.code(r.LegalStatus),
		Place: place, Group: GroupOf(place, kind), ProviderKind: kind, ProviderID: r.ProviderID,
		OutOfArea: r.OutOfArea, Distance: r.DistanceMiles, WeeklyPence: r.WeeklyPence}
	// Levels come as a string of digits, one per domain (schema/009).
	if n := len(b.in.Domains); r.AssessmentID != 0 && len(r.Levels) == n {
		if cap(b.levels)-len(b.levels) < n {
			b.levels = make([]int32, 0, 1024*n)
		}
		start := len(b.levels)
		for _, ch := range r.Levels {
			l := int32(ch - '0')
			b.levels = append(b.levels, l)
			k.Score += l
		}
		k.Assessed, k.AssessedOn, k.Levels = true, b.asOf.AddDate(0, 0, -int(r.AssessedDays)), b.levels[start:len(b.levels):len(b.levels)]
		k.Band = b.in.BandOfLevels(k.Levels).Code
	}
	b.kids = append(b.kids, k)
}

// CandidateRefs fills in the council references of the step-down candidates,
// the children a council's pages list; snapshots leave them out (schema/011).
func CandidateRefs(ctx context.Context, q *db.Queries, c *Cohort) error {
	if len(c.StepDown.Candidates) == 0 {
		return nil
	}
	var las []int32
	kids := make([]*Child, len(c.StepDown.Candidates))
	ids := make([]int64, len(kids))
	for i := range c.StepDown.Candidates {
		k := &c.StepDown.Candidates[i].Child
		kids[i] = k
		ids[i] = k.ChildID
		if !slices.Contains(las, k.LAID) {
			las = append(las, k.LAID)
		}
	}
	rows, err := q.ChildRefs(ctx, db.ChildRefsParams{LaIds: las, ChildIds: ids})
	if err != nil {
		return err
	}
	ref := make(map[[2]int64]string, len(rows))
	for _, r := range rows {
		ref[[2]int64{int64(r.LaID), r.ChildID}] = r.ChildRef
	}
	for _, k := range kids {
		k.ChildRef = ref[[2]int64{int64(k.LAID), k.ChildID}]
	}
	return nil
}

// RefreshCurrent rebuilds the view of children in care (schema/013) for
// asOf, the application's today, without blocking readers. Only the view's
// owner may refresh it, so hearth_app calls the owner's function (schema/016),
// which dates the view and refreshes it in one transaction: a reader never
// pairs the rows with another day.
//
// It does nothing when the view already holds asOf and nothing it reads has
// changed (CurrentUpToDate): nationally a refresh reads every child (1.5 s on
// a quiet machine, 35 s under the page benchmark), and on most ticks of a
// day of page views nothing has changed.
func RefreshCurrent(ctx context.Context, pool *pgxpool.Pool, asOf time.Time) error {
	upToDate, err := db.New(pool).CurrentUpToDate(ctx, asOf)
	if err != nil {
		return fmt.Errorf("refresh child_current: %w", err)
	}
	if upToDate {
		return nil
	}
	if _, err := pool.Exec(ctx, "SELECT child_current_refresh($1)", asOf); err != nil {
		return fmt.Errorf("refresh child_current: %w", err)
	}
	return nil
}

// Rules reads the councils' step-down rules.
func Rules(ctx context.Context, q *db.Queries, las []int32) (map[int32]StepRule, error) {
	rows, err := q.StepDownRules(ctx, las)
	if err != nil {
		return nil, err
	}
	out := map[int32]StepRule{}
	for _, r := range rows {
		sr := StepRule{Places: map[string]bool{}, Bands: map[string]bool{}}
		for _, p := range r.StepdownPlaces {
			sr.Places[p] = true
		}
		for _, b := range r.StepdownBands {
			sr.Bands[b] = true
		}
		out[r.LaID] = sr
	}
	return out, nil
}

// readPool is where the cohort's reads go: the replica while it keeps up.
func (s *Service) readPool(ctx context.Context) *pgxpool.Pool {
	if p := s.Reads.Pool(ctx); p != nil {
		return p
	}
	return s.pool
}

// Councils are the councils whose cohort figures the caller may see.
func (s *Service) Councils(userID int64) []int32 {
	return s.authz.Councils(userID, authz.Child, authz.ReadAll)
}

// Cohort works out the figures for a filter on a date, across the caller's
// councils (or the one the filter names). The view is audited.
func (s *Service) Cohort(ctx context.Context, userID int64, f Filter, asOf time.Time) (Cohort, error) {
	las, err := s.scope(ctx, userID, f, "cohort")
	if err != nil {
		return Cohort{}, err
	}
	q := db.New(s.readPool(ctx))
	kids, computed, err := SnapshotComputed(ctx, q, las, asOf)
	if err != nil {
		return Cohort{}, err
	}
	rules, err := Rules(ctx, q, las)
	if err != nil {
		return Cohort{}, err
	}
	c := Compute(kids, f, asOf, 12, rules)
	if c.ComputedAt = computed; computed.IsZero() {
		c.ComputedAt = s.Now().UTC()
	}
	if err := CandidateRefs(ctx, q, &c); err != nil {
		return Cohort{}, err
	}
	c.Councils = las
	if c.Referrals, err = referrals(ctx, q, las, asOf); err != nil {
		return Cohort{}, err
	}
	// The figures list step-down candidates by child reference: recorded
	// against each council counted.
	err = audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "cohort",
		Detail: map[string]any{"councils": las, "as_of": asOf.Format(time.DateOnly), "n": c.N, "step_down_children": len(c.StepDown.Candidates)}}, las, nil)
	return c, err
}

// scope is the councils whose children the caller's figures for f count:
// the council f names, if the caller may see it, or all they may. A refusal
// is audited (against the council asked for) as a view of entity.
func (s *Service) scope(ctx context.Context, userID int64, f Filter, entity string) ([]int32, error) {
	las := s.Councils(userID)
	if f.LAID != 0 {
		if !slices.Contains(las, f.LAID) {
			_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: f.LAID, Action: "view", Entity: entity, Outcome: audit.Denied})
			return nil, children.ErrForbidden
		}
		return []int32{f.LAID}, nil
	}
	if len(las) == 0 {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: entity, Outcome: audit.Denied}); err != nil {
			return nil, err
		}
		return nil, children.ErrForbidden
	}
	return las, nil
}

// ChildFit compares one child with their council's children in care today.
// A council's medians are worked out once and kept (fitFresh): a child page
// does not read the 40,000 children of its council. When they expire, one
// request reads them again (single flight) while pages carry on with the old
// ones; only a council never read, or long stale, waits, and then every page
// that asks waits for that one read, not for one read each (50 pages on a
// cold cache took 3.8 s each when every one read the council).
func (s *Service) ChildFit(ctx context.Context, la int32, childID int64) (Fit, bool, error) {
	today := s.Today()
	key := cacheKey{la, today}
	s.mu.Lock()
	c := s.cache[key]
	s.mu.Unlock()
	age := time.Duration(0)
	if c != nil {
		age = s.Now().Sub(c.at)
	}
	switch {
	case c == nil || age > fitStale:
		var err error
		if c, err = s.councilFit(ctx, key); err != nil {
			return Fit{}, false, err
		}
	case age > fitFresh:
		// One refresh in the background; the pages meanwhile use the old
		// medians. Single flight alone would start a new read for each page
		// that arrives after the last read ended and before the cache changed.
		s.mu.Lock()
		start := !s.refreshing[key]
		s.refreshing[key] = true
		s.mu.Unlock()
		if start {
			go func() {
				_, _ = s.councilFit(ctx, key)
				s.mu.Lock()
				delete(s.refreshing, key)
				s.mu.Unlock()
			}()
		}
	}
	k, ok := c.byChild[childID]
	if !ok {
		return Fit{}, false, nil
	}
	return FitAgainst(k, c.medians), true, nil
}

// councilFit reads a council's children in care and works out its medians,
// once however many pages ask at the same moment.
func (s *Service) councilFit(ctx context.Context, key cacheKey) (*councilFit, error) {
	ch := s.refresh.DoChan(fmt.Sprintf("%d/%s", key.la, key.asOf.Format(time.DateOnly)), func() (any, error) {
		// The read is shared, so it is not cancelled when the page that
		// started it goes away, and it sees the council it is about.
		rctx := postgres.WithCouncils(context.WithoutCancel(ctx), postgres.OnlyCouncils(key.la))
		kids, err := s.readCouncil(rctx, key.la, key.asOf)
		if err != nil {
			return nil, err
		}
		c := &councilFit{at: s.Now(), byChild: make(map[int64]Child, len(kids)), medians: MediansOf(kids)}
		for _, k := range kids {
			c.byChild[k.ChildID] = k
		}
		s.mu.Lock()
		for k := range s.cache {
			if k.asOf.Before(key.asOf) {
				delete(s.cache, k) // yesterday's
			}
		}
		s.cache[key] = c
		s.mu.Unlock()
		return c, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*councilFit), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ParseFilter reads a filter from query values, naming what is wrong.
func ParseFilter(get func(string) string) (Filter, time.Time, error) {
	var f Filter
	var ps valid.Problems
	if v := get("la"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.Add("la", "%q is not a council code", v)
		}
		f.LAID = int32(n)
	}
	f.Group, f.Band, f.AgeBand, f.TimeInCare, f.LegalStatus = get("placement"), get("band"), get("age_band"), get("time_in_care"), get("legal_status")
	check := func(field, v string, allowed []string) {
		if v == "" {
			return
		}
		for _, a := range allowed {
			if a == v {
				return
			}
		}
		ps.Add(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	check("placement", f.Group, Groups)
	check("band", f.Band, append(append([]string{}, Bands...), "none"))
	check("age_band", f.AgeBand, AgeBands)
	check("time_in_care", f.TimeInCare, TimeInCareBands)
	for _, b := range []struct {
		name string
		p    **bool
	}{{"uasc", &f.UASC}, {"ehc_plan", &f.EHC}} {
		switch v := get(b.name); v {
		case "":
		case "yes":
			*b.p = ptrBool(true)
		case "no":
			*b.p = ptrBool(false)
		default:
			ps.Add(b.name, "%q is not yes or no", v)
		}
	}
	if v := get("provider"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			ps.Add("provider", "%q is not a provider", v)
		}
		f.ProviderID = n
	}
	var asOf time.Time
	if v := get("as_of"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			ps.Add("as_of", "%q is not a date like 2026-03-31", v)
		}
		asOf = t
	}
	return f, asOf, ps.Err()
}

func ptrBool(b bool) *bool { return &b }

// StepDownPlaces are the placement types a step-down rule may name.
var StepDownPlaces = []string{"K1", "K2", "K3", "S1", "R1", "R2", "H5"}

// SetStepDownRule changes which children a council counts as step-down
// candidates; only a council admin may.
func (s *Service) SetStepDownRule(ctx context.Context, userID int64, la int32, places, bands []string) error {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Council, authz.Manage) {
		return children.ErrForbidden
	}
	var ps valid.Problems
	if len(places) == 0 {
		ps.Add("places", "choose at least one placement type")
	}
	for _, p := range places {
		if !slices.Contains(StepDownPlaces, p) {
			ps.Add("places", "%q is not a placement type a step-down starts from", p)
		}
	}
	if len(bands) == 0 {
		ps.Add("bands", "choose at least one need band")
	}
	for _, b := range bands {
		if !slices.Contains(Bands, b) {
			ps.Add("bands", "%q is not a need band", b)
		}
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if err := db.New(s.pool).StepDownRuleUpdate(ctx, db.StepDownRuleUpdateParams{LaID: la, Places: places, Bands: bands}); err != nil {
		return err
	}
	return audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "update", Entity: "stepdown_rule",
		EntityID: strconv.Itoa(int(la)), Detail: map[string]any{"places": places, "bands": bands}})
}

// StepDownNew lists the children who are step-down candidates on day but
// were not a month earlier (a move, a new assessment or a new cost made them
// one), in the councils where the caller reads every child, with the date
// compared against. Both dates use today's step-down rules, so a council
// changing its rule does not make every child "new". The list names
// children, so it is audited against each council it shows.
func (s *Service) StepDownNew(ctx context.Context, userID int64, day time.Time) ([]Candidate, time.Time, error) {
	since := day.AddDate(0, -1, 0)
	las := s.Councils(userID)
	if len(las) == 0 {
		return nil, since, nil
	}
	q := db.New(s.readPool(ctx))
	rules, err := Rules(ctx, q, las)
	if err != nil {
		return nil, since, err
	}
	candidates := func(on time.Time) ([]Candidate, error) {
		kids, _, err := SnapshotComputed(ctx, q, las, on)
		if err != nil {
			return nil, err
		}
		ps := make([]*Child, len(kids))
		for i := range kids {
			ps[i] = &kids[i]
		}
		return stepDown(ps, rules).Candidates, nil
	}
	before, err := candidates(since)
	if err != nil {
		return nil, since, fmt.Errorf("step-down candidates on %s: %w", since.Format(time.DateOnly), err)
	}
	now, err := candidates(day)
	if err != nil {
		return nil, since, fmt.Errorf("step-down candidates on %s: %w", day.Format(time.DateOnly), err)
	}
	was := map[[2]int64]bool{}
	for _, c := range before {
		was[[2]int64{int64(c.Child.LAID), c.Child.ChildID}] = true
	}
	var out []Candidate
	var shown []audit.Shown
	for _, c := range now {
		if was[[2]int64{int64(c.Child.LAID), c.Child.ChildID}] {
			continue
		}
		out = append(out, c)
		shown = append(shown, audit.Shown{LAID: c.Child.LAID, ID: c.Child.ChildID})
	}
	if len(out) > 0 {
		c := Cohort{StepDown: StepDown{Candidates: out}}
		if err := CandidateRefs(ctx, q, &c); err != nil {
			return nil, since, err
		}
		if err := audit.RecordShown(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "step_down_new",
			Detail: map[string]any{"since": since.Format(time.DateOnly), "total": len(out)}}, shown); err != nil {
			return nil, since, err
		}
	}
	return out, since, nil
}
