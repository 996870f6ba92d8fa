package webhook

import (
	"errors"
	"time"
)

// Sentinel errors of verification. Every error [Verifier.Verify] returns
// wraps [ErrUnverified] and one reason, so that a caller can answer any
// failure alike with one errors.Is and still tell the reasons apart.
var (
	// ErrUnverified reports a delivery that cannot be shown to come from
	// Junction: it wraps every verification failure.
	ErrUnverified = errors.New("webhook: unverified delivery")
	// ErrMissingHeader reports a delivery without one of the svix-id,
	// svix-timestamp and svix-signature headers, or with one empty.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrMalformedHeader reports a svix-timestamp that is not a Unix time
	// in seconds written as a plain decimal integer.
	ErrMalformedHeader = errors.New("webhook: malformed header")
	// ErrStaleTimestamp reports a delivery sent more than [Tolerance]
	// before the time of verification: too old to accept, since it could
	// be a replay.
	ErrStaleTimestamp = errors.New("webhook: timestamp too old")
	// ErrFutureTimestamp reports a delivery sent more than [Tolerance]
	// after the time of verification.
	ErrFutureTimestamp = errors.New("webhook: timestamp too new")
	// ErrNoSignature reports a delivery none of whose v1 signatures was
	// made with the verifier's secrets over this body.
	ErrNoSignature = errors.New("webhook: no matching signature")
	// ErrInvalidSecret reports a signing secret that cannot be used: empty,
	// or not base64 after its whsec_ prefix.
	ErrInvalidSecret = errors.New("webhook: invalid secret")
)

// VerifyError reports a delivery that failed verification. It unwraps to
// [ErrUnverified] and to the reason. It never holds the body.
type VerifyError struct {
	// Err is the reason: [ErrMissingHeader], [ErrMalformedHeader],
	// [ErrStaleTimestamp], [ErrFutureTimestamp] or [ErrNoSignature].
	Err error
	// Header is the header at fault, such as "svix-timestamp".
	Header string
	// Sent and Now are the delivery's timestamp and the time of
	// verification, for a timestamp out of tolerance; zero otherwise.
	Sent, Now time.Time
}

// Error returns a message such as "webhook: timestamp too old:
// svix-timestamp 2026-11-21T09:00:00Z is 6m0s before 2026-11-21T09:06:00Z".
func (e *VerifyError) Error() string {
	msg := e.Err.Error() + ": " + e.Header
	switch e.Err {
	case ErrStaleTimestamp:
		msg += " " + e.Sent.Format(time.RFC3339) + " is " + e.Now.Sub(e.Sent).String() + " before " + e.Now.UTC().Format(time.RFC3339Nano)
	case ErrFutureTimestamp:
		msg += " " + e.Sent.Format(time.RFC3339) + " is " + e.Sent.Sub(e.Now).String() + " after " + e.Now.UTC().Format(time.RFC3339Nano)
	}
	return msg
}

// Unwrap returns [ErrUnverified] and the reason.
func (e *VerifyError) Unwrap() []error { return []error{ErrUnverified, e.Err} }

// SecretError reports a signing secret that cannot be used. It unwraps to
// [ErrInvalidSecret]; it never holds the secret.
type SecretError struct {
	Problem string // what is wrong, such as "empty"
}

// Error returns a message such as "webhook: invalid secret: empty".
func (e *SecretError) Error() string { return "webhook: invalid secret: " + e.Problem }

// Unwrap returns [ErrInvalidSecret].
func (e *SecretError) Unwrap() error { return ErrInvalidSecret }
