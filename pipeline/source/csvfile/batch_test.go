package csvfile

import (
	"strings"
	"testing"
	"unicode"
)

// TestTrimSpaceIsStringsTrimSpace: the trimming of fields is exactly
// strings.TrimSpace, for ASCII, Chinese text, Unicode spaces (the
// ideographic space U+3000, no-break space U+00A0) and invalid UTF-8.
func TestTrimSpaceIsStringsTrimSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", " a", "a ", "\ta\r\n", "3601", "张三", " 张三", "张三 ", "\u3000张三\u3000", "\u00a0x", "x\u00a0",
		"\u2028", "\x85", "\xc2\x85x", "\xff", "a\xff", "\xffa", "\xe3\x80", "张\u3000三", "\u200b张", "\ufeff张",
	} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, strings.TrimSpace gives %q", s, got, want)
		}
	}
}

// FuzzTrimSpace checks trimSpace against strings.TrimSpace on any input.
func FuzzTrimSpace(f *testing.F) {
	f.Add(" 张三\u3000")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, strings.TrimSpace gives %q", s, got, want)
		}
	})
}

// TestTheSpaceBytesCoverEveryUnicodeSpace: every character unicode.IsSpace
// holds for begins with a byte mayBeginSpace admits and ends with one
// mayEndSpace admits, so trimSpace never leaves white space untrimmed.
func TestTheSpaceBytesCoverEveryUnicodeSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsSpace(r) {
			continue
		}
		b := []byte(string(r))
		if !mayBeginSpace(b[0]) || !mayEndSpace(b[len(b)-1]) {
			t.Errorf("%U (% X) is white space; mayBeginSpace(%#x) = %v, mayEndSpace(%#x) = %v",
				r, b, b[0], mayBeginSpace(b[0]), b[len(b)-1], mayEndSpace(b[len(b)-1]))
		}
	}
}
