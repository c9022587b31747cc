package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeManifests writes one Location document per sub-account into dir,
// naming every object it holds, so that a plan of them changes nothing.
func writeManifests(dir string, sites []site, contentFor func(site) content) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range sites {
		path := filepath.Join(dir, s.Address+".yaml")
		if err := os.WriteFile(path, []byte(manifest(s, contentFor(s))), 0o644); err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
	}
	return nil
}

// manifest renders a sub-account's Location document. Strings are written
// as JSON strings, which YAML reads as they are.
func manifest(s site, c content) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("apiVersion: ghlctl/v1")
	line("kind: Location")
	line("metadata: {name: %s}", s.Address)
	line("spec:")
	line("  id: %s", s.ID)
	line("  credentials: {tokenEnv: %s}", tokenEnv(s))
	line("  settings: {name: %s, timezone: America/Chicago, city: Austin}", q(s.name()))
	tags := make([]string, len(c.tags))
	for i, t := range c.tags {
		tags[i] = q(t)
	}
	line("  tags: [%s]", strings.Join(tags, ", "))
	line("  customFields:")
	for _, f := range c.fields {
		line("    - {%s}", fieldEntry(f))
	}
	line("  customValues:")
	for _, v := range c.values {
		line("    - {name: %s, value: %s}", q(v.name), q(v.value))
	}
	line("  triggerLinks:")
	for _, l := range c.links {
		line("    - {name: %s, redirectTo: %s}", q(l.name), q(l.redirectTo))
	}
	line("  calendars:")
	for _, cal := range c.calendars {
		line("    - {name: %s, calendarType: event, slotDuration: %d}", q(cal.name), cal.slotDuration)
	}
	line("  businesses:")
	for _, biz := range c.businesses {
		line("    - {name: %s, city: %s}", q(biz.name), q(biz.city))
	}
	return b.String()
}

// tokenEnv names the variable that would hold the sub-account's token;
// under --sandbox the sandbox's own tokens are used instead.
func tokenEnv(s site) string {
	return strings.ToUpper(strings.ReplaceAll(s.Address, "-", "_")) + "_PIT"
}

func fieldEntry(f field) string {
	parts := []string{"name: " + q(f.name), "dataType: " + f.dataType}
	if f.model != "" {
		parts = append(parts, "model: "+f.model)
	}
	if len(f.options) > 0 {
		opts := make([]string, len(f.options))
		for i, o := range f.options {
			opts[i] = q(o)
		}
		parts = append(parts, "options: ["+strings.Join(opts, ", ")+"]")
	}
	return strings.Join(parts, ", ")
}

// q quotes a string for YAML.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
