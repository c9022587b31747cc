package e2e

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLockHeldByAnotherProcess holds the state lock from the test process,
// the way a running ghlctl holds it: a second command waits --lock-timeout,
// then fails naming the holder; state unlock clears the lock.
func TestLockHeldByAnotherProcess(t *testing.T) {
	fileStateOnly(t)
	t.Parallel()
	w := newWorkspace(t)
	w.write("acme.yaml", acme("tags: [vip, patient]"))
	holder := holdLock(t, w.path("ghlctl.state.json.lock"), map[string]any{
		"who": "lock-holder", "operation": "apply", "pid": 4242, "host": "build-7",
		"started": time.Now().UTC().Format(time.RFC3339),
	})
	defer holder.Close()

	start := time.Now()
	r := w.ghl("apply", "--auto-approve", "--lock-timeout", "1s")
	waited := time.Since(start)
	wantCode(t, r, 1)
	wantContains(t, "apply", r.stderr,
		"locked by lock-holder (apply, pid 4242 on build-7", "ghlctl state unlock")
	if waited < time.Second {
		t.Errorf("gave up after %v, want at least the 1s lock timeout", waited)
	}
	if w.exists("ghlctl.state.json") {
		t.Errorf("the state was written without the lock")
	}

	r = w.run("state", "unlock")
	wantCode(t, r, 0)
	wantContains(t, "state unlock", r.stdout, "Unlocked")
	w.must("apply", "--auto-approve", "--lock-timeout", "1s")
	w.wantNoChanges()
}

// holdLock takes the flock on path and writes info into it, as ghlctl does.
func holdLock(t *testing.T, path string, info map[string]any) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("flock %s: %v", path, err)
	}
	data, _ := json.Marshal(info)
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLockHeldByApply starts a slow apply (the sandbox answers each request
// after 300ms) and runs a second apply while the first holds the lock.
func TestLockHeldByApply(t *testing.T) {
	fileStateOnly(t)
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit", "--faults", "latency=300ms")
	w.write("acme.yaml", acme("tags: [vip, one, two, three, four, five, six]"))

	first, stdout, stderr := w.command(append([]string{"apply", "--auto-approve"}, w.sandboxFlags()...)...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLock(t, w.path("ghlctl.state.json.lock"))

	r := w.ghl("apply", "--auto-approve", "--lock-timeout", "1s")
	wantCode(t, r, 1)
	wantContains(t, "second apply", r.stderr,
		"is locked by", "(apply, pid "+strconv.Itoa(first.Process.Pid)+" ")

	done := w.finish([]string{"apply (first)"}, first.Wait(), stdout, stderr)
	wantCode(t, done, 0)
	if strings.Count(done.stdout, "acme-dental: + tag ") != 6 {
		t.Errorf("the first apply did not make its six changes:\n%s", done)
	}
	w.wantNoChanges()
}

// waitForLock waits until a command has taken the lock and written who it is.
func waitForLock(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && strings.Contains(string(data), `"pid"`) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no lock at %s after 10s", path)
}
