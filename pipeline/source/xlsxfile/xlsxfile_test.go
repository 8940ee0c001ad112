package xlsxfile

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const (
	id1 = "360102199001011234"
	id2 = "36010219900101567X"
)

func TestRead(t *testing.T) {
	day := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	first := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		path      func(t *testing.T) string
		sheet     string
		wantRows  []row
		wantExtra []string
		wantErr   string
	}{
		{
			name: "text cells, header row 1, lines are sheet rows",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "低保", rows: [][]any{
					civilHeader,
					{id1, "城乡低保", "2025-06", "650.00", "在保", nil},
					{id2, "死亡登记", "2025/06", "0", nil, "2025/6/30"},
				}})
			},
			wantRows: []row{
				{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650.00", Coverage: "在保", Line: 2},
				{ID: id2, AidType: "死亡登记", PayMonth: "2025/06", Amount: "0", DeathDate: "2025/6/30", Line: 3},
			},
		},
		{
			name: "numbers, dates and months as Excel stores them",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{
					civilHeader,
					{int64(360102199001011234), "城乡低保", first, 650.5, "在保", day},
					{id2, "临时救助", 202506, 1234.5600000000001, nil, 20250630},
				}})
			},
			wantRows: []row{
				{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650.5", Coverage: "在保", DeathDate: "2025-06-30", Line: 2},
				{ID: id2, AidType: "临时救助", PayMonth: "202506", Amount: "1234.56", DeathDate: "20250630", Line: 3},
			},
		},
		{
			name: "an ID Excel kept 15 digits of is passed on for ID_INVALID",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{
					civilHeader,
					{nil, "城乡低保", "2025-06", 650, nil, nil},
				}, edit: func(f *excelize.File, name string) {
					// What Excel writes for 360102199001011234 typed into a General cell.
					require.NoError(t, f.SetCellDefault(name, "A2", "3.60102199001011E+17"))
				}})
			},
			wantRows: []row{{ID: "3.60102199001011E+17", AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Line: 2}},
		},
		{
			name: "formula cells read as their cached value",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{
					append(civilHeader, "基数"),
					{id1, "城乡低保", "2025-06", 650, nil, nil, 325},
				}, edit: func(f *excelize.File, name string) {
					require.NoError(t, f.SetCellFormula(name, "D2", "G2*2"))
				}})
			},
			wantExtra: []string{"基数"},
			wantRows:  []row{{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Line: 2}},
		},
		{
			name: "title row merged across the table, merged header cell, empty trailing rows and columns",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{
					{"2025年6月社会救助发放表"},
					{"身份证号", nil, "救助类型", "发放年月", "发放金额（元）", " 保障状态 ", nil, nil},
					{id1, nil, "城乡低保", "2025-06", "650", "在保"},
					{},
					{id2, nil, "特困供养", "2025-06", "1000", nil},
				}, edit: func(f *excelize.File, name string) {
					require.NoError(t, f.MergeCell(name, "A1", "F1"))
					require.NoError(t, f.MergeCell(name, "A2", "B2"))
					// Formatted but empty rows and columns below and right of the table.
					style, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
					require.NoError(t, err)
					require.NoError(t, f.SetCellStyle(name, "A6", "J40", style))
				}})
			},
			wantRows: []row{
				{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Coverage: "在保", Line: 3},
				{ID: id2, AidType: "特困供养", PayMonth: "2025-06", Amount: "1000", Line: 5},
			},
		},
		{
			name: "a hidden first sheet is skipped for the first visible one",
			path: func(t *testing.T) string {
				return workbook(t,
					sheet{name: "代码表", hidden: true, rows: [][]any{{"代码", "名称"}, {"01", "城乡低保"}}},
					sheet{name: "数据", rows: [][]any{civilHeader, {id1, "城乡低保", "2025-06", "650", nil, nil}}},
				)
			},
			wantRows: []row{{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Line: 2}},
		},
		{
			name: "a value right of the header is a row error, not lost",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{
					civilHeader,
					{id1, "城乡低保", "2025-06", "650", nil, nil, nil, "多余"},
				}})
			},
			wantRows: []row{{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Line: 2,
				Err: "row has a value in column H, right of the header's 6 columns"}},
		},
		{
			name: "the configured sheet",
			path: func(t *testing.T) string {
				return workbook(t,
					sheet{name: "说明", rows: [][]any{{"本表由民政局导出", "请勿修改"}}},
					sheet{name: "数据", rows: [][]any{civilHeader, {id1, "城乡低保", "2025-06", "650", nil, nil}}},
				)
			},
			sheet:    "数据",
			wantRows: []row{{ID: id1, AidType: "城乡低保", PayMonth: "2025-06", Amount: "650", Line: 2}},
		},
		{
			name: "data on the second sheet",
			path: func(t *testing.T) string {
				return workbook(t,
					sheet{name: "说明", rows: [][]any{{"本表由民政局导出", "请勿修改"}}},
					sheet{name: "数据", rows: [][]any{civilHeader, {id1, "城乡低保", "2025-06", "650", nil, nil}}},
				)
			},
			wantErr: "reading 2025-06/civil.xlsx sheet 说明 row 1: missing required columns 身份证号 (id_number), 救助类型 (aid_type), 发放年月 (pay_month), 发放金额 (amount); sheet 说明 was read, the workbook also has 数据: move the extract to the first sheet",
		},
		{
			name:    "no such configured sheet",
			path:    func(t *testing.T) string { return workbook(t, sheet{name: "Sheet1", rows: [][]any{civilHeader}}) },
			sheet:   "数据",
			wantErr: `reading 2025-06/civil.xlsx: no sheet "数据" (the workbook has Sheet1)`,
		},
		{
			name:     "header only",
			path:     func(t *testing.T) string { return workbook(t, sheet{name: "Sheet1", rows: [][]any{civilHeader}}) },
			wantRows: nil,
		},
		{
			name:    "empty sheet",
			path:    func(t *testing.T) string { return workbook(t, sheet{name: "Sheet1"}) },
			wantErr: "reading 2025-06/civil.xlsx: sheet Sheet1 has no header row (expected the Chinese column names in row 1)",
		},
		{
			name: "ambiguous header",
			path: func(t *testing.T) string {
				return workbook(t, sheet{name: "Sheet1", rows: [][]any{append(civilHeader, "身份证号码")}})
			},
			wantErr: `reading 2025-06/civil.xlsx sheet Sheet1 row 1: ambiguous header: column 1 "身份证号" and column 7 "身份证号码" both name 身份证号 (id_number); keep one of them`,
		},
		{
			name:    "0-byte file",
			path:    func(t *testing.T) string { return writeFile(t, nil) },
			wantErr: "reading 2025-06/civil.xlsx: file is empty (0 bytes), expected an .xlsx workbook; deliver the extract again",
		},
		{
			name: "an old binary .xls renamed .xlsx",
			path: func(t *testing.T) string {
				return writeFile(t, append(append([]byte{}, oleSignature...), make([]byte, 504)...))
			},
			wantErr: "reading 2025-06/civil.xlsx: file is an old binary Excel workbook (.xls) named .xlsx; open it in Excel and save it as .xlsx, or as CSV",
		},
		{
			name: "an encrypted workbook",
			path: func(t *testing.T) string {
				f := excelize.NewFile()
				defer f.Close()
				require.NoError(t, f.SetSheetRow("Sheet1", "A1", &civilHeader))
				path := writeFile(t, nil)
				require.NoError(t, f.SaveAs(path, excelize.Options{Password: "secret"}))
				return path
			},
			wantErr: "reading 2025-06/civil.xlsx: workbook is password-protected (encrypted); ask the department for an unprotected copy",
		},
		{
			name:    "a CSV renamed .xlsx",
			path:    func(t *testing.T) string { return writeFile(t, []byte("身份证号,救助类型\n")) },
			wantErr: "reading 2025-06/civil.xlsx: file is not an XLSX workbook (no zip archive); save it from Excel as .xlsx, or name a CSV file .csv",
		},
		{
			name:    "a truncated workbook",
			path:    func(t *testing.T) string { return writeFile(t, []byte("PK\x03\x04 truncated")) },
			wantErr: "reading 2025-06/civil.xlsx: opening workbook: zip: not a valid zip file (save it again from Excel as .xlsx, or as CSV)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			cfg := DefaultConfig()
			cfg.Path = tt.path(t)
			cfg.Sheet = tt.sheet
			got, err := readAll(t, mem, cfg)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantExtra, got.info.ExtraColumns)
			require.Equal(t, tt.wantRows, got.rows)
		})
	}
}

// TestReadBatches: rows are emitted in batches of BatchRows, every row once.
func TestReadBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := [][]any{civilHeader}
	for i := 0; i < 25; i++ {
		rows = append(rows, []any{id1, "城乡低保", "2025-06", i, nil, nil})
	}
	cfg := DefaultConfig()
	cfg.Path = workbook(t, sheet{name: "Sheet1", rows: rows})
	cfg.BatchRows = 10
	got, err := readAll(t, mem, cfg)
	require.NoError(t, err)
	require.Equal(t, []int{10, 10, 5}, got.batches)
	for i, r := range got.rows {
		require.Equal(t, int64(i+2), r.Line)
	}
}
