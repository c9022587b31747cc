package spec

import (
	"fmt"
	"math"
	"strings"

	"gopkg.in/yaml.v3"
)

// A raw value is a YAML value cut loose from yaml.v3: typed, with its place,
// aliases followed and duplicate keys refused. Decoding works on raw values so
// that variables can be substituted before the field tables look at them.
type raw struct {
	pos  Pos
	kind rawKind
	// str is the text of a scalar: a string's value, or how a number or a
	// bool was written.
	str   string
	num   float64
	bool  bool
	items []*raw // a list's items
	keys  []*raw // a map's keys, in order, each a string
	vals  []*raw // a map's values, matching keys
	// comment is the comment written above the value.
	comment string
}

type rawKind int

const (
	rawNull rawKind = iota
	rawString
	rawNumber
	rawBool
	rawList
	rawMap
)

// maxNodes bounds the values one document may expand to, so a few aliases
// cannot make a small file enormous.
const maxNodes = 200000

// String names the kind as messages do: "a string", "a list".
func (k rawKind) String() string {
	switch k {
	case rawString:
		return "a string"
	case rawNumber:
		return "a number"
	case rawBool:
		return "a bool"
	case rawList:
		return "a list"
	case rawMap:
		return "a map"
	}
	return "null"
}

// get returns the value of key in a map, or nil.
func (r *raw) get(key string) *raw {
	if r == nil || r.kind != rawMap {
		return nil
	}
	for i, k := range r.keys {
		if k.str == key {
			return r.vals[i]
		}
	}
	return nil
}

// isNull reports whether r is absent or null.
func (r *raw) isNull() bool { return r == nil || r.kind == rawNull }

// converter turns the nodes of one file into raw values.
type converter struct {
	file  string
	d     *diag
	nodes int
}

func (c *converter) pos(n *yaml.Node) Pos {
	return Pos{File: c.file, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// convert turns n into a raw value; it reports what it refuses and returns
// a null in its place.
func (c *converter) convert(n *yaml.Node, depth int) *raw {
	c.nodes++
	if c.nodes > maxNodes || depth > 100 {
		if c.nodes == maxNodes+1 || depth == 101 {
			c.d.add(c.pos(n), "", "document too large or too deeply nested")
		}
		return &raw{pos: c.pos(n)}
	}
	comment := strings.TrimSpace(n.HeadComment)
	var r *raw
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &raw{pos: c.pos(n)}
		}
		return c.convert(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return &raw{pos: c.pos(n)}
		}
		r = c.convert(n.Alias, depth+1)
		r.pos = c.pos(n)
	case yaml.SequenceNode:
		r = &raw{pos: c.pos(n), kind: rawList, items: []*raw{}}
		for _, item := range n.Content {
			r.items = append(r.items, c.convert(item, depth+1))
		}
	case yaml.MappingNode:
		r = c.convertMap(n, depth)
	default:
		r = c.convertScalar(n)
	}
	if r.comment == "" {
		r.comment = comment
	}
	return r
}

func (c *converter) convertMap(n *yaml.Node, depth int) *raw {
	r := &raw{pos: c.pos(n), kind: rawMap}
	seen := map[string]Pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.AliasNode && kn.Alias != nil {
			kn = kn.Alias
		}
		if kn.Kind != yaml.ScalarNode {
			c.d.add(c.pos(kn), "", "a key must be a string, got %s", nodeKindName(kn))
			continue
		}
		if kn.Tag == "!!merge" {
			c.d.add(c.pos(kn), "", "merge keys (<<) are not supported")
			continue
		}
		if first, dup := seen[kn.Value]; dup {
			c.d.add(c.pos(kn), "", "duplicate key %q (first at %s)", kn.Value, first)
			continue
		}
		seen[kn.Value] = c.pos(kn)
		key := &raw{pos: c.pos(kn), kind: rawString, str: kn.Value}
		val := c.convert(vn, depth+1)
		if val.comment == "" {
			val.comment = strings.TrimSpace(kn.HeadComment)
		}
		r.keys = append(r.keys, key)
		r.vals = append(r.vals, val)
	}
	return r
}

func (c *converter) convertScalar(n *yaml.Node) *raw {
	r := &raw{pos: c.pos(n), str: n.Value}
	switch n.ShortTag() {
	case "!!null":
		r.kind = rawNull
	case "!!bool":
		r.kind = rawBool
		if err := n.Decode(&r.bool); err != nil {
			c.d.add(r.pos, "", "bad bool %q", n.Value)
		}
	case "!!int", "!!float":
		r.kind = rawNumber
		if err := n.Decode(&r.num); err != nil || math.IsInf(r.num, 0) || math.IsNaN(r.num) {
			c.d.add(r.pos, "", "bad number %q: expected a finite number", n.Value)
			r.num = 0
		}
	case "!!str", "!!timestamp", "!!binary":
		r.kind = rawString
	default:
		c.d.add(r.pos, "", "unsupported YAML tag %s", n.Tag)
	}
	return r
}

func nodeKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	}
	return fmt.Sprintf("node kind %d", n.Kind)
}
