package order

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture returns the bytes of testdata/name; an order wrapped as
// {"order": …}, as the import endpoint answers, is unwrapped.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(tb, err)
	var wrapped struct{ Order json.RawMessage }
	if json.Unmarshal(b, &wrapped) == nil && wrapped.Order != nil {
		return wrapped.Order
	}
	return b
}

// orderFixtures are the fixtures that hold an order.
var orderFixtures = []string{
	"order-updated.json", "order-imported.json", "order-walk-in.json", "order-testkit.json", "order-on-site.json",
}

// day returns midnight UTC of the given day, and ts an instant in UTC.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ts(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

func TestDecodeFixtures(t *testing.T) {
	jan1 := day(2020, 1, 1)
	imported := ts(2025, 3, 20, 13, 7, 32)
	for _, c := range []struct {
		name string
		want Order
	}{
		{"order-updated.json", Order{
			ID:      "84d96c03-6b1c-4226-ad8f-ef44a6bc08af",
			TeamID:  "6353bcab-3526-4838-8c92-063fa760fb6b",
			UserID:  "3fa85f64-5717-4562-b3fc-2c963f66afa6",
			Patient: Patient{DOB: Date{2020, time.January, 1}, Gender: "male"},
			Address: Address{ReceiverName: "John Doe", FirstLine: "123 Main St.", SecondLine: "Apt. 208",
				City: "San Francisco", State: "CA", ZipCode: "91189", Country: "United States", PhoneNumber: "+1123456789"},
			Details: Details{Type: ModalityAtHomePhlebotomy, ID: "a655f0e4-6405-4a1d-80b7-66f06c2108a7",
				AppointmentID: "d55210cc-3d9f-4115-8262-5013f700c7be", CreatedAt: jan1, UpdatedAt: jan1},
			SampleID:  "123456789",
			Notes:     "This is a note",
			CreatedAt: jan1,
			UpdatedAt: jan1,
			History: []HistoryEntry{
				{ID: 1, CreatedAt: day(2022, 1, 1), Status: Ordered},
				{ID: 2, CreatedAt: day(2022, 1, 2), Status: RequisitionCreated},
				{ID: 3, CreatedAt: day(2022, 1, 3), Status: AppointmentScheduled},
			},
			HighLevel: HighLevelCollectingSample,
			Origin:    "initial",
			Transaction: Transaction{ID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1", Status: "active",
				Orders: []TransactionOrder{{ID: "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", Status: AppointmentScheduled,
					StatusCreatedAt: day(2022, 1, 3), Origin: "initial", CreatedAt: jan1, UpdatedAt: jan1}}},
		}},
		{"order-imported.json", Order{
			ID:     "d3ec7ac7-2584-4254-9709-fc61d80635c4",
			TeamID: "59d4dfa1-e7c8-4d96-af15-74ca5ac5d189",
			UserID: "7ea94b27-a536-461f-ac4b-1c26c854d180",
			Patient: Patient{DOB: Date{1990, time.January, 1}, Gender: "male", FirstName: "John", LastName: "Doe",
				PhoneNumber: "+11231234123", Email: "john@example.com"},
			Address: Address{ReceiverName: "John Doe", FirstLine: "123 Main Street", City: "New York", State: "NY",
				ZipCode: "12345", Country: "US", PhoneNumber: "+11231234123"},
			LabTest: LabTest{ID: "d0b479ec-afcc-4763-985c-4e23f17149f5", Slug: "59d4dfa1-testosterone",
				Name: "Testosterone", SampleType: "serum", Method: ModalityAtHomePhlebotomy, IsActive: true, Status: "active"},
			Details: Details{Type: ModalityAtHomePhlebotomy, ID: "21cb5e3f-25e3-443d-9fee-272de1393310",
				CreatedAt: imported, UpdatedAt: imported},
			SampleID:  "1234567890",
			CreatedAt: imported,
			UpdatedAt: imported,
			History: []HistoryEntry{
				{ID: 74769, CreatedAt: imported, Status: Ordered},
				{ID: 74770, CreatedAt: imported, Status: RequisitionBypassed},
			},
			HighLevel: HighLevelReceived,
		}},
		{"order-walk-in.json", Order{
			ID:      "84d96c03-6b1c-4226-ad8f-ef44a6bc08af",
			TeamID:  "6353bcab-3526-4838-8c92-063fa760fb6b",
			UserID:  "3fa85f64-5717-4562-b3fc-2c963f66afa6",
			Patient: Patient{DOB: Date{2020, time.January, 1}, Gender: "male"},
			Address: Address{ReceiverName: "John Doe", FirstLine: "123 Main St.", SecondLine: "Apt. 208",
				City: "San Francisco", State: "CA", ZipCode: "91189", Country: "United States", PhoneNumber: "+1123456789"},
			Details:   Details{Type: ModalityWalkInTest},
			SampleID:  "123456789",
			Notes:     "This is a note",
			CreatedAt: jan1,
			UpdatedAt: jan1,
			History: []HistoryEntry{
				{ID: 1, CreatedAt: day(2022, 1, 1), StatusText: "received.walk_in_test.ordered"},
				{ID: 2, CreatedAt: day(2022, 1, 2), StatusText: "received.walk_in_test.requisition_created"},
				{ID: 3, CreatedAt: day(2022, 1, 3), StatusText: "collecting_sample.walk_in_test.appointment_pending"},
				{ID: 4, CreatedAt: day(2022, 1, 4), StatusText: "collecting_sample.walk_in_test.appointment_scheduled"},
				{ID: 5, CreatedAt: day(2022, 1, 5), StatusText: "sample_with_lab.walk_in_test.partial_results"},
				{ID: 6, CreatedAt: day(2022, 1, 6), StatusText: "completed.walk_in_test.completed"},
			},
			LastEvent: HistoryEntry{ID: 6, CreatedAt: day(2022, 1, 6), StatusText: "completed.walk_in_test.completed"},
			HighLevel: HighLevelCompleted,
			Origin:    "initial",
			Transaction: Transaction{ID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1", Status: "completed",
				Orders: []TransactionOrder{{ID: "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", StatusText: "completed",
					StatusCreatedAt: day(2022, 1, 6), Origin: "initial", CreatedAt: jan1, UpdatedAt: jan1}}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(fixture(t, c.name))
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// TestNotPhlebotomyFixtures checks the orders of the other modalities: they
// decode without error, are not phlebotomy, and keep every status as text.
func TestNotPhlebotomyFixtures(t *testing.T) {
	for _, c := range []struct {
		name     string
		modality Modality
		hl       HighLevel
		current  string
	}{
		{"order-walk-in.json", ModalityWalkInTest, HighLevelCompleted, "completed.walk_in_test.completed"},
		{"order-testkit.json", ModalityTestkit, HighLevelCollectingSample, "collecting_sample.testkit.transit_customer"},
		{"order-on-site.json", ModalityOnSiteCollection, HighLevelSampleWithLab,
			"sample_with_lab.on_site_collection.draw_completed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := Decode(fixture(t, c.name))
			require.NoError(t, err)
			assert.False(t, o.IsPhlebotomy())
			assert.Equal(t, c.modality, o.Details.Type)
			assert.Equal(t, Details{Type: c.modality}, o.Details, "details.data is not read")
			assert.Equal(t, c.hl, o.HighLevel, "the high-level status is shared by every modality")
			assert.Empty(t, o.AppointmentID())
			assert.Zero(t, o.Status())
			cur, ok := o.Current()
			require.True(t, ok)
			assert.Equal(t, c.current, cur.StatusText)
			assert.Equal(t, c.current, cur.Text())
			for i, e := range o.History {
				assert.Zero(t, e.Status, "events[%d]", i)
				assert.NotEmpty(t, e.StatusText, "events[%d]", i)
			}
			for i, tx := range o.Transaction.Orders {
				assert.Zero(t, tx.Status, "orders[%d]", i)
				assert.NotEmpty(t, tx.StatusText, "orders[%d]", i)
			}
			steps, err := ValidateHistory(o.History)
			assert.Empty(t, steps)
			require.ErrorIs(t, err, ErrNotPhlebotomy)
			var he *TransitionError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, 0, he.Index)
		})
	}
	o, err := Decode(fixture(t, "order-testkit.json"))
	require.NoError(t, err)
	assert.Equal(t, Date{1990, time.January, 1}, o.Patient.DOB)
	assert.Equal(t, ModalityTestkit, o.LabTest.Method)
	assert.Zero(t, o.Transaction)
}

func TestCurrent(t *testing.T) {
	a := HistoryEntry{ID: 1, Status: Ordered}
	b := HistoryEntry{ID: 2, Status: RequisitionCreated}
	c := HistoryEntry{ID: 3, Status: AppointmentPending}
	for _, tc := range []struct {
		name   string
		o      Order
		want   HistoryEntry
		wantOK bool
	}{
		{"nothing", Order{}, HistoryEntry{}, false},
		{"events", Order{History: []HistoryEntry{a, b}}, b, true},
		{"last_event alone", Order{LastEvent: b}, b, true},
		{"last_event equal to the last entry", Order{History: []HistoryEntry{a, b}, LastEvent: b}, b, true},
		{"last_event with the same id", Order{History: []HistoryEntry{a, b}, LastEvent: HistoryEntry{ID: 2}}, b, true},
		{"last_event ahead", Order{History: []HistoryEntry{a, b}, LastEvent: c}, c, true},
		{"last_event behind", Order{History: []HistoryEntry{a, c}, LastEvent: b}, c, true},
		{"last_event with id 0 and events", Order{History: []HistoryEntry{a}, LastEvent: HistoryEntry{Status: Completed}}, a, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.o.Current()
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want.Status, tc.o.Status())
		})
	}
}

func TestIsPhlebotomy(t *testing.T) {
	for m, want := range map[Modality]bool{
		ModalityAtHomePhlebotomy: true, ModalityWalkInTest: false, ModalityTestkit: false,
		ModalityOnSiteCollection: false, "": false, "AT_HOME_PHLEBOTOMY": false, "at_home_phlebotomy ": false,
	} {
		o := Order{Details: Details{Type: m, AppointmentID: "appt"}}
		assert.Equal(t, want, o.IsPhlebotomy(), "%q", m)
		if want {
			assert.Equal(t, "appt", o.AppointmentID(), "%q", m)
		} else {
			assert.Empty(t, o.AppointmentID(), "%q", m)
		}
	}
}

func TestHistoryEntryText(t *testing.T) {
	assert.Equal(t, "collecting_sample.at_home_phlebotomy.draw_completed", HistoryEntry{Status: DrawCompleted}.Text())
	assert.Equal(t, "completed.walk_in_test.completed", HistoryEntry{StatusText: "completed.walk_in_test.completed"}.Text())
	assert.Equal(t, "", HistoryEntry{}.Text())
	assert.Equal(t, "corrected", HistoryEntry{Status: Corrected, StatusText: "corrected"}.Text()[len("completed.at_home_phlebotomy."):],
		"Status wins over StatusText")
}

func TestHasRequisition(t *testing.T) {
	with := map[Status]bool{RequisitionCreated: true, RequisitionBypassed: true, AppointmentPending: true,
		AppointmentScheduled: true, AppointmentCancelled: true, DrawCompleted: true, PartialResults: true,
		Completed: true, SampleError: true, Corrected: true}
	for _, s := range Statuses() {
		assert.Equal(t, with[s], Order{History: []HistoryEntry{{ID: 1, Status: Ordered}, {ID: 2, Status: s}}}.HasRequisition(),
			"history ending %v", s)
		assert.Equal(t, with[s], Order{LastEvent: HistoryEntry{Status: s}}.HasRequisition(), "last_event %v", s)
		// Every way from ordered to a status with a requisition passes a requisition status.
		if path, ok := Path(Ordered, s); ok && with[s] {
			assert.Contains(t, []Status{RequisitionCreated, RequisitionBypassed}, path[0].To, "%v", s)
		}
	}
	for name, c := range map[string]struct {
		o    Order
		want bool
	}{
		"zero order":      {Order{}, false},
		"ordered":         {Order{History: []HistoryEntry{{ID: 1, Status: Ordered}}}, false},
		"cancelled early": {Order{History: []HistoryEntry{{ID: 1, Status: Ordered}, {ID: 2, Status: Cancelled}}}, false},
		"cancelled after the requisition": {Order{History: []HistoryEntry{{ID: 1, Status: Ordered},
			{ID: 2, Status: RequisitionCreated}, {ID: 3, Status: Cancelled}}}, true},
		"only an early entry says so": {Order{History: []HistoryEntry{{ID: 2, Status: RequisitionBypassed}},
			LastEvent: HistoryEntry{ID: 3, Status: Cancelled}}, true},
		"unknown status kept as text": {Order{History: []HistoryEntry{{ID: 1, StatusText: "received.at_home_phlebotomy.lab_hold"}}}, false},
		"another modality": {Order{Details: Details{Type: ModalityWalkInTest},
			History: []HistoryEntry{{ID: 1, StatusText: "received.walk_in_test.requisition_created"}}}, false},
		"invalid status":     {Order{History: []HistoryEntry{{ID: 1, Status: numStatuses + 1}}}, false},
		"high-level only":    {Order{HighLevel: HighLevelCollectingSample}, false},
		"transaction only":   {Order{Transaction: Transaction{Orders: []TransactionOrder{{Status: Completed}}}}, false},
		"last_event says so": {Order{History: []HistoryEntry{{ID: 1, Status: Ordered}}, LastEvent: HistoryEntry{ID: 2, Status: AppointmentPending}}, true},
	} {
		assert.Equal(t, c.want, c.o.HasRequisition(), name)
	}
	for _, name := range orderFixtures {
		o, err := Decode(fixture(t, name))
		require.NoError(t, err)
		assert.Equal(t, o.IsPhlebotomy(), o.HasRequisition(), name)
	}
}
