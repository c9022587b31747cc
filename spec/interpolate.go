package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// identRe is the shape of a variable's or an environment variable's name.
var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// scope says what ${...} references mean in the values being substituted.
type scope struct {
	env func(string) (string, bool)
	// vars are the blueprint variables in force; nil outside a blueprint.
	vars map[string]string
	// declared are the variables a blueprint declares, when it is checked on
	// its own: a declared variable without a value is left in place and the
	// string marked unresolved.
	declared map[string]bool
}

// expand substitutes references in s. It returns the new string, whether a
// declared variable was left unresolved, and an error naming what was missing.
func (sc *scope) expand(s string) (string, bool, error) {
	if !strings.Contains(s, "$") {
		return s, false, nil
	}
	var b strings.Builder
	unresolved := false
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", false, fmt.Errorf("unterminated ${ (write $${ for a literal ${)")
			}
			val, left, err := sc.lookup(s[i+2 : i+end])
			if err != nil {
				return "", false, err
			}
			unresolved = unresolved || left
			b.WriteString(val)
			i += end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), unresolved, nil
}

// lookup resolves the inside of one ${...}.
func (sc *scope) lookup(ref string) (string, bool, error) {
	if name, ok := strings.CutPrefix(ref, "env:"); ok {
		if !identRe.MatchString(name) {
			return "", false, fmt.Errorf("bad environment variable name %q", name)
		}
		val, found := sc.env(name)
		if !found {
			return "", false, fmt.Errorf("environment variable %s is not set", name)
		}
		return val, false, nil
	}
	if !identRe.MatchString(ref) {
		return "", false, fmt.Errorf("bad variable reference ${%s}", ref)
	}
	if val, ok := sc.vars[ref]; ok {
		return val, false, nil
	}
	if sc.declared[ref] {
		return "${" + ref + "}", true, nil
	}
	if sc.vars == nil && sc.declared == nil {
		return "", false, fmt.Errorf("unknown variable ${%s}: variables exist only in blueprints "+
			"(write $${ for a literal ${)", ref)
	}
	return "", false, fmt.Errorf("unknown variable ${%s}: the blueprint does not declare it", ref)
}

// escape writes s so that expanding it gives s back: every ${ becomes $${.
func escape(s string) string {
	return strings.ReplaceAll(s, "${", "$${")
}
