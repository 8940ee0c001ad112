package csvfile

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zengshou/pipeline"
	"zengshou/schemas"
)

// employmentHeader is the header of the employment extract in contract order.
const employmentHeader = "身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入,一次性交通补助,用工单位\n"

// employmentCSV is a small, well-formed employment extract.
const employmentCSV = employmentHeader +
	"360102199001011234,2025-06,务工就业,企业务工,省外,\"3,500.00\",200,赣州某电子厂\n" +
	"360102199001015678,2025/06,灵活就业,其他,县内, 1200 ,,\n"

// employmentRows are the rows of employmentCSV.
var employmentRows = []row{
	{ID: "360102199001011234", Month: "2025-06", Status: "务工就业", Form: "企业务工", Area: "省外", Wage: "3,500.00", Travel: "200", Employer: "赣州某电子厂", Line: 2},
	{ID: "360102199001015678", Month: "2025/06", Status: "灵活就业", Form: "其他", Area: "县内", Wage: "1200", Line: 3},
}

// row is a raw employment row as the tests check it.
type row struct {
	ID, Month, Status, Form, Area, Wage, Travel, Employer string
	Line                                                  int64
	Err                                                   string
}

// result is everything a Read produced.
type result struct {
	info    pipeline.ExtractInfo
	batches []int // rows per emitted batch
	rows    []row
}

// employment is the contract of the employment extract.
func employment(t testing.TB) schemas.Source {
	t.Helper()
	src, err := schemas.SourceByName(schemas.Employment)
	require.NoError(t, err)
	return src
}

// writeFixture writes content to <dir>/2025-06/<file> and returns its path.
func writeFixture(t testing.TB, file string, content []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "2025-06")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, file)
	require.NoError(t, os.WriteFile(path, content, 0o644))
	return path
}

// toGB18030 encodes s as Excel on Chinese Windows saves it.
func toGB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// gzipped compresses b.
func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// readAll reads cfg.Path as an employment extract and copies out every row;
// the batches themselves are released by the source.
func readAll(t *testing.T, mem memory.Allocator, cfg Config) (result, error) {
	t.Helper()
	src := employment(t)
	s := New(cfg, src, "2025-06/employment.csv", mem)
	want := src.RawSchema()
	var got result
	info, err := s.Read(context.Background(), func(rec arrow.RecordBatch) error {
		require.True(t, want.Equal(rec.Schema()), "schema %s", rec.Schema())
		got.batches = append(got.batches, int(rec.NumRows()))
		for i := 0; i < int(rec.NumRows()); i++ {
			got.rows = append(got.rows, rowAt(rec, i))
		}
		return nil
	})
	got.info = info
	return got, err
}

// rowAt copies row i out of an employment raw batch. Strings are cloned: an
// Arrow string value points into the batch's buffers, freed on release.
func rowAt(rec arrow.RecordBatch, i int) row {
	text := func(name string) string {
		col := rec.Column(rec.Schema().FieldIndices(name)[0]).(*array.String)
		return strings.Clone(col.Value(i))
	}
	lines := rec.Column(rec.Schema().FieldIndices(schemas.LineColumn)[0]).(*array.Int64)
	return row{
		ID: text("id_number"), Month: text("month"), Status: text("status"), Form: text("form"), Area: text("area"),
		Wage: text("wage"), Travel: text("travel_subsidy"), Employer: text("employer"),
		Line: lines.Value(i), Err: text(schemas.ErrorColumn),
	}
}
