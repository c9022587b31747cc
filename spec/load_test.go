package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const goodDir = "../testdata/manifests/good"

func goodEnv(name string) (string, bool) {
	if name == "ACME_STRIPE_SECRET" {
		return "whsec_123", true
	}
	return "", false
}

func loadGood(t *testing.T) *Set {
	t.Helper()
	set, err := Load(LoadOptions{Paths: []string{goodDir}, Env: goodEnv})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set
}

// summary is what a test compares of an entry: how it is matched, where it
// came from and what it sets.
type summary struct {
	Key    string
	From   string
	Fields map[string]any
}

func summarize(entries []*Entry) []summary {
	out := make([]summary, len(entries))
	for i, e := range entries {
		out[i] = summary{Key: e.Key, From: e.From, Fields: e.Fields}
	}
	return out
}

func location(t *testing.T, set *Set, address string) *Location {
	t.Helper()
	for _, l := range set.Locations {
		if l.Address == address {
			return l
		}
	}
	t.Fatalf("no location %s", address)
	return nil
}

func TestLoadRealisticManifests(t *testing.T) {
	set := loadGood(t)
	wantAgency := &Agency{
		Name: "northwind", CompanyID: "5DP4iH6HLkQsiKESj6rh",
		Credentials: Credentials{TokenEnv: "GHL_AGENCY_TOKEN"},
		Pos:         Pos{File: goodDir + "/agency.yaml", Line: 1, Col: 1},
	}
	if diff := cmp.Diff(wantAgency, set.Agency); diff != "" {
		t.Errorf("agency (-want +got):\n%s", diff)
	}
	if got := []string{set.Locations[0].Address, set.Locations[1].Address}; got[0] != "acme-dental" ||
		got[1] != "bright-smiles" || len(set.Locations) != 2 {
		t.Errorf("locations = %v, want acme-dental, bright-smiles", got)
	}
	if len(set.Digest) != 64 || set.Root != goodDir {
		t.Errorf("digest %q, root %q", set.Digest, set.Root)
	}

	acme := location(t, set, "acme-dental")
	if acme.ID != "ve9EPM428h8vShlRW1KT" || acme.Credentials.TokenEnv != "ACME_DENTAL_PIT" {
		t.Errorf("acme id %q, credentials %+v", acme.ID, acme.Credentials)
	}
	wantRefs := []BlueprintRef{
		{Name: "dental-base", Pos: Pos{File: goodDir + "/acme.yaml", Line: 17, Col: 7},
			Vars: map[string]string{"booking_url": "https://acme.example/book", "clinic": "Clinic"}},
		{Name: "hours", Vars: map[string]string{}, Pos: Pos{File: goodDir + "/acme.yaml", Line: 19, Col: 7}},
	}
	if diff := cmp.Diff(wantRefs, acme.Blueprints); diff != "" {
		t.Errorf("blueprints (-want +got):\n%s", diff)
	}
	wantSettings := map[string]any{
		"name": "Acme Dental", "timezone": "America/Chicago", "email": "desk@acme.example",
		"postalCode": "78701", "country": "US",
		"social": map[string]any{"facebookUrl": "https://facebook.com/acme"},
	}
	if diff := cmp.Diff(wantSettings, acme.Settings.Fields); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	if acme.Managed(KindTriggerLinks) != true || location(t, set, "bright-smiles").Managed(KindCalendars) {
		t.Error("managed kinds wrong: a blueprint's list manages its kind, an absent list does not")
	}
}

func TestLoadMergesBlueprints(t *testing.T) {
	acme := location(t, loadGood(t), "acme-dental")
	want := map[string][]summary{
		KindTags: {
			{"name:patient", "dental-base", map[string]any{"name": "patient"}},
			{"name:new lead", "dental-base", map[string]any{"name": "new lead"}},
			{"name:vip", "", map[string]any{"name": "vip"}},
			{"name:referral", "", map[string]any{"name": "referral"}},
		},
		KindCustomFields: {
			{"key:contact.insurance_provider", "dental-base", map[string]any{
				"name": "Insurance Provider", "key": "contact.insurance_provider",
				"dataType": "SINGLE_OPTIONS", "model": "contact", "options": []any{"Delta", "Aetna", "None"},
			}},
			{"name:contact/Last Visit", "dental-base", map[string]any{
				"name": "Last Visit", "dataType": "DATE", "model": "contact"}},
			{"name:opportunity/Deal Size", "", map[string]any{
				"name": "Deal Size", "dataType": "MONETORY", "model": "opportunity", "position": 3.0}},
		},
		KindCustomValues: {
			{"name:Booking URL", "dental-base",
				map[string]any{"name": "Booking URL", "value": "https://acme.example/book"}},
			{"name:Clinic Name", "dental-base", map[string]any{"name": "Clinic Name", "value": "Clinic"}},
			{"name:Office Phone", "", map[string]any{"name": "Office Phone", "value": "+1 555 0100"}},
			{"name:Stripe Webhook Secret", "",
				map[string]any{"name": "Stripe Webhook Secret", "value": "whsec_123"}},
			{"name:Greeting", "",
				map[string]any{"name": "Greeting", "value": "Hi {{contact.first_name}}, costs ${price}"}},
		},
		KindTriggerLinks: {
			{"name:Book Now", "dental-base",
				map[string]any{"name": "Book Now", "redirectTo": "https://acme.example/book"}},
		},
		KindCalendars: {
			{"name:Cleaning", "hours", map[string]any{
				"name": "Cleaning", "calendarType": "round_robin", "eventColor": "#039BE5",
				"slotDuration": 60.0, "slotDurationUnit": "mins",
				"openHours": []any{map[string]any{
					"daysOfTheWeek": []any{1.0, 2.0, 3.0, 4.0, 5.0},
					"hours": []any{map[string]any{
						"openHour": 8.0, "openMinute": 0.0, "closeHour": 17.0, "closeMinute": 30.0}},
				}},
				"teamMembers": []any{
					map[string]any{"email": "hygienist@acme.example", "priority": 0.5},
					map[string]any{"userId": "u-123", "priority": 1.0, "isPrimary": true},
				},
			}},
			{"name:Consult", "", map[string]any{
				"name": "Consult", "calendarType": "personal",
				"teamMembers": []any{map[string]any{"email": "dr@acme.example"}},
				"extra": map[string]any{
					"lookBusyConfig": map[string]any{"enabled": false, "LookBusyPercentage": 0.0}},
			}},
		},
		KindBusinesses: {
			{"name:Acme Dental LLC", "", map[string]any{"name": "Acme Dental LLC", "city": "Austin"}},
		},
	}
	for kind, w := range want {
		if diff := cmp.Diff(w, summarize(acme.Lists[kind])); diff != "" {
			t.Errorf("%s (-want +got):\n%s", kind, diff)
		}
	}
	if len(acme.Lists) != len(want) {
		t.Errorf("acme manages %d kinds, want %d", len(acme.Lists), len(want))
	}
}

func TestLoadRecordsPlaces(t *testing.T) {
	acme := location(t, loadGood(t), "acme-dental")
	field := acme.Lists[KindCustomFields][0]
	acmeFile, bpFile := goodDir+"/acme.yaml", goodDir+"/blueprints.yaml"
	want := map[string]Pos{
		"entry":      {acmeFile, 22, 7},  // the Location's own entry
		"options":    {acmeFile, 23, 17}, // overridden by the Location
		"dataType":   {acmeFile, 22, 77},
		"options[2]": {acmeFile, 23, 32},
	}
	got := map[string]Pos{"entry": field.Pos, "options": field.FieldPos["options"],
		"dataType": field.FieldPos["dataType"], "options[2]": field.FieldPos["options[2]"]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
	cleaning := acme.Lists[KindCalendars][0]
	if p := cleaning.FieldPos["teamMembers[1].priority"]; p != (Pos{bpFile, 37, 37}) {
		t.Errorf("nested position = %v", p)
	}
}

func TestLoadEntryMeta(t *testing.T) {
	acme := location(t, loadGood(t), "acme-dental")
	secret := acme.Lists[KindCustomValues][3]
	if !secret.Sensitive || !Sensitive(secret, "value") || Sensitive(secret, "name") {
		t.Errorf("secret custom value not sensitive: %+v", secret)
	}
	referral := acme.Lists[KindTags][3]
	if !referral.PreventDestroy || referral.Fields["preventDestroy"] != nil {
		t.Errorf("preventDestroy is meta, not a field: %+v", referral)
	}
}

// writeFiles lays out files (name to content) in a temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const tinyLocation = "apiVersion: ghlctl/v1\nkind: Location\nmetadata: {name: %s}\nspec: {tags: [vip]}\n"

func TestLoadFindsFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.yaml":             strings.ReplaceAll(tinyLocation, "%s", "bravo"),
		"sub/a.yml":          strings.ReplaceAll(tinyLocation, "%s", "alpha"),
		".hidden/c.yaml":     "not: [a manifest",
		"sub/.git/d.yaml":    "not: [a manifest",
		"notes.txt":          "not a manifest",
		"empty.yaml":         "# nothing here\n",
		"multi/several.yaml": "---\n" + strings.ReplaceAll(tinyLocation, "%s", "charlie") + "---\n",
	})
	set, err := Load(LoadOptions{Paths: []string{dir}, Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range set.Locations {
		got = append(got, l.Address)
	}
	if diff := cmp.Diff([]string{"alpha", "bravo", "charlie"}, got); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if set.Locations[0].Pos.File != filepath.ToSlash(dir)+"/sub/a.yml" {
		t.Errorf("file named %q", set.Locations[0].Pos.File)
	}

	file := filepath.Join(dir, "b.yaml")
	set, err = Load(LoadOptions{Paths: []string{file}, Env: noEnv})
	if err != nil || len(set.Locations) != 1 || set.Root != dir {
		t.Errorf("Load(file) = %v, %v", set, err)
	}
	var errs Errors
	if _, err := Load(LoadOptions{Paths: []string{filepath.Join(dir, "missing")}}); err == nil ||
		errors.As(err, &errs) {
		t.Errorf("Load(missing path) = %v, want a plain error", err)
	}
}

func TestLoadUnmanagedAndEmptyLists(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "apiVersion: ghlctl/v1\nkind: Location\n" +
		"metadata: {name: acme}\nspec:\n  tags: []\n  customValues:\n"})
	set, err := Load(LoadOptions{Paths: []string{dir}, Env: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	loc := set.Locations[0]
	want := map[string][]*Entry{KindTags: {}, KindCustomValues: {}}
	if diff := cmp.Diff(want, loc.Lists); diff != "" || loc.Settings != nil {
		t.Errorf("lists (-want +got):\n%s\nsettings %v", diff, loc.Settings)
	}
}
