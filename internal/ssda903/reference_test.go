package ssda903

import (
	"sort"
	"strings"
	"testing"
)

// refRule is one rule of the reference validator (data-to-insight/
// csc-validator-be-903, rulesets lac2022_23 to lac2026_27): the collection
// years its rulesets apply it (from, 2023 being 2022/23, the base ruleset,
// to until, the last year it is in; 0 = still applied in 2026/27), and what
// Hearth does with it.
type refRule struct {
	code        string
	from, until Year
	status      refStatus
}

type refStatus int

const (
	implemented refStatus = iota // a rule of Rules carries the code
	notRun                       // listed in NotRun with the reason (it needs a look-up, or its text cannot be made sense of)
	toDo                         // not checked yet
)

// notRunWhy is NotRun's reason for code (NotRun lists 503A to 503J as one).
func notRunWhy(code string) (string, bool) {
	if why, ok := NotRun[code]; ok {
		return why, true
	}
	if strings.HasPrefix(code, "503") {
		why, ok := NotRun["503A-J"]
		return why, ok
	}
	return "", false
}

// referenceCoverage checks a list of the reference's rules against what
// Hearth defines, so coverage is counted, not claimed: a code claimed
// implemented must be a rule Hearth checks, applied in exactly the years
// 2023/24 to 2026/27 the reference applies it; one claimed not run must be
// in NotRun with its reason and not checked; one still to do must be in
// neither (so the list cannot understate either). It logs (implemented +
// not run) / reference rules and implemented / rules that need no outside
// look-up, which must reach 90%. inRange, when given, names the codes of
// the list's part, so a rule Hearth checks that the list lacks (a typo in a
// code) is shown.
func referenceCoverage(t *testing.T, part string, list []refRule, inRange func(string) bool) {
	t.Helper()
	checked := map[string][]RuleDef{}
	for _, d := range Rules {
		if d.Code != "" {
			checked[d.Code] = append(checked[d.Code], d)
		}
	}
	seen := map[string]bool{}
	n := map[refStatus]int{}
	var todo []string
	for _, ref := range list {
		if seen[ref.code] {
			t.Errorf("%s is listed twice", ref.code)
		}
		seen[ref.code] = true
		n[ref.status]++
		defs, isChecked := checked[ref.code]
		why, skipped := notRunWhy(ref.code)
		switch ref.status {
		case implemented:
			if !isChecked {
				t.Errorf("%s is claimed implemented but no rule carries the code", ref.code)
				continue
			}
			for y := Year(2024); y <= 2027; y++ {
				applies := y >= ref.from && (ref.until == 0 || y <= ref.until)
				hearth := false
				for _, d := range defs {
					hearth = hearth || d.SeverityIn(y) != ""
				}
				if hearth != applies {
					t.Errorf("%s in %s: Hearth applies it %v, the reference %v", ref.code, y, hearth, applies)
				}
			}
		case notRun:
			if !skipped || why == "" {
				t.Errorf("%s is claimed not run but NotRun gives no reason", ref.code)
			}
			if isChecked {
				t.Errorf("%s is claimed not run but a rule carries the code", ref.code)
			}
		case toDo:
			if isChecked || skipped {
				t.Errorf("%s is listed as to do but is checked or in NotRun: update the list", ref.code)
			}
			todo = append(todo, ref.code)
		default:
			t.Errorf("%s: status %d", ref.code, ref.status)
		}
	}
	var extra []string
	if inRange != nil {
		for code := range checked {
			if inRange(code) && !seen[code] {
				extra = append(extra, code)
			}
		}
	}
	sort.Strings(extra)
	sort.Strings(todo)
	total := len(list)
	runnable := total - n[notRun]
	t.Logf("%s: %d reference rules: %d implemented, %d not run (with the reason), %d to do (%s)",
		part, total, n[implemented], n[notRun], len(todo), strings.Join(todo, " "))
	t.Logf("coverage (implemented + justified not run) / reference = %d/%d = %.1f%%", n[implemented]+n[notRun], total, 100*float64(n[implemented]+n[notRun])/float64(total))
	t.Logf("rules that run without look-ups: implemented %d/%d = %.1f%%", n[implemented], runnable, 100*float64(n[implemented])/float64(runnable))
	if len(extra) > 0 {
		t.Logf("checked by Hearth, not in the reference's list: %v", extra)
	}
	if float64(n[implemented]) < 0.9*float64(runnable) {
		t.Errorf("%s: implemented %d of %d runnable reference rules: under the 90%% target", part, n[implemented], runnable)
	}
}
