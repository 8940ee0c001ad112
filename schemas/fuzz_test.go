package schemas

import (
	"strings"
	"testing"
)

// FuzzMapHeader: no header panics MapHeader; a mapped column's field is
// within the header, and no field feeds two columns.
func FuzzMapHeader(f *testing.F) {
	for _, s := range []string{"身份证号,发放年月,养老金金额", " 公民身份号码 ,发放年月,养老金金额（元）", "身份证号\t发放年月", "身份证号,身份证号码", ",,,", "\uFEFF身份证号,【元】"} {
		f.Add(s)
	}
	src, err := SourceByName(Pension)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		header := strings.Split(line, ",")
		m, err := src.MapHeader(header)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for _, field := range m.Index {
			if field < 0 {
				continue
			}
			if field >= len(header) || seen[field] {
				t.Fatalf("%q: index %v", line, m.Index)
			}
			seen[field] = true
		}
	})
}
