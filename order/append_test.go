package order

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"pgregory.net/rapid"
)

// checkAppend holds appendJSON to the general path it stands in for: for
// every order, it writes exactly the bytes marshalWire writes, after what
// the buffer held, or reports false exactly when marshalWire fails; and
// MarshalJSON and MarshalJSONTo write those bytes, or marshalWire's error.
func checkAppend(tb interface {
	Helper()
	Fatalf(string, ...any)
}, o Order) {
	tb.Helper()
	want, err := o.marshalWire()
	prefix := []byte("[0,")
	got, ok := o.appendJSON(bytes.Clone(prefix))
	switch {
	case ok != (err == nil):
		tb.Fatalf("appendJSON(%#v) reports %v, the general path %v", o, ok, err)
	case !bytes.HasPrefix(got, prefix):
		tb.Fatalf("appendJSON(%#v) wrote over the buffer: %q", o, got)
	case ok && !bytes.Equal(got[len(prefix):], want):
		tb.Fatalf("appendJSON(%#v) =\n%s\nthe general path writes\n%s", o, got[len(prefix):], want)
	}
	if b, merr := o.MarshalJSON(); !bytes.Equal(b, want) || !reflect.DeepEqual(merr, err) {
		tb.Fatalf("MarshalJSON(%#v) = %s, %v; want %s, %v", o, b, merr, want, err)
	}
	b, merr := json.Marshal(o)
	if err != nil {
		var de *DecodeError
		if !errors.As(merr, &de) || !reflect.DeepEqual(de, err) {
			tb.Fatalf("json.Marshal(%#v) = %v, want %v", o, merr, err)
		}
		return
	}
	if merr != nil || !bytes.Equal(b, want) {
		tb.Fatalf("json.Marshal(%#v) = %s, %v; want %s", o, b, merr, want)
	}
}

// TestAppendJSON checks appendJSON on the fixtures, the zero order, and
// each member in each of the forms it can be written in, refusals too.
func TestAppendJSON(t *testing.T) {
	base, err := Decode(fixture(t, "order-updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	orders := []Order{{}, {Details: Details{Type: ModalityAtHomePhlebotomy}}, {Transaction: Transaction{Status: "x"}}}
	for _, name := range orderFixtures {
		o, err := Decode(fixture(t, name))
		if err != nil && !errors.Is(err, ErrUnknownStatus) {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	edits := map[string]func(o *Order){
		"escaped":       func(o *Order) { o.Notes = "a \"b\" \\ \n\t\x01 é \u2028 <&>" },
		"invalid UTF-8": func(o *Order) { o.Notes = "a\xffb" },
		"invalid id":    func(o *Order) { o.ID = "\xc3" },
		"empty texts": func(o *Order) {
			o.SampleID, o.Notes, o.Origin, o.HealthInsuranceID, o.RequisitionFormURL = "", "", "", "", ""
		},
		"texts":           func(o *Order) { o.HealthInsuranceID, o.RequisitionFormURL = "h", "https://r" },
		"no patient":      func(o *Order) { o.Patient = Patient{} },
		"patient email":   func(o *Order) { o.Patient = Patient{Email: "p@q"} },
		"no dob":          func(o *Order) { o.Patient.DOB = Date{} },
		"invalid dob":     func(o *Order) { o.Patient.DOB = Date{Year: 1990, Month: 2, Day: 30} },
		"far dob":         func(o *Order) { o.Patient.DOB = Date{Year: -1, Month: 1, Day: 1} },
		"address":         func(o *Order) { o.Address.Unit, o.Address.AccessNotes = "4B", "gate" },
		"no address":      func(o *Order) { o.Address = Address{} },
		"address country": func(o *Order) { o.Address = Address{Country: "US"} },
		"shipping":        func(o *Order) { o.ShippingDetails = Address{ReceiverName: "R", ZipCode: "1", AccessNotes: "n"} },
		"shipping unit":   func(o *Order) { o.ShippingDetails = Address{Unit: "u"} },
		"lab test": func(o *Order) {
			o.LabTest = LabTest{"i", "s", "n", "serum", ModalityTestkit, true, 12.5, true, "active"}
		},
		"price small":     func(o *Order) { o.LabTest.Price = 1e-7 },
		"price large":     func(o *Order) { o.LabTest.Price = -1e21 },
		"price -0":        func(o *Order) { o.LabTest.Price = math.Copysign(0, -1) },
		"price fraction":  func(o *Order) { o.LabTest.Price = 0.1 + 0.2 },
		"price NaN":       func(o *Order) { o.LabTest.Price = math.NaN() },
		"price Inf":       func(o *Order) { o.LabTest.Price = math.Inf(1) },
		"price -Inf":      func(o *Order) { o.LabTest.Price = math.Inf(-1) },
		"method":          func(o *Order) { o.LabTest.Method = "\xff" },
		"walk-in":         func(o *Order) { o.Details.Type = ModalityWalkInTest },
		"no details data": func(o *Order) { o.Details = Details{Type: ModalityAtHomePhlebotomy} },
		"details id":      func(o *Order) { o.Details = Details{Type: ModalityAtHomePhlebotomy, ID: "d"} },
		"details appt":    func(o *Order) { o.Details = Details{Type: ModalityAtHomePhlebotomy, AppointmentID: "a"} },
		"details created": func(o *Order) { o.Details = Details{Type: ModalityAtHomePhlebotomy, CreatedAt: time.Unix(0, 0)} },
		"details updated": func(o *Order) { o.Details = Details{Type: ModalityAtHomePhlebotomy, UpdatedAt: time.Unix(0, 0)} },
		"details zoned": func(o *Order) {
			o.Details = Details{Type: ModalityAtHomePhlebotomy, CreatedAt: time.Time{}.In(time.FixedZone("z", 0))}
		},
		"details far":      func(o *Order) { o.Details.UpdatedAt = far },
		"details modality": func(o *Order) { o.Details.Type = "\xfe" },
		"created far":      func(o *Order) { o.CreatedAt = far },
		"updated far":      func(o *Order) { o.UpdatedAt = far },
		"zoned times": func(o *Order) {
			o.CreatedAt = time.Date(2024, 3, 1, 9, 30, 0, 1, time.FixedZone("EST", -5*3600))
			o.UpdatedAt = time.Date(2024, 3, 1, 9, 30, 0, 120_000_000, time.Local)
		},
		"no history":       func(o *Order) { o.History = nil },
		"empty history":    func(o *Order) { o.History = []HistoryEntry{} },
		"history text":     func(o *Order) { o.History[0] = HistoryEntry{ID: -3, StatusText: "made.up", Detail: "d"} },
		"history invalid":  func(o *Order) { o.History[1].Status = numStatuses + 1 },
		"history far":      func(o *Order) { o.History[2].CreatedAt = far },
		"history detail":   func(o *Order) { o.History[2].Detail = "\xff" },
		"history text bad": func(o *Order) { o.History[0] = HistoryEntry{StatusText: "\xff"} },
		"last event":       func(o *Order) { o.LastEvent = HistoryEntry{ID: math.MaxInt64, Status: Completed, Detail: "late"} },
		"last invalid":     func(o *Order) { o.LastEvent.Status = 255 },
		"high-level text":  func(o *Order) { o.HighLevel, o.HighLevelText = 0, "mystery" },
		"high-level none":  func(o *Order) { o.HighLevel, o.HighLevelText = 0, "" },
		"high-level bad":   func(o *Order) { o.HighLevel = numHighLevels + 1 },
		"high-level text8": func(o *Order) { o.HighLevel, o.HighLevelText = 0, "\xff" },
		"activate by":      func(o *Order) { o.ActivateBy = Date{Year: 2025, Month: 12, Day: 31} },
		"activate invalid": func(o *Order) { o.ActivateBy = Date{Year: 2025, Month: 13, Day: 1} },
		"activate early":   func(o *Order) { o.ActivateBy = Date{Year: 3, Month: 1, Day: 1} },
		"has abn":          func(o *Order) { o.HasABN = true },
		"no transaction":   func(o *Order) { o.Transaction = Transaction{} },
		"transaction id":   func(o *Order) { o.Transaction = Transaction{ID: "t"} },
		"transaction bad":  func(o *Order) { o.Transaction.Status = "\xff" },
		"tx orders": func(o *Order) {
			o.Transaction.Orders = append(o.Transaction.Orders, TransactionOrder{StatusText: "odd", Origin: "o", ParentID: "p"},
				TransactionOrder{Status: Completed, StatusCreatedAt: time.Unix(1, 0)})
		},
		"tx order invalid":  func(o *Order) { o.Transaction.Orders[0].Status = numStatuses + 1 },
		"tx order far":      func(o *Order) { o.Transaction.Orders[0].StatusCreatedAt = far },
		"tx order created":  func(o *Order) { o.Transaction.Orders[0].CreatedAt = far },
		"tx order updated":  func(o *Order) { o.Transaction.Orders[0].UpdatedAt = far },
		"tx order no stamp": func(o *Order) { o.Transaction.Orders[0].StatusCreatedAt = time.Time{} },
		"tx order parent":   func(o *Order) { o.Transaction.Orders[0].ParentID = "\xff" },
		"tx order empty":    func(o *Order) { o.Transaction.Orders[0] = TransactionOrder{} },
		"tx no orders":      func(o *Order) { o.Transaction.Orders = nil },
	}
	for name, edit := range edits {
		o := base
		o.History = append([]HistoryEntry(nil), base.History...)
		o.Transaction.Orders = append([]TransactionOrder(nil), base.Transaction.Orders...)
		edit(&o)
		orders = append(orders, o)
		t.Run(name, func(t *testing.T) { checkAppend(t, o) })
	}
	for i, o := range orders {
		if i < 3+len(orderFixtures) {
			checkAppend(t, o)
		}
	}
}

// TestAppendJSONProperty checks appendJSON on arbitrary orders.
func TestAppendJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkAppend(t, genOrder().Draw(t, "order")) })
}

// genOrder generates orders of every member's every form: strings that
// need escaping or are not UTF-8, statuses zero, valid and not, times and
// dates in range and not, prices of each of JSON's forms and none.
func genOrder() *rapid.Generator[Order] {
	str := rapid.OneOf(rapid.SampledFrom([]string{"", "", "a", "x\"y\\z", "é\u2028", "\x00\x1f", "\xff", "at_home_phlebotomy"}),
		rapid.String())
	stamp := rapid.OneOf(rapid.SampledFrom([]time.Time{{}, {}, time.Time{}.In(time.FixedZone("z", 60)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("w", 3600))}),
		rapid.Custom(func(t *rapid.T) time.Time {
			return time.Unix(rapid.Int64Range(-62167219200, 253402300799).Draw(t, "s"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).
				In(time.FixedZone("", rapid.IntRange(-12, 12).Draw(t, "h")*3600))
		}))
	status := rapid.Custom(func(t *rapid.T) Status { return Status(rapid.IntRange(0, numStatuses+1).Draw(t, "status")) })
	date := rapid.Custom(func(t *rapid.T) Date {
		return Date{rapid.IntRange(-1, 10000).Draw(t, "y"), time.Month(rapid.IntRange(0, 13).Draw(t, "m")), rapid.IntRange(0, 32).Draw(t, "d")}
	})
	date = rapid.OneOf(rapid.Just(Date{}), date)
	entry := rapid.Custom(func(t *rapid.T) HistoryEntry {
		return HistoryEntry{ID: rapid.Int64().Draw(t, "id"), CreatedAt: stamp.Draw(t, "at"), Status: status.Draw(t, "status"),
			StatusText: str.Draw(t, "text"), Detail: str.Draw(t, "detail")}
	})
	address := rapid.OneOf(rapid.Just(Address{}), rapid.Custom(func(t *rapid.T) Address {
		return Address{str.Draw(t, "receiver"), str.Draw(t, "first"), str.Draw(t, "second"), str.Draw(t, "unit"), str.Draw(t, "city"),
			str.Draw(t, "state"), str.Draw(t, "zip"), str.Draw(t, "country"), str.Draw(t, "phone"), str.Draw(t, "notes")}
	}))
	price := rapid.OneOf(rapid.SampledFrom([]float64{0, math.Copysign(0, -1), 1e-7, 1e21, 0.3, math.NaN(), math.Inf(-1)}), rapid.Float64())
	return rapid.Custom(func(t *rapid.T) Order {
		o := Order{ID: str.Draw(t, "id"), TeamID: str.Draw(t, "team"), UserID: str.Draw(t, "user"), Address: address.Draw(t, "address"),
			SampleID: str.Draw(t, "sample"), Notes: str.Draw(t, "notes"), CreatedAt: stamp.Draw(t, "created"),
			UpdatedAt: stamp.Draw(t, "updated"), LastEvent: entry.Draw(t, "last"), HighLevelText: str.Draw(t, "high-level text"),
			HighLevel: HighLevel(rapid.IntRange(0, numHighLevels+1).Draw(t, "high-level")), ActivateBy: date.Draw(t, "activate"),
			Origin: str.Draw(t, "origin"), HasABN: rapid.Bool().Draw(t, "abn"), HealthInsuranceID: str.Draw(t, "insurance"),
			RequisitionFormURL: str.Draw(t, "url"), ShippingDetails: address.Draw(t, "shipping")}
		if rapid.Bool().Draw(t, "patient") {
			o.Patient = Patient{date.Draw(t, "dob"), str.Draw(t, "gender"), str.Draw(t, "first"), str.Draw(t, "last"),
				str.Draw(t, "phone"), str.Draw(t, "email")}
		}
		o.LabTest = LabTest{str.Draw(t, "id"), str.Draw(t, "slug"), str.Draw(t, "name"), str.Draw(t, "sample"),
			Modality(str.Draw(t, "method")), rapid.Bool().Draw(t, "fasting"), price.Draw(t, "price"), rapid.Bool().Draw(t, "active"),
			str.Draw(t, "status")}
		o.Details.Type = rapid.SampledFrom([]Modality{"", ModalityAtHomePhlebotomy, ModalityAtHomePhlebotomy, ModalityWalkInTest}).Draw(t, "type")
		if rapid.Bool().Draw(t, "details") {
			o.Details.ID, o.Details.AppointmentID = str.Draw(t, "details id"), str.Draw(t, "appointment")
			o.Details.CreatedAt, o.Details.UpdatedAt = stamp.Draw(t, "details created"), stamp.Draw(t, "details updated")
		}
		o.History = rapid.SliceOfN(entry, -1, 3).Draw(t, "history")
		if rapid.Bool().Draw(t, "transaction") {
			o.Transaction = Transaction{ID: str.Draw(t, "tx id"), Status: str.Draw(t, "tx status")}
			o.Transaction.Orders = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) TransactionOrder {
				return TransactionOrder{str.Draw(t, "id"), status.Draw(t, "status"), str.Draw(t, "text"), stamp.Draw(t, "at"),
					str.Draw(t, "origin"), str.Draw(t, "parent"), stamp.Draw(t, "created"), stamp.Draw(t, "updated")}
			}), -1, 2).Draw(t, "tx orders")
		}
		return o
	})
}

// FuzzAppendJSON checks appendJSON on the orders arbitrary bytes decode
// to, one string member and one time of each set from the input.
func FuzzAppendJSON(f *testing.F) {
	for _, name := range orderFixtures {
		f.Add(fixture(f, name), "", int64(0), uint8(0))
	}
	for _, c := range decodeCases {
		f.Add([]byte(c.data), "a\"\xff", int64(-62135596801), uint8(7))
	}
	f.Add([]byte(`{"details":{"type":"at_home_phlebotomy"},"events":[{"id":1}]}`), "\u2028", int64(253402300800), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, s string, sec int64, which uint8) {
		o, _ := Decode(data)
		at := time.Unix(sec, int64(which)*1e6)
		texts := []*string{&o.ID, &o.Notes, &o.Patient.Email, &o.Address.Unit, &o.ShippingDetails.AccessNotes, &o.LabTest.Name,
			&o.HighLevelText, &o.Origin, &o.Details.AppointmentID, &o.Transaction.Status}
		*texts[int(which)%len(texts)] = s
		times := []*time.Time{&o.CreatedAt, &o.UpdatedAt, &o.Details.CreatedAt, &o.LastEvent.CreatedAt}
		*times[int(which/16)%len(times)] = at
		if len(o.History) > 0 {
			e := &o.History[int(which)%len(o.History)]
			e.Status, e.Detail = Status(which%(numStatuses+2)), strings.Repeat(s, 2)
		}
		checkAppend(t, o)
	})
}

// TestEncodingJSON checks the methods encoding/json calls: what it writes
// of an order in a struct decodes to the same order beside the same error,
// null and errors leave the destination as it was, and a nil destination
// is refused.
func TestEncodingJSON(t *testing.T) {
	type doc struct {
		Order  Order   `json:"order"`
		Orders []Order `json:"orders"`
	}
	for _, name := range orderFixtures {
		data := fixture(t, name)
		o, derr := Decode(data)
		in := doc{Order: o, Orders: []Order{o, {}}}
		b, err := stdjson.Marshal(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out doc
		err = stdjson.Unmarshal(b, &out)
		if derr == nil && (err != nil || !reflect.DeepEqual(out, in)) {
			t.Fatalf("%s: encoding/json read back %#v, %v; want %#v", name, out, err, in)
		}
		if derr != nil && !errors.Is(err, ErrUnknownStatus) {
			t.Fatalf("%s: encoding/json read back %v; want %v", name, err, derr)
		}
	}
	kept := Order{ID: "kept", History: []HistoryEntry{{ID: 1, Status: Ordered}}}
	for _, data := range []string{`null`, ` null`, `{"id": 3}`, `{"details": {"type": "at_home_phlebotomy"}, "status": "x"}`} {
		o := kept
		err := o.UnmarshalJSON([]byte(data))
		if !reflect.DeepEqual(o, kept) || (err == nil) != strings.Contains(data, "null") {
			t.Errorf("UnmarshalJSON(%s) = %v, leaving %#v", data, err, o)
		}
		var de *DecodeError
		if err != nil && !errors.As(err, &de) {
			t.Errorf("UnmarshalJSON(%s) = %v, not a *DecodeError", data, err)
		}
	}
	for _, data := range []string{``, ` `, `{`} {
		if err := new(Order).UnmarshalJSON([]byte(data)); !errors.Is(err, ErrMalformed) {
			t.Errorf("UnmarshalJSON(%q) = %v, want ErrMalformed", data, err)
		}
	}
	var nilOrder *Order
	if err := nilOrder.UnmarshalJSON([]byte(`{}`)); err == nil {
		t.Error("UnmarshalJSON into a nil *Order succeeded")
	}
	if _, err := stdjson.Marshal(Order{HighLevel: 200}); !errors.Is(err, ErrUnknownStatus) {
		t.Errorf("encoding/json wrote an invalid high-level status: %v", err)
	}
}
