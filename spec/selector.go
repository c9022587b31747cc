package spec

import (
	"fmt"
	"strings"
)

// Selector picks Locations by their labels, as -l does on the command line:
// comma-separated requirements, all of which must hold.
//
//	vertical=dental   the label is set to dental (== works too)
//	region!=eu        the label is not eu, or not set
//	tier              the label is set, to anything
//	!legacy           the label is not set
//
// The zero Selector matches every Location.
type Selector struct {
	Requirements []Requirement
}

// Requirement is one condition of a Selector.
type Requirement struct {
	Key string
	Op  SelectorOp
	// Value is compared for Equals and NotEquals.
	Value string
}

// SelectorOp is how a Requirement tests its label.
type SelectorOp string

// The operators a Selector knows.
const (
	Equals    SelectorOp = "="
	NotEquals SelectorOp = "!="
	Exists    SelectorOp = "exists"
	NotExists SelectorOp = "!"
)

// ParseSelector reads a selector such as "vertical=dental,region!=eu". An
// empty string gives the Selector that matches everything.
func ParseSelector(s string) (Selector, error) {
	var sel Selector
	if strings.TrimSpace(s) == "" {
		return sel, nil
	}
	for _, term := range strings.Split(s, ",") {
		req, err := parseRequirement(strings.TrimSpace(term))
		if err != nil {
			return Selector{}, fmt.Errorf("selector %q: %w", s, err)
		}
		sel.Requirements = append(sel.Requirements, req)
	}
	return sel, nil
}

func parseRequirement(term string) (Requirement, error) {
	var req Requirement
	switch {
	case term == "":
		return req, fmt.Errorf("empty requirement")
	case strings.Contains(term, "!="):
		req.Op = NotEquals
		req.Key, req.Value, _ = strings.Cut(term, "!=")
	case strings.Contains(term, "=="):
		req.Op = Equals
		req.Key, req.Value, _ = strings.Cut(term, "==")
	case strings.Contains(term, "="):
		req.Op = Equals
		req.Key, req.Value, _ = strings.Cut(term, "=")
	case strings.HasPrefix(term, "!"):
		req.Op, req.Key = NotExists, term[1:]
	default:
		req.Op, req.Key = Exists, term
	}
	req.Key, req.Value = strings.TrimSpace(req.Key), strings.TrimSpace(req.Value)
	if !labelKeyRe.MatchString(req.Key) {
		return req, fmt.Errorf("bad label key %q in %q", req.Key, term)
	}
	if strings.ContainsAny(req.Value, "=!") {
		return req, fmt.Errorf("bad value %q in %q", req.Value, term)
	}
	return req, nil
}

// Matches reports whether labels meet every requirement.
func (s Selector) Matches(labels map[string]string) bool {
	for _, r := range s.Requirements {
		if !r.Matches(labels) {
			return false
		}
	}
	return true
}

// Matches reports whether labels meet the requirement.
func (r Requirement) Matches(labels map[string]string) bool {
	v, ok := labels[r.Key]
	switch r.Op {
	case Equals:
		return ok && v == r.Value
	case NotEquals:
		return !ok || v != r.Value
	case Exists:
		return ok
	case NotExists:
		return !ok
	}
	return false
}

// String writes the selector back in the form ParseSelector reads.
func (s Selector) String() string {
	terms := make([]string, len(s.Requirements))
	for i, r := range s.Requirements {
		switch r.Op {
		case Exists:
			terms[i] = r.Key
		case NotExists:
			terms[i] = "!" + r.Key
		default:
			terms[i] = r.Key + string(r.Op) + r.Value
		}
	}
	return strings.Join(terms, ",")
}
