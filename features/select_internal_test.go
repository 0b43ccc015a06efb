package features

import (
	"bytes"
	"sort"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/features/report"
)

// ruled is a feature with what selection must step around: a background,
// rules with their own background and tags, an outline with two tagged
// Examples blocks, comments and a doc string.
const ruled = `@f
Feature: selection

  Background:
    Given a step

  @a
  Scenario: one
    Given a step
    """
    Scenario: not a scenario
    """

  # a comment between scenarios
  @b @c
  Scenario Outline: two <n>
    Given a step <n>

    @x
    Examples: first
      | n |
      | 1 |
      | 2 |

    @y
    Examples: second
      | n |
      | 3 |

  @r
  Rule: a rule

    Background:
      Given a step

    @a @c
    Scenario: three
      Given a step

  Rule: another

    Scenario: four
      Given a step
`

// godogRuns runs godog over the given files with a step that matches
// everything and tag filter tags, and returns the scenarios it ran as
// "uri:line name".
func godogRuns(t *testing.T, tags string, files map[string][]byte) []string {
	t.Helper()
	var contents []godog.Feature
	for name, b := range files {
		contents = append(contents, godog.Feature{Name: name, Contents: b})
	}
	var out bytes.Buffer
	status := godog.TestSuite{
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			sc.Step(`^.*$`, func() error { return nil })
		},
		Options: &godog.Options{Format: "cucumber", Output: &out, NoColors: true, Strict: true, Tags: tags, FeatureContents: contents},
	}.Run()
	require.Equal(t, 0, status, out.String())
	scens, err := report.ParseCucumber(&out)
	require.NoError(t, err)
	var got []string
	for _, s := range scens {
		got = append(got, s.Key()+" "+s.Name)
	}
	sort.Strings(got)
	return got
}

func keys(ps []*pickle) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key()+" "+p.Name)
	}
	sort.Strings(out)
	return out
}

// TestMatchTagsIsGodogs: for every expression, the scenarios MatchTags
// selects are those godog's own filter runs.
func TestMatchTagsIsGodogs(t *testing.T) {
	ff, err := parseFeature("ruled.feature", []byte(ruled))
	require.NoError(t, err)
	for _, expr := range []string{"", "@a", "a", "~@a", "@a,@b", "@a && @c", "@c && ~@a", "~@a,~@c", "@x", "@r", "~@r && @f", "@a,~@b && @c", "@nope", "~@nope"} {
		var want []*pickle
		for _, blk := range ff.scens {
			for _, p := range blk.pickles {
				if MatchTags(expr, p.Tags) {
					want = append(want, p)
				}
			}
		}
		require.Equal(t, keys(want), godogRuns(t, expr, map[string][]byte{"ruled.feature": []byte(ruled)}), "tags %q", expr)
	}
}

// TestContentsRunsTheSelection: the blanked file runs exactly the
// selected pickles, at their own lines, for a selection by every line of
// the file.
func TestContentsRunsTheSelection(t *testing.T) {
	ff, err := parseFeature("ruled.feature", []byte(ruled))
	require.NoError(t, err)
	require.Equal(t, []int{8, 16, 37, 42}, ff.starts)
	var all []*pickle
	for _, blk := range ff.scens {
		all = append(all, blk.pickles...)
	}
	require.Len(t, all, 6)
	n := bytes.Count([]byte(ruled), []byte("\n"))
	for line := 1; line <= n; line++ {
		sel := ff.atLine(line)
		runs := map[*pickle]bool{}
		for _, p := range sel {
			runs[p] = true
		}
		b := ff.contents(func(p *pickle) bool { return runs[p] })
		require.Equal(t, n, bytes.Count(b, []byte("\n")), "line %d: every line keeps its number", line)
		require.Equal(t, keys(sel), godogRuns(t, "", map[string][]byte{"ruled.feature": b}), "line %d", line)
	}
	rows := func(line int) []string { return keys(ff.atLine(line)) }
	require.Empty(t, rows(3), "the feature's background is no scenario")
	require.Equal(t, []string{"ruled.feature:23 two 2"}, rows(23), "a row")
	require.Len(t, rows(20), 2, "the first Examples' line: its rows")
	require.Len(t, rows(26), 1, "the second Examples' tag: its row")
	require.Len(t, rows(17), 3, "the outline's step: every row")
	require.Equal(t, []string{"ruled.feature:8 one"}, rows(11), "a doc string line is its scenario's")
	require.Equal(t, []string{"ruled.feature:42 four"}, rows(43), "the last line")
	require.Empty(t, rows(44), "past the end")
}
