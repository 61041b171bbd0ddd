package demo

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"
)

// TestTodaysChildrenUnchanged pins today's region (users, children in care,
// providers, proceedings) to what the generator made before it made leavers:
// the leavers draw from their own stream, so every existing count and every
// test built on today's children stays as it was.
func TestTodaysChildrenUnchanged(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 7, Children: 3000, AsOf: asOf})
	b, err := json.Marshal([]any{reg.AsOf, reg.Users, reg.Children, reg.Providers, reg.Proceedings})
	if err != nil {
		t.Fatal(err)
	}
	// Computed at commit 1c8da40, before the demo had former children in care.
	const before = "75a09fcd00ccf6dd83ca54c19ed1ce8b120ec9852cc64ee5114ebbd186a3f0b3"
	if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != before {
		t.Errorf("today's region changed: hash %s; want %s", got, before)
	}
	if len(reg.Former) == 0 {
		t.Error("no former children in care")
	}
}

// period is a period of care, worked out here from a child's episodes (it
// ends at an episode that ceased with anything but X1), independently of
// the generator's own spells.
type period struct {
	la         int32
	birth      time.Time
	start, end time.Time // end is zero while in care
	rec        string
}

func periodsOf(chs ...[]Child) []period {
	var out []period
	for _, cs := range chs {
		for _, c := range cs {
			open := false
			for _, e := range c.Episodes {
				if !open {
					out = append(out, period{la: c.LAID, birth: c.DateOfBirth, start: e.Start})
					open = true
				}
				if e.End != nil && e.REC != "X1" {
					out[len(out)-1].end, out[len(out)-1].rec = *e.End, e.REC
					open = false
				}
			}
		}
	}
	return out
}

// TestDemoFlows checks the history a council's returns would show: in each
// of the last five years about as many leave care as enter, the count in
// care is about level, stays and ages at leaving are realistic, and some
// children come back into care.
func TestDemoFlows(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 1, Children: 20000, AsOf: asOf})
	ps := periodsOf(reg.Children, reg.Former)
	for _, c := range Councils {
		today := 0
		for _, ch := range reg.Children {
			if ch.LAID == c.LAID {
				today++
			}
		}
		var entered, left int
		for y := 5; y >= 1; y-- {
			from, to := asOf.AddDate(-y, 0, 0), asOf.AddDate(-y+1, 0, 0)
			var stock, in, out int
			for _, p := range ps {
				if p.la != c.LAID {
					continue
				}
				if !p.start.After(from) && (p.end.IsZero() || p.end.After(from)) {
					stock++
				}
				if !p.start.Before(from) && p.start.Before(to) {
					in++
				}
				if !p.end.IsZero() && !p.end.Before(from) && p.end.Before(to) {
					out++
				}
			}
			entered, left = entered+in, left+out
			// England: about 39% of the count in care leave in a year and as many start.
			if r := float64(out) / float64(stock); r < 0.3 || r > 0.55 {
				t.Errorf("%s, year from %s: %d left of %d in care (%.2f); want 0.30–0.55", c.Name, from.Format(time.DateOnly), out, stock, r)
			}
			if r := float64(stock) / float64(today); r < 0.9 || r > 1.1 {
				t.Errorf("%s on %s: %d in care, %d today (%.2f); want within 10%%", c.Name, from.Format(time.DateOnly), stock, today, r)
			}
		}
		if r := float64(left) / float64(entered); r < 0.95 || r > 1.1 {
			t.Errorf("%s, last five years: %d entered, %d left (%.2f); want about as many", c.Name, entered, left, r)
		}
	}

	var stays []float64
	var leavers, at18, adopted, adoptedUnder5, home, reentries int
	starts := map[string]int{}
	for _, ch := range reg.Former {
		for _, e := range ch.Episodes {
			if e.RNE == "S" {
				starts[ch.Ref+string(rune(ch.LAID))]++
			}
		}
	}
	for _, n := range starts {
		if n > 1 {
			reentries++
		}
	}
	for _, p := range ps {
		if p.end.IsZero() {
			continue
		}
		leavers++
		stays = append(stays, p.end.Sub(p.start).Hours()/24/365.25)
		age := yearsBetween(p.birth, p.end)
		switch p.rec {
		case "E11", "E12":
			adopted++
			if age < 5 {
				adoptedUnder5++
			}
		case "E4A", "E4B", "E13", "E41":
			home++
		}
		if age == 18 {
			at18++
			if !p.end.Equal(p.birth.AddDate(18, 0, 0)) {
				t.Errorf("a child left at 18 on %s, not their birthday %s", p.end.Format(time.DateOnly), p.birth.AddDate(18, 0, 0).Format(time.DateOnly))
			}
		}
		if age > 18 {
			t.Errorf("a child left care aged %d", age)
		}
	}
	sort.Float64s(stays)
	n := float64(leavers)
	share := func(name string, got int, of, lo, hi float64) {
		if r := float64(got) / of; r < lo || r > hi {
			t.Errorf("%s = %.3f; want %.2f–%.2f", name, r, lo, hi)
		}
	}
	// DfE, children ceasing to be looked after: about a quarter to a third at
	// 18, about one in ten adopted (DfE adoptions: about four in five under
	// five, most of the rest 5–9), a third home.
	share("left at 18", at18, n, 0.25, 0.40)
	share("adopted", adopted, n, 0.08, 0.15)
	share("adopted under 5", adoptedUnder5, float64(adopted), 0.75, 0.9)
	share("went home", home, n, 0.25, 0.40)
	share("came back into care", reentries, float64(len(reg.Former)), 0.01, 0.08)
	if med := stays[len(stays)/2]; med < 1.3 || med > 2 {
		t.Errorf("median stay of those who left = %.2f years; want 1.3–2", med)
	}
}

// TestFormerChildren checks each former child's record is one a council's
// return could hold: every period ends with a reason care ceased before the
// as-of date and within the history, costs only while placed, assessments
// only while in care, all approved, and a unique reference.
func TestFormerChildren(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 3, Children: 4000, AsOf: asOf})
	refs := map[string]bool{}
	for _, c := range reg.Children {
		refs[fmt.Sprint(c.LAID, c.Ref)] = true
	}
	histFrom := asOf.AddDate(-HistoryYears, 0, 0)
	for _, c := range reg.Former {
		key := fmt.Sprint(c.LAID, c.Ref)
		if refs[key] {
			t.Fatalf("child %s: reference used twice", key)
		}
		refs[key] = true
		last := c.Episodes[len(c.Episodes)-1]
		if last.End == nil || last.REC == "" || last.REC == "X1" || last.End.After(asOf) || last.End.Before(histFrom) {
			t.Fatalf("child %s: last episode %+v; want one that ceased in the history", key, last)
		}
		if !c.Episodes[0].Start.Equal(c.CareStart) || c.Episodes[0].RNE != "S" || c.CareStart.Before(c.DateOfBirth) {
			t.Fatalf("child %s: care starts %s, first episode %+v", key, c.CareStart, c.Episodes[0])
		}
		if !c.AllocatedFrom.Before(*last.End) {
			t.Fatalf("child %s: allocated from %s, after care ended %s", key, c.AllocatedFrom, last.End)
		}
		inCare := func(d time.Time) bool {
			for _, p := range periodsOf([]Child{c}) {
				if !d.Before(p.start) && d.Before(p.end) {
					return true
				}
			}
			return false
		}
		for i, e := range c.Episodes {
			if e.End == nil || !e.End.After(e.Start) {
				t.Fatalf("child %s: episode %d from %s ends %v", key, i, e.Start, e.End)
			}
			if i > 0 && e.RNE != "S" && !c.Episodes[i-1].End.Equal(e.Start) {
				t.Fatalf("child %s: episode %d does not follow on", key, i)
			}
			if e.REC == "E11" || e.REC == "E12" {
				if e.Place != "A4" && e.Place != "U6" && e.Place != "U4" && e.Place != "U3" {
					t.Errorf("child %s adopted from placement %s", key, e.Place)
				}
			}
			for _, k := range e.Costs {
				if k.To == nil || k.To.Before(k.From) || !inCare(k.From) || !inCare(*k.To) {
					t.Fatalf("child %s: cost %s to %v outside care", key, k.From, k.To)
				}
			}
		}
		for _, a := range c.Assessments {
			if !inCare(a.On) || a.Status != "approved" {
				t.Fatalf("child %s: assessment on %s (%s) outside care or not approved", key, a.On, a.Status)
			}
		}
	}
}
