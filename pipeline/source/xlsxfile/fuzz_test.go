package xlsxfile

import (
	"context"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzRead: no file content (damaged workbooks included) panics the reader
// or leaks memory.
func FuzzRead(f *testing.F) {
	good := workbook(f, sheet{name: "Sheet1", rows: [][]any{civilHeader, {id1, "城乡低保", "2025-06", "650", nil, nil}}})
	b, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add(append([]byte{}, oleSignature...))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, content []byte) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		cfg := DefaultConfig()
		cfg.Path = writeFile(t, content)
		_, _ = New(cfg, civil(t), "2025-06/civil.xlsx", mem).Read(context.Background(), func(arrow.RecordBatch) error { return nil })
	})
}
