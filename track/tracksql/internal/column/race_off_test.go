//go:build !race

package column

// raceEnabled reports whether the tests run with the race detector, which
// drops pooled items at random: allocation counts then mean nothing.
const raceEnabled = false
