// Command junction-sandbox serves phlebkit's sandbox of Junction's at-home
// phlebotomy API on an address, for tests written in any language: point
// Junction's SDK (Python, TypeScript, Java, Go) or any HTTP client at it,
// and drive what Junction, the providers and the laboratory do on their own
// through its controls under /_sandbox/.
//
//	go run github.com/phlebkit/phlebkit/cmd/junction-sandbox@latest -addr 127.0.0.1:8484
//
// Each flag has an environment variable that is used when the flag is not
// given:
//
//	-addr ADDR            JUNCTION_SANDBOX_ADDR            where to listen (default 127.0.0.1:8484; port 0 picks one)
//	-webhook-url URL      JUNCTION_SANDBOX_WEBHOOK_URL     where to deliver webhooks (none by default)
//	-webhook-secret S     JUNCTION_SANDBOX_WEBHOOK_SECRET  the endpoint's signing secret, whsec_ and base64 (one is made and printed if none is given)
//	-api-keys K1,K2       JUNCTION_SANDBOX_API_KEYS        the x-vital-api-key values accepted (any key that is not empty by default)
//	-chaos-seed N         JUNCTION_SANDBOX_CHAOS_SEED      reorder, duplicate, delay and retry deliveries, the same way for one seed
//	-start T              JUNCTION_SANDBOX_START           the virtual clock's first instant, RFC 3339 (default now)
//	-clock MODE           JUNCTION_SANDBOX_CLOCK           manual (moved by /_sandbox/clock/...) or real (follows the wall clock)
//	-speed X              JUNCTION_SANDBOX_SPEED           with -clock real, how many virtual seconds pass per real second (default 1)
//	-pre-requisition      JUNCTION_SANDBOX_PRE_REQUISITION allow booking before the requisition (Junction's closed beta)
//	-partial-results-webhooks JUNCTION_SANDBOX_PARTIAL_RESULTS_WEBHOOKS send a webhook for partial results
//
// On start it prints where it listens ("junction-sandbox: listening on
// http://127.0.0.1:8484") and, when it made one, the webhook secret. It
// stops on SIGINT or SIGTERM, waiting at most five seconds for requests
// under way. A bad flag is reported on standard error with exit status 2.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/phlebkit/phlebkit/internal/sandboxcmd"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	os.Exit(sandboxcmd.Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr, stop))
}
