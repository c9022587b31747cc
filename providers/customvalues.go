package providers

import (
	"context"
	"net/http"

	"github.com/northwind/ghlctl/reconcile"
)

// customValueProvider manages custom values. Create and update both take
// name and value; the server derives the fieldKey merge tag from the name at
// creation and keeps it on rename.
type customValueProvider struct{ site *Site }

func (p *customValueProvider) path() string { return "/locations/" + p.site.ID + "/customValues" }

func customValueObject(raw map[string]any) reconcile.Object {
	return reconcile.Object{
		ID: str(raw["id"]), Fields: pick(raw, "name", "value"), Detail: str(raw["fieldKey"]),
	}
}

func (p *customValueProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	var out struct {
		CustomValues []map[string]any `json:"customValues"`
	}
	if err := p.site.call(ctx, http.MethodGet, p.path(), nil, nil, &out, "list custom values"); err != nil {
		return nil, err
	}
	return objects(out.CustomValues, customValueObject), nil
}

func (p *customValueProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	var out struct {
		CustomValue map[string]any `json:"customValue"`
	}
	err := p.site.call(ctx, http.MethodPost, p.path(), nil, pick(fields, "name", "value"), &out,
		"create custom value")
	return customValueObject(out.CustomValue), err
}

func (p *customValueProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	var out struct {
		CustomValue map[string]any `json:"customValue"`
	}
	body := merged(fields, live.Fields, "name", "value")
	err := p.site.call(ctx, http.MethodPut, p.path()+"/"+live.ID, nil, body, &out, "update custom value")
	return customValueObject(out.CustomValue), err
}

func (p *customValueProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.call(ctx, http.MethodDelete, p.path()+"/"+live.ID, nil, nil, nil,
		"delete custom value"))
}

func (p *customValueProvider) Immutable() ([]string, string) { return nil, "" }
