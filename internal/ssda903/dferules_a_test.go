package ssda903

import (
	"strings"
	"testing"
)

// epFull is an Episodes row for child K1 with every column given.
func epFull(decom, rne, ls, place, prov, dec, rec, reason, home, plPost, urn string) string {
	return strings.Join([]string{"K1", decom, rne, ls, "N1", place, prov, dec, rec, reason, home, plPost, urn}, ",")
}

// TestDfERulesA: for each rule of dferules_a.go, a return that passes it
// and one that breaks it (by as little as possible), in a year the rule
// applies; the failing one raises the rule with its severity for the year,
// and in a year the DfE does not apply the rule (notIn) it raises nothing.
func TestDfERulesA(t *testing.T) {
	const hdr = "K1,M,01/01/2010,WBRI,UN1,,"
	type rows map[Table][]string
	open23 := ep("01/05/2023", "S", "C2", "U6", "PR1", "", "") // looked after for 12 months at 31 March 2026
	open25 := ep("01/05/2025", "S", "C2", "U6", "PR1", "", "") // not
	oc2 := "K1,01/01/2010,10,,0,,1,1,1,0,,"                    // a whole OC2 row for a child of 16
	ad1 := "K1,01/01/2010,01/06/2025,01/07/2025,0,2,MF,L11"    // a whole AD1 row
	tests := []struct {
		rule             string
		year, notIn      Year
		hdrPass, hdrFail string
		pass, fail       rows
	}{
		{rule: "171", hdrPass: "K1,F,01/01/2008,WBRI,UN2,1,01/01/2025", hdrFail: "K1,F,01/01/2008,WBRI,UN2,1,32/01/2025"},
		{rule: "180", pass: rows{OC2: {oc2}}, fail: rows{OC2: {"K1,01/01/2010,41,,0,,1,1,1,0,,"}}},
		{rule: "354", pass: rows{Episodes: {open25}}, fail: rows{Episodes: {ep("01/05/2026", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "385", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "31/03/2026", "E4A")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/04/2026", "E4A")}}},
		{rule: "174", hdrPass: "K1,F,01/01/2008,WBRI,UN2,1,01/01/2025", hdrFail: "K1,M,01/01/2008,WBRI,UN2,1,01/01/2025"},
		{rule: "231", notIn: 2024, hdrPass: hdr, hdrFail: "K1,M,01/06/2015,WBRI,UN2,,",
			pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K1,M,01/06/2015,01/06/2033"}}},
		{rule: "351", hdrPass: "K1,M,01/06/2004,WBRI,UN2,,", hdrFail: "K1,M,01/01/2004,WBRI,UN2,,"},
		{rule: "393", hdrPass: "K1,F,01/01/2010,WBRI,UN2,0,", hdrFail: "K1,F,01/01/2010,WBRI,UN2,,", pass: rows{Episodes: {open25}}, fail: rows{Episodes: {open25}}},
		{rule: "199", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11"), ep("01/12/2025", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "218", pass: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR4", "", "", "", "M1 1AA", "M2 2BB", "SC123456"),
			epFull("01/05/2025", "S", "C2", "K2", "PR4", "", "", "", "M1 1AA", "CF10 1AA", "")}}, // in Wales: no Ofsted URN
			fail: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR4", "", "", "", "M1 1AA", "M2 2BB", "")}}},
		{rule: "225", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "L", "C1", "U6", "PR1", "", ""),
			epFull("01/05/2024", "S", "C2", "K2", "PR4", "01/05/2025", "X1", "CARPL", "", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}}},
		// 226 (rules.go) also covers the move into a temporary placement, in every year.
		{rule: "226", year: 2024, pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "01/06/2023", "X1"), ep("01/06/2023", "P", "C2", "T1", "", "", "")}},
			fail: rows{Episodes: {epFull("01/05/2023", "S", "C2", "U6", "PR1", "01/06/2023", "X1", "CARPL", "", "", ""), ep("01/06/2023", "P", "C2", "T1", "", "", "")}}},
		{rule: "234", notIn: 2025, hdrPass: "K1,M,01/01/2017,WBRI,UN2,,", hdrFail: "K1,M,01/01/2017,WBRI,UN2,,",
			pass: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1", "CARPL", "", "", "")}},
			fail: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1", "CUSTOD", "", "", "")}}},
		{rule: "242", notIn: 2025, pass: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR1", "", "", "", "", "", "XXXXXXX")}},
			fail: rows{Episodes: {epFull("01/05/2025", "S", "C2", "K2", "PR4", "", "", "", "", "", "XXXXXXX")}}},
		{rule: "352", hdrPass: hdr, hdrFail: "K1,M,01/01/2007,WBRI,UN2,,", pass: rows{Episodes: {ep("01/05/2025", "S", "V2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "V2", "U6", "PR1", "", "")}}},
		{rule: "353", hdrPass: "K1,M,01/01/1985,WBRI,UN2,,", hdrFail: "K1,M,01/01/1985,WBRI,UN2,,",
			pass: rows{Episodes: {ep("14/10/1991", "S", "V2", "U6", "PR1", "13/10/1992", "E4A")}}, fail: rows{Episodes: {ep("13/10/1991", "S", "V2", "U6", "PR1", "13/10/1992", "E4A")}}},
		{rule: "392B", pass: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR1", "", "", "", "M1 1AA", "M2 2BB", ""),
			epFull("01/06/2025", "S", "V3", "U6", "PR1", "05/06/2025", "E13", "", "", "", "")}}, // short breaks take no postcodes (214)
			fail: rows{Episodes: {epFull("01/05/2025", "S", "C2", "U6", "PR1", "", "", "", "M1 1AA", "", "")}}},
		{rule: "182", pass: rows{OC2: {oc2}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,,,1,1,0,,"}}},
		{rule: "185", pass: rows{Episodes: {open23}, OC2: {oc2}}, fail: rows{Episodes: {open25}, OC2: {oc2}}},
		{rule: "198", pass: rows{Episodes: {open23}, OC2: {"K1,01/01/2010,,SDQ2,0,,1,1,1,0,,"}}, fail: rows{Episodes: {open25}, OC2: {"K1,01/01/2010,,SDQ2,0,,1,1,1,0,,"}}},
		{rule: "197B", hdrPass: "K1,M,01/06/2021,WBRI,UN1,,", hdrFail: "K1,M,01/06/2021,WBRI,UN1,,",
			pass: rows{Episodes: {ep("01/07/2021", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/06/2021,,SDQ1,,1,1,1,1,0,,"}},
			fail: rows{Episodes: {ep("01/07/2021", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/06/2021,,,,1,1,1,1,0,,"}}},
		{rule: "118", pass: rows{Episodes: {ep("01/05/2024", "S", "C2", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/01/2025,01/06/2025,RD1"}},
			fail: rows{Episodes: {ep("01/05/2024", "S", "C2", "U6", "PR1", "", "")}, PlacedAdoption: {"K1,01/01/2010,01/01/2025,01/02/2025,RD1"}}},
		{rule: "134", pass: rows{AD1: {ad1}, OC3: {"K1,01/01/2010,,,"}}, fail: rows{AD1: {ad1}, OC3: {"K1,01/01/2010,YES,F2,B1"}}},
		{rule: "187", pass: rows{Episodes: {open25}, OC3: {"K1,01/01/2010,YES,F2,B1"}}, fail: rows{Episodes: {open23}, OC3: {"K1,01/01/2010,YES,F2,B1"}}},
		{rule: "333", pass: rows{AD1: {ad1}}, fail: rows{AD1: {"K1,01/01/2010,,01/07/2025,0,2,MF,L11"}}},
		{rule: "334", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "", "")}, AD1: {ad1}},
			fail: rows{Episodes: {ep("01/07/2025", "S", "E1", "A4", "PR1", "", "")}, AD1: {ad1}}},
		{rule: "347", notIn: 2023, hdrPass: "K1,M,01/01/2008,WBRI,UN2,,", hdrFail: "K1,M,01/01/2008,WBRI,UN2,,",
			pass: rows{OC3: {"K1,01/01/2008,YES,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2008,YES,F2,T1"}}},
		{rule: "1000", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, OC3: {"K1,01/01/2010,YES,F2,B1"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E2")}, OC3: {"K1,01/01/2010,YES,F2,B1"}}},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
	}
	for key := range dfeRulesA {
		if !tested[key] {
			t.Errorf("rule %s has no passing and failing return here", key)
		}
	}
	run := func(y Year, code, header string, tables rows) []Problem {
		// Before 2024/25 SEX is 1 or 2.
		if y <= 2024 {
			header = strings.Replace(strings.Replace(header, ",M,", ",1,", 1), ",F,", ",2,", 1)
			for i, u := range tables[UASC] {
				tables[UASC][i] = strings.Replace(u, ",M,", ",1,", 1)
			}
		}
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
		if got := run(y, def.Code, hp, tt.pass); len(got) > 0 {
			t.Errorf("rule %s, %s: passing return gives %v", tt.rule, y, got)
		}
		got := run(y, def.Code, hf, tt.fail)
		if len(got) == 0 {
			t.Errorf("rule %s, %s: failing return raises nothing", tt.rule, y)
		}
		want := def.SeverityIn(y)
		for _, p := range got {
			if p.Severity != want {
				t.Errorf("rule %s, %s: %v; want a %s", tt.rule, y, p, want)
			}
		}
		if tt.notIn != 0 {
			if got := run(tt.notIn, def.Code, hf, tt.fail); len(got) > 0 || def.SeverityIn(tt.notIn) != "" {
				t.Errorf("rule %s is not the DfE's in %s, but the failing return gives %v", tt.rule, tt.notIn, got)
			}
		}
	}
}

// TestOutsideEngland: the postcode areas rule 218 spares (a placement in
// Scotland, Wales or Northern Ireland has no Ofsted URN) and those it does
// not.
func TestOutsideEngland(t *testing.T) {
	for pc, want := range map[string]bool{
		"EH1 1AA": true, "G1 1AA": true, "CF10 1AA": true, "BT1 1AA": true, "SY1 1AA": true, "LL11 2AA": true,
		"M1 1AA": false, "GL1 1AA": false, "SW1A 1AA": false, "B1 1AA": false, "": false, "NOT A CODE": false,
	} {
		if got := outsideEngland(pc); got != want {
			t.Errorf("outsideEngland(%q) = %v; want %v", pc, got, want)
		}
	}
}
