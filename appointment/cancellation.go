package appointment

import "github.com/phlebkit/phlebkit/internal/jsonwire"

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

// UnmarshalJSON decodes a reason: a JSON object whose id and name are
// strings and is_refundable a boolean, each of which may be absent or null;
// other members are dropped. Keys are matched exactly, and a repeated
// member's last value wins. Like the standard library's decoders it leaves
// r unchanged for null; on error (a *[DecodeError] wrapping
// [ErrMalformed]), empty input included, r is unchanged too.
func (r *CancellationReason) UnmarshalJSON(data []byte) error {
	var rd jsonwire.Reader
	rd.Reset(data)
	var v CancellationReason
	present := rd.Object()
	if present {
		readReason(&rd, &v)
	}
	if err := finish(&rd); err != nil || !present {
		return asError(err)
	}
	if r == nil {
		return &DecodeError{}
	}
	*r = v
	return nil
}

// readReason reads the members of a reason, whose opening brace rd has
// read, into v, which is zero.
func readReason(rd *jsonwire.Reader, v *CancellationReason) {
	for k, ok := rd.Key(); ok; k, ok = rd.Key() {
		switch k {
		case "id":
			v.ID = rd.Text()
		case "name":
			v.Name = rd.Text()
		case "is_refundable":
			v.IsRefundable = rd.Bool()
		default:
			rd.Skip()
		}
	}
}

// DecodeCancellationReasons decodes the response of Junction's
// cancellation reasons endpoint: a JSON array of reasons, each decoded as
// [CancellationReason.UnmarshalJSON] does; null gives nil, and an empty
// array an empty slice. Like an appointment, a reason is decoded strictly
// about shape and leniently about presence: a missing or null field leaves
// its zero value. As [Decode] does, it copies data once and the strings of
// the result share that copy's memory.
//
// Every error it returns is a *[DecodeError] wrapping [ErrMalformed], whose
// Field is the JSON path of the value at fault, such as "[3].id", or empty
// when the document is not valid JSON or not an array; the result is then
// nil.
func DecodeCancellationReasons(data []byte) ([]CancellationReason, error) {
	var rd jsonwire.Reader
	rd.Reset(data)
	var out []CancellationReason
	if rd.Array() {
		out = []CancellationReason{}
		for rd.More() {
			out = append(out, CancellationReason{})
			if rd.Object() {
				readReason(&rd, &out[len(out)-1])
			}
		}
	}
	if err := finish(&rd); err != nil {
		return nil, err
	}
	return out, nil
}
