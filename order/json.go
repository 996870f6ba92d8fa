package order

import (
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// usAddress is an Address without its methods: its struct tags give the
// USAddress form, with zip_code.
type usAddress Address

// addressIn is what an address decodes from: the USAddress form, and zip.
type addressIn struct {
	usAddress
	Zip string `json:"zip"`
}

// UnmarshalJSONFrom decodes an address in either form, as [Address]
// describes, for github.com/go-json-experiment/json. Null gives the zero
// Address. On error a is unchanged.
func (a *Address) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in addressIn
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return err
	}
	v := Address(in.usAddress)
	switch {
	case v.ZipCode == "":
		v.ZipCode = in.Zip
	case in.Zip != "" && in.Zip != v.ZipCode:
		return zipConflict(in.Zip, v.ZipCode)
	}
	*a = v
	return nil
}

// zipConflict is the error of an address whose zip and zip_code differ.
func zipConflict(zip, zipCode string) error {
	return fmt.Errorf("%w: zip %q and zip_code %q differ", ErrMalformed, zip, zipCode)
}

// orderAddress is an order's patient_address as Junction writes it: zip,
// not zip_code, and every member it documents there.
type orderAddress struct {
	ReceiverName string `json:"receiver_name"`
	FirstLine    string `json:"first_line"`
	SecondLine   string `json:"second_line"`
	Unit         string `json:"unit,omitempty"`
	City         string `json:"city"`
	State        string `json:"state"`
	ZipCode      string `json:"zip"`
	Country      string `json:"country"`
	PhoneNumber  string `json:"phone_number"`
	AccessNotes  string `json:"access_notes,omitempty"`
}
