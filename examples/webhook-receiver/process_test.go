package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
)

// buildOnce builds the receiver once per test binary, into binDir.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// receiverBinary returns the path of the receiver built with go build, as
// a deployment builds it.
func receiverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "webhook-receiver-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "webhook-receiver")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process runs the built receiver, restarts it when asked, and keeps what
// every run of it printed: the handler's lines on standard output, the log
// on standard error.
type process struct {
	t    *testing.T
	bin  string
	args []string
	env  []string

	mu     sync.Mutex // guards the running process; held while starting it
	cmd    *exec.Cmd
	url    string        // the endpoint's URL while running
	exited chan struct{} // closed once the running process has exited
	starts int

	outMu    sync.Mutex // guards what follows, written by the readers
	kills    int
	out, log []string // over every run
	// onLine, when set, is called with each line printed on standard
	// output; when it returns true the process printing it is killed at
	// once with SIGKILL.
	onLine func(string) bool
	// killed is the process onLine had killed last.
	killed *exec.Cmd
}

// newProcess returns a process running bin with args and the secret in
// its environment, plus env; it is not started yet, and is killed when
// the test ends.
func newProcess(t *testing.T, args []string, env ...string) *process {
	t.Helper()
	p := &process{t: t, bin: receiverBinary(t), args: args, env: env}
	t.Cleanup(func() {
		p.kill()
	})
	return p
}

// ensure starts the process unless it is running, and returns the URL of
// its endpoint.
func (p *process) ensure() (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		p.outMu.Lock()
		killed := p.killed == p.cmd
		p.outMu.Unlock()
		if killed { // by onLine: wait until it is gone
			<-p.exited
		}
		select {
		case <-p.exited:
			p.cmd = nil
		default:
			return p.url, nil
		}
	}
	return p.startLocked()
}

func (p *process) startLocked() (string, error) {
	cmd := exec.Command(p.bin, p.args...)
	dieWithTest(cmd)
	cmd.Env = append([]string{secretVar + "=" + secret, "PATH=" + os.Getenv("PATH")}, p.env...)
	outR, outW, err := os.Pipe()
	if err != nil {
		return "", err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return "", err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	err = cmd.Start()
	_ = outW.Close()
	_ = errW.Close()
	if err != nil {
		_ = outR.Close()
		_ = errR.Close()
		return "", err
	}
	p.starts++
	exited := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() { p.read(outR, cmd) })
	listening := make(chan string, 1)
	readers.Go(func() { p.readLog(errR, listening) })
	go func() {
		_ = cmd.Wait()
		readers.Wait()
		close(exited)
	}()
	select {
	case url := <-listening:
		p.cmd, p.exited, p.url = cmd, exited, url
		return url, nil
	case <-exited:
		return "", fmt.Errorf("the receiver exited before listening: %s", p.tailLog())
	}
}

// read keeps each line cmd prints on r, and kills cmd when onLine says
// so.
func (p *process) read(r io.ReadCloser, cmd *exec.Cmd) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p.outMu.Lock()
		p.out = append(p.out, sc.Text())
		hook := p.onLine
		p.outMu.Unlock()
		if hook != nil && hook(sc.Text()) {
			p.outMu.Lock()
			p.kills++
			p.killed = cmd
			p.outMu.Unlock()
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
	}
}

// readLog keeps the log and sends the endpoint's URL once the process
// logs that it listens.
func (p *process) readLog(r io.ReadCloser, listening chan<- string) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		p.outMu.Lock()
		p.log = append(p.log, line)
		p.outMu.Unlock()
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" && rec.URL != "" {
			select {
			case listening <- rec.URL:
			default:
			}
		}
	}
}

// tailLog returns the last lines of the log, to explain a failure.
func (p *process) tailLog() string {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	n := max(len(p.log)-20, 0)
	return strings.Join(p.log[n:], "\n")
}

// kill kills the running process with SIGKILL, if any, and waits until
// it has exited.
func (p *process) kill() {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	p.mu.Unlock()
	if cmd != nil {
		p.outMu.Lock()
		p.kills++
		p.outMu.Unlock()
	}
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// stop asks the running process to stop with SIGTERM and waits until it
// has exited, returning its exit status (0 when none was running).
func (p *process) stop() int {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return 0
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	<-exited
	return cmd.ProcessState.ExitCode()
}

// lines returns what every run printed on standard output so far.
func (p *process) lines() []string {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	return append([]string(nil), p.out...)
}

// forwarder is the network between the sandbox and the receiver's
// processes: it sends each delivery to one of them in turn, re-signed at
// the wall clock's time (the receiver verifies with the system clock, the
// sandbox signs at its virtual time), and, when kill says so, kills the
// process while it handles the delivery. A delivery that gets no answer is
// answered 502, so that the sandbox retries it.
type forwarder struct {
	t     *testing.T
	procs []*process
	// kill, when set, says whether to kill the process during this
	// delivery, and after how long.
	kill func() (bool, time.Duration)

	mu   sync.Mutex
	next int
	// killedInFlight counts the deliveries killed before they were
	// answered.
	killedInFlight int
}

func (f *forwarder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadGateway)
		return
	}
	id := r.Header.Get(webhook.HeaderID)
	h, err := webhook.Sign(secret, id, time.Now(), body)
	if err != nil {
		http.Error(w, "sign", http.StatusInternalServerError)
		return
	}
	f.mu.Lock()
	p := f.procs[f.next%len(f.procs)]
	f.next++
	kill, after := false, time.Duration(0)
	if f.kill != nil {
		kill, after = f.kill()
	}
	f.mu.Unlock()
	url, err := p.ensure()
	if err != nil {
		f.t.Errorf("starting the receiver: %v", err)
		http.Error(w, "start", http.StatusBadGateway)
		return
	}
	answered := make(chan error, 1)
	status := 0
	go func() {
		var err error
		status, err = request(http.MethodPost, url, h, body)
		answered <- err
	}()
	if kill {
		time.Sleep(after)
		p.kill()
	}
	if err := <-answered; err != nil {
		if kill {
			f.mu.Lock()
			f.killedInFlight++
			f.mu.Unlock()
		}
		status = http.StatusBadGateway
	}
	w.WriteHeader(status)
}

// killer returns a forwarder's kill function: about one delivery in every
// n, drawn from seed, kills the process within the first max of its
// handling.
func killer(seed uint64, n int, max time.Duration) func() (bool, time.Duration) {
	rng := rand.New(rand.NewPCG(seed, 1))
	return func() (bool, time.Duration) {
		return rng.IntN(n) == 0, time.Duration(rng.Int64N(int64(max)))
	}
}
