package provider_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// areaInfoResponse is the area-info example of Junction's documentation.
const areaInfoResponse = `{
  "zip_code": "85004",
  "phlebotomy": {
    "is_served": true,
    "providers": [
      {"name": "getlabs", "tier": ["appointment-ready"]},
      {"name": "phlebfinders", "tier": ["appointment-request"]}
    ]
  }
}`

func ExampleParse() {
	p, err := provider.Parse("getlabs")
	fmt.Println(p, err)

	_, err = provider.Parse("quest")
	fmt.Println(err)
	fmt.Println(errors.Is(err, provider.ErrNotAtHome), errors.Is(err, provider.ErrUnknownProvider))

	_, err = provider.Parse("GetLabs")
	fmt.Println(err)
	fmt.Println(errors.Is(err, provider.ErrNotAtHome), errors.Is(err, provider.ErrUnknownProvider))
	// Output:
	// getlabs <nil>
	// provider: "quest" cannot take an at-home booking: patient service centre network: the patient walks in
	// true false
	// provider: unknown provider "GetLabs"
	// false true
}

func ExampleError() {
	_, err := provider.Parse("axlehealth")
	var pe *provider.Error
	if errors.As(err, &pe) {
		fmt.Printf("%s: %s (not at home: %t)\n", pe.Value, pe.Reason, errors.Is(pe, provider.ErrNotAtHome))
	}

	info := provider.AreaInfo{ZipCode: "99501"}
	_, err = info.ForBooking()
	if errors.As(err, &pe) {
		fmt.Printf("%s: %s (not served: %t)\n", pe.Value, pe.Reason, errors.Is(pe, provider.ErrNotServed))
	}
	// Output:
	// axlehealth: retired (not at home: true)
	// 99501: no provider for appointment-ready (not served: true)
}

func ExampleAll() {
	for _, p := range provider.All() {
		fmt.Println(p)
	}
	// Output:
	// getlabs
	// phlebfinders
}

func ExampleProvider_String() {
	fmt.Println(provider.Phlebfinders.String())
	var forgotten provider.Provider
	fmt.Println(forgotten.String(), forgotten.IsValid())
	// Output:
	// phlebfinders
	// provider.Provider(0) false
}

func ExampleProvider_MarshalText() {
	type booking struct {
		Provider provider.Provider `json:"provider"`
	}
	data, err := json.Marshal(booking{Provider: provider.Phlebfinders})
	fmt.Println(string(data), err)

	var b booking
	err = json.Unmarshal([]byte(`{"provider":"sonora_quest"}`), &b)
	fmt.Println(b.Provider.IsValid(), errors.Is(err, provider.ErrNotAtHome))
	// Output:
	// {"provider":"phlebfinders"} <nil>
	// false true
}

func ExampleProvider_Offers() {
	for _, p := range provider.All() {
		for _, t := range tier.All() {
			fmt.Printf("%s offers %s: %t\n", p, t, p.Offers(t))
		}
	}
	// Output:
	// getlabs offers appointment-ready: true
	// getlabs offers appointment-request: false
	// phlebfinders offers appointment-ready: false
	// phlebfinders offers appointment-request: true
}

func ExampleProvider_Beta() {
	for _, p := range provider.All() {
		fmt.Println(p, p.Beta())
	}
	// Output:
	// getlabs false
	// phlebfinders true
}

func ExampleProvider_RecommendedLead() {
	now := time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	start := time.Date(2025, time.March, 4, 15, 0, 0, 0, time.UTC)
	lead := provider.Getlabs.RecommendedLead()
	if start.Sub(now) < lead {
		fmt.Printf("warn: book at least %v ahead; earliest recommended start %s\n",
			lead, now.Add(lead).Format(time.RFC3339))
	}
	// Output:
	// warn: book at least 48h0m0s ahead; earliest recommended start 2025-03-05T09:00:00Z
}

func ExampleProvider_AutoRescheduleBefore() {
	start := time.Date(2025, time.March, 7, 15, 0, 0, 0, time.UTC)
	if before, ok := provider.Getlabs.AutoRescheduleBefore(); ok {
		fmt.Println("without a requisition, Getlabs reschedules around", start.Add(-before).Format(time.RFC3339))
	}
	_, ok := provider.Phlebfinders.AutoRescheduleBefore()
	fmt.Println("phlebfinders reschedules on its own:", ok)
	// Output:
	// without a requisition, Getlabs reschedules around 2025-03-06T15:00:00Z
	// phlebfinders reschedules on its own: false
}

func ExampleAreaQuery() {
	q := provider.AreaQuery{ZipCode: "85004"}
	path, err := q.Path()
	fmt.Println(path, err)

	q.Radius = 50
	query, err := q.Encode()
	fmt.Println(query, err)
	// Output:
	// /v3/order/area/info?zip_code=85004&radius=25 <nil>
	// zip_code=85004&radius=50 <nil>
}

func ExampleAreaQuery_Validate() {
	for _, q := range []provider.AreaQuery{
		{ZipCode: "85004", Radius: 100},
		{ZipCode: "85004-1234"},
		{ZipCode: "85004", Radius: 30},
	} {
		err := q.Validate()
		fmt.Println(err, errors.Is(err, provider.ErrInvalidZipCode), errors.Is(err, provider.ErrInvalidRadius))
	}
	// Output:
	// <nil> false false
	// provider: invalid zip_code "85004-1234": want exactly five ASCII digits true false
	// provider: invalid radius "30": want 10, 20, 25, 50 or 100 miles false true
}

func ExampleAreaQuery_Values() {
	v, err := provider.AreaQuery{ZipCode: "54650", Radius: 10}.Values()
	if err != nil {
		fmt.Println(err)
		return
	}
	v.Set("lab_id", "27")
	fmt.Println(v.Encode())
	// Output:
	// lab_id=27&radius=10&zip_code=54650
}

func ExampleParseAreaInfo() {
	info, err := provider.ParseAreaInfo([]byte(areaInfoResponse))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.ZipCode, info.Served())
	for _, l := range info.Phlebotomy.Providers {
		fmt.Println(l.Name, l.Tiers)
	}

	_, err = provider.ParseAreaInfo([]byte(`{"phlebotomy":{"is_served":"yes"}}`))
	fmt.Println(errors.Is(err, provider.ErrMalformed))
	// Output:
	// 85004 true
	// getlabs [appointment-ready]
	// phlebfinders [appointment-request]
	// true
}

func ExampleAreaInfo_MarshalJSONTo() {
	info, err := provider.ParseAreaInfo([]byte(areaInfoResponse))
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := json.Marshal(info)
	fmt.Println(string(data), err)
	// Output:
	// {"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","service_types":["appointment-ready"]},{"name":"phlebfinders","service_types":["appointment-request"]}]},"central_labs":{}} <nil>
}

func ExampleAreaInfo_ForBooking() {
	info, err := provider.ParseAreaInfo([]byte(areaInfoResponse))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := info.ForBooking()
	fmt.Println("your phlebotomist will come from", p, err)

	requestOnly, _ := provider.ParseAreaInfo([]byte(`{"zip_code":"54650","phlebotomy":{"is_served":true,"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]}}`))
	_, err = requestOnly.ForBooking()
	fmt.Println(err)
	fmt.Println(errors.Is(err, provider.ErrTierUnavailable))
	// Output:
	// your phlebotomist will come from getlabs <nil>
	// provider: zip 54650 has no provider for appointment-ready
	// true
}

func ExampleAreaInfo_ForRequest() {
	info, err := provider.ParseAreaInfo([]byte(areaInfoResponse))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.ForRequest(provider.Phlebfinders))
	fmt.Println(info.ForRequest(provider.Getlabs))

	notServed := provider.AreaInfo{ZipCode: "99501"}
	err = notServed.ForRequest(provider.Phlebfinders)
	fmt.Println(err, errors.Is(err, provider.ErrNotServed))
	// Output:
	// <nil>
	// provider: zip 85004 has no getlabs for appointment-request
	// provider: zip 99501 is not served: no phlebfinders for appointment-request true
}

func ExampleAreaInfo_Providers() {
	info, err := provider.ParseAreaInfo([]byte(`{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[
		{"name":"quest","service_types":["appointment-ready"]},
		{"name":"mobile-draws","service_types":["appointment-ready"]},
		{"name":"getlabs","service_types":["appointment-ready"]}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Providers(tier.AppointmentReady))
	fmt.Println(info.Providers(tier.AppointmentRequest))
	// Output:
	// [getlabs]
	// []
}

// Example_chooseEndpoint chooses between the book and the request
// endpoint from an area-info response: book when an appointment-ready
// provider serves the area, else request with a provider that offers
// appointment-request.
func Example_chooseEndpoint() {
	const orderID = "8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11"
	responses := []string{
		areaInfoResponse,
		`{"zip_code":"54650","phlebotomy":{"is_served":true,"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]}}`,
		`{"zip_code":"99501","phlebotomy":{"is_served":false,"providers":[]}}`,
	}
	for _, body := range responses {
		info, err := provider.ParseAreaInfo([]byte(body))
		if err != nil {
			fmt.Println(err)
			continue
		}

		t, who := tier.AppointmentReady, provider.Provider(0)
		if p, err := info.ForBooking(); err == nil {
			who = p
		} else if ps := info.Providers(tier.AppointmentRequest); len(ps) > 0 {
			t, who = tier.AppointmentRequest, ps[0]
		} else {
			fmt.Println(info.ZipCode, "cannot be served:", err)
			continue
		}

		e := t.Endpoint()
		path, err := e.Path(orderID)
		if err != nil {
			fmt.Println(err)
			continue
		}
		body := "booking_key from the availability slots"
		if t.RequiresProvider() {
			body = "provider=" + who.String()
		}
		fmt.Printf("%s: %s %s (%s); %s will come\n", info.ZipCode, e.Method(), path, body, who)
	}
	// Output:
	// 85004: POST /v3/order/8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11/phlebotomy/appointment/book (booking_key from the availability slots); getlabs will come
	// 54650: POST /v3/order/8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11/phlebotomy/appointment/request (provider=phlebfinders); phlebfinders will come
	// 99501 cannot be served: provider: zip 99501 is not served: no provider for appointment-ready
}

func ExampleAreaInfo_UnmarshalJSONFrom() {
	var reply struct {
		Area provider.AreaInfo `json:"area"`
	}
	err := json.Unmarshal([]byte(`{"area":{"zip_code":"54650","phlebotomy":{"is_served":true,
		"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]}}}`), &reply)
	fmt.Println(reply.Area.ZipCode, reply.Area.Providers(tier.AppointmentRequest), err)

	err = json.Unmarshal([]byte(`{"area":{"phlebotomy":{"providers":{}}}}`), &reply)
	fmt.Println(reply.Area.ZipCode, errors.Is(err, provider.ErrMalformed))
	// Output:
	// 54650 [phlebfinders] <nil>
	// 54650 true
}

func ExampleListing() {
	info, err := provider.ParseAreaInfo([]byte(`{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[
		{"name":"getlabs","tier":["appointment-ready"]},
		{"name":"quest","tier":["appointment-ready"]},
		{"name":"mobile-draws","service_types":["appointment-soon"]}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range info.Phlebotomy.Providers {
		p, err := provider.Parse(l.Name)
		fmt.Printf("%s: ready=%t provider=%v notAtHome=%t unknown=%t\n", l.Name,
			l.Offers(tier.AppointmentReady), p.IsValid(),
			errors.Is(err, provider.ErrNotAtHome), errors.Is(err, provider.ErrUnknownProvider))
	}
	// Output:
	// getlabs: ready=true provider=true notAtHome=false unknown=false
	// quest: ready=true provider=false notAtHome=true unknown=false
	// mobile-draws: ready=false provider=false notAtHome=false unknown=true
}

func ExampleDecodeError() {
	_, err := provider.ParseAreaInfo([]byte(`{"zip_code":"85004","phlebotomy":{"is_served":"yes"}}`))
	var de *provider.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Path, errors.Is(err, provider.ErrMalformed))
	}

	// A member repeated in one object is refused: which value was meant
	// cannot be known.
	_, err = provider.ParseAreaInfo([]byte(`{"zip_code":"85004","zip_code":"54650"}`))
	if errors.As(err, &de) {
		fmt.Println(de.Path, errors.Is(err, provider.ErrMalformed))
	}
	// Output:
	// /phlebotomy/is_served true
	// /zip_code true
}

func ExampleRadius() {
	for _, r := range []provider.Radius{10, provider.DefaultRadius, 30} {
		fmt.Println(int(r), r.IsValid())
	}
	// Output:
	// 10 true
	// 25 true
	// 30 false
}
