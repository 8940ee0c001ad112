package csvfile

import (
	"bufio"
	"bytes"

	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how much of the file encoding detection looks at: enough to
// hold the header and hundreds of rows, so a GB18030 file is recognised by its
// Chinese text long before the end of the window.
const sniffSize = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// errUTF16 is returned for a file Excel saved as "Unicode text": detection
// would otherwise take it for GB18030 and report every column as missing.
var errUTF16 = errors.New("file is UTF-16 (byte-order mark found); save it as CSV UTF-8 or CSV (逗号分隔)")

// textFile is an open extract file seen as UTF-8 text.
type textFile struct {
	file *os.File
	gz   *gzip.Reader
	// text yields the file's content as UTF-8, byte-order mark removed.
	text io.Reader
	// encoding is the encoding the file was decoded with.
	encoding string
}

// openText opens the extract at path, decompressing it when its name ends in
// .gz (klauspost/compress's gzip: the standard library's API and output,
// faster), and decodes it with the forced encoding or, when forced is empty, the
// one detected from its first bytes. The caller closes the result.
func openText(path, forced string) (*textFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	tf := &textFile{file: f}
	var raw io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("opening gzip stream: %w", err)
		}
		tf.gz = gz
		raw = gz
	}
	br := bufio.NewReaderSize(raw, sniffSize)
	tf.text, tf.encoding, err = decode(br, forced)
	if err != nil {
		_ = tf.Close()
		return nil, err
	}
	return tf, nil
}

// Close closes the gzip stream, if any, and the file.
func (tf *textFile) Close() error {
	var gzErr error
	if tf.gz != nil {
		gzErr = tf.gz.Close()
	}
	return errors.Join(gzErr, tf.file.Close())
}

// decode returns a UTF-8 reader over br and the name of the encoding used.
// Detection, when forced is empty: a UTF-8 byte-order mark means UTF-8; a
// first window that is valid UTF-8 means UTF-8; anything else is taken for
// GB18030, the only other encoding departments deliver.
func decode(br *bufio.Reader, forced string) (io.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	atEOF := errors.Is(err, io.EOF)
	if err != nil && !atEOF {
		return nil, "", fmt.Errorf("detecting encoding: %w", err)
	}
	enc := forced
	if enc == "" {
		switch {
		case bytes.HasPrefix(head, bomUTF8):
			enc = EncodingUTF8
		case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
			return nil, "", errUTF16
		case validUTF8Window(head, atEOF):
			enc = EncodingUTF8
		default:
			enc = EncodingGB18030
		}
	}
	if enc == EncodingUTF8 {
		if bytes.HasPrefix(head, bomUTF8) {
			_, _ = br.Discard(len(bomUTF8)) // cannot fail: the bytes are buffered
		}
		return br, enc, nil
	}
	// GBK is a subset of GB18030; the GB18030 decoder also reads the rare
	// characters (in names) that GBK lacks. A GB18030 byte-order mark decodes
	// to U+FEFF, which header cleaning strips.
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), enc, nil
}

// validUTF8Window reports whether b, the first bytes of a file, is valid
// UTF-8. Unless b is the whole file, the window may end in the middle of a
// multi-byte character; such a cut character is not held against it.
func validUTF8Window(b []byte, atEOF bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if atEOF {
		return false
	}
	// Find the start of the last character among the final UTFMax-1 bytes.
	for i := len(b) - 1; i >= 0 && i >= len(b)-(utf8.UTFMax-1); i-- {
		if utf8.RuneStart(b[i]) {
			// A cut character is incomplete; an invalid byte counts as a
			// full (bad) rune and is not forgiven.
			return !utf8.FullRune(b[i:]) && utf8.Valid(b[:i])
		}
	}
	return false
}
