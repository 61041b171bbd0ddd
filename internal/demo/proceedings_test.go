package demo

import (
	"sort"
	"testing"
)

// TestDemoProceedingsShape checks concluded demo cases against the recent
// national picture (domain.md §2): mean about 38–40 weeks, about a third
// within 26 weeks, with FCMHs and adjournments.
func TestDemoProceedingsShape(t *testing.T) {
	t.Parallel()
	reg := Generate(Options{Seed: 1, Children: 20000, AsOf: asOf})
	var ws []float64
	var within, fcmh, adj, hearings, siblings int
	for _, p := range reg.Proceedings {
		if len(p.Children) > 1 {
			siblings++
		}
		for _, h := range p.Hearings {
			hearings++
			if h.Kind == "fcmh" {
				fcmh++
			}
			if h.Outcome == "adjourned" {
				adj++
			}
			if h.On.Before(p.Issued) || p.Concluded != nil && h.On.After(*p.Concluded) {
				t.Fatalf("case %s: hearing on %s outside the case", p.CaseNumber, h.On)
			}
		}
		if p.Concluded == nil {
			continue
		}
		w := p.Concluded.Sub(p.Issued).Hours() / 24 / 7
		ws = append(ws, w)
		if w <= 26 {
			within++
		}
	}
	if len(ws) < 500 {
		t.Fatalf("only %d concluded cases", len(ws))
	}
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	sort.Float64s(ws)
	mean := sum / float64(len(ws))
	share := float64(within) / float64(len(ws))
	if mean < 34 || mean > 44 {
		t.Errorf("mean duration %.1f weeks; want about 38–40", mean)
	}
	if share < 0.28 || share > 0.42 {
		t.Errorf("%.2f within 26 weeks; want about a third", share)
	}
	if fcmh == 0 || adj == 0 || siblings == 0 {
		t.Errorf("FCMHs %d, adjournments %d, sibling cases %d; want some of each", fcmh, adj, siblings)
	}
	t.Logf("%d cases (%d concluded): mean %.1f weeks, median %.1f, %.2f within 26; %d hearings, %d FCMHs, %d adjourned; %d sibling cases",
		len(reg.Proceedings), len(ws), mean, ws[len(ws)/2], share, hearings, fcmh, adj, siblings)
}
