package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for PostgreSQL
	_ "modernc.org/sqlite"             // the "sqlite" driver, pure Go

	"github.com/phlebkit/phlebkit/track/tracksql"
)

// isPostgres reports whether database is a PostgreSQL URL rather than a
// SQLite file.
func isPostgres(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// sqliteDSN returns the data source name of the SQLite file: a writer
// waits for another (busy_timeout) rather than fail, readers do not block
// the writer (WAL), a commit is on disk once it returns (synchronous
// FULL), and each transaction takes the write lock when it begins, so that
// two never deadlock upgrading a read lock.
func sqliteDSN(file string) string {
	return "file:" + file + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// maxOpenConns bounds each receiver's connections to PostgreSQL, so that
// several receivers stay well within the server's max_connections.
const maxOpenConns = 8

// openDatabase opens database, a PostgreSQL URL or a SQLite file, and
// checks that it answers.
func openDatabase(ctx context.Context, database string) (*sql.DB, error) {
	var db *sql.DB
	var err error
	if isPostgres(database) {
		db, err = sql.Open("pgx", database)
		if err == nil {
			db.SetMaxOpenConns(maxOpenConns)
		}
	} else {
		db, err = sql.Open("sqlite", sqliteDSN(database))
	}
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		// pgx's error names the host and user, never the password.
		return nil, fmt.Errorf("database: %w", err)
	}
	return db, nil
}

// notificationsTable is where the in-transaction mode writes its side
// effect: one row per change, written in the transaction that records it.
const notificationsTable = `CREATE TABLE IF NOT EXISTS receiver_notifications (
	change_key TEXT PRIMARY KEY,
	order_id   TEXT NOT NULL,
	line       TEXT NOT NULL
)`

// openStore opens the tracksql store on db (creating or migrating its
// tables), and, with tx, the table of the in-transaction mode. A change a
// dispatcher hands out is handed out again by another once lease has
// passed without it being marked done (a receiver killed while handling
// it).
func openStore(ctx context.Context, db *sql.DB, tx bool, lease time.Duration, opts ...tracksql.Option) (*tracksql.Store, error) {
	st, err := tracksql.Open(ctx, db, append([]tracksql.Option{tracksql.WithLease(lease)}, opts...)...)
	if err != nil {
		return nil, err
	}
	if tx {
		if _, err := db.ExecContext(ctx, notificationsTable); err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
	}
	return st, nil
}
