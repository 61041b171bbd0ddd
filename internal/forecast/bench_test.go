package forecast

import (
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time: on a machine shared
// with other work, wall time says more about the neighbours than the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// regionModel fits a synthetic region of about n children at 31 March 2026
// on a 36-month window; generated once per size.
var regionModels sync.Map

func regionModel(tb testing.TB, entrantsPerYear float64) *Model {
	if m, ok := regionModels.Load(entrantsPerYear); ok {
		return m.(*Model)
	}
	o := DefaultSynth(11)
	o.EntrantsPerYear = entrantsPerYear
	_, eps := Synthesize(o)
	m, err := Fit(eps, day("2023-03-31"), day("2026-03-31"))
	if err != nil {
		tb.Fatal(err)
	}
	regionModels.Store(entrantsPerYear, m)
	return m
}

// The limits: a 3-year monthly forecast with 1,000 paths in under 1 s for a
// 6,000-child region and under 5 s for 100,000 children.
// Each reports its CPU seconds and both times as a share of the limit
// (x-limit below 1 is inside it).
func benchSimulate(b *testing.B, entrants, limitSeconds float64) {
	m := regionModel(b, entrants)
	b.ReportMetric(m.StartTotal(), "children")
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := m.Simulate(Options{Months: 36, Paths: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	cpu := (cpuTime() - c0).Seconds() / float64(b.N)
	b.ReportMetric(cpu, "cpu-s/op")
	b.ReportMetric(cpu/limitSeconds, "cpu-x-limit")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/limitSeconds, "wall-x-limit")
}

func BenchmarkSimulateRegion6000(b *testing.B)    { benchSimulate(b, 1450, 1) }
func BenchmarkSimulateEngland100000(b *testing.B) { benchSimulate(b, 24000, 5) }
