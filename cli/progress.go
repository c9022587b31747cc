package cli

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress returns a callback that shows how far a phase has come: a bar on
// a terminal, else a line every few seconds, always on stderr so that stdout
// stays clean for -o json.
func (g *globals) progress(phase string, total int) func(done, total int) {
	if total < 2 {
		return nil
	}
	if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(g.stderr),
			progressbar.OptionSetDescription(phase), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetElapsedTime(false))
		return func(done, _ int) { _ = bar.Set(done) }
	}
	var mu sync.Mutex
	last := time.Now()
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) >= 3*time.Second || done == total && time.Since(last) > time.Second {
			last = time.Now()
			fmt.Fprintf(g.stderr, "%s: %d of %d sub-accounts\n", phase, done, total)
		}
	}
}
