package limit

// JSON checks that data nests no deeper than l.Depth and holds no more
// than l.Tokens tokens, before a decoder builds anything from it. It does
// not check that data is JSON (the decoder does): it only counts, in one
// pass without allocating, so that a refusal costs less than a parse.
func JSON(data []byte, l Limits) error {
	depth, tokens := 0, 0
	inString, escaped, inScalar := false, false, false
	for _, c := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString, inScalar = true, false
			tokens++
		case '{', '[':
			inScalar = false
			tokens++
			depth++
			if l.Depth > 0 && depth > l.Depth {
				return &Error{Depth: true, Limit: l.Depth}
			}
		case '}', ']':
			inScalar = false
			if depth > 0 {
				depth--
			}
		case ',', ':', ' ', '\t', '\r', '\n':
			inScalar = false
		default:
			if !inScalar {
				inScalar = true
				tokens++
			}
		}
		if l.Tokens > 0 && tokens > l.Tokens {
			return &Error{Limit: l.Tokens}
		}
	}
	return nil
}
