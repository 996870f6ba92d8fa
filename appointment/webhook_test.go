package appointment

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeWebhookWithoutEventType: a body without event_type, such as a
// bare order, is malformed, never an empty webhook.
func TestDecodeWebhookWithoutEventType(t *testing.T) {
	for name, body := range map[string]string{
		"bare order":                   string(fixture(t, "order-updated.json")),
		"bare appointment":             string(fixture(t, "appointment-booked.json")),
		"empty object":                 `{}`,
		"null event_type":              `{"event_type": null, "data": {"id": "a1"}}`,
		"empty event_type":             `{"event_type": "", "data": {"id": "a1"}}`,
		"event_type absent, data null": `{"data": null, "team_id": "t"}`,
	} {
		t.Run(name, func(t *testing.T) {
			w, err := DecodeWebhook([]byte(body))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "event_type", de.Field)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrNotAppointment)
			assert.NotErrorIs(t, err, ErrUnknownStatus)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, ParseError{Kind: "webhook type", Text: "", Err: ErrMalformed}, *pe)
			assert.Equal(t, `appointment: decode event_type: malformed webhook type ""`, err.Error())
			assert.Equal(t, Webhook{}, w)

			dst := wantWebhook
			assert.Equal(t, err, dst.UnmarshalJSON([]byte(body)))
			require.ErrorIs(t, json.Unmarshal([]byte(body), &dst), ErrMalformed)
			assert.Equal(t, wantWebhook, dst, "a failed decode must leave the destination unchanged")
		})
	}
}

// TestDecodeWebhookTypes: exactly three event types carry an appointment,
// Junction's legacy labtest.appointment.update among them; every other type
// is someone else's webhook, not a malformed one.
func TestDecodeWebhookTypes(t *testing.T) {
	data := `{"id":"a1","status":"confirmed"}`
	for text, want := range map[string]string{
		"labtest.appointment.created": WebhookCreated,
		"labtest.appointment.updated": WebhookUpdated,
		"labtest.appointment.update":  WebhookUpdated,
	} {
		t.Run(text, func(t *testing.T) {
			body := `{"event_type":"` + text + `","data":` + data + `}`
			w, err := DecodeWebhook([]byte(body))
			require.NoError(t, err)
			assert.Equal(t, Webhook{EventType: want, Data: Appointment{ID: "a1", Status: Confirmed}}, w)
			var u Webhook
			require.NoError(t, json.Unmarshal([]byte(body), &u))
			assert.Equal(t, w, u)

			// The decoded value encodes with the current spelling.
			b, err := json.Marshal(w)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(b), `{"event_type":"`+want+`",`), string(b))
		})
	}
	assert.Equal(t, "labtest.appointment.update", WebhookUpdatedLegacy)

	for _, text := range []string{
		"labtest.appointment.somethingelse", "labtest.appointment.", "labtest.appointment",
		"labtest.appointment.updated ", " labtest.appointment.created", "labtest.appointment.Updated",
		"LABTEST.APPOINTMENT.CREATED", "labtest.appointment.updates", "labtest.appointment.updated.v2",
		"labtest.order.updated", "labtest.order.created", "labtest.result.critical", "daily.data.workouts.created",
		"x",
	} {
		t.Run(text, func(t *testing.T) {
			body := `{"event_type":` + quote(text) + `,"data":` + data + `}`
			w, err := DecodeWebhook([]byte(body))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "event_type", de.Field)
			assert.ErrorIs(t, err, ErrNotAppointment)
			assert.NotErrorIs(t, err, ErrMalformed, "someone else's webhook is not malformed")
			assert.NotErrorIs(t, err, ErrUnknownStatus)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, ParseError{Kind: "webhook type", Text: text, Err: ErrNotAppointment}, *pe)
			assert.Equal(t, Webhook{}, w)

			dst := wantWebhook
			require.ErrorIs(t, json.Unmarshal([]byte(body), &dst), ErrNotAppointment)
			assert.Equal(t, wantWebhook, dst)
		})
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestParseErrorKinds produces every kind of *ParseError the package
// documents.
func TestParseErrorKinds(t *testing.T) {
	for _, c := range []struct {
		kind string
		err  error
		is   error
		msg  string
	}{
		{"status", second(ParseStatus("no_show")), ErrUnknownStatus, `appointment: unknown status "no_show"`},
		{"event", second(ParseTrigger("begin")), ErrUnknownTrigger, `appointment: unknown event "begin"`},
		{"time", second(ParseTime("noon")), ErrMalformed, `appointment: malformed time "noon"`},
		{"webhook type", second(DecodeWebhook([]byte(`{"event_type":"labtest.order.updated"}`))), ErrNotAppointment,
			`appointment: decode event_type: unknown webhook type "labtest.order.updated"`},
		{"webhook type", second(DecodeWebhook([]byte(`{}`))), ErrMalformed,
			`appointment: decode event_type: malformed webhook type ""`},
	} {
		t.Run(c.kind, func(t *testing.T) {
			var pe *ParseError
			require.ErrorAs(t, c.err, &pe)
			assert.Equal(t, c.kind, pe.Kind)
			assert.ErrorIs(t, c.err, c.is)
			assert.Equal(t, c.is, pe.Unwrap())
			assert.Equal(t, c.msg, c.err.Error())
		})
	}
}

// second returns the error of a two-result call.
func second[T any](_ T, err error) error { return err }
