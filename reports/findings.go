package reports

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"zengshou/transforms/values"
)

// FindingCount is how many findings a comparison rule produced in a period.
type FindingCount struct {
	Rule, Severity string
	Count          uint64
}

// Findings counts a period's discrepancy findings by rule, most severe and
// most frequent first.
func Findings(ctx context.Context, conn driver.Conn, period values.Month) ([]FindingCount, error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT rule_code, severity, count() AS n FROM discrepancy
WHERE period = toDate('%s-01') GROUP BY rule_code, severity
ORDER BY multiIf(severity = 'high', 0, severity = 'medium', 1, 2), n DESC, rule_code`, period))
	if err != nil {
		return nil, fmt.Errorf("counting findings of %s: %w", period, err)
	}
	defer rows.Close()
	var out []FindingCount
	for rows.Next() {
		var f FindingCount
		if err := rows.Scan(&f.Rule, &f.Severity, &f.Count); err != nil {
			return nil, fmt.Errorf("counting findings of %s: %w", period, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
