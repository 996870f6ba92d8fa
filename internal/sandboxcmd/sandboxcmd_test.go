package sandboxcmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// secret is an endpoint secret, as Junction's dashboard shows one.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// env returns a getenv over m.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParse(t *testing.T) {
	c, err := parse(nil, env(nil), io.Discard)
	if err != nil || c.addr != "127.0.0.1:8484" || c.secret != "" || c.madeSecret || c.realClock || c.speed != 1 || len(c.opts) != 0 {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	c, err = parse([]string{"-addr", ":9", "-webhook-url", "http://127.0.0.1:1/hooks", "-api-keys", "a,b", "-chaos-seed", "7",
		"-start", "2026-11-23T09:00:00Z", "-clock", "real", "-speed", "2.5", "-pre-requisition", "true",
		"-partial-results-webhooks", "1"}, env(nil), io.Discard)
	if err != nil || c.addr != ":9" || !c.madeSecret || !strings.HasPrefix(c.secret, "whsec_") || !c.realClock || c.speed != 2.5 ||
		len(c.opts) != 6 {
		t.Fatalf("flags: %+v, %v", c, err)
	}
	c, err = parse([]string{"-speed", "3"}, env(map[string]string{"JUNCTION_SANDBOX_ADDR": "127.0.0.1:7",
		"JUNCTION_SANDBOX_WEBHOOK_URL": "http://127.0.0.1:1", "JUNCTION_SANDBOX_WEBHOOK_SECRET": secret,
		"JUNCTION_SANDBOX_SPEED": "9", "JUNCTION_SANDBOX_PRE_REQUISITION": "false"}), io.Discard)
	if err != nil || c.addr != "127.0.0.1:7" || c.madeSecret || c.secret != secret || c.speed != 3 || len(c.opts) != 1 {
		t.Fatalf("environment: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-addr", "x"}, "-addr"},
		{[]string{"-webhook-secret", secret}, "nowhere to deliver"},
		{[]string{"-chaos-seed", "-1"}, "-chaos-seed"},
		{[]string{"-start", "2026-11-23"}, "-start"},
		{[]string{"-clock", "fast"}, "want manual or real"},
		{[]string{"-speed", "x"}, "-speed"},
		{[]string{"-speed", "0"}, "-speed"},
		{[]string{"-speed", "NaN"}, "-speed"},
		{[]string{"-speed", "1000001"}, "-speed"},
		{[]string{"-partial-results-webhooks", "yes"}, "-partial-results-webhooks"},
		{[]string{"-bogus"}, "bogus"},
	} {
		if _, err := parse(tc.args, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parse(%q) = %v, want an error naming %s", tc.args, err, tc.want)
		}
	}
	if _, err := parse([]string{"-speed", "1000000"}, env(nil), io.Discard); err != nil {
		t.Errorf("the highest speed: %v", err)
	}
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRun(t *testing.T) {
	var stdout, stderr lockedBuffer
	stop := make(chan os.Signal, 1)
	exited := make(chan int, 1)
	go func() {
		exited <- Run([]string{"-addr", "127.0.0.1:0", "-clock", "real", "-speed", "3600", "-webhook-url", "http://127.0.0.1:1",
			"-start", "2026-11-23T09:00:00Z"},
			env(nil), &stdout, &stderr, stop)
	}()
	var url string
	for deadline := time.Now().Add(30 * time.Second); url == ""; { // a guard, not a timing
		for _, line := range strings.Split(stdout.String(), "\n") {
			if u, ok := strings.CutPrefix(line, "junction-sandbox: listening on "); ok {
				url = u
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address: %s %s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The clock follows the wall clock, 3600 times as fast: an hour of
	// virtual time in a second or so.
	begin := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for deadline := time.Now().Add(30 * time.Second); ; { // a guard, not a timing
		resp, err := http.Get(url + "/_sandbox/clock")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("clock: %v %v", resp, err)
		}
		var clock struct{ Now time.Time }
		err = json.NewDecoder(resp.Body).Decode(&clock)
		resp.Body.Close()
		if err != nil || clock.Now.Before(begin) {
			t.Fatalf("clock %v: %v", clock.Now, err)
		}
		if clock.Now.After(begin.Add(time.Hour)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the clock stays at %s", clock.Now)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop <- syscall.SIGTERM
	if code := <-exited; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if s := stderr.String(); s != "" {
		t.Errorf("a clean stop wrote on stderr: %q", s)
	}
	out := stdout.String()
	for _, want := range []string{"webhook secret whsec_", "following the wall clock ×3600", "junction-sandbox: stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}

	// Bad flags: 2; an address taken: 1.
	if code := Run([]string{"-clock", "x"}, env(nil), io.Discard, &stderr, stop); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
	if code := Run([]string{"-webhook-url", "ftp://x"}, env(nil), io.Discard, &stderr, stop); code != 2 {
		t.Errorf("bad option: exit %d", code)
	}
	if code := Run([]string{"-addr", "256.0.0.1:1"}, env(nil), io.Discard, &stderr, stop); code != 1 {
		t.Errorf("address that cannot be listened on: exit %d", code)
	}
	if !strings.Contains(stderr.String(), "junction-sandbox: ") {
		t.Errorf("stderr %q", stderr.String())
	}
	if clockMode(config{}) != "moved by POST /_sandbox/clock/advance and /_sandbox/clock/set" {
		t.Error(clockMode(config{}))
	}
}
