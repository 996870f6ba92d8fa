package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
)

// ControlPrefix starts the paths of the server's controls: what its Go
// methods do, over HTTP, for tests in any language. Junction's API has no
// path under it. The controls take no API key.
const ControlPrefix = "/_sandbox/"

// controlCommand is a command of the flow that a control runs on an
// order: what Junction, the laboratory or a provider does on its own.
type controlCommand struct {
	act  action
	pick func(body []byte) (command, problems)
}

// plain is a control that runs cmd and takes no body.
func plain(cmd command, target order.Status, verb string) controlCommand {
	return controlCommand{act: action{target, verb}, pick: func([]byte) (command, problems) { return cmd, nil }}
}

// controlCommands are the controls of an order, by the last segment of
// their path.
var controlCommands = map[string]controlCommand{
	"create-requisition": plain(scheduling.Flow.CreateRequisition, order.RequisitionCreated, ""),
	"bypass-requisition": plain(scheduling.Flow.BypassRequisition, order.RequisitionBypassed, ""),
	"pencil-in":          {act: action{order.AppointmentScheduled, "penciled in"}, pick: pencilInCommand},
	"confirm":            plain(scheduling.Flow.Confirm, order.AppointmentScheduled, "confirmed"),
	"start-visit":        plain(scheduling.Flow.StartVisit, order.DrawCompleted, "started"),
	"complete-draw":      plain(scheduling.Flow.CompleteDraw, order.DrawCompleted, ""),
	"partial-results":    plain(scheduling.Flow.ReceivePartialResults, order.PartialResults, ""),
	"results":            plain(scheduling.Flow.CompleteResults, order.Completed, ""),
	"sample-error":       plain(scheduling.Flow.ReportSampleError, order.SampleError, ""),
	"corrected-results":  plain(scheduling.Flow.CorrectResults, order.Corrected, ""),
}

// slotBody is the body of the pencil-in control: the slot the provider
// agreed with the patient.
type slotBody struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// pencilInCommand reads the pencil-in control's body.
func pencilInCommand(body []byte) (command, problems) {
	var b slotBody
	if ps := decodeBody(body, &b); ps != nil {
		return nil, ps
	}
	var ps problems
	if b.Start.IsZero() {
		ps.missing("body", "start")
	}
	if b.End.IsZero() {
		ps.missing("body", "end")
	}
	if ps != nil {
		return nil, ps
	}
	return func(f scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return f.PencilIn(b.Start.UTC(), b.End.UTC(), now)
	}, nil
}

// clockAnswer is the answer of the clock controls.
type clockAnswer struct {
	Now time.Time `json:"now"`
}

// deliveryAnswer is one attempt in the answer of the deliveries control.
type deliveryAnswer struct {
	MessageID  string    `json:"message_id"`
	Type       string    `json:"type"`
	OrderID    string    `json:"order_id"`
	Copy       int       `json:"copy"`
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"`
	Error      string    `json:"error,omitempty"`
	OK         bool      `json:"ok"`
	Final      bool      `json:"final"`
}

// controls registers the controls on mux (see [ControlPrefix] and the
// package documentation).
func (s *Server) controls(mux *http.ServeMux) {
	control := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, body []byte)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if body, ok := readBody(w, r); ok {
				fn(w, r, body)
			}
		})
	}
	control("GET "+ControlPrefix+"clock", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		writeJSON(w, http.StatusOK, clockAnswer{s.Now()})
	})
	control("POST "+ControlPrefix+"clock/advance", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		var b struct {
			By string `json:"by"`
		}
		if ps := decodeBody(body, &b); ps != nil {
			invalid(w, ps)
			return
		}
		d, err := time.ParseDuration(b.By)
		if err != nil || d < 0 {
			invalid(w, problems{{Loc: []any{"body", "by"}, Type: "value_error.duration",
				Msg: `not a duration of zero or more, such as "90s", "15m" or "48h"`}})
			return
		}
		s.Advance(d)
		writeJSON(w, http.StatusOK, clockAnswer{s.Now()})
	})
	control("POST "+ControlPrefix+"clock/set", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		var b struct {
			To time.Time `json:"to"`
		}
		if ps := decodeBody(body, &b); ps != nil {
			invalid(w, ps)
			return
		}
		if b.To.IsZero() {
			invalid(w, problems{{Loc: []any{"body", "to"}, Msg: "field required", Type: "value_error.missing"}})
			return
		}
		if !s.advanceTo(b.To) {
			invalid(w, problems{{Loc: []any{"body", "to"}, Type: "value_error.clock",
				Msg: "the clock cannot go back: " + wireTime(b.To) + " is before " + wireTime(s.Now())}})
			return
		}
		writeJSON(w, http.StatusOK, clockAnswer{s.Now()})
	})
	control("POST "+ControlPrefix+"flush", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		s.Flush()
		writeJSON(w, http.StatusOK, clockAnswer{s.Now()})
	})
	control("POST "+ControlPrefix+"reset", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		s.Reset()
		writeJSON(w, http.StatusOK, clockAnswer{s.Now()})
	})
	control("GET "+ControlPrefix+"deliveries", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		ds := s.Deliveries()
		out := make([]deliveryAnswer, len(ds))
		for i, d := range ds {
			out[i] = deliveryAnswer{MessageID: d.MessageID, Type: d.Type.String(), OrderID: d.OrderID, Copy: d.Copy,
				Attempt: d.Attempt, At: d.At, StatusCode: d.StatusCode, OK: d.OK, Final: d.Final}
			if d.Err != nil {
				out[i].Error = deliveryError(d.Err)
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
	control("POST "+ControlPrefix+"orders/{order_id}/{command}", func(w http.ResponseWriter, r *http.Request, body []byte) {
		c, ok := controlCommands[r.PathValue("command")]
		if !ok {
			detail(w, http.StatusNotFound, "Not Found")
			return
		}
		cmd, ps := c.pick(body)
		if ps != nil {
			invalid(w, ps)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		e, ok := s.orders[strings.ToLower(r.PathValue("order_id"))]
		if !ok {
			detail(w, http.StatusNotFound, msgNotFound)
			return
		}
		if err := s.apply(e, cmd); err != nil {
			refuse(w, err, c.act)
			return
		}
		s.settle()
		writeJSON(w, http.StatusOK, e.snapshot())
	})
}

// deliveryError says why an attempt failed, in words of the server's
// own: the answer was lost, the handler panicked, or the endpoint could
// not be reached.
func deliveryError(err error) string {
	switch {
	case errors.Is(err, ErrAnswerLost):
		return "answer lost"
	case errors.Is(err, errPanicked):
		return "webhook handler panicked"
	default:
		return "no answer"
	}
}
