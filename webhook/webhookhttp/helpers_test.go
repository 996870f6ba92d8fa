package webhookhttp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/phlebkit/phlebkit/webhook"
)

// mustVerifier returns the verifier of secrets, hard-coded valid ones.
func mustVerifier(secrets ...string) *webhook.Verifier {
	v, err := webhook.NewVerifier(secrets...)
	if err != nil {
		panic(err)
	}
	return v
}

// The signing secret of Svix's published test vector, and a second valid
// secret, as after a rotation.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	otherSecret  = "whsec_" + "c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24="
)

// The envelope the tests wrap bare orders in.
const (
	envUserID       = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	envClientUserID = "3Zru4O8cBEiwGTsXgUQGaQ=="
	envTeamID       = "6353bcab-3526-4838-8c92-063fa760fb6b"
)

// fixture reads a payload of package webhook's testdata.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// wrap returns the body of a delivery of data as an event of eventType,
// with the test envelope's ids; data is kept byte for byte.
func wrap(eventType string, data []byte) []byte {
	return []byte(`{"event_type": "` + eventType + `", "data": ` + string(data) +
		`, "user_id": "` + envUserID + `", "client_user_id": "` + envClientUserID + `", "team_id": "` + envTeamID + `"}`)
}

// acceptedBodies are webhook bodies that decode without error, by name.
func acceptedBodies(tb testing.TB) map[string][]byte {
	var w struct{ Data json.RawMessage }
	if err := json.Unmarshal(fixture(tb, "appointment-updated-webhook.json"), &w); err != nil {
		tb.Fatal(err)
	}
	return map[string][]byte{
		"order updated":       wrap("labtest.order.updated", fixture(tb, "order-updated.json")),
		"appointment webhook": fixture(tb, "appointment-updated-webhook.json"),
		"appointment created": wrap("labtest.appointment.created", w.Data),
	}
}

// bodyReader is a request body read again on each iteration.
type bodyReader struct{ bytes.Reader }

func (*bodyReader) Close() error { return nil }
