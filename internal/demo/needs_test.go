package demo

import (
	"testing"
	"time"
)

// TestDemoNeedsShape checks the demo needs histories against domain.md §1,
// counting from the generated children's latest approved assessments.
func TestDemoNeedsShape(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 1, Children: 20000, AsOf: asOf})
	var withLatest, noHigh, highEmotional, emo1, story1, never, inProgress int
	var newSum, oldSum [12]float64
	var newN, oldN int
	for _, c := range reg.Children {
		for i, a := range c.Assessments {
			if a.On.After(asOf) || a.On.Before(c.CareStart) || a.On.Before(c.DateOfBirth) {
				t.Fatalf("child %s: assessment on %s outside care (%s) or before birth", c.Ref, a.On.Format(time.DateOnly), c.CareStart.Format(time.DateOnly))
			}
			if i > 0 && !a.On.After(c.Assessments[i-1].On) {
				t.Fatalf("child %s: assessments out of order", c.Ref)
			}
			if a.Status != "approved" && i != len(c.Assessments)-1 {
				t.Fatalf("child %s: an unfinished assessment before the latest", c.Ref)
			}
		}
		if n := len(c.Assessments); n > 0 && c.Assessments[n-1].Status != "approved" {
			inProgress++
		}
		a, ok := c.LatestApproved()
		if !ok {
			never++
			continue
		}
		withLatest++
		high := false
		for _, l := range a.Levels {
			high = high || l >= 3
		}
		if !high {
			noHigh++
		}
		if a.Levels[0] >= 3 || a.Levels[1] >= 3 || a.Levels[2] >= 3 {
			highEmotional++
		}
		if a.Levels[0] >= 1 {
			emo1++
		}
		if a.Levels[5] >= 1 {
			story1++
		}
		years := a.On.Sub(c.CareStart).Hours() / 24 / 365.25
		switch {
		case years < 1:
			newN++
			for d, l := range a.Levels {
				newSum[d] += float64(l)
			}
		case years >= 4:
			oldN++
			for d, l := range a.Levels {
				oldSum[d] += float64(l)
			}
		}
	}
	n := float64(withLatest)
	within := func(name string, got int, lo, hi float64) {
		t.Helper()
		if r := float64(got) / n; r < lo || r > hi {
			t.Errorf("%s = %.3f; want between %.2f and %.2f", name, r, lo, hi)
		}
	}
	within("no high, severe or complex need", noHigh, 0.45, 0.55)
	within("high in emotional health, attachments or managing emotions", highEmotional, 0.28, 0.38)
	within("emotional health need", emo1, 0.80, 1)
	within("life-story need", story1, 0.80, 1)
	within("assessment in progress", inProgress, 0.01, 0.10)
	if f := float64(never) / float64(len(reg.Children)); f > 0.05 {
		t.Errorf("%.3f of children never assessed; want under 0.05", f)
	}
	// Rising with time in care: mean levels after four years or more exceed those in the first year.
	for _, d := range []int{0, 3, 6, 8} {
		if gain := oldSum[d]/float64(oldN) - newSum[d]/float64(newN); gain < 0.2 {
			t.Errorf("%s: mean level %0.2f after 4+ years vs %0.2f in the first year; want a rise of at least 0.2",
				Domains[d], oldSum[d]/float64(oldN), newSum[d]/float64(newN))
		}
	}
	t.Logf("no-high %.3f, high-emotional %.3f, emotional %.3f, story %.3f, never %d, in progress %d, n %d (new %d, old %d)",
		float64(noHigh)/n, float64(highEmotional)/n, float64(emo1)/n, float64(story1)/n, never, inProgress, withLatest, newN, oldN)
}
