package join

import "github.com/apache/arrow-go/v18/arrow/array"

// copiedStrings is one Go copy of the values of a string array: its values
// stay valid after the array is released, for one allocation in all (a
// strings.Clone per value would be one per row).
type copiedStrings struct {
	data    string
	offsets []int32
}

func copyStrings(a *array.String) copiedStrings {
	if a.Len() == 0 { // an empty array may have no offsets buffer
		return copiedStrings{}
	}
	return copiedStrings{data: string(a.ValueBytes()), offsets: a.ValueOffsets()}
}

// value is the i-th value (a view into the copy).
func (c copiedStrings) value(i int) string {
	return c.data[c.offsets[i]-c.offsets[0] : c.offsets[i+1]-c.offsets[0]]
}
