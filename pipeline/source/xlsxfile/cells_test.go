package xlsxfile

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
)

func TestCellText(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		kind     schemas.Kind
		date1904 bool
		want     string
	}{
		{name: "text as written", raw: " 务工就业 ", kind: schemas.Enum, want: "务工就业"},
		{name: "date serial", raw: "45838", kind: schemas.Date, want: "2025-06-30"},
		{name: "date serial with time", raw: "45838.75", kind: schemas.Date, want: "2025-06-30"},
		{name: "date serial, 1904 system", raw: "44376", kind: schemas.Date, date1904: true, want: "2025-06-30"},
		{name: "date as text", raw: "2025/6/30", kind: schemas.Date, want: "2025/6/30"},
		{name: "compact date as a number", raw: "20250630", kind: schemas.Date, want: "20250630"},
		{name: "month serial (2025-06-01)", raw: "45809", kind: schemas.Month, want: "2025-06"},
		{name: "compact month as a number", raw: "202506", kind: schemas.Month, want: "202506"},
		{name: "month typed as a decimal is not a day in 1905", raw: "2025.06", kind: schemas.Month, want: "2025.06"},
		{name: "month as text", raw: "2025年6月", kind: schemas.Month, want: "2025年6月"},
		{name: "amount", raw: "3500.5", kind: schemas.Money, want: "3500.5"},
		{name: "amount with floating-point noise", raw: "1234.5600000000001", kind: schemas.Money, want: "1234.56"},
		{name: "amount with three real decimals stays wrong", raw: "12.345", kind: schemas.Money, want: "12.345"},
		{name: "amount as text", raw: "￥1,234.50", kind: schemas.Money, want: "￥1,234.50"},
		{name: "ID stored as a number, every digit kept", raw: "360102199001011234", kind: schemas.IDNumber, want: "360102199001011234"},
		{name: "ID Excel kept 15 digits of", raw: "3.60102199001011E+17", kind: schemas.IDNumber, want: "3.60102199001011E+17"},
		{name: "integer", raw: "4", kind: schemas.Integer, want: "4"},
		{name: "boolean cell", raw: "1", kind: schemas.YesNo, want: "1"},
		{name: "error value", raw: "#N/A", kind: schemas.Money, want: "#N/A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, cellText(tt.raw, tt.kind, tt.date1904))
		})
	}
}
