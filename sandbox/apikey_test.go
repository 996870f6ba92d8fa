package sandbox_test

import (
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
