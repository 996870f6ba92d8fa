package tier

import "github.com/phlebkit/phlebkit/appointment"

// InitialStatus returns the status an appointment of tier t is created in:
// [appointment.Pending] for both tiers, since every appointment starts
// pending. For an invalid tier it returns the zero (invalid)
// [appointment.Status].
func (t Tier) InitialStatus() appointment.Status {
	if !t.IsValid() {
		return 0
	}
	return appointment.Pending
}

// StatusAfterCreation returns the status an appointment of tier t is in
// once its creation call has taken effect, given whether the order's
// requisition already exists:
//
//   - appointment-ready moves at once from pending to
//     [appointment.Reserved] when booked before the requisition exists (the
//     slot is held while the requisition is created), or to
//     [appointment.Confirmed] when the requisition exists;
//   - appointment-request stays [appointment.Pending], with no date or
//     time, whatever the requisition, until the provider pencils a slot in.
//
// For an invalid tier it returns the zero (invalid) [appointment.Status].
func (t Tier) StatusAfterCreation(requisitionExists bool) appointment.Status {
	switch t {
	case AppointmentReady:
		if requisitionExists {
			return appointment.Confirmed
		}
		return appointment.Reserved
	case AppointmentRequest:
		return appointment.Pending
	}
	return 0
}
