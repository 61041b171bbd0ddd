package sharing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/valid"
)

// Amount is a published money figure, rate or ratio: shown only when the
// group it describes is shown.
type Amount struct {
	Value      float64 `json:"value"`
	Suppressed bool    `json:"suppressed"`
	NotShared  bool    `json:"not_shared,omitempty"` // the council does not share this; also Suppressed
}

func shown(v float64, ok bool) Amount {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return Amount{Suppressed: true}
	}
	return Amount{Value: v}
}

// Member is a council sharing with the RCC on the as-of date.
type Member struct {
	LAID        int32     `json:"-"`
	Code        string    `json:"ons_code"`
	Name        string    `json:"name"`
	Needs       bool      `json:"shares_needs"`
	Placements  bool      `json:"shares_placements_and_costs"`
	Proceedings bool      `json:"shares_proceedings"`
	Since       time.Time `json:"sharing_since"`
}

// Row is one council's figures (or the region's) side by side with the others.
type Row struct {
	Council      string `json:"council"`
	Children     Cell   `json:"children"`
	Assessed     Cell   `json:"assessed"`
	Costed       Cell   `json:"costed"`
	MedianWeekly Amount `json:"median_weekly_cost"`
	Pearson      Amount `json:"pearson_need_cost"`
	Spearman     Amount `json:"spearman_need_cost"`
	PearsonN     Cell   `json:"pearson_n"`
	OutOfArea    Cell   `json:"placed_out_of_area"`
	OutShare     Amount `json:"out_of_area_share"`
	Over20       Cell   `json:"placed_over_20_miles"`
	Over20Share  Amount `json:"over_20_miles_share"`
	StepDown     Cell   `json:"step_down_candidates"`
	Saving       Amount `json:"step_down_annual_saving"`
}

// CostRow is weekly cost for a band and placement type, pooled.
type CostRow struct {
	Band   string `json:"band"`
	Group  string `json:"placement_group"`
	N      Cell   `json:"n"`
	Q1     Amount `json:"q1"`
	Median Amount `json:"median"`
	Q3     Amount `json:"q3"`
}

// TimeRow is mean need by time in care, pooled.
type TimeRow struct {
	Band      string `json:"time_in_care"`
	N         Cell   `json:"n"`
	MeanScore Amount `json:"mean_score"`
}

// EHCRow is weekly cost with or without an EHC plan, pooled.
type EHCRow struct {
	Plan   string `json:"ehc_plan"`
	N      Cell   `json:"n"`
	Median Amount `json:"median_weekly"`
}

// ProviderPrice is what one provider charges the councils it serves.
type ProviderPrice struct {
	Name     string   `json:"provider"`
	URN      string   `json:"ofsted_urn,omitempty"`
	District string   `json:"postcode_district,omitempty"`
	Councils int      `json:"councils_using"`
	N        []Cell   `json:"n_by_council"` // in Region.Market.Councils order
	Median   []Amount `json:"median_weekly_by_council"`
	Ratio    Amount   `json:"highest_to_lowest_median"`
}

// Similar is provider prices for children in one band and placement type.
type Similar struct {
	Band      string   `json:"band"`
	Group     string   `json:"placement_group"`
	Providers []string `json:"providers"`
	N         []Cell   `json:"n"` // perturbed, as every count
	Median    []Amount `json:"median_weekly"`
	Ratio     float64  `json:"highest_to_lowest_median"`
}

// Market is the regional market view.
type Market struct {
	Councils  []string        `json:"councils"`
	Providers []ProviderPrice `json:"providers_used_by_several_councils"`
	Similar   []Similar       `json:"price_spread_for_similar_needs"`
}

// DelayRow is one council's (or the region's) court delay.
type DelayRow struct {
	Council   string `json:"council"`
	Cases     Cell   `json:"cases"`
	MeanWeeks Amount `json:"mean_weeks"`
	Within    Amount `json:"within_26_weeks_share"`
	Cost      Amount `json:"cost_of_delay"`
	OneWeek   Amount `json:"one_week_benefit"`
}

// Region is every regional figure, as published: counts are cells under the
// RCC's disclosure control, money and rates are shown only for groups whose
// count is shown, and nothing identifies a child.
type Region struct {
	RCC        string           `json:"rcc"`
	AsOf       time.Time        `json:"as_of"`
	Control    Control          `json:"disclosure_control"`
	Filter     analytics.Filter `json:"filter"`
	Members    []Member         `json:"sharing_councils"`
	NotSharing []string         `json:"member_councils_not_sharing"`
	Empty      string           `json:"empty,omitempty"`

	Benchmark []Row `json:"by_council"`
	Pooled    Row   `json:"region"`
	// PooledNote says which councils the region's row leaves out, and why.
	PooledNote string `json:"region_leaves_out,omitempty"`

	Bands      Table      `json:"children_by_council_and_band"`
	Groups     Table      `json:"children_by_council_and_placement"`
	Prevalence Table      `json:"prevalence_by_domain_and_level"`
	Costs      []CostRow  `json:"weekly_cost_by_band_and_placement"`
	Time       []TimeRow  `json:"needs_by_time_in_care"`
	EHC        []EHCRow   `json:"ehc_plan_cost"`
	Need       Table      `json:"sufficiency_need_by_band_and_placement"`
	Provision  Table      `json:"sufficiency_placements_in_and_out_of_area"`
	Area       Table      `json:"in_and_out_of_area_by_council"`
	Miles      Table      `json:"distance_by_council"`
	Market     Market     `json:"market"`
	Delay      []DelayRow `json:"delay_by_council"`
	DelayPool  DelayRow   `json:"delay_region"`
	DelayFrom  time.Time  `json:"delay_from"`
}

// NotSharedError is a request for a council that shares nothing with the RCC.
type NotSharedError struct{ Council string }

func (e *NotSharedError) Error() string {
	return e.Council + " has no sharing agreement in force with this cooperative, so nothing of theirs is shown"
}

// ErrNoAgreement is a council user asking for the region when their own
// council shares nothing with it.
var ErrNoAgreement = errors.New("your council has no sharing agreement in force with a regional care cooperative, so there is no regional view to compare with")

// pooled is the region's children, de-identified, with what each council shares.
type pooled struct {
	rcc     db.RegionalCooperative
	ctl     Control
	members []Member
	others  []string
	kids    []analytics.Child
	// secrets are the councils' pseudonym keys; children's and cases' record
	// keys come from them.
	secrets map[int32][]byte
	// providers are businesses, not children: their names are published.
	providers map[int64]db.ProvidersByIDRow
}

// load reads the children of every council sharing with the RCC on asOf,
// keeping of each only what its agreement shares.
func (s *Service) load(ctx context.Context, rccID int32, asOf time.Time) (pooled, error) {
	q := db.New(s.pool)
	var p pooled
	var err error
	if p.rcc, err = q.RCCGet(ctx, rccID); err != nil {
		return p, err
	}
	p.ctl = ControlOf(p.rcc)
	// Agreements in force now decide what is shared at all (ending one stops
	// sharing at once); each council's start date limits the dates shown.
	rows, err := q.AgreementsInForce(ctx, db.AgreementsInForceParams{RccID: rccID, Day: s.today()})
	if err != nil {
		return p, err
	}
	shares := map[int32]Member{}
	var las []int32
	for _, r := range rows {
		if r.StartsOn.After(asOf) {
			continue
		}
		m := Member{LAID: r.LaID, Code: r.OnsCode, Name: r.Name, Needs: r.SharesNeeds, Placements: r.SharesPlacements,
			Proceedings: r.SharesProceedings, Since: r.StartsOn}
		p.members = append(p.members, m)
		shares[r.LaID] = m
		las = append(las, r.LaID)
	}
	all, err := q.RCCMembers(ctx, rccID)
	if err != nil {
		return p, err
	}
	for _, m := range all {
		current := !m.ValidFrom.After(asOf) && (m.ValidTo == nil || m.ValidTo.After(asOf))
		if _, ok := shares[m.LaID]; current && !ok && !slices.Contains(p.others, m.Name) {
			p.others = append(p.others, m.Name)
		}
	}
	if len(las) == 0 {
		return p, nil
	}
	keys, err := q.CouncilKeys(ctx, las)
	if err != nil {
		return p, err
	}
	p.secrets = map[int32][]byte{}
	for _, k := range keys {
		p.secrets[k.LaID] = k.Secret
	}
	for _, m := range p.members {
		if p.secrets[m.LAID] == nil {
			return p, fmt.Errorf("council %s has an agreement but no pseudonym key", m.Name)
		}
	}
	if p.kids, err = analytics.Snapshot(ctx, q, las, asOf); err != nil {
		return p, err
	}
	var ids []int64
	for i := range p.kids {
		k := &p.kids[i]
		m := shares[k.LAID]
		k.ChildRef = "" // never leaves the council
		k.RecordKey = RecordKey(p.secrets[k.LAID], k.LAID, k.ChildID)
		if !m.Needs {
			k.Assessed, k.Levels, k.Score, k.Band, k.AssessedOn = false, nil, 0, "", time.Time{}
		}
		if !m.Placements {
			k.Place, k.Group, k.ProviderKind, k.ProviderID, k.OutOfArea, k.Distance, k.WeeklyPence = "", "", "", 0, false, -1, -1
		}
		if k.ProviderID != 0 {
			ids = append(ids, k.ProviderID)
		}
	}
	slices.Sort(ids)
	provs, err := q.ProvidersByID(ctx, slices.Compact(ids))
	if err != nil {
		return p, err
	}
	p.providers = make(map[int64]db.ProvidersByIDRow, len(provs))
	for _, r := range provs {
		p.providers[r.ProviderID] = r
	}
	return p, nil
}

// delay adds court delay over the year to asOf for the councils sharing
// proceedings; each council's case count is protected, and its rates and
// costs shown only with it.
func (s *Service) delay(ctx context.Context, pr *proceedings.Service, p pooled, f analytics.Filter, asOf time.Time, r *Region) error {
	if r.Empty != "" && len(r.Members) == 0 {
		return nil
	}
	r.DelayFrom = asOf.AddDate(-1, 0, 1)
	var ms []Member
	for _, m := range p.members {
		if m.Proceedings && (f.LAID == 0 || f.LAID == m.LAID) {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	// One report for the region, split by council: the model is per case, so
	// each council's summary is its own cases summarised.
	var las []int32
	for _, m := range ms {
		las = append(las, m.LAID)
	}
	all, err := pr.CouncilReport(ctx, las, r.DelayFrom, asOf)
	if err != nil {
		return err
	}
	byLA := map[int32][]proceedings.Breakdown{}
	keys := map[int32]*Count{}
	for _, m := range ms {
		keys[m.LAID] = &Count{}
	}
	for _, c := range all.Cases {
		byLA[c.Case.LAID] = append(byLA[c.Case.LAID], c.Breakdown)
		if k := keys[c.Case.LAID]; k != nil {
			k.Add(caseKey(p.secrets[c.Case.LAID], c.Case.LAID, c.Case.ID))
		}
	}
	names := make([]string, len(ms))
	counts := make([][]Count, len(ms))
	sums := make([]proceedings.Summary, len(ms))
	for i, m := range ms {
		sums[i] = proceedings.Summarise(byLA[m.LAID])
		names[i], counts[i] = m.Name, []Count{*keys[m.LAID]}
	}
	t := p.ctl.Protect("delay", names, []string{"cases"}, counts)
	row := func(name string, n Cell, s proceedings.Summary) DelayRow {
		ok := visible(n) && s.Cases >= p.ctl.MinCount
		return DelayRow{Council: name, Cases: n, MeanWeeks: shown(s.MeanWeeks, ok),
			Within: shown(s.WithinShare, ok && s.Concluded >= p.ctl.MinCount),
			Cost:   shown(float64(s.Total)/100, ok), OneWeek: shown(float64(s.OneWeekBenefit)/100, ok)}
	}
	for i := range ms {
		r.Delay = append(r.Delay, row(names[i], t.Cells[i][0], sums[i]))
	}
	r.DelayPool = row("Region", t.Total, all.Summary)
	return nil
}

// Region works out the regional figures for an RCC analyst.
func (s *Service) Region(ctx context.Context, userID int64, rccID int32, f analytics.Filter, asOf time.Time, pr *proceedings.Service) (Region, error) {
	if !s.authz.Allowed(userID, authz.RCCDomain(rccID), authz.Region, authz.Read) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region", EntityID: strconv.Itoa(int(rccID)), Outcome: audit.Denied})
		return Region{}, children.ErrForbidden
	}
	r, err := s.Published(ctx, rccID, f, asOf, pr)
	var ns *NotSharedError
	if errors.As(err, &ns) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: f.LAID, Action: "view", Entity: "region", EntityID: strconv.Itoa(int(rccID)),
			Outcome: audit.Denied, Detail: map[string]any{"reason": "no sharing agreement"}})
	}
	if err != nil {
		return r, err
	}
	err = audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region", EntityID: strconv.Itoa(int(rccID)),
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly), "councils": len(r.Members), "filter": f}})
	return r, err
}

// Published works out an RCC's regional figures without the caller's
// permissions, for trusted callers (the command line).
func (s *Service) Published(ctx context.Context, rccID int32, f analytics.Filter, asOf time.Time, pr *proceedings.Service) (Region, error) {
	p, err := s.load(ctx, rccID, asOf)
	if err != nil {
		return Region{}, err
	}
	if f.LAID != 0 {
		ok := false
		for _, m := range p.members {
			ok = ok || m.LAID == f.LAID
		}
		if !ok {
			name := strconv.Itoa(int(f.LAID))
			if la, err := db.New(s.pool).LocalAuthorityGet(ctx, f.LAID); err == nil {
				name = la.Name
			}
			return Region{}, &NotSharedError{Council: name}
		}
	}
	r := p.figures(f, asOf)
	err = s.delay(ctx, pr, p, f, asOf, &r)
	return r, err
}

// RCCs lists the cooperatives whose regional figures the user may read.
func (s *Service) RCCs(ctx context.Context, userID int64) ([]db.RegionalCooperative, error) {
	var out []db.RegionalCooperative
	for _, id := range s.authz.RCCs(userID, authz.Region, authz.Read) {
		r, err := db.New(s.pool).RCCGet(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// figures works out everything but court delay, under disclosure control.
func (p pooled) figures(f analytics.Filter, asOf time.Time) Region {
	r := Region{RCC: p.rcc.Name, AsOf: asOf, Control: p.ctl, Filter: f, Members: p.members, NotSharing: p.others}
	// Empty cells are keyed by what was asked, so the same question always
	// gets the same answer.
	scope, _ := json.Marshal(f)
	p.ctl.scope = string(scope)
	if f.LAID != 0 { // one council: the others are not beside it
		var ms []Member
		for _, m := range p.members {
			if m.LAID == f.LAID {
				ms = append(ms, m)
			}
		}
		p.members = ms
	}
	var kids []analytics.Child
	for i := range p.kids {
		if f.Match(&p.kids[i]) {
			kids = append(kids, p.kids[i])
		}
	}
	if len(p.members) == 0 {
		r.Empty = "No member council has a sharing agreement in force covering " + asOf.Format("2 January 2006") + ", so there is nothing to show."
		return r
	}
	if len(kids) == 0 {
		r.Empty = "No child in care on " + asOf.Format("2 January 2006") + " in the sharing councils matches this filter."
		return r
	}
	byLA := map[int32][]analytics.Child{}
	for _, k := range kids {
		byLA[k.LAID] = append(byLA[k.LAID], k)
	}
	var names []string
	var needsNames, placeNames []string
	var needsMembers, placeMembers []Member
	for _, m := range p.members {
		names = append(names, m.Name)
		if m.Needs {
			needsNames, needsMembers = append(needsNames, m.Name), append(needsMembers, m)
		}
		if m.Placements {
			placeNames, placeMembers = append(placeNames, m.Name), append(placeMembers, m)
		}
	}
	rules := map[int32]analytics.StepRule{}
	for _, m := range p.members {
		rules[m.LAID] = defaultRule // the region compares like with like: one rule for all
	}

	// Side by side: every council's count and the region's are each
	// perturbed from their own children, so neither the region's total nor
	// the other councils give a council's count away.
	cohorts := make([]analytics.Cohort, len(p.members))
	for i, m := range p.members {
		cohorts[i] = analytics.Compute(byLA[m.LAID], analytics.Filter{}, asOf, len(analytics.DomainNames), rules)
	}
	pool := analytics.Compute(kids, analytics.Filter{}, asOf, len(analytics.DomainNames), rules)
	col := func(measure string, in func(k *analytics.Child) bool) ([]Cell, Cell) {
		cells := make([]Cell, len(p.members))
		var all Count
		for i, m := range p.members {
			var c Count
			for j := range byLA[m.LAID] {
				if k := &byLA[m.LAID][j]; in(k) {
					c.Add(k.RecordKey)
				}
			}
			cells[i], all = p.ctl.Publish(c, "row|"+m.Name+"|"+measure), all.Plus(c)
		}
		return cells, p.ctl.Publish(all, "row|Region|"+measure)
	}
	area := func(ks []analytics.Child) (in, out, near, far, unknown int) {
		for _, k := range ks {
			if k.Group == "" {
				continue
			}
			if k.OutOfArea {
				out++
			} else {
				in++
			}
			switch {
			case k.Distance < 0:
				unknown++
			case k.Distance > 20:
				far++
			default:
				near++
			}
		}
		return
	}
	children, childrenT := col("children", func(*analytics.Child) bool { return true })
	assessed, assessedT := col("assessed", func(k *analytics.Child) bool { return k.Assessed })
	costed, costedT := col("costed", func(k *analytics.Child) bool { return k.HasCost() })
	pearsonN, pearsonNT := col("pearson_n", func(k *analytics.Child) bool { return k.Assessed && k.HasCost() })
	outs, outsT := col("out", func(k *analytics.Child) bool { return k.Group != "" && k.OutOfArea })
	fars, farsT := col("over20", func(k *analytics.Child) bool { return k.Group != "" && k.Distance > 20 })
	// Step-down candidates are the councils' own, each under its own rule.
	cand := map[[2]int64]bool{}
	for i := range cohorts {
		for _, c := range cohorts[i].StepDown.Candidates {
			cand[[2]int64{int64(c.Child.LAID), c.Child.ChildID}] = true
		}
	}
	steps, stepsT := col("stepdown", func(k *analytics.Child) bool { return cand[[2]int64{int64(k.LAID), k.ChildID}] })
	row := func(name string, c analytics.Cohort, ks []analytics.Child, n, a, co, pn, o, fa, st Cell) Row {
		in, out, near, far, _ := area(ks)
		var costs []float64
		for _, k := range ks {
			if k.HasCost() {
				costs = append(costs, float64(k.WeeklyPence)/100)
			}
		}
		return Row{Council: name, Children: n, Assessed: a, Costed: co,
			MedianWeekly: shown(analytics.Quantile(costs, 0.5), len(costs) > 0 && visible(co)),
			Pearson:      shown(c.Pearson.Value, visible(pn) && c.Pearson.N >= p.ctl.MinCount), PearsonN: pn,
			Spearman: shown(c.Spearman.Value, visible(pn) && c.Pearson.N >= p.ctl.MinCount),
			// Shares only beside a shown count, and only of a shown whole.
			OutOfArea: o, OutShare: shown(float64(out)/float64(in+out), visible(o) && in+out >= p.ctl.MinCount),
			Over20: fa, Over20Share: shown(float64(far)/float64(near+far), visible(fa) && near+far >= p.ctl.MinCount),
			StepDown: st, Saving: shown(c.StepDown.Annual, visible(st))}
	}
	for i, m := range p.members {
		r.Benchmark = append(r.Benchmark, row(m.Name, cohorts[i], byLA[m.LAID], children[i], assessed[i], costed[i], pearsonN[i], outs[i], fars[i], steps[i]))
		b := &r.Benchmark[i]
		if !m.Needs {
			b.Assessed, b.StepDown, b.PearsonN = notShared(), notShared(), notShared()
			b.Saving, b.Pearson, b.Spearman = Amount{Suppressed: true, NotShared: true}, Amount{Suppressed: true, NotShared: true}, Amount{Suppressed: true, NotShared: true}
		}
		if !m.Placements {
			b.Costed, b.OutOfArea, b.Over20, b.StepDown, b.PearsonN = notShared(), notShared(), notShared(), notShared(), notShared()
			na := Amount{Suppressed: true, NotShared: true}
			b.MedianWeekly, b.OutShare, b.Over20Share, b.Saving, b.Pearson, b.Spearman = na, na, na, na, na, na
		}
	}
	// The region's step-down saving is the sum of the councils'.
	var saving float64
	for i := range cohorts {
		saving += cohorts[i].StepDown.Annual
	}
	pool.StepDown.Annual = saving
	r.Pooled = row("Region", pool, kids, childrenT, assessedT, costedT, pearsonNT, outsT, farsT, stepsT)
	r.PooledNote = leftOut(p.members, p.others)

	// Two-way tables: every cell and total perturbed on its own. A council
	// that does not share what a table counts is a row of x, and the totals
	// say they leave it out.
	bandCols := append(slices.Clone(analytics.Bands), "none")
	r.Bands = p.withheld(p.ctl.Protect("bands", needsNames, bandCols, countBy(needsMembers, byLA, func(k analytics.Child) int {
		if !k.Assessed {
			return len(analytics.Bands)
		}
		return slices.Index(analytics.Bands, k.Band)
	}, len(bandCols))), "needs", func(m Member) bool { return m.Needs })
	r.Groups = p.withheld(p.ctl.Protect("groups", placeNames, analytics.Groups, countBy(placeMembers, byLA, func(k analytics.Child) int {
		return slices.Index(analytics.Groups, k.Group)
	}, len(analytics.Groups))), "placements", func(m Member) bool { return m.Placements })
	levels := []string{"0", "1", "2", "3", "4"}
	prev := make([][]Count, len(analytics.DomainNames))
	for d := range prev {
		prev[d] = make([]Count, len(levels))
	}
	for i := range kids {
		k := &kids[i]
		if !k.Assessed {
			continue
		}
		for d, l := range k.Levels {
			if d < len(prev) && l >= 0 && int(l) < len(levels) {
				prev[d][l].Add(k.RecordKey)
			}
		}
	}
	r.Prevalence = p.ctl.Protect("prevalence", analytics.DomainNames, levels, prev)
	// Every assessed child is rated in every domain: a row adds up to the
	// children assessed, and adding across domains would count each child
	// twelve times, so those totals are not applicable.
	for j := range r.Prevalence.ColTotals {
		r.Prevalence.ColTotals[j] = notApplicable()
	}
	r.Prevalence.Total = notApplicable()
	r.Prevalence.Note = "Each domain's total is the children assessed in that domain. Levels are not added up across domains (z): every child is rated in every domain." +
		p.leftOutNote(func(m Member) bool { return m.Needs }, "needs")

	// Cost by band and placement type: quartiles only where the count is shown.
	need := make([][]Count, len(analytics.Groups)) // placement type × band
	costCounts := make([][]Count, len(analytics.Bands))
	costs := map[[2]int][]float64{}
	for i := range need {
		need[i] = make([]Count, len(analytics.Bands))
	}
	for b := range costCounts {
		costCounts[b] = make([]Count, len(analytics.Groups))
	}
	for _, k := range kids {
		b, g := slices.Index(analytics.Bands, k.Band), slices.Index(analytics.Groups, k.Group)
		if !k.Assessed || b < 0 || g < 0 {
			continue
		}
		need[g][b].Add(k.RecordKey)
		if k.HasCost() {
			costs[[2]int{b, g}] = append(costs[[2]int{b, g}], float64(k.WeeklyPence)/100)
			costCounts[b][g].Add(k.RecordKey)
		}
	}
	ct := p.ctl.Protect("costs", analytics.Bands, analytics.Groups, costCounts)
	for b, band := range analytics.Bands {
		for g, group := range analytics.Groups {
			xs := costs[[2]int{b, g}]
			if len(xs) == 0 {
				continue
			}
			ok := visible(ct.Cells[b][g])
			r.Costs = append(r.Costs, CostRow{Band: band, Group: group, N: ct.Cells[b][g],
				Q1: shown(analytics.Quantile(xs, 0.25), ok), Median: shown(analytics.Quantile(xs, 0.5), ok), Q3: shown(analytics.Quantile(xs, 0.75), ok)})
		}
	}
	// Needs by time in care, and the EHC-plan difference, each count
	// perturbed, with its mean or median shown beside a shown count.
	tc := make([][]Count, len(analytics.TimeInCareBands))
	for i := range tc {
		tc[i] = make([]Count, 1)
	}
	ec := [][]Count{{{}}, {{}}}
	for _, k := range kids {
		if k.Assessed {
			tc[slices.Index(analytics.TimeInCareBands, analytics.CareBandOf(k.YearsInCare))][0].Add(k.RecordKey)
		}
		if k.HasCost() {
			if k.EHC {
				ec[0][0].Add(k.RecordKey)
			} else {
				ec[1][0].Add(k.RecordKey)
			}
		}
	}
	tt := p.ctl.Protect("time", analytics.TimeInCareBands, []string{"n"}, tc)
	for i, t := range pool.NeedsByTime {
		r.Time = append(r.Time, TimeRow{Band: t.Band, N: tt.Cells[i][0], MeanScore: shown(t.MeanScore, visible(tt.Cells[i][0]))})
	}
	et := p.ctl.Protect("ehc", []string{"with", "without"}, []string{"n"}, ec)
	r.EHC = []EHCRow{{Plan: "with", N: et.Cells[0][0], Median: shown(pool.EHC.WithMedian, visible(et.Cells[0][0]))},
		{Plan: "without", N: et.Cells[1][0], Median: shown(pool.EHC.WithoutMedian, visible(et.Cells[1][0]))}}

	// Sufficiency: what children need (band × placement type) against where
	// the region places them.
	r.Need = p.ctl.Protect("need", analytics.Groups, analytics.Bands, need)
	r.Need.Note = p.leftOutNote(func(m Member) bool { return m.Needs && m.Placements }, "needs and placements together")
	prov := make([][]Count, len(analytics.Groups))
	for g := range prov {
		prov[g] = make([]Count, 2)
	}
	for _, k := range kids {
		if g := slices.Index(analytics.Groups, k.Group); g >= 0 {
			if k.OutOfArea {
				prov[g][1].Add(k.RecordKey)
			} else {
				prov[g][0].Add(k.RecordKey)
			}
		}
	}
	r.Provision = p.ctl.Protect("provision", analytics.Groups, []string{"in area", "out of area"}, prov)
	r.Provision.Note = p.leftOutNote(func(m Member) bool { return m.Placements }, "placements")
	inOut := make([][]Count, len(placeMembers))
	miles := make([][]Count, len(placeMembers))
	for i, m := range placeMembers {
		inOut[i], miles[i] = make([]Count, 2), make([]Count, 3)
		for _, k := range byLA[m.LAID] {
			if k.Group == "" {
				continue
			}
			if k.OutOfArea {
				inOut[i][1].Add(k.RecordKey)
			} else {
				inOut[i][0].Add(k.RecordKey)
			}
			switch {
			case k.Distance < 0:
				miles[i][2].Add(k.RecordKey)
			case k.Distance > 20:
				miles[i][1].Add(k.RecordKey)
			default:
				miles[i][0].Add(k.RecordKey)
			}
		}
	}
	shares := func(m Member) bool { return m.Placements }
	r.Area = p.withheld(p.ctl.Protect("area", placeNames, []string{"in area", "out of area"}, inOut), "placements", shares)
	r.Miles = p.withheld(p.ctl.Protect("miles", placeNames, []string{"up to 20 miles", "over 20 miles", "not recorded"}, miles), "placements", shares)
	r.Market = p.market(placeMembers, byLA, kids)
	if allSuppressed(r) {
		r.Empty = fmt.Sprintf("Every group this filter leaves has fewer than %d children, so every figure is suppressed: counts from 1 to %d are never shown, "+
			"nor anything that would let them be worked out. Widen the filter.", p.ctl.MinCount, p.ctl.MinCount-1)
		r = Region{RCC: r.RCC, AsOf: r.AsOf, Control: r.Control, Filter: r.Filter, Members: r.Members, NotSharing: r.NotSharing, Empty: r.Empty}
	}
	return r
}

// defaultRule is the step-down rule the region applies to every council.
var defaultRule = analytics.StepRule{Places: map[string]bool{"K1": true, "K2": true}, Bands: map[string]bool{"low": true, "medium": true}}

func visible(c Cell) bool { return !c.Suppressed && c.N > 0 }

func notShared() Cell { return Cell{Suppressed: true, NotShared: true} }

func countBy(ms []Member, byLA map[int32][]analytics.Child, idx func(analytics.Child) int, n int) [][]Count {
	out := make([][]Count, len(ms))
	for i, m := range ms {
		out[i] = make([]Count, n)
		for _, k := range byLA[m.LAID] {
			if j := idx(k); j >= 0 {
				out[i][j].Add(k.RecordKey)
			}
		}
	}
	return out
}

// withheld adds a row of x for each council in view that does not share
// what a council-by-something table counts, and says the totals leave it out.
func (p pooled) withheld(t Table, what string, shares func(Member) bool) Table {
	for _, m := range p.members {
		if shares(m) {
			continue
		}
		row := make([]Cell, len(t.Cols))
		for j := range row {
			row[j] = notShared()
		}
		t.Rows, t.Cells, t.RowTotals = append(t.Rows, m.Name), append(t.Cells, row), append(t.RowTotals, notShared())
	}
	t.Note = p.leftOutNote(shares, what)
	return t
}

// leftOutNote says which councils a table's totals leave out, if any.
func (p pooled) leftOutNote(shares func(Member) bool, what string) string {
	var out []string
	for _, m := range p.members {
		if !shares(m) {
			out = append(out, m.Name+" (does not share "+what+", x)")
		}
	}
	for _, o := range p.others {
		out = append(out, o+" (shares nothing, x)")
	}
	if len(out) == 0 {
		return ""
	}
	return " Totals leave out " + strings.Join(out, ", ") + "."
}

// leftOut says which councils the region's row leaves out.
func leftOut(ms []Member, others []string) string {
	var out []string
	for _, m := range ms {
		switch {
		case !m.Needs && !m.Placements:
			out = append(out, m.Name+" shares neither needs nor placements")
		case !m.Needs:
			out = append(out, m.Name+" does not share needs, so the region's needs figures leave it out")
		case !m.Placements:
			out = append(out, m.Name+" does not share placements and costs, so the region's cost and placement figures leave it out")
		}
	}
	for _, o := range others {
		out = append(out, o+" shares nothing, so every regional figure leaves it out")
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "; ") + " (x)."
}

// allSuppressed reports whether a region's figures show no count at all.
func allSuppressed(r Region) bool {
	for _, t := range []Table{r.Bands, r.Groups} {
		for _, row := range t.Cells {
			for _, c := range row {
				if visible(c) {
					return false
				}
			}
		}
	}
	return true
}

// market compares providers' prices across the councils that share placements.
func (p pooled) market(ms []Member, byLA map[int32][]analytics.Child, kids []analytics.Child) Market {
	var m Market
	for _, c := range ms {
		m.Councils = append(m.Councils, c.Name)
	}
	// Provider × council counts, protected as one table; medians where shown.
	prices := map[int64][][]float64{}
	for i, c := range ms {
		for _, k := range byLA[c.LAID] {
			if k.ProviderID == 0 || !k.HasCost() {
				continue
			}
			if prices[k.ProviderID] == nil {
				prices[k.ProviderID] = make([][]float64, len(ms))
			}
			prices[k.ProviderID][i] = append(prices[k.ProviderID][i], float64(k.WeeklyPence)/100)
		}
	}
	var ids []int64
	for id, per := range prices {
		used := 0
		for _, xs := range per {
			if len(xs) > 0 {
				used++
			}
		}
		if used >= 2 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return p.providers[ids[i]].Name < p.providers[ids[j]].Name })
	counts := make([][]Count, len(ids))
	labels := make([]string, len(ids))
	for i, id := range ids {
		counts[i] = make([]Count, len(ms))
		labels[i] = p.providers[id].Name
	}
	row := map[int64]int{}
	for i, id := range ids {
		row[id] = i
	}
	for j, c := range ms {
		for _, k := range byLA[c.LAID] {
			if i, ok := row[k.ProviderID]; ok && k.ProviderID != 0 && k.HasCost() {
				counts[i][j].Add(k.RecordKey)
			}
		}
	}
	t := p.ctl.Protect("market", labels, m.Councils, counts)
	for i, id := range ids {
		pr := p.providers[id]
		pp := ProviderPrice{Name: pr.Name, URN: pr.OfstedUrn, District: pr.PostcodeDistrict, N: t.Cells[i]}
		lo, hi := math.Inf(1), math.Inf(-1)
		for j := range ms {
			xs := prices[id][j]
			if len(xs) > 0 {
				pp.Councils++
			}
			a := shown(analytics.Quantile(xs, 0.5), len(xs) > 0 && visible(t.Cells[i][j]))
			pp.Median = append(pp.Median, a)
			if !a.Suppressed {
				lo, hi = math.Min(lo, a.Value), math.Max(hi, a.Value)
			}
		}
		pp.Ratio = shown(hi/lo, lo > 0 && hi > lo)
		// A provider is compared only where two councils' prices can be shown.
		if priced := len(pp.Median) - countSuppressed(pp.Median); priced >= 2 {
			m.Providers = append(m.Providers, pp)
		}
	}
	// Similar needs: providers with at least MinCount children of a band and
	// placement type, anywhere in the region.
	type key struct {
		b, g string
		id   int64
	}
	sim := map[key][]float64{}
	simN := map[key]*Count{}
	for _, k := range kids {
		if k.Assessed && k.HasCost() && k.ProviderID != 0 {
			kk := key{k.Band, k.Group, k.ProviderID}
			sim[kk] = append(sim[kk], float64(k.WeeklyPence)/100)
			if simN[kk] == nil {
				simN[kk] = &Count{}
			}
			simN[kk].Add(k.RecordKey)
		}
	}
	for _, b := range analytics.Bands {
		for _, g := range analytics.Groups {
			s := Similar{Band: b, Group: g}
			type pm struct {
				name   string
				n      Cell
				median float64
			}
			var list []pm
			for k, xs := range sim {
				if k.b != b || k.g != g {
					continue
				}
				// Listed only where the perturbed count is shown.
				if n := p.ctl.Publish(*simN[k], "similar|"+b+"|"+g+"|"+p.providers[k.id].Name); visible(n) {
					list = append(list, pm{p.providers[k.id].Name, n, analytics.Quantile(xs, 0.5)})
				}
			}
			if len(list) < 2 {
				continue
			}
			sort.Slice(list, func(i, j int) bool { return list[i].median < list[j].median })
			for _, x := range list {
				s.Providers = append(s.Providers, x.name)
				s.N = append(s.N, x.n)
				s.Median = append(s.Median, Amount{Value: x.median})
			}
			if list[0].median > 0 {
				s.Ratio = list[len(list)-1].median / list[0].median
			}
			m.Similar = append(m.Similar, s)
		}
	}
	return m
}

// CouncilView is a council's own figures beside its region's.
type CouncilView struct {
	RCC         string    `json:"rcc"`
	AsOf        time.Time `json:"as_of"`
	Shares      string    `json:"council_shares"`
	Council     Row       `json:"council"` // exact: the council's own figures
	Region      Row       `json:"region"`  // pooled, under disclosure control
	Delay       DelayRow  `json:"council_delay"`
	DelayRegion DelayRow  `json:"region_delay"`
	Control     Control   `json:"disclosure_control"`
}

// CouncilAgainstRegion compares a council with each RCC it shares with. The
// council's own figures are exact; the region's are published figures.
func (s *Service) CouncilAgainstRegion(ctx context.Context, userID int64, la int32, asOf time.Time, pr *proceedings.Service) ([]CouncilView, error) {
	if !s.authz.Allowed(userID, authz.CouncilDomain(la), authz.Region, authz.Read) {
		if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "view", Entity: "council_region", Outcome: audit.Denied}); err != nil {
			return nil, err
		}
		return nil, children.ErrForbidden
	}
	q := db.New(s.pool)
	rccs, err := q.RCCsOfCouncil(ctx, db.RCCsOfCouncilParams{LaID: la, Day: s.today()})
	if err != nil {
		return nil, err
	}
	var out []CouncilView
	for _, rc := range rccs {
		p, err := s.load(ctx, rc.RccID, asOf)
		if err != nil {
			return nil, err
		}
		var me *Member
		for i := range p.members {
			if p.members[i].LAID == la {
				me = &p.members[i]
			}
		}
		if me == nil {
			continue // the council shares nothing with this one
		}
		region := p.figures(analytics.Filter{}, asOf)
		if err := s.delay(ctx, pr, p, analytics.Filter{}, asOf, &region); err != nil {
			return nil, err
		}
		own := p
		own.ctl = Exact // a council sees its own counts exactly
		own.members = []Member{*me}
		mine := own.figures(analytics.Filter{LAID: la}, asOf)
		if err := s.delay(ctx, pr, own, analytics.Filter{LAID: la}, asOf, &mine); err != nil {
			return nil, err
		}
		v := CouncilView{RCC: rc.Name, AsOf: asOf, Shares: What(me.Needs, me.Placements, me.Proceedings), Region: region.Pooled,
			DelayRegion: region.DelayPool, Control: p.ctl}
		if len(mine.Benchmark) == 1 {
			v.Council = mine.Benchmark[0]
		}
		if len(mine.Delay) == 1 {
			v.Delay = mine.Delay[0]
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, ErrNoAgreement
	}
	return out, audit.Record(ctx, s.pool, audit.Event{UserID: userID, LAID: la, Action: "view", Entity: "council_against_region",
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly)}})
}

// Format shows an amount as published: "c" when suppressed, "x" when not shared.
func (a Amount) Format(f func(float64) string) string {
	switch {
	case a.NotShared:
		return "x"
	case a.Suppressed:
		return "c"
	}
	return f(a.Value)
}

// Request is ParseRequest and Region together: the regional figures a
// request asks for, with the RCC it names.
func (s *Service) Request(ctx context.Context, userID int64, get func(string) string, pr *proceedings.Service) (db.RegionalCooperative, Region, error) {
	rcc, f, asOf, err := s.ParseRequest(ctx, userID, get)
	if err != nil {
		return rcc, Region{}, err
	}
	r, err := s.Region(ctx, userID, rcc.RccID, f, asOf, pr)
	return rcc, r, err
}

// CouncilRequest reads which council (the user's first where they may see
// the region, by default) and as-of date (today) a council's view of its
// region asks for.
func (s *Service) CouncilRequest(userID int64, get func(string) string) (int32, time.Time, error) {
	f, asOf, err := analytics.ParseFilter(get)
	if err != nil {
		return 0, asOf, err
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	if f.LAID == 0 {
		if las := s.authz.Councils(userID, authz.Region, authz.Read); len(las) > 0 {
			f.LAID = las[0]
		}
	}
	return f.LAID, asOf, nil
}

// ParseRequest reads which RCC (by code; the user's first by default),
// filter and as-of date a regional request names. The council filter is an
// ONS or DfE code, as RCC staff know councils.
func (s *Service) ParseRequest(ctx context.Context, userID int64, get func(string) string) (db.RegionalCooperative, analytics.Filter, time.Time, error) {
	var rcc db.RegionalCooperative
	rccs, err := s.RCCs(ctx, userID)
	if err != nil {
		return rcc, analytics.Filter{}, time.Time{}, err
	}
	if len(rccs) == 0 {
		// Council staff asking for a region's own figures: refused, and
		// recorded against their councils so their auditor sees it.
		if err := audit.RecordCouncils(ctx, s.pool, audit.Event{UserID: userID, Action: "view", Entity: "region", Outcome: audit.Denied},
			s.authz.Councils(userID, authz.Account, authz.Read), nil); err != nil {
			return rcc, analytics.Filter{}, time.Time{}, err
		}
		return rcc, analytics.Filter{}, time.Time{}, children.ErrForbidden
	}
	rcc = rccs[0]
	if v := get("rcc"); v != "" {
		found := false
		for _, c := range rccs {
			if c.Code == v {
				rcc, found = c, true
			}
		}
		if !found {
			return rcc, analytics.Filter{}, time.Time{}, valid.Errorf("rcc", "%q is not a cooperative you work for", v)
		}
	}
	f, asOf, err := analytics.ParseFilter(func(k string) string {
		if k == "la" {
			return "" // a code, read below
		}
		return get(k)
	})
	if err != nil {
		return rcc, f, asOf, err
	}
	if la := get("la"); la != "" {
		if f.LAID, err = CouncilByCode(ctx, db.New(s.pool), la); err != nil {
			return rcc, f, asOf, valid.Errorf("la", "%s", err)
		}
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	return rcc, f, asOf, nil
}

func countSuppressed(as []Amount) int {
	n := 0
	for _, a := range as {
		if a.Suppressed {
			n++
		}
	}
	return n
}

// ControlOf is an RCC's disclosure control, from its configuration.
func ControlOf(r db.RegionalCooperative) Control {
	return Control{MinCount: int(r.DisclosureMinCount), MaxNoise: int(r.DisclosureMaxNoise), ZeroMask: int(r.DisclosureZeroMask),
		Seed: r.DisclosurePtableSeed, K: int(r.DisclosureK)}
}
