package poisonmem

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
)

func TestFreedStringsReadAsPoison(t *testing.T) {
	mem := memory.NewCheckedAllocator(New())
	defer mem.AssertSize(t, 0)
	b := array.NewStringBuilder(mem)
	b.Append("360102199001010028")
	arr := b.NewStringArray()
	b.Release()

	kept, cloned := arr.Value(0), strings.Clone(arr.Value(0))
	arr.Release()

	require.Equal(t, strings.Repeat("\xff", 18), kept, "a string kept past Release reads the poison")
	require.Equal(t, "360102199001010028", cloned, "a copy is unaffected")
}

func TestReallocatePoisonsTheMovedBuffer(t *testing.T) {
	a := New()
	b := a.Allocate(8)
	copy(b, "abcdefgh")
	old := b
	b = a.Reallocate(1024, b)
	require.Equal(t, "abcdefgh", string(b[:8]), "the data moves")
	require.Equal(t, strings.Repeat("\xff", 8), string(old), "the old buffer is poisoned")
	same := a.Reallocate(4, b)
	require.Equal(t, "abcd", string(same), "a shrink keeps the buffer")
	a.Free(b)
}
