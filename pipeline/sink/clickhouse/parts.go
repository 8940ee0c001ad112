package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parts that REPLACE PARTITION replaced are only marked outdated; the
// server deletes their files later, in a background clean-up. ClickHouse
// 18.16 loads every part it finds on disk when it starts and drops only
// those covered by a newer part (merged ones), so a replaced part whose files
// are still there when the server restarts comes back as active: the period
// then holds the old run's rows beside the new one's. Publication therefore
// waits, bounded, until no replaced part is left on disk (system.parts
// lists parts until their files are gone), and Connect repairs any period a
// restart inside that window revived (reconcile).

// part is a data part of a table partition as system.parts lists it.
type part struct {
	name     string
	active   bool
	min, max int64
}

// partitionParts lists the parts of one partition of a table.
func (s *Sink) partitionParts(ctx context.Context, table, partitionID string) ([]part, error) {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT name, active, min_block_number, max_block_number
FROM system.parts WHERE database = '%s' AND table = '%s' AND partition_id = '%s'`, s.database, table, partitionID))
	if err != nil {
		return nil, fmt.Errorf("listing parts of %s: %w", table, err)
	}
	defer rows.Close()
	var out []part
	for rows.Next() {
		var p part
		var active uint8
		if err := rows.Scan(&p.name, &active, &p.min, &p.max); err != nil {
			return nil, fmt.Errorf("listing parts of %s: %w", table, err)
		}
		p.active = active == 1
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing parts of %s: %w", table, err)
	}
	return out, nil
}

// revivable lists the inactive parts that no active part covers: those a
// restart would bring back (a part merged into another is covered and is
// dropped at start-up).
func revivable(parts []part) []string {
	var out []string
	for _, p := range parts {
		if p.active {
			continue
		}
		covered := false
		for _, a := range parts {
			if a.active && a.min <= p.min && p.max <= a.max {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p.name)
		}
	}
	return out
}

// cleanupProbe is a partition ID no table has: dropping it removes nothing.
const cleanupProbe = "zengshou_cleanup"

// awaitReplaced waits until the replaced parts of a partition are gone from
// disk, at most until deadline. It first asks for the clean-up: an
// ALTER TABLE … DROP PARTITION (of a partition that does not exist) makes
// the server delete outdated parts at once on 18.16; on a server where it
// does not, the background clean-up does it. When the time is up it logs a
// warning and returns: the publication stands, and Connect repairs the
// period if the server restarts before the clean-up.
func (s *Sink) awaitReplaced(ctx context.Context, table, partitionID string, deadline time.Time) error {
	if !s.revives {
		return nil
	}
	if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP PARTITION ID '%s'", quoteIdent(table), cleanupProbe)); err != nil {
		s.logger.Debug("asking for the clean-up of replaced parts", "table", table, "error", err)
	}
	for {
		parts, err := s.partitionParts(ctx, table, partitionID)
		if err != nil {
			return err
		}
		left := revivable(parts)
		if len(left) == 0 {
			return nil
		}
		if !time.Now().Before(deadline) {
			s.logger.Warn("replaced parts still on disk; a server restart now would revive them until the next connection repairs the period",
				"table", table, "partition", partitionID, "parts", left)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the clean-up of %s: %w", table, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP PARTITION ID '%s'", quoteIdent(table), cleanupProbe)); err != nil {
			s.logger.Debug("asking for the clean-up of replaced parts", "table", table, "error", err)
		}
	}
}

// coveringPartsSince is the first major version known to keep replaced parts
// from coming back: its REPLACE/DROP PARTITION leaves an empty part covering
// the replaced block range, which wins at start-up (checked on 26.7 through
// chdb: three replacements, a restart, one run's rows). 18.16 leaves no such
// part. The versions between were not tried here; they are treated like
// 18.16 (a wait that costs at most cleanup_timeout).
const coveringPartsSince = 23

// serverRevivesReplacedParts tells from the server's version whether
// publication must wait for replaced parts to leave the disk.
func (s *Sink) serverRevivesReplacedParts(ctx context.Context) (bool, error) {
	var v string
	if err := s.conn.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		return false, fmt.Errorf("reading the server version: %w", err)
	}
	major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if err != nil {
		return true, nil // an unknown form: the safe side
	}
	return major < coveringPartsSince, nil
}
