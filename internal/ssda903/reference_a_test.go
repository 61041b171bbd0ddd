package ssda903

import (
	"strings"
	"testing"
)

// referenceRulesA are the reference's rules numbered 100 to 399 and 1000 to
// 1015, as its 2022/23 ruleset and the years after it add and delete them
// (shared/docs/ssda903.md, "Timeline of changes"). Part B (400 to 710, the
// SW and INT rules) is listed by its own test.
var referenceRulesA = func() []refRule {
	var out []refRule
	add := func(status refStatus, from, to Year, codes ...string) {
		for _, c := range codes {
			out = append(out, refRule{c, from, to, status})
		}
	}
	add(implemented, 2023, 0, "101", "102", "103", "104", "105", "112", "113", "114", "115", "116", "117", "118", "119", "120",
		"131", "132", "133", "134", "141", "142", "143", "144", "145", "146", "147", "148", "149", "151", "153",
		"157", "158", "159", "165", "166", "167", "168", "171", "174", "175", "176", "177", "178", "180", "181", "182",
		"184", "185", "186", "187", "188", "189", "190", "191", "192", "193", "196", "197a", "197B", "198", "199",
		"209", "210", "213", "214", "215", "217", "218", "222", "225", "226",
		"333", "334", "335", "336", "344", "345", "351", "352", "353", "354", "355", "356", "357", "358", "359",
		"361", "362", "363", "364", "365", "366", "367", "371", "372", "373", "374", "375", "376", "377", "378", "379",
		"380", "381", "382", "383", "384", "385", "386", "387", "388", "389", "390", "391", "392B", "393", "399")
	add(implemented, 2023, 2024, "370")
	add(implemented, 2024, 2024, "217t", "230")
	add(implemented, 2024, 0, "347")
	add(implemented, 2025, 0, "231", "232")
	add(implemented, 2026, 0, "233", "234", "242")
	add(notRun, 2023, 0, "164", "169", "179", "202", "203", "204", "205A", "205B", "205C", "205D", "207", "208",
		"219", "221", "224", "227", "228", "229", "392A", "392c", "398",
		"1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011", "1012", "1014", "1015")
	add(implemented, 2023, 0, "1000")
	add(notRun, 2026, 0, "241", "243", "348")
	return out
}()

// TestReferenceCoverageA counts part A's coverage of the reference from
// what Hearth defines (referenceCoverage), so it is counted, not claimed.
func TestReferenceCoverageA(t *testing.T) {
	referenceCoverage(t, "part A", referenceRulesA, inRangeA)
}

func inRangeA(code string) bool {
	n := 0
	i := 0
	for i < len(code) && code[i] >= '0' && code[i] <= '9' {
		n = n*10 + int(code[i]-'0')
		i++
	}
	return i > 0 && !strings.HasPrefix(code, "0") && (n >= 100 && n <= 399 || n >= 1000 && n <= 1015)
}
