package sandbox_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
)

// testAPIKey is the API key the tests send: any key that is not empty is
// accepted by default.
const testAPIKey = "sk_us_test"

// newRequest returns a request for a server's handler, with the API key.
func newRequest(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	r.Header.Set("X-Vital-Api-Key", testAPIKey)
	return r
}

// keyed is a transport that adds the API key to every request.
type keyed struct{}

func (keyed) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Vital-Api-Key", testAPIKey)
	return http.DefaultTransport.RoundTrip(r)
}

// apiClient is an HTTP client that sends the API key.
var apiClient = &http.Client{Transport: keyed{}}

// goErrorPrefixes start the messages of this module's Go errors and of the
// JSON packages: none may reach the wire.
var goErrorPrefixes = []string{"scheduling:", "provider:", "order:", "appointment:", "sandbox:", "tier:", "webhook:",
	"track:", "lifecycle:", "jsontext:", "json:", "junction:"}

// checkWire fails t when an error answer carries the text of a Go error.
func checkWire(t interface {
	Helper()
	Fatalf(string, ...any)
}, status int, body []byte) {
	t.Helper()
	if status < 400 {
		return
	}
	for _, p := range goErrorPrefixes {
		if bytes.Contains(body, []byte(p)) {
			t.Fatalf("answer %d %s carries a Go error (%q)", status, body, p)
		}
	}
}
