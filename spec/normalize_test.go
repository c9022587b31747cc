package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		kind     string
		in, want map[string]any
	}{
		{KindTags, map[string]any{"name": "  VIP "}, map[string]any{"name": "vip"}},
		{KindCustomValues, map[string]any{"name": " Office Phone ", "value": " 1 "},
			map[string]any{"name": "Office Phone", "value": " 1 "}},
		{KindCustomFields, map[string]any{"name": "N", "position": 3, "options": []string{"a", "b"}},
			map[string]any{"name": "N", "position": 3.0, "options": []any{"a", "b"}}},
		{KindCalendars, map[string]any{
			"eventColor": "#039be5",
			"teamMembers": []any{
				map[string]any{"userId": "u2"},
				map[string]any{"email": " B@X.io", "priority": 1},
				map[string]any{"email": "a@x.io"},
			},
		}, map[string]any{
			"eventColor": "#039BE5",
			"teamMembers": []any{
				map[string]any{"email": "a@x.io"},
				map[string]any{"email": "b@x.io", "priority": 1.0},
				map[string]any{"userId": "u2"},
			},
		}},
		{KindSettings, map[string]any{"country": "us", "social": map[string]string{"yelp": "y"}},
			map[string]any{"country": "US", "social": map[string]any{"yelp": "y"}}},
		{KindBusinesses, nil, nil},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, Normalize(c.kind, c.in)); diff != "" {
			t.Errorf("Normalize(%s, %v) (-want +got):\n%s", c.kind, c.in, diff)
		}
	}
}

func TestKeys(t *testing.T) {
	cases := []struct {
		kind   string
		fields map[string]any
		want   []string
	}{
		{KindTags, map[string]any{"name": "vip"}, []string{"name:vip"}},
		{KindCustomFields,
			map[string]any{"name": "Insurance", "model": "contact", "key": "contact.insurance"},
			[]string{"key:contact.insurance", "name:contact/Insurance"}},
		{KindCustomFields, map[string]any{"name": "Deal", "model": "opportunity"},
			[]string{"name:opportunity/Deal", "key:opportunity.deal"}},
		{KindCustomFields, map[string]any{"name": "Deal"}, []string{"name:contact/Deal", "key:contact.deal"}},
		{KindCustomValues, map[string]any{"name": "Phone"}, []string{"name:Phone", "slug:phone"}},
		{KindTriggerLinks, map[string]any{"name": "Book"}, []string{"name:Book"}},
		{KindCalendars, map[string]any{"name": "Cleaning"}, []string{"name:Cleaning"}},
		{KindBusinesses, map[string]any{"name": "Acme"}, []string{"name:Acme"}},
		{KindSettings, map[string]any{"name": "Acme"}, nil},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, Keys(c.kind, c.fields)); diff != "" {
			t.Errorf("Keys(%s, %v) (-want +got):\n%s", c.kind, c.fields, diff)
		}
	}
}

func TestSensitive(t *testing.T) {
	secret := &Entry{Kind: KindCustomValues, Sensitive: true}
	plain := &Entry{Kind: KindCustomValues}
	if !Sensitive(secret, "value") || Sensitive(secret, "name") || Sensitive(plain, "value") ||
		Sensitive(nil, "value") {
		t.Error("Sensitive is true only for a sensitive custom value's value")
	}
}

func TestExpand(t *testing.T) {
	env := func(n string) (string, bool) { return map[string]string{"HOST": "acme.example"}[n], n == "HOST" }
	sc := &scope{env: env, vars: map[string]string{"slug": "book"}}
	cases := map[string]string{
		"plain":                       "plain",
		"https://${env:HOST}/${slug}": "https://acme.example/book",
		"$${slug} costs $5":           "${slug} costs $5",
		"{{ contact.name }} ${slug}":  "{{ contact.name }} book",
		"$$${slug}":                   "$${slug}",
		"${env:MISSING}":              "error",
		"${nope}":                     "error",
		"${slug":                      "error",
		"${env:bad-name}":             "error",
	}
	for in, want := range cases {
		got, _, err := sc.expand(in)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("expand(%q) = %q (%v), want %q", in, got, err, want)
		}
	}
}

func TestEscapeIsUndoneByExpand(t *testing.T) {
	sc := &scope{env: noEnv}
	for _, s := range []string{"", "${x}", "$${x}", "$", "$$", "a$${b${c", "${", "$${", "}{$"} {
		got, _, err := sc.expand(escape(s))
		if err != nil || got != s {
			t.Errorf("expand(escape(%q)) = %q, %v", s, got, err)
		}
	}
}
