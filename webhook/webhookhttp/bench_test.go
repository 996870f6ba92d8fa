package webhookhttp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
)

// BenchmarkHandler serves the order webhook through the Handler and
// through a handler written with the standard library's io.ReadAll and
// http.Error around the same [webhook.Verifier.Parse], each into an
// httptest.ResponseRecorder: the cost of the Handler's own layer.
func BenchmarkHandler(b *testing.B) {
	body := wrap("labtest.order.updated", fixture(b, "order-updated.json"))
	v := mustVerifier(vectorSecret)
	hdr := v.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", handlerNow, body)
	h := &Handler{
		Verifier: v,
		Now:      func() time.Time { return handlerNow },
		Handle:   func(ctx context.Context, e webhook.Event) error { return nil },
	}
	stdlib := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, DefaultMaxBodyBytes))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if _, err := v.Parse(r.Header, b, handlerNow); err != nil {
			http.Error(w, "unverified delivery", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"stdlib", stdlib}, {"phlebkit", h}} {
		b.Run("impl="+c.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodPost, "/webhooks/junction", nil)
			r.Header = hdr
			rd := &bodyReader{}
			r.Body = rd
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				rd.Reset(body)
				r.ContentLength = int64(len(body))
				w := httptest.NewRecorder()
				c.h.ServeHTTP(w, r)
				if w.Code != http.StatusNoContent {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
