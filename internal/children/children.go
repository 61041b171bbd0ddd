// Package children owns child records and caseload allocations. Every read is
// scoped in SQL to what the caller may see (authz.Scope) and every read and
// change is written to the audit trail.
package children

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// Errors the service returns; the HTTP layer maps them to statuses.
var (
	ErrNotFound  = errors.New("child not found")
	ErrForbidden = errors.New("not allowed")
	ErrConflict  = errors.New("the record was changed by someone else")
)

// Service reads and changes child records.
type Service struct {
	pool  *pgxpool.Pool
	authz *authz.Authorizer
	Now   func() time.Time
}

// New returns a Service.
func New(pool *pgxpool.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, Now: time.Now}
}

// PageSize is how many children a list page shows.
const PageSize = 50

// MaxPage is the furthest page a list goes to (a million children), so the
// offset always fits.
const MaxPage = 20_000

// Filter narrows a children list.
type Filter struct {
	Search   string // name or the council's child reference
	LAID     int32
	Sex      string
	AgeBand  string // one of AgeBands
	UASC     *bool
	EHCPlan  *bool
	WorkerID int64
	Page     int // from 1
}

// AgeBands are the DfE's age groups for children looked after.
var AgeBands = []string{"under-1", "1-4", "5-9", "10-15", "16+"}

// ageBounds returns the inclusive-exclusive age limits of a band, in years.
func ageBounds(band string) (lo, hi int, ok bool) {
	switch band {
	case "under-1":
		return 0, 1, true
	case "1-4":
		return 1, 5, true
	case "5-9":
		return 5, 10, true
	case "10-15":
		return 10, 16, true
	case "16+":
		return 16, 200, true
	}
	return 0, 0, false
}

// Validate reports what is wrong with a filter.
func (f Filter) Validate() error {
	var ps valid.Problems
	if f.AgeBand != "" {
		if _, _, ok := ageBounds(f.AgeBand); !ok {
			ps.Add("age_band", "%q is not an age band (one of %s)", f.AgeBand, strings.Join(AgeBands, ", "))
		}
	}
	if f.Sex != "" && f.Sex != "M" && f.Sex != "F" && f.Sex != "U" {
		ps.Add("sex", "%q is not M, F or U", f.Sex)
	}
	if f.Page < 0 || f.Page > MaxPage {
		ps.Add("page", "must be between 1 and %d", MaxPage)
	}
	if len(f.Search) > 100 {
		ps.Add("q", "search text is too long (at most 100 characters)")
	}
	if strings.ContainsRune(f.Search, 0) || !utf8.ValidString(f.Search) {
		ps.Add("q", "search text has characters that cannot be searched for")
	}
	return ps.Err()
}

// Page is one page of a children list.
type Page struct {
	Children []db.ChildListRow
	Total    int64
	Page     int
	Pages    int
	// LeftCare is, by child ID, the day care ended for the children on the
	// page who are no longer in care (a council's records keep them).
	LeftCare map[int64]*time.Time
}

// List returns the children the caller may see that match the filter.
func (s *Service) List(ctx context.Context, userID int64, f Filter) (Page, error) {
	if err := f.Validate(); err != nil {
		return Page{}, err
	}
	sc := s.authz.ChildScope(userID)
	// Asking for another council's children is a refusal, not an empty list.
	if sc.Empty() || f.LAID != 0 && !sc.Includes(f.LAID) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: f.LAID, Action: "list", Entity: "child",
			Outcome: audit.Denied, Detail: map[string]any{"filter": f}}); err != nil {
			return Page{}, err
		}
		return Page{}, ErrForbidden
	}
	if f.Page == 0 {
		f.Page = 1
	}
	offset := int32((f.Page - 1) * PageSize)
	p := db.ChildListParams{
		AllLaIds: sc.All, AllocatedLaIds: sc.Own, UserID: userID,
		PageLimit: PageSize, PageOffset: offset, CouncilLimit: offset + PageSize,
		Search: nonEmpty(strings.TrimSpace(f.Search)), Sex: nonEmpty(f.Sex),
		Uasc: f.UASC, EhcPlan: f.EHCPlan,
	}
	if f.LAID != 0 {
		p.LaID = &f.LAID
	}
	if f.WorkerID != 0 {
		p.WorkerID = &f.WorkerID
	}
	if lo, hi, ok := ageBounds(f.AgeBand); ok {
		today := s.today()
		after := today.AddDate(-hi, 0, 0)
		onOrBefore := today.AddDate(-lo, 0, 0)
		p.BornAfter, p.BornOnOrBefore = &after, &onOrBefore
	}
	q := db.New(s.pool)
	rows, err := q.ChildList(ctx, p)
	if err != nil {
		return Page{}, fmt.Errorf("list children: %w", err)
	}
	page := Page{Children: rows, Page: f.Page}
	// A page with room left over ends the list, so it is its own count (a
	// caseload's only page needs no second read). Only a full page, or one
	// past the end, is counted.
	if len(rows) > 0 && len(rows) < PageSize || len(rows) == 0 && offset == 0 {
		page.Total = int64(offset) + int64(len(rows))
	} else {
		page.Total, err = q.ChildListCount(ctx, db.ChildListCountParams{
			AllLaIds: p.AllLaIds, AllocatedLaIds: p.AllocatedLaIds, UserID: userID, LaID: p.LaID,
			Search: p.Search, Sex: p.Sex, Uasc: p.Uasc, EhcPlan: p.EhcPlan,
			BornAfter: p.BornAfter, BornOnOrBefore: p.BornOnOrBefore, WorkerID: p.WorkerID,
		})
		if err != nil {
			return Page{}, fmt.Errorf("count children: %w", err)
		}
	}
	if page.LeftCare, err = s.leftCare(ctx, rows); err != nil {
		return Page{}, err
	}
	page.Pages = int((page.Total + PageSize - 1) / PageSize)
	// A list shows names, so it is a view of each child on it, recorded
	// against each council whose children it shows (or the councils searched).
	shown := make([]audit.Shown, len(rows))
	for i, r := range rows {
		shown[i] = audit.Shown{LAID: r.LaID, ID: r.ChildID}
	}
	searched := append(slices.Clone(sc.All), sc.Own...)
	if f.LAID != 0 {
		searched = []int32{f.LAID}
	}
	return page, audit.RecordSearch(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "child",
		Detail: map[string]any{"filter": f, "total": page.Total}}, shown, searched)
}

// leftCare finds which of a page's children have left care, and when.
func (s *Service) leftCare(ctx context.Context, rows []db.ChildListRow) (map[int64]*time.Time, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	p := db.ChildrenLeftCareParams{ChildIds: make([]int64, len(rows))}
	for i, r := range rows {
		p.ChildIds[i] = r.ChildID
		if !slices.Contains(p.LaIds, r.LaID) {
			p.LaIds = append(p.LaIds, r.LaID)
		}
	}
	left, err := db.New(s.pool).ChildrenLeftCare(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list children: who has left care: %w", err)
	}
	out := make(map[int64]*time.Time, len(left))
	for _, l := range left {
		out[l.ChildID] = &l.LeftOn
	}
	return out, nil
}

// Record is one child's record as the child page shows it.
type Record struct {
	Child       db.ChildGetRow
	Allocations []db.AllocationListByChildRow
	CarePeriods []db.CarePeriod
}

// Get returns a child's record if the caller may see it. A child the caller may
// not see is reported as not found (and the attempt audited), so that a council's
// users cannot learn which references another council holds.
func (s *Service) Get(ctx context.Context, userID, childID int64) (Record, error) {
	q := db.New(s.pool)
	c, err := read(ctx, q, s.authz.ChildScope(userID), userID, childID)
	if errors.Is(err, pgx.ErrNoRows) {
		laID, _ := q.ChildCouncil(ctx, childID)
		if aerr := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: laID, Action: "view", Entity: "child",
			EntityID: strconv.FormatInt(childID, 10), Outcome: audit.NotFound}); aerr != nil {
			return Record{}, aerr
		}
		return Record{}, ErrNotFound
	}
	if err != nil {
		return Record{}, fmt.Errorf("get child %d: %w", childID, err)
	}
	r := Record{Child: c}
	if r.Allocations, err = q.AllocationListByChild(ctx, db.AllocationListByChildParams{LaID: c.LaID, ChildID: c.ChildID}); err != nil {
		return Record{}, fmt.Errorf("get child %d allocations: %w", childID, err)
	}
	if r.CarePeriods, err = q.CarePeriodListByChild(ctx, db.CarePeriodListByChildParams{LaID: c.LaID, ChildID: c.ChildID}); err != nil {
		return Record{}, fmt.Errorf("get child %d care periods: %w", childID, err)
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: c.LaID, Action: "view", Entity: "child",
		EntityID: strconv.FormatInt(childID, 10)})
	return r, err
}

// Details are the editable parts of a child's record.
type Details struct {
	GivenName, FamilyName string
	DateOfBirth           time.Time
	Sex, Ethnicity        string
	UASC, EHCPlan         bool
	Disability            bool
}

// Ethnicities are the SSDA903 ethnicity codes.
var Ethnicities = []string{"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
	"ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"}

func (d Details) validate(today time.Time) error {
	var ps valid.Problems
	if strings.TrimSpace(d.GivenName) == "" {
		ps.Add("given_name", "enter the child's first name")
	}
	if strings.TrimSpace(d.FamilyName) == "" {
		ps.Add("family_name", "enter the child's last name")
	}
	switch {
	case d.DateOfBirth.IsZero():
		ps.Add("date_of_birth", "enter the date of birth")
	case d.DateOfBirth.After(today):
		ps.Add("date_of_birth", "date of birth must be today or in the past")
	case d.DateOfBirth.Before(today.AddDate(-26, 0, 0)):
		ps.Add("date_of_birth", "date of birth is more than 26 years ago")
	}
	if d.Sex != "M" && d.Sex != "F" && d.Sex != "U" {
		ps.Add("sex", "choose male, female or not known: one of M, F, U")
	}
	found := false
	for _, e := range Ethnicities {
		found = found || e == d.Ethnicity
	}
	if !found {
		ps.Add("ethnicity", "%q is not an SSDA903 ethnicity code: one of %s", d.Ethnicity, strings.Join(Ethnicities, ", "))
	}
	return ps.Err()
}

// Update changes a child's details if nobody has changed them since the caller
// read version; otherwise it returns ErrConflict and changes nothing.
func (s *Service) Update(ctx context.Context, userID, childID int64, version int32, d Details) (db.Child, error) {
	rec, err := s.writable(ctx, userID, childID, authz.Update)
	if err != nil {
		return db.Child{}, err
	}
	if err := d.validate(s.today()); err != nil {
		return db.Child{}, err
	}
	var out db.Child
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out, err = db.New(tx).ChildUpdate(ctx, db.ChildUpdateParams{
			LaID: rec.LaID, ChildID: childID, Version: version,
			GivenName: strings.TrimSpace(d.GivenName), FamilyName: strings.TrimSpace(d.FamilyName),
			DateOfBirth: d.DateOfBirth, Sex: d.Sex, Ethnicity: d.Ethnicity, Uasc: d.UASC, EhcPlan: d.EHCPlan, Disability: d.Disability,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("update child %d: %w", childID, err)
		}
		return audit.Record(ctx, tx, audit.Event{UserID: userID, LAID: rec.LaID, Action: "update", Entity: "child",
			EntityID: strconv.FormatInt(childID, 10), Detail: map[string]any{"version": out.Version}})
	})
	// Tried or done, the row read before may be old now (a conflict is
	// answered with the record as it is).
	forget(ctx, childID)
	return out, err
}

// writable checks the caller may act on the child: the permission in the child's
// council and, for a caseload role, an allocation.
func (s *Service) writable(ctx context.Context, userID, childID int64, act authz.Action) (db.ChildGetRow, error) {
	return Authorize(ctx, s.pool, s.authz, userID, childID, authz.Child, act)
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Age returns whole years between birth and on.
func Age(birth, on time.Time) int {
	years := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		years--
	}
	return years
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Authorize decides whether the caller may act (res, act) on one child: the
// child must be visible to them (else ErrNotFound, so other councils' references
// stay secret) and some role they hold in the child's council must give the
// permission, on their caseload if it is a caseload role (else ErrForbidden).
// Both refusals are audited against the child's council. Every service that
// reads or writes a child's records decides here.
func Authorize(ctx context.Context, pool db.DBTX, az *authz.Authorizer, userID, childID int64, res authz.Resource, act authz.Action) (db.ChildGetRow, error) {
	q := db.New(pool)
	action := string(res) + "." + string(act)
	if res == authz.Child {
		action = string(act)
	}
	id := strconv.FormatInt(childID, 10)
	c, err := read(ctx, q, az.ChildScope(userID), userID, childID)
	if errors.Is(err, pgx.ErrNoRows) {
		laID, _ := q.ChildCouncil(ctx, childID)
		if aerr := audit.Record(ctx, pool, audit.Event{UserID: userID, LAID: laID, Action: action, Entity: "child",
			EntityID: id, Outcome: audit.NotFound}); aerr != nil {
			return c, aerr
		}
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("child %d: %w", childID, err)
	}
	if !az.AllowedOn(userID, authz.Object{LAID: c.LaID, Allocated: c.Allocated}, res, act) {
		if aerr := audit.Record(ctx, pool, audit.Event{UserID: userID, LAID: c.LaID, Action: action, Entity: "child",
			EntityID: id, Outcome: audit.Denied}); aerr != nil {
			return c, aerr
		}
		return c, ErrForbidden
	}
	return c, nil
}

// Allowed reports, without auditing, whether the caller may act on a child they
// can already see (c as Get or Authorize returned it to them, with their own
// allocation flag); pages use it to decide which buttons to show.
func (s *Service) Allowed(ctx context.Context, userID int64, c db.ChildGetRow, res authz.Resource, act authz.Action) bool {
	return s.authz.AllowedOn(userID, authz.Object{LAID: c.LaID, Allocated: c.Allocated}, res, act)
}

// AllocatedTo reports whether the child is on the user's caseload now, from the
// row this request has already read if there is one (AllocatedTo is asked by
// services that are given the child's council and id, not the row).
func AllocatedTo(ctx context.Context, pool db.DBTX, userID int64, laID int32, childID int64) (bool, error) {
	if c, ok := recall(ctx, userID, childID); ok && c.LaID == laID {
		return c.Allocated, nil
	}
	mine, err := db.New(pool).ChildAllocatedTo(ctx, db.ChildAllocatedToParams{LaID: laID, ChildID: childID, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("child %d allocation: %w", childID, err)
	}
	return mine, nil
}

// Council returns the council holding a child, for recording a refused request
// against it. It is never shown to the caller.
func (s *Service) Council(ctx context.Context, childID int64) (int32, bool) {
	la, err := db.New(s.pool).ChildCouncil(ctx, childID)
	return la, err == nil
}

// Authorize decides whether the caller may act (res, act) on a child; see the
// package function. Pages ask before showing a form or reading a body.
func (s *Service) Authorize(ctx context.Context, userID, childID int64, res authz.Resource, act authz.Action) error {
	_, err := Authorize(ctx, s.pool, s.authz, userID, childID, res, act)
	return err
}
