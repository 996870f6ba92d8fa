package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
)

// newRequest returns a request for a server's handler, with an API key.
func newRequest(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	r.Header.Set("X-Vital-Api-Key", "sk_us_test")
	return r
}
