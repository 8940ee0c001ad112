package schemas

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReasonsDescribeEveryReasonCode: dim_reason is filled from Reasons, so
// every Reason… constant of quarantine.go has exactly one entry there, with
// a Chinese name and what to do.
func TestReasonsDescribeEveryReasonCode(t *testing.T) {
	var described []string
	for _, r := range Reasons {
		described = append(described, r.Code)
		require.NotEmpty(t, r.Name, r.Code)
		require.NotEmpty(t, r.Action, r.Code)
	}
	codes := reasonCodes(t)
	sort.Strings(codes)
	sort.Strings(described)
	require.Equal(t, codes, described)
}
