package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/pacsim/pacsim/sim"
)

// siteFlags are the flags that choose the simulated site, shared by every
// command that starts one.
type siteFlags struct {
	file     string
	generate string
	seed     int64
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "site", "", "site file (YAML or JSON, see SITEFILE.md); default: the embedded default site")
	fs.StringVar(&f.generate, "generate", "", "generate a site instead: doors=N,users=M")
	fs.Int64Var(&f.seed, "seed", 1, "seed of --generate: the same seed gives the same site, byte for byte")
}

// load returns the site the flags choose.
func (f *siteFlags) load() (*sim.SiteFile, error) {
	switch {
	case f.file != "" && f.generate != "":
		return nil, flagErrorf("--site and --generate exclude each other")
	case f.file != "":
		return sim.LoadSiteFile(f.file)
	case f.generate != "":
		o, err := sim.ParseGenerateSpec(f.generate)
		if err != nil {
			return nil, flagErrorf("--generate: %w", err)
		}
		o.Seed = f.seed
		return sim.Generate(o)
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
	site, err := sf.load()
	if err != nil {
		return err
	}
	b, err := site.Marshal()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
