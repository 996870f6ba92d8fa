package appointment

import (
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestTextErrors produces every kind of text error the package documents:
// a *DecodeError with the text at fault and no path.
func TestTextErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		text string
		is   error
		msg  string
	}{
		{"status", second(ParseStatus("no_show")), "no_show", ErrUnknownStatus, `appointment: unknown status "no_show"`},
		{"trigger", second(ParseTrigger("begin")), "begin", ErrUnknownTrigger, `appointment: unknown trigger "begin"`},
		{"time", second(ParseTime("noon")), "noon", ErrMalformed, `appointment: malformed time "noon"`},
		{"zone", second(Appointment{IANATimezone: "Local"}.TimeZone()), "Local", ErrUnknownZone, `appointment: unknown time zone "Local"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var de *DecodeError
			require.ErrorAs(t, c.err, &de)
			assert.Equal(t, c.text, de.Text)
			assert.Equal(t, "", de.Path)
			assert.ErrorIs(t, c.err, c.is)
			assert.Len(t, de.Unwrap(), 1)
			assert.Equal(t, c.msg, c.err.Error())
		})
	}
}

// second returns the error of a two-result call.
func second[T any](_ T, err error) error { return err }
