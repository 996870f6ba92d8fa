package tier_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/tier"
)

func TestStatusAfterCreation(t *testing.T) {
	cases := []struct {
		name        string
		in          tier.Tier
		requisition bool
		initial     appointment.Status
		after       appointment.Status
	}{
		{"appointment-ready before the requisition", tier.AppointmentReady, false, appointment.Pending, appointment.Reserved},
		{"appointment-ready after the requisition", tier.AppointmentReady, true, appointment.Pending, appointment.Confirmed},
		{"appointment-request before the requisition", tier.AppointmentRequest, false, appointment.Pending, appointment.Pending},
		{"appointment-request after the requisition", tier.AppointmentRequest, true, appointment.Pending, appointment.Pending},
		{"invalid tier", 0, true, 0, 0},
		{"tier past the end", 3, false, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			initial := tc.in.InitialStatus()
			after := tc.in.StatusAfterCreation(tc.requisition)
			assert.Equal(t, tc.initial, initial, "%v.InitialStatus() = %v, want %v", tc.in, initial, tc.initial)
			assert.Equal(t, tc.after, after, "%v.StatusAfterCreation(%t) = %v, want %v", tc.in, tc.requisition, after, tc.after)
			assert.Equal(t, tc.in.IsValid(), initial.IsValid())
			assert.Equal(t, tc.in.IsValid(), after.IsValid())
		})
	}
}

// TestStatusAfterCreationIsReachable checks the tier's statuses against the
// appointment lifecycle: the status after creation is the initial one or a
// single allowed move from it, and it is active.
func TestStatusAfterCreationIsReachable(t *testing.T) {
	for _, tt := range tier.All() {
		for _, requisition := range []bool{false, true} {
			initial, after := tt.InitialStatus(), tt.StatusAfterCreation(requisition)
			if initial == after {
				continue
			}
			assert.True(t, appointment.CanTransition(initial, after),
				"%v with requisition=%t: %v → %v is not a move of the appointment lifecycle", tt, requisition, initial, after)
			assert.False(t, after.Terminal(), "%v starts in terminal status %v", tt, after)
		}
	}
}
