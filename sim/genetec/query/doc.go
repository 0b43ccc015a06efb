// Package query parses the query language that Genetec Security Center's Web
// SDK carries in the q= parameter of its requests, such as
//
//	entity=6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b,Name,FirstName
//	entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(200,2001),Guid
//
// into a syntax tree. It evaluates nothing: the Web SDK simulator walks the
// Terms of a Query and decides what each one means for the entity at hand.
//
// A query is a list of terms separated by top-level commas. A term names a
// member by a dotted path and says what to do with it:
//
//	Name                   read (OpGet)
//	Name=Bob Smith         set (OpSet); the value runs to the next top-level comma
//	EntityTypes@A@B        add to a collection (OpAdd), one value per '@'
//	Groups-<guid>          remove from a collection (OpRemove); only the first '-' is the operator
//	Members*               clear a collection (OpClear)
//	Status.Activate(a, b)  call a method (OpCall)
//
// A value is plain text (escapes applied, trimmed), a call Ident(args), a
// {…} list, a "…" string or inline XML kept verbatim. A backslash makes the
// next character literal, and a value that starts with one is always plain
// text. Commas inside parentheses or braces are not top-level, so plain text
// may hold balanced parentheses ("Door (north)"). After '@' or '-' a value
// wrapped in one pair of parentheses is unwrapped, as clients send
// Groups-(<guid>). '#' is refused.
//
// Parse never panics. Every syntax error is an *Error that names the
// offending token and its byte offset and quotes at most 60 bytes of the
// query, so the simulator can hand it back to a client verbatim. The
// helpers IsGUID, NormalizeGUID, ParseTime and ParseTimeSpan read the value
// formats the Web SDK uses for identities, date-times and durations.
package query
