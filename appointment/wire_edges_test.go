package appointment

import (
	"errors"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWireEdges pins the faults of a time that is not a string: invalid
// JSON is reported as such, at the time's pointer.
func TestWireEdges(t *testing.T) {
	_, err := Decode([]byte(`{"start_at": tru}`))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/start_at", de.Path)
	var syn *jsontext.SyntacticError
	assert.True(t, errors.As(err, &syn), "%v", err)
	_, err = Decode([]byte(`{"end_at": {}}`))
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/end_at", de.Path)
	assert.ErrorIs(t, err, ErrMalformed)
}
