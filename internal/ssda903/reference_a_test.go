package ssda903

import (
	"sort"
	"strings"
	"testing"
)

// refRule is one rule of the reference validator
// (data-to-insight/csc-validator-be-903, lac_validator/rules/lac20YY_YY),
// with the collection years its rulesets apply it: from (2023 is 2022/23,
// the base ruleset) to the last year it is in (0: still in 2026/27).
type refRule struct {
	code     string
	from, to Year
	status   string // "done": Hearth checks it; "look-up": needs more than the return (NotRun); "todo"
}

// referenceRulesA are the reference's rules numbered 100 to 399 and 1000 to
// 1015, as its 2022/23 ruleset and the years after it add and delete them
// (shared/docs/ssda903.md, "Timeline of changes"). Part B (400 to 710, the
// SW and INT rules) is listed by its own test.
var referenceRulesA = func() []refRule {
	var out []refRule
	add := func(status string, from, to Year, codes ...string) {
		for _, c := range codes {
			out = append(out, refRule{c, from, to, status})
		}
	}
	add("done", 2023, 0, "101", "102", "103", "104", "105", "112", "113", "114", "115", "116", "117", "118", "119", "120",
		"131", "132", "133", "134", "141", "142", "143", "144", "145", "146", "147", "148", "149", "151", "153",
		"157", "158", "159", "165", "166", "167", "168", "171", "174", "175", "176", "177", "178", "180", "181", "182",
		"184", "185", "186", "187", "188", "189", "190", "191", "192", "193", "196", "197a", "197B", "198", "199",
		"209", "210", "213", "214", "215", "217", "218", "222", "225", "226",
		"333", "334", "335", "336", "344", "345", "351", "352", "353", "354", "355", "356", "357", "358", "359",
		"361", "362", "363", "364", "365", "366", "367", "371", "372", "373", "374", "375", "376", "377", "378", "379",
		"380", "381", "382", "383", "384", "385", "386", "387", "388", "389", "390", "391", "392B", "393", "399")
	add("done", 2023, 2024, "370")
	add("done", 2024, 2024, "217t", "230")
	add("done", 2024, 0, "347")
	add("done", 2025, 0, "231", "232")
	add("done", 2026, 0, "233", "234", "242")
	add("look-up", 2023, 0, "164", "169", "179", "202", "203", "204", "205A", "205B", "205C", "205D", "207", "208",
		"219", "221", "224", "227", "228", "229", "392A", "392c", "398",
		"1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011", "1012", "1014", "1015")
	add("done", 2023, 0, "1000")
	add("look-up", 2026, 0, "241", "243", "348")
	return out
}()

// TestReferenceCoverageA computes part A's coverage of the reference from
// what Hearth defines, so it is counted, not claimed: a rule marked done
// must be a rule Hearth checks (Rules), one marked look-up must be in NotRun
// with its reason, and one Hearth checks must not be left marked to do.
func TestReferenceCoverageA(t *testing.T) {
	checked := map[string]bool{}
	for _, d := range Rules {
		if d.Code != "" {
			checked[d.Code] = true
		}
	}
	seen := map[string]bool{}
	var done, lookup, todo []string
	for _, r := range referenceRulesA {
		if seen[r.code] {
			t.Errorf("rule %s is listed twice", r.code)
		}
		seen[r.code] = true
		switch {
		case r.status == "done" && !checked[r.code]:
			t.Errorf("rule %s is marked done but Hearth does not check it", r.code)
		case r.status == "look-up" && NotRun[r.code] == "":
			t.Errorf("rule %s is marked as needing a look-up but is not in NotRun", r.code)
		case r.status == "todo" && checked[r.code]:
			t.Errorf("rule %s is marked to do but Hearth checks it", r.code)
		case r.status != "done" && r.status != "look-up" && r.status != "todo":
			t.Errorf("rule %s: status %q", r.code, r.status)
		}
		switch {
		case checked[r.code]:
			done = append(done, r.code)
		case NotRun[r.code] != "":
			lookup = append(lookup, r.code)
		default:
			todo = append(todo, r.code)
		}
	}
	// Rules of part A's range Hearth checks but the reference lacks are
	// Hearth's own; list them so a typo in a code shows.
	var extra []string
	for code := range checked {
		if inRangeA(code) && !seen[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	n := len(referenceRulesA)
	runnable := n - len(lookup)
	t.Logf("part A: %d reference rules; %d checked, %d need a look-up (not run, with the reason), %d to do %v",
		n, len(done), len(lookup), len(todo), todo)
	t.Logf("coverage (checked or justified not run) = %d/%d = %.1f%%; of the %d that run without look-ups, %d checked = %.1f%%",
		len(done)+len(lookup), n, 100*float64(len(done)+len(lookup))/float64(n), runnable, len(done), 100*float64(len(done))/float64(runnable))
	if len(extra) > 0 {
		t.Logf("checked by Hearth, not in the reference's list: %v", extra)
	}
	if float64(len(done)) < 0.9*float64(runnable) {
		t.Errorf("%d of %d runnable reference rules checked; the target is 90%%", len(done), runnable)
	}
	// Every year a rule applies in the reference, Hearth applies it (and
	// not in a year the reference has deleted it), for the years Hearth
	// rules on: 2023/24 to 2026/27.
	for _, r := range referenceRulesA {
		if !checked[r.code] {
			continue
		}
		for y := Year(2024); y <= 2027; y++ {
			inRef := y >= r.from && (r.to == 0 || y <= r.to)
			inHearth := false
			for _, d := range Rules {
				if d.Code == r.code && d.SeverityIn(y) != "" {
					inHearth = true
				}
			}
			if inRef && !inHearth {
				t.Errorf("rule %s is in the reference's %s ruleset but Hearth does not apply it that year", r.code, y)
			}
			if !inRef && inHearth {
				t.Errorf("rule %s is not in the reference's %s ruleset but Hearth applies it", r.code, y)
			}
		}
	}
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
