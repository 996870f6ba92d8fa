package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/phlebkit/phlebkit/tier"
)

// TestTierSet checks the set behind Provider.Offers for every combination
// of tiers, so that a provider offering both tiers, which Junction's table
// does not list today, is answered right too.
func TestTierSet(t *testing.T) {
	all := tier.All()
	for mask := range 1 << len(all) {
		var in []tier.Tier
		for i, tt := range all {
			if mask&(1<<i) != 0 {
				in = append(in, tt)
			}
		}
		s := setOf(in...)
		for i, tt := range all {
			assert.Equal(t, mask&(1<<i) != 0, s.has(tt), "setOf(%v).has(%v)", in, tt)
		}
		for _, tt := range []tier.Tier{0, tier.Tier(len(all) + 1), 7, 255} {
			assert.False(t, s.has(tt), "setOf(%v).has(%v)", in, tt)
		}
	}
	assert.Equal(t, setOf(tier.AppointmentReady, tier.AppointmentRequest), setOf(tier.AppointmentRequest, tier.AppointmentReady))
}

// TestMergeTiersKnownNames checks that merging tier lists that name only
// known tiers tracks them in the bit set: it builds no map and so does not
// allocate when the result fits the first list's capacity.
func TestMergeTiersKnownNames(t *testing.T) {
	ready, request := tier.AppointmentReady.String(), tier.AppointmentRequest.String()
	first := make([]string, 2, 3)
	second := []string{request, ready, request}
	allocs := testing.AllocsPerRun(100, func() {
		first[0], first[1] = ready, ready
		first = mergeTiers(first[:2], second)
	})
	assert.Equal(t, []string{ready, ready, request}, first)
	assert.Zero(t, allocs, "mergeTiers(%q, %q) allocates", first[:2], second)
}
