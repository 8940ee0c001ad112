package schemas

import "github.com/apache/arrow-go/v18/arrow"

// TypedSchema is the Arrow schema of a source's validated batches: one
// column per logical column, typed by Kind (IDNumber, Text, Enum: utf8 with
// the normalised value; Money: int64 fen; Month: int32 values.Month; Date:
// date32; YesNo: bool; Integer: int64), optional columns nullable, then
// LineColumn.
func (s Source) TypedSchema() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(s.Columns)+1)
	for _, c := range s.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Kind.ArrowType(), Nullable: !c.Required})
	}
	fields = append(fields, arrow.Field{Name: LineColumn, Type: arrow.PrimitiveTypes.Int64})
	md := arrow.NewMetadata([]string{"source"}, []string{s.Name})
	return arrow.NewSchema(fields, &md)
}

// ArrowType is the Arrow type a validated value of this kind is kept in.
func (k Kind) ArrowType() arrow.DataType {
	switch k {
	case Money, Integer:
		return arrow.PrimitiveTypes.Int64
	case Month:
		return arrow.PrimitiveTypes.Int32
	case Date:
		return arrow.FixedWidthTypes.Date32
	case YesNo:
		return arrow.FixedWidthTypes.Boolean
	default:
		return arrow.BinaryTypes.String
	}
}
