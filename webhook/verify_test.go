package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/webhook/internal/secret"
)

// The test vector Svix publishes.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTS     = "1614265330"
	vectorBody   = `{"test": 2432232314}`
	vectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var vectorTime = time.Unix(1614265330, 0)

// mustVerifier returns the verifier of secrets, hard-coded valid ones.
func mustVerifier(secrets ...string) *Verifier {
	v, err := NewVerifier(secrets...)
	if err != nil {
		panic(err)
	}
	return v
}

// verifyWith verifies with one secret, decoded on each call: the error of
// NewVerifier, or of Verify.
func verifyWith(secret string, h map[string][]string, body []byte, now time.Time) error {
	v, err := NewVerifier(secret)
	if err != nil {
		return err
	}
	return v.Verify(h, body, now)
}

func vectorHeader(sig string) http.Header {
	h := http.Header{}
	h.Set(HeaderID, vectorID)
	h.Set(HeaderTimestamp, vectorTS)
	h.Set(HeaderSignature, sig)
	return h
}

func TestVector(t *testing.T) {
	require.NoError(t, verifyWith(vectorSecret, vectorHeader(vectorSig), []byte(vectorBody), vectorTime))
	h, err := Sign(vectorSecret, vectorID, vectorTime, []byte(vectorBody))
	require.NoError(t, err)
	assert.Equal(t, vectorHeader(vectorSig), http.Header(h), "Sign writes the published signature")
	// The same by hand, with the standard library alone.
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(vectorSecret, "whsec_"))
	require.NoError(t, err)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(vectorID + "." + vectorTS + "." + vectorBody))
	assert.Equal(t, vectorSig, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
}

// otherSecret is a second valid secret, as after a rotation.
const otherSecret = "whsec_" + "c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24="

func TestVerifyHeaders(t *testing.T) {
	body := []byte(vectorBody)
	other, err := Sign(otherSecret, vectorID, vectorTime, body)
	require.NoError(t, err)
	otherSig := http.Header(other).Get(HeaderSignature)
	wrongB64 := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE" // padding cut
	for _, c := range []struct {
		name   string
		header http.Header
		want   error // nil for accepted
	}{
		{"valid", vectorHeader(vectorSig), nil},
		{"missing id", func() http.Header { h := vectorHeader(vectorSig); h.Del(HeaderID); return h }(), ErrMissingHeader},
		{"missing timestamp", func() http.Header { h := vectorHeader(vectorSig); h.Del(HeaderTimestamp); return h }(), ErrMissingHeader},
		{"missing signature", func() http.Header { h := vectorHeader(vectorSig); h.Del(HeaderSignature); return h }(), ErrMissingHeader},
		{"no headers", http.Header{}, ErrMissingHeader},
		{"empty signature", vectorHeader(""), ErrMissingHeader},
		{"empty id", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderID, ""); return h }(), ErrMissingHeader},
		{"one good among several", vectorHeader(otherSig + " " + vectorSig + " v1,AAAA"), nil},
		{"good signature last after a v2", vectorHeader("v2,abc " + vectorSig), nil},
		{"only a v2 entry", vectorHeader("v2," + strings.TrimPrefix(vectorSig, "v1,")), ErrNoSignature},
		{"wrong base64", vectorHeader(wrongB64), ErrNoSignature},
		{"not base64 at all", vectorHeader("v1,!!!!"), ErrNoSignature},
		{"entry without a comma", vectorHeader("v1" + strings.TrimPrefix(vectorSig, "v1,")), ErrNoSignature},
		{"signed with another secret", vectorHeader(otherSig), ErrNoSignature},
		{"signature of another id", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderID, "msg_other"); return h }(), ErrNoSignature},
		{"timestamp not a number", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderTimestamp, "soon"); return h }(), ErrMalformedHeader},
		{"timestamp with a sign", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderTimestamp, "+"+vectorTS); return h }(), ErrMalformedHeader},
		{"timestamp with a leading zero", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderTimestamp, "0"+vectorTS); return h }(), ErrMalformedHeader},
		{"timestamp beyond any date", func() http.Header {
			h := vectorHeader(vectorSig)
			h.Set(HeaderTimestamp, "9223372036854775807")
			return h
		}(), ErrMalformedHeader},
		{"standard webhooks headers", http.Header{
			"Webhook-Id": {vectorID}, "Webhook-Timestamp": {vectorTS}, "Webhook-Signature": {vectorSig},
		}, nil},
		{"svix headers win over webhook ones", func() http.Header {
			h := vectorHeader(vectorSig)
			h.Set("webhook-signature", "v1,AAAA")
			return h
		}(), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := c.header.Clone()
			err := verifyWith(vectorSecret, c.header, body, vectorTime)
			assert.Equal(t, before, c.header, "Verify must not change the headers")
			if c.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, c.want)
			require.ErrorIs(t, err, ErrUnverified)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			assert.NotContains(t, err.Error(), vectorBody)
			assert.Regexp(t, `^webhook: `, err.Error())
		})
	}
}

// TestTimestampRange checks the bounds of the timestamps read: beyond
// them a timestamp is malformed, within them only out of tolerance.
func TestTimestampRange(t *testing.T) {
	body := []byte(vectorBody)
	for _, c := range []struct {
		ts   int64
		want error
	}{
		{maxUnix, ErrFutureTimestamp},
		{maxUnix + 1, ErrMalformedHeader},
		{minUnix, ErrStaleTimestamp},
		{minUnix - 1, ErrMalformedHeader},
		{0, ErrStaleTimestamp},
	} {
		h := vectorHeader(vectorSig)
		h.Set(HeaderTimestamp, strconv.FormatInt(c.ts, 10))
		err := verifyWith(vectorSecret, h, body, vectorTime)
		require.ErrorIs(t, err, c.want, "timestamp %d", c.ts)
	}
	// The bounds as written in a header: 2^40 seconds either side of 1970.
	for ts, want := range map[string]error{
		"1099511627776":  ErrFutureTimestamp,
		"1099511627777":  ErrMalformedHeader,
		"-1":             ErrStaleTimestamp,
		"-1099511627776": ErrStaleTimestamp,
		"-1099511627777": ErrMalformedHeader,
	} {
		h := vectorHeader(vectorSig)
		h.Set(HeaderTimestamp, ts)
		require.ErrorIs(t, verifyWith(vectorSecret, h, body, vectorTime), want, "timestamp %s", ts)
	}
}

// TestVerifyReusesState checks that verifying reuses the pooled HMAC
// states, whatever the id's length up to the pool's bound, and does not
// allocate.
func TestVerifyReusesState(t *testing.T) {
	v := mustVerifier(vectorSecret)
	body := []byte(vectorBody)
	for _, n := range []int{len(vectorID), 1000} {
		id := strings.Repeat("m", n)
		h := v.Sign(id, vectorTime, body)
		require.NoError(t, v.Verify(h, body, vectorTime))
		allocs := testing.AllocsPerRun(100, func() {
			if err := v.Verify(h, body, vectorTime); err != nil {
				t.Fatal(err)
			}
		})
		if !raceEnabled {
			assert.Less(t, allocs, 1.0, "id of %d bytes", n)
		}
	}
}

func TestRotatedSecret(t *testing.T) {
	body := []byte(vectorBody)
	h, err := Sign(otherSecret, vectorID, vectorTime, body)
	require.NoError(t, err)
	v := mustVerifier(vectorSecret, otherSecret)
	require.NoError(t, v.Verify(h, body, vectorTime), "the second secret verifies")
	require.NoError(t, v.Verify(vectorHeader(vectorSig), body, vectorTime), "the first one still does")
	require.ErrorIs(t, mustVerifier(vectorSecret).Verify(h, body, vectorTime), ErrNoSignature)
	// The secret without its prefix, as Svix's libraries accept it.
	require.NoError(t, verifyWith(strings.TrimPrefix(vectorSecret, "whsec_"), vectorHeader(vectorSig), body, vectorTime))
}

func TestTolerance(t *testing.T) {
	body := []byte(vectorBody)
	for _, c := range []struct {
		now  time.Duration // from the delivery's timestamp
		want error
	}{
		{0, nil},
		{Tolerance, nil},
		{Tolerance + time.Nanosecond, ErrStaleTimestamp},
		{Tolerance + time.Second, ErrStaleTimestamp},
		{-Tolerance, nil},
		{-Tolerance - time.Nanosecond, ErrFutureTimestamp},
		{-Tolerance - time.Second, ErrFutureTimestamp},
		{-24 * time.Hour, ErrFutureTimestamp},
		{24 * time.Hour, ErrStaleTimestamp},
	} {
		t.Run(c.now.String(), func(t *testing.T) {
			err := verifyWith(vectorSecret, vectorHeader(vectorSig), body, vectorTime.Add(c.now))
			if c.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, c.want)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			assert.True(t, ve.Sent.Equal(vectorTime))
			assert.True(t, ve.Now.Equal(vectorTime.Add(c.now)))
		})
	}
	err := verifyWith(vectorSecret, vectorHeader(vectorSig), body, vectorTime.Add(6*time.Minute))
	assert.EqualError(t, err, "webhook: timestamp too old: svix-timestamp 2021-02-25T15:02:10Z is 6m0s before 2021-02-25T15:08:10Z")
	err = verifyWith(vectorSecret, vectorHeader(vectorSig), body, vectorTime.Add(-6*time.Minute))
	assert.EqualError(t, err, "webhook: timestamp too new: svix-timestamp 2021-02-25T15:02:10Z is 6m0s after 2021-02-25T14:56:10Z")
}

func TestBadSecrets(t *testing.T) {
	for name, secrets := range map[string][]string{
		"none":           nil,
		"empty":          {""},
		"prefix only":    {"whsec_"},
		"not base64":     {"whsec_not*base64"},
		"one bad of two": {vectorSecret, "whsec_%%%"},
	} {
		t.Run(name, func(t *testing.T) {
			v, err := NewVerifier(secrets...)
			assert.Nil(t, v)
			require.ErrorIs(t, err, ErrInvalidSecret)
			var se *secretError
			require.ErrorAs(t, err, &se)
			for _, s := range secrets {
				if s != "" && s != "whsec_" {
					assert.NotContains(t, err.Error(), strings.TrimPrefix(s, "whsec_"), "the secret is never in the error")
				}
			}
		})
	}
	require.ErrorIs(t, verifyWith("", vectorHeader(vectorSig), nil, vectorTime), ErrInvalidSecret)
	_, err := Sign("whsec_", "id", vectorTime, nil)
	require.ErrorIs(t, err, ErrInvalidSecret)
	assert.Panics(t, func() { mustVerifier() })
}

func TestZeroVerifier(t *testing.T) {
	for _, v := range []*Verifier{nil, {}} {
		require.ErrorIs(t, v.Verify(vectorHeader(vectorSig), []byte(vectorBody), vectorTime), ErrNoSignature)
		assert.Nil(t, v.Sign("id", vectorTime, nil))
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	v := mustVerifier(vectorSecret)
	for _, body := range []string{"", "{}", vectorBody, strings.Repeat("é", 10000)} {
		at := time.Date(2026, 11, 21, 9, 30, 15, 999_999_999, time.UTC)
		h := v.Sign("msg_"+strconv.Itoa(len(body)), at, []byte(body))
		assert.Equal(t, strconv.FormatInt(at.Unix(), 10), http.Header(h).Get(HeaderTimestamp), "whole seconds")
		require.NoError(t, v.Verify(h, []byte(body), at))
		require.ErrorIs(t, v.Verify(h, []byte(body+" "), at), ErrNoSignature, "a changed body fails")
	}
	// A long id is signed correctly too (it does not fit the pooled buffer).
	long := strings.Repeat("m", 5000)
	h := v.Sign(long, vectorTime, []byte(vectorBody))
	require.NoError(t, v.Verify(h, []byte(vectorBody), vectorTime))
	require.NoError(t, v.Verify(h, []byte(vectorBody), vectorTime))
}

// FuzzVerify checks that Verify never panics, accepts only what was signed,
// and that Sign's headers always verify.
func FuzzVerify(f *testing.F) {
	f.Add(vectorID, vectorTS, vectorSig, []byte(vectorBody), int64(0))
	f.Add("", "", "", []byte{}, int64(0))
	f.Add(vectorID, "-1", "v1,", []byte("x"), int64(-400))
	f.Add(vectorID, vectorTS, "v1,a v1,b v2,c", []byte(vectorBody), int64(300))
	v := mustVerifier(vectorSecret)
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte, skew int64) {
		h := http.Header{}
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		now := vectorTime.Add(time.Duration(skew) * time.Second)
		err := v.Verify(h, body, now)
		if err == nil {
			// Only the signature made over this content can verify.
			want := http.Header(v.Sign(id, time.Unix(mustInt(t, ts), 0), body)).Get(HeaderSignature)
			if !strings.Contains(" "+sig+" ", " "+want+" ") {
				t.Fatalf("Verify accepted %q for id %q ts %q", sig, id, ts)
			}
		} else if !errors.Is(err, ErrUnverified) {
			t.Fatalf("Verify error %v does not wrap ErrUnverified", err)
		}
		if id != "" {
			signed := v.Sign(id, now, body)
			if err := v.Verify(signed, body, now); err != nil {
				t.Fatalf("Sign then Verify: %v", err)
			}
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHeaderSpelling checks that a failure names the header of the
// spelling the delivery uses: svix- or Standard Webhooks' webhook-.
func TestHeaderSpelling(t *testing.T) {
	body := []byte(vectorBody)
	standard := func(drop string, set ...string) http.Header {
		h := http.Header{"Webhook-Id": {vectorID}, "Webhook-Timestamp": {vectorTS}, "Webhook-Signature": {vectorSig}}
		h.Del(drop)
		for i := 0; i+1 < len(set); i += 2 {
			h.Set(set[i], set[i+1])
		}
		return h
	}
	for _, c := range []struct {
		name   string
		header http.Header
		now    time.Time
		want   error
		named  string
	}{
		{"standard: no id", standard("webhook-id"), vectorTime, ErrMissingHeader, "webhook-id"},
		{"standard: no timestamp", standard("webhook-timestamp"), vectorTime, ErrMissingHeader, "webhook-timestamp"},
		{"standard: no signature", standard("webhook-signature"), vectorTime, ErrMissingHeader, "webhook-signature"},
		{"standard: malformed timestamp", standard("", "webhook-timestamp", "soon"), vectorTime, ErrMalformedHeader, "webhook-timestamp"},
		{"standard: stale", standard(""), vectorTime.Add(time.Hour), ErrStaleTimestamp, "webhook-timestamp"},
		{"standard: too new", standard(""), vectorTime.Add(-time.Hour), ErrFutureTimestamp, "webhook-timestamp"},
		{"standard: wrong signature", standard("", "webhook-signature", otherSigFor(t)), vectorTime, ErrNoSignature, "webhook-signature"},
		{"svix: no signature", func() http.Header { h := vectorHeader(vectorSig); h.Del(HeaderSignature); return h }(), vectorTime, ErrMissingHeader, "svix-signature"},
		{"svix: stale", vectorHeader(vectorSig), vectorTime.Add(time.Hour), ErrStaleTimestamp, "svix-timestamp"},
		{"svix: wrong signature", vectorHeader(otherSigFor(t)), vectorTime, ErrNoSignature, "svix-signature"},
		{"none at all", http.Header{}, vectorTime, ErrMissingHeader, "svix-id"},
		{"standard: id only", http.Header{"Webhook-Id": {vectorID}}, vectorTime, ErrMissingHeader, "webhook-timestamp"},
		{"standard: signature only", http.Header{"Webhook-Signature": {vectorSig}}, vectorTime, ErrMissingHeader, "webhook-id"},
		// Any svix- header present: the svix- spelling is the one in use,
		// whatever webhook- headers come beside.
		{"svix without id, standard whole", mixed(HeaderID), vectorTime, ErrMissingHeader, "svix-id"},
		{"svix without timestamp, standard whole", mixed(HeaderTimestamp), vectorTime, ErrMissingHeader, "svix-timestamp"},
		{"svix without signature, standard whole", mixed(HeaderSignature), vectorTime, ErrMissingHeader, "svix-signature"},
		{"svix id alone, standard whole", func() http.Header { h := mixed(HeaderTimestamp); h.Del(HeaderSignature); return h }(),
			vectorTime, ErrMissingHeader, "svix-timestamp"},
		// A header spelt by hand, without a value, is missing.
		{"svix keys without values", map[string][]string{"svix-id": {}, "svix-timestamp": {}, "svix-signature": {}}, vectorTime, ErrMissingHeader, "svix-id"},
		{"svix key in lower case without a value", map[string][]string{"svix-id": {vectorID}, "svix-timestamp": {vectorTS}, "svix-signature": nil},
			vectorTime, ErrMissingHeader, "svix-signature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := mustVerifier(vectorSecret).Verify(c.header, body, c.now)
			require.ErrorIs(t, err, c.want)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.named, ve.Header)
			assert.Contains(t, err.Error(), ": "+c.named)
		})
	}
}

// mixed returns the vector's svix- headers but drop, beside the whole
// Standard Webhooks set.
func mixed(drop string) http.Header {
	h := vectorHeader(vectorSig)
	h.Del(drop)
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", vectorTS)
	h.Set("webhook-signature", vectorSig)
	return h
}

// otherSigFor returns the vector's signature under otherSecret.
func otherSigFor(t *testing.T) string {
	h, err := Sign(otherSecret, vectorID, vectorTime, []byte(vectorBody))
	require.NoError(t, err)
	return http.Header(h).Get(HeaderSignature)
}

// TestHeld checks what package webhookhttp is told about a Verifier: that
// it holds a secret only when it has one.
func TestHeld(t *testing.T) {
	var nilVerifier *Verifier
	assert.False(t, secret.Held(nilVerifier))
	assert.False(t, secret.Held(&Verifier{}))
	assert.False(t, secret.Held(nil))
	assert.False(t, secret.Held("not a verifier"))
	assert.True(t, secret.Held(mustVerifier(vectorSecret)))
}
