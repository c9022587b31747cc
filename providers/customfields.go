package providers

import (
	"context"
	"net/http"

	"github.com/northwind/ghlctl/reconcile"
)

// customFieldProvider manages contact and opportunity custom fields.
//
// Quirks: options are written as `options` and read back as
// `picklistOptions`; the fieldKey is derived from the name at creation and
// never changes; dataType cannot change, so changing it replaces the field.
type customFieldProvider struct{ site *Site }

func (p *customFieldProvider) path() string { return "/locations/" + p.site.ID + "/customFields" }

// liveNames maps the server's names of custom field properties to the
// manifest's where they differ.
var customFieldLiveNames = map[string]string{
	"fieldKey":           "key",
	"picklistOptions":    "options",
	"isMultiFileAllowed": "isMultipleFile",
	"maxFileLimit":       "maxNumberOfFiles",
}

// customFieldWritable are the properties create and update accept, in the
// manifest's names (which are also the write names).
var customFieldWritable = []string{
	"name", "placeholder", "position", "options", "acceptedFormat", "isMultipleFile",
	"maxNumberOfFiles", "textBoxListOptions", "model",
}

func customFieldObject(raw map[string]any) reconcile.Object {
	f := pick(raw, "name", "dataType", "model", "placeholder", "position", "acceptedFormat",
		"isMultipleFile", "maxNumberOfFiles", "textBoxListOptions", "options")
	for from, to := range customFieldLiveNames {
		if v, ok := raw[from]; ok && v != nil {
			f[to] = v
		}
	}
	if opts, ok := f["options"].([]any); ok && len(opts) == 0 {
		delete(f, "options")
	}
	return reconcile.Object{ID: str(raw["id"]), Fields: f, Detail: str(raw["fieldKey"])}
}

func (p *customFieldProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	var out struct {
		CustomFields []map[string]any `json:"customFields"`
	}
	if err := p.site.call(ctx, http.MethodGet, p.path(), nil, nil, &out, "list custom fields"); err != nil {
		return nil, err
	}
	return objects(out.CustomFields, customFieldObject), nil
}

func (p *customFieldProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	body := pick(fields, append(customFieldWritable, "dataType")...)
	if key, ok := fields["key"]; ok {
		body["fieldKey"] = key
	}
	var out struct {
		CustomField map[string]any `json:"customField"`
	}
	err := p.site.call(ctx, http.MethodPost, p.path(), nil, body, &out, "create custom field")
	return customFieldObject(out.CustomField), err
}

// Update sends every writable property, taking live values for those the
// manifest leaves unmanaged, since the endpoint is documented as a whole
// replacement (name is required on it).
func (p *customFieldProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	body := merged(fields, live.Fields, customFieldWritable...)
	var out struct {
		CustomField map[string]any `json:"customField"`
	}
	err := p.site.call(ctx, http.MethodPut, p.path()+"/"+live.ID, nil, body, &out, "update custom field")
	return customFieldObject(out.CustomField), err
}

func (p *customFieldProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.call(ctx, http.MethodDelete, p.path()+"/"+live.ID, nil, nil, nil,
		"delete custom field"))
}

func (p *customFieldProvider) Immutable() ([]string, string) {
	return []string{"dataType", "model", "key"}, "replaces the field and its data"
}
