package clickhouse

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"zengshou/schemas"
)

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, in version order.
func (s *Sink) Migrate(ctx context.Context) error {
	migrations, err := schemas.Migrations()
	if err != nil {
		return err
	}
	return s.migrate(ctx, migrations)
}

// migrate applies the migrations not yet recorded. On a shard of a Cluster
// a new warehouse is created whole from the cluster DDL (and every
// migration recorded), and a migration of an existing one is applied to
// the shard-local and the Distributed table alike (shard.go).
func (s *Sink) migrate(ctx context.Context, migrations []schemas.Migration) error {
	if err := s.conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version UInt32 COMMENT 'migration version',
    name String COMMENT 'migration file',
    applied_at DateTime COMMENT 'when it was applied (UTC)'
) ENGINE = MergeTree() ORDER BY version`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	applied := map[uint32]bool{}
	rows, err := s.conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("reading schema_migrations: %w", err)
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("reading schema_migrations: %w", err)
		}
		applied[v] = true
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("reading schema_migrations: %w", err)
	}
	if s.shard != nil && len(applied) == 0 {
		created, err := s.createShardSchema(ctx, migrations)
		if err != nil || created {
			return err
		}
	}
	for _, m := range migrations {
		if applied[m.Version] {
			continue
		}
		statements := m.Statements
		if s.shard != nil {
			if statements, err = s.shard.statements(m); err != nil {
				return err
			}
		}
		for i, stmt := range statements {
			// A migration interrupted after some statements is run again
			// whole: an ADD COLUMN that already took effect is skipped
			// (system.columns says so; 18.16 has no ADD COLUMN IF NOT EXISTS).
			if done, err := s.columnAdded(ctx, stmt); err != nil {
				return fmt.Errorf("applying migration %s statement %d: %w", m.Name, i+1, err)
			} else if done {
				continue
			}
			if err := s.conn.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("applying migration %s statement %d: %w", m.Name, i+1, err)
			}
		}
		if err := s.recordMigration(ctx, m); err != nil {
			return fmt.Errorf("recording migration %s: %w", m.Name, err)
		}
		s.logger.Info("migration applied", "migration", m.Name, "database", s.database)
	}
	return nil
}

// recordMigration notes an applied migration. Inserts go through
// PrepareBatch: ClickHouse 18.16 does not answer INSERT … VALUES sent as a
// plain query by clickhouse-go.
func (s *Sink) recordMigration(ctx context.Context, m schemas.Migration) error {
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO schema_migrations (version, name, applied_at)")
	if err != nil {
		return err
	}
	defer batch.Close() //nolint:errcheck // Close after Send is a no-op
	if err := batch.Append(m.Version, m.Name, time.Now().UTC()); err != nil {
		return err
	}
	return batch.Send()
}

var addColumn = regexp.MustCompile(`(?is)^ALTER TABLE\s+([A-Za-z0-9_]+)\s+ADD COLUMN\s+([A-Za-z0-9_]+)\s`)

// columnAdded reports whether stmt is an ADD COLUMN whose column exists.
func (s *Sink) columnAdded(ctx context.Context, stmt string) (bool, error) {
	m := addColumn.FindStringSubmatch(strings.TrimSpace(stmt))
	if m == nil {
		return false, nil
	}
	var n uint64
	err := s.conn.QueryRow(ctx, fmt.Sprintf(
		"SELECT count() FROM system.columns WHERE database = '%s' AND table = '%s' AND name = '%s'",
		s.database, m[1], m[2])).Scan(&n)
	return n > 0, err
}
