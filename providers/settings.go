package providers

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/reconcile"
)

// settingsProvider manages a sub-account's own settings: the one object of
// its kind, read with GET /locations/{id} and written with the agency token.
type settingsProvider struct{ site *Site }

// settingsFields are the location properties a manifest may set.
var settingsFields = []string{
	"name", "phone", "email", "address", "city", "state", "postalCode", "country", "website",
	"timezone", "social",
}

// settingsWritable are those the create and update endpoints accept: the
// sub-account's email is read-only through the API.
var settingsWritable = []string{
	"name", "phone", "address", "city", "state", "postalCode", "country", "website", "timezone", "social",
}

// ReadOnly names the settings that cannot be changed: the email never
// through the API, and none without the agency's token.
func (p *settingsProvider) ReadOnly() ([]string, string) {
	if _, ok, err := p.site.fleet.Tokens.Agency(); err != nil || !ok {
		return settingsFields, "changing settings needs the Agency document and its token"
	}
	return []string{"email"}, "the API cannot change a sub-account's email"
}

func (p *settingsProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	raw, err := p.site.Location(ctx)
	if err != nil {
		return nil, err
	}
	return []reconcile.Object{{ID: p.site.ID, Fields: pick(raw, settingsFields...)}}, nil
}

func (p *settingsProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	return reconcile.Object{}, errors.New("sub-accounts are created through the agency, not as settings")
}

// settingsBody is the body of a location update: every settable property,
// live values where the manifest leaves them unmanaged, since the endpoint
// may replace what it is not given.
func settingsBody(desired, live map[string]any) map[string]any {
	return merged(desired, live, settingsWritable...)
}

func (p *settingsProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	cred, ok, err := p.site.fleet.Tokens.Agency()
	if err == nil && !ok {
		err = fmt.Errorf("changing the settings of %s needs the Agency document and its token",
			p.site.loc.Address)
	}
	if err != nil {
		return reconcile.Object{}, err
	}
	body := settingsBody(fields, live.Fields)
	body["companyId"] = p.site.fleet.CompanyID
	var out map[string]any
	err = p.site.fleet.Client.Do(ctx, highlevel.Request{
		Method: http.MethodPut, Path: "/locations/" + p.site.ID, Body: body, Cred: cred,
		Resource: p.site.fleet.CompanyID, What: p.site.what("update settings"),
	}, &out)
	p.site.fleet.Forget(p.site.ID)
	return reconcile.Object{ID: p.site.ID, Fields: pick(out, settingsFields...)}, err
}

func (p *settingsProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return errors.New("ghlctl does not delete sub-accounts")
}

func (p *settingsProvider) Immutable() ([]string, string) { return nil, "" }

// ignoreNotFound treats deleting an object that is already gone as done: a
// delete whose answer was lost and then retried finds nothing to delete.
func ignoreNotFound(err error) error {
	if highlevel.NotFound(err) {
		return nil
	}
	return err
}
