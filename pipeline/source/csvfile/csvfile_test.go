package csvfile

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name     string
		file     string // file name in the period folder; employment.csv when empty
		content  []byte
		encoding string // Config.Encoding
		// Expected outcome: either an error containing wantErr, or the rows.
		wantErr      string
		wantEncoding string
		wantExtra    []string
		wantRows     []row
	}{
		{
			name:         "utf-8",
			content:      []byte(employmentCSV),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name:         "utf-8 with BOM",
			content:      append([]byte("\xEF\xBB\xBF"), employmentCSV...),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name:         "gb18030 detected",
			content:      toGB18030(t, employmentCSV),
			wantEncoding: EncodingGB18030,
			wantRows:     employmentRows,
		},
		{
			name:         "gzip",
			file:         "employment.csv.gz",
			content:      gzipped(t, []byte(employmentCSV)),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name:         "gzip of gb18030",
			file:         "employment.csv.gz",
			content:      gzipped(t, toGB18030(t, employmentCSV)),
			wantEncoding: EncodingGB18030,
			wantRows:     employmentRows,
		},
		{
			name:         "CRLF line endings",
			content:      []byte(strings.ReplaceAll(employmentCSV, "\n", "\r\n")),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name: "shuffled column order",
			content: []byte("用工单位,月工资收入,就业地域,身份证号,就业形式,就业状态,一次性交通补助,就业年月\n" +
				"赣州某电子厂,\"3,500.00\",省外,360102199001011234,企业务工,务工就业,200,2025-06\n" +
				",1200,县内,360102199001015678,其他,灵活就业,,2025/06\n"),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name: "header names trimmed of spaces, full-width spaces and a stray BOM",
			content: []byte(" 身份证号 ,\u3000就业年月\u3000,\uFEFF就业状态,就业形式\t,就业地域,月工资收入,一次性交通补助,用工单位\n" +
				"360102199001011234,2025-06,务工就业,企业务工,省外,\"3,500.00\",200,赣州某电子厂\n" +
				"360102199001015678,2025/06,灵活就业,其他,县内, 1200 ,,\n"),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name: "extra columns reported once and ignored",
			content: []byte("序号,身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入,一次性交通补助,用工单位,备注,备注\n" +
				"1,360102199001011234,2025-06,务工就业,企业务工,省外,\"3,500.00\",200,赣州某电子厂,,\n" +
				"2,360102199001015678,2025/06,灵活就业,其他,县内,1200,,,已核实,\n"),
			wantEncoding: EncodingUTF8,
			wantExtra:    []string{"序号", "备注"},
			wantRows:     employmentRows,
		},
		{
			name: "unnamed columns ignored without a report",
			content: []byte("身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入,一次性交通补助,用工单位,,\n" +
				"360102199001011234,2025-06,务工就业,企业务工,省外,\"3,500.00\",200,赣州某电子厂,,\n" +
				"360102199001015678,2025/06,灵活就业,其他,县内,1200,,,,\n"),
			wantEncoding: EncodingUTF8,
			wantRows:     employmentRows,
		},
		{
			name: "missing optional columns read as empty",
			content: []byte("身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入\n" +
				"360102199001011234,2025-06,务工就业,企业务工,省外,\"3,500.00\"\n"),
			wantEncoding: EncodingUTF8,
			wantRows: []row{
				{ID: "360102199001011234", Month: "2025-06", Status: "务工就业", Form: "企业务工", Area: "省外", Wage: "3,500.00", Line: 2},
			},
		},
		{
			name: "missing required column",
			content: []byte("身份证号,就业状态,就业形式,就业地域,月工资收入\n" +
				"360102199001011234,务工就业,企业务工,省外,3500\n"),
			wantErr: "reading 2025-06/employment.csv: missing required column 就业年月 (month)",
		},
		{
			name:    "missing required columns all named",
			content: []byte("身份证号,就业状态,就业形式,就业地域\n"),
			wantErr: "reading 2025-06/employment.csv: missing required columns 就业年月 (month), 月工资收入 (wage)",
		},
		{
			name: "header variants: aliases, unit suffix, full-width brackets and spaces",
			content: []byte(" 公民身份号码 ,就业月份,就业\u3000状态,就业形式,就业地域,月工资收入（元）\n" +
				"360102199001011234,2025-06,务工就业,企业务工,省外,3500\n"),
			wantEncoding: "utf-8",
			wantRows: []row{
				{ID: "360102199001011234", Month: "2025-06", Status: "务工就业", Form: "企业务工", Area: "省外", Wage: "3500", Line: 2},
			},
		},
		{
			name:    "two aliases of one column",
			content: []byte("身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入,身份证号码\n"),
			wantErr: `reading 2025-06/employment.csv: ambiguous header: column 1 "身份证号" and column 7 "身份证号码" both name 身份证号 (id_number); keep one of them`,
		},
		{
			name:    "duplicate known column",
			content: []byte("身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入,就业年月\n"),
			wantErr: `reading 2025-06/employment.csv: ambiguous header: column 2 "就业年月" and column 7 "就业年月" both name 就业年月 (month)`,
		},
		{
			name:    "empty file",
			content: nil,
			wantErr: "reading 2025-06/employment.csv: file is empty, expected a header row",
		},
		{
			name:    "only blank lines",
			content: []byte("\n\r\n\n"),
			wantErr: "file is empty",
		},
		{
			name:         "header only",
			content:      []byte(employmentHeader),
			wantEncoding: EncodingUTF8,
			wantRows:     nil,
		},
		{
			// A ragged row's fields are not mapped by position (an ID number
			// would land in another column, unmasked): the columns stay empty
			// and the error carries the whole record, masked.
			name: "ragged rows are not mapped; their error carries the masked record",
			content: []byte(employmentHeader +
				"360102199001011234,2025-06,务工就业,企业务工,省外,3500,200\n" +
				"360102199001015678,2025/06,灵活就业,其他,县内,1200,,,多余\n" +
				"360102199001019999,2025-06,未就业,其他,县内,0,,\n"),
			wantEncoding: EncodingUTF8,
			wantRows: []row{
				{Line: 2, Err: fieldCountError(7, 8, `{"记录":["360102********1234","2025-06","务工就业","企业务工","省外","3500","200"]}`)},
				{Line: 3, Err: fieldCountError(9, 8, `{"记录":["360102********5678","2025/06","灵活就业","其他","县内","1200","","","多余"]}`)},
				{ID: "360102199001019999", Month: "2025-06", Status: "未就业", Form: "其他", Area: "县内", Wage: "0", Line: 4},
			},
		},
		{
			name: "row of empty fields is kept, blank lines are not rows",
			content: []byte(employmentHeader +
				",,,,,,,\n" +
				"\n" +
				"360102199001015678,2025/06,灵活就业,其他,县内,1200,,\n\n"),
			wantEncoding: EncodingUTF8,
			wantRows: []row{
				{Line: 2},
				{ID: "360102199001015678", Month: "2025/06", Status: "灵活就业", Form: "其他", Area: "县内", Wage: "1200", Line: 4},
			},
		},
		{
			name: "quoted newline keeps the next row's line",
			content: []byte(employmentHeader +
				"360102199001011234,2025-06,务工就业,企业务工,省外,3500,200,\"赣州\n某电子厂\r\n二车间\"\n" +
				"360102199001015678,2025/06,灵活就业,其他,县内,1200,,\n"),
			wantEncoding: EncodingUTF8,
			wantRows: []row{
				{ID: "360102199001011234", Month: "2025-06", Status: "务工就业", Form: "企业务工", Area: "省外", Wage: "3500", Travel: "200", Employer: "赣州\n某电子厂\n二车间", Line: 2},
				{ID: "360102199001015678", Month: "2025/06", Status: "灵活就业", Form: "其他", Area: "县内", Wage: "1200", Line: 5},
			},
		},
		{
			name: "stray quotes are text",
			content: []byte(employmentHeader +
				"360102199001011234,2025-06,务工就业,企业务工,省外,3500,200,赣州\"某\"电子厂\n"),
			wantEncoding: EncodingUTF8,
			wantRows: []row{
				{ID: "360102199001011234", Month: "2025-06", Status: "务工就业", Form: "企业务工", Area: "省外", Wage: "3500", Travel: "200", Employer: "赣州\"某\"电子厂", Line: 2},
			},
		},
		{
			name:         "explicit gbk decodes a GB18030 file and is reported",
			content:      toGB18030(t, employmentCSV),
			encoding:     "GBK",
			wantEncoding: EncodingGBK,
			wantRows:     employmentRows,
		},
		{
			name:     "explicit utf-8 overrides detection of a GB18030 file",
			content:  toGB18030(t, employmentCSV),
			encoding: "utf-8",
			// The header is not UTF-8, so none of its names match.
			wantErr: "missing required columns 身份证号 (id_number)",
		},
		{
			name:     "explicit gb18030 overrides detection of a UTF-8 file",
			content:  []byte(employmentCSV),
			encoding: "gb18030",
			wantErr:  "missing required columns 身份证号 (id_number)",
		},
		{
			name:    "UTF-16 is refused, not misread",
			content: []byte("\xFF\xFE\x6B\x8EN\x4E"),
			wantErr: "file is UTF-16",
		},
		{
			name:    "not gzip despite the name",
			file:    "employment.csv.gz",
			content: []byte(employmentCSV),
			wantErr: "reading 2025-06/employment.csv: opening gzip stream: gzip: invalid header",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)

			file := tt.file
			if file == "" {
				file = "employment.csv"
			}
			cfg := DefaultConfig()
			cfg.Path = writeFixture(t, file, tt.content)
			cfg.Encoding = tt.encoding

			got, err := readAll(t, mem, cfg)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantEncoding, got.info.Encoding)
			require.Equal(t, tt.wantExtra, got.info.ExtraColumns)
			require.Equal(t, tt.wantRows, got.rows)
		})
	}
}

func TestReadBatches(t *testing.T) {
	tests := []struct {
		name        string
		rows        int
		batchRows   int
		wantBatches []int
	}{
		{name: "remainder in a last short batch", rows: 5, batchRows: 2, wantBatches: []int{2, 2, 1}},
		{name: "exact multiple, no empty batch", rows: 4, batchRows: 2, wantBatches: []int{2, 2}},
		{name: "one batch", rows: 5, batchRows: DefaultBatchRows, wantBatches: []int{5}},
		{name: "no rows, no batch", rows: 0, batchRows: 2, wantBatches: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)

			var sb strings.Builder
			sb.WriteString(employmentHeader)
			for i := 0; i < tt.rows; i++ {
				sb.WriteString("360102199001011234,2025-06,务工就业,企业务工,省外,3500,,\n")
			}
			cfg := DefaultConfig()
			cfg.Path = writeFixture(t, "employment.csv", []byte(sb.String()))
			cfg.BatchRows = tt.batchRows

			got, err := readAll(t, mem, cfg)
			require.NoError(t, err)
			require.Equal(t, tt.wantBatches, got.batches)
			require.Len(t, got.rows, tt.rows)
			for i, r := range got.rows {
				require.Equal(t, int64(i+2), r.Line, "row %d", i)
			}
		})
	}
}

// TestReadDetectionWindow covers what happens at and beyond the 64 KiB that
// encoding detection looks at.
func TestReadDetectionWindow(t *testing.T) {
	const good = "360102199001011234,2025-06,务工就业,企业务工,省外,3500,,赣州某电子厂\n"
	// padTo fills a UTF-8 file with good rows until it is about n bytes long.
	padTo := func(n int) (content string, rows int) {
		var sb strings.Builder
		sb.WriteString(employmentHeader)
		for sb.Len()+len(good) <= n {
			sb.WriteString(good)
			rows++
		}
		return sb.String(), rows
	}

	t.Run("a character cut by the window end is still UTF-8", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		content, rows := padTo(sniffSize - 200)
		// Pad with ASCII so that the employer's first character, three
		// bytes in UTF-8, straddles the window end.
		prefix := "360102199001011234,2025-06,务工就业,企业务工,省外,3500,,"
		fill := sniffSize - 2 - len(content) - len(prefix)
		content += prefix[:len(prefix)-1] + strings.Repeat(" ", fill) + ",赣州某电子厂\n"
		require.Equal(t, "\xE8\xB5", content[sniffSize-2:sniffSize], "fixture must cut 赣 at the window end")
		content += good

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(content))
		got, err := readAll(t, mem, cfg)
		require.NoError(t, err)
		require.Equal(t, EncodingUTF8, got.info.Encoding)
		require.Len(t, got.rows, rows+2)
		for _, r := range got.rows {
			require.Empty(t, r.Err, "line %d", r.Line)
			require.Equal(t, "赣州某电子厂", r.Employer, "line %d", r.Line)
		}
	})

	t.Run("a GB18030 row after the window is flagged, not passed on", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		content, rows := padTo(sniffSize + 100)
		raw := append([]byte(content), toGB18030(t, good)...)
		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", raw)
		got, err := readAll(t, mem, cfg)
		require.NoError(t, err)
		require.Equal(t, EncodingUTF8, got.info.Encoding)
		require.Len(t, got.rows, rows+1)
		last := got.rows[rows]
		require.Equal(t, int64(rows+2), last.Line)
		require.Equal(t, "row is not valid UTF-8 (the file was read as utf-8)", last.Err)
		require.Equal(t, "360102199001011234", last.ID, "ASCII fields survive")
		require.Contains(t, last.Status, "\uFFFD", "undecodable bytes are replaced")
		require.Empty(t, got.rows[rows-1].Err)
	})
}

func TestReadFileErrors(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = t.TempDir() + "/2025-06/employment.csv"
		_, err := readAll(t, mem, cfg)
		require.ErrorIs(t, err, os.ErrNotExist)
	})

	t.Run("truncated gzip", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		var sb strings.Builder
		sb.WriteString(employmentHeader)
		for i := 0; i < 5000; i++ {
			sb.WriteString("360102199001011234,2025-06,务工就业,企业务工,省外,3500,,\n")
		}
		gz := gzipped(t, []byte(sb.String()))
		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv.gz", gz[:len(gz)/2])
		_, err := readAll(t, mem, cfg)
		require.Error(t, err)
		require.Contains(t, err.Error(), "reading 2025-06/employment.csv")
	})

	t.Run("invalid config", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(employmentCSV))
		cfg.BatchRows = 0
		_, err := readAll(t, mem, cfg)
		require.ErrorContains(t, err, "batch_rows 0")
	})
}

func TestReadStops(t *testing.T) {
	content := employmentHeader + strings.Repeat("360102199001011234,2025-06,务工就业,企业务工,省外,3500,,\n", 10)

	t.Run("emit error ends the read", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(content))
		cfg.BatchRows = 3
		errSink := errors.New("sink full")
		calls := 0
		s := New(cfg, employment(t), "2025-06/employment.csv", mem)
		_, err := s.Read(context.Background(), func(arrow.RecordBatch) error {
			calls++
			return errSink
		})
		require.ErrorIs(t, err, errSink)
		require.ErrorContains(t, err, "emitting 2025-06/employment.csv rows up to line 4")
		require.Equal(t, 1, calls)
	})

	t.Run("batches decoded ahead of a failed emit are released unemitted", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(content))
		cfg.BatchRows = 1 // ten batches: the decoder runs up to two ahead
		errSink := errors.New("sink full")
		var lines []int64
		s := New(cfg, employment(t), "2025-06/employment.csv", mem)
		_, err := s.Read(context.Background(), func(rec arrow.RecordBatch) error {
			lines = append(lines, rec.Column(int(rec.NumCols())-2).(*array.Int64).Value(0))
			if len(lines) == 2 {
				return errSink
			}
			return nil
		})
		require.ErrorIs(t, err, errSink)
		require.ErrorContains(t, err, "emitting 2025-06/employment.csv rows up to line 3")
		require.Equal(t, []int64{2, 3}, lines, "batches are emitted in file order, none after the failure")
	})

	t.Run("cancellation is seen between batches", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(content))
		cfg.BatchRows = 3
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		s := New(cfg, employment(t), "2025-06/employment.csv", mem)
		_, err := s.Read(ctx, func(arrow.RecordBatch) error {
			calls++
			cancel()
			return nil
		})
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, 1, calls)
	})

	t.Run("a kept batch outlives the read", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)

		cfg := DefaultConfig()
		cfg.Path = writeFixture(t, "employment.csv", []byte(content))
		var kept []arrow.RecordBatch
		s := New(cfg, employment(t), "2025-06/employment.csv", mem)
		_, err := s.Read(context.Background(), func(rec arrow.RecordBatch) error {
			rec.Retain()
			kept = append(kept, rec)
			return nil
		})
		require.NoError(t, err)
		require.Len(t, kept, 1)
		require.Equal(t, "3500", rowAt(kept[0], 9).Wage)
		for _, rec := range kept {
			rec.Release()
		}
	})
}

func TestName(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)

	cfg := DefaultConfig()
	cfg.Path = "/inbox/2025-06/employment.csv"
	require.Equal(t, "2025-06/employment.csv", New(cfg, employment(t), "2025-06/employment.csv", mem).Name())
	require.Equal(t, cfg.Path, New(cfg, employment(t), "", mem).Name())
}

func TestRecoverable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "quote error", err: &csv.ParseError{StartLine: 3, Line: 4, Column: 2, Err: csv.ErrQuote}, want: true},
		{name: "bare quote", err: &csv.ParseError{StartLine: 3, Line: 3, Column: 2, Err: csv.ErrBareQuote}, want: true},
		{name: "field count", err: &csv.ParseError{StartLine: 3, Line: 3, Column: 1, Err: csv.ErrFieldCount}, want: true},
		{name: "I/O error", err: io.ErrUnexpectedEOF, want: false},
		{name: "parse error wrapping something else", err: &csv.ParseError{Err: io.ErrUnexpectedEOF}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := recoverable(tt.err)
			require.Equal(t, tt.want, ok)
		})
	}
}
