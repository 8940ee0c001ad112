// Package poisonmem is an Arrow allocator for tests that makes a use after
// free visible: Free (and a Reallocate that moves the data) overwrites the
// released buffer with a poison byte. Go's allocator never reuses memory that
// something still points to, so a string kept from array.String.Value after
// its batch is released silently keeps its bytes under memory.GoAllocator;
// under this allocator it reads as poison and the test fails.
//
// Tests use it under memory.NewCheckedAllocator, so leaks are still caught:
//
//	mem := memory.NewCheckedAllocator(poisonmem.New())
//	defer mem.AssertSize(t, 0)
package poisonmem

import "github.com/apache/arrow-go/v18/arrow/memory"

// Poison is the byte freed buffers are filled with: 0xFF is never valid in
// UTF-8, so a poisoned string cannot pass for text either.
const Poison = 0xFF

// Allocator wraps memory.GoAllocator and poisons what it frees.
type Allocator struct {
	inner *memory.GoAllocator
}

// New returns a poisoning allocator.
func New() *Allocator { return &Allocator{inner: memory.NewGoAllocator()} }

// Allocate returns a zeroed buffer of size bytes.
func (a *Allocator) Allocate(size int) []byte { return a.inner.Allocate(size) }

// Reallocate resizes b; when the data moves, the old buffer is poisoned.
func (a *Allocator) Reallocate(size int, b []byte) []byte {
	out := a.inner.Reallocate(size, b)
	if cap(b) > 0 && (cap(out) == 0 || &out[:1][0] != &b[:1][0]) {
		poison(b)
	}
	return out
}

// Free poisons b and releases it.
func (a *Allocator) Free(b []byte) {
	poison(b)
	a.inner.Free(b)
}

func poison(b []byte) {
	b = b[:cap(b)]
	for i := range b {
		b[i] = Poison
	}
}

var _ memory.Allocator = (*Allocator)(nil)
