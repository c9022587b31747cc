package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"slices"
	"time"
)

// db is everything the sandbox knows, as it is persisted: one agency, its
// sub-accounts with their configuration, and the agency's users. The whole of
// it is written to the data file after every successful write.
type db struct {
	Version   int                 `json:"version"`
	Company   company             `json:"company"`
	Accounts  map[string]*account `json:"locations"`
	Users     []*user             `json:"users"`
	Generated string              `json:"generated"` // when the store was first created
	Sequence  int                 `json:"sequence"`  // the last account's creation number

	idgen func() string // how new ids are made; nil means randomID
}

// company is the agency.
type company struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

// account is one sub-account: its settings, its token and what it holds.
type account struct {
	Location     location       `json:"location"`
	Created      int            `json:"created"` // creation number, for a stable order
	Token        string         `json:"token"`
	FolderID     string         `json:"folderId"` // the default custom-field folder
	Tags         []*tag         `json:"tags"`
	CustomFields []*customField `json:"customFields"`
	CustomValues []*customValue `json:"customValues"`
	Links        []*link        `json:"links"`
	Groups       []*group       `json:"calendarGroups"`
	Calendars    []*calendar    `json:"calendars"`
	Businesses   []*business    `json:"businesses"`

	encoded []byte // this account's JSON, until a write touches it
}

const dbVersion = 1

func newDB() *db {
	return &db{Version: dbVersion, Accounts: map[string]*account{}}
}

// newID returns an id for a new object.
func (d *db) newID() string {
	if d.idgen != nil {
		return d.idgen()
	}
	return randomID()
}

// addAccount stores a new sub-account, numbered after the others.
func (d *db) addAccount(a *account) {
	d.Sequence++
	a.Created = d.Sequence
	d.Accounts[a.Location.ID] = a
}

// empty reports whether the store was never initialised.
func (d *db) empty() bool { return d.Company.ID == "" }

// sortedAccounts returns the sub-accounts in creation order.
func (d *db) sortedAccounts() []*account {
	out := make([]*account, 0, len(d.Accounts))
	for _, a := range d.Accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *account) int { return a.Created - b.Created })
	return out
}

// usersOf returns the users that belong to the location, in creation order.
func (d *db) usersOf(locationID string) []*user {
	var out []*user
	for _, u := range d.Users {
		if slices.Contains(u.LocationIDs, locationID) {
			out = append(out, u)
		}
	}
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// loadDB reads the data file; a missing file is an empty store.
func loadDB(path string) (*db, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newDB(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sandbox data: %w", err)
	}
	d := newDB()
	if err := json.Unmarshal(data, d); err != nil {
		return nil, fmt.Errorf("read sandbox data %s: %w", path, err)
	}
	if d.Version > dbVersion {
		return nil, fmt.Errorf("read sandbox data %s: version %d is newer than this sandbox (%d)",
			path, d.Version, dbVersion)
	}
	if d.Accounts == nil {
		d.Accounts = map[string]*account{}
	}
	return d, nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns a 20-character alphanumeric id, the shape of the
// Firestore-style ids the server hands out.
func randomID() string {
	b := make([]byte, 20)
	limit := big.NewInt(int64(len(idAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			panic("sandbox: no randomness: " + err.Error())
		}
		b[i] = idAlphabet[n.Int64()]
	}
	return string(b)
}

// newToken returns a Private Integration Token look-alike.
func newToken() string { return "pit-" + newUUID() }

// isoTime formats a time the way the server does: UTC, milliseconds, Z.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
