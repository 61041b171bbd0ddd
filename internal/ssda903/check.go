package ssda903

import (
	"sort"
	"time"
)

// crossCheck checks the tables against each other: every row's child is in
// Header, keys are unique, and a child's episodes neither overlap nor leave one
// open before another starts.
func (r *Return) crossCheck() {
	children := map[string]Where{}
	for _, h := range r.Headers {
		if first, dup := children[h.Child]; dup {
			r.rule("INT32", h.Where, "CHILD", h.Child, "this child is in Header twice (first at %s line %d)", first.File, first.Line)
			continue
		}
		children[h.Child] = h.Where
	}
	dob := make(map[string]time.Time, len(r.Headers))
	for _, h := range r.Headers {
		dob[h.Child] = h.DOB
	}
	r.ageRules(dob)
	r.checkDfE(dob)
	r.sameChild()
	// known checks a row's child is in Header, under the reference's INT
	// rule for the table where it has one.
	known := func(w Where, child string, t Table, what string) {
		if _, ok := children[child]; ok || child == "" {
			return
		}
		if code, ok := intMissing[t]; ok {
			r.rule(code, w, "CHILD", child, "%s for a child with no Header row", what)
			return
		}
		r.problem(Error, w, "CHILD", child, "%s for a child with no Header row", what)
	}
	byChild := map[string][]int{}
	for i, e := range r.Episodes {
		known(e.Where, e.Child, Episodes, "an episode")
		byChild[e.Child] = append(byChild[e.Child], i)
	}
	for _, idx := range byChild {
		sort.SliceStable(idx, func(a, b int) bool { return r.Episodes[idx[a]].DECOM.Before(r.Episodes[idx[b]].DECOM) })
		for k := 1; k < len(idx); k++ {
			prev, cur := r.Episodes[idx[k-1]], r.Episodes[idx[k]]
			if prev.DECOM.IsZero() || cur.DECOM.IsZero() {
				continue
			}
			switch {
			case cur.DECOM.Equal(prev.DECOM):
				r.problem(Error, cur.Where, "DECOM", fmtDate(cur.DECOM), "this child already has an episode starting on this date (line %d)", prev.Line)
			case prev.DEC == nil:
				r.checkUnder("142", func() {
					r.problem(Error, prev.Where, "DEC", "", "the episode is still open, but the child's next episode starts on %s (line %d)", fmtDate(cur.DECOM), cur.Line)
				})
			case prev.DEC.After(cur.DECOM):
				r.checkUnder("501", func() {
					r.problem(Error, cur.Where, "DECOM", fmtDate(cur.DECOM), "overlaps the child's episode of %s to %s (line %d)", fmtDate(prev.DECOM), fmtDate(*prev.DEC), prev.Line)
				})
			case prev.REC == "X1" && !prev.DEC.Equal(cur.DECOM):
				r.problem(Warning, prev.Where, "REC", "X1", "X1 says the next episode starts the same day, but it starts on %s", fmtDate(cur.DECOM))
			case prev.REC != "X1" && prev.REC != "" && prev.DEC.Equal(cur.DECOM):
				r.problem(Warning, prev.Where, "REC", prev.REC, "the child left care (%s) but the next episode starts the same day; use X1 if care continued", prev.REC)
			}
		}
		last := r.Episodes[idx[len(idx)-1]]
		if last.REC == "X1" && last.DEC != nil {
			r.checkUnder("388", func() {
				r.problem(Warning, last.Where, "REC", "X1", "X1 says another episode follows, but this is the child's last episode in the return")
			})
		}
	}
	for _, k := range r.Kept {
		switch k.Table {
		case OC3, AD1, PlacedAdoption, PrevPerm, SWEpisodes, DoLo:
			known(k.Where, k.Child, k.Table, "a "+string(k.Table)+" row")
		}
	}
	seenUASC, seenOC2 := map[string]bool{}, map[string]bool{}
	for _, u := range r.UASC {
		known(u.Where, u.Child, UASC, "a UASC row")
		if seenUASC[u.Child] {
			r.rule("INT36", u.Where, "CHILD", u.Child, "this child is in UASC twice")
		}
		seenUASC[u.Child] = true
	}
	for _, o := range r.OC2 {
		known(o.Where, o.Child, OC2, "an OC2 row")
		if seenOC2[o.Child] {
			r.rule("INT33", o.Where, "CHILD", o.Child, "this child is in OC2 twice")
		}
		seenOC2[o.Child] = true
	}
	type mkey struct {
		child, kind string
		start       time.Time
	}
	seenMissing := map[mkey]int{}
	for _, m := range r.Missing {
		known(m.Where, m.Child, Missing, "a missing episode")
		k := mkey{m.Child, m.Kind, m.Start}
		if line, dup := seenMissing[k]; dup && !m.Start.IsZero() {
			r.problem(Error, m.Where, "MIS_START", fmtDate(m.Start), "the same missing episode is on line %d", line)
		}
		seenMissing[k] = m.Line
	}
	type rkey struct {
		child string
		on    time.Time
	}
	seenReview := map[rkey]int{}
	for _, v := range r.Reviews {
		known(v.Where, v.Child, Reviews, "a review")
		k := rkey{v.Child, v.On}
		if line, dup := seenReview[k]; dup && !v.On.IsZero() {
			r.problem(Error, v.Where, "REVIEW", fmtDate(v.On), "the child already has a review on this date (line %d)", line)
		}
		seenReview[k] = v.Line
	}
}

func fmtDate(t time.Time) string { return t.Format(dateLayout) }

// sameChild checks that every table gives a child the DOB (and, in UASC, the
// sex) Header gives it: a mismatch usually means the wrong CHILD identifier.
func (r *Return) sameChild() {
	type hdr struct{ dob, sex string }
	hs := make(map[string]hdr, len(r.Headers))
	for _, h := range r.Headers {
		if !h.DOB.IsZero() {
			hs[h.Child] = hdr{fmtDate(h.DOB), h.Sex}
		}
	}
	for _, g := range r.given {
		h, ok := hs[g.child]
		if !ok || g.dob == "" {
			continue
		}
		if g.dob != h.dob {
			if code, coded := intDOB[g.table]; coded {
				r.rule(code, g.Where, "DOB", g.dob, "%s gives this child a different date of birth from Header (%s)", g.table, h.dob)
			} else { // SWEpisodes and DoLo: the reference has no INT rule
				r.problem(Error, g.Where, "DOB", g.dob, "%s gives this child a different date of birth from Header (%s)", g.table, h.dob)
			}
		}
		if g.table == UASC && g.sex != "" && h.sex != "" && normSex(g.sex) != h.sex {
			r.rule("INT21", g.Where, "SEX", g.sex, "UASC gives this child a different sex from Header (%s)", h.sex)
		}
	}
}

func normSex(s string) string {
	switch s {
	case "1":
		return "M"
	case "2":
		return "F"
	}
	return s
}
