package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The command is tested as its users run it: built with go build, started
// as a process on 127.0.0.1:0, and driven over HTTP only.

const (
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	apiKey = "sk_us_test"
	start  = "2026-11-23T09:00:00Z"
)

// build builds the command into a temporary directory and returns the
// binary's path.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "junction-sandbox")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running command.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	lines  []string    // what it printed so far
	out    chan string // the lines it prints, closed when it closes its output
	stderr *bytes.Buffer
	waited chan error
}

// startProcess starts the binary with args and env, and waits for the line
// saying where it listens.
func startProcess(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, stderr: &bytes.Buffer{}, out: make(chan string, 64), waited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // read everything it prints, then wait for it, as exec requires
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out <- sc.Text()
		}
		close(p.out)
		p.waited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if p.out != nil {
			for range p.out { // until it closes its output
			}
		}
		err := <-p.waited
		p.waited <- err
	})
	for line := range p.out {
		p.lines = append(p.lines, line)
		if u, ok := strings.CutPrefix(line, "junction-sandbox: listening on "); ok {
			p.url = u
		}
		if strings.HasPrefix(line, "junction-sandbox: virtual clock") {
			break
		}
	}
	if p.url == "" {
		t.Fatalf("no address printed: %q, stderr %s", p.lines, p.stderr)
	}
	return p
}

// call sends a request with a JSON body (none when nil) and the given API
// key (none when empty), and returns the answer's status and body.
func (p *process) call(method, path, key string, body any) (int, []byte) {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			p.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.url+path, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("x-vital-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// must is call for a request that must be answered 200, decoded into v.
func (p *process) must(method, path string, body, v any) {
	p.t.Helper()
	status, out := p.call(method, path, apiKey, body)
	if status != http.StatusOK {
		p.t.Fatalf("%s %s = %d %s", method, path, status, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			p.t.Fatalf("%s %s: %v in %s", method, path, err, out)
		}
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	guard := time.After(30 * time.Second) // against a hang, not a timing
	for {
		select {
		case line, ok := <-p.out:
			if ok {
				p.lines = append(p.lines, line)
				continue
			}
			p.out = nil
		case err := <-p.waited:
			p.waited <- err
			if err != nil {
				p.t.Fatalf("exit: %v, stderr %s", err, p.stderr)
			}
			return
		case <-guard:
			p.t.Fatal("no exit within 30 s of SIGTERM")
		}
	}
}

// receiver records the webhooks delivered to it.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	heads  []http.Header
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.heads = append(r.heads, req.Header.Clone())
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// verify reports whether h signs body with secret, as Svix does.
func verify(h http.Header, body []byte) bool {
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("svix-id") + "." + h.Get("svix-timestamp") + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return h.Get("svix-id") != "" && strings.Contains(h.Get("svix-signature"), want)
}

func TestCommand(t *testing.T) {
	bin := build(t)

	t.Run("an order walked over HTTP", func(t *testing.T) {
		var recv receiver
		hooks := httptest.NewServer(&recv)
		defer hooks.Close()
		p := startProcess(t, bin, []string{"JUNCTION_SANDBOX_WEBHOOK_URL=" + hooks.URL, "JUNCTION_SANDBOX_START=" + start},
			"-webhook-secret", secret, "-api-keys", apiKey+",sk_us_other")
		if status, _ := p.call(http.MethodGet, "/v3/order/area/info?zip_code=85004", "", nil); status != http.StatusUnauthorized {
			t.Fatalf("no key: %d", status)
		}
		if status, _ := p.call(http.MethodGet, "/v3/order/area/info?zip_code=85004", "sk_us_third", nil); status != http.StatusUnauthorized {
			t.Fatalf("another key: %d", status)
		}
		var placed struct{ Order struct{ ID string } }
		p.must(http.MethodPost, "/v3/order", map[string]any{
			"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227", "lab_test_id": "d0b479ec-afcc-4763-985c-4e23f17149f5",
			"patient_details": map[string]any{"first_name": "Ada", "last_name": "Lovelace", "dob": "1990-06-15",
				"gender": "female", "phone_number": "+16025550123", "email": "ada@example.com"},
			"patient_address": map[string]any{"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ",
				"zip": "85004", "country": "US", "access_notes": "Gate code 1234"}}, &placed)
		id := placed.Order.ID
		p.must(http.MethodPost, "/_sandbox/orders/"+id+"/create-requisition", nil, nil)
		var av struct {
			Slots []struct {
				Slots []struct {
					BookingKey string `json:"booking_key"`
				}
			}
		}
		p.must(http.MethodPost, "/v3/order/phlebotomy/appointment/availability",
			map[string]any{"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ", "zip_code": "85004"}, &av)
		p.must(http.MethodPost, "/v3/order/"+id+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": av.Slots[2].Slots[0].BookingKey}, nil)
		var clock struct{ Now time.Time }
		p.must(http.MethodPost, "/_sandbox/clock/advance", map[string]any{"by": "48h"}, &clock)
		if want, _ := time.Parse(time.RFC3339, start); !clock.Now.Equal(want.Add(48 * time.Hour)) {
			t.Fatalf("clock %s", clock.Now)
		}
		for _, step := range []string{"start-visit", "complete-draw", "results"} {
			p.must(http.MethodPost, "/_sandbox/orders/"+id+"/"+step, nil, nil)
		}
		var order struct {
			PatientAddress struct {
				AccessNotes string `json:"access_notes"`
			} `json:"patient_address"`
			LastEvent struct{ Status string } `json:"last_event"`
		}
		p.must(http.MethodGet, "/v3/order/"+id, nil, &order)
		if order.LastEvent.Status != "completed.at_home_phlebotomy.completed" || order.PatientAddress.AccessNotes != "Gate code 1234" {
			t.Fatalf("order %+v", order)
		}
		p.must(http.MethodPost, "/_sandbox/flush", nil, nil)
		var ds []struct {
			Type string
			OK   bool
		}
		p.must(http.MethodGet, "/_sandbox/deliveries", nil, &ds)
		recv.mu.Lock()
		got := len(recv.bodies)
		for i, b := range recv.bodies {
			if !verify(recv.heads[i], b) {
				t.Errorf("delivery %d not signed with the secret: %s", i, b)
			}
		}
		recv.mu.Unlock()
		if len(ds) == 0 || got != len(ds) || ds[0].Type != "labtest.order.created" || !ds[0].OK {
			t.Fatalf("%d deliveries logged (%+v), %d received", len(ds), ds, got)
		}
		status, out := p.call(http.MethodPost, "/_sandbox/orders/"+id+"/results", "", nil)
		if status != http.StatusBadRequest || !strings.Contains(string(out), "is not allowed") {
			t.Fatalf("results twice: %d %s", status, out)
		}
		p.must(http.MethodPost, "/_sandbox/reset", nil, nil)
		if status, _ := p.call(http.MethodGet, "/v3/order/"+id, apiKey, nil); status != http.StatusNotFound {
			t.Fatalf("after reset: %d", status)
		}
		p.stop()
		if last := p.lines[len(p.lines)-1]; last != "junction-sandbox: stopped" {
			t.Fatalf("last line %q", last)
		}
	})

	t.Run("a secret is made when none is given", func(t *testing.T) {
		hooks := httptest.NewServer(&receiver{})
		defer hooks.Close()
		p := startProcess(t, bin, nil, "-webhook-url", hooks.URL)
		if !strings.HasPrefix(p.lines[1], "junction-sandbox: webhook secret whsec_") {
			t.Fatalf("lines %q", p.lines)
		}
		p.stop()
	})

	t.Run("a clock that follows real time", func(t *testing.T) {
		p := startProcess(t, bin, []string{"JUNCTION_SANDBOX_CLOCK=real"}, "-start", start, "-speed", "36000")
		begin, _ := time.Parse(time.RFC3339, start)
		for deadline := time.Now().Add(30 * time.Second); ; { // a guard, not a timing
			var clock struct{ Now time.Time }
			p.must(http.MethodGet, "/_sandbox/clock", nil, &clock)
			if clock.Now.After(begin.Add(time.Hour)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the clock stays at %s", clock.Now)
			}
			time.Sleep(50 * time.Millisecond)
		}
		p.stop()
	})

	t.Run("bad flags", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			env  string
			want string
		}{
			{[]string{"-clock", "fast"}, "", "-clock"},
			{[]string{"-speed", "0"}, "", "-speed"},
			{[]string{"-start", "monday"}, "", "-start"},
			{[]string{"-chaos-seed", "x"}, "", "-chaos-seed"},
			{[]string{"-addr", "nowhere"}, "", "-addr"},
			{[]string{"-webhook-secret", secret}, "", "-webhook-url"},
			{[]string{"-webhook-url", "ftp://x", "-webhook-secret", secret}, "", "WithWebhookURL"},
			{[]string{"-nope"}, "", "-nope"},
			{nil, "JUNCTION_SANDBOX_PRE_REQUISITION=maybe", "-pre-requisition"},
		} {
			cmd := exec.Command(bin, tc.args...)
			cmd.Env = append(os.Environ(), tc.env)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errorsAs(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("%v %s: %v, stderr %q, want exit 2 naming %s", tc.args, tc.env, err, stderr.String(), tc.want)
			}
		}
	})
}

// errorsAs is errors.As for an *exec.ExitError.
func errorsAs(err error, target **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	if ok {
		*target = e
	}
	return ok
}
