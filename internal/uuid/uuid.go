// Package uuid writes 16 bytes as a version-4 UUID, the form Junction
// gives its ids and idempotency keys.
package uuid

// V4 returns b as a version-4, variant-1 UUID in its canonical text form
// (8-4-4-4-12 lower-case hexadecimal digits): the version and variant bits
// of b are overwritten, the other 122 kept.
func V4(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[x>>4], hex[x&0x0f])
	}
	return string(out)
}
