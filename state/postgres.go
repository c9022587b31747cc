package state

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the PostgreSQL backend, for a state shared by several jobs.
//
// Every Put and Remove is one statement that changes the resource and bumps
// the serial together, committed before it returns, so a crash loses nothing
// that was applied. Read takes one snapshot of the whole state.
//
// Locks are session-level advisory locks, one per Location address, held on
// a connection of their own for as long as the command runs: jobs on
// different sub-accounts run side by side, and a job that dies, however it
// dies, lets go of its locks when the server sees its session end. Taking
// the whole state (no locations) takes one more key exclusively, which every
// per-location locker takes in shared mode first, so the two exclude each
// other. Keys are taken in a fixed order, so two jobs never wait on each
// other in a cycle. A row in ghlctl_locks names each holder, so a job that
// waits in vain can say whom it waited for.
type Postgres struct {
	// LockTimeout is how long Lock waits for locks held by another job.
	LockTimeout time.Duration
	// Logger, when set, hears when a lock has to be waited for.
	Logger *slog.Logger

	pool      *pgxpool.Pool
	described string   // the URL without its password
	secrets   []string // the password, as given and as escaped, to scrub from errors
	namespace string   // the schema the tables live in: keeps lock keys of other states apart
}

// lockPoll is how often a waiting Lock tries again.
const lockPoll = 100 * time.Millisecond

// wholeState names the lock on the whole state, in lock keys and in
// ghlctl_locks; a Location address is a slug and never "*".
const wholeState = "*"

// migrations build the tables, in order: applying migrations[i] brings the
// schema to version i+1. Append new ones; never change one that has shipped.
var migrations = []string{
	`CREATE TABLE ghlctl_state (
		singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
		lineage text NOT NULL,
		serial bigint NOT NULL
	);
	CREATE TABLE ghlctl_resources (
		address text PRIMARY KEY,
		location text NOT NULL,
		location_id text NOT NULL,
		kind text NOT NULL,
		key text NOT NULL,
		id text NOT NULL,
		fingerprint text NOT NULL,
		prevent_destroy boolean NOT NULL DEFAULT false,
		updated timestamptz NOT NULL,
		-- the nanoseconds below timestamptz's microseconds, so that a state
		-- copied in and out again comes back exactly
		updated_ns integer NOT NULL DEFAULT 0
	);
	CREATE INDEX ghlctl_resources_location ON ghlctl_resources (location);
	CREATE TABLE ghlctl_locks (
		location text PRIMARY KEY,
		holder jsonb NOT NULL,
		backend_pid integer NOT NULL,
		since timestamptz NOT NULL DEFAULT now()
	);`,
}

// IsPostgresURL reports whether where names a PostgreSQL state rather than a
// file.
func IsPostgresURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// NewPostgres connects to the database at rawURL (postgres://...) and creates
// or upgrades ghlctl's tables there. The tables live in the first schema of
// the connection's search_path, which a search_path parameter in the URL can
// choose.
func NewPostgres(ctx context.Context, rawURL string, lockTimeout time.Duration) (*Postgres, error) {
	p := &Postgres{LockTimeout: lockTimeout, described: RedactURL(rawURL)}
	p.secrets = urlSecrets(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, p.parseError(err)
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "ghlctl"
	}
	if p.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, p.fail("open state", err)
	}
	if err := p.pool.Ping(ctx); err != nil {
		p.pool.Close()
		return nil, p.fail("connect to state", err)
	}
	if err := p.migrate(ctx); err != nil {
		p.pool.Close()
		return nil, p.fail("prepare state tables", err)
	}
	return p, nil
}

// Close closes the backend's connections. Locks still held are released.
func (p *Postgres) Close() { p.pool.Close() }

// Describe names the database, without the password.
func (p *Postgres) Describe() string { return p.described }

// migrate brings the tables to the newest version, in one transaction, and
// makes sure the state has its lineage.
func (p *Postgres) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		row := tx.QueryRow(ctx, `SELECT coalesce(current_schema(), '')`)
		if err := row.Scan(&p.namespace); err != nil {
			return fmt.Errorf("find the schema: %w", err)
		}
		// Two jobs opening a fresh database at once must not both create
		// the tables; the lock ends with this transaction.
		_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, p.lockID("schema", ""))
		if err != nil {
			return fmt.Errorf("lock the schema: %w", err)
		}
		version, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("the tables are at version %d; this ghlctl knows up to %d",
				version, len(migrations))
		}
		for v := version; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migrate the tables to version %d: %w", v+1, err)
			}
		}
		if version < len(migrations) {
			_, err := tx.Exec(ctx, `UPDATE ghlctl_schema_version SET version = $1`, len(migrations))
			if err != nil {
				return fmt.Errorf("record the schema version: %w", err)
			}
		}
		return ensureLineage(ctx, tx)
	})
}

// schemaVersion reads the version of the tables, creating the version table
// on first use. It creates nothing when the table is there, so that a role
// that may not create tables can still use a prepared database.
func schemaVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	var exists bool
	row := tx.QueryRow(ctx, `SELECT to_regclass('ghlctl_schema_version') IS NOT NULL`)
	if err := row.Scan(&exists); err != nil {
		return 0, fmt.Errorf("look for the schema version: %w", err)
	}
	if !exists {
		_, err := tx.Exec(ctx, `CREATE TABLE ghlctl_schema_version (version integer NOT NULL);
			INSERT INTO ghlctl_schema_version VALUES (0)`)
		if err != nil {
			return 0, fmt.Errorf("create the schema version table: %w", err)
		}
	}
	var version int
	row = tx.QueryRow(ctx, `SELECT max(version) FROM ghlctl_schema_version`)
	if err := row.Scan(&version); err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	return version, nil
}

func ensureLineage(ctx context.Context, tx pgx.Tx) error {
	var exists bool
	row := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ghlctl_state)`)
	if err := row.Scan(&exists); err != nil {
		return fmt.Errorf("read the lineage: %w", err)
	}
	if exists {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO ghlctl_state (lineage, serial) VALUES ($1, 0)`, newLineage())
	if err != nil {
		return fmt.Errorf("record a new lineage: %w", err)
	}
	return nil
}

// Read returns the whole state as of one moment.
func (p *Postgres) Read(ctx context.Context) (*State, error) {
	st := &State{FormatVersion: FormatVersion, Resources: map[string]*Resource{}}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, p.pool, opts, func(tx pgx.Tx) error {
		row := tx.QueryRow(ctx, `SELECT lineage, serial FROM ghlctl_state`)
		if err := row.Scan(&st.Lineage, &st.Serial); err != nil {
			return err
		}
		return readResources(ctx, tx, st.Resources)
	})
	if err != nil {
		return nil, p.fail("read state", err)
	}
	return st, nil
}

func readResources(ctx context.Context, tx pgx.Tx, into map[string]*Resource) error {
	rows, err := tx.Query(ctx, `SELECT address, location, location_id, kind, key, id, fingerprint,
		prevent_destroy, updated, updated_ns FROM ghlctl_resources`)
	if err != nil {
		return err
	}
	var (
		address string
		r       Resource
		ns      int
	)
	scans := []any{&address, &r.Location, &r.LocationID, &r.Kind, &r.Key, &r.ID, &r.Fingerprint,
		&r.PreventDestroy, &r.Updated, &ns}
	_, err = pgx.ForEachRow(rows, scans, func() error {
		c := r
		c.Updated = r.Updated.Add(time.Duration(ns)).UTC()
		into[address] = &c
		return nil
	})
	return err
}

// putResource writes one resource and bumps the serial: one statement, so
// one transaction, committed when Exec returns.
const putResource = `WITH put AS (
	INSERT INTO ghlctl_resources (address, location, location_id, kind, key, id, fingerprint,
		prevent_destroy, updated, updated_ns)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (address) DO UPDATE SET location = excluded.location,
		location_id = excluded.location_id, kind = excluded.kind, key = excluded.key,
		id = excluded.id, fingerprint = excluded.fingerprint,
		prevent_destroy = excluded.prevent_destroy, updated = excluded.updated,
		updated_ns = excluded.updated_ns
)
UPDATE ghlctl_state SET serial = serial + 1`

// removeResource forgets one resource and bumps the serial, in one statement.
const removeResource = `WITH gone AS (DELETE FROM ghlctl_resources WHERE address = $1)
UPDATE ghlctl_state SET serial = serial + 1`

// Put records r at address and bumps the serial, committed before it returns.
func (p *Postgres) Put(ctx context.Context, address string, r *Resource) error {
	updated, ns := splitTime(r.Updated)
	_, err := p.pool.Exec(ctx, putResource, address, r.Location, r.LocationID, r.Kind, r.Key, r.ID,
		r.Fingerprint, r.PreventDestroy, updated, ns)
	if err != nil {
		return p.fail("record "+address+" in state", err)
	}
	return nil
}

// Remove forgets address and bumps the serial, committed before it returns.
func (p *Postgres) Remove(ctx context.Context, address string) error {
	if _, err := p.pool.Exec(ctx, removeResource, address); err != nil {
		return p.fail("remove "+address+" from state", err)
	}
	return nil
}

// splitTime splits t into what timestamptz keeps (microseconds) and the
// nanoseconds below.
func splitTime(t time.Time) (time.Time, int) {
	us := t.Truncate(time.Microsecond)
	return us, int(t.Sub(us))
}

// replace makes the stored state st, all in one transaction: for Migrate.
func (p *Postgres) replace(ctx context.Context, st *State) error {
	rows := make([][]any, 0, len(st.Resources))
	for _, addr := range st.Addresses("") {
		r := st.Resources[addr]
		updated, ns := splitTime(r.Updated)
		rows = append(rows, []any{addr, r.Location, r.LocationID, r.Kind, r.Key, r.ID,
			r.Fingerprint, r.PreventDestroy, updated, ns})
	}
	columns := []string{"address", "location", "location_id", "kind", "key", "id", "fingerprint",
		"prevent_destroy", "updated", "updated_ns"}
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM ghlctl_resources`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE ghlctl_state SET lineage = $1, serial = $2`, st.Lineage, st.Serial)
		if err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"ghlctl_resources"}, columns, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return p.fail("write state", err)
	}
	return nil
}

// lockKey is one advisory lock to take.
type lockKey struct {
	location string // a Location address, or wholeState
	shared   bool
	id       int64
}

// lockID hashes a name to an advisory lock key. The schema is part of it,
// so states kept in different schemas of one database lock apart.
func (p *Postgres) lockID(kind, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("ghlctl\x00" + kind + "\x00" + p.namespace + "\x00" + name))
	return int64(h.Sum64())
}

// lockKeys lists the keys for locations in the order they are taken: the
// whole-state key first (shared unless locations is empty), then each
// location's, ordered by key so that every job takes them in the same order.
func (p *Postgres) lockKeys(locations []string) []lockKey {
	whole := lockKey{location: wholeState, id: p.lockID("lock", wholeState)}
	if len(locations) == 0 {
		return []lockKey{whole}
	}
	whole.shared = true
	var keys []lockKey
	for _, loc := range slices.Compact(slices.Sorted(slices.Values(locations))) {
		keys = append(keys, lockKey{location: loc, id: p.lockID("lock", loc)})
	}
	slices.SortFunc(keys, func(a, b lockKey) int {
		return cmp.Or(cmp.Compare(a.id, b.id), strings.Compare(a.location, b.location))
	})
	return append([]lockKey{whole}, keys...)
}

// Lock takes the locks of locations (of the whole state when locations is
// empty) on a connection of their own, waiting up to LockTimeout for each.
// The returned func releases them by ending that connection's session.
//
// TODO: if that connection drops while the command runs, the server ends
// the session and the locks with it, and nothing here notices; a watchdog
// that pings the connection and cancels the command would close that gap.
func (p *Postgres) Lock(ctx context.Context, info LockInfo, locations []string) (func() error, error) {
	pc, err := p.pool.Acquire(ctx)
	if err != nil {
		return nil, p.fail("lock state", err)
	}
	conn := pc.Hijack() // the locks live and die with this session; never lend it out
	deadline := time.Now().Add(p.LockTimeout)
	for _, k := range p.lockKeys(locations) {
		if err := p.take(ctx, conn, k, deadline); err != nil {
			closeConn(conn)
			return nil, err
		}
	}
	if err := recordHolders(ctx, conn, info, locations); err != nil {
		closeConn(conn)
		return nil, p.fail("lock state", err)
	}
	var once sync.Once
	var unlockErr error
	return func() error {
		once.Do(func() { unlockErr = p.release(conn) })
		return unlockErr
	}, nil
}

// take takes one key, trying again until deadline.
func (p *Postgres) take(ctx context.Context, conn *pgx.Conn, k lockKey, deadline time.Time) error {
	try := `SELECT pg_try_advisory_lock($1)`
	if k.shared {
		try = `SELECT pg_try_advisory_lock_shared($1)`
	}
	for attempt := 1; ; attempt++ {
		var ok bool
		if err := conn.QueryRow(ctx, try, k.id).Scan(&ok); err != nil {
			return p.fail("lock state", err)
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return &LockedError{Resource: p.lockName(k), Holder: holder(ctx, conn, k)}
		}
		if attempt == 1 && p.Logger != nil {
			p.Logger.Debug("waiting for state lock", "lock", p.lockName(k),
				"timeout", time.Until(deadline).Round(time.Millisecond))
		}
		if err := sleepCtx(ctx, lockPoll); err != nil {
			return err
		}
	}
}

func (p *Postgres) lockName(k lockKey) string {
	if k.location == wholeState {
		return p.described
	}
	return "sub-account " + k.location
}

// recordHolders says who holds the locks just taken, for those who wait.
func recordHolders(ctx context.Context, conn *pgx.Conn, info LockInfo, locations []string) error {
	if len(locations) == 0 {
		locations = []string{wholeState}
	}
	_, err := conn.Exec(ctx, `INSERT INTO ghlctl_locks (location, holder, backend_pid, since)
		SELECT loc, $2::jsonb, pg_backend_pid(), now() FROM unnest($1::text[]) AS loc
		ON CONFLICT (location) DO UPDATE SET holder = excluded.holder,
			backend_pid = excluded.backend_pid, since = excluded.since`,
		slices.Compact(slices.Sorted(slices.Values(locations))), info)
	return err
}

// holder finds who holds the lock k stands for: the row of a session that
// still holds an advisory lock. Waiting for the whole state, any holder will
// do.
func holder(ctx context.Context, conn *pgx.Conn, k lockKey) LockInfo {
	location := k.location
	if location == wholeState && !k.shared {
		location = ""
	}
	var info LockInfo
	err := conn.QueryRow(ctx, `SELECT l.holder FROM ghlctl_locks l
		WHERE ($1 = '' OR l.location = $1)
		AND EXISTS (SELECT 1 FROM pg_locks k
			WHERE k.pid = l.backend_pid AND k.locktype = 'advisory' AND k.granted)
		ORDER BY l.since LIMIT 1`, location).Scan(&info)
	if err != nil || info.Who == "" {
		return LockInfo{Who: "another ghlctl command"}
	}
	return info
}

// release forgets the holder rows of conn's session, lets go of its
// advisory locks, and ends it. Ending the session would release the locks
// too, but only once the server has noticed, which a Lock that follows at
// once may not wait for.
func (p *Postgres) release(conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := conn.Exec(ctx, `DELETE FROM ghlctl_locks WHERE backend_pid = pg_backend_pid()`)
	if _, unlockErr := conn.Exec(ctx, `SELECT pg_advisory_unlock_all()`); err == nil {
		err = unlockErr
	}
	if closeErr := conn.Close(ctx); err == nil {
		err = closeErr
	}
	if err != nil {
		return p.fail("unlock state", err)
	}
	return nil
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}

// ForceUnlock forgets the holders of locks whose session is gone. There is
// rarely any: an advisory lock dies with the session that held it, so a
// crashed command has already let go. A lock still held by a live session
// cannot be broken from here; ForceUnlock says which session holds it, to
// stop that command or end its session with pg_terminate_backend.
func (p *Postgres) ForceUnlock(ctx context.Context) error {
	_, err := p.pool.Exec(ctx, `DELETE FROM ghlctl_locks l WHERE NOT EXISTS (SELECT 1 FROM pg_locks k
		WHERE k.pid = l.backend_pid AND k.locktype = 'advisory' AND k.granted)`)
	if err != nil {
		return p.fail("unlock state", err)
	}
	rows, err := p.pool.Query(ctx, `SELECT location, holder, backend_pid FROM ghlctl_locks
		ORDER BY location`)
	if err != nil {
		return p.fail("unlock state", err)
	}
	var live []string
	var (
		location string
		info     LockInfo
		pid      int
	)
	_, err = pgx.ForEachRow(rows, []any{&location, &info, &pid}, func() error {
		live = append(live, fmt.Sprintf("%s by %s in database session %d",
			p.lockName(lockKey{location: location}), info, pid))
		return nil
	})
	if err != nil {
		return p.fail("unlock state", err)
	}
	if len(live) > 0 {
		return fmt.Errorf("still locked, by commands that are running: %s; a lock ends with "+
			"its command, or with its database session (SELECT pg_terminate_backend(pid))",
			strings.Join(live, "; "))
	}
	return nil
}

// fail wraps err with what was being done and scrubs the password from it:
// some driver errors quote the connection string.
func (p *Postgres) fail(doing string, err error) error {
	return scrubError(fmt.Errorf("%s %s: %w", doing, p.described, err), p.secrets)
}

// parseError rewords the driver's complaint about a URL it cannot parse
// without the URL it quotes, from which it can remove a password only as best
// it may. It does not wrap err, so that nothing can print the quote.
func (p *Postgres) parseError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		msg = msg[i+len("`: "):]
	}
	err = fmt.Errorf("open state %s: cannot parse the URL: %s", p.described, msg)
	return scrubError(err, p.secrets)
}

// scrubbedError is an error whose message had secrets replaced.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func scrubError(err error, secrets []string) error {
	msg := err.Error()
	clean := msg
	for _, s := range secrets {
		clean = strings.ReplaceAll(clean, s, "xxxxx")
	}
	if clean == msg {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

// RedactURL returns where with any password removed when it is a PostgreSQL
// URL, and unchanged otherwise.
func RedactURL(where string) string {
	if !IsPostgresURL(where) {
		return where
	}
	u, err := url.Parse(where)
	if err != nil {
		return redactUnparsed(where)
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// redactUnparsed keeps only the scheme and what follows the last '@' of a
// URL too broken to parse, and drops any password parameter.
func redactUnparsed(where string) string {
	scheme, rest, _ := strings.Cut(where, "://")
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if base, query, ok := strings.Cut(rest, "?"); ok && strings.Contains(query, "password") {
		rest = base
	}
	return scheme + "://" + rest
}

// urlSecrets lists the password of a URL in every form an error may quote.
func urlSecrets(where string) []string {
	var raw []string
	if u, err := url.Parse(where); err == nil {
		if pw, ok := u.User.Password(); ok {
			raw = append(raw, pw)
		}
		if pw := u.Query().Get("password"); pw != "" {
			raw = append(raw, pw)
		}
	} else if _, rest, ok := strings.Cut(where, "://"); ok {
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			if _, pw, ok := strings.Cut(rest[:i], ":"); ok {
				raw = append(raw, pw)
				if unescaped, err := url.PathUnescape(pw); err == nil {
					raw = append(raw, unescaped)
				}
			}
		}
	}
	var out []string
	for _, pw := range raw {
		if pw == "" {
			continue
		}
		userinfo := url.UserPassword("", pw).String()[1:]
		out = append(out, pw, url.PathEscape(pw), url.QueryEscape(pw), userinfo)
	}
	// Longest first, so that no shorter form leaves part of a longer one.
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(out)
}
