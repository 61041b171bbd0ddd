package ssda903

import (
	"context"
	"io"

	"github.com/hearthcare/hearth/internal/db"
)

// Export writes Header and Episodes for a council and collection year, in the
// CSV layout, from Hearth's records: every child with an episode open on some
// day of the year, and those episodes. The caller checks permission and audits.
func Export(ctx context.Context, q *db.Queries, laID int32, y Year, header, episodes io.Writer) (children, eps int, err error) {
	hs, err := q.SSDA903ExportHeader(ctx, db.SSDA903ExportHeaderParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()})
	if err != nil {
		return 0, 0, err
	}
	sex := func(s string) string {
		if y <= 2024 {
			return map[string]string{"M": "1", "F": "2"}[s]
		}
		return s
	}
	rows := make([][]string, len(hs))
	for i, h := range hs {
		rows[i] = []string{h.ChildRef, sex(h.Sex), fmtDate(h.DateOfBirth), h.Ethnicity, deref(h.Upn), "", ""}
	}
	if err := WriteTable(header, Header, rows); err != nil {
		return 0, 0, err
	}
	es, err := q.SSDA903ExportEpisodes(ctx, db.SSDA903ExportEpisodesParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()})
	if err != nil {
		return 0, 0, err
	}
	rows = make([][]string, len(es))
	for i, e := range es {
		dec, rec, reason := "", deref(e.Rec), deref(e.ReasonPlaceChange)
		switch {
		case e.EndedOn == nil:
		case e.EndedOn.After(y.End()):
			// Still open at the end of the year, as that year's return saw it.
			rec, reason = "", ""
		default:
			dec = fmtDate(*e.EndedOn)
		}
		rows[i] = []string{e.ChildRef, fmtDate(e.StartedOn), e.Rne, e.LegalStatus, e.Cin, e.Place, deref(e.PlaceProvider), dec, rec,
			reason, deref(e.HomePostcode), deref(e.PlacementPostcode), deref(e.Urn)}
	}
	return len(hs), len(es), WriteTable(episodes, Episodes, rows)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
