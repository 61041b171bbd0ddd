package ssda903

import (
	"strings"
	"testing"
)

// problemsUnder reads a return of one Header (a row, or rows joined by
// newlines) and the given tables in year y, and gives the problems raised
// under the rule code.
func problemsUnder(y Year, header string, tables map[Table][]string, code string) []Problem {
	files := []File{{Name: "header.csv", Body: strings.NewReader(strings.Join(Columns[Header], ",") + "\n" + header + "\n")}}
	for tbl, rs := range tables {
		files = append(files, File{Name: string(tbl) + ".csv", Body: strings.NewReader(strings.Join(Columns[tbl], ",") + "\n" + strings.Join(rs, "\n") + "\n")})
	}
	var got []Problem
	for _, p := range Read(y, files).Problems {
		if p.Rule == code {
			got = append(got, p)
		}
	}
	return got
}

// as is an episode row of ep for another child.
func as(child, row string) string { return child + strings.TrimPrefix(row, "K1") }

// TestDfERulesB: for each rule of dferules_b.go, a return that passes it
// and one that breaks it by as little as possible, in a year the rule
// applies; the failing one raises the rule with its severity for that year.
// A rule the DfE deleted raises nothing in a later year.
func TestDfERulesB(t *testing.T) {
	const hdr = "K1,M,01/01/2010,WBRI,UN1,,"
	type rows map[Table][]string
	open := ep("01/05/2025", "S", "C2", "U6", "PR1", "", "")
	left := ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")
	ad := "K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L11"
	oc2 := "K1,01/01/2010,10,,0,,1,1,1,0,,"
	sw := func(rs ...string) rows {
		for i, r := range rs {
			rs[i] = "K1,01/01/2010," + r
		}
		return rows{Episodes: {open}, SWEpisodes: rs}
	}
	dolo := func(eps []string, rs ...string) rows {
		for i, r := range rs {
			rs[i] = "K1,01/01/2010," + r
		}
		return rows{Episodes: eps, DoLo: rs}
	}
	k2 := []string{ep("01/05/2026", "S", "C2", "K2", "PR4", "", "")}
	tests := []struct {
		rule             string
		year             Year
		hdrPass, hdrFail string
		pass, fail       rows
	}{
		{rule: "426", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "05/05/2025", "E13"), ep("01/06/2025", "S", "V3", "U6", "PR1", "05/06/2025", "E13")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "05/05/2025", "E13"), ep("01/06/2025", "S", "V4", "U6", "PR1", "05/06/2025", "E13")}}},
		// 435 and 436 as fixed here: the placement did not change.
		{rule: "435", pass: rows{Episodes: {"K1,01/05/2025,S,C2,N1,K2,PR4,01/06/2025,X1,CARPL,M1 1AA,M2 2BB,SC123456", "K1,01/06/2025,P,C2,N1,K2,PR4,,,,M1 1AA,M3 3CC,SC123456"}},
			fail: rows{Episodes: {"K1,01/05/2025,S,C2,N1,K2,PR4,01/06/2025,X1,CARPL,M1 1AA,M2 2BB,SC123456", "K1,01/06/2025,P,C2,N1,K2,PR4,,,,M1 1AA,M2 2BB,SC123456"}}},
		{rule: "436", pass: rows{Episodes: {"K1,01/05/2025,S,C1,N1,K2,PR4,01/06/2025,X1,CARPL,M1 1AA,M2 2BB,SC123456", "K1,01/06/2025,B,C2,N1,K2,PR4,,,,M1 1AA,M2 2BB,SC654321"}},
			fail: rows{Episodes: {"K1,01/05/2025,S,C1,N1,K2,PR4,01/06/2025,X1,CARPL,M1 1AA,M2 2BB,SC123456", "K1,01/06/2025,B,C2,N1,K2,PR4,,,,M1 1AA,M2 2BB,SC123456"}}},
		{rule: "446", pass: rows{Episodes: {ep("01/12/2005", "S", "E1", "A5", "PR1", "01/05/2025", "E11")}}, fail: rows{Episodes: {ep("30/11/2005", "S", "E1", "A5", "PR1", "01/05/2025", "E11")}}},
		{rule: "451", year: 2024, pass: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "01/06/2023", "E4A")}}, fail: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "", "")}}},
		{rule: "516", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U4", "PR1", "01/09/2025", "E45")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "K2", "PR4", "01/09/2025", "E45")}}},
		{rule: "551", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,,,"}}},
		{rule: "552", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/06/2025,,"}}},
		{rule: "553", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,01/06/2025,RD1"}}},
		{rule: "553", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K2,01/01/2010,01/04/2025,,"}}},
		{rule: "554", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/06/2025,,"}}},
		{rule: "555", year: 2024, pass: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2023,,"}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "", "")}, PlacedAdoption: {"K2,01/01/2010,01/04/2023,,"}}},
		{rule: "556", year: 2024, pass: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/04/2023,,"}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "D1", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/06/2023,,"}}},
		{rule: "579", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/04/2025,01/05/2025,RD1", "K1,01/01/2010,01/06/2025,,"}},
			fail: rows{PlacedAdoption: {"K1,01/01/2010,01/04/2025,,", "K1,01/01/2010,01/06/2025,,"}}},
		{rule: "517", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L3"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,FF,L3"}}},
		{rule: "524", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MM,L12"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L12"}}},
		{rule: "601", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, AD1: {ad}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,"}}},
		{rule: "634", pass: rows{Episodes: {open}, PrevPerm: {"K1,01/01/2010,Z1,,"}}, fail: rows{Episodes: {ep("01/03/2025", "S", "C2", "U6", "PR1", "", "")}, PrevPerm: {"K1,01/01/2010,Z1,,"}}},
		{rule: "602", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, AD1: {ad}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E4A")}, AD1: {ad}}},
		{rule: "543", pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {oc2}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,10,,,,1,1,1,0,,"}}},
		{rule: "544", pass: rows{OC2: {"K1,01/01/2010,10,,1,,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,10,,1,,,1,1,0,,"}}},
		{rule: "547", hdrPass: "K1,M,01/01/2022,WBRI,UN1,,", hdrFail: "K1,M,01/01/2022,WBRI,UN1,,",
			pass: rows{OC2: {"K1,01/01/2022,,SDQ1,,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2022,,SDQ1,,1,1,1,,0,,"}}},
		{rule: "566", pass: rows{Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}}, fail: rows{Missing: {"K1,01/01/2010,,01/06/2025,03/06/2025"}}},
		{rule: "575", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/07/2025", "X1"), ep("01/07/2025", "P", "C2", "K2", "PR4", "", "")}, Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/07/2025", "X1"), ep("01/07/2025", "P", "C2", "K2", "PR4", "", "")}, Missing: {"K1,01/01/2010,M,01/06/2025,"}}},
		{rule: "580", hdrPass: "K1,M,01/06/2007,WBRI,UN2,,", hdrFail: "K1,M,01/06/2007,WBRI,UN2,,",
			pass: rows{Episodes: {ep("01/05/2024", "S", "V2", "U6", "PR1", "01/06/2025", "E8")}, Missing: {"K1,01/06/2007,M,20/05/2025,01/06/2025"}},
			fail: rows{Episodes: {ep("01/05/2024", "S", "V2", "U6", "PR1", "01/06/2025", "E4B")}, Missing: {"K1,01/06/2007,M,20/05/2025,01/06/2025"}}},
		{rule: "581", pass: rows{Episodes: {open}, Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}}, fail: rows{Episodes: {open}, Missing: {"K1,01/01/2010,M,20/04/2025,22/04/2025"}}},
		{rule: "607", hdrPass: "K1,F,01/01/2010,WBRI,UN1,0,", hdrFail: "K1,F,01/01/2010,WBRI,UN1,,", pass: rows{Episodes: {left}}, fail: rows{Episodes: {left}}},
		{rule: "620", hdrPass: "K1,F,01/01/2010,WBRI,UN1,1,01/01/2025", hdrFail: "K1,F,01/01/2016,WBRI,UN1,1,01/01/2025"},
		{rule: "625", hdrPass: "K1,F,01/01/2008,WBRI,UN1,1,01/08/2025", hdrFail: "K1,F,01/01/2008,WBRI,UN1,1,01/10/2025", pass: rows{Episodes: {left}}, fail: rows{Episodes: {left}}},
		{rule: "625", hdrPass: "K1,F,01/01/2008,WBRI,UN1,1,01/03/2026", hdrFail: "K1,F,01/01/2008,WBRI,UN1,1,01/04/2026", pass: rows{Episodes: {open}}, fail: rows{Episodes: {open}}},
		{rule: "628", hdrPass: "K1,F,01/01/2007,WBRI,UN2,,", hdrFail: "K1,F,01/01/2007,WBRI,UN2,0,", pass: rows{OC3: {"K1,01/01/2007,YES,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2007,YES,F2,B1"}}},

		{rule: "700", year: 2027, pass: dolo(k2, "01/05/2026,"), fail: dolo(k2, "2026-05-01,")},
		{rule: "701", year: 2027, pass: dolo(k2, "01/05/2026,01/06/2026"), fail: dolo(k2, "01/05/2026,31/13/2026")},
		{rule: "702", year: 2027, pass: dolo(k2, "01/05/2026,02/05/2026"), fail: dolo(k2, "01/05/2026,01/05/2026")},
		{rule: "703", year: 2027, pass: dolo(k2, "31/03/2027,"), fail: dolo(k2, "01/04/2027,")},
		{rule: "704", year: 2027, pass: dolo(k2, "01/05/2026,31/03/2027"), fail: dolo(k2, "01/05/2026,01/04/2027")},
		{rule: "705", year: 2027, pass: dolo(k2, "01/05/2026,01/06/2026", "01/07/2026,"), fail: dolo(k2, "01/05/2026,", "01/07/2026,")},
		{rule: "707", year: 2027, pass: dolo([]string{ep("01/05/2026", "S", "C2", "K2", "PR4", "01/09/2026", "E4A")}, "01/06/2026,01/08/2026"),
			fail: dolo([]string{ep("01/05/2026", "S", "C2", "K2", "PR4", "01/09/2026", "E4A")}, "01/06/2026,")},
		{rule: "708", year: 2027, pass: dolo(k2, "02/01/2010,"), fail: dolo(k2, "01/01/2010,")},
		{rule: "710", year: 2027, pass: dolo(k2, "01/06/2026,01/08/2026"), fail: dolo([]string{ep("01/05/2026", "S", "C2", "K1", "PR1", "", "")}, "01/06/2026,01/08/2026")},

		{rule: "SW01", pass: sw("SW1,01/05/2025,,MANAGE"), fail: rows{Episodes: {open}, SWEpisodes: {"K2,01/01/2010,SW1,01/05/2025,,MANAGE"}}},
		{rule: "SW01a", year: 2025, pass: sw("SW1,01/05/2022,,"), fail: sw(",01/05/2022,,MANAGE")},
		{rule: "SW01a", pass: sw("SW1,01/05/2025,,MANAGE"), fail: sw("SW1,,,MANAGE")},
		{rule: "SW01b", pass: sw("SW1,01/04/2023,,MANAGE"), fail: sw("SW1,01/04/2023,,")},
		{rule: "SW02", pass: sw("XX1,01/05/2025,,MANAGE"), fail: sw("AB1,01/05/2025,,MANAGE")},
		{rule: "SW03", year: 2024, pass: sw("SW1,01/05/2023,,MANAGE"), fail: sw("SW1,01/05/2023,,")},
		{rule: "SW03", pass: sw("SW1,01/05/2025,01/06/2025,MANAGE", "SW2,01/06/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/06/2025,", "SW2,01/06/2025,,LEFTRL")},
		{rule: "SW04", pass: sw("SW1,01/05/2025,,MANAGE"), fail: sw("SW1,2025-05-01,,MANAGE")},
		{rule: "SW05", pass: sw("SW1,01/05/2025,01/06/2025,MANAGE", "SW2,01/06/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,31/06/2025,MANAGE", "SW2,01/06/2025,,LEFTRL")},
		{rule: "SW06", pass: sw("SW1,31/03/2026,,MANAGE"), fail: sw("SW1,01/04/2026,,MANAGE")},
		{rule: "SW07", pass: sw("SW1,01/01/2025,01/04/2025,MANAGE", "SW2,01/04/2025,,LEFTRL"), fail: sw("SW1,01/01/2025,31/03/2025,MANAGE", "SW2,01/04/2025,,LEFTRL")},
		{rule: "SW08", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,01/07/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,,MANAGE", "SW2,01/07/2025,,LEFTRL")},
		{rule: "SW09", pass: sw("SW1,01/05/2025,02/05/2025,MANAGE", "SW2,02/05/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/05/2025,MANAGE", "SW2,01/05/2025,,LEFTRL")},
		{rule: "SW10", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,08/07/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,09/07/2025,,LEFTRL")},
		{rule: "SW11", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,01/07/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/07/2025,MANAGE")},
		{rule: "SW10a", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,09/07/2025,,FCONTA"), fail: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,09/07/2025,,LEFTRL")},
		{rule: "SW10b", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,02/07/2025,,FCONTA"), fail: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,01/07/2025,,FCONTA")},
		{rule: "SW11b", pass: sw("SW1,01/05/2025,26/03/2026,MANAGE", "SW2,30/03/2026,,LEFTRL"), fail: sw("SW1,01/05/2025,26/03/2026,MANAGE")},
		{rule: "SW11b", pass: sw("SW1,01/05/2025,25/03/2026,MANAGE"), fail: sw("SW1,01/05/2025,30/03/2026,MANAGE")},
		{rule: "SW12", pass: sw("SW1,01/04/2025,,MANAGE"), fail: sw("SW1,02/04/2025,,MANAGE")},
		{rule: "SW12", pass: sw("SW1,01/03/2025,01/06/2025,MANAGE", "SW2,01/06/2025,,LEFTRL"), fail: sw("SW2,01/06/2025,,LEFTRL")},
		{rule: "SW12", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, SWEpisodes: {"K1,01/01/2010,SW1,01/05/2025,01/09/2025,MANAGE"}},
			fail: rows{Episodes: {open}, SWEpisodes: {"K1,01/01/2010,SW1,01/05/2025,,MANAGE"}}},
		{rule: "SW11a", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,06/07/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,07/07/2025,,LEFTRL")},
		{rule: "SW18", pass: sw("SW1,01/05/2025,02/05/2025,MANAGE", "SW2,02/05/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,30/04/2025,MANAGE", "SW2,02/05/2025,,LEFTRL")},
		{rule: "SW18", pass: sw("SW1,01/05/2025,02/05/2025,MANAGE", "SW2,02/05/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,01/05/2025,MANAGE", "SW2,01/05/2025,,LEFTRL")},
		{rule: "SW19", pass: sw("SW1,01/05/2025,02/05/2025,MANAGE", "SW2,02/05/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,02/05/2025,MANAGE", "SW2,01/05/2025,,LEFTRL")},
		{rule: "SW13", pass: sw("SW1,01/05/2025,,PCCHAN"), fail: sw("SW1,01/05/2025,,BORED")},
		{rule: "SW14", pass: sw("SW1,01/05/2025,01/07/2025,MANAGE", "SW2,01/07/2025,,LEFTRL"), fail: sw("SW1,01/05/2025,,MANAGE", "SW2,01/07/2025,,LEFTRL")},
		{rule: "SW15", pass: sw("SW1,01/05/2025,,MANAGE"), fail: sw("SW1,01/05/2025,,")},
		{rule: "SW15", pass: sw("SW1,31/03/2024,,"), fail: sw("SW1,01/04/2024,,")},
		{rule: "SW17", pass: sw("SW1,01/05/2025,,MANAGE"), fail: sw("SW1,01/05/2025,31/03/2026,MANAGE")},

		{rule: "INT01", pass: rows{AD1: {ad}}, fail: rows{AD1: {as("K2", ad)}}},
		{rule: "INT02", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}}, fail: rows{PlacedAdoption: {"K2,01/01/2010,01/04/2025,,"}}},
		{rule: "INT03", pass: rows{Episodes: {open}}, fail: rows{Episodes: {as("K2", open)}}},
		{rule: "INT04", pass: rows{Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}}, fail: rows{Missing: {"K2,01/01/2010,M,01/06/2025,03/06/2025"}}},
		{rule: "INT05", pass: rows{OC2: {oc2}}, fail: rows{OC2: {as("K2", oc2)}}},
		{rule: "INT06", pass: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}}, fail: rows{OC3: {"K2,01/01/2010,YES,F2,B1"}}},
		{rule: "INT07", pass: rows{PrevPerm: {"K1,01/01/2010,Z1,,"}}, fail: rows{PrevPerm: {"K2,01/01/2010,Z1,,"}}},
		{rule: "INT08", pass: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN1"}}, fail: rows{Reviews: {"K2,01/01/2010,01/06/2025,PN1"}}},
		{rule: "INT09", pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K2,M,01/01/2010,01/01/2028"}}},
		{rule: "INT11", pass: rows{AD1: {ad}}, fail: rows{AD1: {strings.Replace(ad, "01/01/2010", "02/01/2010", 1)}}},
		{rule: "INT12", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}}, fail: rows{PlacedAdoption: {"K1,02/01/2010,01/04/2025,,"}}},
		{rule: "INT13", pass: rows{Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}}, fail: rows{Missing: {"K1,02/01/2010,M,01/06/2025,03/06/2025"}}},
		{rule: "INT14", pass: rows{OC2: {oc2}}, fail: rows{OC2: {strings.Replace(oc2, "01/01/2010", "02/01/2010", 1)}}},
		{rule: "INT15", pass: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}}, fail: rows{OC3: {"K1,02/01/2010,YES,F2,B1"}}},
		{rule: "INT16", pass: rows{PrevPerm: {"K1,01/01/2010,Z1,,"}}, fail: rows{PrevPerm: {"K1,02/01/2010,Z1,,"}}},
		{rule: "INT17", pass: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN1"}}, fail: rows{Reviews: {"K1,02/01/2010,01/06/2025,PN1"}}},
		{rule: "INT18", pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K1,M,02/01/2010,01/01/2028"}}},
		{rule: "INT21", pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K1,F,01/01/2010,01/01/2028"}}},
		{rule: "INT31", pass: rows{AD1: {ad}}, fail: rows{AD1: {ad, ad}}},
		{rule: "INT32", hdrFail: hdr + "\n" + hdr},
		{rule: "INT33", pass: rows{OC2: {oc2}}, fail: rows{OC2: {oc2, oc2}}},
		{rule: "INT34", pass: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2010,YES,F2,B1", "K1,01/01/2010,YES,F2,B1"}}},
		{rule: "INT35", pass: rows{PrevPerm: {"K1,01/01/2010,Z1,,"}}, fail: rows{PrevPerm: {"K1,01/01/2010,Z1,,", "K1,01/01/2010,Z1,,"}}},
		{rule: "INT36", pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K1,M,01/01/2010,01/01/2028", "K1,M,01/01/2010,01/01/2028"}}},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
	}
	for key := range dfeRulesB {
		if !tested[key] {
			t.Errorf("rule %s has no passing and failing return here", key)
		}
	}
	for _, tt := range tests {
		y := tt.year
		if y == 0 {
			y = 2026
		}
		def := Rules[tt.rule]
		hp, hf := tt.hdrPass, tt.hdrFail
		if hp == "" {
			hp = hdr
		}
		if hf == "" {
			hf = hdr
		}
		if y <= 2024 { // SEX is 1 or 2 up to 2023/24
			hp, hf = strings.ReplaceAll(strings.ReplaceAll(hp, ",M,", ",1,"), ",F,", ",2,"), strings.ReplaceAll(strings.ReplaceAll(hf, ",M,", ",1,"), ",F,", ",2,")
		}
		if got := problemsUnder(y, hp, tt.pass, def.Code); len(got) > 0 {
			t.Errorf("rule %s, %s: passing return gives %v", tt.rule, y, got)
		}
		got := problemsUnder(y, hf, tt.fail, def.Code)
		if len(got) == 0 {
			t.Errorf("rule %s, %s: failing return raises nothing", tt.rule, y)
		}
		for _, p := range got {
			if want := def.SeverityIn(y); p.Severity != want {
				t.Errorf("rule %s, %s: %v; want a %s", tt.rule, y, p, want)
			}
		}
		// A rule deleted after its year: the failing return raises nothing
		// under it in 2025/26.
		if def.SeverityIn(2026) == "" && y < 2026 {
			if got := problemsUnder(2026, strings.ReplaceAll(strings.ReplaceAll(hf, ",1,", ",M,"), ",2,", ",F,"), tt.fail, def.Code); len(got) > 0 {
				t.Errorf("rule %s: deleted, but raises %v in 2025/26", tt.rule, got)
			}
		}
	}
}
