package jsonwire

// AppendCanonical appends raw, a valid JSON value such as [Reader.Raw]
// returns, in the form encoding/json writes a json.RawMessage: without
// white space outside strings, and with <, >, &, U+2028 and U+2029 escaped
// as \u003c, \u003e, \u0026, \u2028 and \u2029. Decoding what encoding
// wrote and writing it again then gives the same bytes.
func AppendCanonical(dst []byte, raw string) []byte {
	const hex = "0123456789abcdef"
	inString := false
	start := 0
	flush := func(i int) { dst = append(dst, raw[start:i]...) }
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			flush(i)
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2]&^1 == 0xA8:
			flush(i)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[raw[i+2]&0xF])
			i += 2
			start = i + 1
		case inString:
			switch c {
			case '\\':
				i++ // the escaped byte cannot end the string
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush(i)
			start = i + 1
		}
	}
	flush(len(raw))
	return dst
}

// IsCanonical reports whether raw is already in the form
// [AppendCanonical] writes, so that it can be kept as it is.
func IsCanonical(raw string) bool {
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			return false
		case c == 0xE2 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2]&^1 == 0xA8:
			return false
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			return false
		}
	}
	return true
}
