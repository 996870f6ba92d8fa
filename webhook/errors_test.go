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
		{&SecretError{}, "webhook: invalid secret: ", ErrInvalidSecret},
		{&ParseError{}, `webhook: unknown event type ""`, ErrUnknownType},
		{&DecodeError{}, "webhook: decode: malformed body", ErrMalformed},
		{&EncodeError{}, "webhook: encode: malformed body", ErrMalformed},
		{&IgnoredError{}, "webhook: not an at-home phlebotomy event: ", ErrNotPhlebotomy},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.ErrorIs(t, c.err, c.want, c.msg)
	}
	var ve *VerifyError
	require.ErrorAs(t, error(&VerifyError{}), &ve)
	assert.Equal(t, []error{ErrUnverified}, ve.Unwrap(), "no nil reason")
}

func TestErrorUnwrap(t *testing.T) {
	orderUnknown := &order.DecodeError{Field: "status", Err: &order.ParseError{Kind: "status", Text: "x", Err: order.ErrUnknownStatus}}
	apptUnknown := &appointment.DecodeError{Path: "/status", Text: "x", Err: appointment.ErrUnknownStatus}
	orderBad := &order.DecodeError{Field: "created_at", Err: &order.MalformedError{Kind: "time", Text: "x"}}
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
			for _, err := range []interface{ Unwrap() []error }{&DecodeError{Err: c.cause}, &EncodeError{Err: c.cause}} {
				assert.Equal(t, []error{c.want, c.cause}, err.Unwrap())
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err error
		msg string
	}{
		{&DecodeError{Field: "data.events[2].status", Err: &order.DecodeError{Field: "events[2].status",
			Err: &order.ParseError{Kind: "status", Text: "no_show", Err: order.ErrUnknownStatus}}},
			`webhook: decode data.events[2].status: unknown status "no_show"`},
		{&DecodeError{Field: "data", Err: &order.DecodeError{}}, "webhook: decode data: malformed input"},
		{&DecodeError{Field: "data", Err: &appointment.DecodeError{}}, "webhook: decode data: malformed input"},
		{&DecodeError{Field: "data.start_at", Err: &appointment.DecodeError{Path: "/start_at",
			Text: "noon", Err: appointment.ErrMalformed}},
			`webhook: decode data.start_at: malformed time "noon"`},
		// A cause that is not a nested decoder's is told whole.
		{&DecodeError{Field: "event_type", Err: errors.New("missing")}, "webhook: decode event_type: missing"},
		{&DecodeError{Field: "x", Err: errors.New("order: decode x: y")}, "webhook: decode x: order: decode x: y"},
		{&EncodeError{Field: "data.created_at", Err: &order.EncodeError{Field: "created_at",
			Err: &order.MalformedError{Kind: "time", Text: "t"}}}, `webhook: encode data.created_at: malformed time "t"`},
		{&EncodeError{Field: "data.status", Err: &appointment.EncodeError{Path: "/status",
			Text: "s", Err: appointment.ErrUnknownStatus}},
			`webhook: encode data.status: unknown status "s"`},
		{&EncodeError{Field: "data", Err: &appointment.EncodeError{}}, "webhook: encode data: malformed input"},
		{&EncodeError{Field: "event_type", Err: &ParseError{Text: "webhook.Type(0)"}}, `webhook: encode event_type: unknown event type "webhook.Type(0)"`},
		{&IgnoredError{EventType: "labtest.order.created", Kind: "Other"}, "webhook: not an at-home phlebotomy event: labtest.order.created of an Other order"},
		{&IgnoredError{EventType: "labtest.order.created", Kind: "x"}, "webhook: not an at-home phlebotomy event: labtest.order.created of a x order"},
		{&IgnoredError{EventType: "labtest.appointment.created", Kind: "unit"}, "webhook: not an at-home phlebotomy event: labtest.appointment.created of an unit appointment"},
		{&IgnoredError{EventType: "labtest.result.critical", Kind: "testkit"}, "webhook: not an at-home phlebotomy event: labtest.result.critical"},
		{&VerifyError{Err: ErrNoSignature, Header: HeaderSignature}, "webhook: no matching signature: svix-signature"},
		{&VerifyError{Err: ErrMissingHeader, Header: HeaderID}, "webhook: missing header: svix-id"},
		{&VerifyError{Err: ErrMalformedHeader, Header: HeaderTimestamp}, "webhook: malformed header: svix-timestamp"},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.True(t, strings.HasPrefix(c.err.Error(), "webhook: "))
	}
}
