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
	// unquoted, when not 0, makes the row ragged in the file: field
	// unquoted-1 is written without quoting (a comma in it splits it in
	// two) or, with drop, left out.
	unquoted int
	drop     bool
}

func (r *rowBuf) reset() {
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
	r.quote = false
	r.unquoted, r.drop = 0, false
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
	start := 0
	if j > 0 {
		start = r.ends[j-1]
	}
	end := r.ends[j]
	n := len(r.buf)
	delta := len(s) - (end - start)
	if delta > 0 {
		r.buf = append(r.buf, make([]byte, delta)...)
	}
	copy(r.buf[start+len(s):], r.buf[end:n])
	r.buf = r.buf[:n+delta]
	copy(r.buf[start:], s)
	for i := j; i < len(r.ends); i++ {
		r.ends[i] += delta
	}
	r.quote = true
}

// appendMoney appends fen as yuan with exactly two decimals: 1234.50.
func appendMoney(dst []byte, fen int64) []byte {
	var tmp [24]byte
	neg := fen < 0
	u := uint64(fen)
	if neg {
		u = -u
	}
	i := len(tmp)
	cents := u % 100
	u /= 100
	tmp[i-1] = byte('0' + cents%10)
	tmp[i-2] = byte('0' + cents/10)
	tmp[i-3] = '.'
	i -= 3
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		tmp[i] = '-'
	}
	return append(dst, tmp[i:]...)
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
