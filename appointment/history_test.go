package appointment

import (
	"errors"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// t0 is the first of the fixed instants the history tests use.
var t0 = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// at returns t0 plus h hours.
func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

// hist builds a history from event status texts, one hour apart.
func hist(statuses ...string) []HistoryEntry {
	out := make([]HistoryEntry, len(statuses))
	for i, s := range statuses {
		out[i] = HistoryEntry{CreatedAt: at(i), Status: s}
	}
	return out
}

// oneStep says, from the expected table, whether a history may go from a to
// b in one entry: an edge, or the same status again.
func oneStep(a, b Status) bool {
	if a == b {
		return true
	}
	for _, to := range expected[a] {
		if to == b {
			return true
		}
	}
	return false
}

func TestValidateHistoryValid(t *testing.T) {
	for name, h := range map[string][]HistoryEntry{
		"empty":                   nil,
		"junction reschedule":     hist("scheduled", "scheduled"),
		"junction skips progress": hist("scheduled", "completed"),
		"request tier":            hist("pending", "reserved", "reserved", "confirmed", "in_progress", "completed"),
		"ready tier":              hist("pending", "scheduled", "scheduled", "scheduled", "in-progress", "completed"),
		"auto-cancelled":          hist("pending", "reserved", "cancelled"),
		"starts late":             hist("in_progress", "cancelled"),
		"starts cancelled":        hist("cancelled"),
		"duplicate pending":       hist("pending", "pending", "reserved"),
		"duplicate terminal":      hist("completed", "completed"),
		"same timestamps": {
			{CreatedAt: at(0), Status: "scheduled"}, {CreatedAt: at(0), Status: "scheduled"},
		},
		"missing timestamp": {
			{CreatedAt: at(5), Status: "pending"}, {Status: "reserved"}, {CreatedAt: at(6), Status: "confirmed"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			assert.NoError(t, ValidateHistory(h))
		})
	}
}

func TestValidateHistoryInvalid(t *testing.T) {
	for name, c := range map[string]struct {
		h        []HistoryEntry
		index    int
		from, to Status
		reason   error
		msg      string
	}{
		"completed then confirmed": {
			h: hist("scheduled", "completed", "confirmed"), index: 2, from: Completed, to: Confirmed,
			reason: ErrInvalidTransition,
			msg:    "appointment: invalid history: events[2]: completed to confirmed: invalid transition",
		},
		"cancelled then pending": {
			h: hist("pending", "cancelled", "pending"), index: 2, from: Cancelled, to: Pending,
			reason: ErrInvalidTransition,
		},
		"in_progress then reserved": {
			h: hist("in_progress", "reserved"), index: 1, from: InProgress, to: Reserved,
			reason: ErrInvalidTransition,
		},
		"jump pending to in_progress": {
			h: hist("pending", "in_progress"), index: 1, from: Pending, to: InProgress,
			reason: ErrInvalidTransition,
		},
		"unknown status": {
			h: hist("pending", "no_show", "completed"), index: 1, from: Pending,
			reason: ErrUnknownStatus,
			msg:    `appointment: invalid history: events[1]: unknown status "no_show"`,
		},
		"unknown first status": {
			h: hist("Scheduled"), index: 0, reason: ErrUnknownStatus,
		},
		"empty status": {
			h: []HistoryEntry{{CreatedAt: at(0)}}, index: 0, reason: ErrUnknownStatus,
		},
		"back in time": {
			h: []HistoryEntry{
				{CreatedAt: at(2), Status: "pending"}, {CreatedAt: at(3), Status: "reserved"},
				{CreatedAt: at(1), Status: "scheduled"},
			},
			index: 2, from: Reserved, to: Confirmed, reason: ErrOutOfOrder,
			msg: "appointment: invalid history: events[2]: reserved to confirmed: history goes back in time: " +
				"2022-01-01T01:00:00Z is before 2022-01-01T03:00:00Z",
		},
		"back in time across a missing timestamp": {
			h: []HistoryEntry{
				{CreatedAt: at(2), Status: "pending"}, {Status: "reserved"}, {CreatedAt: at(1), Status: "scheduled"},
			},
			index: 2, from: Reserved, to: Confirmed, reason: ErrOutOfOrder,
		},
		"forbidden step wins over time": {
			h:     []HistoryEntry{{CreatedAt: at(2), Status: "completed"}, {CreatedAt: at(1), Status: "pending"}},
			index: 1, from: Completed, to: Pending, reason: ErrInvalidTransition,
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateHistory(c.h)
			require.ErrorIs(t, err, ErrInvalidHistory)
			require.ErrorIs(t, err, c.reason)
			var he *TransitionError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, c.index, he.Index)
			assert.Equal(t, c.from, he.From)
			assert.Equal(t, c.to, he.To)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			if errors.Is(c.reason, ErrUnknownStatus) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, c.h[c.index].Status, de.Text)
			}
		})
	}
}

// genHistory draws a valid history from the expected table: a first status
// reachable from creation, then steps that are an edge or a repeat, with
// timestamps that never go backwards (some missing).
func genHistory(t *rapid.T, n int) []HistoryEntry {
	cur := rapid.SampledFrom(allStatuses).Draw(t, "first")
	h := []HistoryEntry{}
	clock := 0
	for i := range n {
		if i > 0 {
			var next []Status
			for _, s := range allStatuses {
				if oneStep(cur, s) {
					next = append(next, s)
				}
			}
			cur = rapid.SampledFrom(next).Draw(t, "next")
		}
		clock += rapid.IntRange(0, 3).Draw(t, "tick")
		e := HistoryEntry{Status: spell(t, cur)}
		if rapid.IntRange(0, 9).Draw(t, "stamped") > 0 {
			e.CreatedAt = at(clock)
		}
		h = append(h, e)
	}
	return h
}

// spell draws one of the spellings Junction uses for s.
func spell(t *rapid.T, s Status) string {
	for _, w := range wire {
		if w.status == s {
			return rapid.SampledFrom(append([]string{w.api, w.ev}, w.alternate...)).Draw(t, "spelling")
		}
	}
	return s.String()
}

func TestValidateHistoryProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t, rapid.IntRange(0, 12).Draw(t, "len"))
		require.NoError(t, ValidateHistory(h))
	})
}

func TestValidateHistoryReportsForbiddenStep(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t, rapid.IntRange(1, 8).Draw(t, "len"))
		k := len(h)
		prev := mustStatus(h[k-1].Status)
		var bad []Status
		for _, s := range allStatuses {
			if !oneStep(prev, s) {
				bad = append(bad, s)
			}
		}
		to := rapid.SampledFrom(bad).Draw(t, "forbidden")
		last := h[k-1].CreatedAt
		h = append(h, HistoryEntry{CreatedAt: last.Add(time.Hour), Status: spell(t, to)})
		// Whatever follows does not matter.
		for range rapid.IntRange(0, 3).Draw(t, "tail") {
			h = append(h, HistoryEntry{Status: rapid.SampledFrom([]string{"pending", "no_show", "completed", ""}).Draw(t, "junk")})
		}
		err := ValidateHistory(h)
		var he *TransitionError
		require.ErrorAs(t, err, &he)
		require.ErrorIs(t, err, ErrInvalidTransition)
		require.Equal(t, TransitionError{Index: k, From: prev, To: to, Err: ErrInvalidTransition}, *he)
	})
}

func TestValidateHistoryReportsTimeTravel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t, rapid.IntRange(2, 8).Draw(t, "len"))
		k := rapid.IntRange(1, len(h)-1).Draw(t, "k")
		var latest time.Time
		for _, e := range h[:k] {
			if v := e.CreatedAt; !v.IsZero() {
				latest = v
			}
		}
		if latest.IsZero() {
			t.Skip("no timestamp before k")
		}
		h[k].CreatedAt = latest.Add(-time.Minute)
		err := ValidateHistory(h)
		var he *TransitionError
		require.ErrorAs(t, err, &he)
		require.ErrorIs(t, err, ErrOutOfOrder)
		require.Equal(t, k, he.Index)
	})
}

func TestHistoryEntryJSON(t *testing.T) {
	var e HistoryEntry
	require.NoError(t, json.Unmarshal([]byte(`{"created_at":"2022-01-01T00:00:00Z","data":{ "origin" : "patient" },"status":"scheduled"}`), &e))
	assert.Equal(t, HistoryEntry{CreatedAt: at(0), Status: "scheduled", Data: jsontext.Value(`{"origin":"patient"}`)}, e)
	s, err := ParseStatus(e.Status)
	require.NoError(t, err)
	assert.Equal(t, Confirmed, s)
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Equal(t, `{"created_at":"2022-01-01T00:00:00Z","data":{"origin":"patient"},"status":"scheduled"}`, string(b))

	b, err = json.Marshal(HistoryEntry{Status: "pending"})
	require.NoError(t, err)
	assert.Equal(t, `{"created_at":"0001-01-01T00:00:00Z","data":null,"status":"pending"}`, string(b))

	before := e
	for _, bad := range []string{`{"created_at":"yesterday"}`, `{"created_at":7}`, `{"status":1}`, `[]`, `{`, ``, `{"status":"a","status":"a"}`} {
		err := json.Unmarshal([]byte(bad), &e)
		require.Error(t, err, bad)
		assert.Equal(t, before, e)
	}
	for _, bad := range []string{`{"created_at":"yesterday"}`, `{"status":1}`, `[]`, `{"status":"a","status":"a"}`} {
		err := json.Unmarshal([]byte(bad), &e)
		require.ErrorIs(t, err, ErrMalformed, bad)
		var de *DecodeError
		require.ErrorAs(t, err, &de, bad)
	}
	require.Error(t, json.Unmarshal([]byte(`{} x`), &e), "trailing data")
	require.NoError(t, json.Unmarshal([]byte(`null`), &e))
	assert.Zero(t, e, "null gives the zero entry, as the json package does")
}
