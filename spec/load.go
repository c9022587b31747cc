package spec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadOptions say what to load.
type LoadOptions struct {
	// Paths are manifest files or folders; "." when empty.
	Paths []string
	// Env resolves ${env:NAME}; nil means os.LookupEnv.
	Env func(name string) (string, bool)
}

// sourceFile is one manifest file as read.
type sourceFile struct {
	path string // as the user gave it, with forward slashes
	data []byte
}

// Load reads every manifest under opts.Paths, checks it, and expands
// blueprints and variables into one desired state per Location. When the
// manifests are at fault the error is Errors, every mistake at its place;
// other errors (an unreadable path) are wrapped as they come.
func Load(opts LoadOptions) (*Set, error) {
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	env := opts.Env
	if env == nil {
		env = os.LookupEnv
	}
	files, err := collect(paths)
	if err != nil {
		return nil, err
	}
	set, errs := loadFiles(files, env)
	if len(errs) > 0 {
		return nil, errs
	}
	set.Root = rootOf(paths[0])
	return set, nil
}

// loadFiles is Load once the files are read.
func loadFiles(files []sourceFile, env func(string) (string, bool)) (*Set, Errors) {
	l := newLoader(env)
	for _, f := range files {
		for _, doc := range parseFile(f, &l.d) {
			l.document(doc)
		}
	}
	set := l.build()
	set.Digest = digest(files)
	if len(l.d.errs) > 0 {
		return nil, l.d.errs.sorted()
	}
	return set, nil
}

// collect finds the manifest files under paths: a file given by name is read
// whatever its name; under a folder, every *.yaml and *.yml outside hidden
// folders is.
func collect(paths []string) ([]sourceFile, error) {
	var names []string
	for _, p := range paths {
		found, err := manifestFiles(p)
		if err != nil {
			return nil, err
		}
		names = append(names, found...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("no manifest files (*.yaml, *.yml) under %s", strings.Join(paths, ", "))
	}
	files := make([]sourceFile, 0, len(names))
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read manifest: %w", err)
		}
		files = append(files, sourceFile{path: filepath.ToSlash(name), data: data})
	}
	return files, nil
}

func manifestFiles(root string) ([]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("read manifests: %w", err)
	}
	if !info.IsDir() {
		return []string{filepath.Clean(root)}, nil
	}
	var names []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		hidden := strings.HasPrefix(d.Name(), ".") && path != root
		switch {
		case d.IsDir() && hidden:
			return filepath.SkipDir
		case d.IsDir() || hidden:
			return nil
		}
		if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
			names = append(names, filepath.Clean(path))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read manifests under %s: %w", root, err)
	}
	return names, nil
}

func rootOf(path string) string {
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		return filepath.Dir(path)
	}
	return filepath.Clean(path)
}

// digest hashes the files' paths and contents, in order.
func digest(files []sourceFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.path, len(f.data))
		h.Write(f.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// syntaxLineRe finds the line in a yaml.v3 syntax error.
var syntaxLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFile splits a file into its documents, each a raw value; empty
// documents are dropped. A syntax error ends the file.
func parseFile(f sourceFile, d *diag) (docs []*raw) {
	defer func() {
		if p := recover(); p != nil {
			d.add(Pos{File: f.path, Line: 1, Col: 1}, "", "cannot parse YAML: %v", p)
		}
	}()
	c := &converter{file: f.path, d: d}
	dec := yaml.NewDecoder(bytes.NewReader(f.data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			d.add(syntaxPos(f.path, err), "", "YAML syntax error: %s", syntaxMsg(err))
			return docs
		}
		c.nodes = 0
		if r := c.convert(&n, 0); !r.isNull() {
			docs = append(docs, r)
		}
	}
}

func syntaxPos(file string, err error) Pos {
	pos := Pos{File: file, Line: 1, Col: 1}
	if m := syntaxLineRe.FindStringSubmatch(err.Error()); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
	}
	return pos
}

func syntaxMsg(err error) string {
	if m := syntaxLineRe.FindStringSubmatch(err.Error()); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
