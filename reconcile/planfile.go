package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"
)

// SavedPlan is a plan written to a file for a later apply. It records what
// the plan was made from, so that apply can refuse it when anything moved,
// and a checksum over all of it. It holds no token and no sensitive value:
// those are read again, from the environment, when the plan is applied.
type SavedPlan struct {
	FormatVersion int          `json:"formatVersion"`
	Created       time.Time    `json:"created"`
	Ghlctl        string       `json:"ghlctl"`
	Manifests     ManifestsRef `json:"manifests"`
	State         StateRef     `json:"state"`
	Options       SavedOptions `json:"options"`
	Plan          *Plan        `json:"plan"`
	Checksum      string       `json:"checksum"`
}

// ManifestsRef names the manifests a plan was made from.
type ManifestsRef struct {
	Paths  []string `json:"paths"`
	Digest string   `json:"digest"`
}

// StateRef names the state a plan was made against.
type StateRef struct {
	Path    string `json:"path"`
	Lineage string `json:"lineage"`
	Serial  int64  `json:"serial"`
}

// SavedOptions are the planning options apply must plan with again.
type SavedOptions struct {
	Prune      bool   `json:"prune"`
	MaxDeletes int    `json:"maxDeletes"`
	Selector   string `json:"selector,omitempty"`
	Shard      string `json:"shard,omitempty"`
	Sandbox    bool   `json:"sandbox,omitempty"`
	Endpoint   string `json:"endpoint,omitempty"`
}

func (s *SavedPlan) sum() string {
	c := *s
	c.Checksum = ""
	data, _ := json.Marshal(c)
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Write seals the plan with its checksum and writes it to path.
func (s *SavedPlan) Write(path string, write func(string, []byte) error) error {
	s.Checksum = s.sum()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return write(path, append(data, '\n'))
}

// ReadSavedPlan reads a plan file and checks its checksum.
func ReadSavedPlan(path string) (*SavedPlan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	s := &SavedPlan{}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("%s is not a ghlctl plan file: %w", path, err)
	}
	if s.Plan == nil || s.FormatVersion != PlanFormatVersion {
		return nil, fmt.Errorf("%s is not a ghlctl plan file of format %d", path, PlanFormatVersion)
	}
	if s.Checksum != s.sum() {
		return nil, fmt.Errorf("%s: checksum mismatch: the plan file was changed after it was written", path)
	}
	return s, nil
}

// Moved lists how a fresh plan differs from a saved one, change by change:
// an object changed behind the plan's back, a change that appeared or went.
// An empty list means the fresh plan does exactly what the saved one said.
func Moved(saved, fresh *Plan) []string {
	old, cur := changeIndex(saved), changeIndex(fresh)
	var out []string
	for _, key := range sortedKeys(old) {
		o, c := old[key], cur[key]
		switch {
		case c == nil:
			out = append(out, fmt.Sprintf("%s: planned to %s, now nothing to do", o.Address, o.Action))
		case o.LiveFingerprint != c.LiveFingerprint:
			out = append(out, fmt.Sprintf("%s: the live object changed since the plan was made", o.Address))
		case !sameChange(o, c):
			out = append(out, fmt.Sprintf("%s: the change is no longer the one planned", o.Address))
		}
	}
	for _, key := range sortedKeys(cur) {
		if old[key] == nil {
			out = append(out, fmt.Sprintf("%s: a new change (%s) that the saved plan does not have",
				cur[key].Address, cur[key].Action))
		}
	}
	return out
}

func changeIndex(p *Plan) map[string]*Change {
	out := map[string]*Change{}
	for _, l := range p.Locations {
		for _, c := range l.Changes {
			out[l.Address+"|"+c.Address] = c
		}
	}
	return out
}

func sameChange(a, b *Change) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return slices.Equal(ja, jb)
}
