package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/sandbox"
	"github.com/northwind/ghlctl/spec"
)

// envTokens reads tokens from the environment variables the manifests name,
// or names the gateway connections that hold them.
type envTokens struct {
	set     *spec.Set
	gateway bool
}

func (t envTokens) Agency() (highlevel.Credential, bool, error) {
	if t.set == nil || t.set.Agency == nil {
		return highlevel.Credential{}, false, nil
	}
	c, err := credential(t.set.Agency.Credentials, highlevel.Agency, "the Agency document", t.gateway)
	return c, err == nil, err
}

func (t envTokens) Location(loc *spec.Location, id string) (highlevel.Credential, error) {
	return credential(loc.Credentials, highlevel.SubAccount, "the Location", t.gateway)
}

func credential(c spec.Credentials, class highlevel.Class, owner string,
	gateway bool) (highlevel.Credential, error) {
	switch {
	case c.MatonConnection != "":
		if !gateway {
			return highlevel.Credential{},
				fmt.Errorf("%s names a gateway connection: use --gateway maton", owner)
		}
		return highlevel.Credential{Class: class, Connection: c.MatonConnection,
			Source: "connection " + c.MatonConnection}, nil
	case c.TokenEnv != "":
		v := strings.TrimSpace(os.Getenv(c.TokenEnv))
		if v == "" {
			return highlevel.Credential{}, fmt.Errorf("environment variable %s (the %s of %s) is not set",
				c.TokenEnv, class, owner)
		}
		secrets.add(v)
		return highlevel.Credential{Class: class, Secret: v, Source: "env " + c.TokenEnv}, nil
	}
	return highlevel.Credential{}, fmt.Errorf("%s has no credentials: set spec.credentials.tokenEnv", owner)
}

// sandboxTokens are the built-in sandbox's own tokens. A sub-account
// created during the run gets its token then, so a miss reads them again.
type sandboxTokens struct {
	mu      sync.Mutex
	tk      sandbox.Tokens
	refresh func() (sandbox.Tokens, error)
}

func (t *sandboxTokens) Agency() (highlevel.Credential, bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	cred := highlevel.Credential{Class: highlevel.Agency, Secret: t.tk.AgencyToken, Source: "sandbox"}
	return cred, true, nil
}

func (t *sandboxTokens) Location(loc *spec.Location, id string) (highlevel.Credential, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for try := 0; try < 2; try++ {
		for _, l := range t.tk.Locations {
			if l.ID == id {
				return highlevel.Credential{
					Class: highlevel.SubAccount, Secret: l.Token, Source: "sandbox",
				}, nil
			}
		}
		if try == 0 && t.refresh != nil {
			tk, err := t.refresh()
			if err != nil {
				return highlevel.Credential{}, err
			}
			t.tk = tk
		}
	}
	return highlevel.Credential{},
		fmt.Errorf("location %s: the sandbox has no sub-account %s", loc.Address, id)
}

// remoteSandboxTokens asks a sandbox served by another process for its tokens.
func remoteSandboxTokens(ctx context.Context, endpoint string) (sandbox.Tokens, error) {
	var tk sandbox.Tokens
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimRight(endpoint, "/")+"/_sandbox/tokens", nil)
	if err != nil {
		return tk, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return tk, fmt.Errorf("sandbox at %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return tk, fmt.Errorf("sandbox at %s: tokens: %s", endpoint, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tk); err != nil {
		return tk, fmt.Errorf("sandbox at %s: tokens: %w", endpoint, err)
	}
	secrets.addTokens(tk)
	return tk, nil
}

// secretSet is every secret this process has seen, so that no message can
// carry one out, whatever went wrong.
type secretSet struct {
	mu   sync.Mutex
	list []string
}

var secrets secretSet

func (s *secretSet) add(v string) {
	if len(v) < 4 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, v)
}

func (s *secretSet) addTokens(tk sandbox.Tokens) {
	s.add(tk.AgencyToken)
	for _, l := range tk.Locations {
		s.add(l.Token)
	}
}

// scrub replaces every known secret in msg.
func scrub(msg string) string {
	secrets.mu.Lock()
	defer secrets.mu.Unlock()
	for _, v := range secrets.list {
		msg = strings.ReplaceAll(msg, v, "(redacted)")
	}
	return msg
}
