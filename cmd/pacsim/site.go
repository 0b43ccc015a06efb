package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// siteFlags are the flags that choose the simulated site, shared by every
// command that starts one.
type siteFlags struct {
	file     string
	generate string
	seed     int64
	progress time.Duration
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "site", "", "site file (YAML or JSON, see SITEFILE.md); default: the embedded default site")
	fs.StringVar(&f.generate, "generate", "", "generate a site instead: doors=N,users=M")
	fs.Int64Var(&f.seed, "seed", 1, "seed of --generate: the same seed gives the same site, byte for byte")
	fs.DurationVar(&f.progress, "progress", DefaultProgress, "while a start takes longer than this, print a progress line on stderr this often (0: never)")
}

// load returns the site the flags choose, saying how far a generation is
// on p. A generated site is left unvalidated when forWorld: it goes to
// sim.New at once, which validates it.
func (f *siteFlags) load(p *progress, forWorld bool) (*sim.SiteFile, error) {
	switch {
	case f.progress < 0:
		return nil, flagErrorf("--progress: must not be negative, got %v", f.progress)
	case f.file != "" && f.generate != "":
		return nil, flagErrorf("--site and --generate exclude each other")
	case f.file != "":
		return sim.LoadSiteFile(f.file)
	case f.generate != "":
		o, err := sim.ParseGenerateSpec(f.generate)
		if err != nil {
			return nil, flagErrorf("--generate: %w", err)
		}
		o.Seed, o.Unvalidated = f.seed, forWorld
		return generateSite(o, p)
	default:
		return sim.DefaultSite(), nil
	}
}

func runSite(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf siteFlags
	sf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pacsim site [--site FILE | --generate doors=N,users=M --seed S]\n\nPrints the site file as YAML.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "takes no arguments, got %q", fs.Args())
	}
	p := startProgress(stderr, sf.progress)
	defer p.Stop("site written")
	site, err := sf.load(p, false)
	if err != nil {
		return err
	}
	p.Phase("writing the site file", nil)
	// Streamed: a million card users are 200 MB of YAML.
	out := bufio.NewWriterSize(stdout, 64<<10)
	if err := site.Encode(out); err != nil {
		return err
	}
	return out.Flush()
}

// generateSite generates the site of o, saying on p how many card users
// are made so far.
func generateSite(o sim.GenerateOptions, p *progress) (*sim.SiteFile, error) {
	var made atomic.Int64
	p.Phase("generating the site", func() string {
		return fmt.Sprintf("%s of %s card users", thousands(int(made.Load())), thousands(o.Users))
	})
	return sim.GenerateReporting(o, func(n int) { made.Store(int64(n)) })
}
