package tier_test

import (
	"errors"
	"fmt"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/tier"
)

func ExampleParse() {
	t, err := tier.Parse("appointment-request")
	fmt.Println(t, err)

	_, err = tier.Parse("Appointment-Ready")
	fmt.Println(err)
	fmt.Println(errors.Is(err, tier.ErrUnknownTier))
	// Output:
	// appointment-request <nil>
	// tier: unknown tier "Appointment-Ready"
	// true
}

func ExampleAll() {
	for _, t := range tier.All() {
		fmt.Println(t)
	}
	// Output:
	// appointment-ready
	// appointment-request
}

func ExampleTier_String() {
	fmt.Println(tier.AppointmentReady.String())
	var forgotten tier.Tier
	fmt.Println(forgotten.String(), forgotten.IsValid())
	// Output:
	// appointment-ready
	// tier.Tier(0) false
}

func ExampleTier_MarshalText() {
	type appointment struct {
		ID   string    `json:"id"`
		Tier tier.Tier `json:"tier"`
	}
	data, err := json.Marshal(appointment{ID: "a1", Tier: tier.AppointmentReady})
	fmt.Println(string(data), err)

	_, err = json.Marshal(appointment{ID: "a2"})
	fmt.Println(errors.Is(err, tier.ErrInvalidTier))
	// Output:
	// {"id":"a1","tier":"appointment-ready"} <nil>
	// true
}

func ExampleTier_UnmarshalText() {
	var a struct {
		Tier tier.Tier `json:"tier"`
	}
	err := json.Unmarshal([]byte(`{"tier":"appointment-request"}`), &a)
	fmt.Println(a.Tier, err)

	err = json.Unmarshal([]byte(`{"tier":"walk-in"}`), &a)
	fmt.Println(a.Tier, errors.Is(err, tier.ErrUnknownTier))
	// Output:
	// appointment-request <nil>
	// appointment-request true
}

func ExampleTier_Synchronous() {
	for _, t := range tier.All() {
		fmt.Printf("%s: synchronous=%t, time at creation=%t, must name a provider=%t\n",
			t, t.Synchronous(), t.HasTimeAtCreation(), t.RequiresProvider())
	}
	// Output:
	// appointment-ready: synchronous=true, time at creation=true, must name a provider=false
	// appointment-request: synchronous=false, time at creation=false, must name a provider=true
}

func ExampleTier_HasTimeAtCreation() {
	t := tier.AppointmentRequest
	if !t.HasTimeAtCreation() {
		fmt.Println("show the patient: a phlebotomist will call to agree a date and time")
	}
	// Output:
	// show the patient: a phlebotomist will call to agree a date and time
}

func ExampleTier_RequiresProvider() {
	t := tier.AppointmentRequest
	body := map[string]string{"booking_key": "..."}
	if t.RequiresProvider() {
		body = map[string]string{"provider": "phlebfinders"}
	}
	fmt.Println(body)
	// Output:
	// map[provider:phlebfinders]
}

func ExampleTier_Endpoint() {
	for _, t := range tier.All() {
		fmt.Println(t.Endpoint())
	}
	fmt.Println(tier.Tier(0).Endpoint())
	// Output:
	// POST /v3/order/{order_id}/phlebotomy/appointment/book
	// POST /v3/order/{order_id}/phlebotomy/appointment/request
	// tier.Endpoint(tier.Tier(0))
}

func ExampleEndpoint_Path() {
	e := tier.AppointmentReady.Endpoint()
	path, err := e.Path("8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11")
	fmt.Println(e.Method(), path, err)

	_, err = e.Path("../cancel")
	fmt.Println(err)
	fmt.Println(errors.Is(err, tier.ErrInvalidOrderID))
	// Output:
	// POST /v3/order/8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11/phlebotomy/appointment/book <nil>
	// tier: invalid order id "../cancel": contains a character that needs escaping
	// true
}

func ExampleEndpoint_Pattern() {
	e := tier.AppointmentRequest.Endpoint()
	fmt.Println(e.Method())
	fmt.Println(e.Pattern())
	// Output:
	// POST
	// /v3/order/{order_id}/phlebotomy/appointment/request
}

func ExampleError() {
	_, err := tier.AppointmentRequest.Endpoint().Path("order 42")
	var te *tier.Error
	if errors.As(err, &te) {
		fmt.Printf("%q: %s\n", te.Value, te.Reason)
	}
	fmt.Println(errors.Is(err, tier.ErrInvalidOrderID))
	// Output:
	// "order 42": contains a character that needs escaping
	// true
}
