package query

import (
	"errors"
	"testing"
)

// fuzzSeeds are the queries real clients send, from the grammar's examples.
var fuzzSeeds = []string{
	"entity=" + g1 + ",Name,FirstName",
	createQ,
	"entity=" + g1 + ",Guid,Name,EntityType,entity=" + g2 + ",Name",
	"Name=Bob Smith,State=Active,EmailAddress=a@b.com",
	"Format=WiegandStandardCredentialFormat(200,2001)",
	"ActivationMode=SpecificActivationPeriod(2025-01-01T0:00:00,2025-12-31T23:59:59)",
	"EntityTypes@Cardholder@Visitor",
	"EntityTypes@Cardholdergroup",
	"Credentials@" + g1 + ",Groups@" + g2,
	"UniqueIds@WiegandStandardCredentialFormat(200,2001)",
	"Credentials-" + g1 + ",Groups-(" + g2 + ")",
	"Members*,Events*",
	"Status.Activate(),Status.Activate(2025-01-01T08:00:00,2025-02-01T00:00:00),Checkout()",
	"AddCardholderIntoGroup(" + g1 + ")",
	"TimeRange.SetTimeRange(2025-01-01T00:00:00, 2025-01-02T00:00:00),SortOrder=Ascending",
	"NewEntity(AccessRule,Temporary),LogicalID(Door,1)",
	"event(" + g1 + ",AccessGranted),event(Door,AccessGranted)",
	"InsertIntoPartition(00000000-0000-0000-0000-00000000000b)",
	"Format.Serialize(),AccessRules.Add(" + g1 + ")",
	`CustomCredentialFormat(` + g1 + `,{{"Field","val"},{"F2","v2"}})`,
	`Format=FascN75BitCardCredentialFormat({{"Agency Code", "1234"}, {"System Code", "5678"}})`,
	`SendMessage(a,Hi\, there),Name=\Foo(1)`,
	"Name=Bob,NameSearchMode=Contains",
	"Format=" + wiegandXML,
	"Format=<Keypad><Code>1234</Code></Keypad>",
	"F=<A x='1,2'><!-- </A> --><![CDATA[</A>]]><B/></A>",
	"Duration=6.00:00:00,Name=Door (north, east)",
	"entity=x),Name", "entity=NewEntity(Cardholder", "abc#", "=x", "a,,b", `Name="abc`,
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		q2, err2 := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: error %T is not *Error: %v", s, err, err)
			}
			if e.Pos < 0 || e.Pos > len(s) {
				t.Fatalf("%q: error position %d out of range: %v", s, e.Pos, err)
			}
			// 60 quoted bytes render as up to 240 when %q escapes them.
			if len(e.Error()) > 400 {
				t.Fatalf("%q: message quotes too much: %v", s, err)
			}
			if err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("%q: second parse gave %v, first %v", s, err2, err)
			}
			return
		}
		if err2 != nil || !equalQueries(q, q2) {
			t.Fatalf("%q: second parse differs", s)
		}
		for _, tm := range q.Terms {
			if tm.Name == "" || tm.Op < OpGet || tm.Op > OpCall || len(tm.Path) == 0 {
				t.Fatalf("%q: bad term %+v", s, tm)
			}
			checkValues(t, s, tm.Values)
			// A set value written back by String parses to itself.
			if tm.Op == OpSet {
				back := tm.Name + "=" + tm.Values[0].String()
				if len(back) > MaxLen {
					continue
				}
				bq, err := Parse(back)
				if err != nil {
					t.Fatalf("%q: String gave %q, which does not parse: %v", s, back, err)
				}
				if len(bq.Terms) != 1 || !equalValues(stripValues(bq.Terms[0].Values), stripValues(tm.Values)) {
					t.Fatalf("%q: String gave %q, which parses differently", s, back)
				}
			}
		}
	})
}

func checkValues(t *testing.T, s string, vs []Value) {
	for _, v := range vs {
		if v.Kind < Text || v.Kind > XML || v.Pos < 0 || v.Pos > len(s) {
			t.Fatalf("%q: bad value %+v", s, v)
		}
		checkValues(t, s, v.Args)
		checkValues(t, s, v.Items)
	}
}

func equalQueries(a, b *Query) bool {
	if a.Text != b.Text || len(a.Terms) != len(b.Terms) {
		return false
	}
	for i := range a.Terms {
		x, y := a.Terms[i], b.Terms[i]
		if x.Pos != y.Pos || x.Name != y.Name || x.Op != y.Op || x.Raw != y.Raw ||
			len(x.Path) != len(y.Path) || !equalValues(x.Values, y.Values) {
			return false
		}
		for j := range x.Path {
			if x.Path[j] != y.Path[j] {
				return false
			}
		}
	}
	return true
}

// equalValues compares by hand: reflect.DeepEqual tells a nil slice from an
// empty one, which says nothing about the tree.
func equalValues(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Kind != y.Kind || x.Pos != y.Pos || x.Text != y.Text || x.Name != y.Name ||
			!equalValues(x.Args, y.Args) || !equalValues(x.Items, y.Items) {
			return false
		}
	}
	return true
}
