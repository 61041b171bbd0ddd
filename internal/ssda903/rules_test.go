package ssda903

import (
	"strings"
	"testing"
)

// TestRules: for each rule, a row that passes it and a row that breaks it,
// in a year the rule applies; and a rule the DfE deleted is not applied.
func TestRules(t *testing.T) {
	// Episode columns: CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
	tests := []struct {
		rule       string
		year       Year
		dob        string
		pass, fail string
		severity   Severity
	}{
		{"101", 2026, "01/01/2010", "", "", Error}, // SEX, via the header below
		{"103", 2026, "01/01/2010", "", "", Error}, // ETHNIC, likewise
		{"143", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,,,,,,", "K1,01/05/2025,Q,C2,N1,U6,PR1,,,,,,", Error},
		{"144", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,,,,,,", "K1,01/05/2025,S,C9,N1,U6,PR1,,,,,,", Error},
		{"145", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,,,,,,", "K1,01/05/2025,S,C2,N9,U6,PR1,,,,,,", Error},
		{"146", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,Z11,,,,,,,", "K1,01/05/2025,S,C2,N1,Z1,,,,,,,", Error},
		{"149", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,E4A,CARPL,,,", "K1,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,E99,CARPL,,,", Error},
		{"178", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR4,,,,,,", "K1,01/05/2025,S,C2,N1,U6,PR9,,,,,,", Error},
		{"178", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,Z12,,,,,,,", "K1,01/05/2025,S,C2,N1,Z12,PR4,,,,,,", Error},
		{"213", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,T2,,01/05/2025,E8,,,,", "K1,01/05/2025,S,C2,N1,T2,PR1,01/05/2025,E8,,,,", Error},
		{"214", 2026, "01/01/2010", "K1,01/05/2025,S,V3,N1,U6,PR1,,,,,,", "K1,01/05/2025,S,V3,N1,U6,PR1,,,,,M1 1AA,", Error},
		{"222", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,R1,PR3,,,,,,XXXXXXX", "K1,01/05/2025,S,C2,N1,R1,PR3,,,,,,SC123456", Error},
		{"526", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,,,,,,", "K1,01/05/2025,S,C2,N1,U6,,,,,,,", Error},
		{"527", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,P1,PR0,,,,,,", "K1,01/05/2025,S,C2,N1,P1,PR1,,,,,,", Error},
		{"528", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,R2,PR3,,,,,,", "K1,01/05/2025,S,C2,N1,R2,PR2,,,,,,", Error},
		{"529", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,R1,PR3,,,,,,", "K1,01/05/2025,S,C2,N1,K2,PR3,,,,,,", Error},
		{"530", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,K2,PR4,,,,,,", "K1,01/05/2025,S,C2,N1,P1,PR4,,,,,,", Error},
		{"531", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,K2,PR5,,,,,,", "K1,01/05/2025,S,C2,N1,P1,PR5,,,,,,", Error},
		{"550", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,P1,PR0,,,,,,", "K1,01/05/2025,S,C2,N1,U6,PR0,,,,,,", Error},
		{"370", 2024, "01/01/2007", "K1,01/05/2023,S,C2,N1,P2,PR4,,,,,,", "K1,01/05/2022,S,C2,N1,P2,PR4,,,,,,", Query},
		{"371", 2026, "01/01/2009", "K1,01/05/2025,S,C2,N1,K3,PR4,,,,,,", "K1,01/05/2024,S,C2,N1,K3,PR4,,,,,,", Query},
		{"372", 2026, "01/01/2014", "K1,01/05/2025,S,J1,N1,R5,PR3,,,,,,", "K1,01/05/2023,S,J1,N1,R5,PR3,,,,,,", Query},
		{"373", 2026, "01/01/2020", "K1,01/05/2025,S,C2,N1,S1,PR4,,,,,,", "K1,01/05/2023,S,C2,N1,S1,PR4,,,,,,", Query},
		{"374", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,P3,PR4,,,,,,", "K1,01/05/2023,S,C2,N1,P3,PR4,,,,,,", Query},
		{"375", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,T1,,12/06/2025,E8,,,,", "K1,01/05/2025,S,C2,N1,T1,,13/06/2025,E8,,,,", Query},
		{"376", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,T3,,22/05/2025,E8,,,,", "K1,01/05/2025,S,C2,N1,T3,,23/05/2025,E8,,,,", Query},
		{"379", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,T4,PR1,08/05/2025,E8,,,,", "K1,01/05/2025,S,C2,N1,T4,PR1,09/05/2025,E8,,,,", Query},
		{"226", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,T2,,01/05/2025,E8,,,,", "K1,01/05/2025,S,C2,N1,T2,,01/05/2025,E8,CARPL,,,", Error},
		{"233", 2026, "01/01/2010", "K1,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,E4A,CARPL,,,", "K1,01/05/2025,S,C2,N1,U6,PR1,,,CARPL,,,", Error},
		{"hearth-d1", 2024, "01/01/2010", "K1,01/05/2023,S,E1,N1,U6,PR1,,,,,,", "K1,01/05/2023,S,D1,N1,U6,PR1,,,,,,", Query},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
	}
	for key := range Rules {
		_, dfeA := dfeRulesA[key]                                                                               // in TestDfERulesA
		_, dfeB := dfeRulesB[key]                                                                               // in TestDfERulesB
		if _, dfe := dfeRules[key]; !tested[key] && !dfe && !dfeA && !dfeB && !strings.HasPrefix(key, "int-") { // dfeRules are in TestDfERules
			t.Errorf("rule %s has no passing and failing row here", key)
		}
	}
	for _, tt := range tests {
		sex := map[bool]string{true: "M", false: "1"}[tt.year >= 2025]
		code := Rules[tt.rule].Code
		run := func(header, ep string) []Problem {
			files := []File{{Name: "header.csv", Body: strings.NewReader("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" + header + "\n")}}
			if ep != "" {
				files = append(files, File{Name: "episodes.csv", Body: strings.NewReader(strings.Join(Columns[Episodes], ",") + "\n" + ep + "\n")})
			}
			var got []Problem
			for _, p := range Read(tt.year, files).Problems {
				if p.Rule == code && (code != "" || strings.Contains(p.Message, "freeing order")) {
					got = append(got, p)
				}
			}
			return got
		}
		hdr := "K1," + sex + "," + tt.dob + ",WBRI,UN1,,"
		passHdr, failHdr := hdr, hdr
		switch tt.rule {
		case "101":
			failHdr = "K1,X," + tt.dob + ",WBRI,UN1,,"
		case "103":
			failHdr = "K1," + sex + "," + tt.dob + ",WHITE,UN1,,"
		}
		if got := run(passHdr, tt.pass); len(got) > 0 {
			t.Errorf("rule %s, %s: passing row %q gives %v", tt.rule, tt.year, tt.pass, got)
		}
		got := run(failHdr, tt.fail)
		if len(got) != 1 || got[0].Severity != tt.severity {
			t.Errorf("rule %s, %s: failing row %q gives %v; want one %s", tt.rule, tt.year, tt.fail, got, tt.severity)
		}
	}
	// Cross-table: another table's DOB or UASC's sex differs from Header's.
	for _, tt := range []struct{ name, file, body, rule string }{
		{"reviews DOB", "reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\nK1,02/01/2010,01/06/2025,PN1\n", "INT17"},
		{"UASC sex", "uasc.csv", "CHILD,SEX,DOB,DUC\nK1,F,01/01/2010,01/01/2028\n", "INT21"},
	} {
		files := []File{{Name: "header.csv", Body: strings.NewReader("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,M,01/01/2010,WBRI,UN2,,\n")},
			{Name: tt.file, Body: strings.NewReader(tt.body)}}
		ps := Read(2026, files).Problems
		if len(ps) != 1 || !strings.Contains(ps[0].Message, "different") || ps[0].Severity != Error {
			t.Errorf("%s: %v; want one error", tt.name, ps)
		}
	}
	// Deleted from 2024/25: the same rows raise nothing in 2025/26.
	for _, key := range []string{"370", "hearth-d1"} {
		if s := Rules[key].SeverityIn(2026); s != "" {
			t.Errorf("rule %s is %q in 2025/26; want not applied", key, s)
		}
	}
}

// TestSummarise groups problems by rule, structural first, then errors by count.
func TestSummarise(t *testing.T) {
	ps := []Problem{
		{Severity: Warning, Rule: "373", File: "e.csv", Line: 4, Column: "PLACE", Value: "S1", Message: "the child was 2"},
		{Severity: Error, Rule: "530", File: "e.csv", Line: 2, Column: "PLACE_PROVIDER", Value: "PR4", Message: "x"},
		{Severity: Error, Rule: "530", File: "e.csv", Line: 9, Column: "PLACE_PROVIDER", Value: "PR4", Message: "x"},
		{Severity: Error, Structural: true, File: "header.csv", Message: "the file is empty"},
		{Severity: Error, File: "e.csv", Line: 3, Column: "CHILD", Value: "7", Message: "an episode for a child with no Header row (line 3)"},
		{Severity: Error, File: "e.csv", Line: 5, Column: "CHILD", Value: "8", Message: "an episode for a child with no Header row (line 5)"},
	}
	got := Summarise(ps)
	if len(got) != 4 || !got[0].Structural || got[1].Count != 2 || got[2].Count != 2 || got[3].Rule != "373" {
		t.Fatalf("summary %+v", got)
	}
	if got[1].Rule != "530" || got[1].First[1] != `e.csv line 9 PLACE_PROVIDER "PR4"` {
		t.Errorf("530 summary %+v", got[1])
	}
}
