package sandbox_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
)

// TestWebhookReceiverProgram runs the examples/webhook-receiver program and
// points the sandbox's webhooks at it: the program must print each change
// of the orders once, as a consumer recording into track in process sees
// them. The program verifies deliveries at the wall clock, so the sandbox's
// virtual clock starts at the wall clock and the test does not advance it.
func TestWebhookReceiverProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the program with")
	}
	bin := filepath.Join(t.TempDir(), "webhook-receiver")
	if out, err := exec.Command(goBin, "build", "-o", bin, "../examples/webhook-receiver").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	start := time.Now().UTC().Truncate(time.Second) // the program verifies at the wall clock

	// What a consumer recording into track in process sees.
	want := new(strings.Builder)
	c := newConsumer(t, sandbox.WithStart(start), sandbox.WithPreRequisitionScheduling())
	ids := receiverStory(c)
	c.srv.Flush()
	for _, ch := range c.changes {
		fmt.Fprintf(want, "%s %s\n", changeOrder(ch), ch)
	}
	if n := strings.Count(want.String(), "\n"); n < 10 {
		t.Fatalf("the story makes %d changes", n)
	}

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "receiver.db"))
	cmd.Env = append(os.Environ(), "JUNCTION_WEBHOOK_SECRET="+testSecret)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	url := make(chan string, 1)
	logged := make(chan string, 1)
	go func() {
		var log strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			log.WriteString(line + "\n")
			var rec struct{ Msg, URL string } // the program logs JSON lines
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				url <- rec.URL
			}
		}
		logged <- log.String()
	}()
	var endpoint string
	select {
	case endpoint = <-url:
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not say where it listens")
	}

	p, d := newPlain(t, sandbox.WithStart(start), sandbox.WithPreRequisitionScheduling(),
		sandbox.WithWebhookURL(endpoint, testSecret))
	if got := receiverStory(d); strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("orders %v, want %v", got, ids)
	}
	p.Flush()
	for _, del := range p.Deliveries() {
		if !del.OK {
			t.Errorf("delivery %v", del)
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the program: %v\n%s", err, <-logged)
	}
	// Each line ends with the change's key: " key=ord-1/order_step/2".
	printed := new(strings.Builder)
	for line := range strings.Lines(stdout.String()) {
		change, _, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " key=")
		printed.WriteString(change + "\n")
	}
	if printed.String() != want.String() {
		t.Fatalf("the program printed\n%s\nwant\n%s\nlog:\n%s", printed.String(), want.String(), <-logged)
	}
}

// receiverStory drives two orders without moving the clock, and returns
// their ids.
func receiverStory(c *consumer) []string {
	c.t.Helper()
	a := c.placeOrder(phoenix, nil)
	c.must(http.MethodPost, "/v3/order/"+a.ID+"/test?final_status=completed", nil)
	b := c.placeOrder(onalaska, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a09"})
	c.request(b.ID)
	c.must(http.MethodPatch, "/v3/order/"+b.ID+"/phlebotomy/appointment/cancel",
		map[string]any{"cancellation_reason_id": "5330c863-ac80-4316-901b-d305d0df74d5"})
	return []string{a.ID, b.ID}
}
