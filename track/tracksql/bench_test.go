package tracksql

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
)

// benchSecret signs the deliveries of the benchmarks.
const benchSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// benchNow is when the deliveries are sent and verified.
var benchNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// placeholder stands for the order id in the template deliveries: each
// batch of orders gets ids of the same length.
const placeholder = "ord-XXXXXXXX"

// delivery is a signed webhook delivery, as an endpoint receives it.
type delivery struct {
	header map[string][]string
	body   []byte
}

// deliveries makes the deliveries of new orders, each order's in the order
// Junction sends them: every delivery is news to a receiver that got the
// ones before.
type deliveries struct {
	templates [][]byte // the bodies of one order's deliveries, its id the placeholder
	verifier  *webhook.Verifier
	orders    int // orders made so far
}

func newDeliveries(tb testing.TB) *deliveries {
	var templates [][]byte
	for _, e := range lifecycle(tb, placeholder) {
		body, err := e.MarshalJSON()
		if err != nil {
			tb.Fatal(err)
		}
		templates = append(templates, body)
	}
	v, err := webhook.NewVerifier(benchSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return &deliveries{templates: templates, verifier: v}
}

// next returns the deliveries of n new orders, interleaved: the first
// delivery of each order, then the second of each, and so on.
func (d *deliveries) next(n int) []delivery {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("ord-%08d", d.orders+i)
	}
	d.orders += n
	var out []delivery
	for j, t := range d.templates {
		for _, id := range ids {
			body := bytes.ReplaceAll(t, []byte(placeholder), []byte(id))
			out = append(out, delivery{header: d.verifier.Sign("msg_"+id+"_"+strconv.Itoa(j), benchNow, body), body: body})
		}
	}
	return out
}

// BenchmarkDelivery measures what a webhook receiver does with each
// delivery: verify its signature, decode it, track the order and store it
// durably, one delivery after another, each news (a new order's deliveries
// in order). tracksql does it with webhook.Verifier.Parse and
// Store.Record: the order's value and the changes in one transaction.
// baseline is the same durable work written by hand: crypto/hmac,
// encoding/json into a plain struct, and one upsert of the body in one
// transaction. Each reports deliveries/s and the p50 and p99 latency of a
// delivery. The PostgreSQL ones need PHLEBKIT_POSTGRES_URL.
func BenchmarkDelivery(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) opener
	}{{"sqlite", sqliteDB}, {"postgresql", postgresDB}} {
		b.Run(db.name, func(b *testing.B) {
			b.Run("tracksql", func(b *testing.B) {
				ctx := context.Background()
				s, err := Open(ctx, db.open(b)(), WithClock(func() time.Time { return benchNow }))
				if err != nil {
					b.Fatal(err)
				}
				v, _ := webhook.NewVerifier(benchSecret)
				deliver(b, func(d delivery) error {
					e, err := v.Parse(d.header, d.body, benchNow)
					if err != nil {
						return err
					}
					_, err = s.Record(ctx, e)
					return err
				})
			})
			b.Run("baseline", func(b *testing.B) {
				base, err := openBaseline(db.open(b)())
				if err != nil {
					b.Fatal(err)
				}
				deliver(b, base.handle)
			})
		})
	}
}

// deliver hands handle new deliveries for b.Loop, and reports the
// throughput and the latency percentiles.
func deliver(b *testing.B, handle func(delivery) error) {
	b.ReportAllocs()
	src := newDeliveries(b)
	var (
		pool      []delivery
		latencies []time.Duration
	)
	for b.Loop() {
		if len(pool) == 0 {
			b.StopTimer()
			pool = src.next(64)
			b.StartTimer()
		}
		d := pool[0]
		pool = pool[1:]
		start := time.Now()
		if err := handle(d); err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, time.Since(start))
	}
	slices.Sort(latencies)
	at := func(q float64) float64 { return float64(latencies[int(q*float64(len(latencies)-1))].Nanoseconds()) }
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

// baseline is a hand-written receiver: it verifies with crypto/hmac,
// decodes with encoding/json into a plain struct, and upserts the body,
// by order id, in one transaction.
type baseline struct {
	db     *sql.DB
	key    []byte
	upsert string
}

func openBaseline(db *sql.DB) (*baseline, error) {
	_, err := db.Exec("CREATE TABLE IF NOT EXISTS baseline_orders (order_id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at TEXT NOT NULL)")
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(benchSecret, "whsec_"))
	if err != nil {
		return nil, err
	}
	return &baseline{db: db, key: key, upsert: `INSERT INTO baseline_orders (order_id, body, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (order_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`}, nil
}

// plainEvent is the baseline's view of a delivery: strings.
type plainEvent struct {
	EventType string `json:"event_type"`
	Data      struct {
		ID        string `json:"id"`
		OrderID   string `json:"order_id"`
		Status    string `json:"status"`
		UpdatedAt string `json:"updated_at"`
		Events    []struct {
			ID        json.Number `json:"id"`
			CreatedAt string      `json:"created_at"`
			Status    string      `json:"status"`
		} `json:"events"`
	} `json:"data"`
}

var errBaseline = errors.New("baseline: refused")

func (b *baseline) handle(d delivery) error {
	id, ts, sigs := first(d.header, "Svix-Id"), first(d.header, "Svix-Timestamp"), first(d.header, "Svix-Signature")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || benchNow.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return errBaseline
	}
	mac := hmac.New(sha256.New, b.key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(d.body)
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	ok := false
	for s := range strings.SplitSeq(sigs, " ") {
		if sig, found := strings.CutPrefix(s, "v1,"); found && hmac.Equal([]byte(sig), []byte(want)) {
			ok = true
		}
	}
	if !ok {
		return errBaseline
	}
	var e plainEvent
	if err := json.Unmarshal(d.body, &e); err != nil {
		return err
	}
	orderID := e.Data.ID
	if strings.HasPrefix(e.EventType, "labtest.appointment.") {
		orderID = e.Data.OrderID
	}
	tx, err := b.db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(b.upsert, orderID, string(d.body), e.Data.UpdatedAt); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func first(h map[string][]string, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
