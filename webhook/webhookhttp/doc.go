// Package webhookhttp serves the endpoint Junction delivers lab-testing
// webhooks to. [Handler] is an http.Handler that reads each delivery
// (growing its buffer only as bytes arrive, up to a limit), verifies and
// decodes it with package [github.com/phlebkit/phlebkit/webhook], calls
// your function with each at-home phlebotomy [webhook.Event], and answers
// Junction with the status that makes it retry or not. [NewHandler] builds
// one from the endpoint's signing secret:
//
//	h, err := webhookhttp.NewHandler(os.Getenv("JUNCTION_WEBHOOK_SECRET"),
//		func(ctx context.Context, e webhook.Event) error {
//			switch e.Type {
//			case webhook.OrderCreated, webhook.OrderUpdated:
//				log.Printf("order %s is %s", e.Order.ID, e.Order.Status())
//			case webhook.AppointmentCreated, webhook.AppointmentUpdated:
//				log.Printf("appointment %s is %s", e.Appointment.ID, e.Appointment.EffectiveStatus())
//			}
//			return nil // an error makes Junction retry
//		})
//	if err != nil {
//		return err // a malformed secret
//	}
//	mux := http.NewServeMux()
//	mux.Handle("POST /webhooks/junction", h)
//	srv := &http.Server{
//		Addr:              ":8080",
//		Handler:           mux,
//		ReadHeaderTimeout: 10 * time.Second,
//		ReadTimeout:       15 * time.Second,
//		WriteTimeout:      15 * time.Second, // beyond the Handler's DefaultTimeout
//		IdleTimeout:       60 * time.Second,
//	}
//	return srv.ListenAndServe()
//
// # Statuses the Handler answers
//
// The statuses are this library's decision (Junction only distinguishes
// 2xx from the rest): 204 for a processed or ignored event, 401 for an
// unverified delivery, 400 for a malformed body, 413 for a body over the
// limit, 405 for a method but POST, 422 for an unknown status (Junction
// retries for about a day and a half: time to upgrade), 500 when Handle
// fails or the Handler is not set up, and 503 when Handle's time runs
// out. See [Handler].
package webhookhttp
