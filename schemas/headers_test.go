package schemas

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "身份证号", want: "身份证号"},
		{in: "  身份证号\u3000", want: "身份证号"},
		{in: "身份\u3000证号", want: "身份证号"},
		{in: "\uFEFF身份证号", want: "身份证号"},
		{in: "发放金额（元）", want: "发放金额(元)"},
		{in: "发放金额 (元)", want: "发放金额(元)"},
		{in: "发放金额【元】", want: "发放金额(元)"},
		{in: "ＩＤ", want: "id"},
		{in: "\u200B", want: ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, NormalizeHeader(tt.in), "%q", tt.in)
	}
}

func TestMatchHeaderAcceptsTheVariantsDepartmentsDeliver(t *testing.T) {
	civil, err := SourceByName(Civil)
	require.NoError(t, err)
	roster, err := SourceByName(Roster)
	require.NoError(t, err)
	tests := []struct {
		src  Source
		name string
		want string // logical column, "" for none
	}{
		{src: civil, name: "身份证号", want: "id_number"},
		{src: civil, name: "身份证号码", want: "id_number"},
		{src: civil, name: "公民身份号码", want: "id_number"},
		{src: civil, name: "证件号码", want: "id_number"},
		{src: civil, name: " 身份证号 ", want: "id_number"},
		{src: civil, name: "发放金额(元)", want: "amount"},
		{src: civil, name: "发放金额（元）", want: "amount"},
		{src: civil, name: "发放金额 （元）", want: "amount"},
		{src: civil, name: "发放月份", want: "pay_month"},
		{src: civil, name: "发放年月(元)", want: ""}, // the unit suffix only for amounts
		{src: civil, name: "发放金额(万元)", want: ""},
		{src: roster, name: "人员姓名", want: "name"},
		{src: roster, name: "姓\u3000名", want: "name"},
		{src: roster, name: "户号", want: "household_no"},
		{src: roster, name: "备注", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.src.Name+"/"+tt.name, func(t *testing.T) {
			got := ""
			if i := tt.src.MatchHeader(tt.name); i >= 0 {
				got = tt.src.Columns[i].Name
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestMapHeader(t *testing.T) {
	pension, err := SourceByName(Pension)
	require.NoError(t, err)
	employment, err := SourceByName(Employment)
	require.NoError(t, err)
	tests := []struct {
		name    string
		src     Source
		header  []string
		index   []int
		extra   []string
		wantErr string
	}{
		{name: "contract order", src: pension, header: []string{"身份证号", "发放年月", "养老金金额"}, index: []int{0, 1, 2}},
		{name: "free order, aliases, unit and extras", src: pension,
			header: []string{"序号", "养老金金额（元）", "", "公民身份号码", " 发放年月 ", "备注", "备注"},
			index:  []int{3, 4, 1}, extra: []string{"序号", "备注"}},
		{name: "two aliases of one column", src: pension, header: []string{"身份证号", "发放年月", "养老金金额", "身份证号码"},
			wantErr: `ambiguous header: column 1 "身份证号" and column 4 "身份证号码" both name 身份证号 (id_number); keep one of them`},
		{name: "one name twice", src: pension, header: []string{"身份证号", "发放年月", "养老金金额", "养老金金额(元)"},
			wantErr: `ambiguous header: column 3 "养老金金额" and column 4 "养老金金额(元)" both name 养老金金额 (amount)`},
		{name: "missing column", src: pension, header: []string{"身份证号", "养老金金额"},
			wantErr: "missing required column 发放年月 (pay_month)"},
		{name: "near-miss header gets a hint", src: employment,
			header:  []string{"身份证号", "就业年月", "就业状态", "就业形式", "就业地域", "月工资"},
			wantErr: `missing required column 月工资收入 (wage) ("月工资" may be 月工资收入: rename the column to the name in the contract)`},
		{name: "tab-separated file read as CSV", src: pension, header: []string{"身份证号\t发放年月\t养老金金额"},
			wantErr: "the header looks tab-separated; save the file as comma-separated CSV"},
		{name: "semicolon-separated file", src: pension, header: []string{"身份证号;发放年月;养老金金额"},
			wantErr: "semicolon-separated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.src.MapHeader(tt.header)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.index, m.Index)
			require.Equal(t, tt.extra, m.Extra)
			require.Equal(t, len(tt.header), m.Fields)
		})
	}
}

// TestHeaderNamesAreUnambiguous: within a source no two columns share a name
// or an alias, so MatchHeader never has to choose.
func TestHeaderNamesAreUnambiguous(t *testing.T) {
	for _, s := range Sources {
		seen := map[string]string{}
		for _, c := range s.Columns {
			for _, h := range c.HeaderNames() {
				n := NormalizeHeader(h)
				prev, dup := seen[n]
				require.False(t, dup, "%s: %q names both %s and %s", s.Name, h, prev, c.Name)
				seen[n] = c.Name
				require.Equal(t, s.ColumnIndex(c.Name), s.MatchHeader(h), "%s: %q", s.Name, h)
			}
		}
	}
}

// TestDataDictionaryListsEveryHeaderAlias keeps the dictionary's table of
// accepted header names equal to the contracts.
func TestDataDictionaryListsEveryHeaderAlias(t *testing.T) {
	b, err := os.ReadFile("../docs/data-dictionary.md")
	require.NoError(t, err)
	section := sectionOf(string(b), "## 输入表头 Extract headers")
	want := map[string]bool{}
	for _, s := range Sources {
		for _, c := range s.Columns {
			if len(c.Aliases) > 0 {
				want["| "+s.Name+" | "+c.Header+" | "+strings.Join(c.Aliases, "、")+" |"] = true
			}
		}
	}
	got := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| 数据源") && !strings.HasPrefix(line, "|---") {
			got[line] = true
		}
	}
	require.Equal(t, want, got)
}

// sectionOf returns the text of the "## " section whose heading starts with
// heading, up to the next "## " heading.
func sectionOf(doc, heading string) string {
	var out []string
	in := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, heading)
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
