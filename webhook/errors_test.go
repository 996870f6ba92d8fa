package webhook

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// TestZeroErrors checks that each error type's zero value has a message
// and unwraps to its sentinel, so that a hand-built error never panics.
func TestZeroErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		msg  string
		want error
	}{
		{&VerifyError{}, "webhook: unverified delivery: ", ErrUnverified},
		{&secretError{}, "webhook: invalid secret: ", ErrInvalidSecret},
		{&DecodeError{}, "webhook: decode: malformed body", ErrMalformed},
		{&DecodeError{Op: "encode"}, "webhook: encode: malformed body", ErrMalformed},
		{&DecodeError{Op: "parse"}, `webhook: unknown event type ""`, ErrUnknownType},
		{&DecodeError{Err: ErrNotPhlebotomy}, "webhook: not an at-home phlebotomy event: an order of no kind", ErrNotPhlebotomy},
		{&DecodeError{Err: ErrUnknownType}, "webhook: not an at-home phlebotomy event: ", ErrNotPhlebotomy},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.ErrorIs(t, c.err, c.want, c.msg)
	}
	var ve *VerifyError
	require.ErrorAs(t, error(&VerifyError{}), &ve)
	assert.Equal(t, []error{ErrUnverified}, ve.Unwrap(), "no nil reason")
}

func TestErrorUnwrap(t *testing.T) {
	orderUnknown := &order.DecodeError{Op: "decode", Path: "/status", Err: &order.ParseError{Kind: "status", Text: "x", Err: order.ErrUnknownStatus}}
	apptUnknown := &appointment.DecodeError{Path: "/status", Text: "x", Err: appointment.ErrUnknownStatus}
	orderBad := &order.DecodeError{Op: "decode", Path: "/created_at", Err: &order.ParseError{Kind: "time", Text: "x", Err: order.ErrMalformed}}
	other := errors.New("something else")
	for _, c := range []struct {
		name  string
		cause error
		want  error
	}{
		{"order unknown status", orderUnknown, ErrUnknownStatus},
		{"appointment unknown status", apptUnknown, ErrUnknownStatus},
		{"order malformed", orderBad, ErrMalformed},
		{"other", other, ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, op := range []string{"decode", "encode"} {
				assert.Equal(t, []error{c.want, c.cause}, (&DecodeError{Op: op, Err: c.cause}).Unwrap())
			}
		})
	}
	for _, c := range []struct {
		err  *DecodeError
		want []error
	}{
		{&DecodeError{Op: "decode", Err: ErrUnknownType}, []error{ErrNotPhlebotomy, ErrUnknownType}},
		{&DecodeError{Op: "encode", Err: ErrUnknownType}, []error{ErrMalformed, ErrUnknownType}},
		{&DecodeError{Op: "parse", Err: ErrUnknownType}, []error{ErrUnknownType}},
		{&DecodeError{Op: "decode", Err: ErrNotPhlebotomy}, []error{ErrNotPhlebotomy}},
		{&DecodeError{Op: "decode"}, []error{ErrMalformed}},
	} {
		assert.Equal(t, c.want, c.err.Unwrap(), "%#v", c.err)
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err error
		msg string
	}{
		{&DecodeError{Op: "decode", Path: "/data/events/2/status", Err: &order.DecodeError{Op: "decode", Path: "/events/2/status",
			Err: &order.ParseError{Kind: "status", Text: "no_show", Err: order.ErrUnknownStatus}}},
			`webhook: decode /data/events/2/status: unknown status "no_show"`},
		{&DecodeError{Op: "decode", Path: "/data", Err: &order.DecodeError{}}, "webhook: decode /data: malformed input"},
		{&DecodeError{Op: "decode", Path: "/data", Err: &appointment.DecodeError{}}, "webhook: decode /data: malformed input"},
		{&DecodeError{Op: "decode", Path: "/data/start_at", Err: &appointment.DecodeError{Path: "/start_at",
			Text: "noon", Err: appointment.ErrMalformed}},
			`webhook: decode /data/start_at: malformed time "noon"`},
		// A cause that is not a nested decoder's is told whole.
		{&DecodeError{Op: "decode", Path: "/event_type", Err: errors.New("missing")}, "webhook: decode /event_type: missing"},
		{&DecodeError{Op: "decode", Path: "/x", Err: errors.New("order: decode x: y")}, "webhook: decode /x: order: decode x: y"},
		{&DecodeError{Op: "encode", Path: "/data/created_at", Err: &order.DecodeError{Op: "encode", Path: "/created_at",
			Err: &order.ParseError{Kind: "time", Text: "t", Err: order.ErrMalformed}}}, `webhook: encode /data/created_at: malformed time "t"`},
		{&DecodeError{Op: "encode", Path: "/data/status", Err: &appointment.DecodeError{Op: "encode", Path: "/status",
			Text: "s", Err: appointment.ErrUnknownStatus}},
			`webhook: encode /data/status: unknown status "s"`},
		{&DecodeError{Op: "encode", Path: "/data", Err: &appointment.DecodeError{Op: "encode"}}, "webhook: encode /data: malformed input"},
		{&DecodeError{Op: "encode", Path: "/event_type", Value: "webhook.Type(0)", Err: ErrUnknownType}, `webhook: encode /event_type: unknown event type "webhook.Type(0)"`},
		{&DecodeError{Op: "parse", Value: "daily.data.sleep.created", Err: ErrUnknownType}, `webhook: unknown event type "daily.data.sleep.created"`},
		{&DecodeError{Op: "decode", Path: "/data/details/type", Value: "Other", Err: ErrNotPhlebotomy}, "webhook: not an at-home phlebotomy event: an Other order"},
		{&DecodeError{Op: "decode", Path: "/data/details/type", Value: "x", Err: ErrNotPhlebotomy}, "webhook: not an at-home phlebotomy event: a x order"},
		{&DecodeError{Op: "decode", Path: "/data/type", Value: "unit", Err: ErrNotPhlebotomy}, "webhook: not an at-home phlebotomy event: an unit appointment"},
		{&DecodeError{Op: "decode", Path: "/event_type", Value: "labtest.result.critical", Err: ErrUnknownType}, "webhook: not an at-home phlebotomy event: labtest.result.critical"},
		{&VerifyError{Err: ErrNoSignature, Header: HeaderSignature}, "webhook: no matching signature: svix-signature"},
		{&VerifyError{Err: ErrMissingHeader, Header: HeaderID}, "webhook: missing header: svix-id"},
		{&VerifyError{Err: ErrMalformedHeader, Header: HeaderTimestamp}, "webhook: malformed header: svix-timestamp"},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.True(t, strings.HasPrefix(c.err.Error(), "webhook: "))
	}
}
