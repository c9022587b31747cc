package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresURL, when set, runs the whole suite with the state in PostgreSQL:
// each workspace gets a schema of its own. .ci/run sets it on a second pass.
var postgresURL = os.Getenv("GHLCTL_E2E_POSTGRES")

// usePostgres points a workspace's state at a new schema of postgresURL, or
// does nothing when the suite runs with state files.
func usePostgres(t *testing.T, w *workspace) {
	t.Helper()
	if postgresURL == "" {
		return
	}
	w.env["GHLCTL_STATE"] = newSchema(t, postgresURL)
}

// newSchema creates a schema for one test and returns the URL that uses it.
func newSchema(t *testing.T, base string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "e2e_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// fileStateOnly skips a test that looks at the state file itself.
func fileStateOnly(t *testing.T) {
	t.Helper()
	if postgresURL != "" {
		t.Skip("looks at the state file: the suite runs with the state in PostgreSQL")
	}
}

// testPostgres is the server for the PostgreSQL-only tests.
func testPostgres(t *testing.T) string {
	t.Helper()
	url := os.Getenv("GHLCTL_TEST_POSTGRES")
	if url == "" {
		t.Skip("GHLCTL_TEST_POSTGRES not set: PostgreSQL tests skipped")
	}
	return url
}

// applyShards runs one apply per shard, all started together, and returns
// what each printed.
func applyShards(t *testing.T, w *workspace, shards ...string) []result {
	t.Helper()
	out := make([]result, len(shards))
	var wg sync.WaitGroup
	for i, shard := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"apply", "--auto-approve", "-v", "--lock-timeout", "60s"}
			if shard != "" {
				args = append(args, "--shard", shard)
			}
			out[i] = w.ghl(args...)
		}()
	}
	wg.Wait()
	for _, r := range out {
		if r.code != 0 {
			t.Fatalf("a concurrent apply failed:\n%s", r)
		}
	}
	return out
}

// postgresFleet is a workspace of n fleet sub-accounts with its state in a
// schema of its own, against a served sandbox without rate limits.
func postgresFleet(t *testing.T, n int) (*workspace, *served) {
	t.Helper()
	url := testPostgres(t)
	t.Parallel()
	sb := serve(t, "--no-rate-limit")
	w := newWorkspace(t)
	w.sb = sb
	w.env["GHLCTL_STATE"] = newSchema(t, url)
	writeFleet(w, n)
	return w, sb
}

// TestPostgresDisjointShardsDoNotWait applies two halves of a 40-sub-account
// fleet at once against one PostgreSQL state: neither waits for the other's
// locks, and together they leave every object exactly once.
func TestPostgresDisjointShardsDoNotWait(t *testing.T) {
	w, sb := postgresFleet(t, 40)
	start := time.Now()
	for _, r := range applyShards(t, w, "1/2", "2/2") {
		if strings.Contains(r.stderr, "waiting for state lock") {
			t.Errorf("a shard waited for the other's locks:\n%s", r.stderr)
		}
	}
	t.Logf("both shards applied in %s", time.Since(start).Round(time.Millisecond))
	fleetCounts(t, sb, 40)
	w.wantNoChanges()
}

// TestPostgresOverlappingAppliesWait applies the same fleet twice at once:
// one waits for the other, and no change is lost or made twice.
func TestPostgresOverlappingAppliesWait(t *testing.T) {
	w, sb := postgresFleet(t, 10)
	waited := 0
	for _, r := range applyShards(t, w, "", "") {
		if strings.Contains(r.stderr, "waiting for state lock") {
			waited++
		}
	}
	if waited != 1 {
		t.Errorf("%d of the two applies waited, want exactly one", waited)
	}
	fleetCounts(t, sb, 10)
	w.wantNoChanges()
}
