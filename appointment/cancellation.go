package appointment

// CancellationReason is one of the reasons Junction accepts for cancelling
// an appointment, as the cancellation reasons endpoint
// (GET /v3/order/phlebotomy/appointment/cancellation-reasons) lists them;
// [DecodeCancellationReasons] decodes that list. Its ID is what the cancel
// endpoint takes as cancellation_reason_id. It encodes to, and decodes
// from, Junction's field names.
type CancellationReason struct {
	// ID is the reason's id (id), sent back as cancellation_reason_id.
	ID string `json:"id"`
	// Name is the reason as a person reads it (name), such as
	// "Scheduled time no longer works".
	Name string `json:"name"`
	// IsRefundable is Junction's is_refundable flag for the reason: whether
	// a cancellation for this reason may be refunded.
	IsRefundable bool `json:"is_refundable"`
}
