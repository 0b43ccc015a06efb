package features

import (
	"bytes"
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

	gherkin "github.com/cucumber/gherkin/go/v26"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/pacsim/pacsim/features/report"
	"github.com/pacsim/pacsim/features/steps"
)

// Options of a conformance run.
type Options struct {
	// Paths are feature files or folders on disk; none runs the embedded
	// suite (FS).
	Paths []string
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
	// Progress receives godog's progress output (nil: discarded).
	Progress io.Writer
	// Concurrency is the number of scenarios run at once (0: GOMAXPROCS,
	// at least 2, against the simulator; 1 against a real server, which
	// every scenario shares).
	Concurrency int
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
}

// Failed reports whether a scenario failed or a step is undefined.
func (r *Result) Failed() bool {
	return r.Status != 0 || len(r.Undefined) > 0 || r.Report.ScenariosFailed > 0
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

// Run runs the scenarios with the step vocabulary against the target and
// writes the reports to OutDir. An error means the run could not be made
// (a bad path, a feature file that does not parse, an unwritable folder);
// failures of scenarios are in the Result.
func Run(o Options) (*Result, error) {
	initializer, err := o.Target.Initializer()
	if err != nil {
		return nil, err
	}
	if o.OutDir == "" {
		o.OutDir = "conform-report"
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return nil, err
	}
	var fsys fs.FS = FS
	paths := []string{"."}
	if len(o.Paths) > 0 {
		fsys, paths = nil, o.Paths
		for _, p := range paths {
			if _, err := os.Stat(p); err != nil {
				return nil, fmt.Errorf("--features: %w", err)
			}
		}
	}
	all, err := Pickles(fsys, paths)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no scenario in %s", strings.Join(paths, ", "))
	}
	tags := TagExpression(o.Tags, o.Target)
	if h := headEndTags(o.Target); h != "" {
		tags += " && " + h
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
	var progress io.Writer = io.Discard
	if o.Progress != nil {
		ns := &noSnippets{w: o.Progress}
		defer ns.flush()
		progress = ns
	}
	suite := godog.TestSuite{
		Name:                "pacsim",
		ScenarioInitializer: initializer,
		Options: &godog.Options{
			Format:      "progress,cucumber:" + cuke + ",junit:" + junit,
			Output:      progress,
			NoColors:    true,
			Paths:       paths,
			FS:          fsys,
			Strict:      true,
			Tags:        tags,
			Concurrency: conc,
		},
	}
	status := suite.Run()
	if ns, ok := progress.(*noSnippets); ok {
		ns.flush()
	}
	if status == 2 {
		return nil, errors.New("godog refused its options (see above)")
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
	res := &Result{Status: status}
	seen := map[report.StepRef]bool{} // an outline's step once, not per row
	for _, s := range ran {
		done[s.Key()] = true
		for _, u := range s.Undefined {
			if !seen[u] {
				seen[u] = true
				res.Undefined = append(res.Undefined, u)
			}
		}
	}
	var notRun []report.Scenario
	for _, s := range all {
		if done[s.Key()] {
			continue
		}
		switch {
		case slices.Contains(s.Tags, "@known-issue") && !strings.Contains(o.Tags, "@known-issue"):
			s.Error = "@known-issue (KNOWN-ISSUES.md)"
		case o.Target.Real() && slices.Contains(s.Tags, "@sim-only"):
			s.Error = "@sim-only: drives the simulated hardware, not run against a real server"
		case o.Target.Real() && slices.Contains(s.Tags, "@fault"):
			s.Error = "@fault: injects a fault into the simulator, not run against a real server"
		case o.Target.Real() && !o.Target.Genetec.Real() && slices.Contains(s.Tags, "@genetec"):
			s.Error = "@genetec: no --genetec-url, not run against a real server"
		case o.Target.Real() && !o.Target.EntraPassReal() && slices.Contains(s.Tags, "@entrapass"):
			s.Error = "@entrapass: no --entrapass-url, not run against a real server"
		default:
			s.Error = "not selected by --tags"
		}
		s.Status = report.Skipped
		notRun = append(notRun, s)
	}
	rep := report.Build(report.ParseCatalogue(Catalogue), ran, notRun)
	rep.Target, rep.Tags = o.Target.String(), tags
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

// snippetsMark starts godog's Go snippets for undefined steps, which QA
// does not need: Run names the nearest phrases of the vocabulary instead.
var snippetsMark = []byte("You can implement step definitions for undefined steps")

// noSnippets passes godog's output on up to its Go snippets. godog writes
// its uncoloured output rune by rune, so a prefix of the mark is held back
// until it is known not to be the mark.
type noSnippets struct {
	w       io.Writer
	pending []byte
	drop    bool
}

func (n *noSnippets) Write(p []byte) (int, error) {
	for _, c := range p {
		if n.drop {
			break
		}
		n.pending = append(n.pending, c)
		for len(n.pending) > 0 && !bytes.HasPrefix(snippetsMark, n.pending) {
			if _, err := n.w.Write(n.pending[:1]); err != nil {
				return 0, err
			}
			n.pending = n.pending[1:]
		}
		if len(n.pending) == len(snippetsMark) {
			n.drop, n.pending = true, nil
		}
	}
	return len(p), nil
}

// flush writes what is held back.
func (n *noSnippets) flush() {
	if !n.drop && len(n.pending) > 0 {
		_, _ = n.w.Write(n.pending)
	}
	n.pending = nil
}

// Pickles parses the feature files under paths (in fsys, or on disk when
// fsys is nil) into their scenarios, one per example row of an outline,
// keyed as godog's cucumber JSON keys them (file and line), all unrun.
func Pickles(fsys fs.FS, paths []string) ([]report.Scenario, error) {
	var files []string
	for _, p := range paths {
		var fi fs.FileInfo
		var err error
		if fsys == nil {
			fi, err = os.Stat(p)
		} else {
			fi, err = fs.Stat(fsys, p)
		}
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		walk := func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".feature") {
				files = append(files, path)
			}
			return nil
		}
		if fsys == nil {
			err = filepath.WalkDir(p, walk)
		} else {
			err = fs.WalkDir(fsys, p, walk)
		}
		if err != nil {
			return nil, err
		}
	}
	var out []report.Scenario
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] {
			continue
		}
		seen[f] = true
		var b []byte
		var err error
		if fsys == nil {
			b, err = os.ReadFile(f)
		} else {
			b, err = fs.ReadFile(fsys, f)
		}
		if err != nil {
			return nil, err
		}
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(b), (&messages.Incrementing{}).NewId)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		lines := map[string]int{} // scenario and example row ids → line
		scen := func(s *messages.Scenario) {
			lines[s.Id] = int(s.Location.Line)
			for _, ex := range s.Examples {
				for _, row := range ex.TableBody {
					lines[row.Id] = int(row.Location.Line)
				}
			}
		}
		if doc.Feature != nil {
			for _, c := range doc.Feature.Children {
				if c.Scenario != nil {
					scen(c.Scenario)
				}
				if c.Rule != nil {
					for _, rc := range c.Rule.Children {
						if rc.Scenario != nil {
							scen(rc.Scenario)
						}
					}
				}
			}
		}
		for _, p := range gherkin.Pickles(*doc, f, (&messages.Incrementing{}).NewId) {
			s := report.Scenario{URI: f, Name: p.Name}
			id := p.AstNodeIds[0]
			if len(p.AstNodeIds) > 1 {
				id = p.AstNodeIds[1]
			}
			s.Line = lines[id]
			for _, t := range p.Tags {
				s.Tags = append(s.Tags, t.Name)
			}
			out = append(out, s)
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
