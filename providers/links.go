package providers

import (
	"context"
	"net/http"
	"net/url"

	"github.com/northwind/ghlctl/reconcile"
)

// linkProvider manages trigger links. Create takes locationId, update does
// not; the server's fieldKey ({{trigger_link.<id>}}) is read-only and shown
// as the link's detail.
type linkProvider struct{ site *Site }

func linkObject(raw map[string]any) reconcile.Object {
	return reconcile.Object{
		ID: str(raw["id"]), Fields: pick(raw, "name", "redirectTo"), Detail: str(raw["fieldKey"]),
	}
}

func (p *linkProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	var out struct {
		Links []map[string]any `json:"links"`
	}
	q := url.Values{"locationId": {p.site.ID}}
	if err := p.site.call(ctx, http.MethodGet, "/links/", q, nil, &out, "list trigger links"); err != nil {
		return nil, err
	}
	return objects(out.Links, linkObject), nil
}

func (p *linkProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	body := pick(fields, "name", "redirectTo")
	body["locationId"] = p.site.ID
	var out struct {
		Link map[string]any `json:"link"`
	}
	err := p.site.call(ctx, http.MethodPost, "/links/", nil, body, &out, "create trigger link")
	return linkObject(out.Link), err
}

func (p *linkProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	var out struct {
		Link map[string]any `json:"link"`
	}
	body := merged(fields, live.Fields, "name", "redirectTo")
	err := p.site.call(ctx, http.MethodPut, "/links/"+live.ID, nil, body, &out, "update trigger link")
	return linkObject(out.Link), err
}

func (p *linkProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.call(ctx, http.MethodDelete, "/links/"+live.ID, nil, nil, nil,
		"delete trigger link"))
}

func (p *linkProvider) Immutable() ([]string, string) { return nil, "" }
