// Package jsonwire reads JSON documents in one pass, for the decoders of
// Junction's payloads: the caller walks the document and takes each value
// as the type it expects, and everything it does not ask for is validated
// and skipped.
//
// A [Reader] holds the document as one string, so every string value
// without escapes is a substring of it: decoding a payload allocates the
// copy of the input once, and then only for escaped strings and the slices
// the caller builds. Work is linear in the input, nesting is limited to
// [MaxDepth] levels, and no input makes it panic.
//
// It accepts exactly the documents encoding/json accepts (RFC 8259 JSON)
// and reads values the way encoding/json does: invalid UTF-8 and lone
// surrogates in strings become U+FFFD, null read as a string, number or
// boolean is the zero value, and a number read as an integer must be an
// integer that fits. Object keys are compared exactly, where encoding/json
// also accepts other letter case.
package jsonwire

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is how deeply objects and arrays may nest, as in encoding/json.
const MaxDepth = 10000

// Kind is the kind of a JSON value.
type Kind uint8

// The kinds of JSON values; Invalid is returned at the end of the input or
// where no value can start.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Object
	Array
)

var kindNames = [...]string{Invalid: "invalid", Null: "null", Bool: "bool", Number: "number", String: "string", Object: "object", Array: "array"}

// String returns the kind as encoding/json names it in its errors, such as
// "number".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Reader reads one JSON document. The zero Reader reads an empty document;
// [Reader.Reset] gives it one. After the first error every method is a
// no-op returning zero values, and [Reader.Err] reports that error.
type Reader struct {
	s     string
	i     int // next byte to read
	depth int
	err   *Error
	vs    int  // start of the last value read, for Fail
	first bool // the container just opened has had no member or element yet
}

// Reset makes r read data, which it copies once.
func (r *Reader) Reset(data []byte) { r.ResetString(string(data)) }

// ResetString makes r read s.
func (r *Reader) ResetString(s string) { *r = Reader{s: s} }

// Err returns the first error met, an *[Error], or nil.
func (r *Reader) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Failed reports whether r has met an error.
func (r *Reader) Failed() bool { return r.err != nil }

// Fail records err as the reader's error at the start of the last value
// read, unless an error was already recorded. Decoders use it for a value
// that is well-formed JSON but not what they accept, such as a malformed
// timestamp.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = &Error{Offset: r.vs, Err: err, src: r.s}
	}
}

// Source returns the document r reads.
func (r *Reader) Source() string { return r.s }

func (r *Reader) syntax(at int, msg string) {
	if r.err == nil {
		r.err = &Error{Offset: at, Err: &SyntaxError{Msg: msg, Offset: at}, src: r.s}
	}
}

func (r *Reader) syntaxChar(at int, context string) {
	if at >= len(r.s) {
		r.syntax(at, "unexpected end of JSON input")
		return
	}
	r.syntax(at, "invalid character "+quoteChar(r.s[at])+" "+context)
}

func (r *Reader) typeErr(at int, got Kind, want, value string) {
	if r.err == nil {
		r.err = &Error{Offset: at, Err: &TypeError{Got: got, Want: want, Value: value}, src: r.s}
	}
}

// skipSpace moves past JSON white space.
func (r *Reader) skipSpace() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// Peek returns the kind of the next value without reading it: Invalid at
// the end of the input, after an error, or where no value can start.
func (r *Reader) Peek() Kind {
	if r.err != nil {
		return Invalid
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		return Invalid
	}
	switch c := r.s[r.i]; {
	case c == 'n':
		return Null
	case c == 't' || c == 'f':
		return Bool
	case c == '-' || '0' <= c && c <= '9':
		return Number
	case c == '"':
		return String
	case c == '{':
		return Object
	case c == '[':
		return Array
	}
	return Invalid
}

// start moves to the next value and returns its kind, recording a syntax
// error where none can start.
func (r *Reader) start() Kind {
	k := r.Peek()
	if k == Invalid && r.err == nil {
		r.syntaxChar(r.i, "looking for beginning of value")
	}
	r.vs = r.i
	return k
}

// literal reads the literal word at r.i.
func (r *Reader) literal(word string) bool {
	if strings.HasPrefix(r.s[r.i:], word) {
		r.i += len(word)
		return true
	}
	// Report the first byte that differs, as encoding/json does. The word
	// does not stand at r.i, so one differs, or the input ends, before the
	// word does.
	j := 0
	for r.i+j < len(r.s) && r.s[r.i+j] == word[j] {
		j++
	}
	r.syntaxChar(r.i+j, "in literal "+word+" (expecting "+quoteChar(word[j])+")")
	return false
}

// Null reads the next value if it is null, and reports whether it was.
func (r *Reader) Null() bool {
	if r.Peek() != Null {
		return false
	}
	r.vs = r.i
	return r.literal("null")
}

// Object starts reading an object: it reads its opening brace and reports
// true, or reads null and reports false. Any other value is a type error.
// Read the members with [Reader.Key] until it reports false.
func (r *Reader) Object() bool {
	switch r.start() {
	case Object:
		return r.open()
	case Null:
		r.literal("null")
	case Invalid:
	case Bool, Number, String, Array:
		r.wrongType("object")
	}
	return false
}

// open reads the opening brace or bracket at r.i.
func (r *Reader) open() bool {
	if r.depth++; r.depth > MaxDepth {
		r.syntax(r.i, "exceeded max depth")
		return false
	}
	r.i++
	r.first = true
	return true
}

// close reads the closing brace or bracket at r.i.
func (r *Reader) close() {
	r.i++
	r.depth--
	r.first = false
}

// Key reads the key of the next member of the object being read, and the
// colon after it, and reports true; the caller then reads the value. At the
// end of the object it reads the closing brace and reports false.
func (r *Reader) Key() (string, bool) {
	if r.err != nil {
		return "", false
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		r.syntaxChar(r.i, "")
		return "", false
	}
	switch c := r.s[r.i]; {
	case c == '}':
		r.close()
		return "", false
	case r.first:
		r.first = false
	case c == ',':
		r.i++
		r.skipSpace()
	default:
		r.syntaxChar(r.i, "after object key:value pair")
		return "", false
	}
	if r.i >= len(r.s) || r.s[r.i] != '"' {
		r.syntaxChar(r.i, "looking for beginning of object key string")
		return "", false
	}
	key, ok := r.str()
	if !ok {
		return "", false
	}
	r.skipSpace()
	if r.i >= len(r.s) || r.s[r.i] != ':' {
		r.syntaxChar(r.i, "after object key")
		return "", false
	}
	r.i++
	return key, true
}

// Array starts reading an array: it reads its opening bracket and reports
// true, or reads null and reports false. Any other value is a type error.
// Read the elements by calling [Reader.More] before each.
func (r *Reader) Array() bool {
	switch r.start() {
	case Array:
		return r.open()
	case Null:
		r.literal("null")
	case Invalid:
	case Bool, Number, String, Object:
		r.wrongType("array")
	}
	return false
}

// More reports whether another element of the array being read follows,
// reading the comma before it; at the end of the array it reads the closing
// bracket and reports false.
func (r *Reader) More() bool {
	if r.err != nil {
		return false
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		r.syntaxChar(r.i, "")
		return false
	}
	switch c := r.s[r.i]; {
	case c == ']':
		r.close()
		return false
	case r.first:
		r.first = false
		return true
	case c == ',':
		r.i++
		r.skipSpace()
		if r.i < len(r.s) && r.s[r.i] == ']' {
			r.syntaxChar(r.i, "looking for beginning of value")
			return false
		}
		return true
	}
	r.syntaxChar(r.i, "after array element")
	return false
}

// wrongType records a type error for the value at r.i and skips it, so that
// the error names the value's kind.
func (r *Reader) wrongType(want string) {
	r.typeErr(r.i, r.Peek(), want, "")
}

// Text reads a string; null reads as "". Any other value is a type error.
func (r *Reader) Text() string {
	s, _ := r.NullableString()
	return s
}

// NullableString reads a string and reports true, or reads null and reports
// false. Any other value is a type error.
func (r *Reader) NullableString() (string, bool) {
	switch r.start() {
	case String:
		return r.str()
	case Null:
		r.literal("null")
	case Invalid:
	case Bool, Number, Object, Array:
		r.wrongType("string")
	}
	return "", false
}

// str reads the string at r.i, which starts with a quote.
func (r *Reader) str() (string, bool) {
	s := r.s
	start := r.i + 1
	for i := start; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			r.i = i + 1
			return s[start:i], true
		case c == '\\' || c < 0x20:
			return r.slowStr(start, i)
		case c < utf8.RuneSelf:
			i++
		default:
			rr, size := utf8.DecodeRuneInString(s[i:])
			if rr == utf8.RuneError && size == 1 {
				return r.slowStr(start, i)
			}
			i += size
		}
	}
	r.syntax(len(s), "unexpected end of JSON input")
	return "", false
}

// slowStr reads the rest of a string that has escapes, control characters
// or invalid UTF-8, from i; s[start:i] is plain text.
func (r *Reader) slowStr(start, i int) (string, bool) {
	s := r.s
	var b strings.Builder
	b.Grow(i - start + 16)
	b.WriteString(s[start:i])
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			r.i = i + 1
			return b.String(), true
		case c < 0x20:
			r.syntaxChar(i, "in string literal")
			return "", false
		case c == '\\':
			if i+1 >= len(s) {
				r.syntax(len(s), "unexpected end of JSON input")
				return "", false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
				i += 2
			case 'b':
				b.WriteByte('\b')
				i += 2
			case 'f':
				b.WriteByte('\f')
				i += 2
			case 'n':
				b.WriteByte('\n')
				i += 2
			case 'r':
				b.WriteByte('\r')
				i += 2
			case 't':
				b.WriteByte('\t')
				i += 2
			case 'u':
				rr, next, ok := unicodeEscape(s, i)
				if !ok {
					r.syntaxChar(next, "in \\u hexadecimal character escape")
					return "", false
				}
				b.WriteRune(rr)
				i = next
			default:
				r.syntaxChar(i+1, "in string escape code")
				return "", false
			}
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			rr, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(rr) // invalid UTF-8 decodes as U+FFFD
			i += size
		}
	}
	r.syntax(len(s), "unexpected end of JSON input")
	return "", false
}

// unicodeEscape reads the \uXXXX escape at s[i:], and the one after it
// when the two are a surrogate pair, and returns the rune (U+FFFD for a
// lone surrogate) and the offset after the escape. When four hexadecimal
// digits do not follow the \u, it returns false and the offset of the first
// byte that is not one, or len(s) where the input ends first.
func unicodeEscape(s string, i int) (rune, int, bool) {
	rr, next, ok := hex4(s, i+2)
	if !ok || !utf16.IsSurrogate(rr) {
		return rr, next, ok
	}
	if strings.HasPrefix(s[next:], `\u`) {
		if lo, after, ok := hex4(s, next+2); ok {
			if dec := utf16.DecodeRune(rr, lo); dec != utf8.RuneError {
				return dec, after, true
			}
		}
	}
	return utf8.RuneError, next, true
}

// hex4 decodes the four hexadecimal digits at s[i:] and returns the offset
// after them; when there are not four, it returns false and the offset of
// the first byte that is not one, or len(s) where the input ends first.
func hex4(s string, i int) (rune, int, bool) {
	var v rune
	for j := i; j < i+4; j++ {
		if j >= len(s) {
			return 0, j, false
		}
		d, ok := hexDigit(s[j])
		if !ok {
			return 0, j, false
		}
		v = v<<4 | d
	}
	return v, i + 4, true
}

func hexDigit(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

// Bool reads true or false; null reads as false. Any other value is a type
// error.
func (r *Reader) Bool() bool {
	switch r.start() {
	case Bool:
		if r.s[r.i] == 't' {
			return r.literal("true")
		}
		r.literal("false")
	case Null:
		r.literal("null")
	case Invalid:
	case Number, String, Object, Array:
		r.wrongType("bool")
	}
	return false
}

// number reads the number at r.i and returns its text, and whether it is an
// integer (no fraction, no exponent).
func (r *Reader) number() (string, bool, bool) {
	s, start := r.s, r.i
	i := start
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i++; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		}
	default:
		r.syntaxChar(i, "in numeric literal")
		return "", false, false
	}
	integer := true
	if i < len(s) && s[i] == '.' {
		integer = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			r.syntaxChar(i, "after decimal point in numeric literal")
			return "", false, false
		}
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		integer = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			r.syntaxChar(i, "in exponent of numeric literal")
			return "", false, false
		}
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		}
	}
	r.i = i
	return s[start:i], integer, true
}

// Int64 reads an integer that fits an int64; null reads as 0. A number
// with a fraction or an exponent, or out of range, is a type error, as is
// any other value.
func (r *Reader) Int64() int64 {
	switch r.start() {
	case Number:
		at := r.i
		text, integer, ok := r.number()
		if !ok {
			return 0
		}
		if integer {
			if v, err := strconv.ParseInt(text, 10, 64); err == nil {
				return v
			}
		}
		r.typeErr(at, Number, "int64", text)
	case Null:
		r.literal("null")
	case Invalid:
	case Bool, String, Object, Array:
		r.wrongType("int64")
	}
	return 0
}

// Float64 reads a number that fits a float64; null reads as 0. A number out
// of range is a type error, as is any other value.
func (r *Reader) Float64() float64 {
	switch r.start() {
	case Number:
		at := r.i
		text, _, ok := r.number()
		if !ok {
			return 0
		}
		// The text is a valid JSON number: ParseFloat fails only on one
		// out of range, which it reads as an infinity.
		v, err := strconv.ParseFloat(text, 64)
		if err == nil {
			return v
		}
		r.typeErr(at, Number, "float64", text)
	case Null:
		r.literal("null")
	case Invalid:
	case Bool, String, Object, Array:
		r.wrongType("float64")
	}
	return 0
}

// Skip reads the next value, whatever it is, checking that it is valid JSON.
func (r *Reader) Skip() {
	r.skip()
}

// Raw reads the next value, whatever it is, and returns its text as it
// stands in the document (valid JSON, surrounding white space excluded).
func (r *Reader) Raw() string {
	start := r.skip()
	if r.err != nil {
		return ""
	}
	return r.s[start:r.i]
}

// skip reads one value and returns where it starts.
func (r *Reader) skip() int {
	switch r.start() {
	case Null:
		r.literal("null")
	case Bool:
		if r.s[r.i] == 't' {
			r.literal("true")
		} else {
			r.literal("false")
		}
	case Number:
		r.number()
	case String:
		r.str()
	case Object:
		start := r.i
		if r.Object() {
			for _, ok := r.Key(); ok; _, ok = r.Key() {
				r.skip()
			}
		}
		return start
	case Array:
		start := r.i
		if r.Array() {
			for r.More() {
				r.skip()
			}
		}
		return start
	case Invalid:
	}
	return r.vs
}

// End checks that only white space follows the value read, and returns
// [Reader.Err].
func (r *Reader) End() error {
	if r.err == nil {
		r.skipSpace()
		if r.i < len(r.s) {
			r.syntaxChar(r.i, "after top-level value")
		}
	}
	return r.Err()
}

// quoteChar formats c as encoding/json's syntax errors do.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}
