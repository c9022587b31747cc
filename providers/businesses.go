package providers

import (
	"context"
	"net/http"
	"net/url"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/reconcile"
)

// businessProvider manages businesses. The server wraps the object as
// `buiseness` (sic) on create and update and as `business` on get.
type businessProvider struct{ site *Site }

var businessFields = []string{
	"name", "phone", "email", "website", "address", "city", "state", "postalCode", "country", "description",
}

func businessObject(raw map[string]any) reconcile.Object {
	return reconcile.Object{ID: str(raw["id"]), Fields: pick(raw, businessFields...)}
}

// businessReply decodes either spelling of the wrapper.
type businessReply struct {
	Buiseness map[string]any `json:"buiseness"`
	Business  map[string]any `json:"business"`
}

func (r businessReply) object() reconcile.Object {
	if r.Buiseness != nil {
		return businessObject(r.Buiseness)
	}
	return businessObject(r.Business)
}

func (p *businessProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	raw, err := pages(ctx, p.site.fleet.Client, highlevel.Request{
		Method: http.MethodGet, Path: "/businesses/", Query: url.Values{"locationId": {p.site.ID}},
		Cred: p.site.cred, Resource: p.site.ID, What: p.site.what("list businesses"),
	}, "businesses", 100)
	if err != nil {
		return nil, err
	}
	return objects(raw, businessObject), nil
}

func (p *businessProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	body := pick(fields, businessFields...)
	body["locationId"] = p.site.ID
	var out businessReply
	err := p.site.call(ctx, http.MethodPost, "/businesses/", nil, body, &out, "create business")
	return out.object(), err
}

func (p *businessProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	var out businessReply
	body := merged(fields, live.Fields, businessFields...)
	err := p.site.call(ctx, http.MethodPut, "/businesses/"+live.ID, nil, body, &out, "update business")
	return out.object(), err
}

func (p *businessProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.call(ctx, http.MethodDelete, "/businesses/"+live.ID, nil, nil, nil,
		"delete business"))
}

func (p *businessProvider) Immutable() ([]string, string) { return nil, "" }
