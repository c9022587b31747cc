package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A fleet is n new sub-accounts made from one blueprint, the way an agency
// clones a setup: the Agency document, a blueprint with entries of five
// kinds that use variables, and one Location per sub-account.
const fleetBlueprint = `apiVersion: ghlctl/v1
kind: Blueprint
metadata: {name: gym-base}
spec:
  vars:
    gym_name: {required: true}
    booking_url: {default: "https://gyms.example/book"}
  tags: [member, trial, vip, lapsed, "💪 challenge"]
  customFields:
    - {name: Membership Tier, dataType: SINGLE_OPTIONS, options: [Basic, Plus, Elite]}
    - {name: Join Date, dataType: DATE}
    - {name: Goals, dataType: LARGE_TEXT}
  customValues:
    - {name: Gym Name, value: "${gym_name}"}
    - {name: Booking URL, value: "${booking_url}"}
    - {name: Greeting, value: "Welcome to ${gym_name}, {{contact.first_name}}!"}
  triggerLinks:
    - {name: Book a Class, redirectTo: "${booking_url}"}
  businesses:
    - {name: "${gym_name} LLC", city: Austin}
`

// fleetObjects is what each fleet sub-account holds once applied, by kind.
var fleetObjects = map[string]int{
	"tags": 5, "customFields": 3, "customValues": 3, "triggerLinks": 1, "businesses": 1,
}

const agencyDoc = `apiVersion: ghlctl/v1
kind: Agency
metadata: {name: northwind}
spec:
  companyId: nwAgency000000000001
  credentials: {tokenEnv: GHL_AGENCY_TOKEN}
`

// writeFleet writes the manifests of n fleet sub-accounts.
func writeFleet(w *workspace, n int) {
	w.write("agency.yaml", agencyDoc)
	w.write("gym-base.yaml", fleetBlueprint)
	for i := 1; i <= n; i++ {
		w.write(fmt.Sprintf("gym-%02d.yaml", i), fleetLocation(i, ""))
	}
}

// fleetLocation is the manifest of fleet sub-account i, with extra lines
// under spec.
func fleetLocation(i int, extra string) string {
	return fmt.Sprintf(`apiVersion: ghlctl/v1
kind: Location
metadata: {name: gym-%02d, labels: {vertical: fitness}}
spec:
  credentials: {tokenEnv: GYM_%02d_PIT}
  settings: {name: Fleet Gym %02d, timezone: America/Chicago}
  blueprints:
    - name: gym-base
      vars: {gym_name: Fleet Gym %02d, booking_url: "https://gyms.example/%02d/book"}
%s`, i, i, i, i, i, extra)
}

// fleetCounts checks that the sandbox holds exactly n fleet sub-accounts
// (besides the demo agency's three), each with every object exactly once.
func fleetCounts(t *testing.T, sb *served, n int) {
	t.Helper()
	demo := map[string]bool{acmeID: true, baysideID: true, cedarID: true}
	got := 0
	for id, kinds := range sb.stats().Objects {
		if demo[id] {
			continue
		}
		got++
		for kind, want := range fleetObjects {
			if kinds[kind] != want {
				t.Errorf("sub-account %s holds %d %s, want %d", id, kinds[kind], kind, want)
			}
		}
	}
	if got != n {
		t.Errorf("the sandbox holds %d fleet sub-accounts, want %d", got, n)
	}
}

var retriedLine = regexp.MustCompile(`API: \d+ requests, (\d+) retried, (\d+) rate limited`)

// TestFaultyNetworkConverges applies a 50-sub-account fleet through a sandbox
// that answers 10% of requests with 429, 5% with 5xx, resets 2% of
// connections and loses 1% of answers after committing: the end state holds
// every object exactly once and the next plan is empty.
func TestFaultyNetworkConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run: skipped with -short")
	}
	t.Parallel()
	seed := "7"
	if s := os.Getenv("GHLCTL_CHAOS_SEED"); s != "" {
		seed = s
	}
	t.Logf("fault seed %s", seed)
	sb := serve(t, "--faults", "429=0.1,5xx=0.05,reset=0.02,lost=0.01,seed="+seed)
	w := newWorkspace(t)
	w.sb = sb
	writeFleet(w, 50)
	r := w.ghl("apply", "--auto-approve", "--parallelism", "10")
	if r.code != 0 {
		t.Fatalf("apply under faults did not finish:\n%s", r)
	}
	m := retriedLine.FindStringSubmatch(r.stdout)
	if m == nil || m[1] == "0" {
		t.Fatalf("apply did not report the retries it made:\n%s", r.stdout)
	}
	t.Logf("%s", m[0])
	fleetCounts(t, sb, 50)
	w.wantNoChanges()
}

// TestFleetPlanStaysUnderTheBurstLimit plans 50 sub-accounts against the
// sandbox's real rate limit (100 requests per 10 s per token and resource)
// with default settings: the sandbox answers no 429 at all.
func TestFleetPlanStaysUnderTheBurstLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run: skipped with -short")
	}
	t.Parallel()
	sb := serve(t)
	w := newWorkspace(t)
	w.sb = sb
	writeFleet(w, 50)
	w.must("apply", "--auto-approve")
	sb.reset()
	w.wantNoChanges()
	w.must("plan")
	if n := sb.stats().Status429; n != 0 {
		t.Fatalf("the sandbox answered %d requests of two fleet plans with 429", n)
	}
}

// TestKilledApplyFinishesOnTheNextRun kills apply with SIGKILL at ten
// points of a 70-change plan (five new sub-accounts of fourteen changes
// each: the sub-account, then its entries);
// each time, the next apply finishes the job without creating anything twice.
func TestKilledApplyFinishesOnTheNextRun(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run: skipped with -short")
	}
	t.Parallel()
	for point := 1; point <= 10; point++ {
		t.Run("after "+strconv.Itoa(point*4)+" changes", func(t *testing.T) {
			sb := serve(t, "--faults", "latency=5ms")
			w := newWorkspace(t)
			w.sb = sb
			writeFleet(w, 5)
			killAfter(t, w, point*4)
			if r := w.ghl("apply", "--auto-approve"); r.code != 0 {
				t.Fatalf("apply after the kill:\n%s", r)
			}
			fleetCounts(t, sb, 5)
			w.wantNoChanges()
		})
	}
}

// TestInterruptedApplyStopsCleanly sends Ctrl-C (SIGINT) to an apply: it
// finishes the changes in flight, starts no more, exits 130 with a summary,
// and the next apply finishes the rest without doubling anything.
func TestInterruptedApplyStopsCleanly(t *testing.T) {
	t.Parallel()
	sb := serve(t, "--faults", "latency=20ms")
	w := newWorkspace(t)
	w.sb = sb
	writeFleet(w, 3)
	cmd, sc := startApply(t, w, "--parallelism", "1")
	var printed strings.Builder
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), " done (") {
			_ = cmd.Process.Signal(os.Interrupt)
			break
		}
	}
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
	}
	err := cmd.Wait()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 130 {
		t.Fatalf("interrupted apply: %v, want exit 130\n%s", err, printed.String())
	}
	if !strings.Contains(printed.String(), "Apply incomplete") ||
		!strings.Contains(printed.String(), "not started") {
		t.Errorf("no summary of what was left:\n%s", printed.String())
	}
	if r := w.ghl("apply", "--auto-approve"); r.code != 0 {
		t.Fatalf("apply after the interrupt:\n%s", r)
	}
	fleetCounts(t, sb, 3)
	w.wantNoChanges()
}

// killAfter starts an apply and kills it with SIGKILL once it has reported n
// changes done.
func killAfter(t *testing.T, w *workspace, n int) {
	t.Helper()
	cmd, sc := startApply(t, w)
	done := 0
	for sc.Scan() {
		if strings.Contains(sc.Text(), " done (") {
			if done++; done == n {
				_ = cmd.Process.Kill()
				break
			}
		}
	}
	_ = cmd.Wait()
	if done < n {
		t.Fatalf("apply finished after %d changes, before the kill at %d", done, n)
	}
}

// startApply starts an apply in the background and returns it with a
// scanner over what it prints.
func startApply(t *testing.T, w *workspace, extra ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	args := append(append([]string{"apply", "--auto-approve"}, extra...), w.sandboxFlags()...)
	cmd := exec.Command(binary, args...)
	cmd.Dir = w.dir
	for k, v := range w.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}
