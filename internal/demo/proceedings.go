package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Proceeding is a demo care case.
type Proceeding struct {
	LAID           int32
	CaseNumber     string
	PreProceedings *time.Time
	Issued         time.Time
	Concluded      *time.Time
	FinalOrder     string
	Children       []int // indexes into Region.Children
	Hearings       []DemoHearing
	Experts        []DemoExpert
}

// DemoHearing is a demo hearing.
type DemoHearing struct {
	On            time.Time
	Kind, Outcome string
}

// DemoExpert is a demo expert assessment.
type DemoExpert struct {
	Kind         string
	Commissioned time.Time
	CostPence    int64
}

// proceedingsFor makes care cases for the region's children who came into care
// on an interim care order in the last three and a half years; some brothers and
// sisters share a case. Durations follow the recent national picture
// (domain.md §2: mean about 38–40 weeks, about a third within 26), with further
// case management hearings, adjournments and expert assessments.
func proceedingsFor(r *rand.Rand, reg *Region) []Proceeding {
	type cand struct {
		idx   int
		start time.Time
	}
	by := map[int32][]cand{}
	for i, c := range reg.Children {
		if len(c.Episodes) == 0 || c.Episodes[0].LS != "C1" || c.CareStart.Before(reg.AsOf.AddDate(-3, -6, 0)) {
			continue
		}
		by[c.LAID] = append(by[c.LAID], cand{i, c.CareStart})
	}
	var out []Proceeding
	for _, council := range Councils {
		cs := by[council.LAID]
		sort.Slice(cs, func(i, j int) bool {
			return cs[i].start.Before(cs[j].start) || cs[i].start.Equal(cs[j].start) && cs[i].idx < cs[j].idx
		})
		seq := 0
		for i := 0; i < len(cs); i++ {
			p := Proceeding{LAID: council.LAID, Issued: cs[i].start, Children: []int{cs[i].idx}}
			// A brother or sister who came into care within the month joins the case.
			if i+1 < len(cs) && cs[i+1].start.Sub(cs[i].start) < 31*24*time.Hour && r.Float64() < 0.35 {
				p.Children = append(p.Children, cs[i+1].idx)
				i++
			}
			seq++
			p.CaseNumber = fmt.Sprintf("%s%02dC%05d", strings.ToUpper(council.Slug[:2]), p.Issued.Year()%100, seq)
			if r.Float64() < 0.7 {
				pre := p.Issued.AddDate(0, 0, -7*(4+r.IntN(13)))
				p.PreProceedings = &pre
			}
			var weeks float64
			if r.Float64() < 0.25 {
				weeks = 15 + r.Float64()*11 // within 26 weeks
			} else {
				weeks = 26.5 + r.ExpFloat64()*28
			}
			end := p.Issued.AddDate(0, 0, int(math.Round(weeks*7)))
			if !end.After(reg.AsOf) {
				p.Concluded = &end
				p.FinalOrder = []string{"care", "care", "care", "care", "care", "sgo", "sgo", "supervision", "supervision", "placement", "placement", "child_arrangements", "no_order"}[r.IntN(13)]
			}
			stop := reg.AsOf
			if p.Concluded != nil {
				stop = *p.Concluded
			}
			add := func(on time.Time, kind string) {
				if on.After(stop) || on.Before(p.Issued) {
					return
				}
				outcome := "effective"
				switch x := r.Float64(); {
				case x < 0.14:
					outcome = "adjourned"
				case x < 0.19:
					outcome = "vacated"
				}
				p.Hearings = append(p.Hearings, DemoHearing{On: on, Kind: kind, Outcome: outcome})
			}
			add(p.Issued.AddDate(0, 0, 12), "cmh")
			fcmhs := int(math.Max(0, math.Round((weeks-22)/14+r.NormFloat64()*0.7)))
			for k := 0; k < fcmhs; k++ {
				add(p.Issued.AddDate(0, 0, 30+int(float64(k+1)*weeks*7/float64(fcmhs+3))), "fcmh")
			}
			add(p.Issued.AddDate(0, 0, int(weeks*7*0.72)), "irh")
			if p.Concluded != nil {
				add(*p.Concluded, "final")
				p.Hearings[len(p.Hearings)-1].Outcome = "effective"
			}
			if r.Float64() < 0.6 {
				p.Experts = append(p.Experts, DemoExpert{Kind: "parenting assessment", Commissioned: p.Issued.AddDate(0, 0, 20+r.IntN(30)), CostPence: int64(6000+r.IntN(3000)) * 100})
			}
			if r.Float64() < 0.25 {
				p.Experts = append(p.Experts, DemoExpert{Kind: "psychological assessment", Commissioned: p.Issued.AddDate(0, 0, 25+r.IntN(40)), CostPence: int64(3000+r.IntN(2500)) * 100})
			}
			if r.Float64() < 0.08 {
				p.Experts = append(p.Experts, DemoExpert{Kind: "residential assessment", Commissioned: p.Issued.AddDate(0, 0, 30+r.IntN(40)), CostPence: int64(25000+r.IntN(25000)) * 100})
			}
			var experts []DemoExpert
			for _, e := range p.Experts {
				if !e.Commissioned.After(stop) {
					experts = append(experts, e)
				}
			}
			p.Experts = experts
			out = append(out, p)
		}
	}
	return out
}
