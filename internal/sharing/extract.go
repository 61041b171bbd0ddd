package sharing

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// ExtractHeader names the pooled extract's columns. There is no name, council
// child reference, UPN, date of birth, full postcode or free text: a child is
// a keyed pseudonym, stable over time within their council. Each column an
// attacker could match on has a column saying how far it was generalised.
var ExtractHeader = append([]string{"as_of", "pseudonym", "council", "birth", "birth_level", "uasc", "ehc_plan", "legal_status",
	"placement_type", "placement_group", "provider", "provider_level", "provider_urn", "provider_district", "out_of_area", "distance_band",
	"weekly_cost_band", "need_band", "need_score", "assessed_year"}, levelColumns()...)

func levelColumns() []string {
	out := make([]string, len(analytics.DomainNames))
	for i, d := range analytics.DomainNames {
		out[i] = "level_" + strings.ReplaceAll(strings.ToLower(d), " ", "_")
	}
	return out
}

// Generalisation levels, as the extract's *_level columns name them.
var (
	birthLevels    = []string{"month", "year", "age band", "withheld"}
	providerLevels = []string{"provider", "provider kind", "withheld"}
)

// ExtractStats counts what k-anonymity did to an extract.
type ExtractStats struct {
	Rows        int            `json:"rows"`        // rows written
	Generalised int            `json:"generalised"` // rows with any quasi-identifier generalised or withheld
	Suppressed  int            `json:"suppressed"`  // rows left out: no generalisation made them safe
	ByColumn    map[string]int `json:"by_column"`   // rows generalised, by column
	K           int            `json:"k"`
}

// qi is one row's quasi-identifiers at its generalisation levels.
type qi struct {
	birth, provider int  // indexes into birthLevels and providerLevels
	legal, uasc     bool // withheld
	place           bool // placement type withheld (the group stays)
}

// ladder is the order generalisation takes for a row in a rare combination:
// coarsest last, so the least information goes first.
var ladder = []func(*qi) bool{
	func(q *qi) bool { return up(&q.birth, 1) },    // birth month → year
	func(q *qi) bool { return up(&q.provider, 1) }, // provider → provider kind
	func(q *qi) bool { return up(&q.birth, 2) },    // birth year → age band
	func(q *qi) bool { q.legal = true; return true },
	func(q *qi) bool { q.uasc = true; return true },
	func(q *qi) bool { q.place = true; return true }, // placement type → placement group
	func(q *qi) bool { return up(&q.provider, 2) },   // provider withheld
	func(q *qi) bool { return up(&q.birth, 3) },      // birth withheld
}

func up(level *int, to int) bool {
	if *level >= to {
		return false
	}
	*level = to
	return true
}

// anonymise decides each child's generalisation so that every combination
// of quasi-identifiers (council, birth, placement type, provider, legal
// status, UASC) is shared by at least k rows: rows in rarer combinations
// climb the ladder together until their combination is common enough, and
// rows that are rare even at the top are left out. ok[i] is false for a
// row left out.
func anonymise(kids []analytics.Child, providers map[int64]db.ProvidersByIDRow, k int) (levels []qi, ok []bool, st ExtractStats) {
	levels, ok = make([]qi, len(kids)), make([]bool, len(kids))
	step := make([]int, len(kids))
	for i := range ok {
		ok[i] = true
	}
	st = ExtractStats{K: k, ByColumn: map[string]int{}}
	for {
		classes := map[string][]int{}
		for i := range kids {
			if ok[i] {
				key := qiKey(kids[i], levels[i], providers)
				classes[key] = append(classes[key], i)
			}
		}
		changed := false
		for _, rows := range classes {
			if len(rows) >= k {
				continue
			}
			for _, i := range rows {
				for step[i] < len(ladder) && !ladder[step[i]](&levels[i]) {
					step[i]++
				}
				if step[i] == len(ladder) {
					ok[i] = false // nothing left to generalise
				}
				step[i]++
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	for i := range kids {
		if !ok[i] {
			st.Suppressed++
			continue
		}
		st.Rows++
		l := levels[i]
		if l.birth > 0 || l.provider > 0 || l.legal || l.uasc || l.place {
			st.Generalised++
		}
		count := func(col string, b bool) {
			if b {
				st.ByColumn[col]++
			}
		}
		count("birth", l.birth > 0)
		count("provider", l.provider > 0)
		count("legal_status", l.legal)
		count("uasc", l.uasc)
		count("placement_type", l.place)
	}
	return levels, ok, st
}

// quasi is a row's quasi-identifiers as published.
func quasi(k analytics.Child, l qi, providers map[int64]db.ProvidersByIDRow) (birth, provider, legal, uasc, place string) {
	switch l.birth {
	case 0:
		birth = fmt.Sprintf("%04d-%02d", k.BirthYM/100, k.BirthYM%100)
	case 1:
		birth = strconv.Itoa(int(k.BirthYM / 100))
	case 2:
		birth = analytics.AgeBandOf(k.Age)
	default:
		birth = "c"
	}
	if k.Group != "" && k.ProviderID != 0 {
		switch l.provider {
		case 0:
			provider = providers[k.ProviderID].Name
		case 1:
			provider = providers[k.ProviderID].Kind
		default:
			provider = "c"
		}
	}
	legal, uasc, place = k.LegalStatus, yesNo(k.UASC), k.Place
	if l.legal {
		legal = "c"
	}
	if l.uasc {
		uasc = "c"
	}
	if l.place {
		place = "c"
	}
	return
}

func qiKey(k analytics.Child, l qi, providers map[int64]db.ProvidersByIDRow) string {
	b, p, lg, u, pl := quasi(k, l, providers)
	return strconv.Itoa(int(k.LAID)) + "|" + b + "|" + p + "|" + lg + "|" + u + "|" + pl + "|" + k.Group
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// MinPurpose is the fewest characters a stated purpose may have.
const MinPurpose = 10

// Extract writes the pooled, de-identified, k-anonymous cohort on asOf: one
// row per child whose combination of quasi-identifiers is shared by at least
// the RCC's k rows. Only an RCC data officer may download it, saying why; the
// download is audited with its purpose and row count before any byte is sent.
func (s *Service) Extract(ctx context.Context, userID int64, rccID int32, asOf time.Time, purpose string, w io.Writer) (ExtractStats, error) {
	if !s.authz.Allowed(userID, authz.RCCDomain(rccID), authz.Region, authz.Export) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "export", Entity: "region_extract", EntityID: strconv.Itoa(int(rccID)), Outcome: audit.Denied})
		return ExtractStats{}, children.ErrForbidden
	}
	purpose = strings.TrimSpace(purpose)
	if len([]rune(purpose)) < MinPurpose {
		return ExtractStats{}, valid.Errorf("purpose", "say what the extract is for, in at least %d characters: it is recorded in the audit trail", MinPurpose)
	}
	p, err := s.load(ctx, rccID, asOf)
	if err != nil {
		return ExtractStats{}, err
	}
	k := max(p.ctl.K, 2)
	levels, ok, st := anonymise(p.kids, p.providers, k)
	if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "export", Entity: "region_extract", EntityID: strconv.Itoa(int(rccID)),
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly), "purpose": purpose, "rows": st.Rows, "councils": len(p.members),
			"k": k, "generalised": st.Generalised, "suppressed": st.Suppressed}}); err != nil {
		return ExtractStats{}, err
	}
	return st, writeExtract(w, p, asOf, levels, ok)
}

func writeExtract(w io.Writer, p pooled, asOf time.Time, levels []qi, ok []bool) error {
	code := map[int32]string{}
	for _, m := range p.members {
		code[m.LAID] = m.Code
	}
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(ExtractHeader); err != nil {
		return err
	}
	for i, k := range p.kids {
		if !ok[i] {
			continue
		}
		l := levels[i]
		birth, provider, legal, uasc, place := quasi(k, l, p.providers)
		rec := make([]string, len(ExtractHeader))
		copy(rec, []string{asOf.Format(time.DateOnly), Pseudonym(p.secrets[k.LAID], k.LAID, k.ChildID), code[k.LAID], birth, birthLevels[l.birth],
			uasc, yesNo(k.EHC), legal, place, k.Group})
		if k.Group != "" {
			rec[10], rec[11] = provider, providerLevels[l.provider]
			if l.provider == 0 && k.ProviderID != 0 {
				pr := p.providers[k.ProviderID]
				rec[12], rec[13] = pr.OfstedUrn, pr.PostcodeDistrict
			}
			rec[14], rec[15] = yesNo(k.OutOfArea), distanceBand(k.Distance)
			if k.HasCost() {
				rec[16] = costBand(k.WeeklyPence)
			}
		}
		if k.Assessed {
			rec[17], rec[18], rec[19] = k.Band, strconv.Itoa(int(k.Score)), strconv.Itoa(k.AssessedOn.Year())
			for d, lv := range k.Levels {
				if 20+d < len(rec) {
					rec[20+d] = strconv.Itoa(int(lv))
				}
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// costBand is a weekly cost in £50 bands ("1200-1249"), so an exact price
// cannot be matched to a provider's published median.
func costBand(pence int64) string {
	lo := pence / 100 / 50 * 50
	return strconv.FormatInt(lo, 10) + "-" + strconv.FormatInt(lo+49, 10)
}

func distanceBand(miles float64) string {
	switch {
	case miles < 0:
		return ""
	case miles <= 10:
		return "0-10"
	case miles <= 20:
		return "10-20"
	case miles <= 50:
		return "20-50"
	}
	return "over 50"
}

// ExtractQuasi names the extract's quasi-identifier columns: what k-anonymity
// is over.
var ExtractQuasi = []string{"council", "birth", "placement_type", "placement_group", "provider", "legal_status", "uasc"}

// RareCombinations lists the combinations of quasi-identifiers in an
// extract (as read back, header first) that fewer than k rows share. It is
// the check the tests make.
func RareCombinations(recs [][]string, k int) []string {
	if len(recs) == 0 {
		return nil
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	n := map[string]int{}
	for _, r := range recs[1:] {
		var key []string
		for _, q := range ExtractQuasi {
			key = append(key, r[col[q]])
		}
		n[strings.Join(key, "|")]++
	}
	var out []string
	for key, c := range n {
		if c < k {
			out = append(out, key)
		}
	}
	return out
}
