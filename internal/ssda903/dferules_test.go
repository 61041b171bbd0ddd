package ssda903

import (
	"strings"
	"testing"
)

// ep is an Episodes row for child K1 (CIN N1, no postcodes or URN).
func ep(decom, rne, ls, place, prov, dec, rec string) string {
	return strings.Join([]string{"K1", decom, rne, ls, "N1", place, prov, dec, rec, "", "", "", ""}, ",")
}

// TestDfERules: for each rule of dferules.go, a return that passes it and
// one that breaks it (by as little as possible), in a year the rule applies;
// the failing one raises the rule with its severity for the year.
func TestDfERules(t *testing.T) {
	const hdr = "K1,M,01/01/2010,WBRI,UN1,,"
	type rows map[Table][]string
	u6 := ep("01/05/2025", "S", "C2", "U6", "PR1", "01/07/2025", "X1")
	t1 := ep("01/07/2025", "P", "C2", "T1", "", "05/07/2025", "X1")
	tests := []struct {
		rule             string
		year             Year
		hdrPass, hdrFail string
		pass, fail       rows
	}{
		{rule: "102", hdrFail: "K1,M,32/01/2010,WBRI,UN1,,"},
		{rule: "165", hdrFail: "K1,M,01/01/2010,WBRI,UN1,2,"},
		{rule: "168", hdrPass: "K1,M,01/01/2010,WBRI,A12345678901B,,", hdrFail: "K1,M,01/01/2010,WBRI,XYZ,,"},
		{rule: "612", hdrPass: "K1,F,01/01/2008,WBRI,UN1,1,01/01/2025", hdrFail: "K1,F,01/01/2008,WBRI,UN1,0,01/01/2025"},
		{rule: "611", hdrPass: "K1,F,01/01/2008,WBRI,UN1,1,01/01/2025", hdrFail: "K1,F,01/01/2008,WBRI,UN1,1,"},
		{rule: "197a", pass: rows{OC2: {"K1,01/01/2010,10,,0,,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,10,SDQ4,0,,1,1,1,0,,"}}},
		{rule: "388", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1")}}},
		{rule: "633", pass: rows{PrevPerm: {"K1,01/01/2010,P2,352,ZZ/05/2015"}}, fail: rows{PrevPerm: {"K1,01/01/2010,P2,MAN,ZZ/05/2015"}}},
		{rule: "335", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L11"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,1,2,MF,L11"}}},
		{rule: "399", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "05/05/2025", "E13")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "05/05/2025", "E13")}, Reviews: {"K1,01/01/2010,03/05/2025,PN1"}}},
		{rule: "104", pass: rows{UASC: {"K1,M,01/01/2010,01/01/2028"}}, fail: rows{UASC: {"K1,M,01/01/2010,2028-01-01"}}},
		{rule: "112", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}}, fail: rows{AD1: {"K1,01/01/2010,31/02/2025,01/06/2025,0,2,MF,L0"}}},
		{rule: "113", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,2025-06-01,0,2,MF,L0"}}},
		{rule: "114", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,1,2,MF,L0"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,2,2,MF,L0"}}},
		{rule: "175", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,1,F1,L0"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,3,F1,L0"}}},
		{rule: "176", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,FF,L0"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,XY,L0"}}},
		{rule: "177", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L12"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L9"}}},
		{rule: "115", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,,"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,2025-05-01,,"}}},
		{rule: "116", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,RD1"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,2025-06-01,RD1"}}},
		{rule: "120", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,RD4"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,RD9"}}},
		{rule: "184", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2010,,"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2009,,"}}},
		{rule: "522", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,RD1"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,01/07/2025,01/06/2025,RD1"}}},
		{rule: "523", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}, PlacedAdoption: {"K1,01/01/2010,01/05/2025,,"}},
			fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}, PlacedAdoption: {"K1,01/01/2010,02/05/2025,,"}}},
		{rule: "525", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}, PlacedAdoption: {"K1,01/01/2010,01/05/2025,,"}},
			fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}, PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/07/2025,RD1"}}},
		{rule: "131", pass: rows{OC3: {"K1,01/01/2010,NREQ,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2010,MAYBE,F2,B1"}}},
		{rule: "132", pass: rows{OC3: {"K1,01/01/2010,YES,G6,B1"}}, fail: rows{OC3: {"K1,01/01/2010,YES,Q9,B1"}}},
		{rule: "133", pass: rows{OC3: {"K1,01/01/2010,YES,F2,Z2"}}, fail: rows{OC3: {"K1,01/01/2010,YES,F2,A1"}}},
		{rule: "391", hdrPass: "K1,M,01/01/2008,WBRI,UN1,,", hdrFail: hdr, pass: rows{OC3: {"K1,01/01/2008,YES,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}}},
		{rule: "166", pass: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN1"}}, fail: rows{Reviews: {"K1,01/01/2010,,PN1"}}},
		{rule: "167", pass: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN7"}}, fail: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN9"}}},
		{rule: "441", hdrPass: "K1,M,01/01/2023,WBRI,UN1,,", hdrFail: "K1,M,01/01/2023,WBRI,UN1,,",
			pass: rows{Reviews: {"K1,01/01/2023,01/06/2025,PN0"}}, fail: rows{Reviews: {"K1,01/01/2023,01/06/2025,PN1"}}},
		{rule: "181", pass: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,10,,2,1,1,1,1,0,,"}}},
		{rule: "196", pass: rows{OC2: {"K1,01/01/2010,,SDQ4,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,,SDQ9,0,1,1,1,1,0,,"}}},
		{rule: "158", pass: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,1,"}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,1,1"}}},
		{rule: "159", pass: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,0,1"}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,0,"}}},
		{rule: "189", hdrPass: "K1,M,01/01/2008,WBRI,UN1,,", hdrFail: "K1,M,01/01/2008,WBRI,UN1,,",
			pass: rows{OC2: {"K1,01/01/2008,,,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2008,10,,0,1,1,1,1,0,,"}}},
		{rule: "567", pass: rows{Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}}, fail: rows{Missing: {"K1,01/01/2010,M,01/06/2025,30/05/2025"}}},
		{rule: "571", pass: rows{Missing: {"K1,01/01/2010,M,28/03/2025,03/04/2025"}}, fail: rows{Missing: {"K1,01/01/2010,M,01/03/2025,03/03/2025"}}},
		{rule: "574", pass: rows{Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025", "K1,01/01/2010,A,10/06/2025,12/06/2025"}},
			fail: rows{Missing: {"K1,01/01/2010,M,01/06/2025,", "K1,01/01/2010,A,10/06/2025,12/06/2025"}}},
		{rule: "577", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, Missing: {"K1,01/01/2010,M,01/06/2025,"}}},
		{rule: "578", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, Missing: {"K1,01/01/2010,M,01/06/2025,03/06/2025"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, Missing: {"K1,01/01/2010,M,10/09/2025,12/09/2025"}}},
		{rule: "232", hdrPass: hdr, hdrFail: "K1,U,01/01/2010,WBRI,UN2,,"},
		{rule: "209", hdrPass: "K1,M,01/01/2022,WBRI,UN1,,", hdrFail: "K1,M,01/01/2018,WBRI,UN1,,"},
		{rule: "210", hdrPass: "K1,M,01/01/2010,WBRI,UN4,,", hdrFail: "K1,M,01/01/2010,WBRI,UN4,,",
			pass: rows{Episodes: {ep("28/03/2026", "S", "C2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/03/2026", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "565", pass: rows{Missing: {"K1,01/01/2010,A,01/06/2025,03/06/2025"}}, fail: rows{Missing: {"K1,01/01/2010,,01/06/2025,03/06/2025"}}},
		{rule: "631", pass: rows{PrevPerm: {"K1,01/01/2010,P2,999,ZZ/05/2015"}}, fail: rows{PrevPerm: {"K1,01/01/2010,P7,999,ZZ/05/2015"}}},
		{rule: "632", pass: rows{PrevPerm: {"K1,01/01/2010,P2,999,ZZ/05/2015"}}, fail: rows{PrevPerm: {"K1,01/01/2010,P2,999,05/2015"}}},
		{rule: "635", pass: rows{PrevPerm: {"K1,01/01/2010,Z1,,"}}, fail: rows{PrevPerm: {"K1,01/01/2010,Z1,999,"}}},
		{rule: "151", pass: rows{AD1: {"K1,01/01/2010,,,,,,"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,,,,,"}}},
		{rule: "511", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L11"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,F1,L3"}}},
		{rule: "514", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,1,F1,L0"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L0"}}},
		{rule: "518", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,FF,L4"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L4"}}},
		{rule: "519", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MM,L2"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,M1,L2"}}},
		{rule: "520", pass: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L11"}}, fail: rows{AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,FF,L11"}}},
		{rule: "521", pass: rows{Episodes: {ep("01/07/2025", "S", "E1", "A4", "PR1", "", "")}, AD1: {"K1,01/01/2010,01/05/2025,01/06/2025,0,2,MF,L11"}},
			fail: rows{Episodes: {ep("01/07/2025", "S", "E1", "A4", "PR1", "", "")}, AD1: {"K1,01/01/2010,01/08/2025,01/06/2025,0,2,MF,L11"}}},
		{rule: "117", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, PlacedAdoption: {"K1,01/01/2010,01/06/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/09/2025", "E4A")}, PlacedAdoption: {"K1,01/01/2010,01/10/2025,,"}}},
		{rule: "119", pass: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,RD1"}}, fail: rows{PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/06/2025,"}}},
		{rule: "153", pass: rows{OC3: {"K1,01/01/2010,DIED,,"}}, fail: rows{OC3: {"K1,01/01/2010,YES,F2,"}}},
		{rule: "215", pass: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}, OC2: {"K1,01/01/2010,,,,,,,,,,"}},
			fail: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}, OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}}},
		{rule: "157", hdrPass: "K1,M,01/01/2023,WBRI,UN1,,", hdrFail: hdr,
			pass: rows{OC2: {"K1,01/01/2023,,SDQ1,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,,SDQ1,0,1,1,1,1,0,,"}}},
		{rule: "186", pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,,SDQ2,0,1,1,1,1,0,,"}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,,,0,1,1,1,1,0,,"}}},
		{rule: "188", hdrPass: "K1,M,01/01/2023,WBRI,UN1,,", hdrFail: "K1,M,01/01/2023,WBRI,UN1,,",
			pass: rows{OC2: {"K1,01/01/2023,,SDQ1,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2023,12,,0,1,1,1,1,0,,"}}},
		{rule: "190", pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}}},
		{rule: "191", pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2010,10,,0,,,1,1,0,,"}}},
		{rule: "192", pass: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,0,1"}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,1,,"}}},
		{rule: "193", pass: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,0,1"}}},
		{rule: "440", pass: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN1"}}, fail: rows{Reviews: {"K1,01/01/2010,01/06/2025,PN0"}}},
		{rule: "442", hdrPass: hdr, hdrFail: "K1,M,01/01/2010,WBRI,,,"},
		{rule: "344", pass: rows{OC3: {"K1,01/01/2010,DIED,,"}}, fail: rows{OC3: {"K1,01/01/2010,RHOM,F2,B1"}}},
		{rule: "345", pass: rows{OC3: {"K1,01/01/2010,YES,F2,B1"}}, fail: rows{OC3: {"K1,01/01/2010,YES,0,0"}}},
		{rule: "542", hdrPass: "K1,M,01/01/2017,WBRI,UN2,,", hdrFail: "K1,M,01/01/2017,WBRI,UN2,,",
			pass: rows{OC2: {"K1,01/01/2017,10,,,,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2017,10,,0,,1,1,1,0,,"}}},
		{rule: "545", hdrPass: "K1,M,01/01/2022,WBRI,UN1,,", hdrFail: "K1,M,01/01/2022,WBRI,UN1,,",
			pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2022,,SDQ1,,1,1,1,1,0,,"}},
			fail: rows{Episodes: {ep("01/05/2023", "S", "C2", "U6", "PR1", "", "")}, OC2: {"K1,01/01/2022,,SDQ1,,,1,1,1,0,,"}}},
		{rule: "546", pass: rows{OC2: {"K1,01/01/2010,10,,0,,1,1,1,0,,"}}, fail: rows{OC2: {"K1,01/01/2010,10,,0,1,1,1,1,0,,"}}},
		{rule: "504", pass: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "L", "C2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), strings.Replace(ep("01/06/2025", "L", "C2", "U6", "PR1", "", ""), ",N1,", ",N2,", 1)}}},
		{rule: "557", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "01/09/2025", "E4A")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,01/08/2025,RD1"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "01/09/2025", "E4A")}, PlacedAdoption: {"K1,01/01/2010,01/04/2025,,"}}},
		{rule: "558", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, PlacedAdoption: {"K1,01/01/2010,01/05/2025,,"}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}, PlacedAdoption: {"K1,01/01/2010,01/05/2025,01/08/2025,RD1"}}},
		{rule: "709", year: 2027, pass: rows{Episodes: {ep("01/05/2026", "S", "C2", "K2", "PR1", "", "")}, DoLo: {"K1,01/01/2010,01/06/2026,"}},
			fail: rows{Episodes: {ep("01/05/2026", "S", "C2", "U6", "PR1", "", "")}, DoLo: {"K1,01/01/2010,01/06/2026,"}}},
		{rule: "142", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "", ""), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}}},
		{rule: "501", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "05/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}}},
		{rule: "217t", year: 2024, hdrPass: "K1,1,01/01/2007,WBRI,UN2,,", hdrFail: "K1,1,01/01/2007,WBRI,UN2,,",
			pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "P2", "PR4", "", "")}}, fail: rows{Episodes: {ep("01/11/2023", "S", "C2", "P2", "PR4", "", "")}}},
		{rule: "230", year: 2024, hdrPass: "K1,1,01/01/2007,WBRI,UN2,,", hdrFail: "K1,1,01/01/2007,WBRI,UN2,,",
			pass: rows{Episodes: {ep("01/05/2023", "S", "C2", "H5", "PR4", "", "")}}, fail: rows{Episodes: {ep("01/11/2023", "S", "C2", "H5", "PR4", "", "")}}},
		{rule: "460", hdrPass: "K1,M,01/01/2007,WBRI,UN2,,", hdrFail: hdr, pass: rows{Episodes: {ep("01/05/2025", "S", "V2", "U6", "PR1", "01/06/2025", "E17")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "V2", "U6", "PR1", "01/06/2025", "E17")}}},
		// Episodes, one at a time.
		{rule: "141", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {ep("2025-05-01", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "147", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "2025-06-01", "E4A")}}},
		{rule: "148", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "")}}},
		{rule: "356", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/04/2025", "E4A")}}},
		{rule: "217", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A3", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "P", "E1", "A3", "PR1", "", "")}}},
		{rule: "357", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "P", "C2", "U6", "PR1", "", "")}}},
		{rule: "366", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "03/05/2025", "E13")}}, fail: rows{Episodes: {ep("01/05/2025", "P", "V3", "U6", "PR1", "03/05/2025", "E13")}}},
		{rule: "378", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "P1", "PR0", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "V2", "P1", "PR0", "", "")}}},
		{rule: "380", pass: rows{Episodes: {u6, t1}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "T1", "", "03/05/2025", "X1")}}},
		{rule: "381", pass: rows{Episodes: {u6, t1, ep("05/07/2025", "P", "C2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {u6, ep("01/07/2025", "P", "C2", "T1", "", "05/07/2025", "E4A")}}},
		{rule: "382", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "03/05/2025", "E13")}}, fail: rows{Episodes: {ep("01/05/2025", "P", "V3", "T1", "", "03/05/2025", "X1")}}},
		{rule: "383", pass: rows{Episodes: {u6, t1, ep("05/07/2025", "P", "C2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {u6, t1, ep("05/07/2025", "P", "C2", "K2", "PR4", "", "")}}},
		{rule: "384", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "03/05/2025", "E13")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "V3", "U4", "PR1", "03/05/2025", "E13")}}},
		{rule: "390", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/09/2025", "E11")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "U6", "PR1", "01/09/2025", "E11")}}},
		{rule: "408", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A6", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "A6", "PR1", "", "")}}},
		{rule: "355", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "02/05/2025", "X1"), ep("02/05/2025", "P", "C2", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/05/2025", "X1"), ep("02/05/2025", "P", "C2", "K2", "PR4", "", "")}}},
		// Ages.
		{rule: "358", hdrPass: hdr, hdrFail: "K1,M,01/01/2017,WBRI,UN1,,", pass: rows{Episodes: {ep("01/05/2025", "S", "J1", "K2", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "J1", "K2", "PR1", "", "")}}},
		{rule: "359", hdrPass: "K1,M,01/01/2007,WBRI,UN1,,", hdrFail: "K1,M,01/01/2007,WBRI,UN1,,",
			pass: rows{Episodes: {ep("01/05/2025", "S", "V2", "U6", "PR1", "", "")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "386", hdrPass: hdr, hdrFail: "K1,M,01/01/2007,WBRI,UN1,,", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/06/2025", "E11")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "A4", "PR1", "01/06/2025", "E11")}}},
		{rule: "387", hdrPass: hdr, hdrFail: "K1,M,01/01/2013,WBRI,UN1,,", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E5")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E5")}}},
		{rule: "389", hdrPass: "K1,M,01/01/2009,WBRI,UN1,,", hdrFail: hdr, pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E7")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E7")}}},
		// Legal statuses with a maximum length.
		{rule: "361", pass: rows{Episodes: {ep("01/05/2025", "S", "L1", "U6", "PR1", "04/05/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "L1", "U6", "PR1", "05/05/2025", "E4A")}}},
		{rule: "362", pass: rows{Episodes: {ep("01/05/2025", "S", "L2", "U6", "PR1", "22/05/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "L2", "U6", "PR1", "10/05/2025", "X1"), ep("10/05/2025", "P", "L2", "K2", "PR4", "23/05/2025", "E4A")}}},
		{rule: "363", pass: rows{Episodes: {ep("01/05/2025", "S", "L3", "U6", "PR1", "08/05/2025", "E4A")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "L3", "U6", "PR1", "09/05/2025", "E4A")}}},
		{rule: "364", pass: rows{Episodes: {ep("01/05/2025", "S", "J2", "U6", "PR1", "22/05/2025", "E14")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "J2", "U6", "PR1", "", "")}}},
		{rule: "365", pass: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "18/05/2025", "E13")}}, fail: rows{Episodes: {ep("01/05/2025", "S", "V3", "U6", "PR1", "19/05/2025", "E13")}}},
		{rule: "367", pass: rows{Episodes: respite(4)}, fail: rows{Episodes: respite(5)}},
		{rule: "377", pass: rows{Episodes: carerHoliday(2)}, fail: rows{Episodes: carerHoliday(3)}},
		// Sequences.
		{rule: "336", pass: rows{Episodes: {ep("01/05/2025", "S", "E1", "U4", "PR1", "01/07/2025", "X1"), ep("01/07/2025", "T", "E1", "A5", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "E1", "R1", "PR3", "01/07/2025", "X1"), ep("01/07/2025", "T", "E1", "A5", "PR1", "", "")}}},
		{rule: "431", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A"), ep("02/06/2025", "S", "C2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A"), ep("01/06/2025", "S", "C2", "U6", "PR1", "", "")}}},
		{rule: "432", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A"), ep("10/06/2025", "S", "C2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A"), ep("10/06/2025", "P", "C2", "U6", "PR1", "", "")}}},
		{rule: "433", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "X1"), ep("10/06/2025", "P", "C2", "K2", "PR4", "", "")}}},
		{rule: "434", pass: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "L", "C2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "L", "C1", "U6", "PR1", "", "")}}},
		{rule: "435", pass: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C1", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "P", "C2", "K2", "PR4", "", "")}}},
		{rule: "436", pass: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "B", "C2", "K2", "PR4", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C1", "U6", "PR1", "01/06/2025", "X1"), ep("01/06/2025", "B", "C1", "K2", "PR4", "", "")}}},
		{rule: "437", pass: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E4A"), ep("10/06/2025", "S", "C2", "U6", "PR1", "", "")}},
			fail: rows{Episodes: {ep("01/05/2025", "S", "C2", "U6", "PR1", "01/06/2025", "E2"), ep("10/06/2025", "S", "C2", "U6", "PR1", "", "")}}},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
	}
	for key := range dfeRules {
		if !tested[key] && key != "105" { // 105 is of the XML layout: TestXMLUASCFlag
			t.Errorf("rule %s has no passing and failing return here", key)
		}
	}
	for _, tt := range tests {
		y := tt.year
		if y == 0 {
			y = 2026
		}
		def := Rules[tt.rule]
		run := func(header string, tables rows) []Problem {
			files := []File{{Name: "header.csv", Body: strings.NewReader(strings.Join(Columns[Header], ",") + "\n" + header + "\n")}}
			for tbl, rs := range tables {
				files = append(files, File{Name: string(tbl) + ".csv", Body: strings.NewReader(strings.Join(Columns[tbl], ",") + "\n" + strings.Join(rs, "\n") + "\n")})
			}
			var got []Problem
			for _, p := range Read(y, files).Problems {
				if p.Rule == def.Code {
					got = append(got, p)
				}
			}
			return got
		}
		hp, hf := tt.hdrPass, tt.hdrFail
		if hp == "" {
			hp = hdr
		}
		if hf == "" {
			hf = hdr
		}
		if got := run(hp, tt.pass); len(got) > 0 {
			t.Errorf("rule %s, %s: passing return gives %v", tt.rule, y, got)
		}
		got := run(hf, tt.fail)
		if len(got) == 0 {
			t.Errorf("rule %s, %s: failing return raises nothing", tt.rule, y)
		}
		want := def.SeverityIn(y)
		if tt.rule == "168" { // Hearth's check: the UPN is left out, the return imports
			want = Warning
		}
		for _, p := range got {
			if p.Severity != want {
				t.Errorf("rule %s, %s: %v; want a %s", tt.rule, y, p, want)
			}
		}
	}
}

// respite is n short breaks (V3) of 16 days, a month apart: 64 days for 4,
// 80 for 5 (rule 367 allows 75 in a year).
func respite(n int) []string {
	var out []string
	for i := range n {
		m := []string{"05", "06", "07", "08", "09", "10"}[i]
		out = append(out, ep("01/"+m+"/2025", "S", "V3", "U6", "PR1", "17/"+m+"/2025", "E13"))
	}
	return out
}

// carerHoliday is a foster placement interrupted n times by a T3 week.
func carerHoliday(n int) []string {
	out := []string{ep("01/04/2025", "S", "C2", "U6", "PR1", "01/05/2025", "X1")}
	for i := range n {
		m := []string{"05", "06", "07", "08"}[i]
		next := []string{"06", "07", "08", "09"}[i]
		out = append(out, ep("01/"+m+"/2025", "P", "C2", "T3", "", "08/"+m+"/2025", "X1"),
			ep("08/"+m+"/2025", "P", "C2", "U6", "PR1", "01/"+next+"/2025", "X1"))
	}
	last := out[len(out)-1]
	out[len(out)-1] = strings.Replace(last, ",X1,", ",E4A,", 1)
	return out
}

// TestRuleTable: the table counts every problem of the sample return that
// has a rule under that rule, and shows a rule the DfE deleted as not applied.
func TestRuleTable(t *testing.T) {
	r := Read(2018, sampleFiles(t))
	want := map[string]int{}
	for _, p := range r.Problems {
		if p.Rule != "" {
			want[p.Rule]++
		}
	}
	years := []Year{2024, 2026}
	rows := RuleTable(years, r.Problems)
	got := map[string]int{}
	for _, row := range rows {
		got[row.Code] = row.Count
		if row.Code == "370" && (row.In[0] != Query || row.In[1] != "") {
			t.Errorf("370 is %v in 2023/24 and 2025/26; want query, not applied", row.In)
		}
	}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("rule %s: table counts %d, the return has %d", code, got[code], n)
		}
	}
	if len(want) < 20 {
		t.Errorf("only %d rules broken in the sample return", len(want))
	}
	var b strings.Builder
	if err := WriteRuleTable(&b, years, rows, true); err != nil || !strings.Contains(b.String(), "| 361 | Episodes | query | query |") {
		t.Errorf("table: %v\n%s", err, b.String())
	}
}

// TestSocialWorkerAndDoLo: SWEpisodes are read from 2023/24 and DoLo from
// 2026/27, each row checked and kept for the export; in a year without the
// table the file is read as not used and nothing of it is kept.
func TestSocialWorkerAndDoLo(t *testing.T) {
	read := func(y Year, tbl Table, row string) *Return {
		sex := map[bool]string{true: "M", false: "1"}[y >= 2025]
		return Read(y, []File{
			{Name: "header.csv", Body: strings.NewReader("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1," + sex + ",01/01/2010,WBRI,UN2,,\n")},
			{Name: "t.csv", Body: strings.NewReader(strings.Join(Columns[tbl], ",") + "\n" + row + "\n")},
		})
	}
	kept := func(r *Return, tbl Table) int {
		n := 0
		for _, k := range r.Kept {
			if k.Table == tbl {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		name string
		year Year
		tbl  Table
		row  string
		used bool
		want string // a problem's column, or "" for none
	}{
		{"social worker", 2026, SWEpisodes, "K1,01/01/2010,SW123,01/05/2025,,MANAGE", true, ""},
		{"social worker changed", 2025, SWEpisodes, "K1,01/01/2010,SW123,01/05/2024,31/03/2025,LEFTRL", true, ""},
		{"not a social worker id", 2026, SWEpisodes, "K1,01/01/2010,AB123,01/05/2025,,MANAGE", true, "SW_ID"},
		// The DfE's errors SW03 and SW01b and query SW15.
		{"ended without a reason", 2025, SWEpisodes, "K1,01/01/2010,SW123,01/05/2024,31/03/2025,", true, "SW_REASON,SW_REASON,SW_REASON"},
		{"not a reason", 2025, SWEpisodes, "K1,01/01/2010,SW123,01/05/2024,31/03/2025,BORED", true, "SW_REASON"},
		// Hearth's error, and SW11 (ended before 31 March, no later episode).
		{"ends before it starts", 2025, SWEpisodes, "K1,01/01/2010,XX1,01/05/2024,01/04/2024,MANAGE", true, "SW_DEC,SW_DEC"},
		{"no SW table in 2022/23", 2023, SWEpisodes, "K1,01/01/2010,AB123,01/05/2022,,", false, ""},
		{"order", 2027, DoLo, "K1,01/01/2010,01/05/2026,", true, ""},
		{"order ends before it starts", 2027, DoLo, "K1,01/01/2010,01/05/2026,01/04/2026", true, "DOLO_END"},
		{"no DoLo in 2025/26", 2026, DoLo, "K1,01/01/2010,01/05/2025,01/04/2025", false, ""},
	} {
		r := read(tt.year, tt.tbl, tt.row)
		var cols []string
		for _, p := range r.Problems {
			cols = append(cols, p.Column)
		}
		got := strings.Join(cols, ",")
		if got != tt.want {
			t.Errorf("%s: problems in %q; want %q (%v)", tt.name, got, tt.want, r.Problems)
		}
		if r.Files[1].Used != tt.used || (kept(r, tt.tbl) == 1) != tt.used {
			t.Errorf("%s: used %v, %d kept; want used %v", tt.name, r.Files[1].Used, kept(r, tt.tbl), tt.used)
		}
	}
}

// TestXMLUASCFlag: rule 105, the XML's UASC flag is 1, 0 or blank.
func TestXMLUASCFlag(t *testing.T) {
	for flag, want := range map[string]int{"1": 0, "0": 0, "": 0, "Y": 1} {
		xml := `<EXPSSDA903><CHILD><HEADER><CHILDID>K1</CHILDID><SEX>M</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN><UASC>` +
			flag + `</UASC><DUC>01/01/2030</DUC></HEADER></CHILD></EXPSSDA903>`
		got := 0
		for _, p := range Read(2026, []File{{Name: "r.xml", Body: strings.NewReader(xml)}}).Problems {
			if p.Rule == "105" {
				got++
			}
		}
		if got != want {
			t.Errorf("UASC %q: %d problems under 105; want %d", flag, got, want)
		}
	}
}
