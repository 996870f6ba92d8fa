package sandbox

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestIDs(t *testing.T) {
	for _, tc := range []struct {
		kind byte
		n    uint64
		want string
	}{
		{orderKind, 1, "066a48f6-5d86-4cd6-9650-431fd64b428c"},
		{orderKind, 2, "b56cb464-1526-4ee1-9465-02717f099624"},
		{appointmentKind, 1, "37213823-6809-41ee-9e70-c23f8b1918a0"},
		{appointmentKind, 7, "034df297-9321-4fc8-808a-a2726a4b3e4e"},
	} {
		if got := uuidOf(tc.kind, tc.n); got != tc.want || !isUUID(got) || got[14] != '4' || !strings.ContainsRune("89ab", rune(got[19])) {
			t.Errorf("uuidOf(%c, %d) = %s, want %s, a version 4 UUID", tc.kind, tc.n, got, tc.want)
		}
	}
	seen := map[string]bool{}
	for _, kind := range []byte{orderKind, appointmentKind, transactionKind} {
		for n := range uint64(2000) {
			id := uuidOf(kind, n)
			if seen[id] || !isUUID(id) || id != strings.ToLower(id) {
				t.Fatalf("uuidOf(%c, %d) = %s: repeated or malformed", kind, n, id)
			}
			seen[id] = true
		}
	}
}

func TestBookingKeys(t *testing.T) {
	c := keyCodec{secret: 7}
	k := bookingKey{provider: 1, zip: "08540", start: at0.Add(48 * time.Hour), end: at0.Add(50 * time.Hour),
		expires: at0.Add(15*time.Minute + 3), seq: 1<<63 + 5}
	text := c.text(k)
	if got, ok := c.parse(text); !ok || got != k {
		t.Fatalf("parse(text(%+v)) = %+v, %v", k, got, ok)
	}
	if text != c.text(k) || text == (keyCodec{secret: 8}).text(k) || !strings.HasPrefix(text, "bk_") {
		t.Fatalf("text %s: not the same for the same key and secret, or the same for another secret", text)
	}
	k2 := k
	k2.seq++
	if c.text(k2) == text {
		t.Fatal("two keys with the same text")
	}
	if _, ok := (keyCodec{secret: 8}).parse(text); ok {
		t.Fatal("a key of another secret parsed")
	}
	for i := 3; i < len(text); i++ {
		b := []byte(text)
		b[i] ^= 1 // another base64 digit, or none
		if _, ok := c.parse(string(b)); ok {
			t.Fatalf("%s, changed at %d, parsed", b, i)
		}
	}
	for _, bad := range []string{"", "bk_", text[:len(text)-1], text + "A", "xx" + text[2:], "bk_" + strings.Repeat("!", len(text)-3)} {
		if _, ok := c.parse(bad); ok {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
	for _, zip := range []string{"00000", "85004", "99999"} {
		if got := zipText(zipNumber(zip)); got != zip {
			t.Errorf("zipText(zipNumber(%s)) = %s", zip, got)
		}
	}
}

func TestIsUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"066a48f6-5d86-4cd6-9650-431fd64b428c":  true,
		"066A48F6-5D86-4CD6-9650-431FD64B428C":  true,
		"066a48f6-5d86-4cd6-9650-431fd64b428":   false,
		"066a48f6-5d86-4cd6-9650-431fd64b428cc": false,
		"066a48f6a5d86-4cd6-9650-431fd64b428c":  false,
		"066a48f6-5d86a4cd6-9650-431fd64b428c":  false,
		"066a48f6-5d86-4cd6a9650-431fd64b428c":  false,
		"066a48f6-5d86-4cd6-9650a431fd64b428c":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428g":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428/":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428:":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428@":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428G":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428`":  false,
		"066a48f6-5d86-4cd6-9650-431fd64b428-":  false,
		"":                                      false,
	} {
		if got := isUUID(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
	}
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
func (failingBody) Close() error             { return nil }

func TestUnreadableBody(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	req := newRequest(http.MethodPost, "/v3/order", nil)
	req.Body = failingBody{}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || rec.Body.String() != `{"detail":"Cannot read the request body"}` {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
}
