package order

import "time"

// Order is a Junction lab-testing order as the labtest.order.created and
// labtest.order.updated webhooks and the order endpoints carry it: the data
// of the webhook, or the order of the endpoint's response. [Decode] reads
// it from that JSON in one pass and [Order.MarshalJSONTo] writes it back with
// Junction's field names; decoding what it writes gives an equal value.
//
// Junction sends orders of every modality on the same events. Only an
// at-home phlebotomy order ([Order.IsPhlebotomy]) has its statuses parsed
// into [Status]: the statuses of any other order, and of an order without
// details, are not this package's, and stay text (StatusText,
// HighLevelText) so that nothing is lost and nothing is mistaken for a
// phlebotomy status.
//
// Timestamps are in UTC; the zero time.Time stands for a timestamp that is
// absent or null. Strings that are absent or null are empty. Fields
// Junction sends that this type does not model (physician, priority,
// billing_type, icd_codes, passthrough, …) are dropped.
type Order struct {
	// ID is the order's id.
	ID string
	// TeamID is the customer's Junction team (team_id).
	TeamID string
	// UserID is the Junction user the order is for (user_id).
	UserID string
	// Patient holds the patient's details (patient_details).
	Patient Patient
	// Address is the patient's address (patient_address).
	Address Address
	// LabTest is the test ordered (lab_test).
	LabTest LabTest
	// Details says how the sample is collected (details).
	Details Details
	// SampleID is the sample's id (sample_id).
	SampleID string
	// Notes are the order's notes.
	Notes string
	// CreatedAt is when the order was created (created_at).
	CreatedAt time.Time
	// UpdatedAt is when the order last changed (updated_at).
	UpdatedAt time.Time
	// History is the order's whole status history (events), oldest first;
	// nil when empty. See [ValidateHistory].
	History []HistoryEntry
	// LastEvent is the latest history entry (last_event), which replaces
	// the deprecated status field; the zero HistoryEntry when absent.
	LastEvent HistoryEntry
	// HighLevel is the deprecated top-level status (status), which carries
	// only the high-level part, such as collecting_sample; zero when absent
	// or not one [HighLevel.UnmarshalText] accepts.
	HighLevel HighLevel
	// HighLevelText is the top-level status as sent when HighLevel could
	// not be parsed from it; empty otherwise.
	HighLevelText string
	// ActivateBy is the day a scheduled order is to be processed
	// (activate_by); the zero Date for an order processed at once.
	ActivateBy Date
	// Origin says why the order exists (origin), as sent: "initial" (the
	// order as first placed), "redraw" (a new draw for an order whose
	// sample could not be used) or "recreation" (the order placed again).
	Origin string
	// Transaction is the order transaction the order belongs to
	// (order_transaction); the zero Transaction when null.
	Transaction Transaction
	// HasABN reports whether the patient signed an Advance Beneficiary
	// Notice for the order (has_abn).
	HasABN bool
	// HealthInsuranceID is the id of the health insurance the order is
	// billed to (health_insurance_id); empty when null.
	HealthInsuranceID string
	// RequisitionFormURL is where the order's requisition form can be
	// fetched (requisition_form_url); empty when null.
	RequisitionFormURL string
	// ShippingDetails is where a test kit is shipped (shipping_details),
	// written with zip as an order's patient_address is; the zero Address
	// when null.
	ShippingDetails Address
}

// IsPhlebotomy reports whether o is an at-home phlebotomy order: whether
// Details.Type is exactly [ModalityAtHomePhlebotomy]. An order of another
// modality, or without details, is not: its statuses are not this
// package's.
func (o Order) IsPhlebotomy() bool { return o.Details.Type == ModalityAtHomePhlebotomy }

// Current returns the order's latest history entry and whether it has one:
// the last entry of History, or LastEvent when it has a greater id than that
// entry (a history that stops short of last_event) or History is empty.
func (o Order) Current() (HistoryEntry, bool) {
	last := o.LastEvent
	hasLast := last != HistoryEntry{}
	if n := len(o.History); n > 0 && (!hasLast || o.History[n-1].ID >= last.ID) {
		return o.History[n-1], true
	}
	return last, hasLast
}

// Status returns the status of the order's latest history entry (see
// [Order.Current]). It is the zero Status when the order has no history,
// when that entry's status is unknown, and for an order that is not at-home
// phlebotomy, whose statuses are never parsed; HistoryEntry.StatusText then
// has the text.
func (o Order) Status() Status {
	e, _ := o.Current()
	return e.Status
}

// AppointmentID returns the id of the order's active appointment: the
// appointment_id of an at-home phlebotomy order's details, empty before an
// appointment exists and for an order of another modality.
func (o Order) AppointmentID() string {
	if !o.IsPhlebotomy() {
		return ""
	}
	return o.Details.AppointmentID
}

// Patient holds the details of the patient an order is for
// (patient_details). Its JSON form is Junction's.
type Patient struct {
	// DOB is the date of birth (dob). Junction sends it as a date
	// ("2020-01-01") or as midnight of that date ("1990-01-01T00:00:00+00:00");
	// both give the same Date.
	DOB Date `json:"dob"`
	// Gender is the gender as sent, such as "male".
	Gender string `json:"gender"`
	// FirstName is the first name (first_name).
	FirstName string `json:"first_name"`
	// LastName is the last name (last_name).
	LastName string `json:"last_name"`
	// PhoneNumber is the phone number (phone_number).
	PhoneNumber string `json:"phone_number"`
	// Email is the email address.
	Email string `json:"email"`
}

// Address is a patient's address: where the phlebotomist draws the blood.
// It is the one address type of the module: an order's patient_address, an
// appointment's address, and the address of the availability and request
// bodies (Junction's USAddress) all decode into it.
//
// Junction spells the zip code two ways: zip in an order's patient_address,
// zip_code everywhere else. Decoding accepts either, and both when they are
// equal; both with different values is a *[DecodeError] wrapping
// [ErrMalformed] (our decision: nothing says which to trust). A member that
// is absent, null or "" gives no zip code. Encoding an Address on its own
// writes the USAddress form, with zip_code, first_line, city and state
// always and the other members only when not empty; an [Order] writes its
// patient_address in its own form, with zip and every member Junction
// documents there. Decoding either form gives back the same Address.
type Address struct {
	// ReceiverName is who receives at the address (receiver_name).
	ReceiverName string `json:"receiver_name,omitempty"`
	// FirstLine is the street line, with its street number (first_line).
	FirstLine string `json:"first_line"`
	// SecondLine is the unit, suite or apartment, if any (second_line).
	SecondLine string `json:"second_line,omitempty"`
	// Unit is deprecated by Junction in favour of SecondLine; see
	// [Address.EffectiveSecondLine].
	Unit string `json:"unit,omitempty"`
	// City is the city.
	City string `json:"city"`
	// State is the state, such as "CA".
	State string `json:"state"`
	// ZipCode is the zip code (zip_code, or zip in an order's
	// patient_address).
	ZipCode string `json:"zip_code"`
	// Country is the country, such as "United States" or "US", when
	// Junction sends one.
	Country string `json:"country,omitempty"`
	// PhoneNumber is the phone number at the address (phone_number).
	PhoneNumber string `json:"phone_number,omitempty"`
	// AccessNotes say how to reach the address (gate codes, parking,
	// entrance), at most 1000 characters (access_notes); Junction forwards
	// them to the provider on every booking and reschedule.
	AccessNotes string `json:"access_notes,omitempty"`
}

// EffectiveSecondLine returns SecondLine, or the deprecated Unit when
// SecondLine is empty.
func (a Address) EffectiveSecondLine() string {
	if a.SecondLine != "" {
		return a.SecondLine
	}
	return a.Unit
}

// LabTest is the test an order is for (lab_test): the few fields a consumer
// uses. Its JSON form is Junction's; an [Order] writes the lab and markers
// it does not model as null.
type LabTest struct {
	// ID is the lab test's id.
	ID string `json:"id"`
	// Slug is the lab test's slug.
	Slug string `json:"slug"`
	// Name is the lab test's name, such as "Testosterone".
	Name string `json:"name"`
	// SampleType is the kind of sample, such as "serum" (sample_type).
	SampleType string `json:"sample_type"`
	// Method is how the sample is collected, such as
	// [ModalityAtHomePhlebotomy].
	Method Modality `json:"method"`
	// Fasting reports whether the patient must fast before the draw.
	Fasting bool `json:"fasting"`
	// Price is the lab test's price (price).
	Price float64 `json:"price"`
	// IsActive reports whether the lab test can be ordered (is_active).
	IsActive bool `json:"is_active"`
	// Status is the lab test's status as sent (status): "active",
	// "pending_approval" or "inactive".
	Status string `json:"status"`
}

// Details says how an order's sample is collected (details): its modality
// (details.type) and, for an at-home phlebotomy order, the members of
// details.data. The data of other modalities has other shapes and is not
// read: its fields stay zero.
type Details struct {
	// Type is the modality (details.type). An order whose details are
	// absent or null has the empty Modality, and is not at-home
	// phlebotomy.
	Type Modality
	// ID is the id of the phlebotomy details (details.data.id).
	ID string
	// AppointmentID is the order's active appointment
	// (details.data.appointment_id), empty before one exists.
	AppointmentID string
	// CreatedAt is when the details were created (details.data.created_at).
	CreatedAt time.Time
	// UpdatedAt is when the details last changed (details.data.updated_at).
	UpdatedAt time.Time
}

// HistoryEntry is one entry of an order's status history: an element of
// events[], or last_event. Its status is parsed into Status on an at-home
// phlebotomy order; on any other order, or where the text is not a status
// this package knows, Status is zero and StatusText keeps the text.
type HistoryEntry struct {
	// ID is the entry's id (id); ids increase along a history.
	ID int64
	// CreatedAt is when the entry was recorded (created_at).
	CreatedAt time.Time
	// Status is the status the order entered (status), zero when
	// StatusText holds it instead.
	Status Status
	// StatusText is the status as sent when it is not in Status: a status
	// of another modality, such as "received.walk_in_test.ordered", or one
	// this package does not know. It is empty when Status is set, and when
	// Junction sent no status.
	StatusText string
	// Detail says more about the status (status_detail), as sent; empty
	// when absent. Junction calls it descriptive only, and lists
	// fulfillment_error, date_of_collection_unspecified,
	// demographic_information_unspecified, demographic_information_mismatch,
	// sample_quantity_not_sufficient, sample_contaminated,
	// sample_stability_exceeded, sample_hemolyzed and
	// sample_improper_collection.
	Detail string
}

// Text returns the entry's status as events[] carries it: the full form of
// Status ([Status.Full]), or StatusText when Status is zero.
func (e HistoryEntry) Text() string {
	if e.Status == 0 {
		return e.StatusText
	}
	return e.Status.Full()
}

// Transaction is the order transaction an order belongs to
// (order_transaction): the initial order and the redraws and recreations
// made from it.
type Transaction struct {
	// ID is the transaction's id.
	ID string
	// Status is the transaction's status, as sent: "active" (an order of
	// the transaction is still in progress), "completed" (its results are
	// final) or "cancelled".
	Status string
	// Orders are the transaction's orders (orders); nil when empty.
	Orders []TransactionOrder
}

// TransactionOrder is one order of an order transaction
// (order_transaction.orders[]). Its low-level status is parsed into Status
// only on an at-home phlebotomy order, as for [HistoryEntry].
type TransactionOrder struct {
	// ID is the order's id.
	ID string
	// Status is the order's low-level status (low_level_status), zero when
	// StatusText holds it instead.
	Status Status
	// StatusText is the low-level status as sent when it is not in Status;
	// empty when Status is set and when Junction sent none.
	StatusText string
	// StatusCreatedAt is when the order entered its status
	// (low_level_status_created_at).
	StatusCreatedAt time.Time
	// Origin says why the order exists (origin), as [Order.Origin] does.
	Origin string
	// ParentID is the order this one was made from, for a redraw or a
	// recreation (parent_id).
	ParentID string
	// CreatedAt is when the order was created (created_at).
	CreatedAt time.Time
	// UpdatedAt is when the order last changed (updated_at).
	UpdatedAt time.Time
}

// Modality is how an order's sample is collected (details.type, and
// lab_test.method). It is an open set: a value this package does not list
// is kept as sent.
type Modality string

// The modalities Junction documents. Only [ModalityAtHomePhlebotomy] is
// this package's to model; orders of the others arrive on the same webhook
// events.
const (
	// ModalityAtHomePhlebotomy: a phlebotomist draws the blood at the
	// patient's home.
	ModalityAtHomePhlebotomy Modality = "at_home_phlebotomy"
	// ModalityWalkInTest: the patient walks in to a patient service centre.
	ModalityWalkInTest Modality = "walk_in_test"
	// ModalityTestkit: the patient collects the sample with a kit sent by
	// post.
	ModalityTestkit Modality = "testkit"
	// ModalityOnSiteCollection: the sample is collected on site by the
	// customer.
	ModalityOnSiteCollection Modality = "on_site_collection"
)

// HasRequisition reports whether o's history shows that its requisition
// exists: whether an entry of History, or LastEvent, has a status that an
// order reaches only through requisition_created or requisition_bypassed.
// Derived from the transition table, these are requisition_created,
// requisition_bypassed and every status after them (appointment_pending,
// appointment_scheduled, appointment_cancelled, draw_completed,
// partial_results, completed, sample_error, corrected); ordered and
// cancelled are not, since an order is cancelled from ordered too.
//
// It reads only the Status of those entries: an entry whose status is kept
// as text (unknown, or of an order that is not at-home phlebotomy) counts
// for nothing, so an order of another modality never has one. The
// deprecated top-level status and order_transaction are not read.
func (o Order) HasRequisition() bool {
	for _, e := range o.History {
		if requisitioned(e.Status) {
			return true
		}
	}
	return requisitioned(o.LastEvent.Status)
}

// afterRequisition holds, for each status, whether an order reaches it only
// through requisition_created or requisition_bypassed: it is not reached
// from ordered along the table once those two are taken away.
var afterRequisition = func() (after [numStatuses + 1]bool) {
	var seen [numStatuses + 1]bool
	seen[Ordered] = true
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			if seen[e.From] && !seen[e.To] && e.To != RequisitionCreated && e.To != RequisitionBypassed {
				seen[e.To], changed = true, true
			}
		}
	}
	for s := Status(1); s <= numStatuses; s++ {
		after[s] = !seen[s]
	}
	return after
}()

// requisitioned reports whether s is a status an order reaches only once
// its requisition exists.
func requisitioned(s Status) bool { return s.IsValid() && afterRequisition[s] }
