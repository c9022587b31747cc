package spec

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// sensitiveText stands in for a secret value in every output.
const sensitiveText = "(sensitive)"

// Render writes the expanded desired state as manifests: the Agency, then one
// Location document per Location with its blueprints applied. An entry that
// came from a blueprint carries a "# from blueprint NAME" comment; secret
// values read (sensitive). The output is valid input, and loading and
// rendering it again gives the same bytes.
func Render(set *Set) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	var docs []*yaml.Node
	if set.Agency != nil {
		docs = append(docs, agencyNode(set.Agency))
	}
	for _, loc := range set.Locations {
		docs = append(docs, locationNode(loc))
	}
	if len(docs) == 0 {
		return []byte{}, nil
	}
	for _, doc := range docs {
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("render manifests: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("render manifests: %w", err)
	}
	return buf.Bytes(), nil
}

// mapNode builds a mapping from key and value pairs.
type mapNode struct{ n *yaml.Node }

func newMap(flow bool) *mapNode {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return &mapNode{n: n}
}

func (m *mapNode) add(key string, v *yaml.Node) *mapNode {
	m.n.Content = append(m.n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return m
}

// scalar writes a string, number or bool; strings are escaped so that
// loading them gives them back.
func scalar(v any) *yaml.Node {
	switch x := v.(type) {
	case string:
		n := &yaml.Node{}
		_ = n.Encode(escape(x))
		return n
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(int64(x), 10)}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(x, 'g', -1, 64)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return scalar(fmt.Sprint(v))
}

func docHeader(kind, name string) *mapNode {
	m := newMap(false).add("apiVersion", scalar(APIVersion)).add("kind", scalar(kind))
	if name != "" {
		m.add("metadata", newMap(true).add("name", scalar(name)).n)
	}
	return m
}

func agencyNode(a *Agency) *yaml.Node {
	spec := newMap(false).add("companyId", scalar(a.CompanyID))
	if c := credentialsNode(a.Credentials); c != nil {
		spec.add("credentials", c)
	}
	return docHeader(DocAgency, a.Name).add("spec", spec.n).n
}

func credentialsNode(c Credentials) *yaml.Node {
	switch {
	case c.TokenEnv != "":
		return newMap(true).add("tokenEnv", scalar(c.TokenEnv)).n
	case c.MatonConnection != "":
		return newMap(true).add("matonConnection", scalar(c.MatonConnection)).n
	}
	return nil
}

func locationNode(loc *Location) *yaml.Node {
	meta := newMap(false).add("name", scalar(loc.Address))
	if len(loc.Labels) > 0 {
		labels := newMap(true)
		for _, k := range slices.Sorted(maps.Keys(loc.Labels)) {
			labels.add(k, scalar(loc.Labels[k]))
		}
		meta.add("labels", labels.n)
	}
	spec := newMap(false)
	if loc.ID != "" {
		spec.add("id", scalar(loc.ID))
	}
	if c := credentialsNode(loc.Credentials); c != nil {
		spec.add("credentials", c)
	}
	if loc.Settings != nil {
		spec.add("settings", entryNode(loc.Settings))
		spec.n.Content[len(spec.n.Content)-2].HeadComment = fromText(loc.Settings)
	}
	for _, kind := range ListKinds {
		entries, ok := loc.Lists[kind]
		if !ok {
			continue
		}
		list := &yaml.Node{Kind: yaml.SequenceNode}
		if len(entries) == 0 {
			list.Style = yaml.FlowStyle
		}
		for _, e := range entries {
			n := entryNode(e)
			n.HeadComment = fromText(e)
			list.Content = append(list.Content, n)
		}
		spec.add(kind, list)
	}
	m := newMap(false).add("apiVersion", scalar(APIVersion)).add("kind", scalar(DocLocation))
	return m.add("metadata", meta.n).add("spec", spec.n).n
}

func fromText(e *Entry) string {
	if e.From == "" {
		return ""
	}
	return fromComment + e.From
}

// entryNode writes an entry's fields in the order of its kind's table, then
// its meta keys. A tag with nothing but a name is written as the name.
func entryNode(e *Entry) *yaml.Node {
	ks := kindSpecs[e.Kind]
	if ks != nil && ks.nameOnly && len(e.Fields) == 1 && e.ID == "" && !e.PreventDestroy {
		if name, ok := e.Fields["name"].(string); ok {
			return scalar(name)
		}
	}
	var fields []*field
	if ks != nil {
		fields = ks.fields
	}
	m := objectNode(fields, e.Fields, func(name string) bool { return Sensitive(e, name) })
	if e.ID != "" {
		m.add("id", scalar(e.ID))
	}
	if e.Sensitive {
		m.add("sensitive", scalar(true))
	}
	if e.PreventDestroy {
		m.add("preventDestroy", scalar(true))
	}
	return m.n
}

// objectNode writes the fields a table lists in its order, then any others
// by name.
func objectNode(fields []*field, values map[string]any, secret func(string) bool) *mapNode {
	m := newMap(false)
	var order []string
	for _, f := range fields {
		if _, ok := values[f.name]; ok {
			order = append(order, f.name)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		if secret != nil && secret(k) {
			m.add(k, scalar(sensitiveText))
			continue
		}
		m.add(k, valueNode(fieldIn(fields, k), values[k]))
	}
	return m
}

// valueNode writes one value; lists of plain values are written on one line.
func valueNode(f *field, v any) *yaml.Node {
	switch x := v.(type) {
	case map[string]any:
		var sub []*field
		if f != nil {
			sub = f.fields
		}
		return objectNode(sub, x, nil).n
	case []any:
		list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		var elem *field
		if f != nil {
			elem = f.elem
		}
		for _, it := range x {
			n := valueNode(elem, it)
			if n.Kind != yaml.ScalarNode {
				list.Style = 0
			}
			list.Content = append(list.Content, n)
		}
		return list
	}
	return scalar(v)
}
