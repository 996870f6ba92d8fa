package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestOutput checks the demonstration against testdata/output.golden;
// run with -update to rewrite it.
func TestOutput(t *testing.T) {
	var out, errs bytes.Buffer
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out, &errs))
	golden := filepath.Join("testdata", "output.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String(), "run go test -update to accept")
	assert.Empty(t, errs.String())
}

// backend serves a back end against a sandbox and returns the back end's
// URL with the sandbox.
func backend(t *testing.T, opts ...junction.Option) (string, *sandbox.Server) {
	t.Helper()
	sb, err := sandbox.NewServer(sandbox.WithStart(demoStart))
	require.NoError(t, err)
	t.Cleanup(sb.Close)
	c, err := junction.New("sk_us_test", append([]junction.Option{junction.WithBaseURL(sb.URL), junction.WithClock(sb.Now),
		junction.WithLeadTime()}, opts...)...)
	require.NoError(t, err)
	srv := httptest.NewServer(NewBackend(c, sb.Now).Handler())
	t.Cleanup(srv.Close)
	return srv.URL, sb
}

// do sends body to the back end and returns the status and the answer.
func do(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &out), "%s", data)
	return resp.StatusCode, out
}

const newOrder = `{"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227", "lab_test_id": "d0b479ec-afcc-4763-985c-4e23f17149f5",
 "patient_details": {"first_name": "Ada", "last_name": "Lovelace", "dob": "1990-06-15", "gender": "female",
  "phone_number": "+16025550123", "email": "ada@example.com"},
 "patient_address": {"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ", "zip": "ZIP", "country": "US"}}`

func TestBackend(t *testing.T) {
	base, sb := backend(t)
	status, placed := do(t, http.MethodPost, base+"/orders", strings.Replace(newOrder, "ZIP", "85004", 1))
	require.Equal(t, http.StatusCreated, status, placed)
	id := placed["order_id"].(string)
	appt := base + "/orders/" + id + "/appointment"

	status, body := do(t, http.MethodGet, base+"/orders/"+id+"/slots", "")
	require.Equal(t, http.StatusOK, status, body)
	slots := body["slots"].([]any)
	key := func(i int) string { return slots[i].(map[string]any)["booking_key"].(string) }
	assert.Equal(t, "America/Phoenix", body["timezone"])

	status, body = do(t, http.MethodPost, appt, `{"booking_key": "`+key(20)+`"}`)
	assert.Equal(t, http.StatusConflict, status, "no requisition yet: %v", body)
	require.NoError(t, sb.Apply(id, scheduling.Flow.CreateRequisition))
	status, body = do(t, http.MethodPost, appt, `{"booking_key": "`+key(0)+`"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, status, "too soon: %v", body)
	assert.Contains(t, body["error"], "48h")
	status, body = do(t, http.MethodPost, appt, `{"booking_key": "`+key(20)+`"}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "confirmed", body["status"])
	status, body = do(t, http.MethodPost, appt, `{"booking_key": "`+key(21)+`"}`)
	assert.Equal(t, http.StatusConflict, status, "one active appointment: %v", body)
	status, body = do(t, http.MethodPatch, appt, `{"booking_key": "`+key(22)+`", "notes": "ring twice"}`)
	require.Equal(t, http.StatusOK, status, body)
	o, err := sb.Order(id)
	require.NoError(t, err)
	assert.Equal(t, order.AppointmentScheduled, o.Status())

	status, body = do(t, http.MethodDelete, appt+"?reason=nope", "")
	assert.Equal(t, http.StatusUnprocessableEntity, status, body)
	status, body = do(t, http.MethodDelete, appt, "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "cancelled", body["status"])
	status, _ = do(t, http.MethodPatch, appt, `{"booking_key": "`+key(23)+`"}`)
	assert.Equal(t, http.StatusConflict, status)
}

func TestBackendRefusals(t *testing.T) {
	base, _ := backend(t)
	unknown := base + "/orders/00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name, method, url, body string
		status                  int
	}{
		{"order not JSON", http.MethodPost, base + "/orders", `{`, http.StatusBadRequest},
		{"order without patient", http.MethodPost, base + "/orders", `{"user_id": "u"}`, http.StatusUnprocessableEntity},
		{"slots of an unknown order", http.MethodGet, unknown + "/slots", ``, http.StatusNotFound},
		{"book an unknown order", http.MethodPost, unknown + "/appointment", `{"booking_key": "k"}`, http.StatusNotFound},
		{"book without a body", http.MethodPost, unknown + "/appointment", ``, http.StatusBadRequest},
		{"reschedule without a body", http.MethodPatch, unknown + "/appointment", ``, http.StatusBadRequest},
		{"reschedule an unknown order", http.MethodPatch, unknown + "/appointment", `{"booking_key": "k"}`, http.StatusNotFound},
		{"cancel for an unknown order", http.MethodDelete, unknown + "/appointment", ``, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, tt.method, tt.url, tt.body)
			assert.Equal(t, tt.status, status, body)
			assert.NotEmpty(t, body["error"])
		})
	}

	// An area without an appointment-ready provider.
	status, placed := do(t, http.MethodPost, base+"/orders", strings.Replace(newOrder, "ZIP", "54650", 1))
	require.Equal(t, http.StatusCreated, status, placed)
	status, body := do(t, http.MethodGet, base+"/orders/"+placed["order_id"].(string)+"/slots", "")
	assert.Equal(t, http.StatusUnprocessableEntity, status, body)

	// Junction cannot be reached.
	c, err := junction.New("k", junction.WithBaseURL("http://127.0.0.1:1"), junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	srv := httptest.NewServer(NewBackend(c, time.Now).Handler())
	defer srv.Close()
	status, body = do(t, http.MethodDelete, srv.URL+"/orders/x/appointment", "")
	assert.Equal(t, http.StatusBadGateway, status, body)
}

func TestForget(t *testing.T) {
	now := demoStart
	b := NewBackend(nil, func() time.Time { return now })
	for i := range maxOffered - 1 {
		b.offered["k"+strconv.Itoa(i)] = offer{slot: junction.TimeSlot{ExpiresAt: now.Add(time.Duration(i%2) * time.Hour)}}
	}
	b.forget()
	assert.Equal(t, maxOffered-1, len(b.offered), "below the bound, nothing is dropped")
	b.offered["x"] = offer{}
	b.forget()
	assert.Equal(t, maxOffered/2, len(b.offered), "the expired ones go")
	for i := range maxOffered {
		b.offered["y"+strconv.Itoa(i)] = offer{}
	}
	b.forget()
	assert.Equal(t, 0, len(b.offered), "then everything")
}

func TestServe(t *testing.T) {
	sb, err := sandbox.NewServer(sandbox.WithStart(demoStart))
	require.NoError(t, err)
	defer sb.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	env := map[string]string{"JUNCTION_API_KEY": "sk_us_test", "JUNCTION_BASE_URL": sb.URL}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr}, func(k string) string { return env[k] }, io.Discard, &stderr)
	}()
	var resp *http.Response
	for range 200 {
		if resp, err = http.Get("http://" + addr + "/orders/x/slots"); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "the sandbox refuses a bad order id")
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, stderr.String(), "serving on http://"+addr)

	// Bad flags, help, a bad base URL, an address in use.
	assert.Error(t, run(context.Background(), []string{"-nope"}, func(string) string { return "" }, io.Discard, io.Discard))
	assert.NoError(t, run(context.Background(), []string{"-h"}, func(string) string { return "" }, io.Discard, io.Discard))
	env["JUNCTION_BASE_URL"] = "ftp://x"
	assert.ErrorIs(t, run(context.Background(), nil, func(k string) string { return env[k] }, io.Discard, io.Discard), junction.ErrConfig)
	env["JUNCTION_BASE_URL"] = ""
	assert.Error(t, run(context.Background(), []string{"-addr", "127.0.0.1:-1"}, func(k string) string { return env[k] }, io.Discard, io.Discard))
}
