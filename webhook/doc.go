// Package webhook receives Junction's webhooks: it verifies that a delivery
// comes from Junction ([Verifier.Verify], the Svix signing scheme Junction
// delivers with) and signs deliveries for tests ([Verifier.Sign]).
package webhook
