package providers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/northwind/ghlctl/providers/highlevel"
)

// directory is a sub-account's users and calendar groups, read once, for
// translating between the manifest's emails and slugs and the API's ids.
type directory struct {
	site    string
	byEmail map[string]string // lowercased email -> user id
	byID    map[string]string // user id -> lowercased email
	groups  []map[string]any
}

// directory reads the users and groups of the sub-account once per run.
func (s *Site) directory(ctx context.Context) (*directory, error) {
	s.dirOnce.Do(func() {
		s.dir, s.dirErr = s.readDirectory(ctx)
	})
	return s.dir, s.dirErr
}

func (s *Site) readDirectory(ctx context.Context) (*directory, error) {
	companyID := s.fleet.CompanyID
	if companyID == "" {
		raw, err := s.Location(ctx)
		if err != nil {
			return nil, err
		}
		companyID = str(raw["companyId"])
	}
	// Users and groups are read side by side: neither needs the other.
	var groups struct {
		Groups []map[string]any `json:"groups"`
	}
	groupsErr := make(chan error, 1)
	go func() {
		q := url.Values{"locationId": {s.ID}}
		groupsErr <- s.calendarCall(ctx, http.MethodGet, "/calendars/groups", q, nil, &groups,
			"list calendar groups")
	}()
	users, err := pages(ctx, s.fleet.Client, highlevel.Request{
		Method: http.MethodGet, Path: "/users/search",
		Query: url.Values{"companyId": {companyID}, "locationId": {s.ID}},
		Cred:  s.cred, Resource: s.ID, What: s.what("list users"),
	}, "users", 100)
	if gerr := <-groupsErr; err == nil {
		err = gerr
	}
	if err != nil {
		return nil, err
	}
	d := &directory{
		site: s.loc.Address, byEmail: map[string]string{}, byID: map[string]string{}, groups: groups.Groups,
	}
	for _, u := range users {
		email := strings.ToLower(strings.TrimSpace(str(u["email"])))
		d.byEmail[email], d.byID[str(u["id"])] = str(u["id"]), email
	}
	return d, nil
}

// membersByEmail turns live team members into the manifest's form.
func (d *directory) membersByEmail(members []any) []any {
	out := make([]any, 0, len(members))
	for _, m := range members {
		raw, _ := m.(map[string]any)
		mm := pick(raw, "priority", "isPrimary")
		id := str(raw["userId"])
		if email, ok := d.byID[id]; ok {
			mm["email"] = email
		}
		mm["userId"] = id
		out = append(out, mm)
	}
	return out
}

// membersByID turns the manifest's team members into the API's.
func (d *directory) membersByID(members []any) ([]any, error) {
	out := make([]any, 0, len(members))
	for _, m := range members {
		mm, _ := m.(map[string]any)
		body := pick(mm, "priority", "isPrimary")
		id := str(mm["userId"])
		if email := str(mm["email"]); email != "" {
			var ok bool
			if id, ok = d.byEmail[strings.ToLower(email)]; !ok {
				return nil, fmt.Errorf("team member %s is not a user of %s", email, d.site)
			}
		} else if _, ok := d.byID[id]; !ok {
			return nil, fmt.Errorf("team member userId %s is not a user of %s", id, d.site)
		}
		body["userId"] = id
		out = append(out, body)
	}
	return out, nil
}

// groupID finds a calendar group by slug, else by name.
func (d *directory) groupID(ref string) (string, error) {
	for _, field := range []string{"slug", "name"} {
		for _, g := range d.groups {
			if strings.EqualFold(str(g[field]), ref) {
				return str(g["id"]), nil
			}
		}
	}
	return "", fmt.Errorf("calendar group %q is not a group of %s", ref, d.site)
}

// groupName is how a live calendar's group is shown: its slug, else its id.
func (d *directory) groupName(id string) string {
	for _, g := range d.groups {
		if str(g["id"]) == id {
			if s := str(g["slug"]); s != "" {
				return s
			}
		}
	}
	return id
}
