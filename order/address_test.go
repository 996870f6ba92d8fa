package order

import (
	"errors"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullAddress has every field set.
var fullAddress = Address{ReceiverName: "John Doe", FirstLine: "123 Main St.", SecondLine: "Apt. 208", Unit: "14",
	City: "Phoenix", State: "AZ", ZipCode: "85004", Country: "US", PhoneNumber: "+1123456789", AccessNotes: "Gate #12"}

func TestAddressDecode(t *testing.T) {
	kept := Address{City: "kept"}
	for _, c := range []struct {
		name, data string
		want       Address
		field      string // the JSON Pointer of a fault; "-" for none
	}{
		{name: "zip only", data: `{"zip": "85004", "city": "Phoenix"}`, want: Address{ZipCode: "85004", City: "Phoenix"}, field: "-"},
		{name: "zip_code only", data: `{"zip_code": "85004"}`, want: Address{ZipCode: "85004"}, field: "-"},
		{name: "both equal", data: `{"zip": "85004", "zip_code": "85004"}`, want: Address{ZipCode: "85004"}, field: "-"},
		{name: "zip null", data: `{"zip": null, "zip_code": "85004"}`, want: Address{ZipCode: "85004"}, field: "-"},
		{name: "zip_code null", data: `{"zip": "85004", "zip_code": null}`, want: Address{ZipCode: "85004"}, field: "-"},
		{name: "zip empty", data: `{"zip_code": "85004", "zip": ""}`, want: Address{ZipCode: "85004"}, field: "-"},
		{name: "neither", data: `{"first_line": "1 A St."}`, want: Address{FirstLine: "1 A St."}, field: "-"},
		{name: "null", data: `null`, want: Address{}, field: "-"},
		{name: "null members", data: `{"receiver_name": null, "first_line": null, "second_line": null, "unit": null,
			"city": null, "state": null, "zip_code": null, "country": null, "phone_number": null, "access_notes": null}`,
			want: Address{}, field: "-"},
		{name: "every member", data: `{"receiver_name": "John Doe", "first_line": "123 Main St.", "second_line": "Apt. 208",
			"unit": "14", "city": "Phoenix", "state": "AZ", "zip_code": "85004", "country": "US",
			"phone_number": "+1123456789", "access_notes": "Gate #12", "lat": 33.4}`, want: fullAddress, field: "-"},
		{name: "both different", data: `{"zip": "85004", "zip_code": "54650"}`, field: ""},
		{name: "both different, zip_code first", data: `{"zip_code": "54650", "zip": "85004"}`, field: ""},
		{name: "zip number", data: `{"zip": 85004}`, field: "/zip"},
		{name: "zip_code number", data: `{"zip_code": 85004}`, field: "/zip_code"},
		{name: "zip object", data: `{"zip": {}}`, field: "/zip"},
		{name: "access_notes bool", data: `{"access_notes": true}`, field: "/access_notes"},
		{name: "unit array", data: `{"unit": []}`, field: "/unit"},
		{name: "array", data: `[]`, field: ""},
		{name: "string", data: `"85004"`, field: ""},
		{name: "number", data: `1`, field: ""},
		{name: "repeated zip", data: `{"zip": "85004", "zip": "85004"}`, field: "/zip"},
		{name: "other case", data: `{"ZIP": "85004"}`, want: Address{}, field: "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := kept
			err := json.Unmarshal([]byte(c.data), &a)
			if c.field == "-" {
				require.NoError(t, err)
				assert.Equal(t, c.want, a)
				return
			}
			require.Error(t, err)
			assert.Equal(t, kept, a, "the destination is unchanged on error")
			var se *json.SemanticError
			if errors.As(err, &se) {
				assert.Equal(t, c.field, string(se.JSONPointer))
			}
			if c.name == "both different" {
				assert.ErrorIs(t, err, ErrMalformed)
				assert.ErrorContains(t, err, `order: malformed input: zip "85004" and zip_code "54650" differ`)
			}
		})
	}
}

func TestAddressRoundTrip(t *testing.T) {
	for _, a := range []Address{{}, fullAddress, {ZipCode: "85004"}, {FirstLine: "1 A St.", Unit: "2"}, {AccessNotes: "\"<&>\""}} {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back Address
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		assert.Equal(t, a, back, "the USAddress form %s", b)

		b, err = json.Marshal(orderAddress{a})
		require.NoError(t, err)
		back = Address{}
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		assert.Equal(t, a, back, "the order form %s", b)

		o := Order{Address: a}
		if a == (Address{}) {
			continue
		}
		ob, err := json.Marshal(o)
		require.NoError(t, err)
		back2, err := Decode(ob)
		require.NoError(t, err)
		assert.Equal(t, a, back2.Address, "through an order: %s", ob)
	}
}

func TestAddressForms(t *testing.T) {
	b, err := json.Marshal(fullAddress)
	require.NoError(t, err)
	assert.Equal(t, `{"receiver_name":"John Doe","first_line":"123 Main St.","second_line":"Apt. 208","unit":"14",`+
		`"city":"Phoenix","state":"AZ","zip_code":"85004","country":"US","phone_number":"+1123456789",`+
		`"access_notes":"Gate #12"}`, string(b))
	b, err = json.Marshal(Address{})
	require.NoError(t, err)
	assert.Equal(t, `{"first_line":"","city":"","state":"","zip_code":""}`, string(b), "the USAddress form's required members")

	ob, err := json.Marshal(Order{Address: Address{FirstLine: "1 A St.", ZipCode: "85004"}})
	require.NoError(t, err)
	assert.Contains(t, string(ob), `"patient_address":{"receiver_name":"","first_line":"1 A St.","second_line":"",`+
		`"city":"","state":"","zip":"85004","country":"","phone_number":""}`, "an order's form")
	ob, err = json.Marshal(Order{Address: fullAddress})
	require.NoError(t, err)
	assert.Contains(t, string(ob), `"unit":"14"`)
	assert.Contains(t, string(ob), `"access_notes":"Gate #12"`)
	assert.NotContains(t, string(ob), `zip_code`)
}

func TestDecodeOrderAddress(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       string
		bad        bool
	}{
		{name: "zip", data: `{"zip": "85004"}`, want: "85004"},
		{name: "zip_code", data: `{"zip_code": "85004"}`, want: "85004"},
		{name: "both equal", data: `{"zip_code": "85004", "zip": "85004"}`, want: "85004"},
		{name: "zip null", data: `{"zip_code": "85004", "zip": null}`, want: "85004"},
		{name: "both different", data: `{"zip": "85004", "zip_code": "54650"}`, bad: true},
		{name: "zip number", data: `{"zip": 85004}`, bad: true},
		{name: "zip_code number", data: `{"zip_code": 85004}`, bad: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := Decode([]byte(`{"patient_address": ` + c.data + `}`))
			if c.bad {
				require.ErrorIs(t, err, ErrMalformed)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, de.Path, "/patient_address")
				assert.Zero(t, o)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, o.Address.ZipCode)
		})
	}
}

func TestEffectiveSecondLine(t *testing.T) {
	assert.Equal(t, "Apt. 208", Address{SecondLine: "Apt. 208", Unit: "14"}.EffectiveSecondLine())
	assert.Equal(t, "14", Address{Unit: "14"}.EffectiveSecondLine())
	assert.Empty(t, Address{}.EffectiveSecondLine())
}
