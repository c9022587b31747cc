package spec

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	bpHead  = "apiVersion: ghlctl/v1\nkind: Blueprint\nmetadata: {name: %s}\nspec:\n"
	locHead = "apiVersion: ghlctl/v1\nkind: Location\n" +
		"metadata:\n  name: %s\n  labels: {vertical: dental}\nspec:\n"
)

func doc(head, name, body string) string { return strings.ReplaceAll(head, "%s", name) + body }

func loadText(t *testing.T, files map[string]string) (*Set, error) {
	t.Helper()
	return Load(LoadOptions{Paths: []string{writeFiles(t, files)}, Env: noEnv})
}

func TestBlueprintOverrideFieldByField(t *testing.T) {
	set, err := loadText(t, map[string]string{
		"bp.yaml": doc(bpHead, "base", "  customFields:\n"+
			"    - {name: Insurance, key: contact.insurance, dataType: SINGLE_OPTIONS,\n"+
			"       options: [A], placeholder: \"Who?\"}\n"),
		"loc.yaml": doc(locHead, "acme", "  blueprints: [{name: base}]\n"+
			"  customFields:\n    - {name: Insurer, key: contact.insurance, options: [A, B], id: f1}\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := set.Locations[0].Lists[KindCustomFields]
	want := []summary{{"key:contact.insurance", "base", map[string]any{
		"name": "Insurer", "key": "contact.insurance", "dataType": "SINGLE_OPTIONS", "model": "contact",
		"options": []any{"A", "B"}, "placeholder": "Who?",
	}}}
	if diff := cmp.Diff(want, summarize(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got[0].ID != "f1" || !strings.HasSuffix(got[0].FieldPos["placeholder"].File, "bp.yaml") ||
		!strings.HasSuffix(got[0].Pos.File, "loc.yaml") {
		t.Errorf("id %q, placeholder at %v, entry at %v",
			got[0].ID, got[0].FieldPos["placeholder"], got[0].Pos)
	}
}

func TestBlueprintSelectorAndVars(t *testing.T) {
	set, err := loadText(t, map[string]string{
		"bp.yaml": doc(bpHead, "dental", "  selector: {vertical: dental}\n"+
			"  vars:\n    url: {default: \"https://x.example\"}\n    clinic: {required: true}\n"+
			"  triggerLinks:\n    - {name: \"Book ${clinic}\", redirectTo: \"${url}/$${keep}\"}\n") +
			"---\n" + doc(bpHead, "other", "  selector: {vertical: legal}\n  tags: [lawyer]\n"),
		"a.yaml": doc(locHead, "acme", "  blueprints: [{name: dental, vars: {clinic: Acme}}]\n"),
		"b.yaml": doc(locHead, "bright",
			"  blueprints:\n    - {name: dental, vars: {clinic: Bright, url: \"https://b.example\"}}\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []map[string]any{
		{"name": "Book Acme", "redirectTo": "https://x.example/${keep}"},
		{"name": "Book Bright", "redirectTo": "https://b.example/${keep}"},
	} {
		loc := set.Locations[i]
		if diff := cmp.Diff(want, loc.Lists[KindTriggerLinks][0].Fields); diff != "" {
			t.Errorf("%s (-want +got):\n%s", loc.Address, diff)
		}
		if loc.Managed(KindTags) {
			t.Errorf("%s: a blueprint whose selector does not match applies", loc.Address)
		}
	}
}

func TestBlueprintSelectorNeedsVars(t *testing.T) {
	_, err := loadText(t, map[string]string{
		"bp.yaml": doc(bpHead, "dental",
			"  selector: {vertical: dental}\n  vars: {clinic: {}}\n  tags: [\"${clinic}\"]\n"),
		"loc.yaml": doc(locHead, "acme", "  tags: [vip]\n"),
	})
	var errs Errors
	want := "variable clinic is not set: location acme applies by its selector to blueprint dental"
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Msg, want) {
		t.Fatalf("got %v", err)
	}
}

func TestBlueprintsAgreeing(t *testing.T) {
	set, err := loadText(t, map[string]string{
		"bp.yaml": doc(bpHead, "a", "  tags: [vip]\n  customValues: [{name: Phone, value: \"1\"}]\n") +
			"---\n" + doc(bpHead, "b", "  tags: [VIP]\n"+
			"  customValues: [{name: Phone, value: \"1\", preventDestroy: true}]\n"),
		"loc.yaml": doc(locHead, "acme", "  blueprints: [{name: a}, {name: b}]\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	loc := set.Locations[0]
	if got := summarize(loc.Lists[KindTags]); len(got) != 1 || got[0].From != "a, b" {
		t.Errorf("tags = %v", got)
	}
	if v := loc.Lists[KindCustomValues][0]; !v.PreventDestroy || v.From != "a, b" {
		t.Errorf("custom value = %+v", v)
	}
}

func TestBlueprintErrorsReportedOnce(t *testing.T) {
	_, err := loadText(t, map[string]string{
		"bp.yaml": doc(bpHead, "base", "  selector: {vertical: dental}\n"+
			"  customFields: [{name: X, dataType: TEXT, lable: y}]\n"),
		"a.yaml": doc(locHead, "alpha", ""),
		"b.yaml": doc(locHead, "bravo", ""),
	})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Msg, `unknown field "lable"`) {
		t.Fatalf("got %v", err)
	}
}
