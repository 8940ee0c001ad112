package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"zengshou/pipeline"
)

func TestRetryableIsClickHouseAndNetworkTroubleOnly(t *testing.T) {
	wrap := func(err error) error {
		return fmt.Errorf("running period 2025-01: inserting rows 0–100 into stage_x: %w", err)
	}
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"connection refused":    {wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), true},
		"connection reset":      {wrap(syscall.ECONNRESET), true},
		"broken pipe":           {wrap(syscall.EPIPE), true},
		"server closed":         {wrap(io.EOF), true},
		"acquire timeout":       {wrap(clickhouse.ErrAcquireConnTimeout), true},
		"query deadline":        {wrap(context.DeadlineExceeded), true},
		"too many parts":        {wrap(&clickhouse.Exception{Code: 252}), true},
		"network error":         {wrap(&clickhouse.Exception{Code: 210}), true},
		"memory limit":          {wrap(&clickhouse.Exception{Code: 241}), true},
		"syntax error":          {wrap(&clickhouse.Exception{Code: 62}), false},
		"unknown table":         {wrap(&clickhouse.Exception{Code: 60}), false},
		"type mismatch":         {wrap(&clickhouse.Exception{Code: 53}), false},
		"missing roster":        {wrap(pipeline.ErrRosterMissing), false},
		"misnamed file":         {errors.New("finding extracts of 2025-01: file x.csv names no source"), false},
		"missing period folder": {wrap(os.ErrNotExist), false},
		"shutdown":              {wrap(context.Canceled), false},
		"nil":                   {nil, false},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, Retryable(tc.err), "%v", tc.err)
		})
	}
}
