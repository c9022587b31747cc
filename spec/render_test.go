package spec

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

const renderGolden = "../testdata/manifests/good.render.golden"

func TestRenderGolden(t *testing.T) {
	out, err := Render(loadGood(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(renderGolden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(renderGolden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(out)); diff != "" {
		_ = os.WriteFile(renderGolden+".ACTUAL", out, 0o644)
		t.Errorf("render differs from %s (-want +got), -update refreshes it:\n%s", renderGolden, diff)
	}
}

// TestRenderLoadsBack checks that a rendering is valid input that renders to
// the same bytes: the comments keep where entries came from, secrets stay
// hidden.
func TestRenderLoadsBack(t *testing.T) {
	first, err := Render(loadGood(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"render.yaml": string(first)})
	set, err := Load(LoadOptions{Paths: []string{filepath.Join(dir, "render.yaml")}, Env: noEnv})
	if err != nil {
		t.Fatalf("Load of the rendering: %v", err)
	}
	second, err := Render(set)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Errorf("render, load, render is not stable (-first +second):\n%s", diff)
	}
	acme := location(t, set, "acme-dental")
	if got := acme.Lists[KindCustomValues][3].Fields["value"]; got != sensitiveText {
		t.Errorf("sensitive value rendered as %v", got)
	}
	if got := acme.Lists[KindTags][0].From; got != "dental-base" {
		t.Errorf("From after loading a rendering = %q", got)
	}
}

func TestRenderEscapesReferences(t *testing.T) {
	loc := &Location{Address: "acme", Lists: map[string][]*Entry{KindCustomValues: {{
		Kind: KindCustomValues, Fields: map[string]any{"name": "Price", "value": "${price} and $${x}"},
	}}}}
	out, err := Render(&Set{Locations: []*Location{loc}})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"r.yaml": string(out)})
	set, err := Load(LoadOptions{Paths: []string{dir}, Env: noEnv})
	if err != nil {
		t.Fatalf("%v in\n%s", err, out)
	}
	if got := set.Locations[0].Lists[KindCustomValues][0].Fields["value"]; got != "${price} and $${x}" {
		t.Errorf("value loaded back as %q", got)
	}
}
