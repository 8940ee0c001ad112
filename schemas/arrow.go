package schemas

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// ArrowSchema is the Arrow form of the table: the record batches transforms
// build for it have exactly this schema, and the ClickHouse sink appends
// their columns in order.
func (t Table) ArrowSchema() *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		typ, nullable, err := ArrowType(c.Type)
		if err != nil {
			panic(fmt.Sprintf("schemas: table %s column %s: %v", t.Name, c.Name, err))
		}
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// MoneyType is the Arrow type of money columns: exact yuan with two decimals,
// the twin of ClickHouse Decimal(18, 2).
var MoneyType = &arrow.Decimal128Type{Precision: 18, Scale: 2}

// ArrowType maps a ClickHouse column type to its Arrow twin and whether the
// column is nullable.
func ArrowType(chType string) (arrow.DataType, bool, error) {
	if inner, ok := strings.CutPrefix(chType, "Nullable("); ok {
		typ, _, err := ArrowType(strings.TrimSuffix(inner, ")"))
		return typ, true, err
	}
	if inner, ok := strings.CutPrefix(chType, "Array("); ok {
		typ, _, err := ArrowType(strings.TrimSuffix(inner, ")"))
		if err != nil {
			return nil, false, err
		}
		return arrow.ListOf(typ), false, nil
	}
	switch chType {
	case "String":
		return arrow.BinaryTypes.String, false, nil
	case "Date":
		return arrow.FixedWidthTypes.Date32, false, nil
	case "DateTime":
		return &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, false, nil
	case "UInt8":
		return arrow.PrimitiveTypes.Uint8, false, nil
	case "UInt16":
		return arrow.PrimitiveTypes.Uint16, false, nil
	case "UInt32":
		return arrow.PrimitiveTypes.Uint32, false, nil
	case "UInt64":
		return arrow.PrimitiveTypes.Uint64, false, nil
	case "Float64":
		return arrow.PrimitiveTypes.Float64, false, nil
	case "Decimal(18, 2)":
		return MoneyType, false, nil
	}
	return nil, false, fmt.Errorf("mapping ClickHouse type %q to Arrow: unsupported type", chType)
}
