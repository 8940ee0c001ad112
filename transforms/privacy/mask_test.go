package privacy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/transforms/privacy"
)

func TestMaskIDs(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"no ID":                        {"户编号 H001, 金额 3,500.00", "户编号 H001, 金额 3,500.00"},
		"village code is no ID":        {"360731100201", "360731100201"},
		"18 digits":                    {"360731198001011002", "360731********1002"},
		"18 with X":                    {"36073119800101107X", "360731********107X"},
		"15-digit legacy":              {"360731800101123", "360731*****1123"},
		"inside text":                  {`"户编号":"360731198001011002"`, `"户编号":"360731********1002"`},
		"two in one text":              {"360731198001011002;36073119800101107x", "360731********1002;360731********107x"},
		"full-width":                   {"３６０７３１１９８００１０１１０１０", "３６０７３１********１０１０"},
		"Excel scientific":             {"3.60731198001011E+17", "3.6073**********E+17"},
		"Excel scientific lower-case":  {"ID 3.60731198001011e17 here", "ID 3.6073**********e17 here"},
		"already masked":               {"360731********1002", "360731********1002"},
		"Xs without digits":            {"XXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXXXXXX"},
		"a 19-digit run is masked too": {"3607311980010110021", "360731*********0021"},
		"household number (16 digits)": {"3601030000000001", "3601030000000001"},
		"17 digits are no ID":          {"36073119800101100", "36073119800101100"},
		"X inside 18 is no ID":         {"3607311980X1011002", "3607311980X1011002"},
		"15 with X is no ID":           {"36073180010112X", "36073180010112X"},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, privacy.MaskIDs(tc.in))
		})
	}
}

// TestMaskRecord pins the masking of a record that does not match its header
// (roster header: 身份证号,姓名,户编号,… — the name is field 1 of 10).
func TestMaskRecord(t *testing.T) {
	for name, tc := range map[string]struct {
		fields []string
		header int
		want   []string
	}{
		"name split by a comma": {
			fields: []string{"360731198001011002", "李", "四", "H001", "户主"}, header: 4,
			want: []string{"360731********1002", "李**", "**", "H001", "户主"},
		},
		"split before the name shifts it right": {
			fields: []string{"360731", "198001011002", "李四", "H001", "户主"}, header: 4,
			want: []string{"360731", "***", "**", "H001", "户主"},
		},
		"an ID cut in two by a comma": {
			fields: []string{"36073119800", "1011002", "李四", "H001", "户主"}, header: 4,
			want: []string{"360731*****", "***", "**", "H001", "户主"},
		},
		"a missing field before the name shifts it left": {
			fields: []string{"李四", "H001", "户主"}, header: 4,
			want: []string{"李**", "**", "户主"},
		},
		"the ID in any field": {
			fields: []string{"", "王五", "H002", "3.60731198001011E+17", "36073119800101107X"}, header: 5,
			want: []string{"", "王**", "H002", "3.6073**********E+17", "360731********107X"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, privacy.MaskRecord(tc.fields, 1, tc.header))
		})
	}
	require.Equal(t, []string{"360731********1002", "a", "b"}, privacy.MaskRecord([]string{"360731198001011002", "a", "b"}, -1, 2), "no name column")
}
