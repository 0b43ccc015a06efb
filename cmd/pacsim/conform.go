package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

// pathList is a repeatable flag.
type pathList []string

func (p *pathList) String() string { return strings.Join(*p, ",") }

func (p *pathList) Set(s string) error {
	if s == "" {
		return errors.New("empty path")
	}
	*p = append(*p, s)
	return nil
}

// genetecPasswordEnv holds the Security Center user's password for
// `pacsim conform --genetec-url` (never a flag: it would show in ps).
const genetecPasswordEnv = "PACSIM_GENETEC_PASSWORD"

// runConform is `pacsim conform`: the conformance suite (or the user's own
// feature files) against the simulator or a real EntraPass server or
// Genetec Security Center, with its reports. It returns errUsage for a usage error (exit 2) and an
// error when a scenario failed or a step is undefined (exit 1).
func runConform(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim conform", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		paths    pathList
		target   steps.Target
		tags     string
		out      string
		stepsRef bool
		conc     int
	)
	fs.Var(&paths, "features", "a .feature file or a folder of them to run instead of the built-in suite (repeatable)")
	fs.StringVar(&target.URL, "entrapass-url", "", "a real EntraPass SmartService, e.g. http://10.0.0.5:8080 (default: each scenario runs against its own simulated site); @sim-only and @fault scenarios are skipped")
	fs.StringVar(&target.Username, "username", "", "EntraPass operator for --entrapass-url")
	fs.StringVar(&target.Password, "password", "", "the operator's password for --entrapass-url (default: $"+passwordEnv+")")
	fs.BoolVar(&target.InsecureSkipVerify, "entrapass-insecure", false, "accept any certificate of an https --entrapass-url")
	fs.StringVar(&target.Genetec.URL, "genetec-url", "", "a real Genetec Security Center's Web SDK, e.g. https://sc.example.com:4590/WebSdk/: the visitor connector's provider points at it (default: each scenario runs against its own simulated one); @sim-only, @fault and site-variant scenarios are skipped")
	fs.StringVar(&target.Genetec.Username, "genetec-user", "", "Security Center user for --genetec-url (its password from $"+genetecPasswordEnv+")")
	fs.StringVar(&target.Genetec.AppID, "genetec-app-id", "", "SDK application ID for --genetec-url, licensed with part GSC-1SDK-TRACTIONGUEST-VM (default pacsim-visitors)")
	fs.BoolVar(&target.Genetec.Insecure, "genetec-insecure", false, "accept any certificate of an https --genetec-url (the role's self-signed one)")
	fs.StringVar(&tags, "tags", "", "run only the scenarios these tags select: '@A,@B' either, '@A && @B' both, '~@A' not; e.g. '@EP-DOOR-C-PASS,@EP-DOOR-C-LOCK && ~@fault' (@known-issue scenarios are skipped unless it names them)")
	fs.StringVar(&out, "out", "conform-report", "folder for cucumber.json, junit.xml, report.md and report.html (created)")
	fs.BoolVar(&stepsRef, "steps", false, "print the step reference (every phrase a scenario may use, with an example) and exit")
	fs.IntVar(&conc, "concurrency", 0, "scenarios run at once (default: the number of CPUs, at least 2; 1 against --entrapass-url or --genetec-url)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: pacsim conform [--features PATH]... [--entrapass-url URL --username U --password W]
                      [--genetec-url URL --genetec-user U [--genetec-app-id ID]] [--tags EXPR] [--out DIR]
       pacsim conform --steps

Runs the conformance scenarios (the built-in suite, or your own .feature files
with --features) against the simulator or a real EntraPass server or Genetec
Security Center (its user's password in $`+genetecPasswordEnv+`) and writes
DIR/cucumber.json, DIR/junit.xml, DIR/report.md and DIR/report.html.
Exit status: 0 every scenario passed, 1 a scenario failed or a step is
undefined, 2 usage error.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	usageErr := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "pacsim conform: "+format+"\n", a...)
		return errUsage
	}
	if fs.NArg() > 0 {
		return usageErr("takes no arguments, got %q (feature files go with --features)", fs.Args())
	}
	if stepsRef {
		fmt.Fprint(stdout, features.StepReference())
		return nil
	}
	if target.EntraPassReal() && target.Password == "" {
		target.Password = os.Getenv(passwordEnv)
	}
	if target.Genetec.Real() {
		target.Genetec.Password = os.Getenv(genetecPasswordEnv)
	}
	if err := target.Validate(); err != nil {
		return usageErr("%v", err)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageErr("--features: %v", err)
		}
	}
	if strings.ContainsAny(tags, "|()!") {
		return usageErr("--tags %q: write '@A,@B' for either, '@A && @B' for both, '~@A' for not (no ||, ! or parentheses)", tags)
	}
	if conc < 0 {
		return usageErr("--concurrency: %d is negative", conc)
	}
	res, err := features.Run(features.Options{
		Paths:       paths,
		Tags:        tags,
		Target:      target,
		OutDir:      out,
		Progress:    stdout,
		Concurrency: conc,
	})
	if err != nil {
		return err
	}
	for _, u := range res.Undefined {
		fmt.Fprint(stderr, features.UndefinedMessage(u))
	}
	r := res.Report
	fmt.Fprintf(stdout, "\npacsim conform against %s (tags %s)\n", r.Target, r.Tags)
	fmt.Fprintf(stdout, "scenarios: %d passed, %d failed, %d skipped\n", r.ScenariosPassed, r.ScenariosFailed, r.ScenariosSkipped)
	fmt.Fprintf(stdout, "requirements: %d passed, %d failed, %d skipped, %d untested\n", r.Passed, r.Failed, r.Skipped, r.Untested)
	fmt.Fprintf(stdout, "reports: %s\n", strings.Join(res.Files, ", "))
	if res.Failed() {
		switch {
		case len(res.Undefined) > 0:
			return fmt.Errorf("conform: %d undefined step(s), %d scenario(s) failed", len(res.Undefined), r.ScenariosFailed)
		case r.ScenariosFailed > 0:
			return fmt.Errorf("conform: %d scenario(s) failed", r.ScenariosFailed)
		default:
			return fmt.Errorf("conform: the run failed (godog status %d)", res.Status)
		}
	}
	return nil
}
