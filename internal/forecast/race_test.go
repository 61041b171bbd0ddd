//go:build race

package forecast

// raceEnabled: the race detector slows the backtests tenfold, past the test
// timeout; make test runs them in its step without it.
const raceEnabled = true
