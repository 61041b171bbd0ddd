package analytics

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// MaxSummaryCandidates is how many step-down candidates, those with the
// largest saving, the summary carries; every one of them is in the paged
// list of children (CohortChildren) and the step-down CSV.
const MaxSummaryCandidates = 100

// Page sizes of the per-child list: each page is audited with the children
// it showed, so a page is bounded like the children list's.
const (
	DefaultChildPage = 500
	MaxChildPage     = 1000
)

// Summary is the cohort as the API sends it: every aggregate, the scatter's
// points only as the chart samples them (at most MaxScatterPoints), and the
// step-down candidates with the largest saving. Nationally the whole cohort
// with a point and a record per child was 11.3 MB; the children themselves
// are in the paged list at ChildrenURL.
type Summary struct {
	Cohort
	Points      []Point         `json:"points"`       // the scatter's sample
	PointsOf    int             `json:"points_of"`    // children the scatter stands for
	PointsEvery int             `json:"points_every"` // one child in this many is in points
	StepDown    summaryStepDown `json:"step_down"`
	ChildrenURL string          `json:"children"` // the paged per-child list, with the same filter
}

type summaryStepDown struct {
	Rule         string            `json:"rule"`
	Candidates   []Candidate       `json:"candidates"` // the largest savings first, at most MaxSummaryCandidates
	N            int               `json:"n_candidates"`
	Annual       float64           `json:"annual_saving"`
	FamilyMedian map[string]Figure `json:"family_based_median_by_band"`
}

// SummaryOf bounds c for the API; childrenURL is where its children are listed.
func SummaryOf(c Cohort, childrenURL string) Summary {
	pts, every := ScatterSample(c)
	s := Summary{Cohort: c, Points: pts, PointsOf: len(c.Points), PointsEvery: every, ChildrenURL: childrenURL,
		StepDown: summaryStepDown{Rule: c.StepDown.Rule, N: len(c.StepDown.Candidates), Annual: c.StepDown.Annual,
			FamilyMedian: c.StepDown.FamilyMedian, Candidates: c.StepDown.Candidates[:min(len(c.StepDown.Candidates), MaxSummaryCandidates)]}}
	if s.Points == nil {
		s.Points = []Point{}
	}
	if s.StepDown.Candidates == nil {
		s.StepDown.Candidates = []Candidate{}
	}
	return s
}

// ScatterSample is the points the scatter draws: past MaxScatterPoints, every
// k-th child of each band (k is returned; 1 when every child is drawn), in
// band order.
func ScatterSample(c Cohort) ([]Point, int) {
	every := max(1, (len(c.Points)+MaxScatterPoints-1)/MaxScatterPoints)
	var out []Point
	for _, b := range Bands {
		seen := 0
		for _, p := range c.Points {
			if p.Band == b {
				if seen++; (seen-1)%every == 0 {
					out = append(out, p)
				}
			}
		}
	}
	return out, every
}

// ChildRow is one child of the cohort in the paged list: what the figures
// count of them, without a name or reference.
type ChildRow struct {
	LAID           int32    `json:"la_id"`
	ChildID        int64    `json:"child_id"`
	Age            int      `json:"age"`
	YearsInCare    float64  `json:"years_in_care"`
	LegalStatus    string   `json:"legal_status"`
	Place          string   `json:"place"`
	Group          string   `json:"placement_group"`
	Assessed       bool     `json:"assessed"`
	Score          *int32   `json:"score"`                             // null without an approved assessment
	Band           string   `json:"band"`                              // "none" without one
	Weekly         *float64 `json:"weekly"`                            // pounds; null when no cost is recorded
	StepDownSaving *float64 `json:"step_down_annual_saving,omitempty"` // for step-down candidates
}

// ChildPage is one page of the cohort's children, in council and child order.
type ChildPage struct {
	AsOf       time.Time  `json:"as_of"`
	ComputedAt time.Time  `json:"computed_at"`
	Councils   []int32    `json:"councils"`
	Filter     Filter     `json:"filter"`
	N          int        `json:"n"` // children in the filter, on every page together
	Limit      int        `json:"limit"`
	Children   []ChildRow `json:"children"`
	// Next is the cursor of the following page; absent on the last.
	Next string `json:"next,omitempty"`
}

// Cursor is where a page of children starts: after this council and child.
// It is opaque to callers (EncodeCursor); the order is stable whatever is
// added, so each child is on one page only.
type Cursor struct {
	LAID    int32
	ChildID int64
}

// EncodeCursor makes the opaque text of a cursor.
func EncodeCursor(c Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("v1:%d:%d", c.LAID, c.ChildID)))
}

// ParseCursor reads a cursor given back by a caller; "" is the first page.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	bad := valid.Errorf("cursor", "%q is not a cursor this list gave (start again without one)", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return Cursor{}, bad
	}
	la, err1 := strconv.ParseInt(parts[1], 10, 32)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || la < 0 || id < 0 {
		return Cursor{}, bad
	}
	return Cursor{LAID: int32(la), ChildID: id}, nil
}

// ParseLimit reads a page size: DefaultChildPage when empty, 1 to MaxChildPage.
func ParseLimit(s string) (int, error) {
	if s == "" {
		return DefaultChildPage, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxChildPage {
		return 0, valid.Errorf("limit", "%q: give a whole number from 1 to %d", s, MaxChildPage)
	}
	return n, nil
}

// CohortChildren is one page of the children the cohort figures for f on
// asOf count, for a caller who may see them (the same councils, the same
// refusals and the same audit of a refusal as Cohort). The page is audited
// against each council whose children it showed, with their IDs, as the
// children list is.
func (s *Service) CohortChildren(ctx context.Context, userID int64, f Filter, asOf time.Time, after Cursor, limit int) (ChildPage, error) {
	if limit < 1 || limit > MaxChildPage {
		return ChildPage{}, valid.Errorf("limit", "%d: give a whole number from 1 to %d", limit, MaxChildPage)
	}
	las, err := s.scope(ctx, userID, f, "cohort_children")
	if err != nil {
		return ChildPage{}, err
	}
	q := db.New(s.readPool(ctx))
	all, computed, err := SnapshotComputed(ctx, q, las, asOf)
	if err != nil {
		return ChildPage{}, err
	}
	rules, err := Rules(ctx, q, las)
	if err != nil {
		return ChildPage{}, err
	}
	kids := make([]*Child, 0, len(all))
	for i := range all {
		if f.Match(&all[i]) {
			kids = append(kids, &all[i])
		}
	}
	slices.SortFunc(kids, func(a, b *Child) int { return cmp.Or(cmp.Compare(a.LAID, b.LAID), cmp.Compare(a.ChildID, b.ChildID)) })
	saving := map[Cursor]float64{}
	for _, c := range stepDown(kids, rules).Candidates {
		saving[Cursor{c.Child.LAID, c.Child.ChildID}] = c.Annual
	}
	p := ChildPage{AsOf: asOf, ComputedAt: computed, Councils: las, Filter: f, N: len(kids), Limit: limit, Children: []ChildRow{}}
	if p.ComputedAt.IsZero() {
		p.ComputedAt = s.Now().UTC()
	}
	start, _ := slices.BinarySearchFunc(kids, after, func(k *Child, c Cursor) int {
		// Strictly after the cursor: the child it names was on the last page.
		if r := cmp.Or(cmp.Compare(k.LAID, c.LAID), cmp.Compare(k.ChildID, c.ChildID)); r != 0 {
			return r
		}
		return -1
	})
	end := min(len(kids), start+limit)
	shown := map[int32]map[string]any{}
	var touched []int32
	for _, k := range kids[start:end] {
		row := ChildRow{LAID: k.LAID, ChildID: k.ChildID, Age: k.Age, YearsInCare: k.YearsInCare, LegalStatus: k.LegalStatus,
			Place: k.Place, Group: k.Group, Assessed: k.Assessed, Band: k.Band}
		if k.Assessed {
			row.Score = &k.Score
		} else {
			row.Band = "none"
		}
		if k.HasCost() {
			w := float64(k.WeeklyPence) / 100
			row.Weekly = &w
		}
		if v, ok := saving[Cursor{k.LAID, k.ChildID}]; ok {
			row.StepDownSaving = &v
		}
		p.Children = append(p.Children, row)
		if shown[k.LAID] == nil {
			shown[k.LAID] = map[string]any{"shown": []string{}}
			touched = append(touched, k.LAID)
		}
		shown[k.LAID]["shown"] = append(shown[k.LAID]["shown"].([]string), strconv.FormatInt(k.ChildID, 10))
	}
	if end < len(kids) {
		p.Next = EncodeCursor(Cursor{kids[end-1].LAID, kids[end-1].ChildID})
	}
	if len(touched) == 0 {
		touched = las
	}
	err = audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "list", Entity: "cohort_children",
		Detail: map[string]any{"filter": f, "as_of": asOf.Format(time.DateOnly), "total": p.N, "limit": limit}}, touched, shown)
	return p, err
}
