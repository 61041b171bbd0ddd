//go:build race

package sharing

// raceEnabled: the race detector slows the attack and scale tests tenfold,
// so under it they run smaller (make test); `go test ./internal/sharing/`
// runs them in full.
const raceEnabled = true
