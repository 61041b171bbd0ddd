package ssda903

import (
	"time"
)

// Helpers that keep the synthetic return clean under the rules of
// dferules_b.go; each is called from one line of Synthesize.

// synthAdoption records, for a child placed for adoption (A4), the decision
// that they should be: three months before the first placement for adoption
// the return holds and after the birth (rules 184, 521, 551, 552). A child
// adopted in the year also gets AD1, with the same decision date (523, 602).
func synthAdoption(o SynthOptions, child string, dob time.Time, kept, ad1, pad [][]string) ([][]string, [][]string) {
	var first, adopted []string
	for _, e := range kept {
		if e[5] == "A4" && first == nil {
			first = e
		}
		if dec, err := time.Parse(dateLayout, e[7]); err == nil && e[8] == "E11" && !dec.Before(o.Year.Start()) && !dec.After(o.Year.End()) {
			adopted = e
		}
	}
	if first == nil {
		return ad1, pad
	}
	d := func(t time.Time) string { return t.Format(dateLayout) }
	placed, _ := time.Parse(dateLayout, first[1])
	decided := maxTime(dob, placed.AddDate(0, -3, 0))
	pad = append(pad, []string{child, d(dob), d(decided), "", ""})
	if adopted != nil && len(ad1) < o.Children/20 {
		on, _ := time.Parse(dateLayout, adopted[1])
		ad1 = append(ad1, []string{child, d(dob), d(decided), d(maxTime(decided, on.AddDate(0, 0, -14))), "0", "2", "MF", "L11"})
	}
	return ad1, pad
}

// synthEpisodesB: special guardianship to former foster carers (E45) only
// from a foster placement (rule 516); a girl who left care in the year says
// whether she is a mother (607), and her child was born while she was in
// care (625).
func synthEpisodesB(y Year, h []string, kept [][]string) {
	for _, e := range kept {
		if (e[8] == "E45" || e[8] == "E46") && !isFoster(e[5]) {
			e[8] = "E4A"
		}
	}
	last := kept[len(kept)-1]
	dec, err := time.Parse(dateLayout, last[7])
	if err != nil || last[8] == "" || last[8] == "X1" {
		return
	}
	if h[1] == "F" || h[1] == "2" {
		if h[5] == "" && !dec.Before(y.Start()) {
			h[5] = "0"
		}
		if mc, err := time.Parse(dateLayout, h[6]); err == nil && mc.After(dec) {
			h[5], h[6] = "0", ""
		}
	}
}

// synthMissing moves a missing period that starts before the child's first
// episode to that day, and drops it if it would then outlast the care
// or the year (rules 571, 577, 578, 581).
func synthMissing(y Year, miss, eps [][]string) [][]string {
	first, careEnd := map[string]time.Time{}, map[string]time.Time{}
	open := map[string]bool{}
	for _, e := range eps {
		decom, _ := time.Parse(dateLayout, e[1])
		if f, ok := first[e[0]]; !ok || decom.Before(f) {
			first[e[0]] = decom
		}
		if e[7] == "" {
			open[e[0]] = true
		} else if dec, err := time.Parse(dateLayout, e[7]); err == nil && dec.After(careEnd[e[0]]) {
			careEnd[e[0]] = dec
		}
	}
	out := miss[:0]
	for _, m := range miss {
		start, _ := time.Parse(dateLayout, m[3])
		end, _ := time.Parse(dateLayout, m[4])
		if f := first[m[0]]; start.Before(f) {
			start, end = f, f.Add(end.Sub(start))
			if end.After(y.End()) || !open[m[0]] && !end.Before(careEnd[m[0]]) {
				continue
			}
			m[3], m[4] = start.Format(dateLayout), end.Format(dateLayout)
		}
		out = append(out, m)
	}
	return out
}

// synthSocialWorkers gives every social worker episode a reason (rules
// SW03, SW15) and leaves out one that ended before the year began (SW07).
func synthSocialWorkers(y Year, sw [][]string) [][]string {
	out := sw[:0]
	for i, w := range sw {
		if dec, err := time.Parse(dateLayout, w[4]); err == nil && dec.Before(y.Start()) {
			continue
		}
		if w[5] == "" {
			w[5] = []string{"MANAGE", "LEFTRL", "ORGRST", "OTHERS"}[i%4]
		}
		out = append(out, w)
	}
	return out
}

// synthPrevPerm keeps previous permanence only for children whose latest
// episode starts in the year: it is recorded when care starts (rule 634).
func synthPrevPerm(y Year, perm, eps [][]string) [][]string {
	latest := map[string]time.Time{}
	for _, e := range eps {
		if decom, err := time.Parse(dateLayout, e[1]); err == nil && decom.After(latest[e[0]]) {
			latest[e[0]] = decom
		}
	}
	out := perm[:0]
	for _, p := range perm {
		if !latest[p[0]].Before(y.Start()) {
			out = append(out, p)
		}
	}
	return out
}
