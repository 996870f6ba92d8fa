package junction

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
)

// call is one endpoint call, as [Client.do] sends it.
type call struct {
	op     string     // the method's name, for errors
	method string     // GET, POST or PATCH
	path   string     // escaped, from the first slash
	query  url.Values // nil for none
	body   []byte     // nil for none
	retry  bool       // whether sending it again cannot repeat its effect
	key    string     // the idempotency key, if any
}

// CallOption configures one call: pass options after a method's request.
type CallOption func(*callConfig)

// callConfig is what a call's options set.
type callConfig struct {
	key    string
	keySet bool
	facts  *Facts
}

// WithIdempotencyKey sends key in the X-Idempotency-Key header, so that
// Junction answers a repeated request with its first result (Junction
// documents this for create order) and the client may retry the call as
// [RetryPolicy] says. On CreateOrder it replaces the key the client makes;
// an empty key there sends none, and turns its retries off.
func WithIdempotencyKey(key string) CallOption {
	return func(c *callConfig) { c.key, c.keySet = key, true }
}

// options applies opts.
func options(opts []CallOption) callConfig {
	var c callConfig
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// answer is an answer as [Client.send] read it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends k as the client's retry policy says, and decodes a successful
// answer's body into out (nothing when out is nil).
func (c *Client) do(ctx context.Context, k call, out any) error {
	if ctx == nil {
		return &RequestError{Op: k.op, Err: errors.New("nil context")}
	}
	start := c.now()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return &RequestError{Op: k.op, Attempts: attempt - 1, Err: err}
		}
		a, err := c.send(ctx, k)
		var last error
		retry := k.retry
		var wait time.Duration
		switch {
		case err != nil:
			var de *DecodeError
			if errors.As(err, &de) {
				return err
			}
			last = &RequestError{Op: k.op, Attempts: attempt, Err: err}
			retry = retry && ctx.Err() == nil
		case a.status >= 200 && a.status <= 299:
			return c.decode(k.op, a, out)
		default:
			e := apiError(k.op, a)
			last = e
			retry = retry && retryable(a.status)
			if d, ok := retryAfter(e.RetryAfter, c.now()); ok {
				wait = d
			}
		}
		if !retry || attempt >= c.retry.MaxAttempts {
			return last
		}
		if wait == 0 {
			wait = c.retry.backoff(attempt, c.jitter())
		}
		if c.now().Add(wait).Sub(start) > c.retry.MaxElapsed {
			return last
		}
		if err := c.sleep(ctx, wait); err != nil {
			return &RequestError{Op: k.op, Attempts: attempt, Err: err, Last: last}
		}
	}
}

// send sends k once and reads the answer, up to the client's bound. A
// body over the bound is a *DecodeError; any other error is the
// transport's.
func (c *Client) send(ctx context.Context, k call) (answer, error) {
	u := c.base + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	var body io.Reader
	if k.body != nil {
		body = bytes.NewReader(k.body)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, u, body)
	if err != nil {
		return answer{}, err
	}
	h := req.Header
	h["X-Vital-Api-Key"] = []string{c.key}
	h["User-Agent"] = []string{c.agent}
	h["Accept"] = []string{"application/json"}
	if k.body != nil {
		h["Content-Type"] = []string{"application/json"}
	}
	if k.key != "" {
		h["X-Idempotency-Key"] = []string{k.key}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return answer{}, err
	}
	if int64(len(data)) > c.maxBody {
		return answer{}, &DecodeError{Op: k.op, StatusCode: resp.StatusCode,
			Reason: "answer larger than " + strconv.FormatInt(c.maxBody, 10) + " bytes"}
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// decode decodes a successful answer's body into out.
func (c *Client) decode(op string, a answer, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		de := decodeError(err)
		de.Op, de.StatusCode = op, a.status
		return de
	}
	return nil
}

// apiError returns the error of an answer that is not a success, with
// Junction's detail when its body is Junction's error body.
func apiError(op string, a answer) *APIError {
	e := &APIError{Op: op, StatusCode: a.status, RetryAfter: a.header.Get("Retry-After")}
	if b, err := DecodeErrorBody(a.body); err == nil {
		e.Detail = b.Detail
	}
	return e
}
