// Package tracksql keeps tracked orders ([track.Tracked]) and the changes
// they reveal ([track.Change]) in a database, through [database/sql], so
// that a webhook receiver survives a restart or a crash without losing or
// repeating a change, and several receivers can share one database. It
// works unchanged on SQLite and PostgreSQL, and imports no driver: open a
// *sql.DB with the driver of your choice (such as modernc.org/sqlite, pure
// Go, or github.com/jackc/pgx/v5/stdlib) and pass it to [Open].
//
//	db, err := sql.Open("sqlite", "file:track.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
//	store, err := tracksql.Open(ctx, db) // creates or migrates its tables
//
//	// In the webhook handler: the value and its changes, in one transaction.
//	_, err = store.Record(ctx, event)
//
//	// Elsewhere, for as long as the program runs: each change to your code.
//	err = store.Run(ctx, func(ctx context.Context, d tracksql.Delivery) error {
//		return notify(ctx, d.Key, d.Change) // an error: handed out again later
//	})
//
// # Guarantees
//
// [Store.Record] applies an event to the order's value and stores the new
// value and the changes it revealed in one transaction (a transactional
// outbox). Concurrent deliveries of one order, in one process or many, are
// put in sequence: on PostgreSQL, the new value and the changes are
// written by one statement only if the order's version is still the one
// read (compare-and-swap), and read and applied again otherwise; on
// SQLite, the transaction holds the database's write lock. Each change is
// stored exactly once, whatever the order and number of the deliveries
// and whichever process receives them; if the database fails, nothing is
// stored and the delivery can be answered with an error, so that it comes
// again. A Store keeps the values of the orders it saw lately in memory,
// by version, so that a duplicate delivery touches no table, and news of
// an order it knows is applied to the value in memory and written by one
// statement, which writes only if the row still has that version.
//
// [Store.Run] (or [Store.Dispatch], once) hands each stored change to your
// function at least once: again after a failure, with a backoff, and
// again when a process that leased it stopped before marking it done
// (its lease expires). A change can therefore reach your function more
// than once; [Delivery.Key] is the same each time, for your function to be
// idempotent on. For a side effect that is a write to the same database,
// [Store.RecordTx] applies the event inside your own transaction: the
// change and your write are committed together, exactly once.
//
// On PostgreSQL, several dispatchers share the work: each leases a batch
// of changes with FOR UPDATE SKIP LOCKED, so no change is handed to two at
// once while its lease runs. On SQLite, which has one writer at a time,
// leasing is a single statement and is as safe.
//
// A Store never needs a second connection while it holds one: a database
// limited to one connection (db.SetMaxOpenConns(1), a usual setting for
// SQLite) works, for Record, RecordTx, Run, Dispatch, Prune and Load.
//
// Time comes from a clock, [time.Now] unless [WithClock] sets another.
//
// # Schema
//
// [Open] creates these tables, or migrates older ones, in one transaction,
// and records [SchemaVersion] in phlebkit_schema; tables of a newer
// version are refused (an *[Error] wrapping [ErrSchema]). Times are Unix
// nanoseconds, by the store's clock.
//
//	phlebkit_schema   (version INTEGER NOT NULL)            -- one row: 2
//	phlebkit_orders   (order_id   TEXT PRIMARY KEY,
//	                   value      BLOB NOT NULL,            -- PostgreSQL: BYTEA; see below
//	                   version    BIGINT NOT NULL,          -- 1 at the first write, +1 at each
//	                   updated_at BIGINT NOT NULL)
//	phlebkit_changes  (id           INTEGER PRIMARY KEY,    -- PostgreSQL: BIGINT identity
//	                   change_key   TEXT NOT NULL,          -- track.Change's Key, stored once
//	                   order_id     TEXT NOT NULL,
//	                   kind         TEXT NOT NULL,          -- order_step, appointment_step, rescheduled,
//	                                                        -- active_changed or auto_cancelled
//	                   body         TEXT NOT NULL,          -- track.MarshalChange's JSON
//	                   recorded_at  BIGINT NOT NULL,
//	                   attempts     INTEGER NOT NULL,       -- times handed out
//	                   available_at BIGINT NOT NULL,        -- due from: recorded, lease end, or retry
//	                   lease        TEXT,                   -- the dispatcher that leased it last; NULL when done
//	                   done_at      BIGINT,                 -- accepted; NULL while not
//	                   last_error   TEXT)                   -- the last failure, first 1000 bytes
//
// with an index on done_at, and one on the changes not done, by id: on
// PostgreSQL all of them; on SQLite those leased at least once, so that
// recording a change writes no index page (a dispatcher finds the others
// by their ids, which SQLite gives in the order the changes are
// committed).
//
// An order's value is the stored form of its [track.Tracked]
// ([track.Tracked.MarshalJSON]): up to 3,584 bytes on SQLite and 1,900 on
// PostgreSQL, that JSON as it is (it begins with '{'); above, the byte 0x01
// and the JSON as a DEFLATE stream (RFC 1951; written with its fixed
// codes, any stream read). An order's stored form
// grows with each snapshot and repeats itself: its snapshots are
// compressed, the oldest first, each once and kept in memory with the
// snapshot for later writes, until the row fits in a page (of SQLite's
// default 4 KiB; below the 2 KiB from which PostgreSQL compresses a row
// itself), so that a write rewrites that page only, not overflow pages
// too, and a delivery, which replaces one snapshot, mostly compresses
// nothing. The rest goes in DEFLATE's stored blocks, or, when what lies
// outside the snapshots is large, the whole JSON is compressed.
// Schema version 1 held the JSON as text: [Open] migrates its tables (on
// PostgreSQL the column's type becomes BYTEA, on SQLite the table is made
// anew, and the index of the changes not done is replaced by that of the
// changes leased), and the JSON of its rows is read as it is. Stop the
// processes of an older version of this package before opening its tables
// with this one: they refuse values they cannot read as malformed.
//
// Errors: an *[Error] says what was done (Op), to which order or change,
// and wraps one sentinel: [ErrDatabase] when the database fails,
// [ErrSchema], [ErrDialect], or [track.ErrMalformed] for a stored value or
// change that cannot be read; an event that [track.Tracked.Apply] refuses
// is its error, wrapping [track.ErrInvalidEvent]. Branch with errors.Is.
package tracksql
