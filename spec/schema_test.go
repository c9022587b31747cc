package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	out, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		t.Fatalf("compile the schema: %v", err)
	}
	return sch
}

// yamlDocs decodes every document of a YAML stream into JSON values.
func yamlDocs(t *testing.T, data []byte) []any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, inst)
	}
}

func TestSchemaAcceptsGoodManifests(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob(goodDir + "/*.yaml")
	rendered, err := Render(loadGood(t))
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"render": rendered}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = data
	}
	for name, data := range inputs {
		for i, doc := range yamlDocs(t, data) {
			if err := sch.Validate(doc); err != nil {
				t.Errorf("%s document %d: %v", name, i, err)
			}
		}
	}
}

func TestSchemaRefusesMistakes(t *testing.T) {
	sch := compileSchema(t)
	head := "apiVersion: ghlctl/v1\nkind: Location\nmetadata: {name: acme}\nspec:\n"
	cases := map[string]string{
		"unknown kind":    "apiVersion: ghlctl/v1\nkind: Snapshot\nmetadata: {name: acme}\n",
		"bad address":     "apiVersion: ghlctl/v1\nkind: Location\nmetadata: {name: Acme_Dental}\n",
		"unknown field":   head + "  customFields: [{name: X, dataType: TEXT, lable: y}]\n",
		"bad dataType":    head + "  customFields: [{name: X, dataType: STRING}]\n",
		"options on TEXT": head + "  customFields: [{name: X, dataType: TEXT, options: [a]}]\n",
		"no options":      head + "  customFields: [{name: X, dataType: RADIO}]\n",
		"two personal members": head + "  calendars: [{name: C, calendarType: personal,\n" +
			"    teamMembers: [{email: a@x.io}, {email: b@x.io}]}]\n",
		"member without id": head + "  calendars: [{name: C, teamMembers: [{priority: 1}]}]\n",
		"priority 0.7": head +
			"  calendars: [{name: C, teamMembers: [{email: a@x.io, priority: 0.7}]}]\n",
		"both credentials": head + "  credentials: {tokenEnv: A, matonConnection: b}\n",
		"blank tag":        head + "  tags: [\" \"]\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			if err := sch.Validate(yamlDocs(t, []byte(text))[0]); err == nil {
				t.Errorf("schema accepts:\n%s", text)
			}
		})
	}
}
