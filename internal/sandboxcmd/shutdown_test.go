package sandboxcmd

import (
	"bufio"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopWithRequestUnderWay stops the command while a client is in the
// middle of a request: the stop waits for it no longer than the shutdown
// timeout, then closes its connection, and giving up on it is no error
// (exit status 0, nothing on stderr).
func TestStopWithRequestUnderWay(t *testing.T) {
	defer func(d time.Duration) { shutdownTimeout = d }(shutdownTimeout)
	shutdownTimeout = 50 * time.Millisecond

	var stdout, stderr lockedBuffer
	stop := make(chan os.Signal, 1)
	exited := make(chan int, 1)
	go func() { exited <- Run([]string{"-addr", "127.0.0.1:0"}, env(nil), &stdout, &stderr, stop) }()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == ""; { // a guard, not a timing
		for _, line := range strings.Split(stdout.String(), "\n") {
			if a, ok := strings.CutPrefix(line, "junction-sandbox: listening on http://"); ok {
				addr = a
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address: %s %s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A request that announces a body and waits for the server's go-ahead
	// before sending it: the 100 Continue answer says the handler is
	// reading the body, so the request is under way when the stop comes,
	// and stays so, since the body never follows.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /_sandbox/clock/advance HTTP/1.1\r\nHost: sandbox\r\n"+
		"Content-Type: application/json\r\nContent-Length: 13\r\nExpect: 100-continue\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("first line %q, %v; want the go-ahead for the body", line, err)
	}

	stop <- syscall.SIGTERM
	if code := <-exited; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if s := stderr.String(); s != "" {
		t.Errorf("a stop that gave up on a request wrote on stderr: %q", s)
	}
	if out := stdout.String(); !strings.HasSuffix(out, "junction-sandbox: stopped\n") {
		t.Errorf("output %q does not end with the stop", out)
	}
	// The connection was closed without an answer to the request.
	// (ReadAll returns once it is closed, by an end of file or a reset.)
	if rest, _ := io.ReadAll(r); strings.Contains(string(rest), "HTTP/1.1 2") {
		t.Errorf("after the stop the client read %q; want the connection closed without an answer", rest)
	}
}
