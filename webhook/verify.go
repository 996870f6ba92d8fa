package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/phlebkit/phlebkit/webhook/internal/secret"
)

// The headers Junction's deliveries carry (Junction delivers through Svix).
// Verification also reads the webhook-id, webhook-timestamp and
// webhook-signature spelling of the Standard Webhooks specification when
// all three svix- headers are absent, as Svix's own libraries do.
const (
	// HeaderID is the message id, the same on every retry of one message:
	// the key that makes processing idempotent.
	HeaderID = "svix-id"
	// HeaderTimestamp is when the attempt was sent, in Unix seconds.
	HeaderTimestamp = "svix-timestamp"
	// HeaderSignature is a space-separated list of "v1,<base64 signature>"
	// entries: several while a secret is being rotated.
	HeaderSignature = "svix-signature"
)

// secretPrefix starts the secrets Junction shows in its dashboard.
const secretPrefix = "whsec_"

// Tolerance is how far a delivery's timestamp may be from the time of
// verification, either way.
const Tolerance = 5 * time.Minute

// Verifier checks that deliveries come from Junction: it holds the
// endpoint's signing secrets, decoded once. It is safe for concurrent use.
type Verifier struct {
	keys []*key
}

// key is one secret with a pool of HMAC states keyed with it, so that
// verifying does not set up HMAC anew each time.
type key struct {
	pool sync.Pool // of *mac
}

// mac is an HMAC state keyed with one secret and a buffer for the signed
// content's prefix.
type mac struct {
	h   hash.Hash
	pre []byte
	sum [sha256.Size]byte
}

func newKey(secret []byte) *key {
	k := &key{}
	k.pool.New = func() any { return &mac{h: hmac.New(sha256.New, secret), pre: make([]byte, 0, 64)} }
	return k
}

// sign appends the base64 signature of id.timestamp.body to dst.
func (k *key) sign(dst []byte, id, timestamp string, body []byte) []byte {
	m := k.pool.Get().(*mac)
	m.h.Reset()
	m.pre = append(append(append(append(m.pre[:0], id...), '.'), timestamp...), '.')
	m.h.Write(m.pre)
	m.h.Write(body)
	m.h.Sum(m.sum[:0])
	dst = base64.StdEncoding.AppendEncode(dst, m.sum[:])
	if cap(m.pre) <= 1024 { // an unusually long id does not stay in the pool
		k.pool.Put(m)
	}
	return dst
}

// NewVerifier returns a verifier that accepts a delivery signed with any of
// secrets: the endpoint's signing secret as Junction shows it
// ("whsec_" and base64, the prefix optional as in Svix's libraries), or
// several while the endpoint's secret is rotated. No secret, or one that is
// empty or not base64, is an error wrapping [ErrInvalidSecret].
func NewVerifier(secrets ...string) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, &secretError{"no secret given"}
	}
	v := &Verifier{keys: make([]*key, len(secrets))}
	for i, s := range secrets {
		b, err := decodeSecret(s)
		if err != nil {
			return nil, err
		}
		v.keys[i] = newKey(b)
	}
	return v, nil
}

func decodeSecret(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, secretPrefix))
	if err != nil {
		return nil, &secretError{"not base64 after the " + secretPrefix + " prefix"}
	}
	if len(b) == 0 {
		return nil, &secretError{"empty"}
	}
	return b, nil
}

// headers are the three signing headers of a delivery, and the names of
// the spelling it uses, for errors.
type headers struct {
	id, timestamp, signature string
	names                    *[3]string // id, timestamp, signature
}

// The names of the signing headers in each spelling.
var (
	svixNames     = [3]string{HeaderID, HeaderTimestamp, HeaderSignature}
	standardNames = [3]string{"webhook-id", "webhook-timestamp", "webhook-signature"}
)

// readHeaders returns the svix- headers of h, or the webhook- ones when the
// three svix- headers are all absent or empty.
func readHeaders(h map[string][]string) headers {
	hs := headers{get(h, "Svix-Id"), get(h, "Svix-Timestamp"), get(h, "Svix-Signature"), &svixNames}
	if hs.id == "" && hs.timestamp == "" && hs.signature == "" {
		std := headers{get(h, "Webhook-Id"), get(h, "Webhook-Timestamp"), get(h, "Webhook-Signature"), &standardNames}
		if std.id != "" || std.timestamp != "" || std.signature != "" {
			return std
		}
	}
	return hs
}

// get returns the first value of the header named name, which is in
// canonical form ("Svix-Id"). It looks the canonical key up first, as
// net/http stores a request's headers, so that they are read without
// allocating; then any key equal to name up to case, as a map built by
// hand may spell it ("svix-id").
func get(h map[string][]string, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	for k, v := range h {
		if len(v) > 0 && strings.EqualFold(k, name) {
			return v[0]
		}
	}
	return ""
}

// Verify checks that body, with the headers h of its delivery, was signed
// by Junction with one of v's secrets, at a time within [Tolerance] of now:
// the Svix scheme. The signed content is "{svix-id}.{svix-timestamp}.{body}",
// signed with HMAC-SHA256; any "v1," entry of svix-signature may match,
// others ("v2,…") are ignored, and signatures are compared in constant
// time. A timestamp exactly 5 minutes away either way is accepted.
//
// Every failure is a *[VerifyError] wrapping [ErrUnverified] and the
// reason: [ErrMissingHeader], [ErrMalformedHeader], [ErrStaleTimestamp],
// [ErrFutureTimestamp] or [ErrNoSignature]. The body is never part of the
// error. A nil or zero Verifier verifies nothing: [ErrNoSignature].
func (v *Verifier) Verify(h map[string][]string, body []byte, now time.Time) error {
	_, err := v.verify(h, body, now)
	return err
}

// verify is Verify, returning the message id of a verified delivery.
func (v *Verifier) verify(h map[string][]string, body []byte, now time.Time) (string, error) {
	hs := readHeaders(h)
	for _, c := range [...]struct{ name, value string }{
		{hs.names[0], hs.id}, {hs.names[1], hs.timestamp}, {hs.names[2], hs.signature},
	} {
		if c.value == "" {
			return "", &VerifyError{Err: ErrMissingHeader, Header: c.name}
		}
	}
	sec, err := strconv.ParseInt(hs.timestamp, 10, 64)
	var canon [20]byte
	if err != nil || string(strconv.AppendInt(canon[:0], sec, 10)) != hs.timestamp || sec < minUnix || sec > maxUnix {
		return "", &VerifyError{Err: ErrMalformedHeader, Header: hs.names[1]}
	}
	sent := time.Unix(sec, 0).UTC()
	if now.Sub(sent) > Tolerance {
		return "", &VerifyError{Err: ErrStaleTimestamp, Header: hs.names[1], Sent: sent, Now: now}
	}
	if sent.Sub(now) > Tolerance {
		return "", &VerifyError{Err: ErrFutureTimestamp, Header: hs.names[1], Sent: sent, Now: now}
	}
	if v != nil {
		var buf [64]byte
		for _, k := range v.keys {
			want := k.sign(buf[:0], hs.id, hs.timestamp, body)
			if matches(hs.signature, want) {
				return hs.id, nil
			}
		}
	}
	return "", &VerifyError{Err: ErrNoSignature, Header: hs.names[2]}
}

// The range of timestamps a time.Time holds without overflow when compared
// with another: far beyond any real delivery either way.
const (
	minUnix = -(1 << 40)
	maxUnix = 1 << 40
)

// matches reports whether one "v1," entry of the space-separated list sigs
// is want, comparing in constant time.
func matches(sigs string, want []byte) bool {
	found := 0
	for entry := range strings.SplitSeq(sigs, " ") {
		sig, ok := strings.CutPrefix(entry, "v1,")
		if !ok {
			continue
		}
		found |= subtle.ConstantTimeCompare([]byte(sig), want)
	}
	return found == 1
}

// Sign returns the headers of a delivery of body with message id id, sent
// at at, signed with v's first secret: what a test server needs to call a
// webhook endpoint as Junction would. The timestamp is at in whole Unix
// seconds. The headers are keyed by their canonical names ("Svix-Id"), as
// net/http keys them, so that the map is an http.Header as it is
// (req.Header = h) or merged into one. A nil or zero Verifier has no secret
// and returns nil.
func (v *Verifier) Sign(id string, at time.Time, body []byte) map[string][]string {
	if v == nil || len(v.keys) == 0 {
		return nil
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := v.keys[0].sign([]byte("v1,"), id, ts, body)
	return map[string][]string{
		"Svix-Id":        {id},
		"Svix-Timestamp": {ts},
		"Svix-Signature": {string(sig)},
	}
}

// Sign is [Verifier.Sign] with one secret: the headers of a delivery of
// body with message id id, sent at at. A bad secret is an error wrapping [ErrInvalidSecret].
func Sign(secret, id string, at time.Time, body []byte) (map[string][]string, error) {
	v, err := NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	return v.Sign(id, at, body), nil
}

func init() {
	secret.Held = func(v any) bool {
		w, _ := v.(*Verifier)
		return w != nil && len(w.keys) > 0
	}
}
