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
	// A request whose body never comes: its connection stays active.
	if _, err := conn.Write([]byte("POST /v3/order HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the server start reading the body
	begin := time.Now()
	s.Close()
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("Close took %v with a request under way, want about %v", d, closeTimeout)
	}
}
