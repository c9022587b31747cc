package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSelector(t *testing.T) {
	cases := map[string]*Selector{
		"":                 {},
		"vertical=dental":  {Requirements: []Requirement{{"vertical", Equals, "dental"}}},
		"vertical==dental": {Requirements: []Requirement{{"vertical", Equals, "dental"}}},
		"region!=eu, tier": {Requirements: []Requirement{
			{"region", NotEquals, "eu"}, {"tier", Exists, ""}}},
		"!legacy":           {Requirements: []Requirement{{Key: "legacy", Op: NotExists}}},
		"team/owner=ops-2,": nil,
		"=x":                nil,
		"a=b=c":             nil,
		"bad key=x":         nil,
	}
	for in, want := range cases {
		got, err := ParseSelector(in)
		if want == nil {
			if err == nil {
				t.Errorf("ParseSelector(%q) = %v, want an error", in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSelector(%q): %v", in, err)
			continue
		}
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("ParseSelector(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestSelectorMatches(t *testing.T) {
	labels := map[string]string{"vertical": "dental", "region": "us"}
	cases := map[string]bool{
		"":                           true,
		"vertical=dental":            true,
		"vertical=dental,region!=eu": true,
		"vertical=dental,region=eu":  false,
		"tier!=gold":                 true,
		"region":                     true,
		"tier":                       false,
		"!tier":                      true,
		"!region":                    false,
	}
	for in, want := range cases {
		sel, err := ParseSelector(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := sel.Matches(labels); got != want {
			t.Errorf("%q matches %v = %v, want %v", in, labels, got, want)
		}
		if again, _ := ParseSelector(sel.String()); !cmp.Equal(again, sel) {
			t.Errorf("String() of %q = %q does not parse back", in, sel.String())
		}
	}
}
