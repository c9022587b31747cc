package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds one in-memory manifest to the loader. Whatever the input,
// loading must not panic, and whatever loads must render to a manifest that
// loads back and renders to the same bytes.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(goodDir + "/*.yaml")
	broken, _ := filepath.Glob(brokenDir + "/*/*.yaml")
	for _, name := range append(seeds, broken...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	env := func(name string) (string, bool) { return "v-" + name, name != "NOPE" }
	f.Fuzz(func(t *testing.T, data []byte) {
		set, errs := loadFiles([]sourceFile{{path: "fuzz.yaml", data: data}}, env)
		if errs != nil {
			return
		}
		first, err := Render(set)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		again, errs := loadFiles([]sourceFile{{path: "render.yaml", data: first}}, env)
		if errs != nil {
			t.Fatalf("the rendering does not load: %v\n%s", errs, first)
		}
		second, err := Render(again)
		if err != nil || string(first) != string(second) {
			t.Fatalf("render, load, render differs:\n%s\n----\n%s", first, second)
		}
	})
}
