package features

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/pacsim/pacsim/features/report"
)

// UsageError is a selection that names no scenario of the files (a
// --features line outside every scenario, a line on a folder, a --name
// that is no regexp): the user's mistake, caught before anything runs.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// featureFile is a parsed feature file with its scenarios.
type featureFile struct {
	uri    string
	src    []byte
	scens  []*scenarioBlock
	starts []int // every scenario's line, for messages
}

// scenarioBlock is a scenario (or outline) of a file: the lines it spans
// and its pickles (one per example row).
type scenarioBlock struct {
	line       int // its keyword's line
	start, end int // its first tag's line to the line before the next element
	pickles    []*pickle
}

// pickle is one scenario as it runs: a scenario, or a row of an outline.
type pickle struct {
	report.Scenario        // URI, Line (the row's for an outline), Name, Tags
	row             int    // the row's line (0: not an outline)
	examples        [2]int // the lines of its Examples block (tags to last row)
	steps           []report.StepRef
}

// featureLine is a --features path with the lines it names, if any
// ("file.feature:12:30").
var featureLine = regexp.MustCompile(`^(.*?)((?::\d+)+)$`)

// splitLines splits "file.feature:12:30" into the path and its lines; a
// path without lines has none.
func splitLines(p string) (string, []int) {
	m := featureLine.FindStringSubmatch(p)
	if m == nil {
		return p, nil
	}
	var lines []int
	for _, s := range strings.Split(strings.TrimPrefix(m[2], ":"), ":") {
		n, err := strconv.Atoi(s)
		if err != nil {
			return p, nil
		}
		lines = append(lines, n)
	}
	return m[1], lines
}

// PathOf is a --features path without its line numbers.
func PathOf(p string) string {
	path, _ := splitLines(p)
	return path
}

// load parses the feature files under paths (in fsys, or on disk when
// fsys is nil), each once, in the order given (a folder's files in lexical
// order). lines maps a file to the lines its paths name (none: the whole
// file).
func load(fsys fs.FS, paths []string) (files []*featureFile, lines map[string][]int, err error) {
	lines = map[string][]int{}
	whole := map[string]bool{}
	var names []string
	add := func(f string, ls []int) {
		if _, seen := lines[f]; !seen && !whole[f] {
			names = append(names, f)
		}
		if len(ls) == 0 {
			whole[f] = true
			delete(lines, f)
			return
		}
		if !whole[f] {
			lines[f] = append(lines[f], ls...)
		}
	}
	stat := func(p string) (fs.FileInfo, error) {
		if fsys == nil {
			return os.Stat(p)
		}
		return fs.Stat(fsys, p)
	}
	for _, raw := range paths {
		p, ls := splitLines(raw)
		fi, err := stat(p)
		if err != nil && len(ls) > 0 {
			// "name:12" may be a file whose name ends so.
			if fi2, err2 := stat(raw); err2 == nil {
				p, ls, fi, err = raw, nil, fi2, nil
			}
		}
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			add(p, ls)
			continue
		}
		if len(ls) > 0 {
			return nil, nil, &UsageError{fmt.Sprintf("--features %s: a line number needs a .feature file, not a folder", raw)}
		}
		walk := func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".feature") {
				add(path, nil)
			}
			return nil
		}
		if fsys == nil {
			err = filepath.WalkDir(p, walk)
		} else {
			err = fs.WalkDir(fsys, p, walk)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	for _, f := range names {
		var b []byte
		if fsys == nil {
			b, err = os.ReadFile(f)
		} else {
			b, err = fs.ReadFile(fsys, f)
		}
		if err != nil {
			return nil, nil, err
		}
		ff, err := parseFeature(f, b)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, ff)
	}
	return files, lines, nil
}

// parseFeature parses one feature file into its scenarios and pickles,
// keyed as godog's cucumber JSON keys them (file and line).
func parseFeature(uri string, b []byte) (*featureFile, error) {
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(b), (&messages.Incrementing{}).NewId)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", uri, err)
	}
	ff := &featureFile{uri: uri, src: b}
	nLines := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		nLines++ // a last line without its newline
	}
	// Where each element starts (its first tag), so that a scenario ends
	// before the next one, a rule or the end of the file.
	type elem struct {
		start int
		s     *messages.Scenario
	}
	var elems []elem
	first := func(line int64, tags []*messages.Tag) int {
		l := int(line)
		for _, t := range tags {
			l = min(l, int(t.Location.Line))
		}
		return l
	}
	if doc.Feature != nil {
		for _, c := range doc.Feature.Children {
			switch {
			case c.Scenario != nil:
				elems = append(elems, elem{first(c.Scenario.Location.Line, c.Scenario.Tags), c.Scenario})
			case c.Background != nil:
				elems = append(elems, elem{int(c.Background.Location.Line), nil})
			case c.Rule != nil:
				elems = append(elems, elem{first(c.Rule.Location.Line, c.Rule.Tags), nil})
				for _, rc := range c.Rule.Children {
					switch {
					case rc.Scenario != nil:
						elems = append(elems, elem{first(rc.Scenario.Location.Line, rc.Scenario.Tags), rc.Scenario})
					case rc.Background != nil:
						elems = append(elems, elem{int(rc.Background.Location.Line), nil})
					}
				}
			}
		}
	}
	blocks := map[string]*scenarioBlock{} // scenario id → its block
	rows := map[string]int{}              // example row id → line
	examples := map[string][2]int{}       // example row id → its Examples block
	steps := map[string]int{}             // step id → line
	for i, e := range elems {
		if e.s == nil {
			continue
		}
		end := nLines
		if i+1 < len(elems) {
			end = elems[i+1].start - 1
		}
		blk := &scenarioBlock{line: int(e.s.Location.Line), start: e.start, end: end}
		blocks[e.s.Id] = blk
		ff.scens = append(ff.scens, blk)
		ff.starts = append(ff.starts, blk.line)
		for _, st := range e.s.Steps {
			steps[st.Id] = int(st.Location.Line)
		}
		for _, ex := range e.s.Examples {
			span := [2]int{first(ex.Location.Line, ex.Tags), int(ex.Location.Line)}
			for _, row := range ex.TableBody {
				span[1] = int(row.Location.Line)
			}
			for _, row := range ex.TableBody {
				rows[row.Id] = int(row.Location.Line)
				examples[row.Id] = span
			}
		}
	}
	// Background steps are steps of every pickle too.
	if doc.Feature != nil {
		var bgs []*messages.Background
		for _, c := range doc.Feature.Children {
			if c.Background != nil {
				bgs = append(bgs, c.Background)
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					if rc.Background != nil {
						bgs = append(bgs, rc.Background)
					}
				}
			}
		}
		for _, bg := range bgs {
			for _, st := range bg.Steps {
				steps[st.Id] = int(st.Location.Line)
			}
		}
	}
	for _, p := range gherkin.Pickles(*doc, uri, (&messages.Incrementing{}).NewId) {
		blk := blocks[p.AstNodeIds[0]]
		if blk == nil {
			continue
		}
		pk := &pickle{Scenario: report.Scenario{URI: uri, Name: p.Name, Line: blk.line}}
		if len(p.AstNodeIds) > 1 {
			pk.row = rows[p.AstNodeIds[1]]
			pk.examples = examples[p.AstNodeIds[1]]
			pk.Line = pk.row
		}
		for _, t := range p.Tags {
			pk.Tags = append(pk.Tags, t.Name)
		}
		for _, st := range p.Steps {
			pk.steps = append(pk.steps, report.StepRef{URI: uri, Line: steps[st.AstNodeIds[0]], Text: st.Text})
		}
		blk.pickles = append(blk.pickles, pk)
	}
	return ff, nil
}

// atLine returns the pickles a line of the file names: a row's line, that
// row; a line of an Examples block, its rows; any other line of a
// scenario (its tags, its keyword, its steps), all its pickles.
func (ff *featureFile) atLine(line int) []*pickle {
	for _, blk := range ff.scens {
		if line < blk.start || line > blk.end {
			continue
		}
		var rows, table []*pickle
		for _, p := range blk.pickles {
			if p.row == line {
				rows = append(rows, p)
			}
			if p.row != 0 && line >= p.examples[0] && line <= p.examples[1] {
				table = append(table, p)
			}
		}
		switch {
		case len(rows) > 0:
			return rows
		case len(table) > 0:
			return table
		}
		return blk.pickles
	}
	return nil
}

// selectPickles decides for every pickle of files whether it runs: the
// reason it does not ("" when it runs). The user's selection (lines,
// names, their tags userTags) comes first, then what the target cannot
// run (notOnTarget), then the run's whole tag expression tags. A line
// that names no scenario is a *UsageError.
func selectPickles(files []*featureFile, lines map[string][]int, names []*regexp.Regexp, userTags, tags string, notOnTarget func(*pickle) string) (map[*pickle]string, error) {
	byLine := map[*pickle]bool{}
	for _, ff := range files {
		for _, l := range lines[ff.uri] {
			ps := ff.atLine(l)
			if len(ps) == 0 {
				return nil, &UsageError{fmt.Sprintf("--features %s:%d: no scenario at line %d (scenarios at lines %s)", ff.uri, l, l, joinInts(ff.starts))}
			}
			for _, p := range ps {
				byLine[p] = true
			}
		}
	}
	why := map[*pickle]string{}
	for _, ff := range files {
		_, hasLines := lines[ff.uri]
		for _, blk := range ff.scens {
			for _, p := range blk.pickles {
				switch {
				case hasLines && !byLine[p]:
					why[p] = "not selected by --features FILE:LINE"
				case len(names) > 0 && !slices.ContainsFunc(names, func(re *regexp.Regexp) bool { return re.MatchString(p.Name) }):
					why[p] = "not selected by --name"
				case !MatchTags(userTags, p.Tags):
					why[p] = "not selected by --tags"
				case notOnTarget(p) != "":
					why[p] = notOnTarget(p)
				case !MatchTags(tags, p.Tags):
					why[p] = "not selected by --tags"
				default:
					why[p] = ""
				}
			}
		}
	}
	return why, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// contents is the file as godog gets it: the lines of the scenarios and
// example rows that do not run made blank, so that godog runs exactly the
// selection while every line keeps its number (the reports' keys).
func (ff *featureFile) contents(runs func(*pickle) bool) []byte {
	lines := bytes.Split(ff.src, []byte("\n"))
	blank := func(from, to int) {
		for l := from; l <= to && l <= len(lines); l++ {
			if l >= 1 {
				lines[l-1] = nil
			}
		}
	}
	for _, blk := range ff.scens {
		some := false
		for _, p := range blk.pickles {
			if runs(p) {
				some = true
			} else if p.row != 0 {
				blank(p.row, p.row)
			}
		}
		if !some {
			blank(blk.start, blk.end)
		}
	}
	return bytes.Join(lines, []byte("\n"))
}
