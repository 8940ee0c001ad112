package normalize_test

import (
	"encoding/json"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/width"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/normalize"
)

// quarantineRoster normalises roster rows that are all rejected and returns
// their quarantine entries in order.
func quarantineRoster(t *testing.T, rows ...cells) []schemas.Rejected {
	t.Helper()
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	src := fixture.Source(t, schemas.Roster)
	raw := make([]rawRow, len(rows))
	for i, c := range rows {
		raw[i] = rawRow{cells: c}
	}
	rec := rawBatch(t, mem, src, raw)
	defer rec.Release()
	typed, rejected, err := normalize.New(src, period, schemas.MustLoadRegions(), mem).Normalize(rec)
	require.NoError(t, err)
	defer typed.Release()
	require.Zero(t, typed.NumRows())
	require.Len(t, rejected, len(rows))
	return rejected
}

// badRelation is a roster row quarantined for its relation, so that every
// other cell, the ID number and the name included, reaches the row JSON.
var badRelation = cells{
	"id_number": idA, "name": "张三丰", "household_no": "H001", "relation": "儿子",
	"village_code": "360731100201", "household_type": "脱贫户", "labor_capacity": "普通劳动力",
	"is_relocated": "否", "household_size": "3",
}

// TestQuarantineRowMasksIdentity pins the masked forms of warehouse.md in the
// quarantine row: the ID keeps its first 6 and last 4 characters, the name
// its first character; other cells are kept as written.
func TestQuarantineRowMasksIdentity(t *testing.T) {
	rej := quarantineRoster(t, badRelation)
	require.Equal(t, schemas.ReasonBadValue, rej[0].Reason)
	var obj map[string]string
	require.NoError(t, json.Unmarshal([]byte(rej[0].Row), &obj))
	require.Equal(t, map[string]string{
		"身份证号": "360731********1002", "姓名": "张**", "户编号": "H001", "与户主关系": "儿子",
		"区划代码": "360731100201", "户类型": "脱贫户", "劳动能力": "普通劳动力",
		"是否易地搬迁": "否", "家庭人口数": "3", "风险是否消除": "",
	}, obj)
}

// TestQuarantineRowMasksFullWidthID pins that a full-width ID number is
// masked by character, not by byte: the row carries 6 leading and 4
// trailing characters of the number around the stars, and no broken UTF-8.
func TestQuarantineRowMasksFullWidthID(t *testing.T) {
	rej := quarantineRoster(t, badRelation.with(cells{"id_number": idFullWidth}))
	var obj map[string]string
	require.NoError(t, json.Unmarshal([]byte(rej[0].Row), &obj))
	masked := obj["身份证号"]
	require.NotContains(t, masked, "\uFFFD", "masked ID must be valid text")
	require.Equal(t, "360731********1010", width.Narrow.String(masked))
}

// TestQuarantineDetailHidesMaskedDigits pins that the detail of an ID_INVALID
// row does not disclose what the mask hides: the quarantine table stores the
// detail next to the masked row, so together they must not rebuild the raw
// number.
func TestQuarantineDetailHidesMaskedDigits(t *testing.T) {
	rej := quarantineRoster(t, badRelation.with(cells{"id_number": idBadBirth, "relation": "户主"}))
	require.Equal(t, schemas.ReasonIDInvalid, rej[0].Reason)
	hidden := idBadBirth[6:14]
	require.NotContains(t, rej[0].Detail, hidden)
	require.NotContains(t, rej[0].Detail+rej[0].Row, idBadBirth)
}

// TestQuarantineRowMasksIDsInEveryColumn pins that an ID number typed into a
// column other than 身份证号 is masked in the row and in the detail.
func TestQuarantineRowMasksIDsInEveryColumn(t *testing.T) {
	rej := quarantineRoster(t,
		badRelation.with(cells{"household_no": idB}),
		badRelation.with(cells{"relation": "户主", "household_size": idC}),
	)
	var obj map[string]string
	require.NoError(t, json.Unmarshal([]byte(rej[0].Row), &obj))
	require.Equal(t, "360731********1010", obj["户编号"])
	require.Equal(t, schemas.ReasonBadValue, rej[1].Reason)
	require.NoError(t, json.Unmarshal([]byte(rej[1].Row), &obj))
	require.Equal(t, "360731********107X", obj["家庭人口数"])
	for _, r := range rej {
		require.NotContains(t, r.Row+r.Detail, idB)
		require.NotContains(t, r.Row+r.Detail, idC)
	}
}

// TestQuarantineRowOfAnUnmappedRecord pins that a row the reader could not
// match to the header is quarantined with the reader's reason and detail and
// stored as the reader masked it — not rebuilt from its (empty) columns —
// and that all of it outlives the raw batch.
func TestQuarantineRowOfAnUnmappedRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	src := fixture.Source(t, schemas.Roster)
	masked := `{"记录":["360731********1002","李**","**","H001"]}`
	rec := rawBatch(t, mem, src, []rawRow{
		{err: schemas.RowError{Reason: schemas.ReasonFieldCount, Detail: "本行 4 个字段, 表头 10 个", Row: masked}.Encode()},
		{cells: badRelation, err: "row is not valid UTF-8"},
	})
	typed, rejected, err := normalize.New(src, period, schemas.MustLoadRegions(), mem).Normalize(rec)
	require.NoError(t, err)
	typed.Release()
	rec.Release()
	require.Equal(t, []schemas.Rejected{
		{Line: 2, Reason: schemas.ReasonFieldCount, Detail: "本行 4 个字段, 表头 10 个", Row: masked},
		{Line: 3, Reason: schemas.ReasonMalformed, Detail: "row is not valid UTF-8", Row: rejected[1].Row},
	}, rejected)
	require.Contains(t, rejected[1].Row, `"身份证号":"360731********1002"`, "a plain message: the row is built from the columns")
}
