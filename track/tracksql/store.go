package tracksql

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Dialect is the SQL spoken by the database a [Store] is in. The zero
// Dialect is none: [Open] then asks the database which it is.
type Dialect uint8

const (
	// SQLite is SQLite 3.35 or later, through any database/sql driver,
	// such as the pure Go modernc.org/sqlite (driver name "sqlite").
	SQLite Dialect = iota + 1
	// PostgreSQL is PostgreSQL 12 or later, through any database/sql
	// driver, such as github.com/jackc/pgx/v5/stdlib (driver name "pgx").
	PostgreSQL
)

// String returns "sqlite", "postgresql", or "tracksql.Dialect(N)".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case PostgreSQL:
		return "postgresql"
	}
	return "tracksql.Dialect(" + strconv.Itoa(int(d)) + ")"
}

// SchemaVersion is the version of the tables this version of the package
// writes and reads; [Open] creates them, or migrates older ones to it.
const SchemaVersion = 2

// Option configures a [Store] at [Open].
type Option func(*config)

type config struct {
	dialect    Dialect
	now        func() time.Time
	lease      time.Duration
	backoffMin time.Duration
	backoffMax time.Duration
	batch      int
	poll       time.Duration
	logger     *slog.Logger
}

// WithDialect sets the database's dialect, instead of asking the database
// at [Open].
func WithDialect(d Dialect) Option { return func(c *config) { c.dialect = d } }

// WithClock sets the clock the store reads the time from: when a change
// was recorded, when a lease expires, when a failed change is handed out
// again, when it was done. The default is [time.Now]. Several processes
// sharing a database should have clocks that agree to well within the
// lease.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLease sets how long a dispatcher holds a change it handed out before
// another may hand it out again (a crashed process's changes are handed
// out again when their lease expires), and how long the handler is given
// for it. The default is one minute; zero or less keeps it.
func WithLease(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.lease = d
		}
	}
}

// WithBackoff sets how long a change whose handler failed waits before it
// is handed out again: first, then doubling on each failure up to most.
// The defaults are one second and one hour; a value of zero or less keeps
// its default, and most below first is first.
func WithBackoff(first, most time.Duration) Option {
	return func(c *config) {
		if first > 0 {
			c.backoffMin = first
		}
		if most > 0 {
			c.backoffMax = most
		}
	}
}

// WithBatch sets how many changes a dispatcher leases at a time. The
// default is 32; zero or less keeps it.
func WithBatch(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.batch = n
		}
	}
}

// WithPollInterval sets how long [Store.Run] waits, when nothing is left
// to hand out, before looking again. A change recorded by the same Store
// wakes it at once; this interval bounds how late it sees the changes of
// other processes and the retries that fall due. The default is one
// second; zero or less keeps it.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.poll = d
		}
	}
}

// WithLogger sets where [Store.Run] reports what it cannot return: a
// database failure it retries, a handler's failure, a stored change it
// cannot read. The default is [slog.Default]; nil keeps it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// Store keeps tracked orders and the changes they revealed in a database,
// through [database/sql]. Its methods are safe for concurrent use, and
// several Stores, in one process or many, may share one database.
type Store struct {
	db    *sql.DB
	cfg   config
	q     queries
	wake  chan struct{} // a change was recorded: wakes Run
	cache cache
	st    statements
	fresh atomic.Int64 // SQLite: every change of a lower id was leased at least once, or is gone
}

// Open returns a Store on db, creating its tables when the database has
// none, or migrating them to [SchemaVersion]; doing so again changes
// nothing, and several processes may open one database at once. db may be
// of any driver; the dialect is asked of the database unless
// [WithDialect] sets it.
//
// For SQLite, open db on a file (each connection to ":memory:" is a
// database of its own), and give each connection a busy timeout, such as
// "file:track.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
// with modernc.org/sqlite: without one, concurrent writers fail at once
// where they could wait.
//
// Errors: an *[Error] wrapping [ErrSchema] for tables of a newer
// [SchemaVersion] (a newer version of this package wrote them: upgrade it),
// [ErrDialect] for a database that is neither SQLite nor PostgreSQL, and
// [ErrDatabase] when the database fails.
func Open(ctx context.Context, db *sql.DB, opts ...Option) (*Store, error) {
	cfg := config{
		now:        time.Now,
		lease:      time.Minute,
		backoffMin: time.Second,
		backoffMax: time.Hour,
		batch:      32,
		poll:       time.Second,
		logger:     slog.Default(),
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	cfg.backoffMax = max(cfg.backoffMax, cfg.backoffMin)
	if db == nil {
		return nil, &Error{Op: "open", Reason: "no database", Err: ErrDatabase}
	}
	if cfg.dialect == 0 {
		d, err := detect(ctx, db)
		if err != nil {
			return nil, err
		}
		cfg.dialect = d
	}
	if cfg.dialect != SQLite && cfg.dialect != PostgreSQL {
		return nil, &Error{Op: "open", Reason: cfg.dialect.String(), Err: ErrDialect}
	}
	s := &Store{db: db, cfg: cfg, q: queriesFor(cfg.dialect), wake: make(chan struct{}, 1)}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Dialect returns the dialect of the store's database.
func (s *Store) Dialect() Dialect {
	if s == nil {
		return 0
	}
	return s.cfg.dialect
}

// usable reports a nil Store or a nil context, which would otherwise
// panic, as an *[Error] wrapping [ErrDatabase].
func (s *Store) usable(op string, ctx context.Context) error {
	switch {
	case s == nil:
		return &Error{Op: op, Reason: "nil store (open one with Open)", Err: ErrDatabase}
	case ctx == nil:
		return &Error{Op: op, Reason: "nil context", Err: ErrDatabase}
	}
	return nil
}

// detect asks the database which dialect it speaks.
func detect(ctx context.Context, db *sql.DB) (Dialect, error) {
	var v string
	err := db.QueryRowContext(ctx, "SELECT version()").Scan(&v)
	if err == nil {
		if strings.HasPrefix(v, "PostgreSQL") {
			return PostgreSQL, nil
		}
		return 0, &Error{Op: "open", Reason: "a database that says it is " + strconv.Quote(firstWord(v)), Err: ErrDialect}
	}
	err2 := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v)
	if err2 == nil {
		return SQLite, nil
	}
	return 0, &Error{Op: "open", Reason: "cannot tell the dialect", Err: ErrDatabase, Cause: errors.Join(err, err2)}
}

// firstWord returns the first word of s, at most 40 bytes of it.
func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// schemaLock is the key of the PostgreSQL advisory lock that serialises
// the creation and migration of the tables.
const schemaLock = 0x7068_6c65_626b_6974 // "phlebkit"

// migrate creates the tables, or brings them to SchemaVersion, in one
// transaction.
func (s *Store) migrate(ctx context.Context) error {
	fail := func(err error) error {
		return &Error{Op: "open", Reason: "creating the tables", Err: ErrDatabase, Cause: err}
	}
	return s.write(ctx, "open", "", func(ctx context.Context, q querier) error {
		if s.cfg.dialect == PostgreSQL {
			if _, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(schemaLock)); err != nil {
				return fail(err)
			}
		}
		if _, err := q.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS phlebkit_schema (version INTEGER NOT NULL)"); err != nil {
			return fail(err)
		}
		rows, err := q.QueryContext(ctx, "SELECT version FROM phlebkit_schema")
		if err != nil {
			return fail(err)
		}
		var versions []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fail(err)
			}
			versions = append(versions, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fail(err)
		}
		var current int64
		switch {
		case len(versions) > 1:
			return &Error{Op: "open", Reason: "phlebkit_schema holds " + strconv.Itoa(len(versions)) + " rows, not one", Err: ErrSchema}
		case len(versions) == 1:
			current = versions[0]
		}
		if current > SchemaVersion || current < 0 {
			return &Error{Op: "open", Err: ErrSchema, Reason: "the tables are of schema version " + strconv.FormatInt(current, 10) +
				", and this version of tracksql knows versions up to " + strconv.Itoa(SchemaVersion) + ": upgrade it"}
		}
		steps := migrations(s.cfg.dialect)
		for _, step := range steps[current:] {
			for _, stmt := range step {
				if _, err := q.ExecContext(ctx, stmt); err != nil {
					return fail(err)
				}
			}
		}
		if current == SchemaVersion {
			return nil
		}
		if current == 0 {
			_, err = q.ExecContext(ctx, "INSERT INTO phlebkit_schema (version) VALUES ($1)", SchemaVersion)
		} else {
			_, err = q.ExecContext(ctx, "UPDATE phlebkit_schema SET version = $1", SchemaVersion)
		}
		if err != nil {
			return fail(err)
		}
		return nil
	})
}

// migrations returns the statements that bring the tables from each
// version to the next: element i from version i to i+1.
func migrations(d Dialect) [][]string {
	id := "id INTEGER PRIMARY KEY"
	if d == PostgreSQL {
		id = "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	return [][]string{{
		`CREATE TABLE phlebkit_orders (
	order_id   TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	version    BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
)`,
		`CREATE TABLE phlebkit_changes (
	` + id + `,
	change_key   TEXT NOT NULL,
	order_id     TEXT NOT NULL,
	kind         TEXT NOT NULL,
	body         TEXT NOT NULL,
	recorded_at  BIGINT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	available_at BIGINT NOT NULL,
	lease        TEXT,
	done_at      BIGINT,
	last_error   TEXT
)`,
		`CREATE INDEX phlebkit_changes_pending ON phlebkit_changes (id) WHERE done_at IS NULL`,
		`CREATE INDEX phlebkit_changes_done ON phlebkit_changes (done_at) WHERE done_at IS NOT NULL`,
	}, toPacked(d)}
}

// toPacked returns the statements that bring the tables from version 1 to
// 2: the value column holds bytes (the stored form packed, see pack), and
// keeps the JSON of the rows written before; on SQLite, the changes never
// leased are in no index (see queriesFor).
func toPacked(d Dialect) []string {
	if d == PostgreSQL {
		return []string{`ALTER TABLE phlebkit_orders ALTER COLUMN value TYPE BYTEA USING convert_to(value, 'UTF8')`}
	}
	// SQLite cannot change a column's type: the table is made anew.
	return []string{
		`CREATE TABLE phlebkit_orders_2 (
	order_id   TEXT PRIMARY KEY,
	value      BLOB NOT NULL,
	version    BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
)`,
		`INSERT INTO phlebkit_orders_2 (order_id, value, version, updated_at)
SELECT order_id, CAST(value AS BLOB), version, updated_at FROM phlebkit_orders`,
		`DROP TABLE phlebkit_orders`,
		`ALTER TABLE phlebkit_orders_2 RENAME TO phlebkit_orders`,
		`DROP INDEX phlebkit_changes_pending`,
		`CREATE INDEX phlebkit_changes_leased ON phlebkit_changes (id) WHERE lease IS NOT NULL AND done_at IS NULL`,
	}
}
