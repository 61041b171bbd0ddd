package ssda903

import (
	"fmt"
	"hash/fnv"
	"time"
)

// synthA brings a synthetic return into line with part A's rules
// (dferules_a.go) after it is built, without drawing more random numbers,
// so the rest of the return is what it was:
//   - every placement registered with Ofsted has a URN (218), the same for
//     every episode of the placement (434), and XXXXXXX only on adoption and
//     fostering placements from 2025/26 (242);
//   - the decision to place for adoption is not before the child's latest
//     period of care began (334), with the match and PlacedAdoption kept in
//     step (521, 523);
//   - a care leaver (OC3) is neither adopted (134) nor looked after for the
//     12 months to 31 March (187);
//   - an unaccompanied asylum-seeking child is 11 or over (231).
func synthA(y Year, eps, uasc, oc3, ad1, pad *[][]string) {
	type place struct{ child, place, post string }
	known := map[place]string{}
	for _, e := range *eps {
		if u := e[12]; u != "" && u != "XXXXXXX" {
			known[place{e[0], e[5], e[11]}] = u
		}
	}
	urnFor := func(e []string) string {
		k := place{e[0], e[5], e[11]}
		if u, ok := known[k]; ok {
			return u
		}
		h := fnv.New32a()
		h.Write([]byte(k.child + "|" + k.place + "|" + k.post))
		u := fmt.Sprintf("SC%06d", 100000+h.Sum32()%3000)
		known[k] = u
		return u
	}
	latestS := map[string]time.Time{}
	// yearLong: the child's care open at 31 March began 12 months or more
	// before it (rule 187), found back along episodes that follow on.
	yearLong := map[string]bool{}
	chainStart := map[string]string{}
	var prev []string
	for _, e := range *eps {
		if e[12] == "XXXXXXX" && y >= 2026 && !isAdoptOrFoster(e[5]) {
			e[12] = urnFor(e)
		}
		if e[12] == "" && e[3] != "V3" && e[3] != "V4" && !urnExempt(e[5], y) && !outsideEngland(e[11]) {
			e[12] = urnFor(e)
		}
		if decom, err := time.Parse(dateLayout, e[1]); err == nil && e[2] == "S" && decom.After(latestS[e[0]]) {
			latestS[e[0]] = decom
		}
		// The child's episodes are in order: the last says whether care is open.
		if prev == nil || prev[0] != e[0] || prev[7] != e[1] || prev[8] != "X1" {
			chainStart[e[0]] = e[1]
		}
		s, _ := time.Parse(dateLayout, chainStart[e[0]])
		yearLong[e[0]] = e[7] == "" && !s.After(y.End().AddDate(-1, 0, 0))
		prev = e
	}
	d := func(t time.Time) string { return t.Format(dateLayout) }
	adopted := map[string]bool{}
	for _, a := range *ad1 {
		adopted[a[0]] = true
		di, err1 := time.Parse(dateLayout, a[2])
		s, ok := latestS[a[0]]
		if err1 != nil || !ok || !di.Before(s) {
			continue
		}
		a[2] = d(s)
		if dm, err := time.Parse(dateLayout, a[3]); err == nil && dm.Before(s) {
			a[3] = d(s)
		}
		for _, p := range *pad {
			if p[0] == a[0] {
				p[2] = a[2]
			}
		}
	}
	keep := (*oc3)[:0]
	for _, o := range *oc3 {
		if !adopted[o[0]] && !yearLong[o[0]] {
			keep = append(keep, o)
		}
	}
	*oc3 = keep
	end := y.End()
	keepU := (*uasc)[:0]
	for _, u := range *uasc {
		if dob, err := time.Parse(dateLayout, u[2]); err != nil || ageOn(dob, end) >= 11 {
			keepU = append(keepU, u)
		}
	}
	*uasc = keepU
}
