package providers

import (
	"context"
	"net/http"

	"github.com/northwind/ghlctl/reconcile"
)

// tagProvider manages a sub-account's tags. The server stores names
// lowercased, so they are compared that way.
type tagProvider struct{ site *Site }

func (p *tagProvider) path() string { return "/locations/" + p.site.ID + "/tags" }

func tagObject(raw map[string]any) reconcile.Object {
	return reconcile.Object{ID: str(raw["id"]), Fields: pick(raw, "name")}
}

func (p *tagProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	var out struct {
		Tags []map[string]any `json:"tags"`
	}
	if err := p.site.call(ctx, http.MethodGet, p.path(), nil, nil, &out, "list tags"); err != nil {
		return nil, err
	}
	return objects(out.Tags, tagObject), nil
}

func (p *tagProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	var out struct {
		Tag map[string]any `json:"tag"`
	}
	err := p.site.call(ctx, http.MethodPost, p.path(), nil, pick(fields, "name"), &out, "create tag")
	return tagObject(out.Tag), err
}

func (p *tagProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	var out struct {
		Tag map[string]any `json:"tag"`
	}
	err := p.site.call(ctx, http.MethodPut, p.path()+"/"+live.ID, nil, merged(fields, live.Fields, "name"),
		&out, "update tag")
	return tagObject(out.Tag), err
}

func (p *tagProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.call(ctx, http.MethodDelete, p.path()+"/"+live.ID, nil, nil, nil,
		"delete tag"))
}

func (p *tagProvider) Immutable() ([]string, string) { return nil, "" }

// objects converts a list of raw objects.
func objects(raw []map[string]any, conv func(map[string]any) reconcile.Object) []reconcile.Object {
	out := make([]reconcile.Object, 0, len(raw))
	for _, r := range raw {
		out = append(out, conv(r))
	}
	return out
}
