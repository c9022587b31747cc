package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/northwind/ghlctl/providers"
	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	files     []string
	location  string
	out       string
	blueprint string
}

func newExport(g *globals) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export --location ID|ADDRESS",
		Short: "Write a sub-account's live configuration as manifests",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.runExport(cmd.Context(), o) },
	}
	cmd.Flags().StringSliceVarP(&o.files, "file", "f", []string{"."}, "manifests that may name the location")
	cmd.Flags().StringVar(&o.location, "location", "",
		"sub-account id, or a Location's address in the manifests")
	cmd.Flags().StringVar(&o.out, "out", "", "directory to write the manifests to (default: standard output)")
	cmd.Flags().StringVar(&o.blueprint, "as-blueprint", "",
		"write a Blueprint of this name and a Location using it")
	_ = cmd.MarkFlagRequired("location")
	return cmd
}

func (g *globals) runExport(ctx context.Context, o *exportOptions) error {
	loc, set, err := g.exportTarget(o)
	if err != nil {
		return err
	}
	sess, err := g.connect(ctx, set)
	if err != nil {
		return err
	}
	defer sess.Close()
	live, err := readAll(ctx, sess, loc)
	if err != nil {
		return err
	}
	docs := exportDocs(loc, live, o.blueprint)
	if err := writeExport(g, o, loc.Address, docs); err != nil {
		return err
	}
	for _, env := range live.envs {
		fmt.Fprintf(g.stderr, "A sensitive value is read from $%s: set it before planning the export.\n", env)
	}
	return nil
}

// exportTarget finds the Location to export: one the manifests name by that
// address (or bind to that id), or a bare sub-account id.
func (g *globals) exportTarget(o *exportOptions) (*spec.Location, *spec.Set, error) {
	set, err := spec.Load(spec.LoadOptions{Paths: o.files})
	if err == nil {
		for _, l := range set.Locations {
			if l.Address == o.location || l.ID == o.location {
				c := *l
				return &c, set, nil
			}
		}
	} else {
		set = nil
	}
	if !regexp.MustCompile(`^[A-Za-z0-9]{6,40}$`).MatchString(o.location) {
		return nil, nil, fmt.Errorf("--location %s: no Location with that address in %s, "+
			"and it does not look like a sub-account id", o.location, strings.Join(o.files, ", "))
	}
	return &spec.Location{Address: o.location, ID: o.location}, set, nil
}

// liveAccount is everything read from one sub-account, in manifest terms.
type liveAccount struct {
	settings map[string]any
	lists    map[string][]map[string]any
	envs     []string // environment variables the export reads secrets from
}

func readAll(ctx context.Context, sess *session, loc *spec.Location) (*liveAccount, error) {
	info, ok, err := sess.fleet.Find(ctx, loc)
	if err == nil && !ok {
		err = fmt.Errorf("no sub-account %s", loc.ID)
	}
	if err != nil {
		return nil, err
	}
	loc.ID = info.ID
	acct, err := sess.fleet.Open(loc, info)
	if err != nil {
		return nil, err
	}
	out := &liveAccount{lists: map[string][]map[string]any{}}
	secret := sensitiveNames(loc)
	for _, kind := range append([]string{spec.KindSettings}, spec.ListKinds...) {
		objs, err := listKind(ctx, acct, kind)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			fields := providers.Export(kind, o)
			if kind == spec.KindCustomValues && secret[str(fields["name"])] {
				env := secretEnv(loc.Address, str(fields["name"]))
				fields["value"] = envRef("${env:" + env + "}")
				out.envs = append(out.envs, env)
				fields["sensitive"] = true
			}
			if kind == spec.KindSettings {
				out.settings = fields
				continue
			}
			out.lists[kind] = append(out.lists[kind], fields)
		}
	}
	if name, _ := out.settings["name"].(string); name != "" && loc.Address == loc.ID {
		loc.Address = addressFor(name)
	}
	return out, nil
}

func listKind(ctx context.Context, acct reconcile.Account, kind string) ([]reconcile.Object, error) {
	prov, err := acct.Provider(kind)
	if err != nil {
		return nil, err
	}
	objs, err := prov.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range objs {
		objs[i].Fields = spec.Normalize(kind, objs[i].Fields)
	}
	return objs, nil
}

// addressFor makes a Location address from a sub-account's name.
func addressFor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 63 {
		s = strings.Trim(s[:63], "-")
	}
	if s == "" {
		return "sub-account"
	}
	return s
}

func writeExport(g *globals, o *exportOptions, address string, docs []exportDoc) error {
	if o.out == "" {
		out, err := marshalDocs(docs)
		if err != nil {
			return err
		}
		_, err = g.stdout.Write(out)
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	for _, d := range docs {
		out, err := marshalDocs([]exportDoc{d})
		if err != nil {
			return err
		}
		path := filepath.Join(o.out, d.file)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(g.stderr, "Wrote %s\n", path)
	}
	return nil
}

// envRef is a value written as an environment reference: never a secret,
// and never escaped or substituted.
type envRef string

// sensitiveNames are the custom values the manifests mark sensitive: their
// values are exported as environment references, never in clear.
func sensitiveNames(loc *spec.Location) map[string]bool {
	out := map[string]bool{}
	for _, e := range loc.Lists[spec.KindCustomValues] {
		if e.Sensitive {
			out[e.Name()] = true
		}
	}
	return out
}

// secretEnv names the environment variable an exported secret is read from.
func secretEnv(address, name string) string {
	suffix := strings.ToUpper(strings.ReplaceAll(addressFor(name), "-", "_"))
	return strings.TrimSuffix(tokenEnvFor(address), "_PIT") + "_" + suffix
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
