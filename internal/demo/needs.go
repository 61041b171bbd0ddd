package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// Domains are the default instrument's domains in its order (schema/002_needs.sql).
var Domains = []string{"emotional_health", "healthy_attachments", "managing_emotions", "positive_relationships", "family_contact",
	"identity_life_story", "educational_progress", "physical_health", "self_care_independence", "keeping_safe",
	"communication_learning", "community_belonging"}

// Assessment is a demo needs assessment with the default instrument.
type Assessment struct {
	On     time.Time
	Reason string
	Status string // approved, submitted or draft
	Levels [12]int32
}

// Needs model. Each child has a latent severity z ~ N(0,1) and a lasting
// offset per domain; each assessment adds a little noise. The means, loadings
// and drifts are tuned (TestDemoNeedsShape) so that the latest approved
// assessments match domain.md §1: about half the children with no high,
// severe or complex need; about a third high (3+) in emotional health,
// attachments or managing emotions; over 80% needing support (1+) with
// emotional health and with their life story; and emotional health, positive
// relationships, educational progress and self-care rising with time in care.
var (
	domainMean    = [12]float64{1.85, 1.35, 1.35, 1.3, 1.5, 1.45, 1.35, 0.35, 1.1, 1.0, 1.05, 1.1}
	domainLoading = [12]float64{0.55, 0.55, 0.55, 0.4, 0.35, 0.25, 0.4, 0.2, 0.35, 0.45, 0.3, 0.35}
	domainDrift   = [12]float64{0.09, 0, 0, 0.08, 0, 0, 0.08, 0, 0.08, 0, 0, 0} // per year in care
)

// needsHistory makes a child's assessments from coming into care (or from when
// Hearth's records begin, four years before asOf) to asOf.
func needsHistory(r *rand.Rand, ch Child, asOf time.Time) []Assessment {
	return needsHistoryUntil(r, ch, asOf, asOf)
}

// needsHistoryUntil is needsHistory for a child whose care (or period of care,
// from ch.CareStart) ends on until: Hearth's records still begin four years
// before asOf, and no assessment falls after until. It draws exactly what
// needsHistory drew, so today's children are as they were.
func needsHistoryUntil(r *rand.Rand, ch Child, asOf, until time.Time) []Assessment {
	z := r.NormFloat64()
	var offset [12]float64
	for d := range offset {
		offset[d] = r.NormFloat64() * 0.45
	}
	age := func(t time.Time) float64 { return t.Sub(ch.DateOfBirth).Hours() / 24 / 365.25 }
	mean := func(d int, t time.Time) float64 {
		m := domainMean[d] + domainLoading[d]*z + offset[d] + domainDrift[d]*t.Sub(ch.CareStart).Hours()/24/365.25
		a := age(t)
		switch Domains[d] {
		case "keeping_safe":
			if a >= 13 {
				m += 0.7
			} else if a < 8 {
				m -= 0.5
			}
		case "educational_progress", "communication_learning":
			if ch.EHCPlan {
				m += 0.9
			}
		case "physical_health":
			if ch.Disability {
				m += 1.3
			}
		case "self_care_independence":
			if a >= 16 {
				m += 0.4
			}
		case "emotional_health", "identity_life_story":
			if ch.UASC {
				m += 0.4
			}
		}
		return m
	}
	// When the first assessment was, and how regular reviews have been.
	first := ch.CareStart.AddDate(0, 0, 14+r.IntN(28))
	if floor := asOf.AddDate(-4, 0, r.IntN(180)); first.Before(floor) {
		first = floor
	}
	if !first.Before(until) {
		return nil // too new to care to have been assessed
	}
	lapsed := r.Float64() < 0.12 // reviews have slipped: the last is over seven months old
	var out []Assessment
	for on, i := first, 0; !on.After(until); i++ {
		a := Assessment{On: on, Reason: "review", Status: "approved"}
		if i == 0 {
			a.Reason = "new_to_care"
			if ch.CareStart.Before(asOf.AddDate(-4, 0, 0)) {
				a.Reason = "review"
			}
		} else if r.Float64() < 0.15 {
			a.Reason = "placement_change"
		}
		for d := range a.Levels {
			v := math.Round(mean(d, on) + r.NormFloat64()*0.3)
			a.Levels[d] = int32(min(4, max(0, v)))
		}
		out = append(out, a)
		months := 6
		if a.Reason == "placement_change" {
			months = 3
		}
		next := on.AddDate(0, months, r.IntN(21)-10)
		if lapsed && next.After(until.AddDate(0, -7, 0)) {
			break
		}
		on = next
	}
	// Some of the latest are still in progress.
	if last := &out[len(out)-1]; len(out) > 1 && until.Sub(last.On) < 60*24*time.Hour {
		switch x := r.Float64(); {
		case x < 0.10:
			last.Status = "draft"
		case x < 0.18:
			last.Status = "submitted"
		}
	}
	return out
}

// LatestApproved returns a child's latest approved demo assessment, if any.
func (ch Child) LatestApproved() (Assessment, bool) {
	for i := len(ch.Assessments) - 1; i >= 0; i-- {
		if ch.Assessments[i].Status == "approved" {
			return ch.Assessments[i], true
		}
	}
	return Assessment{}, false
}

// evidence is a short plausible note for a domain at a level.
func evidence(d int, level int32) string {
	return levelNote[level] + " " + domainNote[d] + "."
}

var levelNote = [5]string{
	"A strength:", "Some need, met by the carer:", "Needs targeted support:", "Needs specialist support most days:", "Intensive, round-the-clock support:",
}

var domainNote = [12]string{
	"mood, sleep and worries, from carer's log and direct work",
	"trust in carers and adults, seen at visits and in supervision",
	"regulating feelings and behaviour, incidents log reviewed",
	"friendships and trusted adults outside the family",
	"relationships with parents and siblings, contact notes reviewed",
	"understanding of their story and identity, life-story work",
	"attendance and progress, from the virtual school and PEP",
	"health assessment, dental and GP records",
	"everyday self-care and independence skills",
	"risks outside the home: missing episodes, exploitation screening",
	"speech, language and learning needs, SEND support",
	"interests, activities and belonging in the community",
}
