package embedded

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
)

// layout names the files of one server under <DataDir>/clickhouse/.
type layout struct {
	dir string // absolute <DataDir>/clickhouse
}

func newLayout(dataDir string) (layout, error) {
	abs, err := filepath.Abs(filepath.Join(dataDir, "clickhouse"))
	if err != nil {
		return layout{}, fmt.Errorf("resolving data directory %s: %w", dataDir, err)
	}
	return layout{dir: abs}, nil
}

func (l layout) configFile() string { return filepath.Join(l.dir, "config.xml") }
func (l layout) usersFile() string  { return filepath.Join(l.dir, "users.xml") }
func (l layout) pidFile() string    { return filepath.Join(l.dir, "server.pid") }
func (l layout) dsnFile() string    { return filepath.Join(l.dir, "dsn") }
func (l layout) lockFile() string   { return filepath.Join(l.dir, "start.lock") }
func (l layout) portFile() string   { return filepath.Join(l.dir, "port") }
func (l layout) analystFile() string {
	return filepath.Join(l.dir, "analyst.password")
}
func (l layout) writerFile() string {
	return filepath.Join(l.dir, "writer.password")
}
func (l layout) logDir() string     { return filepath.Join(l.dir, "log") }
func (l layout) errorLog() string   { return filepath.Join(l.logDir(), "clickhouse-server.err.log") }
func (l layout) consoleLog() string { return filepath.Join(l.logDir(), "console.log") }

// The paths ClickHouse wants end with a slash.
func (l layout) dataPath() string      { return filepath.Join(l.dir, "data") + "/" }
func (l layout) tmpPath() string       { return filepath.Join(l.dir, "tmp") + "/" }
func (l layout) userFilesPath() string { return filepath.Join(l.dir, "user_files") + "/" }
func (l layout) schemaPath() string    { return filepath.Join(l.dir, "format_schemas") + "/" }

// serverXML is config.xml, limited to keys that 18.16 understands (newer
// servers accept them too). Leaving out http_port, https_port and
// interserver_http_port means those listeners are not opened at all.
type serverXML struct {
	XMLName xml.Name `xml:"yandex"`
	Logger  struct {
		Level    string `xml:"level"`
		Log      string `xml:"log"`
		ErrorLog string `xml:"errorlog"`
		Size     string `xml:"size"`
		Count    int    `xml:"count"`
	} `xml:"logger"`
	ListenHost            string `xml:"listen_host"`
	TCPPort               int    `xml:"tcp_port"`
	MaxConnections        int    `xml:"max_connections"`
	KeepAliveTimeout      int    `xml:"keep_alive_timeout"`
	MaxConcurrentQueries  int    `xml:"max_concurrent_queries"`
	UncompressedCacheSize int64  `xml:"uncompressed_cache_size"`
	MarkCacheSize         int64  `xml:"mark_cache_size"`
	Path                  string `xml:"path"`
	TmpPath               string `xml:"tmp_path"`
	UserFilesPath         string `xml:"user_files_path"`
	FormatSchemaPath      string `xml:"format_schema_path"`
	UsersConfig           string `xml:"users_config"`
	DefaultProfile        string `xml:"default_profile"`
	DefaultDatabase       string `xml:"default_database"`
	MlockExecutable       bool   `xml:"mlock_executable"`
	// RemoteServers is left out unless Config.Clusters names some.
	RemoteServers *remoteServersXML `xml:"remote_servers,omitempty"`
}

// remoteServersXML is <remote_servers>: one element per cluster, named
// after it.
type remoteServersXML struct {
	Clusters []clusterXML
}

type clusterXML struct {
	XMLName xml.Name
	Shards  []shardXML `xml:"shard"`
}

type shardXML struct {
	Replica struct {
		Host            string `xml:"host"`
		Port            string `xml:"port"`
		DefaultDatabase string `xml:"default_database,omitempty"`
	} `xml:"replica"`
}

// usersXML is users.xml: the password-less default user (the
// administrator: the test harness creates and drops its databases as it),
// the pipeline's writer zengshou_writer and the read-only analyst user, all
// reachable from loopback only, with an unlimited default quota. users.xml,
// not SQL users: 18.16 has no CREATE USER.
type usersXML struct {
	XMLName  xml.Name `xml:"yandex"`
	Profiles struct {
		Default struct {
			LoadBalancing string `xml:"load_balancing"`
			// PollInterval (seconds) is how often an idle connection's
			// handler looks for shutdown; 18.16 defaults to 10, which makes
			// SIGTERM wait 10 s for every pooled client connection.
			PollInterval int `xml:"poll_interval"`
		} `xml:"default"`
		// Readonly is the analyst's profile. readonly = 2 allows reads and
		// changing settings (the Grafana ClickHouse plugin sets
		// max_execution_time on every query) but no INSERT, ALTER, DROP,
		// CREATE or change of the readonly setting itself.
		Readonly struct {
			Readonly     int `xml:"readonly"`
			PollInterval int `xml:"poll_interval"`
		} `xml:"readonly"`
	} `xml:"profiles"`
	Users struct {
		Default struct {
			Password string   `xml:"password"`
			Networks []string `xml:"networks>ip"`
			Profile  string   `xml:"profile"`
			Quota    string   `xml:"quota"`
		} `xml:"default"`
		// Writer is the pipeline's account: the default profile (it creates
		// the database, migrates, stages, swaps partitions and drops staging
		// tables), with a password.
		Writer  userXML `xml:"zengshou_writer"`
		Analyst userXML `xml:"analyst"`
	} `xml:"users"`
	Quotas struct {
		Default struct {
			Interval struct {
				Duration      int `xml:"duration"`
				Queries       int `xml:"queries"`
				Errors        int `xml:"errors"`
				ResultRows    int `xml:"result_rows"`
				ReadRows      int `xml:"read_rows"`
				ExecutionTime int `xml:"execution_time"`
			} `xml:"interval"`
		} `xml:"default"`
	} `xml:"quotas"`
}

// userXML is a user with a password of users.xml.
type userXML struct {
	PasswordSHA256 string   `xml:"password_sha256_hex"`
	Networks       []string `xml:"networks>ip"`
	Profile        string   `xml:"profile"`
	Quota          string   `xml:"quota"`
}

const (
	mib            = 1 << 20
	loopbackHost   = "127.0.0.1"
	markCacheBytes = 512 * mib
	// The uncompressed cache is only used when a query asks for it.
	uncompressedCacheBytes = 256 * mib
)

func buildServerXML(l layout, tcpPort int, clusters []RemoteCluster) serverXML {
	var c serverXML
	c.Logger.Level = "warning"
	c.Logger.Log = filepath.Join(l.logDir(), "clickhouse-server.log")
	c.Logger.ErrorLog = l.errorLog()
	c.Logger.Size = "100M"
	c.Logger.Count = 3
	c.ListenHost = loopbackHost
	c.TCPPort = tcpPort
	c.MaxConnections = 1024
	c.KeepAliveTimeout = 3
	c.MaxConcurrentQueries = 100
	c.UncompressedCacheSize = uncompressedCacheBytes
	c.MarkCacheSize = markCacheBytes
	c.Path = l.dataPath()
	c.TmpPath = l.tmpPath()
	c.UserFilesPath = l.userFilesPath()
	c.FormatSchemaPath = l.schemaPath()
	c.UsersConfig = l.usersFile()
	c.DefaultProfile = "default"
	c.DefaultDatabase = "default"
	c.MlockExecutable = false
	if len(clusters) > 0 {
		c.RemoteServers = &remoteServersXML{}
		for _, cl := range clusters {
			x := clusterXML{XMLName: xml.Name{Local: cl.Name}}
			x.Shards = make([]shardXML, len(cl.Shards))
			for i, addr := range cl.Shards {
				// Validate checked that it splits.
				x.Shards[i].Replica.Host, x.Shards[i].Replica.Port, _ = net.SplitHostPort(addr)
				x.Shards[i].Replica.DefaultDatabase = cl.DefaultDatabase
			}
			c.RemoteServers.Clusters = append(c.RemoteServers.Clusters, x)
		}
	}
	return c
}

func buildUsersXML(pw passwords) usersXML {
	var u usersXML
	u.Profiles.Default.LoadBalancing = "random"
	u.Profiles.Default.PollInterval = 1
	u.Profiles.Readonly.Readonly = 2
	u.Profiles.Readonly.PollInterval = 1
	u.Users.Default.Networks = []string{"127.0.0.1", "::1"}
	u.Users.Default.Profile = "default"
	u.Users.Default.Quota = "default"
	u.Users.Writer = passwordUser(pw.writer, "default")
	u.Users.Analyst = passwordUser(pw.analyst, "readonly")
	u.Quotas.Default.Interval.Duration = 3600
	return u
}

// passwordUser is a loopback-only user with password's SHA-256, profile
// and the default quota.
func passwordUser(password, profile string) userXML {
	sum := sha256.Sum256([]byte(password))
	return userXML{
		PasswordSHA256: hex.EncodeToString(sum[:]),
		Networks:       []string{"127.0.0.1", "::1"},
		Profile:        profile,
		Quota:          "default",
	}
}

// writeConfig writes config.xml and users.xml for a server on tcpPort and
// creates the directories the server expects.
func writeConfig(l layout, tcpPort int, pw passwords, clusters []RemoteCluster) error {
	for _, d := range []string{l.dir, l.logDir(), l.dataPath(), l.tmpPath(), l.userFilesPath(), l.schemaPath()} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return fmt.Errorf("creating directory %s: %w", d, err)
		}
	}
	if err := writeXML(l.configFile(), buildServerXML(l, tcpPort, clusters)); err != nil {
		return err
	}
	return writeXML(l.usersFile(), buildUsersXML(pw))
}

func writeXML(path string, v any) error {
	body, err := xml.MarshalIndent(v, "", "    ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	body = append([]byte(xml.Header), body...)
	body = append(body, '\n')
	if err := os.WriteFile(path, body, 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// tablesGlob matches every table directory of the server's data path.
func (l layout) tablesGlob() string { return filepath.Join(l.dir, "data", "data", "*", "*") }

// removeTemporaryParts deletes the tmp_* directories a server killed in the
// middle of an INSERT, a merge or a REPLACE PARTITION left in its tables.
// ClickHouse 18.16 keeps them for temporary_directories_lifetime (a day)
// and does not clear them at startup, so the next REPLACE PARTITION that
// picks the same part name fails ("Part … tmp_replace_from_202501_2_2_0
// already exists") and the period cannot be re-published until then. Called
// only while no server runs on the directory, when none of them is in use.
func removeTemporaryParts(l layout, logger *slog.Logger) error {
	tables, err := filepath.Glob(l.tablesGlob())
	if err != nil {
		return fmt.Errorf("listing the tables under %s: %w", l.dir, err)
	}
	for _, table := range tables {
		tmps, err := filepath.Glob(filepath.Join(table, "tmp_*"))
		if err != nil {
			return fmt.Errorf("listing the temporary parts of %s: %w", table, err)
		}
		for _, tmp := range tmps {
			if err := os.RemoveAll(tmp); err != nil {
				return fmt.Errorf("removing the temporary part %s left by a killed server: %w", tmp, err)
			}
			logger.Warn("removed a temporary part left by a killed server", "part", tmp)
		}
	}
	return nil
}
