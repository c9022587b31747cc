package state

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"
)

// testPostgres returns the URL of a schema of its own in the test server
// named by GHLCTL_TEST_POSTGRES, dropped when the test ends, so tests run in
// parallel and again without seeing each other.
func testPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GHLCTL_TEST_POSTGRES")
	if base == "" {
		t.Skip("GHLCTL_TEST_POSTGRES not set: PostgreSQL tests skipped")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "ghlctl_test_" + hex.EncodeToString(b)
	admin(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { admin(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// admin runs sql on its own connection.
func admin(t *testing.T, dsn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func openPostgres(t *testing.T, dsn string, lockTimeout time.Duration) *Postgres {
	t.Helper()
	p, err := NewPostgres(context.Background(), dsn, lockTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func lockOrFail(t *testing.T, b Backend, who string, locations ...string) func() error {
	t.Helper()
	info := LockInfo{Who: who, Operation: "apply", PID: 42, Host: "ci"}
	unlock, err := b.Lock(context.Background(), info, locations)
	if err != nil {
		t.Fatalf("%s locks %v: %v", who, locations, err)
	}
	t.Cleanup(func() { _ = unlock() })
	return unlock
}

// lockedBy asserts that err says resource is locked by who.
func lockedBy(t *testing.T, err error, resource, who string) {
	t.Helper()
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a LockedError", err)
	}
	if le.Resource != resource || le.Holder.Who != who {
		t.Fatalf("got locked %q by %q, want %q by %q (%v)", le.Resource, le.Holder.Who, resource, who, err)
	}
}

func TestPostgresPutRemoveRead(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	p := openPostgres(t, dsn, 0)
	ctx := context.Background()

	st, err := p.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Serial != 0 || len(st.Resources) != 0 || len(st.Lineage) != 32 {
		t.Fatalf("fresh state: serial %d, %d resources, lineage %q", st.Serial, len(st.Resources), st.Lineage)
	}
	lineage := st.Lineage

	vip := &Resource{Location: "acme", LocationID: "loc1", Kind: "tags", Key: "vip", ID: "t1",
		Fingerprint: "f1", Updated: time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)}
	field := &Resource{Location: "acme", LocationID: "loc1", Kind: "customFields", Key: "contact.x", ID: "c1",
		Fingerprint: "f2", PreventDestroy: true,
		Updated: time.Date(2025, 3, 4, 5, 6, 8, 0, time.FixedZone("X", 3600))}
	steps := []func() error{
		func() error { return p.Put(ctx, "acme/tags/vip", vip) },
		func() error { return p.Put(ctx, "acme/customFields/contact.x", field) },
		func() error { vip.ID = "t2"; return p.Put(ctx, "acme/tags/vip", vip) },
		func() error { return p.Remove(ctx, "acme/customFields/contact.x") },
		func() error { return p.Remove(ctx, "acme/tags/absent") },
		func() error { return p.Put(ctx, "acme/customFields/contact.x", field) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if st, err = p.Read(ctx); err != nil || st.Serial != int64(i+1) {
			t.Fatalf("after step %d: serial %d, %v; want %d", i+1, st.Serial, err, i+1)
		}
	}

	want := &State{FormatVersion: FormatVersion, Lineage: lineage, Serial: 6, Resources: map[string]*Resource{
		"acme/tags/vip": vip, "acme/customFields/contact.x": field,
	}}
	if diff := cmp.Diff(want, st, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	again, err := openPostgres(t, dsn, 0).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state read by a second backend (-want +got):\n%s", diff)
	}
}

func TestPostgresSchemaVersioned(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)

	// Jobs that find the database empty at once must all succeed, with one lineage.
	var wg sync.WaitGroup
	lineages := make([]string, 4)
	errs := make([]error, 4)
	for i := range lineages {
		wg.Go(func() {
			p, err := NewPostgres(context.Background(), dsn, 0)
			if err != nil {
				errs[i] = err
				return
			}
			defer p.Close()
			st, err := p.Read(context.Background())
			if err != nil {
				errs[i] = err
				return
			}
			lineages[i] = st.Lineage
		})
	}
	wg.Wait()
	for i := range lineages {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		if lineages[i] != lineages[0] {
			t.Fatalf("lineages differ: %v", lineages)
		}
	}

	admin(t, dsn, "UPDATE ghlctl_schema_version SET version = 99")
	_, err := NewPostgres(context.Background(), dsn, 0)
	if err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("open a newer schema: got %v, want an error naming version 99", err)
	}
}

func TestPostgresLockOverlapWaitsThenFails(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	alice := openPostgres(t, dsn, 0)
	bob := openPostgres(t, dsn, 300*time.Millisecond)
	unlock := lockOrFail(t, alice, "alice", "acme", "beta")

	start := time.Now()
	_, err := bob.Lock(context.Background(), LockInfo{Who: "bob"}, []string{"gamma", "beta"})
	lockedBy(t, err, "sub-account beta", "alice")
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("gave up after %v, want at least the lock timeout", waited)
	}
	if !strings.Contains(err.Error(), "alice (apply, pid 42 on ci") {
		t.Errorf("message %q does not name the holder", err)
	}

	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	lockOrFail(t, bob, "bob", "beta", "gamma")
}

func TestPostgresLockWaitsForRelease(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	alice := openPostgres(t, dsn, 0)
	bob := openPostgres(t, dsn, 10*time.Second)
	unlock := lockOrFail(t, alice, "alice", "acme")
	time.AfterFunc(300*time.Millisecond, func() { _ = unlock() })

	start := time.Now()
	lockOrFail(t, bob, "bob", "acme")
	if waited := time.Since(start); waited < 250*time.Millisecond || waited > 5*time.Second {
		t.Errorf("got the lock after %v, want soon after 300ms", waited)
	}
}

func TestPostgresLockDisjointLocations(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	alice := openPostgres(t, dsn, 0)
	bob := openPostgres(t, dsn, 0)

	start := time.Now()
	lockOrFail(t, alice, "alice", "acme", "beta")
	lockOrFail(t, bob, "bob", "gamma")
	lockOrFail(t, bob, "bob", "delta", "epsilon")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("disjoint locks took %v", took)
	}
}

func TestPostgresWholeStateLock(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	alice := openPostgres(t, dsn, 0)
	bob := openPostgres(t, dsn, 200*time.Millisecond)

	unlock := lockOrFail(t, alice, "alice")
	_, err := bob.Lock(context.Background(), LockInfo{Who: "bob"}, []string{"acme"})
	lockedBy(t, err, bob.Describe(), "alice")
	_, err = bob.Lock(context.Background(), LockInfo{Who: "bob"}, nil)
	lockedBy(t, err, bob.Describe(), "alice")
	if err := unlock(); err != nil {
		t.Fatal(err)
	}

	lockOrFail(t, alice, "alice", "acme")
	_, err = bob.Lock(context.Background(), LockInfo{Who: "bob"}, nil)
	lockedBy(t, err, bob.Describe(), "alice")
	lockOrFail(t, bob, "bob", "beta")
}

// TestPostgresLockHelperProcess is not a test: TestPostgresLockDiesWithProcess
// runs the test binary again to be it. It takes a lock, says so, and sleeps.
func TestPostgresLockHelperProcess(t *testing.T) {
	dsn := os.Getenv("GHLCTL_TEST_LOCK_HELPER")
	if dsn == "" {
		t.Skip("the helper process of TestPostgresLockDiesWithProcess")
	}
	p, err := NewPostgres(context.Background(), dsn, 0)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	info := LockInfo{Who: "helper", Operation: "apply", PID: os.Getpid()}
	if _, err := p.Lock(context.Background(), info, []string{"acme"}); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(0)
}

func TestPostgresLockDiesWithProcess(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	p := openPostgres(t, dsn, 0)
	helper := startLockHelper(t, dsn)

	_, err := p.Lock(context.Background(), LockInfo{Who: "me"}, []string{"acme"})
	lockedBy(t, err, "sub-account acme", "helper")

	if err := helper.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	start := time.Now()
	p.LockTimeout = 10 * time.Second
	lockOrFail(t, p, "me", "acme")
	took := time.Since(start)
	t.Logf("lock taken %v after the holder was killed", took)
	if took > 2*time.Second {
		t.Errorf("lock taken %v after the holder was killed, want at once", took)
	}
}

// startLockHelper runs TestPostgresLockHelperProcess and waits until it
// holds its lock.
func startLockHelper(t *testing.T, dsn string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPostgresLockHelperProcess$")
	cmd.Env = append(os.Environ(), "GHLCTL_TEST_LOCK_HELPER="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "locked" {
				ready <- ""
				return
			}
			ready <- sc.Text()
		}
		close(ready)
	}()
	select {
	case line, ok := <-ready:
		if !ok || line != "" {
			t.Fatalf("helper did not take its lock: %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("helper did not take its lock in 30s")
	}
	return cmd
}

func TestPostgresForceUnlock(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	p := openPostgres(t, dsn, 0)
	admin(t, dsn, `INSERT INTO ghlctl_locks (location, holder, backend_pid)
		VALUES ('gone', '{"who":"ghost"}', 0)`)

	if err := p.ForceUnlock(context.Background()); err != nil {
		t.Fatalf("clear a lock whose session is gone: %v", err)
	}
	unlock := lockOrFail(t, p, "alice", "acme")
	err := p.ForceUnlock(context.Background())
	if err == nil || !strings.Contains(err.Error(), "sub-account acme by alice") {
		t.Fatalf("force-unlock a live lock: got %v, want an error naming alice", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := p.ForceUnlock(context.Background()); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestPostgresPasswordNeverShown(t *testing.T) {
	t.Parallel()
	const pw = "s3cr!t:pw@tail-part"
	escaped := url.UserPassword("ghl", pw).String()
	for _, dsn := range []string{
		"postgres://" + escaped + "@127.0.0.1:1/ghlctl?sslmode=disable&connect_timeout=5",
		"postgresql://ghl@127.0.0.1:1/ghlctl?sslmode=disable&password=" + url.QueryEscape(pw),
		"postgres://ghl:" + pw + "@127.0.0.1:notaport/ghlctl",
		"postgres://" + escaped + "@127.0.0.1:notaport/ghlctl",
	} {
		shown := RedactURL(dsn)
		_, err := NewPostgres(context.Background(), dsn, 0)
		if err == nil {
			t.Fatalf("%s: connected, want an error", shown)
		}
		for what, text := range map[string]string{"RedactURL": shown, "error": err.Error()} {
			if leak := showsPart(text, append(urlSecrets(dsn), pw)); leak != "" {
				t.Errorf("%s shows %q of the password: %s", what, leak, text)
			}
		}
	}
}

// showsPart returns a piece of four or more characters of one of secrets
// that text shows, or "".
func showsPart(text string, secrets []string) string {
	for _, s := range secrets {
		for i := 0; i+4 <= len(s); i++ {
			if strings.Contains(text, s[i:i+4]) {
				return s[i : i+4]
			}
		}
	}
	return ""
}

func TestPostgresDescribeHidesPassword(t *testing.T) {
	t.Parallel()
	dsn := testPostgres(t)
	u, _ := url.Parse(dsn)
	u.User = url.UserPassword(u.User.Username(), "hunter2-secret") // trust auth takes any
	p := openPostgres(t, u.String(), 0)
	if d := p.Describe(); strings.Contains(d, "hunter2") || !strings.Contains(d, u.Host) {
		t.Errorf("Describe() = %q", d)
	}
	admin(t, dsn, "DROP TABLE ghlctl_resources")
	err := p.Put(context.Background(), "acme/tags/vip", &Resource{})
	if err == nil || strings.Contains(err.Error(), "hunter2") ||
		!strings.Contains(err.Error(), "record acme/tags/vip") {
		t.Errorf("Put on a broken database: %v", err)
	}
}

func TestLockKeysOrder(t *testing.T) {
	t.Parallel()
	p := &Postgres{namespace: "public"}
	keys := p.lockKeys([]string{"zeta", "acme", "beta", "acme"})
	if len(keys) != 4 || keys[0].location != wholeState || !keys[0].shared {
		t.Fatalf("keys %+v: want the shared whole-state key, then three locations", keys)
	}
	for i := 2; i < len(keys); i++ {
		if keys[i-1].id >= keys[i].id || keys[i].shared {
			t.Fatalf("keys %+v: want exclusive location keys in ascending order", keys)
		}
	}
	whole := p.lockKeys(nil)
	if len(whole) != 1 || whole[0].shared || whole[0].id != keys[0].id {
		t.Fatalf("whole-state keys %+v", whole)
	}
	other := &Postgres{namespace: "other"}
	if other.lockID("lock", "acme") == p.lockID("lock", "acme") {
		t.Error("lock keys of states in different schemas collide")
	}
}
