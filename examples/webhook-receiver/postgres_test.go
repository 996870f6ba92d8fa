package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

// postgresVar names the environment variable holding the URL of a
// PostgreSQL database the tests may create databases in; .ci/run starts a
// throwaway cluster and sets it.
const postgresVar = "PHLEBKIT_POSTGRES_URL"

// postgresURL returns the URL in postgresVar, or skips the test.
func postgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv(postgresVar)
	if u == "" {
		t.Skip(postgresVar + " is not set: skipping the PostgreSQL tests (.ci/run starts a database and sets it)")
	}
	return u
}

// postgresDatabase creates a database of its own for the test, dropped
// when the test ends, and returns its URL and a connection to the cluster
// as the same user, to change the database's settings.
func postgresDatabase(t *testing.T) (dbURL string, admin *sql.DB) {
	t.Helper()
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = admin.Close() })
	var raw [6]byte
	_, _ = rand.Read(raw[:])
	name := "receiver_" + hex.EncodeToString(raw[:])
	_, err = admin.ExecContext(t.Context(), "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		if err != nil {
			t.Errorf("dropping the test's database: %v", err)
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String(), admin
}

// databases runs a test on SQLite, and on PostgreSQL when postgresVar is
// set (the subtest skips otherwise), each as a subtest given a function
// returning a new empty database, a SQLite file or a PostgreSQL URL.
func databases(t *testing.T, run func(t *testing.T, fresh func(*testing.T) string)) {
	t.Run("sqlite", func(t *testing.T) {
		run(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "receiver.db") })
	})
	t.Run("postgresql", func(t *testing.T) {
		postgresURL(t)
		run(t, func(t *testing.T) string {
			u, _ := postgresDatabase(t)
			return u
		})
	})
}

// proxy is a TCP proxy to a PostgreSQL server, which the test can cut: the
// database, as the receiver sees it, goes down and comes back.
type proxy struct {
	ln       net.Listener
	upstream func() (net.Conn, error)

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// newProxy returns a proxy on 127.0.0.1 to the server of dbURL, and the
// URL of the same database through it.
func newProxy(t *testing.T, dbURL string) (*proxy, string) {
	t.Helper()
	cfg, err := pgconn.ParseConfig(dbURL)
	require.NoError(t, err)
	network, address := "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	if filepath.IsAbs(cfg.Host) {
		network, address = "unix", filepath.Join(cfg.Host, ".s.PGSQL."+strconv.Itoa(int(cfg.Port)))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &proxy{ln: ln, conns: map[net.Conn]struct{}{},
		upstream: func() (net.Conn, error) { return net.Dial(network, address) }}
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	q := u.Query()
	q.Del("host")
	q.Set("sslmode", "disable")
	u.RawQuery = q.Encode()
	u.Host = ln.Addr().String()
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	return p, u.String()
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		if !down {
			p.conns[c] = struct{}{}
		}
		p.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		p.wg.Go(func() { p.pipe(c) })
	}
}

// pipe copies between c and a new connection to the server.
func (p *proxy) pipe(c net.Conn) {
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		_ = c.Close()
	}()
	up, err := p.upstream()
	if err != nil {
		return
	}
	p.mu.Lock()
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.conns, up)
		p.mu.Unlock()
		_ = up.Close()
	}()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// setDown takes the database down (every connection cut, new ones
// refused) or brings it back.
func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	p.down = down
	p.mu.Unlock()
	if down {
		p.cut()
	}
}

// cut closes every connection under way.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}
