package csvfile

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
)

// fieldCountError is the ErrorColumn value of a ragged row of got fields
// under a header of want, with its masked record row.
func fieldCountError(got, want int, row string) string {
	return schemas.RowError{
		Reason: schemas.ReasonFieldCount,
		Detail: fmt.Sprintf("字段数与表头不符: 本行 %d 个字段, 表头 %d 个; 整行遮蔽后存放 (row has %d fields, header has %d)", got, want, got, want),
		Row:    row,
	}.Encode()
}

// TestReadRaggedRosterRowIsMaskedWhole reads the row of issue 5: an unquoted
// 李,四 in the name column shifts every later field one to the right, so the
// ID number of a later column would sit under 户编号. The row must reach the
// quarantine as FIELD_COUNT with nothing raw: no ID number, no name.
func TestReadRaggedRosterRowIsMaskedWhole(t *testing.T) {
	const (
		header = "身份证号,姓名,户编号,与户主关系,区划代码,户类型,劳动能力,是否易地搬迁,家庭人口数,风险是否消除,备注\n"
		id     = "360731198001011002"
		other  = "36073119800101107X"
	)
	for name, tc := range map[string]struct {
		line string
		want []string
	}{
		"name split by a comma": {
			line: id + ",李,四,H001,户主,360731100201,脱贫户,普通劳动力,否,3,," + other + "\n",
			want: []string{"360731********1002", "李**", "**", "H001", "户主", "360731100201", "脱贫户", "普通劳动力", "否", "3", "", "360731********107X"},
		},
		"a field missing before the name": {
			line: "李四,H001,户主,360731100201,脱贫户,普通劳动力,否,3,," + id + "\n",
			want: []string{"李**", "**", "户主", "360731100201", "脱贫户", "普通劳动力", "否", "3", "", "360731********1002"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			src, err := schemas.SourceByName(schemas.Roster)
			require.NoError(t, err)
			cfg := DefaultConfig()
			cfg.Path = writeFixture(t, "roster.csv", []byte(header+tc.line))
			var errs []string
			var texts []string
			_, err = New(cfg, src, "2025-06/roster.csv", mem).Read(context.Background(), func(rec arrow.RecordBatch) error {
				for c := 0; c < int(rec.NumCols()); c++ {
					if s, ok := rec.Column(c).(*array.String); ok {
						for i := 0; i < s.Len(); i++ {
							texts = append(texts, strings.Clone(s.Value(i)))
						}
					}
				}
				e := rec.Column(rec.Schema().FieldIndices(schemas.ErrorColumn)[0]).(*array.String)
				errs = append(errs, strings.Clone(e.Value(0)))
				return nil
			})
			require.NoError(t, err)
			require.Len(t, errs, 1)
			e := schemas.ParseRowError(errs[0])
			require.Equal(t, schemas.ReasonFieldCount, e.Reason)
			require.Contains(t, e.Detail, "表头 11 个")
			var obj map[string][]string
			require.NoError(t, json.Unmarshal([]byte(e.Row), &obj))
			require.Equal(t, tc.want, obj["记录"])
			for _, s := range texts {
				for _, raw := range []string{id, other, "李四", "四"} {
					require.NotContains(t, s, raw, "the raw batch holds no raw identity")
				}
			}
		})
	}
}
