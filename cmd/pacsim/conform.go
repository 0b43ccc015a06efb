package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/report"
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

// conformUsageError is a usage mistake of `pacsim conform`: its one line
// (which names the flag and the value), and errUsage, for exit status 2.
type conformUsageError struct{ msg string }

func (e *conformUsageError) Error() string { return e.msg }

// Unwrap makes errors.Is(err, errUsage) hold.
func (e *conformUsageError) Unwrap() error { return errUsage }

// runConform is `pacsim conform`: the conformance suite (or the user's own
// feature files) against the simulator or a real EntraPass server or
// Genetec Security Center, with its reports. A usage error wraps errUsage
// (exit 2); a failed scenario, an undefined step, a run in which no
// scenario ran or a server that cannot be reached is another error (exit 1).
func runConform(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim conform", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		paths    pathList
		names    pathList
		target   steps.Target
		tags     string
		out      string
		stepsRef bool
		dryRun   bool
		stop     bool
		conc     int
		printRep string
	)
	fs.Var(&paths, "features", "a .feature file or a folder of them to run instead of the built-in suite (repeatable); FILE:LINE runs the scenario (or example row) at that line, FILE:L1:L2 both")
	fs.Var(&names, "name", "run only the scenarios whose name matches this regular expression (repeatable: any of them); an outline's rows by their name, placeholders filled in")
	fs.StringVar(&target.URL, "entrapass-url", "", "a real EntraPass SmartService, e.g. http://10.0.0.5:8801 (no port: 8080, the document's; default: each scenario runs against its own simulated site); @sim-only and @fault scenarios are skipped")
	fs.StringVar(&target.Username, "username", "", "EntraPass operator for --entrapass-url")
	fs.StringVar(&target.Password, "password", "", "the operator's password for --entrapass-url (default: $"+passwordEnv+")")
	fs.BoolVar(&target.InsecureSkipVerify, "entrapass-insecure", false, "accept any certificate of an https --entrapass-url")
	fs.StringVar(&target.Genetec.URL, "genetec-url", "", "a real Genetec Security Center's Web SDK, e.g. https://sc.example.com:4590/WebSdk/: the visitor connector's provider points at it (default: each scenario runs against its own simulated one); @sim-only, @fault and site-variant scenarios are skipped")
	fs.StringVar(&target.Genetec.Username, "genetec-user", "", "Security Center user for --genetec-url (its password from $"+genetecPasswordEnv+")")
	fs.StringVar(&target.Genetec.AppID, "genetec-app-id", "", "SDK application ID for --genetec-url, licensed with part GSC-1SDK-TRACTIONGUEST-VM (default pacsim-visitors)")
	fs.BoolVar(&target.Genetec.Insecure, "genetec-insecure", false, "accept any certificate of an https --genetec-url (the role's self-signed one)")
	fs.StringVar(&tags, "tags", "", "run only the scenarios these tags select: '@A,@B' either, '@A && @B' both, '~@A' not; e.g. '@EP-DOOR-C-PASS,@EP-DOOR-C-LOCK && ~@fault' (@known-issue scenarios are skipped unless it names them)")
	fs.StringVar(&out, "out", "conform-report", "folder for cucumber.json, junit.xml, report.md and report.html (created; the reports of an earlier run are removed first)")
	fs.StringVar(&printRep, "print", "", "also print one report on stdout once the run is over: junit, cucumber, md or html (the progress and the summary then go to stderr, so stdout is the report alone; a --dry-run prints none); --out still receives all four")
	fs.BoolVar(&stepsRef, "steps", false, "print the step reference (every phrase a scenario may use, with an example) and exit")
	fs.BoolVar(&dryRun, "dry-run", false, "run nothing: parse the selected scenarios and report their undefined steps (no server contacted, no report written)")
	fs.BoolVar(&stop, "stop-on-failure", false, "start no scenario after one failed (those running finish); the rest are reported skipped")
	fs.IntVar(&conc, "concurrency", 0, "scenarios run at once (default: the number of CPUs, at least 2; 1 against --entrapass-url or --genetec-url)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: pacsim conform [--features PATH[:LINE]]... [--name REGEX]... [--tags EXPR]
                      [--entrapass-url URL --username U --password W]
                      [--genetec-url URL --genetec-user U [--genetec-app-id ID]]
                      [--out DIR] [--print junit|cucumber|md|html]
                      [--dry-run] [--stop-on-failure]
       pacsim conform --steps

Runs the conformance scenarios (the built-in suite, or your own .feature files
with --features) against the simulator or a real EntraPass server or Genetec
Security Center (its user's password in $`+genetecPasswordEnv+`) and writes
DIR/cucumber.json, DIR/junit.xml, DIR/report.md and DIR/report.html.
With --print junit the JUnit report is also printed on stdout after the
run, and the progress and summary go to stderr (where a file system is
thrown away with the run, as a Kubernetes Job's is, the log keeps it).
A real server is checked once (a login, Test Connection) before any scenario.
Exit status: 0 every scenario that ran passed; 1 a scenario failed, a step is
undefined, no scenario ran (none selected, or every one skipped) or a server
cannot be reached; 2 usage error.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage // the flag package has printed the error, then the usage
	}
	usageErr := func(format string, a ...any) error {
		return &conformUsageError{"conform: " + fmt.Sprintf(format, a...)}
	}
	if fs.NArg() > 0 {
		return usageErr("takes no arguments, got %q (feature files go with --features)", fs.Args())
	}
	printFile, ok := printReports[printRep]
	switch {
	case printRep != "" && !ok:
		return usageErr("--print %q: junit, cucumber, md or html", printRep)
	case printRep != "" && stepsRef:
		return usageErr("--print and --steps exclude each other (--steps prints the step reference)")
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
		if _, err := os.Stat(features.PathOf(p)); err != nil {
			if _, err2 := os.Stat(p); err2 != nil {
				return usageErr("--features %s: %v", p, err)
			}
		}
	}
	if err := checkTags(tags); err != nil {
		return usageErr("%v", err)
	}
	if conc < 0 {
		return usageErr("--concurrency: %d is negative", conc)
	}
	// With --print, stdout carries the report alone: what a person reads
	// goes to stderr.
	human := stdout
	if printRep != "" {
		human = stderr
	}
	opts := features.Options{
		Paths:         paths,
		Names:         names,
		Tags:          tags,
		Target:        target,
		OutDir:        out,
		Progress:      human,
		Concurrency:   conc,
		StopOnFailure: stop,
		Context:       ctx,
	}
	runErr := func(err error) error {
		var ue *features.UsageError
		if errors.As(err, &ue) {
			return usageErr("%s", ue.Msg)
		}
		return fmt.Errorf("conform: %w", err)
	}
	if dryRun {
		res, err := features.DryRun(opts)
		if err != nil {
			return runErr(err)
		}
		// A dry run writes no report: with --print, stdout stays empty.
		return dryRunSummary(res, human, stderr)
	}
	res, err := features.Run(opts)
	if err != nil {
		return runErr(err)
	}
	for _, u := range res.Undefined {
		fmt.Fprint(stderr, features.UndefinedMessage(u))
	}
	r := res.Report
	if fails := r.Failures(); len(fails) > 0 {
		fmt.Fprintln(human, "\nfailures:")
		for _, s := range fails {
			fmt.Fprintf(human, "  %s %s\n      %s\n", s.Key(), s.Name, s.Error)
		}
	}
	fmt.Fprintf(human, "\npacsim conform against %s (tags %s)\n", r.Target, r.Tags)
	fmt.Fprintf(human, "scenarios: %d passed, %d failed, %d skipped\n", r.ScenariosPassed, r.ScenariosFailed, r.ScenariosSkipped)
	ran := fmt.Sprintf("ran: %d (%d passed, %d failed", res.Ran, r.ScenariosPassed, r.ScenariosFailed)
	if res.SkippedByStep > 0 {
		ran += fmt.Sprintf(", %d skipped by their first step", res.SkippedByStep)
	}
	if res.Stopped > 0 {
		ran += fmt.Sprintf(", %d skipped after the first failure (--stop-on-failure)", res.Stopped)
	}
	fmt.Fprintln(human, ran+")")
	fmt.Fprintf(human, "requirements: %d passed, %d failed, %d skipped, %d untested\n", r.Passed, r.Failed, r.Skipped, r.Untested)
	fmt.Fprintf(human, "reports: %s\n", strings.Join(res.Files, ", "))
	// The report comes last, after the summary, so that in a log that
	// mixes stdout and stderr (kubectl logs) it is one block at the end.
	if printRep != "" {
		if err := copyReport(stdout, res.Files, printFile); err != nil {
			return fmt.Errorf("conform: --print %s: %w", printRep, err)
		}
	}
	switch {
	case res.Failed():
		switch {
		case len(res.Undefined) > 0:
			return fmt.Errorf("conform: %d undefined step(s), %d scenario(s) failed", len(res.Undefined), r.ScenariosFailed)
		case r.ScenariosFailed > 0:
			return fmt.Errorf("conform: %d scenario(s) failed", r.ScenariosFailed)
		default:
			return fmt.Errorf("conform: the run failed (godog status %d)", res.Status)
		}
	case res.NothingRan():
		return fmt.Errorf("conform: no scenario ran: of %d, %s", len(r.Scenarios), reasons(r.SkipReasons()))
	}
	return nil
}

// printReports maps each value of --print to the name of its report in
// --out.
var printReports = map[string]string{
	"junit":    "junit.xml",
	"cucumber": "cucumber.json",
	"md":       "report.md",
	"html":     "report.html",
}

// copyReport writes the report named name, one of files, to w.
func copyReport(w io.Writer, files []string, name string) error {
	for _, f := range files {
		if filepath.Base(f) != name {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return fmt.Errorf("%s was not written", name)
}

// reasons lists why scenarios did not run: "3 not selected by --tags; 2
// @sim-only: …".
func reasons(rs []report.Reason) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%d %s", r.Count, r.Why))
	}
	return strings.Join(parts, "; ")
}

// dryRunSummary prints what a dry run found: the undefined steps (on
// stderr, each with the nearest phrases) and one line of counts.
func dryRunSummary(res *features.DryResult, stdout, stderr io.Writer) error {
	for _, u := range res.Undefined {
		fmt.Fprint(stderr, features.UndefinedMessage(u))
	}
	verdict := "every step defined"
	if len(res.Undefined) > 0 {
		verdict = fmt.Sprintf("%d undefined", len(res.Undefined))
	}
	fmt.Fprintf(stdout, "dry run: %d scenarios, %d steps, %s\n", res.Scenarios, res.Steps, verdict)
	switch {
	case res.Scenarios == 0:
		return fmt.Errorf("conform: no scenario selected: %s", reasons(res.NotSelected))
	case len(res.Undefined) > 0:
		return fmt.Errorf("conform: %d undefined step(s)", len(res.Undefined))
	}
	return nil
}

// checkTags refuses what godog's tag filter does not read: ||, !,
// parentheses, and an empty tag ("@A,", "@A && ").
func checkTags(tags string) error {
	if strings.TrimSpace(tags) == "" {
		return nil
	}
	if strings.ContainsAny(tags, "|()!") {
		return fmt.Errorf("--tags %q: write '@A,@B' for either, '@A && @B' for both, '~@A' for not (no ||, ! or parentheses)", tags)
	}
	for _, and := range strings.Split(tags, "&&") {
		for _, tag := range strings.Split(and, ",") {
			t := strings.TrimPrefix(strings.TrimSpace(tag), "~")
			if strings.Trim(t, "@") == "" {
				return fmt.Errorf("--tags %q: an empty tag (a stray ',' or '&&')", tags)
			}
			if strings.ContainsAny(strings.TrimSpace(tag), " \t") {
				return fmt.Errorf("--tags %q: %q is not one tag (separate tags with ',' or '&&')", tags, strings.TrimSpace(tag))
			}
		}
	}
	return nil
}
