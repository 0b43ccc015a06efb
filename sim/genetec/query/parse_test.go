package query

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	wiegandXML = `<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType><Raw>000000000000000000000000020CE10F</Raw></UndecodedWiegand>`
	createQ    = `entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(200,2001),Guid`
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want []Term
	}{
		// Reads and entity selection.
		{"get entity", "entity=" + g1 + ",Name,FirstName",
			[]Term{set("entity", T(g1)), get("Name"), get("FirstName")}},
		{"bare reads", "Name,Guid,Credentials,SupportedEvents",
			[]Term{get("Name"), get("Guid"), get("Credentials"), get("SupportedEvents")}},
		{"chained entities", "entity=" + g1 + ",Guid,Name,EntityType,entity=" + g2 + ",Name",
			[]Term{set("entity", T(g1)), get("Guid"), get("Name"), get("EntityType"), set("entity", T(g2)), get("Name")}},

		// '='.
		{"create", createQ, []Term{
			set("entity", C("NewEntity", T("Credential"))),
			set("Name", T("Badge 7")),
			set("Format", C("WiegandStandardCredentialFormat", T("200"), T("2001"))),
			get("Guid"),
		}},
		{"state", "State=Active", []Term{set("State", T("Active"))}},
		{"activation period", "ActivationMode=SpecificActivationPeriod(2025-01-01T0:00:00,2025-12-31T23:59:59)",
			[]Term{set("ActivationMode", C("SpecificActivationPeriod", T("2025-01-01T0:00:00"), T("2025-12-31T23:59:59")))}},
		{"email keeps @", "EmailAddress=a@b.com,Name", []Term{set("EmailAddress", T("a@b.com")), get("Name")}},
		{"name search", "Name=Bob,NameSearchMode=Contains", []Term{set("Name", T("Bob")), set("NameSearchMode", T("Contains"))}},
		{"empty value", "Name=", []Term{set("Name", T(""))}},
		{"empty value then term", "Name=,Guid", []Term{set("Name", T("")), get("Guid")}},
		{"operators literal after =", "Description=x=y@z-w*", []Term{set("Description", T("x=y@z-w*"))}},
		{"date and timespan are text", "Start=2025-01-01T08:00:00,Duration=6.00:00:00",
			[]Term{set("Start", T("2025-01-01T08:00:00")), set("Duration", T("6.00:00:00"))}},
		{"balanced parens in text", "Name=Door (north, east),Guid",
			[]Term{set("Name", T("Door (north, east)")), get("Guid")}},
		{"blanks trimmed", "  Name = Bob Smith  ,\tGuid  ", []Term{set("Name", T("Bob Smith")), get("Guid")}},
		{"quoted", `Name="a, \"b\" (c)"`, []Term{set("Name", Q(`a, "b" (c)`))}},
		{"unicode", "Name=Zoë Ångström", []Term{set("Name", T("Zoë Ångström"))}},

		// Escapes.
		{"escaped comma in arg", `SendMessage(a,Hi\, there)`, []Term{call("SendMessage", T("a"), T("Hi, there"))}},
		{"escaped comma in set", `Name=Hi\, there,Guid`, []Term{set("Name", T("Hi, there")), get("Guid")}},
		{"escaped parens", `Name=\(x\)`, []Term{set("Name", T("(x)"))}},
		{"escape makes text", `Name=\Foo(1)`, []Term{set("Name", T("Foo(1)"))}},
		{"escaped quote and xml", `A=\"x",B=\<y>`, []Term{set("A", T(`"x"`)), set("B", T("<y>"))}},
		{"escaped blanks kept", `Name=\ a\ `, []Term{set("Name", T(" a "))}},
		{"escaped hash", `Name=No\#1`, []Term{set("Name", T("No#1"))}},
		{"escaped backslash", `Path=C:\\x`, []Term{set("Path", T(`C:\x`))}},

		// '@'.
		{"add chain", "EntityTypes@Cardholder@Visitor", []Term{add("EntityTypes", T("Cardholder"), T("Visitor"))}},
		{"add one", "EntityTypes@Cardholdergroup", []Term{add("EntityTypes", T("Cardholdergroup"))}},
		{"add guid", "Credentials@" + g1, []Term{add("Credentials", T(g1))}},
		{"add groups", "Groups@" + g1 + ",Guid", []Term{add("Groups", T(g1)), get("Guid")}},
		{"add call", "UniqueIds@WiegandStandardCredentialFormat(200,2001)",
			[]Term{add("UniqueIds", C("WiegandStandardCredentialFormat", T("200"), T("2001")))}},
		{"add blanks", "EntityTypes@ Door @ Camera ", []Term{add("EntityTypes", T("Door"), T("Camera"))}},
		{"add wrapped", "Groups@(" + g1 + ")", []Term{add("Groups", T(g1))}},

		// '-'.
		{"remove guid", "Credentials-" + g1, []Term{rm("Credentials", T(g1))}},
		{"remove groups", "Groups-" + g1 + ",Name", []Term{rm("Groups", T(g1)), get("Name")}},
		{"remove wrapped", "Groups-(" + g1 + ")", []Term{rm("Groups", T(g1))}},
		{"remove wrapped blanks", "Groups-( " + g1 + " ) ,Name", []Term{rm("Groups", T(g1)), get("Name")}},

		// '*'.
		{"clear", "Members*,Events* ", []Term{clr("Members"), clr("Events")}},

		// Calls.
		{"activate", "Status.Activate()", []Term{call("Status.Activate")}},
		{"activate period", "Status.Activate(2025-01-01T08:00:00,2025-02-01T00:00:00)",
			[]Term{call("Status.Activate", T("2025-01-01T08:00:00"), T("2025-02-01T00:00:00"))}},
		{"checkout", "Checkout()", []Term{call("Checkout")}},
		{"checkout blanks", "Checkout ( )", []Term{call("Checkout")}},
		{"add into group", "AddCardholderIntoGroup(" + g1 + ")", []Term{call("AddCardholderIntoGroup", T(g1))}},
		{"time range", "TimeRange.SetTimeRange(2025-01-01T00:00:00, 2025-01-02T00:00:00),SortOrder=Ascending", []Term{
			call("TimeRange.SetTimeRange", T("2025-01-01T00:00:00"), T("2025-01-02T00:00:00")),
			set("SortOrder", T("Ascending")),
		}},
		{"new access rule", "NewEntity(AccessRule,Temporary)", []Term{call("NewEntity", T("AccessRule"), T("Temporary"))}},
		{"logical id", "LogicalID(Door,1)", []Term{call("LogicalID", T("Door"), T("1"))}},
		{"event guid", "event(" + g1 + ",AccessGranted)", []Term{call("event", T(g1), T("AccessGranted"))}},
		{"event type", "event(Door,AccessGranted)", []Term{call("event", T("Door"), T("AccessGranted"))}},
		{"partition", "InsertIntoPartition(00000000-0000-0000-0000-00000000000b)",
			[]Term{call("InsertIntoPartition", T("00000000-0000-0000-0000-00000000000b"))}},
		{"serialize", "Format.Serialize()", []Term{call("Format.Serialize")}},
		{"access rules add", "AccessRules.Add(" + g1 + ")", []Term{call("AccessRules.Add", T(g1))}},
		{"empty args", "f(a,,b),g(a,)", []Term{call("f", T("a"), T(""), T("b")), call("g", T("a"), T(""))}},
		{"at in args", "SendMessage(bob@example.com)", []Term{call("SendMessage", T("bob@example.com"))}},
		{"nested", "X=A(B(C(1)),{2,{3}},D.E())", []Term{set("X",
			C("A", C("B", C("C", T("1"))), L(T("2"), L(T("3"))), C("D.E")))}},
		{"digit first is not a call", "X=1(2)", []Term{set("X", T("1(2)"))}},
		{"space before paren is not a call", "Name=Smith (Jr)", []Term{set("Name", T("Smith (Jr)"))}},

		// Lists.
		{"custom format", `CustomCredentialFormat(` + g1 + `,{{"Field","val"},{"F2","v2"}})`,
			[]Term{call("CustomCredentialFormat", T(g1), L(L(Q("Field"), Q("val")), L(Q("F2"), Q("v2"))))}},
		{"custom format set", `Format=CustomCredentialFormat(` + g1 + `,{{"Field","val"}})`,
			[]Term{set("Format", C("CustomCredentialFormat", T(g1), L(L(Q("Field"), Q("val")))))}},
		{"fascn", `Format=FascN75BitCardCredentialFormat({{"Agency Code", "1234"}, {"System Code", "5678"}})`,
			[]Term{set("Format", C("FascN75BitCardCredentialFormat",
				L(L(Q("Agency Code"), Q("1234")), L(Q("System Code"), Q("5678")))))}},
		{"empty list", "X=f({ })", []Term{set("X", C("f", L()))}},

		// Inline XML.
		{"wiegand xml", "Format=" + wiegandXML, []Term{set("Format", X(wiegandXML))}},
		{"keypad xml", "Format=<Keypad><Code>1234</Code></Keypad>,Guid",
			[]Term{set("Format", X("<Keypad><Code>1234</Code></Keypad>")), get("Guid")}},
		{"xml holds tokens", "Format=<A x='1,2'><B>a,b(c)=d@e#f</B><C/><!-- </A> --><![CDATA[</A>]]></A> , Guid",
			[]Term{set("Format", X("<A x='1,2'><B>a,b(c)=d@e#f</B><C/><!-- </A> --><![CDATA[</A>]]></A>")), get("Guid")}},
		{"xml self-closing", `Format=<Keypad Code="12>34"/>`, []Term{set("Format", X(`<Keypad Code="12>34"/>`))}},
		{"xml nested same name", "F=<a><a></a></a>", []Term{set("F", X("<a><a></a></a>"))}},
		{"xml in add", "Formats@<K/>@<L></L>", []Term{add("Formats", X("<K/>"), X("<L></L>"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.q)
			require.NoError(t, err)
			assert.Equal(t, tt.q, q.Text)
			assert.Equal(t, tt.want, strip(q.Terms))
		})
	}
}

func TestParsePositions(t *testing.T) {
	q, err := Parse(createQ)
	require.NoError(t, err)
	require.Len(t, q.Terms, 4)
	pos := func(s string) int { return strings.Index(createQ, s) }

	assert.Equal(t, 0, q.Terms[0].Pos)
	assert.Equal(t, pos("NewEntity"), q.Terms[0].Values[0].Pos)
	assert.Equal(t, pos("Credential)"), q.Terms[0].Values[0].Args[0].Pos)
	assert.Equal(t, pos("Name="), q.Terms[1].Pos)
	assert.Equal(t, pos("Badge"), q.Terms[1].Values[0].Pos)
	f := q.Terms[2].Values[0]
	assert.Equal(t, pos("Wiegand"), f.Pos)
	assert.Equal(t, pos("200"), f.Args[0].Pos)
	assert.Equal(t, pos("2001"), f.Args[1].Pos)
	assert.Equal(t, pos("Guid"), q.Terms[3].Pos)

	q, err = Parse(`  Name = Bob ,X={ "a" , <b/> }`)
	require.NoError(t, err)
	assert.Equal(t, 2, q.Terms[0].Pos)
	assert.Equal(t, 9, q.Terms[0].Values[0].Pos)
	l := q.Terms[1].Values[0]
	assert.Equal(t, 16, l.Pos)
	assert.Equal(t, 18, l.Items[0].Pos)
	assert.Equal(t, 24, l.Items[1].Pos)

	q, err = Parse("Groups-( " + g1 + ")")
	require.NoError(t, err)
	assert.Equal(t, 9, q.Terms[0].Values[0].Pos, "an unwrapped value starts inside the parentheses")

	q, err = Parse("Name=,Guid")
	require.NoError(t, err)
	assert.Equal(t, 5, q.Terms[0].Values[0].Pos, "an empty value starts where it would have")
}

func TestParseRaw(t *testing.T) {
	q, err := Parse(` Name = Bob Smith  , Status.Activate( a , b ) ,Members* , Name=a\ ,Guid `)
	require.NoError(t, err)
	var raws []string
	for _, tm := range q.Terms {
		raws = append(raws, tm.Raw)
	}
	assert.Equal(t, []string{"Name = Bob Smith", "Status.Activate( a , b )", "Members*", `Name=a\ `, "Guid"}, raws)
}

func TestOpString(t *testing.T) {
	assert.Equal(t, "get", OpGet.String())
	assert.Equal(t, "set", OpSet.String())
	assert.Equal(t, "add", OpAdd.String())
	assert.Equal(t, "remove", OpRemove.String())
	assert.Equal(t, "clear", OpClear.String())
	assert.Equal(t, "call", OpCall.String())
	assert.Equal(t, "Op(0)", Op(0).String())
	assert.Equal(t, "Op(99)", Op(99).String())
}
