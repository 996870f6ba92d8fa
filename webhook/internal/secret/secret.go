// Package secret lets the webhook packages share what they do not export.
package secret

// Held reports whether v, a *webhook.Verifier, holds a secret. Package
// webhook sets it when it is initialised; it is nil until then.
var Held func(v any) bool
