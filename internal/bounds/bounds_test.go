package bounds

import "testing"

func TestOutOfRange(t *testing.T) {
	for _, c := range []struct {
		lo, hi int64
		want   string
	}{
		{MinSyncTimeoutMS, MaxSyncTimeoutMS, "ensure this value is between 1000 and 10000"},
		{MinAsyncTimeoutMS, MaxAsyncTimeoutMS, "ensure this value is between 60000 and 172800000"},
		{-1, 0, "ensure this value is between -1 and 0"},
	} {
		if got := OutOfRange(c.lo, c.hi); got != c.want {
			t.Errorf("OutOfRange(%d, %d) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	if DefaultSyncTimeoutMS < MinSyncTimeoutMS || DefaultSyncTimeoutMS > MaxSyncTimeoutMS ||
		DefaultAsyncTimeoutMS < MinAsyncTimeoutMS || DefaultAsyncTimeoutMS > MaxAsyncTimeoutMS {
		t.Error("a default out of its range")
	}
}
