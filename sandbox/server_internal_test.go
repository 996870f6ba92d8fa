package sandbox

import (
	"net"
	"testing"
	"time"
)

// TestServerTimeouts checks that the started server bounds every phase of
// a connection, and that Close cuts off a request that does not finish.
func TestServerTimeouts(t *testing.T) {
	s, err := NewServer(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.httpSrv
	if h.ReadHeaderTimeout != readHeaderTimeout || h.ReadTimeout != readTimeout || h.WriteTimeout != writeTimeout ||
		h.IdleTimeout != idleTimeout || h.ReadHeaderTimeout <= 0 || h.ReadTimeout <= 0 || h.WriteTimeout <= 0 ||
		h.IdleTimeout <= 0 {
		t.Fatalf("timeouts %v %v %v %v", h.ReadHeaderTimeout, h.ReadTimeout, h.WriteTimeout, h.IdleTimeout)
	}

	defer func(d time.Duration) { closeTimeout = d }(closeTimeout)
	closeTimeout = 50 * time.Millisecond
	conn, err := net.Dial("tcp", s.URL[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A client trickling a body, a byte at a time: its request never
	// finishes and its connection stays active.
	if _, err := conn.Write([]byte("POST /v3/order HTTP/1.1\r\nHost: x\r\nX-Vital-Api-Key: sk_us_test\r\n" +
		"Content-Length: 1000000\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	trickled := make(chan struct{})
	go func() {
		defer close(trickled)
		for {
			if _, err := conn.Write([]byte(" ")); err != nil {
				return // Close cut the connection
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		t.Fatal("Close did not return while a client trickled a body")
	}
	select {
	case <-trickled:
	case <-time.After(30 * time.Second):
		t.Fatal("the trickling connection was not cut")
	}
}
