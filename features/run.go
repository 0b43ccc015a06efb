package features

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/features/report"
	"github.com/pacsim/pacsim/features/steps"
)

// Options of a conformance run.
type Options struct {
	// Paths are feature files or folders on disk; none runs the embedded
	// suite (FS). A file may name lines, "file.feature:12" or
	// "file.feature:12:30": the scenarios (or example rows) there.
	Paths []string
	// Names are regular expressions: when given, only the scenarios whose
	// name one of them matches run (an outline's rows by their name,
	// placeholders filled in).
	Names []string
	// Tags is a godog tag filter: "@A,@B" either, "@A && @B" both, "~@A"
	// not (an AND of OR-lists; no parentheses).
	// Unless it names @known-issue, known issues are left out.
	Tags string
	// Target is the simulator (zero) or real servers; against a real
	// server @sim-only and @fault scenarios are left out, and so are the
	// scenarios of a head-end it has no real server for (@genetec with
	// only an EntraPass URL, @entrapass with only a Genetec URL).
	Target steps.Target
	// OutDir receives cucumber.json, junit.xml, report.md and report.html;
	// it is created.
	OutDir string
	// Progress receives godog's progress output, a character per step
	// (nil: discarded). Its summary is left out: Result.Report counts.
	Progress io.Writer
	// Concurrency is the number of scenarios run at once (0: GOMAXPROCS,
	// at least 2, against the simulator; 1 against a real server, which
	// every scenario shares).
	Concurrency int
	// StopOnFailure runs no scenario after one failed (those already
	// running finish); the others are reported skipped.
	StopOnFailure bool
	// Context ends the connection check of a real server early (nil:
	// context.Background).
	Context context.Context
}

// Result of a conformance run.
type Result struct {
	// Status is godog's: 0 when every scenario passed.
	Status int
	Report *report.Report
	// Undefined are the steps that match no phrase of the vocabulary.
	Undefined []report.StepRef
	// Files written, in OutDir.
	Files []string
	// Ran counts the scenarios godog ran (the JUnit report's tests);
	// SkippedByStep those of them a step skipped (a site variant against a
	// real server); Stopped those --stop-on-failure left out.
	Ran, SkippedByStep, Stopped int
}

// Failed reports whether a scenario failed or a step is undefined.
func (r *Result) Failed() bool {
	return r.Status != 0 || len(r.Undefined) > 0 || r.Report.ScenariosFailed > 0
}

// NothingRan reports whether no scenario passed or failed: none was
// selected, or every one selected was skipped.
func (r *Result) NothingRan() bool {
	return r.Report.ScenariosPassed+r.Report.ScenariosFailed == 0
}

// TagExpression is the tag expression a run uses: the user's, without the
// known issues unless it names them, without the scenarios a real server
// cannot run. (Run also leaves out the head-end a real-server run has no
// server for: see headEndTags.)
func TagExpression(tags string, target steps.Target) string {
	var parts []string
	if !strings.Contains(tags, "@known-issue") {
		parts = append(parts, "~@known-issue")
	}
	if target.Real() {
		parts = append(parts, "~@sim-only", "~@fault")
	}
	if strings.TrimSpace(tags) != "" {
		parts = append(parts, tags)
	}
	return strings.Join(parts, " && ")
}

// headEndTags leaves out the scenarios of the head-end a run against a real
// server has no server for: they would run against the simulator while the
// report names the real server.
func headEndTags(target steps.Target) string {
	switch {
	case target.EntraPassReal() && !target.Genetec.Real():
		return "~@genetec"
	case target.Genetec.Real() && !target.EntraPassReal():
		return "~@entrapass"
	}
	return ""
}

// runTags is the whole tag expression of a run.
func runTags(o Options) string {
	tags := TagExpression(o.Tags, o.Target)
	if h := headEndTags(o.Target); h != "" {
		tags += " && " + h
	}
	return tags
}

// notOnTarget is why a scenario cannot run on the target, or "".
func notOnTarget(o Options) func(p *pickle) string {
	return func(p *pickle) string {
		has := func(tag string) bool { return slices.Contains(p.Tags, tag) }
		t := o.Target
		switch {
		case has("@known-issue") && !strings.Contains(o.Tags, "@known-issue"):
			return "@known-issue (KNOWN-ISSUES.md)"
		case t.Real() && has("@sim-only"):
			return "@sim-only: drives the simulated hardware, not run against a real server"
		case t.Real() && has("@fault"):
			return "@fault: injects a fault into the simulator, not run against a real server"
		case t.Real() && !t.Genetec.Real() && has("@genetec"):
			return "@genetec: no --genetec-url, not run against a real server"
		case t.Real() && !t.EntraPassReal() && has("@entrapass"):
			return "@entrapass: no --entrapass-url, not run against a real server"
		}
		return ""
	}
}

// selected is the scenarios of a run's feature files, each with why it
// does not run ("" when it runs).
type selected struct {
	files []*featureFile
	why   map[*pickle]string
	tags  string
}

// pickles lists every pickle, in file order.
func (s *selected) pickles() []*pickle {
	var out []*pickle
	for _, ff := range s.files {
		for _, blk := range ff.scens {
			out = append(out, blk.pickles...)
		}
	}
	return out
}

// count is the number of pickles that run.
func (s *selected) count() int {
	n := 0
	for _, p := range s.pickles() {
		if s.why[p] == "" {
			n++
		}
	}
	return n
}

// selectFor parses the run's feature files and selects its scenarios.
// The user's mistakes (a line that names no scenario, a --name that is no
// regexp) are *UsageError.
func selectFor(o Options) (*selected, error) {
	var fsys fs.FS = FS
	paths := []string{"."}
	if len(o.Paths) > 0 {
		fsys, paths = nil, o.Paths
	}
	var names []*regexp.Regexp
	for _, n := range o.Names {
		re, err := regexp.Compile(n)
		if err != nil {
			return nil, &UsageError{fmt.Sprintf("--name %q: %v", n, err)}
		}
		names = append(names, re)
	}
	files, lines, err := load(fsys, paths)
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) {
			return nil, err
		}
		if len(o.Paths) > 0 && errors.Is(err, fs.ErrNotExist) {
			return nil, &UsageError{fmt.Sprintf("--features: %v", err)}
		}
		return nil, err
	}
	s := &selected{files: files, tags: runTags(o)}
	if len(s.pickles()) == 0 {
		return nil, fmt.Errorf("no scenario in %s", strings.Join(paths, ", "))
	}
	s.why, err = selectPickles(files, lines, names, o.Tags, s.tags, notOnTarget(o))
	if err != nil {
		return nil, err
	}
	return s, nil
}

// reportFiles are the names of the reports in OutDir.
var reportFiles = []string{"cucumber.json", "junit.xml", "report.md", "report.html"}

// stopper is --stop-on-failure: once a scenario failed, the scenarios that
// start after it are skipped. (godog's own StopOnFailure leaves those
// without a result, and its cucumber formatter then panics: godog issue
// #387, pull request #717.)
type stopper struct {
	mu      sync.Mutex
	failed  bool
	stopped map[string]bool // uri and name of the scenarios skipped
}

func stopKey(uri, name string) string { return uri + "\x00" + name }

// wrap adds the stop to a scenario initializer.
func (st *stopper) wrap(init func(*godog.ScenarioContext)) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
			st.mu.Lock()
			defer st.mu.Unlock()
			if st.failed {
				st.stopped[stopKey(s.Uri, s.Name)] = true
				return ctx, godog.ErrSkip
			}
			return ctx, nil
		})
		init(sc)
		sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
			if err != nil && !errors.Is(err, godog.ErrSkip) {
				st.mu.Lock()
				st.failed = true
				st.mu.Unlock()
			}
			return ctx, nil
		})
	}
}

// stoppedReason is the reports' word for a scenario --stop-on-failure
// left out.
const stoppedReason = "not run: --stop-on-failure stopped the run at the first failure"

// Run runs the selected scenarios with the step vocabulary against the
// target and writes the reports to OutDir. Against a real server it first
// checks the connection once (CheckTarget). An error means the run could
// not be made (a bad path, a feature file that does not parse, a server
// that cannot be reached, an unwritable folder; *UsageError for a
// selection that names no scenario); failures of scenarios are in the
// Result.
func Run(o Options) (*Result, error) {
	initializer, err := o.Target.Initializer()
	if err != nil {
		return nil, err
	}
	if o.OutDir == "" {
		o.OutDir = "conform-report"
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	sel, err := selectFor(o)
	if err != nil {
		return nil, err
	}
	// The reports of an earlier run would pass for this one's if it
	// cannot be made.
	for _, name := range reportFiles {
		if err := os.Remove(filepath.Join(o.OutDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if o.Target.Real() && sel.count() > 0 {
		if err := CheckTarget(o.Context, o.Target); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return nil, err
	}
	var contents []godog.Feature
	for _, ff := range sel.files {
		contents = append(contents, godog.Feature{Name: ff.uri, Contents: ff.contents(func(p *pickle) bool { return sel.why[p] == "" })})
	}
	cuke := filepath.Join(o.OutDir, "cucumber.json")
	junit := filepath.Join(o.OutDir, "junit.xml")
	conc := o.Concurrency
	switch {
	case conc > 0:
	case o.Target.Real():
		conc = 1 // one server for every scenario: one at a time
	default:
		conc = max(2, runtime.GOMAXPROCS(0))
	}
	progress := o.Progress
	if progress == nil {
		progress = io.Discard
	}
	stop := &stopper{stopped: map[string]bool{}}
	if o.StopOnFailure {
		initializer = stop.wrap(initializer)
	}
	suite := godog.TestSuite{
		Name:                "pacsim",
		ScenarioInitializer: initializer,
		Options: &godog.Options{
			Format:   progressFormat + ",cucumber:" + cuke + ",junit:" + junit,
			Output:   progress,
			NoColors: true,
			// The selection (tags, lines, names) is made: the files hold
			// only the scenarios that run.
			FeatureContents: contents,
			Strict:          true,
			Concurrency:     conc,
		},
	}
	status := suite.Run()
	if status == 2 {
		return nil, errors.New("godog refused its options (see above)")
	}
	if err := fixJUnit(junit); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(cuke)
	if err != nil {
		return nil, err
	}
	ran, err := report.ParseCucumber(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	res := &Result{Status: status, Ran: len(ran)}
	seen := map[report.StepRef]bool{} // an outline's step once, not per row
	for i, s := range ran {
		done[s.Key()] = true
		for _, u := range s.Undefined {
			if !seen[u] {
				seen[u] = true
				res.Undefined = append(res.Undefined, u)
			}
		}
		if s.Status == report.Skipped {
			if stop.stopped[stopKey(s.URI, s.Name)] {
				ran[i].Error = stoppedReason
				res.Stopped++
			} else {
				res.SkippedByStep++
			}
		}
	}
	var notRun []report.Scenario
	for _, p := range sel.pickles() {
		if done[p.Key()] {
			continue
		}
		s := p.Scenario
		s.Error = sel.why[p]
		if s.Error == "" {
			s.Error = "not run" // selected, yet godog did not report it
		}
		s.Status = report.Skipped
		notRun = append(notRun, s)
	}
	rep := report.Build(report.ParseCatalogue(Catalogue), ran, notRun)
	rep.Target, rep.Tags = o.Target.String(), sel.tags
	res.Report = rep
	var md, page bytes.Buffer
	if err := rep.Markdown(&md); err != nil {
		return nil, err
	}
	if err := rep.HTML(&page); err != nil {
		return nil, err
	}
	for name, data := range map[string][]byte{"report.md": md.Bytes(), "report.html": page.Bytes()} {
		if err := os.WriteFile(filepath.Join(o.OutDir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	res.Files = []string{cuke, junit, filepath.Join(o.OutDir, "report.md"), filepath.Join(o.OutDir, "report.html")}
	return res, nil
}

// Pickles parses the feature files under paths (in fsys, or on disk when
// fsys is nil) into their scenarios, one per example row of an outline,
// keyed as godog's cucumber JSON keys them (file and line), all unrun.
func Pickles(fsys fs.FS, paths []string) ([]report.Scenario, error) {
	files, _, err := load(fsys, paths)
	if err != nil {
		return nil, err
	}
	var out []report.Scenario
	for _, ff := range files {
		for _, blk := range ff.scens {
			for _, p := range blk.pickles {
				out = append(out, p.Scenario)
			}
		}
	}
	return out, nil
}

var keyword = regexp.MustCompile(`^(Given|When|Then|And|But|\*) `)

// Nearest returns the n phrases of the vocabulary nearest to a step's
// text: by edit distance over words to the step's example (its values
// included) and to its phrase, whichever is nearer.
func Nearest(text string, n int) []steps.StepDoc {
	type scored struct {
		d     steps.StepDoc
		score float64
	}
	words := tokens(text)
	var all []scored
	for _, d := range steps.Steps() {
		ex := keyword.ReplaceAllString(strings.SplitN(d.Example, "\n", 2)[0], "")
		s := min(distance(words, tokens(ex)), distance(words, tokens(d.Phrase())))
		all = append(all, scored{d, s})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score < all[j].score })
	var out []steps.StepDoc
	for i := 0; i < n && i < len(all); i++ {
		out = append(out, all[i].d)
	}
	return out
}

var word = regexp.MustCompile(`"[^"]*"|[\p{L}\p{N}@:/-]+`)

// tokens are the lower-case words of s, a quoted value as one word "…".
func tokens(s string) []string {
	var out []string
	for _, t := range word.FindAllString(strings.ToLower(s), -1) {
		if strings.HasPrefix(t, `"`) {
			t = `"…"`
		}
		out = append(out, t)
	}
	return out
}

// distance is the word-level Levenshtein distance of a and b over their
// longer length, a substitution of close words (one letter off) costing half.
func distance(a, b []string) float64 {
	prev := make([]float64, len(b)+1)
	cur := make([]float64, len(b)+1)
	for j := 1; j <= len(b); j++ {
		prev[j] = prev[j-1] + weight(b[j-1])
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = prev[0] + weight(a[i-1])
		for j := 1; j <= len(b); j++ {
			sub := 1.0
			switch {
			case a[i-1] == b[j-1]:
				sub = 0
			case near(a[i-1], b[j-1]):
				sub = 0.5
			}
			cur[j] = min(prev[j]+weight(a[i-1]), cur[j-1]+weight(b[j-1]), prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] / float64(max(len(a), len(b), 1))
}

// small words cost less to add or leave out than the words that matter.
var small = map[string]bool{"the": true, "a": true, "an": true, "is": true, "are": true, "of": true, "to": true, "at": true, "with": true, "and": true, "has": true, "be": true}

func weight(w string) float64 {
	if small[w] {
		return 0.3
	}
	return 1
}

// near: the words share a stem (their first four letters and more than
// half of the shorter) or differ by one letter.
func near(a, b string) bool {
	if strings.TrimSuffix(a, "s") == strings.TrimSuffix(b, "s") {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	if p >= 4 && 2*p > min(len(ra), len(rb)) {
		return true
	}
	if len(ra) < 4 || len(rb) < 4 || abs(len(ra)-len(rb)) > 1 {
		return false
	}
	// one edit apart
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	switch {
	case len(ra) == len(rb):
		return string(ra[i+1:]) == string(rb[i+1:])
	case len(ra) > len(rb):
		return string(ra[i+1:]) == string(rb[i:])
	default:
		return string(ra[i:]) == string(rb[i+1:])
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// UndefinedMessage is what a run says about an undefined step: where it
// is, and the nearest phrases of the vocabulary with their examples.
func UndefinedMessage(u report.StepRef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: undefined step \"%s\"\n", u.URI, u.Line, u.Text)
	b.WriteString("  the nearest phrases of the step vocabulary (pacsim conform --steps lists them all):\n")
	for _, d := range Nearest(u.Text, 3) {
		ex := keyword.ReplaceAllString(strings.SplitN(d.Example, "\n", 2)[0], "")
		fmt.Fprintf(&b, "    %s\n        e.g. %s\n", d.Phrase(), ex)
	}
	return b.String()
}
