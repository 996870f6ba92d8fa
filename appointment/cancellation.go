package appointment

import (
	"encoding/json"
	"strconv"
)

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

// wireReason is CancellationReason without its UnmarshalJSON method.
type wireReason CancellationReason

// UnmarshalJSON decodes a reason: a JSON object whose id and name are
// strings and is_refundable a boolean, each of which may be absent or null;
// other members are dropped. Like the standard library's decoders it leaves
// r unchanged for null; on error (a *[DecodeError] wrapping
// [ErrMalformed]), empty input included, r is unchanged too.
func (r *CancellationReason) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := decodeReason(data)
	if err != nil {
		return err
	}
	if r == nil {
		return &DecodeError{}
	}
	*r = v
	return nil
}

func decodeReason(data []byte) (CancellationReason, error) {
	var w wireReason
	if err := json.Unmarshal(data, &w); err != nil {
		return CancellationReason{}, decodeError("", err)
	}
	return CancellationReason(w), nil
}

// DecodeCancellationReasons decodes the response of Junction's
// cancellation reasons endpoint: a JSON array of reasons, each decoded as
// [CancellationReason.UnmarshalJSON] does; null gives nil, and an empty
// array an empty slice. Like an appointment, a reason is decoded strictly
// about shape and leniently about presence: a missing or null field leaves
// its zero value.
//
// Every error it returns is a *[DecodeError] wrapping [ErrMalformed], whose
// Field is the JSON path of the value at fault, such as "[3].id", or empty
// when the document as a whole is; the result is then nil.
func DecodeCancellationReasons(data []byte) ([]CancellationReason, error) {
	if isNull(data) {
		return nil, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, decodeError("", err)
	}
	out := make([]CancellationReason, len(raws))
	for i, raw := range raws {
		v, err := decodeReason(raw)
		if err != nil {
			return nil, decodeError("["+strconv.Itoa(i)+"]", err)
		}
		out[i] = v
	}
	return out, nil
}
