package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// The whole store is one JSON file, rewritten after every successful write
// and before that write is answered. Two things keep this cheap for an agency
// of thousands of sub-accounts:
//
//   - each sub-account's JSON is kept between writes and encoded again only
//     after a write touched it, so a file is mostly a concatenation;
//   - writes are committed in groups: while one file is being written, the
//     writes that land meanwhile wait together for the next one, so parallel
//     clients share the cost of a file instead of queueing for one each.

// persister writes the store, one file at a time, and lets each write wait
// until a file holding its change is on disk.
type persister struct {
	path     string
	snapshot func() (data []byte, generation uint64) // encodes the store under the server lock

	mu      sync.Mutex
	cond    *sync.Cond
	written uint64 // the generation last written
	busy    bool   // a file is being written
}

func newPersister(path string, snapshot func() ([]byte, uint64)) *persister {
	p := &persister{path: path, snapshot: snapshot}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// wait returns once the file holds generation gen or a later one. A caller
// that finds no file being written writes one itself, with everything
// committed up to then.
func (p *persister) wait(gen uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.written < gen {
		if p.busy {
			p.cond.Wait()
			continue
		}
		p.busy = true
		p.mu.Unlock()
		data, snapGen := p.snapshot()
		err := writeFileAtomic(p.path, data)
		p.mu.Lock()
		p.busy = false
		p.cond.Broadcast()
		if err != nil {
			return err
		}
		p.written = max(p.written, snapGen)
	}
	return nil
}

// encode renders the store, reusing the JSON of untouched sub-accounts. It
// is called with the server lock held.
func (d *db) encode() ([]byte, error) {
	head, err := json.Marshal(struct {
		Version   int     `json:"version"`
		Company   company `json:"company"`
		Users     []*user `json:"users"`
		Generated string  `json:"generated"`
		Sequence  int     `json:"sequence"`
	}{d.Version, d.Company, d.Users, d.Generated, d.Sequence})
	if err != nil {
		return nil, fmt.Errorf("encode sandbox data: %w", err)
	}
	var buf bytes.Buffer
	buf.Write(head[:len(head)-1])
	buf.WriteString(`,"locations":{`)
	for i, id := range sortedKeys(d.Accounts) {
		a := d.Accounts[id]
		if a.encoded == nil {
			if a.encoded, err = json.Marshal(a); err != nil {
				return nil, fmt.Errorf("encode sandbox data of %s: %w", id, err)
			}
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(id)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(a.encoded)
	}
	buf.WriteString("}}\n")
	return buf.Bytes(), nil
}

// writeFileAtomic writes a temporary file beside path and renames it over
// path, so a reader (or a sandbox killed mid-write) never sees half a file.
// It does not sync: the rename protects against the process dying, and a
// sandbox need not survive a power cut at the price of a sync per write.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write sandbox data: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write sandbox data: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write sandbox data: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write sandbox data: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write sandbox data: %w", err)
	}
	return nil
}
