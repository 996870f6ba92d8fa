// Package phlebkit is the root of a Go SDK for Junction's at-home
// phlebotomy lab-testing flow. It holds no code of its own; the work is done
// by its packages:
//
//   - [github.com/phlebkit/phlebkit/order]: the order lifecycle as a state
//     machine, its statuses in every wire form.
//
// Run the walkthrough with go run ./examples/lifecycle.
package phlebkit
