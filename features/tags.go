package features

import "strings"

// MatchTags reports whether a scenario with tags (as "@name") is selected
// by a tag expression as godog v0.15 reads it: an AND ("&&") of OR-lists
// (",") of tags, "~" negating one; the "@" is optional; the empty
// expression selects everything. It mirrors godog's own filter so that
// pacsim can select (and dry-run) exactly the scenarios godog would run.
func MatchTags(expr string, tags []string) bool {
	if expr == "" {
		return true
	}
	has := func(tag string) bool {
		for _, t := range tags {
			if strings.ReplaceAll(t, "@", "") == tag {
				return true
			}
		}
		return false
	}
	for _, and := range strings.Split(expr, "&&") {
		ok := false
		for _, tag := range strings.Split(and, ",") {
			tag = strings.ReplaceAll(strings.TrimSpace(tag), "@", "")
			if neg, found := strings.CutPrefix(tag, "~"); found {
				ok = ok || !has(neg)
			} else {
				ok = ok || has(tag)
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
