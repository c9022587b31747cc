package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runTimeout bounds one run of the binary, so a hung command fails its test
// instead of the whole suite.
const runTimeout = 30 * time.Second

// result is what one run of ghlctl printed and how it exited.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return "ghlctl " + strings.Join(r.args, " ") + "\nexit " + strconv.Itoa(r.code) +
		"\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

// output is stdout and stderr together, for checks that care about neither.
func (r result) output() string { return r.stdout + r.stderr }

// workspace is a temporary working directory with manifests in it, and how
// ghlctl is run there: the environment, and the flags that choose the sandbox.
type workspace struct {
	t   *testing.T
	dir string
	env map[string]string
	// sb is the served sandbox the workspace runs against, or nil for the
	// in-process one.
	sb *served
}

// newWorkspace makes an empty working directory with an environment that
// holds nothing of the caller's: no tokens, no NO_COLOR, a HOME of its own.
func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	dir := t.TempDir()
	w := &workspace{t: t, dir: dir, env: map[string]string{
		"PATH": os.Getenv("PATH"), "HOME": dir, "TMPDIR": os.TempDir(),
	}}
	usePostgres(t, w)
	return w
}

// exampleWorkspace is a workspace holding a copy of the manifests of
// examples/agency.
func exampleWorkspace(t *testing.T) *workspace {
	t.Helper()
	w := newWorkspace(t)
	copyManifests(t, filepath.Join("..", "examples", "agency"), w.dir)
	return w
}

// copyManifests copies the YAML files under from, and only those: a state
// or sandbox left beside the example by someone trying it is no part of it.
func copyManifests(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", from, err)
	}
}

// path is a file's path inside the workspace.
func (w *workspace) path(name string) string { return filepath.Join(w.dir, name) }

// write creates or replaces a file of the workspace.
func (w *workspace) write(name, content string) {
	w.t.Helper()
	p := w.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// read returns a file of the workspace.
func (w *workspace) read(name string) string {
	w.t.Helper()
	data, err := os.ReadFile(w.path(name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}

// edit replaces the one occurrence of old in a file of the workspace.
func (w *workspace) edit(name, old, new string) {
	w.t.Helper()
	content := w.read(name)
	if n := strings.Count(content, old); n != 1 {
		w.t.Fatalf("edit %s: %q occurs %d times, want once", name, old, n)
	}
	w.write(name, strings.Replace(content, old, new, 1))
}

// exists reports whether the workspace has a file.
func (w *workspace) exists(name string) bool {
	_, err := os.Stat(w.path(name))
	return err == nil
}

// run runs ghlctl with args exactly as given, stdin empty and not a terminal.
func (w *workspace) run(args ...string) result {
	w.t.Helper()
	return w.runWith(nil, args...)
}

// runWith runs ghlctl with stdin (nil: empty).
func (w *workspace) runWith(stdin io.Reader, args ...string) result {
	w.t.Helper()
	cmd, stdout, stderr := w.command(args...)
	cmd.Stdin = stdin
	err := cmd.Run()
	return w.finish(args, err, stdout, stderr)
}

// command prepares a run of ghlctl in the workspace.
func (w *workspace) command(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	w.t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = w.dir
	for k, v := range w.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// finish turns a finished command into a result.
func (w *workspace) finish(args []string, err error, stdout, stderr *bytes.Buffer) result {
	w.t.Helper()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		w.t.Fatalf("run ghlctl %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// sandboxFlags choose the workspace's sandbox: the served one, else the
// in-process one kept in .ghlctl/sandbox.json.
func (w *workspace) sandboxFlags() []string {
	if w.sb != nil {
		return []string{"--sandbox", "--endpoint", w.sb.url}
	}
	return []string{"--sandbox"}
}

// ghl runs ghlctl against the workspace's sandbox.
func (w *workspace) ghl(args ...string) result {
	w.t.Helper()
	return w.run(append(append([]string{}, args...), w.sandboxFlags()...)...)
}

// must runs ghlctl against the workspace's sandbox and fails the test
// unless it exits 0.
func (w *workspace) must(args ...string) result {
	w.t.Helper()
	r := w.ghl(args...)
	if r.code != 0 {
		w.t.Fatalf("want exit 0, got:\n%s", r)
	}
	return r
}

// wantCode fails the test unless r exited with code.
func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got:\n%s", code, r)
	}
}

// wantContains fails the test unless s holds every one of subs.
func wantContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

// wantNotContains fails the test if s holds any of subs.
func wantNotContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s contains %q:\n%s", what, sub, s)
		}
	}
}

// hasLine reports whether text has a line that is exactly line.
func hasLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return true
		}
	}
	return false
}

// changeLines are the lines of a text plan that start a change (+, ~, -/+,
// -), without the adoptions and the notes.
func changeLines(plan string) []string {
	var out []string
	for _, l := range strings.Split(plan, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if len(l)-len(trimmed) != 2 {
			continue
		}
		for _, sign := range []string{"+ ", "~ ", "-/+ ", "- "} {
			if strings.HasPrefix(trimmed, sign) {
				out = append(out, trimmed)
				break
			}
		}
	}
	return out
}

// fieldLines are the field lines ("field: before -> after", indented by six)
// under the change of a text plan whose headline is exactly headline.
func fieldLines(plan, headline string) []string {
	var out []string
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		if l != "  "+headline {
			continue
		}
		for _, f := range lines[i+1:] {
			if !strings.HasPrefix(f, "      ") {
				break
			}
			out = append(out, strings.TrimPrefix(f, "      "))
		}
	}
	return out
}
