package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite golden files")

// run calls Main in dir and returns its exit code and output.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func examplesDir(t *testing.T) string {
	abs, err := filepath.Abs("../examples/agency")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestShardsCoverEveryLocationOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			for a := range 200 {
				addr := "loc-" + strconv.Itoa(a)
				if shardOf(addr, n) == i {
					seen[addr]++
				}
			}
		}
		for addr, c := range seen {
			if c != 1 {
				t.Errorf("n=%d: %s in %d shards", n, addr, c)
			}
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1", "a/b", "1/0"} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("--shard %s accepted", bad)
		}
	}
}

func TestShardFlagSplitsTheExample(t *testing.T) {
	dir := t.TempDir()
	seen := map[string]int{}
	for i := 1; i <= 2; i++ {
		g := &globals{shard: []string{"1/2", "2/2"}[i-1]}
		set, err := g.load([]string{examplesDir(t)})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range set.Locations {
			seen[l.Address]++
		}
	}
	_ = dir
	if len(seen) != 3 {
		t.Fatalf("shards cover %v, want the 3 example locations", seen)
	}
	for a, c := range seen {
		if c != 1 {
			t.Errorf("%s in %d shards", a, c)
		}
	}
}

// TestExamplesMatchTheSchema validates every example against the schema that
// `ghlctl schema` prints, and checks the copy editors load is current.
func TestExamplesMatchTheSchema(t *testing.T) {
	code, out, errOut := run(t, t.TempDir(), "schema")
	if code != 0 {
		t.Fatalf("schema: %d %s", code, errOut)
	}
	committed, err := os.ReadFile("../examples/ghlctl.schema.json")
	if err != nil || string(committed) != out {
		t.Fatalf("examples/ghlctl.schema.json is stale: run `ghlctl schema > examples/ghlctl.schema.json`")
	}
	var doc any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("ghlctl.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("ghlctl.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../examples/*/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found only %d example files", len(files))
	}
	for _, f := range files {
		for i, d := range yamlDocs(t, f) {
			if err := sch.Validate(d); err != nil {
				t.Errorf("%s document %d: %v", f, i+1, err)
			}
		}
	}
}

// yamlDocs reads every document of a YAML file as JSON-like values.
func yamlDocs(t *testing.T, path string) []any {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		b, _ := json.Marshal(v)
		var j any
		_ = json.Unmarshal(b, &j)
		out = append(out, j)
	}
	return out
}

// TestMarkdownPlanOfTheExample pins the pull-request rendering of the
// example's first plan against the seeded sandbox.
func TestMarkdownPlanOfTheExample(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, dir, "plan", "--sandbox", "-f", examplesDir(t), "-o", "markdown",
		"--state", filepath.Join(dir, "state.json"))
	if code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	if strings.Contains(out, "whsec_demo") {
		t.Fatal("a sensitive value is in the markdown plan")
	}
	path := "testdata/example-plan.md"
	if *update {
		_ = os.MkdirAll("testdata", 0o755)
		_ = os.WriteFile(path, []byte(out), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cli -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), out); diff != "" {
		_ = os.WriteFile(path+".ACTUAL", []byte(out), 0o644)
		t.Errorf("markdown plan differs (-want +got):\n%s", diff)
	}
}
