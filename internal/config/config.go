// Package config reads Hearth's settings from the environment. There are no
// globals: main calls Load once and passes the result down.
package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is every setting Hearth reads, with its environment variable.
type Config struct {
	DatabaseURL    string        // DATABASE_URL, as hearth_app; empty: the private cluster in DataDir
	OwnerURL       string        // DATABASE_OWNER_URL, as the owner, for migrations; empty: do not migrate
	DataDir        string        // HEARTH_DATA_DIR (default .data)
	ListenAddr     string        // LISTEN_ADDR (default localhost:8080)
	SecureCookies  bool          // HEARTH_SECURE_COOKIES (default true)
	SessionIdle    time.Duration // HEARTH_SESSION_IDLE (default 30m)
	SessionMax     time.Duration // HEARTH_SESSION_MAX (default 12h)
	LockAfter      int           // HEARTH_LOCK_AFTER failed sign-ins (default 5)
	LockFor        time.Duration // HEARTH_LOCK_FOR (default 15m)
	MigrateOnStart bool          // HEARTH_MIGRATE (default true)
	DBMaxConns     int32         // HEARTH_DB_MAX_CONNS, the server's pool (default 4 a CPU, at least 8)
	ReplicaURL     string        // DATABASE_REPLICA_URL, a streaming replica for analytics reads (as hearth_app); empty: none
	ReplicaMaxLag  time.Duration // HEARTH_REPLICA_MAX_LAG: past it analytics read the primary (default 30s)
	LogFormat      string        // LOG_FORMAT text|json (default text)
	LogLevel       string        // LOG_LEVEL debug|info|warn|error (default info)
}

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL: getenv("DATABASE_URL"),
		OwnerURL:    getenv("DATABASE_OWNER_URL"),
		ReplicaURL:  getenv("DATABASE_REPLICA_URL"),
		DataDir:     or(getenv("HEARTH_DATA_DIR"), ".data"),
		ListenAddr:  or(getenv("LISTEN_ADDR"), "localhost:8080"),
		LogFormat:   or(getenv("LOG_FORMAT"), "text"),
		LogLevel:    or(getenv("LOG_LEVEL"), "info"),
	}
	var errs []string
	boolean := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s=%q is not true or false", name, v))
		}
		return b
	}
	duration := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q is not a positive duration such as 30m", name, v))
		}
		return d
	}
	c.SecureCookies = boolean("HEARTH_SECURE_COOKIES", true)
	c.MigrateOnStart = boolean("HEARTH_MIGRATE", true)
	c.SessionIdle = duration("HEARTH_SESSION_IDLE", 30*time.Minute)
	c.SessionMax = duration("HEARTH_SESSION_MAX", 12*time.Hour)
	c.LockFor = duration("HEARTH_LOCK_FOR", 15*time.Minute)
	c.ReplicaMaxLag = duration("HEARTH_REPLICA_MAX_LAG", 30*time.Second)
	c.LockAfter = 5
	if v := getenv("HEARTH_LOCK_AFTER"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("HEARTH_LOCK_AFTER=%q is not a positive whole number", v))
		}
		c.LockAfter = n
	}
	if v := getenv("HEARTH_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			errs = append(errs, fmt.Sprintf("HEARTH_DB_MAX_CONNS=%q is not a whole number from 2 to 1000", v))
		}
		c.DBMaxConns = int32(n)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Sprintf("LOG_FORMAT=%q is not text or json", c.LogFormat))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
