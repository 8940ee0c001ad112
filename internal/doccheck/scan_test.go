package doccheck

import "reflect"

// newScanTarget returns a pointer to a new value of a column's scan type.
func newScanTarget(t reflect.Type) any { return reflect.New(t).Interface() }

// derefAll turns the scan targets back into values for printing.
func derefAll(ptrs []any) []any {
	out := make([]any, len(ptrs))
	for i, p := range ptrs {
		out[i] = reflect.ValueOf(p).Elem().Interface()
	}
	return out
}
