package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// File is the local-file backend: one JSON document, rewritten atomically
// (temporary file, fsync, rename) after every change, and a lock file beside
// it held with flock, so a lock dies with the process that held it.
type File struct {
	Path        string
	LockTimeout time.Duration

	mu       sync.Mutex // guards st and dirty
	st       *State
	dirty    uint64
	writeMu  sync.Mutex // one writer at a time; later changes ride along
	written  uint64
	lockFile *os.File
}

// NewFile returns the backend for the state file at path.
func NewFile(path string, lockTimeout time.Duration) *File {
	return &File{Path: path, LockTimeout: lockTimeout}
}

// Describe names the file.
func (f *File) Describe() string { return f.Path }

// Read loads the state file, or returns a new state when there is none.
func (f *File) Read(ctx context.Context) (*State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st != nil {
		return f.st.Clone(), nil
	}
	st, err := readFile(f.Path)
	if err != nil {
		return nil, err
	}
	f.st = st
	return st.Clone(), nil
}

func readFile(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	st := &State{}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	if st.FormatVersion > FormatVersion {
		return nil, fmt.Errorf("state %s has format version %d; this ghlctl reads up to %d",
			path, st.FormatVersion, FormatVersion)
	}
	if st.Resources == nil {
		st.Resources = map[string]*Resource{}
	}
	return st, nil
}

// Put records r at address and writes the file.
func (f *File) Put(ctx context.Context, address string, r *Resource) error {
	return f.change(func(st *State) {
		c := *r
		st.Resources[address] = &c
	})
}

// PutAll records every resource given, then writes the file once.
func (f *File) PutAll(ctx context.Context, resources map[string]*Resource) error {
	return f.change(func(st *State) {
		for addr, r := range resources {
			c := *r
			st.Resources[addr] = &c
		}
	})
}

// Remove forgets address and writes the file.
func (f *File) Remove(ctx context.Context, address string) error {
	return f.change(func(st *State) { delete(st.Resources, address) })
}

func (f *File) change(edit func(*State)) error {
	f.mu.Lock()
	if f.st == nil {
		f.mu.Unlock()
		if _, err := f.Read(context.Background()); err != nil {
			return err
		}
		f.mu.Lock()
	}
	edit(f.st)
	f.st.Serial++
	f.dirty++
	gen := f.dirty
	f.mu.Unlock()
	return f.flush(gen)
}

// flush makes sure generation gen is on disk. Writers queue on writeMu; the
// one that gets it writes everything changed so far, so the ones behind it
// usually find their change already written.
func (f *File) flush(gen uint64) error {
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	if f.written >= gen {
		return nil
	}
	f.mu.Lock()
	data, err := json.Marshal(f.st) // compact: a fleet's state is rewritten often
	upTo := f.dirty
	f.mu.Unlock()
	if err != nil {
		return err
	}
	if err := WriteAtomic(f.Path, append(data, '\n')); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	f.written = upTo
	return nil
}

// WriteAtomic replaces path with data so that a reader, or a crash, sees
// either the old file or the new one, never a part.
func WriteAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

func (f *File) lockPath() string { return f.Path + ".lock" }

// Lock takes the file's lock, whatever the locations, waiting up to
// LockTimeout for another command to release it.
func (f *File) Lock(ctx context.Context, info LockInfo, _ []string) (func() error, error) {
	deadline := time.Now().Add(f.LockTimeout)
	for {
		lf, err := f.tryLock()
		if err == nil {
			return f.hold(lf, info)
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock state: %w", err)
		}
		if time.Now().After(deadline) {
			return nil, &LockedError{Resource: f.Path, Holder: readLockInfo(f.lockPath())}
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func (f *File) tryLock() (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(f.lockPath(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lf.Close()
		return nil, err
	}
	// The holder before us removes the file when it lets go; a lock on a
	// file that is no longer at the path is no lock at all, so try again.
	held, err1 := lf.Stat()
	now, err2 := os.Stat(f.lockPath())
	if err1 != nil || err2 != nil || !os.SameFile(held, now) {
		lf.Close()
		return nil, syscall.EWOULDBLOCK
	}
	return lf, nil
}

func (f *File) hold(lf *os.File, info LockInfo) (func() error, error) {
	data, _ := json.Marshal(info)
	if err := lf.Truncate(0); err != nil {
		lf.Close()
		return nil, err
	}
	if _, err := lf.WriteAt(data, 0); err != nil {
		lf.Close()
		return nil, err
	}
	f.lockFile = lf
	return func() error {
		_ = os.Remove(f.lockPath())
		return lf.Close()
	}, nil
}

func readLockInfo(path string) LockInfo {
	var info LockInfo
	data, err := os.ReadFile(path)
	if err == nil {
		_ = json.Unmarshal(data, &info)
	}
	if info.Who == "" {
		info.Who = "another ghlctl command"
	}
	return info
}

// ForceUnlock clears a lock left behind. A lock nobody holds only leaves its
// file, which goes. A lock held by a running command on this host is not
// broken: that command is alive and would go on writing. A lock whose holder
// is on another host, or is gone, is broken by removing the file.
func (f *File) ForceUnlock(ctx context.Context) error {
	lf, err := f.tryLock()
	if err == nil {
		_ = os.Remove(f.lockPath())
		return lf.Close()
	}
	if !errors.Is(err, syscall.EWOULDBLOCK) {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	holder := readLockInfo(f.lockPath())
	if host, _ := os.Hostname(); holder.Host == host && holder.PID > 0 && alive(holder.PID) {
		return fmt.Errorf("state %s is locked by %s, which is still running: stop it first", f.Path, holder)
	}
	err = os.Remove(f.lockPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// alive reports whether a process of this host exists.
func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
