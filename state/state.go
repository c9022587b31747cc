// Package state records what ghlctl manages: for each address
// (location/kind/key) the live object's id and a fingerprint of the fields
// last applied to it. State decides ownership: only objects recorded here are
// ever deleted, and an object found here by id is matched before any natural
// key. It never holds a token or a sensitive value, only ids and hashes.
//
// A Backend stores the state and locks it. Locks are taken per location so
// that a backend shared by several jobs (a database, say) can let jobs on
// different sub-accounts run side by side; the local file backend takes one
// lock for the whole file.
package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// FormatVersion is the version of the state document written.
const FormatVersion = 1

// State is the whole recorded state.
type State struct {
	FormatVersion int                  `json:"formatVersion"`
	Lineage       string               `json:"lineage"`
	Serial        int64                `json:"serial"`
	Resources     map[string]*Resource `json:"resources"`

	byID map[string]string // see Index
}

// Resource is one managed live object.
type Resource struct {
	Location   string `json:"location"`   // the Location's address
	LocationID string `json:"locationId"` // the sub-account id
	Kind       string `json:"kind"`
	Key        string `json:"key"`
	ID         string `json:"id"`
	// Fingerprint is a hash of the managed fields as last applied.
	Fingerprint    string    `json:"fingerprint"`
	PreventDestroy bool      `json:"preventDestroy,omitempty"`
	Updated        time.Time `json:"updated"`
}

// Address is the state address of a resource: location/kind/key.
func Address(location, kind, key string) string {
	return location + "/" + kind + "/" + key
}

// New returns an empty state with a fresh lineage.
func New() *State {
	return &State{FormatVersion: FormatVersion, Lineage: newLineage(), Resources: map[string]*Resource{}}
}

func newLineage() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Get returns the resource at address, or nil.
func (s *State) Get(address string) *Resource {
	if s == nil {
		return nil
	}
	return s.Resources[address]
}

// ByID finds the resource of a location and kind with a live id. After
// Index, it is a map lookup; before, a scan.
func (s *State) ByID(location, kind, id string) (string, *Resource) {
	if s == nil {
		return "", nil
	}
	if s.byID != nil {
		addr := s.byID[location+"\x00"+kind+"\x00"+id]
		return addr, s.Resources[addr]
	}
	for addr, r := range s.Resources {
		if r.Location == location && r.Kind == kind && r.ID == id {
			return addr, r
		}
	}
	return "", nil
}

// Index prepares ByID lookups for a state that will not change while they
// are made: a plan reads the state once and looks ids up many times.
func (s *State) Index() {
	if s == nil {
		return
	}
	s.byID = make(map[string]string, len(s.Resources))
	for _, addr := range slices.Sorted(maps.Keys(s.Resources)) {
		r := s.Resources[addr]
		key := r.Location + "\x00" + r.Kind + "\x00" + r.ID
		if _, ok := s.byID[key]; !ok {
			s.byID[key] = addr
		}
	}
}

// Addresses returns every address, sorted, optionally only those under prefix.
func (s *State) Addresses(prefix string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, a := range slices.Sorted(maps.Keys(s.Resources)) {
		if strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// Clone returns a deep copy.
func (s *State) Clone() *State {
	c := *s
	c.byID = nil
	c.Resources = make(map[string]*Resource, len(s.Resources))
	for k, v := range s.Resources {
		r := *v
		c.Resources[k] = &r
	}
	return &c
}

// LockInfo says who holds a lock, for the message another command prints.
type LockInfo struct {
	Who       string    `json:"who"`
	Operation string    `json:"operation"`
	Started   time.Time `json:"started"`
	PID       int       `json:"pid"`
	Host      string    `json:"host"`
}

func (l LockInfo) String() string {
	return fmt.Sprintf("%s (%s, pid %d on %s, since %s)", l.Who, l.Operation, l.PID, l.Host,
		l.Started.Format(time.RFC3339))
}

// Backend stores a state.
type Backend interface {
	// Lock takes the locks for the given locations (all of them when
	// locations is empty), waiting up to the backend's timeout.
	Lock(ctx context.Context, info LockInfo, locations []string) (Unlock func() error, err error)
	// Read returns the current state.
	Read(ctx context.Context) (*State, error)
	// Put records a resource durably and bumps the serial.
	Put(ctx context.Context, address string, r *Resource) error
	// Remove forgets a resource durably and bumps the serial.
	Remove(ctx context.Context, address string) error
	// ForceUnlock clears a lock left by a command that did not release it.
	ForceUnlock(ctx context.Context) error
	// Describe names the backend for messages, without secrets.
	Describe() string
}

// Batcher is a Backend that records many resources in one durable write:
// adopting a thousand sub-accounts' objects should not rewrite a state file
// a thousand times over.
type Batcher interface {
	PutAll(ctx context.Context, resources map[string]*Resource) error
}

// LockedError is returned when a lock could not be had in time.
type LockedError struct {
	Resource string
	Holder   LockInfo
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("state %s is locked by %s; if that command is gone, run 'ghlctl state unlock'",
		e.Resource, e.Holder)
}
