package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
)

// mark is the status as a reader sees it.
func mark(status string) string {
	switch status {
	case Passed:
		return "✅ passed"
	case Failed:
		return "❌ failed"
	case Skipped:
		return "⏭ skipped"
	}
	return "◌ untested"
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// SkipReasons counts the skipped scenarios by why they did not run.
func (r *Report) SkipReasons() []Reason {
	n := map[string]int{}
	for _, s := range r.Scenarios {
		if s.Status == Skipped {
			why := s.Error
			if why == "" {
				why = "every step skipped"
			}
			n[why]++
		}
	}
	var out []Reason
	for why, c := range n {
		out = append(out, Reason{why, c})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Why < out[j].Why
	})
	return out
}

// Reason is why some scenarios were skipped.
type Reason struct {
	Why   string
	Count int
}

// Markdown writes the report as Markdown (report.md).
func (r *Report) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	fmt.Fprintf(&b, "Target: %s. Tags: `%s`.\n\n", r.Target, r.Tags)
	fmt.Fprintf(&b, "Requirements: %d passed, %d failed, %d skipped, %d untested (of %d).  \n",
		r.Passed, r.Failed, r.Skipped, r.Untested, r.Passed+r.Failed+r.Skipped+r.Untested)
	fmt.Fprintf(&b, "Scenarios: %d passed, %d failed, %d skipped.\n\n", r.ScenariosPassed, r.ScenariosFailed, r.ScenariosSkipped)
	b.WriteString("A requirement has failed when one of its scenarios failed, passed when one passed and none failed,\n")
	b.WriteString("skipped when it has scenarios but none ran, untested when no scenario carries its ID.\n\n")
	b.WriteString("## By asset type\n\n| asset type | passed | failed | skipped | untested |\n|---|---:|---:|---:|---:|\n")
	for _, g := range r.Groups {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", g.Name, g.Passed, g.Failed, g.Skipped, g.Untested)
	}
	if f := r.Failures(); len(f) > 0 {
		b.WriteString("\n## Failed scenarios\n\n")
		for _, s := range f {
			fmt.Fprintf(&b, "- `%s` %s — %s\n", s.Key(), s.Name, cell(s.Error))
		}
	}
	if rs := r.SkipReasons(); len(rs) > 0 {
		b.WriteString("\n## Skipped scenarios\n\n")
		for _, x := range rs {
			fmt.Fprintf(&b, "- %d: %s\n", x.Count, x.Why)
		}
	}
	for _, g := range r.Groups {
		fmt.Fprintf(&b, "\n## %s\n\n| requirement | status | scenarios passed / failed / skipped | |\n|---|---|---|---|\n", g.Name)
		for _, row := range g.Rows {
			fmt.Fprintf(&b, "| %s | %s | %d / %d / %d | %s |\n", row.ID, mark(row.Status), row.Passed, row.Failed, row.Skipped, cell(row.Text))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"mark": mark, "anchor": anchor}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f5f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,Menlo,Consolas,monospace}
.passed{background:#e6f4ea}.failed{background:#fce8e6}.skipped{background:#fef7e0}.untested{background:#f1f3f4;color:#5f6368}
.badge{display:inline-block;padding:.1em .5em;border-radius:.8em;margin-right:.4em}
.err{white-space:pre-wrap;font:12px ui-monospace,Menlo,Consolas,monospace;color:#a50e0e}
.meta{color:#5f6368}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">Target: {{.Target}} · Tags: <code>{{.Tags}}</code></p>
<p><b>Requirements:</b>
<span class="badge passed">{{.Passed}} passed</span><span class="badge failed">{{.Failed}} failed</span><span class="badge skipped">{{.Skipped}} skipped</span><span class="badge untested">{{.Untested}} untested</span>
<br><b>Scenarios:</b> {{.ScenariosPassed}} passed, {{.ScenariosFailed}} failed, {{.ScenariosSkipped}} skipped.</p>
<p class="meta">A requirement has failed when one of its scenarios failed, passed when one passed and none failed, skipped when it has scenarios but none ran, untested when no scenario carries its ID.</p>
<h2>By asset type</h2>
<table><tr><th>asset type</th><th>passed</th><th>failed</th><th>skipped</th><th>untested</th></tr>
{{range .Groups}}<tr><td><a href="#{{anchor .Name}}">{{.Name}}</a></td><td class="n">{{.Passed}}</td><td class="n">{{.Failed}}</td><td class="n">{{.Skipped}}</td><td class="n">{{.Untested}}</td></tr>
{{end}}</table>
{{with .Failures}}<h2>Failed scenarios</h2>
<table><tr><th>scenario</th><th>error</th></tr>
{{range .}}<tr class="failed"><td><code>{{.Key}}</code><br>{{.Name}}</td><td class="err">{{.Error}}</td></tr>
{{end}}</table>{{end}}
{{with .SkipReasons}}<h2>Skipped scenarios</h2>
<ul>{{range .}}<li>{{.Count}}: {{.Why}}</li>{{end}}</ul>{{end}}
{{range .Groups}}<h2 id="{{anchor .Name}}">{{.Name}}</h2>
<table><tr><th>requirement</th><th>status</th><th>scenarios passed / failed / skipped</th><th></th></tr>
{{range .Rows}}<tr class="{{.Status}}"><td><code>{{.ID}}</code></td><td>{{mark .Status}}</td><td class="n">{{.Passed}} / {{.Failed}} / {{.Skipped}}</td><td>{{.Text}}{{if .Scenarios}}<br><code class="meta">{{range $i, $s := .Scenarios}}{{if $i}} {{end}}{{$s}}{{end}}</code>{{end}}</td></tr>
{{end}}</table>
{{end}}
</body>
</html>
`))

// anchor is an HTML id for a group name: lower case, a dash for anything
// but a letter or a digit.
func anchor(name string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(name)), "-")
}

// HTML writes the report as one self-contained HTML page (report.html):
// inline CSS, no script, no external asset.
func (r *Report) HTML(w io.Writer) error {
	return page.Execute(w, r)
}
