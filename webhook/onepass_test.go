package webhook

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onePassCases are bodies decodeOnePass reads (true) or leaves to
// decodeTwoPasses (false), with why.
func onePassCases(tb testing.TB) map[string]struct {
	body string
	read bool
} {
	ord := string(fixture(tb, "order-updated.json"))
	appt := string(bytes.TrimSpace(fixture(tb, "appointment-updated-webhook.json")))
	const phleb = `{"id": "o1", "details": {"type": "at_home_phlebotomy"}, "status": "received"}`
	return map[string]struct {
		body string
		read bool
	}{
		"the order fixture":                    {string(wrap("labtest.order.updated", []byte(ord))), true},
		"the appointment fixture":              {appt, true},
		"an order created":                     {`{"event_type": "labtest.order.created", "data": ` + phleb + `}`, true},
		"no ids":                               {`{"event_type": "labtest.order.updated", "data": ` + phleb + `}`, true},
		"members unknown, before and after":    {`{"x": [1, {"y": null}], "event_type": "labtest.order.updated", "z": 2, "data": ` + phleb + `, "w": "v"}`, true},
		"white space around":                   {" \n{\"event_type\":\"labtest.order.updated\",\"data\":" + phleb + ",\"team_id\":\"t\"} \t", true},
		"an escaped id":                        {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "user_id": "u\u00e9\n"}`, true},
		"the legacy type":                      {`{"event_type": "labtest.appointment.update", "data": {"id": "a1", "type": "phlebotomy", "status": "pending"}}`, true},
		"data before the type":                 {`{"data": ` + phleb + `, "event_type": "labtest.order.updated"}`, false},
		"no data":                              {`{"event_type": "labtest.order.updated"}`, false},
		"null data":                            {`{"event_type": "labtest.order.updated", "data": null}`, false},
		"data twice":                           {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "data": ` + phleb + `}`, false},
		"the type twice":                       {`{"event_type": "labtest.order.updated", "event_type": "labtest.order.updated", "data": ` + phleb + `}`, false},
		"an id twice":                          {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "team_id": "a", "team_id": "b"}`, false},
		"an escaped name":                      {`{"event_type": "labtest.order.updated", "d\u0061ta": ` + phleb + `}`, false},
		"an escaped name of an id":             {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "user_\u0069d": "u"}`, false},
		"an array of the members":              {`["event_type", "labtest.order.updated", "data", ` + phleb + `]`, false},
		"data that is both, before the type":   {`{"data": {"details": {"type": "at_home_phlebotomy"}, "type": "phlebotomy", "status": "completed"}, "event_type": "labtest.order.updated"}`, false},
		"a name differing in case":             {`{"Event_Type": "labtest.order.updated", "data": ` + phleb + `}`, false},
		"a null id":                            {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "user_id": null}`, false},
		"a number for an id":                   {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "client_user_id": 5}`, false},
		"a type of another product":            {`{"event_type": "daily.data.sleep.created", "data": {}}`, false},
		"an empty type":                        {`{"event_type": "", "data": ` + phleb + `}`, false},
		"a null type":                          {`{"event_type": null, "data": ` + phleb + `}`, false},
		"an order that is not phlebotomy":      {string(wrap("labtest.order.updated", fixture(tb, "order-walk-in.json"))), false},
		"an appointment that is not":           {string(wrap("labtest.appointment.updated", fixture(tb, "appointment-psc.json"))), false},
		"an order's unknown status":            {`{"event_type": "labtest.order.updated", "data": {"details": {"type": "at_home_phlebotomy"}, "status": "paused"}}`, false},
		"an appointment's unknown status":      {`{"event_type": "labtest.appointment.updated", "data": {"type": "phlebotomy", "status": "late"}}`, false},
		"an order that is not an object":       {`{"event_type": "labtest.order.updated", "data": [1]}`, false},
		"an appointment that is not an object": {`{"event_type": "labtest.appointment.updated", "data": [1]}`, false},
		"invalid JSON in data":                 {`{"event_type": "labtest.appointment.updated", "data": {"type": }}`, false},
		"invalid JSON after data":              {`{"event_type": "labtest.order.updated", "data": ` + phleb + `, "x": tru}`, false},
		"invalid JSON in a member skipped":     {`{"x": [1,], "event_type": "labtest.order.updated", "data": ` + phleb + `}`, false},
		"an unclosed envelope":                 {`{"event_type": "labtest.order.updated", "data": ` + phleb, false},
		"a second value after":                 {`{"event_type": "labtest.order.updated", "data": ` + phleb + `} {}`, false},
		"not an object":                        {`["event_type", "data"]`, false},
		"null":                                 {`null`, false},
		"empty":                                {``, false},
		"invalid UTF-8 in a name":              {"{\"event_type\": \"labtest.order.updated\", \"data\": " + phleb + ", \"\xff\": 1}", false},
	}
}

// TestDecodeOnePass: the deliveries Junction sends are read in one pass,
// into what the two passes read; anything else is left to them.
func TestDecodeOnePass(t *testing.T) {
	for name, c := range onePassCases(t) {
		t.Run(name, func(t *testing.T) {
			e, ok := decodeOnePass([]byte(c.body))
			assert.Equal(t, c.read, ok)
			want, err := decodeTwoPasses([]byte(c.body))
			if !ok {
				assert.Equal(t, Event{}, e)
				got, gerr := Decode([]byte(c.body))
				assert.Equal(t, want, got, "Decode reads it in two passes")
				assert.Equal(t, err, gerr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, e)
		})
	}
}

// TestDecodeOnePassAllocs: the order fixture's delivery, and the
// appointment fixture, are decoded in one pass, which allocates less than
// two passes do, without a copy of data.
func TestDecodeOnePassAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, body := range [][]byte{wrap("labtest.order.updated", fixture(t, "order-updated.json")),
		fixture(t, "appointment-updated-webhook.json")} {
		one := allocated(func() { _, _ = Decode(body) })
		two := allocated(func() { _, _ = decodeTwoPasses(body) })
		t.Logf("%d bytes allocated in one pass, %d in two", one, two)
		assert.Less(t, one*4, two*3)
	}
}

// allocated returns the bytes f allocates, averaged over 100 calls.
func allocated(f func()) uint64 {
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / 100
}

// FuzzDecodeOnePass reads anything in one pass: what it reads, the two
// passes read equal, without error.
func FuzzDecodeOnePass(f *testing.F) {
	for _, b := range seedBodies(f) {
		f.Add(b)
	}
	for _, c := range onePassCases(f) {
		f.Add([]byte(c.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok := decodeOnePass(body)
		want, err := decodeTwoPasses(body)
		if !ok {
			if !reflect.DeepEqual(e, Event{}) {
				t.Fatalf("decodeOnePass(%q) = %v, false", body, e)
			}
			return
		}
		if err != nil || !reflect.DeepEqual(e, want) {
			t.Fatalf("decodeOnePass(%q) = %v; two passes: %v, %v", body, e, want, errors.Unwrap(err))
		}
	})
}

// TestDecodeOnePassConcurrently: goroutines decoding at once, with the
// decoders they share, each get their own body's event.
func TestDecodeOnePassConcurrently(t *testing.T) {
	cases := onePassCases(t)
	want := map[string]Event{}
	for name, c := range cases {
		e, err := decodeTwoPasses([]byte(c.body))
		if err == nil {
			want[name] = e
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				for name, e := range want {
					got, err := Decode([]byte(cases[name].body))
					if err != nil || !reflect.DeepEqual(got, e) {
						t.Errorf("%s: %v, %v", name, got, err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestDecodeOnePassBodyReused: what one pass decodes holds nothing of the
// body, which the caller may reuse once Decode returns (the decoder reads
// the body in place).
func TestDecodeOnePassBodyReused(t *testing.T) {
	for _, body := range []string{
		string(wrap("labtest.order.updated", fixture(t, "order-updated.json"))),
		`{"event_type": "labtest.appointment.updated", "data": {"id": "a1", "type": "phlebotomy", "status": "pending", "events": [{"created_at": "2026-11-23T09:00:00Z", "status": "pending", "data": {"origin": "x", "note": {"k": [1, "v"]}}}]}, "user_id": "u1"}`,
	} {
		b := []byte(body)
		e, ok := decodeOnePass(b)
		require.True(t, ok, body)
		for i := range b {
			b[i] = ' '
		}
		want, err := decodeTwoPasses([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, want, e)
	}
}
