package cli

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
	"gopkg.in/yaml.v3"
)

// exportDoc is one manifest document to write, and the file it goes to.
type exportDoc struct {
	file string
	node *yaml.Node
}

// exportVars are the settings that make a sub-account itself, turned into
// blueprint variables so the blueprint fits any sub-account.
var exportVars = []struct{ setting, name, description string }{
	{"name", "location_name", "the sub-account's name"},
	{"phone", "location_phone", "the sub-account's phone number"},
	{"email", "location_email", "the sub-account's email address"},
	{"address", "location_address", "the sub-account's street address"},
}

func exportDocs(loc *spec.Location, live *liveAccount, blueprint string) []exportDoc {
	location := docNode("Location", loc.Address, loc.Labels)
	body := mapping(false)
	addPair(body, "id", scalarNode(loc.ID))
	addPair(body, "credentials", flowMap(map[string]any{"tokenEnv": tokenEnvFor(loc.Address)}))
	if len(live.settings) > 0 {
		addPair(body, "settings", entryNode(live.settings, false))
	}
	if blueprint == "" {
		addLists(body, live.lists, nil, spec.ListKinds)
		addPair(location, "spec", body)
		return []exportDoc{{file: loc.Address + ".yaml", node: location}}
	}
	vars := map[string]string{}
	for _, v := range exportVars {
		s, _ := live.settings[v.setting].(string)
		if len(s) >= 3 && mentions(live.lists, blueprintKinds, s) {
			vars[v.name] = s
		}
	}
	ref := mapping(false)
	addPair(ref, "name", scalarNode(blueprint))
	addPair(ref, "vars", entryNode(toAny(vars), false))
	uses := &yaml.Node{Kind: yaml.SequenceNode}
	uses.Content = append(uses.Content, ref)
	addPair(body, "blueprints", uses)
	// Calendars name the sub-account's own staff, so they stay with it.
	own := map[string][]map[string]any{spec.KindCalendars: live.lists[spec.KindCalendars]}
	addLists(body, own, nil, []string{spec.KindCalendars})
	addPair(location, "spec", body)
	return []exportDoc{
		{file: blueprint + ".blueprint.yaml", node: blueprintDoc(blueprint, live, vars)},
		{file: loc.Address + ".yaml", node: location},
	}
}

func blueprintDoc(name string, live *liveAccount, vars map[string]string) *yaml.Node {
	doc := docNode("Blueprint", name, nil)
	body := mapping(false)
	decls := mapping(false)
	for _, v := range exportVars {
		if _, ok := vars[v.name]; ok {
			addPair(decls, v.name, flowMap(map[string]any{"required": true, "description": v.description}))
		}
	}
	addPair(body, "vars", decls)
	addLists(body, live.lists, vars, blueprintKinds)
	addPair(doc, "spec", body)
	return doc
}

func toAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func tokenEnvFor(address string) string {
	return strings.ToUpper(strings.ReplaceAll(address, "-", "_")) + "_PIT"
}

// blueprintKinds are the kinds a blueprint made by export carries.
var blueprintKinds = []string{
	spec.KindTags, spec.KindCustomFields, spec.KindCustomValues, spec.KindTriggerLinks, spec.KindBusinesses,
}

func addLists(body *yaml.Node, lists map[string][]map[string]any, vars map[string]string, kinds []string) {
	for _, kind := range kinds {
		entries := lists[kind]
		sortEntries(entries)
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range entries {
			e = substitute(e, vars).(map[string]any)
			if kind == spec.KindTags {
				seq.Content = append(seq.Content, scalarNode(e["name"]))
				continue
			}
			seq.Content = append(seq.Content, entryNode(e, true))
		}
		addPair(body, kind, seq)
	}
}

func sortEntries(entries []map[string]any) {
	sort.SliceStable(entries, func(i, j int) bool {
		a, _ := entries[i]["name"].(string)
		b, _ := entries[j]["name"].(string)
		return a < b
	})
}

// mentions reports whether any string of the kinds' entries contains s: a
// variable that nothing uses is not declared.
func mentions(lists map[string][]map[string]any, kinds []string, s string) bool {
	var walk func(v any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case string:
			return strings.Contains(t, s)
		case []any:
			return slices.ContainsFunc(t, walk)
		case map[string]any:
			for _, x := range t {
				if walk(x) {
					return true
				}
			}
		}
		return false
	}
	for _, kind := range kinds {
		for _, e := range lists[kind] {
			if walk(e) {
				return true
			}
		}
	}
	return false
}

// substitute writes variables in for the values they stand for, and escapes
// anything that would read as a variable.
func substitute(v any, vars map[string]string) any {
	switch t := v.(type) {
	case string:
		s := strings.ReplaceAll(t, "${", "$${")
		for _, name := range sortedByLength(vars) {
			s = strings.ReplaceAll(s, vars[name], "${"+name+"}")
		}
		return s
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = substitute(x, vars)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			out[k] = substitute(x, vars)
		}
		return out
	}
	return v
}

// sortedByLength orders variable names longest value first, so that a value
// containing another is replaced whole.
func sortedByLength(vars map[string]string) []string {
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := len(vars[b]) - len(vars[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return names
}

func docNode(kind, name string, labels map[string]string) *yaml.Node {
	doc := mapping(false)
	addPair(doc, "apiVersion", scalarNode(spec.APIVersion))
	addPair(doc, "kind", scalarNode(kind))
	meta := map[string]any{"name": name}
	if len(labels) > 0 {
		meta["labels"] = toAny(labels)
	}
	addPair(doc, "metadata", flowMap(meta))
	return doc
}

func mapping(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func addPair(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, scalarNode(key), v)
}

func scalarNode(v any) *yaml.Node {
	n := &yaml.Node{}
	_ = n.Encode(v)
	return n
}

func flowMap(m map[string]any) *yaml.Node { return entryNode(m, true) }

// entryNode writes an entry with "name" first and the rest sorted; small
// entries of plain values go on one line, as people write them.
func entryNode(m map[string]any, flowIfSmall bool) *yaml.Node {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "name" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if _, ok := m["name"]; ok {
		keys = append([]string{"name"}, keys...)
	}
	n := mapping(flowIfSmall && simple(m))
	for _, k := range keys {
		addPair(n, k, valueNode(m[k]))
	}
	return n
}

func simple(m map[string]any) bool {
	width := 0
	for k, v := range m {
		switch t := v.(type) {
		case map[string]any:
			return false
		case []any:
			for _, x := range t {
				if _, ok := x.(map[string]any); ok {
					return false
				}
			}
		}
		width += len(k) + len(reconcile.FormatValue(v)) + 4
	}
	return width < 90
}

func valueNode(v any) *yaml.Node {
	switch t := v.(type) {
	case map[string]any:
		return entryNode(t, true)
	case []any:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, x := range t {
			seq.Content = append(seq.Content, valueNode(x))
		}
		if simpleList(t) {
			seq.Style = yaml.FlowStyle
		}
		return seq
	}
	return scalarNode(v)
}

func simpleList(l []any) bool {
	for _, x := range l {
		switch x.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func marshalDocs(docs []exportDoc) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, d := range docs {
		if err := enc.Encode(d.node); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return unescapeAstral(buf.Bytes()), nil
}

// astral matches the escapes yaml.v3 writes for characters beyond the Basic
// Multilingual Plane (emoji), which YAML allows as they are.
var astral = regexp.MustCompile(`(^|[^\\])\\U([0-9A-Fa-f]{8})`)

// unescapeAstral writes emoji as themselves, so an exported "💪 challenge"
// reads as it does in HighLevel.
func unescapeAstral(b []byte) []byte {
	return astral.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := astral.FindSubmatch(m)
		r, err := strconv.ParseUint(string(sub[2]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(r)) {
			return m
		}
		return append(append([]byte{}, sub[1]...), string(rune(r))...)
	})
}
