package jobs_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zengshou/jobs"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

const (
	empHeader = "身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入\n"
	empRow    = "360102199001011248,2025-06,务工就业,企业务工,省外,"
	civHeader = "身份证号,救助类型,发放年月,发放金额,保障状态,死亡日期\n"
	rosHeader = "身份证号,姓名,户编号,与户主关系,区划代码,户类型,劳动能力,是否易地搬迁,家庭人口数\n"
	salHeader = "统计年月,区划代码,销售渠道,产品类别,销售金额\n"
)

// badWorkbook writes the sheets' rows, in order, as a real workbook (edit
// applied last) and returns its bytes.
func badWorkbook(t *testing.T, edit func(f *excelize.File), sheets ...[][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, rows := range sheets {
		name := "Sheet1"
		if i > 0 {
			name = "Sheet" + string(rune('1'+i))
			_, err := f.NewSheet(name)
			require.NoError(t, err)
		}
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			require.NoError(t, f.SetSheetRow(name, cell, &row))
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func gb(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// TestBadInputCatalogue is docs/bad-inputs.md, one case per row: a real file
// in a period folder, checked with Deliveries.Check (the reading and
// normalisation a run does), and the outcome: the file refused with which
// message, rows quarantined with which reasons, or repaired and accepted.
func TestBadInputCatalogue(t *testing.T) {
	emp := func(rows ...string) []byte { return []byte(empHeader + strings.Join(rows, "")) }
	empXLSX := func(t *testing.T, rows ...[]any) []byte {
		return badWorkbook(t, nil, append([][]any{{"身份证号", "就业年月", "就业状态", "就业形式", "就业地域", "月工资收入"}}, rows...))
	}
	tests := []struct {
		no      int
		name    string
		file    string
		content func(t *testing.T) []byte
		rows    int64            // rows read
		reasons map[string]int64 // rows quarantined by reason
		problem string           // the file is refused with this message
	}{
		{no: 1, name: "0-byte file", file: "employment.csv", content: func(*testing.T) []byte { return nil },
			problem: "reading 2025-06/employment.csv: file is empty, expected a header row"},
		{no: 2, name: "header only: delivered-empty", file: "employment.csv", content: func(*testing.T) []byte { return emp() }},
		{no: 3, name: "truncated .csv.gz", file: "employment.csv.gz", content: func(t *testing.T) []byte {
			b := gz(t, emp(strings.Repeat(empRow+"3500\n", 200)))
			return b[:len(b)/2]
		}, problem: "unexpected EOF"},
		{no: 4, name: ".csv.gz that is not gzip", file: "employment.csv.gz", content: func(*testing.T) []byte { return emp(empRow + "3500\n") },
			problem: "reading 2025-06/employment.csv.gz: opening gzip stream: gzip: invalid header"},
		{no: 5, name: "BOM in the middle of the header", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte("身份证号,\uFEFF就业年月,就业状态,就业形式,就业地域,月工资收入\n" + empRow + "3500\n")
		}, rows: 1},
		{no: 6, name: "duplicate header column", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte(strings.TrimSuffix(empHeader, "\n") + ",就业年月\n")
		}, problem: `ambiguous header: column 2 "就业年月" and column 7 "就业年月" both name 就业年月 (month); keep one of them`},
		{no: 7, name: "missing required column", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte("身份证号,就业状态,就业形式,就业地域,月工资收入\n")
		}, problem: "missing required column 就业年月 (month)"},
		{no: 8, name: "ragged rows", file: "employment.csv", content: func(*testing.T) []byte {
			return emp(empRow+"3500,多余\n", "360102199001011248,2025-06\n")
		}, rows: 2, reasons: map[string]int64{"FIELD_COUNT": 2}},
		{no: 9, name: "unbalanced quotes", file: "employment.csv", content: func(*testing.T) []byte {
			return emp(empRow+"\"3500\n", empRow+"3600\n")
		}, rows: 1, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 10, name: "quoted field with embedded newline", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte(strings.TrimSuffix(empHeader, "\n") + ",用工单位\n" + empRow + "3500,\"赣州\n电子厂\"\n" + empRow + "3600,\n")
		}, rows: 2},
		{no: 11, name: "NUL bytes", file: "employment.csv", content: func(*testing.T) []byte { return emp(empRow + "35\x0000\n") },
			rows: 1, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 12, name: "invalid UTF-8 in a UTF-8 file", file: "employment.csv", content: func(*testing.T) []byte {
			// After the 64 KiB detection window, which is valid UTF-8.
			return emp(strings.Repeat(empRow+"3500\n", 1500), "360102199001011248,2025-06,务工就业,企业务工,\xFF外,3500\n")
		}, rows: 1501, reasons: map[string]int64{"MALFORMED_ROW": 1}},
		{no: 13, name: "GB18030 file with a few invalid bytes", file: "employment.csv", content: func(t *testing.T) []byte {
			return append(gb(t, empHeader+empRow+"3500\n"), []byte("360102199001011248,2025-06,\xFF\xFF,企业务工,省外,3500\n")...)
		}, rows: 2, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 14, name: "old binary .xls renamed .xlsx", file: "employment.xlsx", content: func(*testing.T) []byte {
			return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
		}, problem: "file is an old binary Excel workbook (.xls) named .xlsx; open it in Excel and save it as .xlsx, or as CSV"},
		{no: 15, name: "encrypted workbook", file: "employment.xlsx", content: func(t *testing.T) []byte {
			f := excelize.NewFile()
			defer f.Close()
			path := filepath.Join(t.TempDir(), "e.xlsx")
			require.NoError(t, f.SaveAs(path, excelize.Options{Password: "x"}))
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			return b
		}, problem: "workbook is password-protected (encrypted); ask the department for an unprotected copy"},
		{no: 16, name: "workbook whose data is on the second sheet", file: "employment.xlsx", content: func(t *testing.T) []byte {
			return badWorkbook(t, nil, [][]any{{"填表说明", "请勿修改"}}, [][]any{{"身份证号", "就业年月"}})
		}, problem: "the workbook also has Sheet2: move the extract to the first sheet"},
		{no: 17, name: "formula cells (cached value)", file: "employment.xlsx", content: func(t *testing.T) []byte {
			return badWorkbook(t, func(f *excelize.File) {
				require.NoError(t, f.SetCellFormula("Sheet1", "F2", "G2*2"))
			}, [][]any{{"身份证号", "就业年月", "就业状态", "就业形式", "就业地域", "月工资收入", "基数"},
				{"360102199001011248", "2025-06", "务工就业", "企业务工", "省外", 3500, 1750}})
		}, rows: 1},
		{no: 18, name: "merged title and header cells", file: "employment.xlsx", content: func(t *testing.T) []byte {
			return badWorkbook(t, func(f *excelize.File) {
				require.NoError(t, f.MergeCell("Sheet1", "A1", "F1"))
			}, [][]any{{"2025年6月务工就业台账"}, {"身份证号", "就业年月", "就业状态", "就业形式", "就业地域", "月工资收入"},
				{"360102199001011248", "2025-06", "务工就业", "企业务工", "省外", 3500}})
		}, rows: 1},
		{no: 19, name: "negative amount", file: "employment.csv", content: func(*testing.T) []byte { return emp(empRow + "-3500\n") },
			rows: 1, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 20, name: "non-numeric amount", file: "employment.csv", content: func(*testing.T) []byte { return emp(empRow + "三千五\n") },
			rows: 1, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 21, name: "amount forms 1,234.50 / ￥1234.5 / full-width digits", file: "employment.csv", content: func(*testing.T) []byte {
			return emp(empRow+"\"1,234.50\"\n", empRow+"￥1234.5\n", empRow+"１２３４．５\n")
		}, rows: 3},
		{no: 22, name: "death date in the future", file: "civil.csv", content: func(*testing.T) []byte {
			return []byte(civHeader + "360102199001011248,死亡登记,2025-06,0,,2031-01-01\n")
		}, rows: 1},
		{no: 23, name: "every month form", file: "employment.csv", content: func(*testing.T) []byte {
			return emp("360102199001011248,2025-06,务工就业,企业务工,省外,1\n", "360102199001011248,2025/06,务工就业,企业务工,省外,1\n",
				"360102199001011248,202506,务工就业,企业务工,省外,1\n", "360102199001011248,2025年6月,务工就业,企业务工,省外,1\n")
		}, rows: 4},
		{no: 24, name: "unknown county code", file: "sales.csv", content: func(*testing.T) []byte {
			return []byte(salHeader + "2025-06,369999,832平台,茶叶,100\n")
		}, rows: 1, reasons: map[string]int64{"UNKNOWN_REGION": 1}},
		{no: 25, name: "家庭人口数 0", file: "roster.csv", content: func(*testing.T) []byte {
			return []byte(rosHeader + "360102199001011248,张三,H001,户主,360102001001,脱贫户,普通劳动力,否,0\n")
		}, rows: 1, reasons: map[string]int64{"BAD_VALUE": 1}},
		{no: 26, name: "死亡登记 without a date", file: "civil.csv", content: func(*testing.T) []byte {
			return []byte(civHeader + "360102199001011248,死亡登记,2025-06,0,,\n")
		}, rows: 1, reasons: map[string]int64{"MISSING_VALUE": 1}},
		{no: 27, name: "month column naming another month", file: "employment.csv", content: func(*testing.T) []byte {
			return emp("360102199001011248,2025-05,务工就业,企业务工,省外,3500\n")
		}, rows: 1, reasons: map[string]int64{"PERIOD_MISMATCH": 1}},
		{no: 28, name: "wrong check character", file: "employment.csv", content: func(*testing.T) []byte {
			return emp("360102199001011235,2025-06,务工就业,企业务工,省外,3500\n")
		}, rows: 1, reasons: map[string]int64{"ID_INVALID": 1}},
		{no: 29, name: "ID Excel kept 15 digits of", file: "employment.csv", content: func(*testing.T) []byte {
			return emp("3.60102199001011E+17,2025-06,务工就业,企业务工,省外,3500\n")
		}, rows: 1, reasons: map[string]int64{"ID_INVALID": 1}},
		{no: 30, name: "repairable ID forms (15 digits, full-width, x, apostrophe, spaces)", file: "employment.csv", content: func(*testing.T) []byte {
			return emp("360102900101123,2025-06,务工就业,企业务工,省外,1\n", "３６０１０２１９９００１０１１２４８,2025-06,务工就业,企业务工,省外,1\n",
				"'360102199001011248,2025-06,务工就业,企业务工,省外,1\n", " 360102199001011248 ,2025-06,务工就业,企业务工,省外,1\n")
		}, rows: 4},
		{no: 31, name: "ID stored as a number in a workbook", file: "employment.xlsx", content: func(t *testing.T) []byte {
			return empXLSX(t, []any{int64(360102199001011248), "2025-06", "务工就业", "企业务工", "省外", 3500})
		}, rows: 1},
		{no: 32, name: "extract as .xls", file: "employment.xls", content: func(*testing.T) []byte { return []byte("x") },
			problem: "employment.xls names source employment but is an old binary Excel workbook"},
		{no: 33, name: "extract as .txt", file: "employment.txt", content: func(*testing.T) []byte { return emp() },
			problem: "employment.txt names source employment but is a text file"},
		{no: 34, name: "extract as .zip", file: "employment.zip", content: func(*testing.T) []byte { return []byte("PK") },
			problem: "employment.zip names source employment but is an archive"},
		{no: 35, name: "tab-separated file named .csv", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte(strings.ReplaceAll(empHeader, ",", "\t"))
		}, problem: "the header looks tab-separated; save the file as comma-separated CSV"},
		{no: 36, name: "near-miss header 月工资", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte(strings.Replace(empHeader, "月工资收入", "月工资", 1))
		}, problem: `"月工资" may be 月工资收入`},
		{no: 37, name: "header alias and unit 月工资收入（元）, 身份证号码", file: "employment.csv", content: func(*testing.T) []byte {
			return []byte(strings.Replace(strings.Replace(empHeader, "月工资收入", "月工资收入（元）", 1), "身份证号", "身份证号码", 1) + empRow + "3500\n")
		}, rows: 1},
		{no: 38, name: "UTF-16 text", file: "employment.csv", content: func(*testing.T) []byte { return []byte("\xFF\xFE\x6B\x8EX\x00") },
			problem: "file is UTF-16 (byte-order mark found); save it as CSV UTF-8"},
		{no: 39, name: "misnamed extract", file: "employment (1).csv", content: func(*testing.T) []byte { return emp() },
			problem: "employment (1).csv names no source"},
	}
	// The catalogue and this table have the same numbered rows.
	doc, err := os.ReadFile("../docs/bad-inputs.md")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^\| (\d+) \|`).FindAllStringSubmatch(string(doc), -1)
	require.Len(t, rows, len(tests), "docs/bad-inputs.md rows")
	for i, tt := range tests {
		require.Equal(t, strconv.Itoa(tt.no), rows[i][1], "row %d of docs/bad-inputs.md", i+1)
	}

	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := t.TempDir()
			dir := filepath.Join(inbox, "2025-06")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			content := tt.content(t)
			require.NoError(t, os.WriteFile(filepath.Join(dir, tt.file), content, 0o644))
			rep := jobs.Deliveries{Inbox: inbox}.Check(context.Background(), values.NewMonth(2025, 6), regions, 0.5, memory.NewGoAllocator())
			var problems []string
			for _, p := range rep.Problems {
				if p != "the roster (帮扶对象名册) was not delivered" {
					problems = append(problems, p)
				}
			}
			if tt.problem != "" {
				require.Len(t, problems, 1, "%v", problems)
				require.Contains(t, problems[0], tt.problem)
				return
			}
			require.Empty(t, problems)
			require.Len(t, rep.Sources, 1)
			require.Equal(t, tt.rows, rep.Sources[0].In, "rows read")
			want := tt.reasons
			if want == nil {
				want = map[string]int64{}
			}
			require.Equal(t, want, rep.Sources[0].Reasons)
		})
	}
}
