package report

import (
	"fmt"
	"time"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// Referral is what a provider needs to consider a match: the child's current
// needs and strengths with their evidence, the trajectory and placement history.
// It leaves out surname, identifiers, addresses and case notes.
type Referral struct {
	Child      db.ChildGetRow
	AsOf       time.Time
	Profile    needs.Profile
	Current    *needs.Assessment
	Instrument needs.Instrument
	Placements placements.History
}

// ReferralPDF writes a child's needs profile for a placement referral.
func ReferralPDF(r Referral) ([]byte, error) {
	c := r.Child
	d := newDoc("Needs profile for a placement referral", r.AsOf)
	d.AddPage()
	d.SetFont("Go", "B", 20)
	d.MultiCell(textW, 9, "Needs profile: "+c.GivenName, "", "L", false)
	d.SetFont("Go", "", 10)
	age := int(r.AsOf.Sub(c.DateOfBirth).Hours() / 24 / 365.25)
	sex := map[string]string{"M": "boy", "F": "girl", "U": "child"}[c.Sex]
	d.para(fmt.Sprintf("%s is a %d-year-old %s placed by %s. This profile is for matching with a placement. It holds no surname, identifiers, addresses or case notes.", c.GivenName, age, sex, c.CouncilName))
	if r.Current == nil {
		d.para("There is no approved needs assessment yet.")
	} else {
		a := r.Current
		d.para(fmt.Sprintf("Assessed on %s with %s. Need score %d of %d, band %s.", a.AssessedOn.Format("2 January 2006"), r.Instrument.Name, a.Score,
			int(r.Instrument.Max)*len(r.Instrument.Domains), a.Band))
		labels := map[int32]string{}
		for _, l := range r.Instrument.Levels {
			labels[l.Level] = l.Label
		}
		names := map[string]string{}
		for _, dm := range r.Instrument.Domains {
			names[dm.DomainCode] = dm.Name
		}
		var strengths, rows [][]string
		for _, rt := range a.Ratings {
			if rt.Level == nil {
				continue
			}
			row := []string{names[rt.DomainCode], fmt.Sprintf("%d %s", *rt.Level, labels[*rt.Level]), rt.Evidence}
			if *rt.Level == r.Instrument.Min {
				strengths = append(strengths, row)
			}
			rows = append(rows, row)
		}
		d.sub("Needs by domain")
		d.wrapTable([]float64{0.27, 0.19, 0.54}, []string{"Domain", "Level", "Evidence"}, rows)
		d.sub("Strengths")
		if len(strengths) == 0 {
			d.para("No domain is rated a strength in this assessment.")
		}
		for _, s := range strengths {
			d.para(s[0] + ": " + s[2])
		}
		score, _ := needs.Trajectory(r.Instrument, r.Profile.Approved(r.Instrument.ID), r.AsOf)
		d.drawChart(score, 70)
	}
	d.sub("Placement history")
	var rows [][]string
	for i := len(r.Placements.Placements) - 1; i >= 0; i-- {
		p := r.Placements.Placements[i]
		end := "now"
		if p.EndedOn != nil {
			end = p.EndedOn.Format("Jan 2006")
		}
		reason := ""
		if p.ReasonEnded != "" {
			reason = placements.Reasons()[p.ReasonEnded]
		}
		rows = append(rows, []string{p.StartedOn.Format("Jan 2006") + " – " + end, ssda903.PlaceLabels[p.Place], reason})
	}
	if len(rows) == 0 {
		d.para("No placements recorded.")
	} else {
		d.table([]float64{0.25, 0.4, 0.35}, []string{"When", "Placement", "Why it ended"}, rows)
	}
	return d.bytes()
}
