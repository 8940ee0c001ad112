package synth

import "strconv"

// rowBuf holds the fields of one row, in the contract's column order, in a
// single reusable byte slice so that writing a row allocates nothing.
type rowBuf struct {
	buf  []byte
	ends []int // end offset in buf of each field
	// quote is set when some field may need CSV quoting. Clean fields
	// (IDs, names, codes, numbers) never do, so most rows skip the scan.
	quote bool
}

func (r *rowBuf) reset() {
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
	r.quote = false
}

// len is the number of fields so far.
func (r *rowBuf) len() int { return len(r.ends) }

// field returns the text of field j.
func (r *rowBuf) field(j int) []byte {
	start := 0
	if j > 0 {
		start = r.ends[j-1]
	}
	return r.buf[start:r.ends[j]]
}

func (r *rowBuf) endField() { r.ends = append(r.ends, len(r.buf)) }

// str appends a text field.
func (r *rowBuf) str(s string) {
	r.buf = append(r.buf, s...)
	r.endField()
}

// str2 appends a field made of two parts (a county name and a suffix).
func (r *rowBuf) str2(a, b string) {
	r.buf = append(r.buf, a...)
	r.buf = append(r.buf, b...)
	r.endField()
}

// bytes appends a field from bytes.
func (r *rowBuf) bytes(b []byte) {
	r.buf = append(r.buf, b...)
	r.endField()
}

// empty appends an empty field.
func (r *rowBuf) empty() { r.endField() }

// money appends an amount in yuan with two decimals (the clean form).
func (r *rowBuf) money(fen int64) {
	r.buf = appendMoney(r.buf, fen)
	r.endField()
}

// integer appends a whole number.
func (r *rowBuf) integer(n int) {
	r.buf = strconv.AppendInt(r.buf, int64(n), 10)
	r.endField()
}

// month appends a month as YYYY-MM.
func (r *rowBuf) month(m month) {
	r.buf = appendMonth(r.buf, m)
	r.endField()
}

// date appends a day as YYYY-MM-DD.
func (r *rowBuf) date(m month, day int) {
	r.buf = appendDate(r.buf, m, day)
	r.endField()
}

// set replaces field j with s. It is the slow path taken by dirty rows only.
func (r *rowBuf) set(j int, s string) {
	old := make([][]byte, len(r.ends))
	for i := range old {
		old[i] = append([]byte(nil), r.field(i)...)
	}
	old[j] = []byte(s)
	r.reset()
	for _, f := range old {
		r.bytes(f)
	}
	r.quote = true
}

// appendMoney appends fen as yuan with exactly two decimals: 1234.50.
func appendMoney(dst []byte, fen int64) []byte {
	if fen < 0 {
		dst = append(dst, '-')
		fen = -fen
	}
	dst = strconv.AppendInt(dst, fen/100, 10)
	dst = append(dst, '.')
	return appendPadded(dst, int(fen%100), 2)
}

// parseCleanMoney reads back an amount written by appendMoney.
func parseCleanMoney(b []byte) int64 {
	var neg bool
	var n int64
	for _, c := range b {
		switch {
		case c == '-':
			neg = true
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
		}
	}
	if neg {
		return -n
	}
	return n
}
