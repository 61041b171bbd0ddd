package ssda903

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/hearthcare/hearth/internal/db"
)

// Exported is a council's return for a year as Hearth holds it: each
// table's rows in the column order of Columns.
type Exported struct {
	Year   Year
	Tables map[Table][][]string
}

// ExportTables lists the tables an export writes, in the DfE's order.
var ExportTables = []Table{Header, Episodes, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, Reviews, SWEpisodes, DoLo}

// ExportAll reads every table Hearth holds for a council and year: every
// child with an episode open on some day of the year, those episodes, and
// their UASC status, reviews and missing episodes in the year, with what the
// year's return said that Hearth keeps as given (OC2, OC3, AD1,
// PlacedAdoption, PrevPerm, the UPN placeholders, MOTHER, MC_DOB and
// placeholder URNs). The caller checks permission and audits.
func ExportAll(ctx context.Context, q *db.Queries, laID int32, y Year) (*Exported, error) {
	out := &Exported{Year: y, Tables: map[Table][][]string{}}
	span := db.SSDA903ExportChildrenParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()}
	cs, err := q.SSDA903ExportChildren(ctx, span)
	if err != nil {
		return nil, fmt.Errorf("children: %w", err)
	}
	kept, err := q.SSDA903ExportKept(ctx, db.SSDA903ExportKeptParams{LaID: laID, Year: int32(y)})
	if err != nil {
		return nil, fmt.Errorf("kept rows: %w", err)
	}
	type urnKey struct {
		child int64
		decom string
	}
	keptBy := map[int64]map[Table][][]string{}
	placeholderURN := map[urnKey]bool{}
	for _, k := range kept {
		if k.Tbl == "EpisodeURN" {
			placeholderURN[urnKey{k.ChildID, k.Vals[0]}] = true
			continue
		}
		if keptBy[k.ChildID] == nil {
			keptBy[k.ChildID] = map[Table][][]string{}
		}
		keptBy[k.ChildID][Table(k.Tbl)] = append(keptBy[k.ChildID][Table(k.Tbl)], k.Vals)
	}
	sex := func(s string) string {
		if y <= 2024 {
			return map[string]string{"M": "1", "F": "2"}[s]
		}
		return s
	}
	ref := make(map[int64]string, len(cs))
	dob := make(map[int64]string, len(cs))
	t := out.Tables
	for _, c := range cs {
		ref[c.ChildID], dob[c.ChildID] = c.ChildRef, fmtDate(c.DateOfBirth)
		upn, mother, mcDOB := deref(c.Upn), "", ""
		if h := keptBy[c.ChildID][Header]; len(h) > 0 && len(h[0]) == 3 {
			upn, mother, mcDOB = h[0][0], h[0][1], h[0][2]
		}
		t[Header] = append(t[Header], []string{c.ChildRef, sex(c.Sex), dob[c.ChildID], c.Ethnicity, upn, mother, mcDOB})
		if c.Uasc {
			duc := ""
			if c.UascCeasedOn != nil {
				duc = fmtDate(*c.UascCeasedOn)
			}
			t[UASC] = append(t[UASC], []string{c.ChildRef, sex(c.Sex), dob[c.ChildID], duc})
		}
		for _, tbl := range []Table{OC2, OC3, AD1, PlacedAdoption, PrevPerm, SWEpisodes, DoLo} {
			for _, v := range keptBy[c.ChildID][tbl] {
				t[tbl] = append(t[tbl], append([]string{c.ChildRef}, v...))
			}
		}
	}
	es, err := q.SSDA903ExportEpisodes(ctx, db.SSDA903ExportEpisodesParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()})
	if err != nil {
		return nil, fmt.Errorf("episodes: %w", err)
	}
	ids := make(map[string]int64, len(cs))
	for id, r := range ref {
		ids[r] = id
	}
	for _, e := range es {
		dec, rec, reason := "", deref(e.Rec), deref(e.ReasonPlaceChange)
		switch {
		case e.EndedOn == nil:
		case e.EndedOn.After(y.End()):
			// Still open at the end of the year, as that year's return saw it.
			rec, reason = "", ""
		default:
			dec = fmtDate(*e.EndedOn)
		}
		urn := deref(e.Urn)
		if urn == "" && placeholderURN[urnKey{ids[e.ChildRef], fmtDate(e.StartedOn)}] {
			urn = "XXXXXXX"
		}
		t[Episodes] = append(t[Episodes], []string{e.ChildRef, fmtDate(e.StartedOn), e.Rne, e.LegalStatus, e.Cin, e.Place, deref(e.PlaceProvider), dec, rec,
			reason, deref(e.HomePostcode), deref(e.PlacementPostcode), urn})
	}
	ms, err := q.SSDA903ExportMissing(ctx, db.SSDA903ExportMissingParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()})
	if err != nil {
		return nil, fmt.Errorf("missing: %w", err)
	}
	for _, m := range ms {
		if r, ok := ref[m.ChildID]; ok {
			end := ""
			if m.EndedOn != nil {
				end = fmtDate(*m.EndedOn)
			}
			t[Missing] = append(t[Missing], []string{r, dob[m.ChildID], m.Kind, fmtDate(m.StartedOn), end})
		}
	}
	rs, err := q.SSDA903ExportReviews(ctx, db.SSDA903ExportReviewsParams{LaID: laID, YearStart: y.Start(), YearEnd: y.End()})
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	for _, v := range rs {
		if r, ok := ref[v.ChildID]; ok {
			t[Reviews] = append(t[Reviews], []string{r, dob[v.ChildID], fmtDate(v.ReviewedOn), v.Code})
		}
	}
	sortByChild(t)
	return out, nil
}

// sortByChild orders each table by child reference, keeping each child's
// rows in the order they were read (by date).
func sortByChild(t map[Table][][]string) {
	for _, rows := range t {
		sortStable(rows)
	}
}

// WriteCSV writes one table in the CSV layout.
func (x *Exported) WriteCSV(w io.Writer, t Table) error { return WriteTable(w, t, x.Tables[t]) }

// Export writes Header and Episodes in the CSV layout (ExportAll has every table).
func Export(ctx context.Context, q *db.Queries, laID int32, y Year, header, episodes io.Writer) (children, eps int, err error) {
	x, err := ExportAll(ctx, q, laID, y)
	if err != nil {
		return 0, 0, err
	}
	if err := x.WriteCSV(header, Header); err != nil {
		return 0, 0, err
	}
	return len(x.Tables[Header]), len(x.Tables[Episodes]), x.WriteCSV(episodes, Episodes)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func sortStable(rows [][]string) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
}

// WriteXML writes the return in the DfE XML layout (EXPSSDA903, one CHILD
// per Header row, the child's other tables nested as readXML reads them).
func (x *Exported) WriteXML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	byChild := map[Table]map[string][][]string{}
	for _, t := range ExportTables[1:] {
		byChild[t] = map[string][][]string{}
		for _, r := range x.Tables[t] {
			byChild[t][r[0]] = append(byChild[t][r[0]], r)
		}
	}
	el := func(indent, name, v string) {
		if v == "" {
			return
		}
		fmt.Fprintf(bw, "%s<%s>", indent, name)
		_ = xml.EscapeText(bw, []byte(v))
		fmt.Fprintf(bw, "</%s>\n", name)
	}
	group := func(indent, tag string, t Table, row []string, skip int) {
		fmt.Fprintf(bw, "%s<%s>\n", indent, tag)
		for i, c := range Columns[t][skip:] {
			if t == Episodes && c == "PLACE" {
				c = "PL"
			}
			el(indent+"  ", c, row[skip+i])
		}
		fmt.Fprintf(bw, "%s</%s>\n", indent, tag)
	}
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<EXPSSDA903>\n")
	for _, h := range x.Tables[Header] {
		child := h[0]
		bw.WriteString("  <CHILD>\n    <HEADER>\n")
		el("      ", "CHILDID", child)
		el("      ", "UPN", h[4])
		el("      ", "SEX", h[1])
		el("      ", "DOB", h[2])
		el("      ", "ETHNIC", h[3])
		if u := byChild[UASC][child]; len(u) > 0 {
			el("      ", "UASC", "1")
			el("      ", "DUC", u[0][3])
		}
		el("      ", "MOTHER", h[5])
		el("      ", "MC_DOB", h[6])
		for _, t := range []Table{OC3, AD1} {
			for _, r := range byChild[t][child] {
				for i, c := range Columns[t][2:] {
					el("      ", c, r[2+i])
				}
			}
		}
		for _, r := range byChild[Reviews][child] {
			group("      ", "AREVIEW", Reviews, r, 2)
		}
		for _, r := range byChild[Missing][child] {
			group("      ", "AMISSING", Missing, r, 2)
		}
		for _, r := range byChild[OC2][child] {
			group("      ", "OC2", OC2, r, 2)
		}
		for _, r := range byChild[PrevPerm][child] {
			group("      ", "PERMANENCE", PrevPerm, r, 2)
		}
		for _, r := range byChild[PlacedAdoption][child] {
			group("      ", "AD_PLACED", PlacedAdoption, r, 2)
		}
		bw.WriteString("    </HEADER>\n")
		for _, r := range byChild[Episodes][child] {
			group("    ", "EPISODE", Episodes, r, 1)
		}
		// No public source gives the DfE's XML tags for these tables (the
		// reference validator's XML reader has neither): Hearth writes them
		// as CHILD/SWEPISODE and CHILD/DOLO with the CSV column names, and
		// reads them back.
		for _, r := range byChild[SWEpisodes][child] {
			group("    ", "SWEPISODE", SWEpisodes, r, 2)
		}
		for _, r := range byChild[DoLo][child] {
			group("    ", "DOLO", DoLo, r, 2)
		}
		bw.WriteString("  </CHILD>\n")
	}
	bw.WriteString("</EXPSSDA903>\n")
	return bw.Flush()
}
