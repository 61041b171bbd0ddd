// Package analytics works out what commissioners ask of the data: each
// child's cost against their needs, and cohort figures — prevalence of needs,
// the correlation of need with cost, cost by band and placement type, provider
// price spread, step-down candidates — for any filter and as-of date. Every
// figure carries its n, as-of date and definition.
package analytics

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// Quantile is the p-quantile of xs by linear interpolation between closest
// ranks, as PostgreSQL's percentile_cont computes it. xs need not be sorted.
func Quantile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return sortedQuantile(s, p)
}

// sortedQuantile is Quantile of values already in order.
func sortedQuantile(s []float64, p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	pos := p * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

// Pearson is the product-moment correlation of x and y; NaN when either does not vary.
func Pearson(x, y []float64) float64 {
	n := float64(len(x))
	if len(x) != len(y) || len(x) < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman is the rank correlation of x and y: Pearson on ranks, ties sharing
// their average rank.
func Spearman(x, y []float64) float64 {
	return Pearson(ranks(x), ranks(y))
}

func ranks(xs []float64) []float64 {
	type vi struct {
		v float64
		i int32
	}
	p := make([]vi, len(xs))
	for i, x := range xs {
		p[i] = vi{x, int32(i)}
	}
	slices.SortFunc(p, func(a, b vi) int { return cmp.Compare(a.v, b.v) })
	r := make([]float64, len(xs))
	for i := 0; i < len(p); {
		j := i
		for j+1 < len(p) && p[j+1].v == p[i].v {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[p[k].i] = avg
		}
		i = j + 1
	}
	return r
}
