package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Canaries: values that must reach the server but no output or file.
const (
	canarySecret  = "whsec_canary_7f3a9c1e5b2d"
	canarySecret2 = "whsec_canary_rotated_4e8f1a"
	canaryLiteral = "sk_live_canary_literal_9q8w7e"
	canaryToken   = "pit-canary-0000-not-a-real-token"
)

// secretsManifest has a sensitive custom value read from the environment and
// one written out in the manifest.
var secretsManifest = acme(`
tags: [vip]
customValues:
  - {name: Office Phone, value: "+1 512 555 0100"}
  - {name: Stripe Webhook Secret, value: "${env:CANARY_SECRET}", sensitive: true}
  - {name: Payments Key, value: "` + canaryLiteral + `", sensitive: true}
`)

// TestCanarySecrets runs ghlctl the way it runs against HighLevel (tokens in
// environment variables) against a served sandbox, with sensitive custom
// values, through every command that prints or writes something, and checks
// that no token and no sensitive value appears in any output or file.
func TestCanarySecrets(t *testing.T) {
	t.Parallel()
	sb := serve(t, "--no-rate-limit")
	w := newWorkspace(t)
	w.write("acme.yaml", secretsManifest)
	w.env["ACME_DENTAL_PIT"] = sb.tokens[acmeID]
	w.env["CANARY_SECRET"] = canarySecret
	canaries := []string{canarySecret, canarySecret2, canaryLiteral, canaryToken, sb.agency}
	for _, token := range sb.tokens {
		canaries = append(canaries, token)
	}
	c := &canaryCheck{t: t, w: w, canaries: canaries, endpoint: sb.url}

	c.run(0, "validate")
	c.run(0, "render")
	c.run(2, "plan", "--detailed-exitcode", "-v")
	c.run(0, "plan", "-o", "json", "-v")
	c.run(0, "plan", "-o", "markdown")
	c.run(0, "plan", "--out", "p.json", "-v")
	c.run(0, "show", "p.json")
	c.run(0, "show", "p.json", "-o", "json")
	c.run(0, "apply", "p.json", "-v")
	if got := sb.mustFind(acmeID, "customValues", "Stripe Webhook Secret")["value"]; got != canarySecret {
		t.Fatalf("the sandbox holds %q for the secret, want the canary: the check proves nothing", got)
	}
	c.run(0, "state", "list")
	c.run(0, "state", "show", "acme-dental/customValues/Stripe Webhook Secret")

	w.env["CANARY_SECRET"] = canarySecret2
	r := c.run(2, "plan", "--detailed-exitcode", "-v")
	wantContains(t, "plan of a rotated secret", r.stdout,
		`~ customValue "Stripe Webhook Secret"`, "(sensitive)")
	c.run(0, "plan", "-o", "json")
	c.run(0, "apply", "--auto-approve", "-v")
	if got := sb.mustFind(acmeID, "customValues", "Stripe Webhook Secret")["value"]; got != canarySecret2 {
		t.Errorf("the rotated secret did not reach the sandbox: %q", got)
	}

	w.env["ACME_DENTAL_PIT"] = canaryToken
	c.run(1, "plan", "-v")
	c.run(1, "apply", "--auto-approve", "-v")
	c.checkFiles()
}

// TestCanarySecretsInProcess checks the in-process sandbox's runs the same
// way: its tokens are its own, the sensitive values the manifest's.
func TestCanarySecretsInProcess(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.write("acme.yaml", secretsManifest)
	w.env["CANARY_SECRET"] = canarySecret
	c := &canaryCheck{t: t, w: w, canaries: []string{canarySecret, canaryLiteral}}
	c.run(0, "plan", "-v", "--sandbox")
	c.run(0, "plan", "-o", "json", "--sandbox")
	c.run(0, "apply", "--auto-approve", "-v", "--sandbox")
	c.run(0, "plan", "--detailed-exitcode", "-v", "--sandbox")
	c.checkFiles()
}

// canaryCheck runs commands and looks for canaries in what they print.
type canaryCheck struct {
	t        *testing.T
	w        *workspace
	canaries []string
	endpoint string // when set, commands run against it without --sandbox
}

// run runs one command, wants its exit code and checks its output.
func (c *canaryCheck) run(code int, args ...string) result {
	c.t.Helper()
	if c.endpoint != "" {
		args = append(args, "--endpoint", c.endpoint)
	}
	r := c.w.run(args...)
	wantCode(c.t, r, code)
	c.check("ghlctl "+strings.Join(args, " "), r.output())
	return r
}

func (c *canaryCheck) check(what, s string) {
	c.t.Helper()
	for _, canary := range c.canaries {
		if canary != "" && strings.Contains(s, canary) {
			c.t.Errorf("%s shows a secret (%.12s...):\n%s", what, canary, s)
		}
	}
}

// checkFiles looks into every file ghlctl wrote in the workspace (state,
// saved plans, lock files), leaving out the manifests and the in-process
// sandbox's own data.
func (c *canaryCheck) checkFiles() {
	c.t.Helper()
	n := 0
	err := filepath.WalkDir(c.w.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".yaml") ||
			strings.Contains(path, string(filepath.Separator)+".ghlctl"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		c.check(path, string(data))
		return nil
	})
	if err != nil {
		c.t.Fatal(err)
	}
	if postgresURL == "" && (!c.w.exists("ghlctl.state.json") || n == 0) {
		c.t.Errorf("no state file to look into")
	}
}
