package ssda903

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// RuleRow is one rule as the rule table shows it: what it is in each year
// and how often it was broken in a return.
type RuleRow struct {
	Code, Table, Summary string
	In                   []Severity // per year asked for; "" = not applied
	Count                int
}

// RuleTable lists every DfE rule Hearth checks, in code order, with its
// severity in each year and, when problems are given, how many of them are
// under the rule.
func RuleTable(years []Year, problems []Problem) []RuleRow {
	counts := map[string]int{}
	for _, p := range problems {
		counts[p.Rule]++
	}
	var out []RuleRow
	for _, d := range Rules {
		if d.Code == "" {
			continue
		}
		row := RuleRow{Code: d.Code, Table: string(d.Table), Summary: d.Summary, Count: counts[d.Code]}
		if row.Table == "" {
			row.Table = "(all)"
		}
		for _, y := range years {
			row.In = append(row.In, d.SeverityIn(y))
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return codeLess(out[i].Code, out[j].Code) })
	return out
}

// codeLess orders rule codes by their number, then as text.
func codeLess(a, b string) bool {
	na, ea := strconv.Atoi(strings.TrimLeft(a, "INT"))
	nb, eb := strconv.Atoi(strings.TrimLeft(b, "INT"))
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}

// WriteRuleTable writes the table as Markdown: one row a rule, then totals
// per table and year (errors, queries).
func WriteRuleTable(w io.Writer, years []Year, rows []RuleRow, counted bool) error {
	var b strings.Builder
	b.WriteString("| rule | table |")
	for _, y := range years {
		fmt.Fprintf(&b, " %s |", y)
	}
	if counted {
		b.WriteString(" count |")
	}
	b.WriteString(" what it checks |\n|---|---|")
	for range years {
		b.WriteString("---|")
	}
	if counted {
		b.WriteString("---:|")
	}
	b.WriteString("---|\n")
	sev := func(s Severity) string {
		switch s {
		case Error:
			return "error"
		case Query:
			return "query"
		}
		return "—"
	}
	type key struct {
		table string
		y     int
	}
	errs, queries := map[key]int{}, map[key]int{}
	var tables []string
	seen := map[string]bool{}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |", r.Code, r.Table)
		for i, s := range r.In {
			b.WriteString(" " + sev(s) + " |")
			switch s {
			case Error:
				errs[key{r.Table, i}]++
			case Query:
				queries[key{r.Table, i}]++
			}
		}
		if counted {
			fmt.Fprintf(&b, " %d |", r.Count)
		}
		fmt.Fprintf(&b, " %s |\n", strings.ReplaceAll(r.Summary, "|", "/"))
		if !seen[r.Table] {
			seen[r.Table] = true
			tables = append(tables, r.Table)
		}
	}
	sort.Strings(tables)
	b.WriteString("\n| table |")
	for _, y := range years {
		fmt.Fprintf(&b, " %s errors | %s queries |", y, y)
	}
	b.WriteString("\n|---|")
	for range years {
		b.WriteString("---:|---:|")
	}
	b.WriteString("\n")
	totalE, totalQ := make([]int, len(years)), make([]int, len(years))
	for _, t := range tables {
		fmt.Fprintf(&b, "| %s |", t)
		for i := range years {
			fmt.Fprintf(&b, " %d | %d |", errs[key{t, i}], queries[key{t, i}])
			totalE[i] += errs[key{t, i}]
			totalQ[i] += queries[key{t, i}]
		}
		b.WriteString("\n")
	}
	b.WriteString("| all |")
	for i := range years {
		fmt.Fprintf(&b, " %d | %d |", totalE[i], totalQ[i])
	}
	b.WriteString("\n")
	if len(NotRun) > 0 {
		codes := make([]string, 0, len(NotRun))
		for c := range NotRun {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool { return codeLess(codes[i], codes[j]) })
		b.WriteString("\nNot run (each needs something the return does not hold):\n")
		for _, c := range codes {
			fmt.Fprintf(&b, "- %s: %s\n", c, NotRun[c])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
