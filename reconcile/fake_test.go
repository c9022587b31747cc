package reconcile

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/northwind/ghlctl/spec"
)

// fakeServer is an in-memory stand-in for one sub-account per location id.
type fakeServer struct {
	mu      sync.Mutex
	objects map[string]map[string][]Object // location id -> kind -> objects
	writes  []string
	nextID  int
	// loseNext makes the next create succeed on the server but report an
	// unknown outcome.
	loseNext bool
}

type lostAnswer struct{}

func (lostAnswer) Error() string        { return "connection reset" }
func (lostAnswer) OutcomeUnknown() bool { return true }

func newFakeServer() *fakeServer {
	return &fakeServer{objects: map[string]map[string][]Object{}}
}

func (f *fakeServer) put(loc, kind string, fields map[string]any) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.putLocked(loc, kind, fields)
}

func (f *fakeServer) putLocked(loc, kind string, fields map[string]any) string {
	f.nextID++
	id := fmt.Sprintf("id%03d", f.nextID)
	if f.objects[loc] == nil {
		f.objects[loc] = map[string][]Object{}
	}
	f.objects[loc][kind] = append(f.objects[loc][kind], Object{ID: id, Fields: maps.Clone(fields)})
	return id
}

func (f *fakeServer) count(loc, kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.objects[loc][kind])
}

// Find, Open and Create make fakeServer a Directory; every Location's id is
// its address.
func (f *fakeServer) Find(ctx context.Context, loc *spec.Location) (AccountInfo, bool, error) {
	return AccountInfo{ID: loc.Address, Name: loc.Address}, true, nil
}

func (f *fakeServer) Open(loc *spec.Location, info AccountInfo) (Account, error) {
	return fakeAccount{f, info.ID}, nil
}

func (f *fakeServer) Create(ctx context.Context, loc *spec.Location) (AccountInfo, error) {
	return AccountInfo{}, fmt.Errorf("not supported")
}

type fakeAccount struct {
	f   *fakeServer
	loc string
}

func (a fakeAccount) Provider(kind string) (Provider, error) {
	return &fakeProvider{a.f, a.loc, kind}, nil
}

type fakeProvider struct {
	f         *fakeServer
	loc, kind string
}

func (p *fakeProvider) List(ctx context.Context) ([]Object, error) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	var out []Object
	for _, o := range p.f.objects[p.loc][p.kind] {
		out = append(out, Object{ID: o.ID, Fields: maps.Clone(o.Fields)})
	}
	return out, nil
}

func (p *fakeProvider) Create(ctx context.Context, fields map[string]any) (Object, error) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	p.f.writes = append(p.f.writes, "create "+p.kind)
	id := p.f.putLocked(p.loc, p.kind, fields)
	if p.f.loseNext {
		p.f.loseNext = false
		return Object{}, lostAnswer{}
	}
	return Object{ID: id, Fields: maps.Clone(fields)}, nil
}

func (p *fakeProvider) Update(ctx context.Context, live Object, fields map[string]any) (Object, error) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	p.f.writes = append(p.f.writes, "update "+p.kind)
	objs := p.f.objects[p.loc][p.kind]
	for i := range objs {
		if objs[i].ID == live.ID {
			maps.Copy(objs[i].Fields, fields)
			return Object{ID: live.ID, Fields: maps.Clone(objs[i].Fields)}, nil
		}
	}
	return Object{}, fmt.Errorf("no object %s", live.ID)
}

func (p *fakeProvider) Delete(ctx context.Context, live Object) error {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	p.f.writes = append(p.f.writes, "delete "+p.kind)
	objs := p.f.objects[p.loc][p.kind]
	for i := range objs {
		if objs[i].ID == live.ID {
			p.f.objects[p.loc][p.kind] = append(objs[:i], objs[i+1:]...)
			return nil
		}
	}
	return nil
}

func (p *fakeProvider) Immutable() ([]string, string) {
	if p.kind == spec.KindCustomFields {
		return []string{"dataType"}, "replaces the field and its data"
	}
	return nil, ""
}
