package appointment

import (
	"encoding/json"
	"testing"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestType(t *testing.T) {
	for _, c := range []struct {
		typ        Kind
		known, phl bool
	}{
		{Phlebotomy, true, true},
		{PatientServiceCenter, true, false},
		{"", false, false},
		{"Phlebotomy", false, false},
		{" phlebotomy", false, false},
		{"phlebotomy ", false, false},
		{"patient-service-center", false, false},
		{"mobile_lab", false, false},
	} {
		assert.Equal(t, c.known, c.typ.IsKnown(), "Type(%q).IsKnown()", c.typ)
		assert.Equal(t, c.phl, Appointment{Type: c.typ}.IsPhlebotomy(), "Appointment{Type: %q}.IsPhlebotomy()", c.typ)
	}
	assert.Equal(t, Kind("phlebotomy"), Phlebotomy)
	assert.Equal(t, Kind("patient_service_center"), PatientServiceCenter)
	var a Appointment
	a.Type = "phlebotomy" // an untyped constant still assigns
	assert.True(t, a.IsPhlebotomy())
}

// TestDecodePatientServiceCenter: a walk-in appointment comes on the same
// events as an at-home one and must be told apart, never taken for one.
func TestDecodePatientServiceCenter(t *testing.T) {
	want := wantBooked
	want.Type = PatientServiceCenter
	want.Provider, want.ProviderText = 0, "quest"

	a, err := Decode(fixture(t, "appointment-psc.json"))
	require.NoError(t, err)
	assert.Equal(t, want, a)
	assert.Equal(t, PatientServiceCenter, a.Type)
	assert.True(t, a.Type.IsKnown())
	assert.False(t, a.IsPhlebotomy())
	_, ok := roundTrip(t, fixture(t, "appointment-psc.json"))
	require.True(t, ok)

	var w struct {
		Data Appointment `json:"data"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-psc.json"), &w.Data))
	assert.Equal(t, want, w.Data)
	assert.False(t, w.Data.IsPhlebotomy())

	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"type":"patient_service_center"`)

	booked, err := Decode(fixture(t, "appointment-booked.json"))
	require.NoError(t, err)
	assert.Equal(t, Phlebotomy, booked.Type)
	assert.True(t, booked.IsPhlebotomy())
}

// TestDecodeUnknownType: Junction's enums are non-exhaustive; a type this
// package does not know is kept as sent, neither an error nor phlebotomy.
func TestDecodeUnknownType(t *testing.T) {
	for _, text := range []string{"mobile_lab", "", "Phlebotomy"} {
		a, ok := roundTrip(t, []byte(`{"id":"a1","type":`+quote(text)+`}`))
		require.True(t, ok)
		assert.Equal(t, Kind(text), a.Type)
		assert.False(t, a.Type.IsKnown())
		assert.False(t, a.IsPhlebotomy())
	}
	a, err := Decode([]byte(`{"id":"a1"}`))
	require.NoError(t, err)
	assert.Equal(t, Kind(""), a.Type, "an absent type is empty")
	assert.False(t, a.IsPhlebotomy(), "an absent type is not phlebotomy")
}

// TestProvider: a provider that provider.Parse knows is typed; any other
// name is kept as sent in ProviderText and written back, so that the round
// trip is exact.
func TestProvider(t *testing.T) {
	for text, want := range map[string]Appointment{
		`"getlabs"`:      {Provider: provider.Getlabs},
		`"phlebfinders"`: {Provider: provider.Phlebfinders},
		`"quest"`:        {ProviderText: "quest"},
		`"axlehealth"`:   {ProviderText: "axlehealth"},
		`"Getlabs"`:      {ProviderText: "Getlabs"},
		`"new_one"`:      {ProviderText: "new_one"},
		`""`:             {},
		`null`:           {},
	} {
		a, ok := roundTrip(t, []byte(`{"provider":`+text+`}`))
		require.True(t, ok, text)
		assert.Equal(t, want, a, text)
		b, err := a.MarshalJSON()
		require.NoError(t, err)
		if text != `null` {
			assert.Contains(t, string(b), `"provider":`+text, text)
		}
	}

	// Provider wins over a text beside it; an invalid Provider is refused.
	b, err := Appointment{Provider: provider.Getlabs, ProviderText: "quest"}.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"provider":"getlabs"`)
	_, err = Appointment{Provider: 9}.MarshalJSON()
	var ee *DecodeError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "encode", ee.Op)
	assert.Equal(t, "/provider", ee.Path)
	assert.ErrorIs(t, err, provider.ErrInvalidProvider)
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = Decode([]byte(`{"provider":3}`))
	require.ErrorAs(t, err, new(*DecodeError))
}
