package ssda903

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"time"
)

// SynthOptions shape a synthetic return.
type SynthOptions struct {
	Seed     uint64
	Children int
	Year     Year
	// History keeps each child's whole history of episodes, as a council's
	// merged returns hold it (about 4.4 episodes a child), rather than only the
	// episodes open in the year.
	History bool
	// Full adds every other table (OC3, AD1, PlacedAdoption, PrevPerm) and
	// what Hearth keeps as given: UPN placeholders UN1 to UN5, MOTHER and
	// MC_DOB, placeholder URNs XXXXXXX.
	Full bool
}

// Synthesize builds a valid synthetic return (no real child): Header,
// Episodes, UASC, OC2, Missing and Reviews as CSV, keyed by table. Each child
// has a chain of episodes from coming into care to the end of the year.
func Synthesize(o SynthOptions) map[Table][]byte {
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x51ed270b))
	end := o.Year.End()
	var hdr, eps, uasc, oc2, miss, rev, oc3, ad1, pad, perm, sw, dolo [][]string
	d := func(t time.Time) string { return t.Format(dateLayout) }
	places := []string{"U1", "U3", "U4", "U6", "U6", "U6", "U4", "K2", "K2", "P1", "A4", "R1", "S1"}
	if o.Year >= 2025 {
		places = append(places, "K3")
	} else {
		places = append(places, "H5")
	}
	provFor := map[string][]string{"U1": {"PR1"}, "U3": {"PR1"}, "U4": {"PR1", "PR4"}, "U6": {"PR1", "PR4", "PR5"}, "K2": {"PR1", "PR4", "PR4"},
		"P1": {"PR0"}, "A4": {"PR1", "PR2"}, "R1": {"PR3"}, "S1": {"PR4", "PR5"}, "K3": {"PR4"}, "H5": {"PR4"}}
	reasons := []string{"CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "STAND", "OTHER"}
	ethnic := []string{"WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "MOTH", "APKN", "BAFR", "BCRB", "OOTH"}
	sex := func() string {
		if o.Year >= 2025 {
			return []string{"M", "F"}[r.IntN(2)]
		}
		return []string{"1", "2"}[r.IntN(2)]
	}
	for i := range o.Children {
		child := fmt.Sprintf("%07d", i+1)
		dob := end.AddDate(0, 0, -r.IntN(18*365-60)-30) // under 18 at the end of the year
		start := end.AddDate(0, 0, -r.IntN(5*365)-1)
		if start.Before(dob) {
			start = dob.AddDate(0, 0, r.IntN(20))
		}
		s := sex()
		hdr = append(hdr, []string{child, s, d(dob), ethnic[r.IntN(len(ethnic))], fmt.Sprintf("A%011d%d", r.Int64N(1e11), r.IntN(10)), "", ""})
		ls := []string{"C1", "V2"}[r.IntN(2)]
		// A placement the child is old enough for (rules 370 to 374).
		pick := func(on time.Time) string {
			for {
				p := places[r.IntN(len(places))]
				// P1 is never under a single period of s20 (rule 378).
				if min, _ := MinAge(p, o.Year); ageOn(dob, on) >= min && (p != "P1" || ls != "V2") {
					return p
				}
			}
		}
		place := pick(start)
		provs := provFor[place]
		prov := provs[r.IntN(len(provs))]
		urn := ""
		if (prov == "PR4" || prov == "PR5") && !urnNotRecorded(place, o.Year) { // rule 222
			urn = fmt.Sprintf("SC%06d", 100000+r.IntN(3000))
		}
		home := fmt.Sprintf("M%d %d%c%c", 1+r.IntN(40), r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)))
		// A placement keeps its postcode: an episode that changes only the
		// legal status (RNE L) has the same placement (rule 434).
		post := func() string {
			return fmt.Sprintf("M%d %d%c%c", 1+r.IntN(40), r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)))
		}
		plPost := post()
		rne := "S"
		on := start
		var mine [][]string
		n := 1 + r.IntN(12)
		for k := 0; k < n; k++ {
			next := on.AddDate(0, 0, 20+r.IntN(260))
			last := k == n-1 || !next.Before(end)
			row := []string{child, d(on), rne, ls, "N1", place, prov, "", "", "", home, plPost, urn}
			if place == "P1" || prov == "PR0" {
				row[12] = ""
			}
			if last {
				if r.Float64() < 0.25 && next.Before(end) {
					row[7], row[8] = d(next), []string{"E4A", "E13", "E45", "E4A", "E13"}[r.IntN(5)]
					if place == "A4" { // adopted only from a placement for adoption (rule 390)
						row[8] = "E11"
					}
					row[9] = "CARPL"
				}
				mine = append(mine, row)
				break
			}
			row[7], row[8] = d(next), "X1"
			// The next episode changes the legal status, or the placement.
			if ls == "C1" && r.Float64() < 0.3 {
				ls, rne = "C2", "L"
			} else {
				row[9] = reasons[r.IntN(len(reasons))]
				place = pick(next)
				plPost = post()
				provs = provFor[place]
				prov = provs[r.IntN(len(provs))]
				urn = ""
				if (prov == "PR4" || prov == "PR5") && !urnNotRecorded(place, o.Year) { // rule 222
					urn = fmt.Sprintf("SC%06d", 100000+r.IntN(3000))
				}
				rne = "P"
			}
			mine = append(mine, row)
			on = next
		}
		// A return holds the episodes open at some time in its year.
		var kept [][]string
		for _, e := range mine {
			if dec, err := time.Parse(dateLayout, e[7]); o.History || e[7] == "" || err == nil && !dec.Before(o.Year.Start()) {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			hdr = hdr[:len(hdr)-1]
			continue
		}
		if o.Full {
			h := hdr[len(hdr)-1]
			switch k := r.IntN(20); {
			case k < 5:
				h[4] = fmt.Sprintf("UN%d", 1+k) // UN1 to UN5
				switch {
				case k == 0 && ageOn(dob, o.Year.Start()) >= 5: // UN1 is for under-5s (rule 209)
					h[4] = "UN2"
				case k == 3 && start.Before(end.AddDate(0, 0, -7)): // UN4 is for the newly looked after (rule 210)
					h[4] = "UN3"
				}
			}
			if h[1] == "F" || h[1] == "2" {
				if ageOn(dob, end) >= 15 && r.IntN(4) == 0 {
					h[5], h[6] = "1", d(minTime(end, dob.AddDate(15, r.IntN(6), r.IntN(28))))
				} else {
					h[5] = "0"
				}
			}
			for _, e := range kept {
				if e[12] != "" && r.IntN(8) == 0 {
					e[12] = "XXXXXXX"
				}
			}
			ad1, pad = synthAdoption(o, child, dob, kept, ad1, pad)
			if ageOn(dob, end) >= 17 { // synthetic children are under 18, so the oldest stand in for care leavers
				oc3 = append(oc3, []string{child, d(dob), "YES", []string{"F2", "P4", "G5"}[r.IntN(3)], []string{"B1", "D1", "E1", "Z1"}[r.IntN(4)]})
			}
			// Social worker episodes from 2023/24: the worker at the start of
			// the year (or at birth), sometimes changed once. The whole year
			// is reported even before the child came into care (rule SW12).
			if o.Year >= 2024 {
				first, _ := time.Parse(dateLayout, kept[0][1])
				back := r.IntN(200)
				from := maxTime(dob, o.Year.Start().AddDate(0, 0, -back))
				id := fmt.Sprintf("SW%06d", r.IntN(900000))
				// The draw for a change is made exactly when it was while the
				// first worker started with care (first, never before dob),
				// so every seed's return keeps its other tables as they were.
				gap := 30 + r.IntN(200)
				if change := from.AddDate(0, 0, gap); maxTime(first, o.Year.Start().AddDate(0, 0, -back)).AddDate(0, 0, gap).Before(end) && r.IntN(3) == 0 {
					sw = append(sw, []string{child, d(dob), id, d(from), d(change), []string{"MANAGE", "LEFTRL", "ORGRST"}[r.IntN(3)]})
					from, id = change, fmt.Sprintf("SW%06d", r.IntN(900000))
				}
				sw = append(sw, []string{child, d(dob), id, d(from), "", ""})
			}
			// Deprivation of liberty orders from 2026/27, for a few children in
			// children's homes at the end of the year.
			if last := kept[len(kept)-1]; o.Year >= 2027 && last[5] == "K2" && last[7] == "" && r.IntN(4) == 0 {
				on, _ := time.Parse(dateLayout, last[1])
				dolo = append(dolo, []string{child, d(dob), d(maxTime(maxTime(on, o.Year.Start()), dob.AddDate(0, 0, 1))), ""})
			}
			if r.IntN(5) == 0 {
				perm = append(perm, []string{child, d(dob), []string{"Z1", "P2", "P3"}[r.IntN(3)], "", ""})
				if p := perm[len(perm)-1]; p[2] != "Z1" {
					p[3], p[4] = "999", "ZZ/"+d(dob.AddDate(2, 0, 0))[3:]
				}
			}
		}
		synthEpisodesB(o.Year, hdr[len(hdr)-1], kept)
		eps = append(eps, kept...)
		if r.Float64() < 0.06 {
			uasc = append(uasc, []string{child, s, d(dob), d(dob.AddDate(18, 0, 0))})
		}
		// OC2 is for children looked after for 12 months at 31 March (rules
		// 190, 191), not care leavers (215).
		if end.Sub(start) > 365*24*time.Hour && end.Sub(dob) > 4*365*24*time.Hour && kept[len(kept)-1][7] == "" && !hasChild(oc3, child) {
			sdq, why := fmt.Sprint(r.IntN(41)), ""
			if ageOn(dob, o.Year.Start()) >= 17 { // no SDQ at 17 or over (rule 189)
				sdq = ""
			} else if ageOn(dob, o.Year.Start()) < 4 {
				sdq, why = "", "SDQ1"
			}
			conv, check := "0", ""
			if ageOn(dob, end) < 10 { // conviction from 10 (rule 542)
				conv = ""
			}
			if ageOn(dob, end) < 5 { // the health check under 5 (rules 545, 546)
				check = "1"
			}
			oc2 = append(oc2, []string{child, d(dob), sdq, why, conv, check, "1", "1", "1", "0", "", ""})
		}
		// Missing while looked after: before the care ended (rules 577, 578).
		careEnd := end
		if e := kept[len(kept)-1]; e[7] != "" {
			careEnd, _ = time.Parse(dateLayout, e[7])
		}
		if r.Float64() < 0.08 && careEnd.Sub(o.Year.Start()) > 10*24*time.Hour {
			ms := careEnd.AddDate(0, 0, -5-r.IntN(max(1, min(300, int(careEnd.Sub(o.Year.Start()).Hours()/24)-5))))
			miss = append(miss, []string{child, d(dob), []string{"M", "A"}[r.IntN(2)], d(ms), d(ms.AddDate(0, 0, 1+r.IntN(4)))})
		}
		for rv := start.AddDate(0, 0, 20); rv.Before(end); rv = rv.AddDate(0, 6, 0) {
			if rv.After(o.Year.Start()) {
				code := fmt.Sprintf("PN%d", 1+r.IntN(6))
				if ageOn(dob, rv) < 4 { // PN0 is for a child under 4 (rule 441)
					code = "PN0"
				}
				rev = append(rev, []string{child, d(dob), d(rv), code})
			}
		}
	}
	synthA(o.Year, &eps, &uasc, &oc3, &ad1, &pad) // part A's rules (synth_a.go)
	miss, sw, perm = synthMissing(o.Year, miss, eps), synthSocialWorkers(o.Year, sw), synthPrevPerm(o.Year, perm, eps)
	out := map[Table][]byte{}
	for t, rows := range map[Table][][]string{Header: hdr, Episodes: eps, UASC: uasc, OC2: oc2, Missing: miss, Reviews: rev,
		OC3: oc3, AD1: ad1, PlacedAdoption: pad, PrevPerm: perm, SWEpisodes: sw, DoLo: dolo} {
		if len(rows) == 0 && !used6(t) {
			continue
		}
		var b bytes.Buffer
		_ = WriteTable(&b, t, rows)
		out[t] = b.Bytes()
	}
	return out
}

// SynthFiles turns a synthetic return into Files for Read or Import.
func SynthFiles(tables map[Table][]byte) []File {
	var files []File
	for _, t := range ExportTables {
		if b, ok := tables[t]; ok {
			files = append(files, File{Name: string(t) + ".csv", Body: bytes.NewReader(b)})
		}
	}
	return files
}

// used6 are the tables every synthetic return has, even when empty.
func used6(t Table) bool {
	switch t {
	case Header, Episodes, UASC, OC2, Missing, Reviews:
		return true
	}
	return false
}

func hasChild(rows [][]string, child string) bool {
	for _, r := range rows {
		if r[0] == child {
			return true
		}
	}
	return false
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
