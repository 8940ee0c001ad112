package csvfile

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidUTF8Window(t *testing.T) {
	const gan = "\xE8\xB5\xA3"      // 赣 in UTF-8
	const ganGB = "\xB8\xD3"        // 赣 in GB18030
	const rare = "\x82\x35\x8F\x33" // a four-byte GB18030 character
	tests := []struct {
		name  string
		head  string
		atEOF bool
		want  bool
	}{
		{name: "ASCII", head: "id,month", atEOF: true, want: true},
		{name: "complete UTF-8", head: "身份证号," + gan, atEOF: true, want: true},
		{name: "character cut after one byte", head: "身份证号," + gan[:1], want: true},
		{name: "character cut after two bytes", head: "身份证号," + gan[:2], want: true},
		{name: "cut character at end of file is not forgiven", head: "身份证号," + gan[:2], atEOF: true, want: false},
		{name: "GB18030", head: ganGB + ganGB, want: false},
		{name: "GB18030 ending in a UTF-8-like lead byte", head: ganGB + "\xE8", want: false},
		{name: "four-byte GB18030", head: "a," + rare, want: false},
		{name: "invalid byte at the end", head: "abc\xFF", want: false},
		{name: "stray continuation byte at the end", head: "abc\xB5", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, validUTF8Window([]byte(tt.head), tt.atEOF))
		})
	}
}
