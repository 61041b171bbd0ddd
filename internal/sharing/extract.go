package sharing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
)

// ExtractHeader names the pooled extract's columns. There is no name, council
// child reference, UPN, date of birth, full postcode or free text: a child is
// a keyed pseudonym, stable over time within their council.
var ExtractHeader = []string{"as_of", "pseudonym", "council", "birth_month", "age_band", "uasc", "ehc_plan", "legal_status",
	"placement_type", "placement_group", "provider", "provider_urn", "provider_district", "out_of_area", "distance_band",
	"weekly_cost", "need_band", "need_score", "assessed_month", "levels"}

// Extract writes the pooled, de-identified cohort on asOf: one row per child.
// Rare combinations of what could single a child out (council, age band,
// placement group, legal status, UASC) are coarsened: with fewer than
// MinCount children sharing them, legal status and UASC become c; if the
// council, age band and placement group alone are still rarer than that, the
// birth month does too.
func (s *Service) Extract(ctx context.Context, userID int64, rccID int32, asOf time.Time, w io.Writer) (int, error) {
	if !s.authz.Allowed(userID, authz.RCCDomain(rccID), authz.Region, authz.Export) {
		_ = audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "export", Entity: "region_extract", EntityID: strconv.Itoa(int(rccID)), Outcome: audit.Denied})
		return 0, children.ErrForbidden
	}
	p, err := s.load(ctx, rccID, asOf)
	if err != nil {
		return 0, err
	}
	keys, err := db.New(s.pool).CouncilKeys(ctx, memberIDs(p.members))
	if err != nil {
		return 0, err
	}
	secret := map[int32][]byte{}
	for _, k := range keys {
		secret[k.LaID] = k.Secret
	}
	code := map[int32]string{}
	for _, m := range p.members {
		code[m.LAID] = m.Code
		if secret[m.LAID] == nil {
			return 0, fmt.Errorf("council %s has an agreement but no pseudonym key", m.Name)
		}
	}
	fine, coarse := map[string]int{}, map[string]int{}
	fineKey := func(k analytics.Child) string {
		return fmt.Sprint(k.LAID, "|", analytics.AgeBandOf(k.Age), "|", k.Group, "|", k.LegalStatus, "|", k.UASC)
	}
	coarseKey := func(k analytics.Child) string {
		return fmt.Sprint(k.LAID, "|", analytics.AgeBandOf(k.Age), "|", k.Group)
	}
	for _, k := range p.kids {
		fine[fineKey(k)]++
		coarse[coarseKey(k)]++
	}
	// Audited before any byte is sent, with the row count.
	if err := audit.Record(ctx, s.pool, audit.Event{UserID: userID, Action: "export", Entity: "region_extract", EntityID: strconv.Itoa(int(rccID)),
		Detail: map[string]any{"as_of": asOf.Format(time.DateOnly), "rows": len(p.kids), "councils": len(p.members)}}); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExtractHeader); err != nil {
		return 0, err
	}
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, k := range p.kids {
		birth := fmt.Sprintf("%04d-%02d", k.BirthYM/100, k.BirthYM%100)
		legal, uasc := k.LegalStatus, yn(k.UASC)
		if fine[fineKey(k)] < p.ctl.MinCount {
			legal, uasc = "c", "c"
			if coarse[coarseKey(k)] < p.ctl.MinCount {
				birth = "c"
			}
		}
		rec := []string{asOf.Format(time.DateOnly), Pseudonym(secret[k.LAID], k.LAID, k.ChildID), code[k.LAID], birth, analytics.AgeBandOf(k.Age),
			uasc, yn(k.EHC), legal, k.Place, k.Group, "", "", "", "", "", "", "", "", "", ""}
		if k.Group != "" {
			pr := p.providers[k.ProviderID]
			rec[10], rec[11], rec[12], rec[13], rec[14] = pr.Name, pr.OfstedUrn, pr.PostcodeDistrict, yn(k.OutOfArea), distanceBand(k.Distance)
			if k.HasCost() {
				rec[15] = strconv.FormatFloat(float64(k.WeeklyPence)/100, 'f', 2, 64)
			}
		}
		if k.Assessed {
			rec[16], rec[17], rec[18] = k.Band, strconv.Itoa(int(k.Score)), k.AssessedOn.Format("2006-01")
			lv := make([]byte, len(k.Levels))
			for i, l := range k.Levels {
				lv[i] = byte('0' + l)
			}
			rec[19] = string(lv)
		}
		if err := cw.Write(rec); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(p.kids), cw.Error()
}

func memberIDs(ms []Member) []int32 {
	out := make([]int32, len(ms))
	for i, m := range ms {
		out[i] = m.LAID
	}
	return out
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
