package order

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseStatus(f *testing.F) {
	for _, w := range wire {
		f.Add(w.low)
		f.Add(w.high + ".at_home_phlebotomy." + w.low)
		f.Add(w.high)
	}
	for _, text := range rejected {
		f.Add(text)
	}
	for _, fx := range publishedStatuses {
		o := readFixtureOrder(f, fx.file, fx.wrapped)
		for _, ev := range o.Events {
			f.Add(ev.Status)
		}
		if o.OrderTransaction != nil {
			for _, tx := range o.OrderTransaction.Orders {
				f.Add(tx.LowLevelStatus)
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseStatus(text)
		var u Status
		uerr := u.UnmarshalText([]byte(text))
		if (err == nil) != (uerr == nil) || u != s {
			t.Fatalf("ParseStatus(%q) = %v, %v but UnmarshalText gives %v, %v", text, s, err, u, uerr)
		}
		if err != nil {
			if !errors.Is(err, ErrUnknownStatus) || s != 0 {
				t.Fatalf("ParseStatus(%q) = %v, %v", text, s, err)
			}
			return
		}
		if text != s.String() && text != s.Full() {
			t.Fatalf("ParseStatus(%q) = %v, which is spelled neither %q nor %q", text, s, s.String(), s.Full())
		}
		for _, form := range []string{s.String(), s.Full()} {
			if back, err := ParseStatus(form); err != nil || back != s {
				t.Fatalf("round trip of %v through %q = %v, %v", s, form, back, err)
			}
		}
		b, err := s.MarshalText()
		if err != nil || string(b) != s.String() {
			t.Fatalf("%v.MarshalText() = %q, %v", s, b, err)
		}
		if !strings.HasSuffix(s.Full(), "."+s.String()) || !strings.HasPrefix(s.Full(), s.HighLevel().String()+".") {
			t.Fatalf("%v.Full() = %q does not agree with its parts", s, s.Full())
		}
	})
}

func FuzzParseHighLevel(f *testing.F) {
	for _, w := range wire {
		f.Add(w.high)
		f.Add(w.low)
	}
	for _, fx := range publishedStatuses {
		f.Add(readFixtureOrder(f, fx.file, fx.wrapped).Status)
	}
	f.Fuzz(func(t *testing.T, text string) {
		h, err := parseHighLevel(text)
		if err != nil {
			if !errors.Is(err, ErrUnknownStatus) || h != 0 {
				t.Fatalf("parseHighLevel(%q) = %v, %v", text, h, err)
			}
			return
		}
		if h.String() != text {
			t.Fatalf("parseHighLevel(%q) = %v", text, h)
		}
		var back HighLevel
		if b, err := h.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != h {
			t.Fatalf("round trip of %v failed", h)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, e := range allEvents {
		f.Add(e.String())
	}
	f.Add("")
	f.Add("Cancel")
	f.Fuzz(func(t *testing.T, text string) {
		e, err := ParseTrigger(text)
		if err != nil {
			if !errors.Is(err, ErrUnknownTrigger) || e != 0 {
				t.Fatalf("ParseTrigger(%q) = %v, %v", text, e, err)
			}
			return
		}
		if e.String() != text {
			t.Fatalf("ParseTrigger(%q) = %v", text, e)
		}
		if back, err := ParseTrigger(e.String()); err != nil || back != e {
			t.Fatalf("round trip of %v failed", e)
		}
	})
}

// FuzzNext checks that Next never panics and agrees with the expected table
// on every byte pair, valid or not.
func FuzzNext(f *testing.F) {
	for _, s := range allStatuses {
		for _, e := range allEvents {
			f.Add(uint8(s), uint8(e))
		}
	}
	f.Add(uint8(0), uint8(0))
	f.Add(uint8(255), uint8(255))
	f.Fuzz(func(t *testing.T, s, e uint8) {
		got, err := Next(Status(s), Trigger(e))
		want, ok := expected[Status(s)][Trigger(e)]
		if ok != (err == nil) || (ok && got != want) || (!ok && got != Status(s)) {
			t.Fatalf("Next(%v, %v) = %v, %v", Status(s), Trigger(e), got, err)
		}
	})
}
