package normalize

import (
	"encoding/json"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/privacy"
)

// maskedRow renders row r as a JSON object keyed by Chinese header, with the
// ID number and the name masked so that no raw identity leaves the pipeline:
// an ID number typed into another column (户编号, an amount) is masked too.
func maskedRow(src schemas.Source, texts []*array.String, r int) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, c := range src.Columns {
		v := strings.TrimSpace(texts[i].Value(r))
		switch {
		case c.Kind == schemas.IDNumber:
			v = idnum.Mask(v)
		case c.Name == "name":
			v = privacy.MaskName(v)
		default:
			v = privacy.MaskIDs(v)
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(c.Header)
		val, _ := json.Marshal(v)
		sb.Write(k)
		sb.WriteByte(':')
		sb.Write(val)
	}
	sb.WriteByte('}')
	return sb.String()
}
