package server

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	// Embed the zone database so the binary works in minimal containers
	// (distroless, scratch) that ship no /usr/share/zoneinfo.
	_ "time/tzdata"

	"gopkg.in/yaml.v3"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// ConfigFileEnv names the environment variable holding the config file path;
// the -config flag takes precedence.
const ConfigFileEnv = "SPRECHSTUNDE_CONFIG"

// envPrefix starts every environment override, see envName.
const envPrefix = "SPRECHSTUNDE_"

// Config is the complete runtime configuration. Every field with a yaml tag
// is settable from the YAML file and from SPRECHSTUNDE_<YAML_PATH>; adding a
// field (or a nested section struct) needs no further wiring. Supported
// field types are those handled by setFromEnv.
type Config struct {
	HTTPAddr            string        `yaml:"http_addr"`
	Database            string        `yaml:"database"` // SQLite file path or postgres:// URL
	PublicURL           string        `yaml:"public_url"`
	Timezone            string        `yaml:"timezone"`
	AdminEmail          string        `yaml:"admin_email"`
	AdminPassword       string        `yaml:"admin_password"`
	Demo                bool          `yaml:"demo"`
	RateLimitPerMinute  int           `yaml:"rate_limit_per_minute"`  // 0 = off
	MaxBookingsPerEmail int           `yaml:"max_bookings_per_email"` // 0 = off
	LogLevel            string        `yaml:"log_level"`
	LogFormat           string        `yaml:"log_format"`
	ShutdownTimeout     time.Duration `yaml:"shutdown_timeout"`
	SessionTTL          time.Duration `yaml:"session_ttl"` // staff login session lifetime
	MaxBodyBytes        int64         `yaml:"max_body_bytes"`
	JoinEarly           time.Duration `yaml:"join_early"`      // join link valid this long before start
	TrustedProxies      []string      `yaml:"trusted_proxies"` // CIDRs whose X-Forwarded-For is believed
	MetricsAddr         string        `yaml:"metrics_addr"`    // Prometheus /metrics listener; empty = off
	MetricsToken        string        `yaml:"metrics_token"`   // bearer token the scraper must present; empty = none
	// PasswordHashConcurrency bounds the password hashes running at once
	// (19 MiB each); 0 sizes it from the memory available.
	PasswordHashConcurrency int `yaml:"password_hash_concurrency"`

	// SFU is the media server's section, owned by package sfu.
	SFU sfu.Settings `yaml:"sfu"`

	SMTPURL          string          `yaml:"smtp_url"`   // smtp://host:25, smtp://user:pass@host:587, smtps://user:pass@host:465
	MailFrom         string          `yaml:"mail_from"`  // sender address of all mails
	SecretKey        string          `yaml:"secret_key"` // encrypts join tokens and queued mails; generated into a file in DataDir if empty
	DataDir          string          `yaml:"data_dir"`   // files kept apart from the database; default: the SQLite file's directory or ./data
	MailPollInterval time.Duration   `yaml:"mail_poll_interval"`
	MailLease        time.Duration   `yaml:"mail_lease"`
	Reminders        []string        `yaml:"reminders"` // durations before the start, e.g. 24h, 1h
	NoShowGrace      time.Duration   `yaml:"no_show_grace"`
	Retention        RetentionConfig `yaml:"retention"`

	// BookingChallenge is the proof of work a public booking carries.
	BookingChallenge BookingChallengeConfig `yaml:"booking_challenge"`

	// Office names who runs the installation on pages and in mails.
	Office OfficeConfig `yaml:"office"`

	loc *time.Location // resolved Timezone, set by Load
}

// DefaultConfig returns the built-in defaults, the base Load starts from.
func DefaultConfig() Config {
	return Config{
		HTTPAddr:            "127.0.0.1:8080",
		Database:            "./data/sprechstunde.db",
		PublicURL:           "http://localhost:8080",
		Timezone:            "Europe/Berlin",
		RateLimitPerMinute:  30,
		MaxBookingsPerEmail: 3,
		LogLevel:            "info",
		LogFormat:           "text",
		ShutdownTimeout:     15 * time.Second,
		SessionTTL:          8 * time.Hour,
		MaxBodyBytes:        64 << 10,
		JoinEarly:           15 * time.Minute,
		TrustedProxies:      []string{},
		MailPollInterval:    15 * time.Second,
		MailLease:           2 * time.Minute,
		Reminders:           []string{"24h", "1h"},
		NoShowGrace:         15 * time.Minute,
		Retention:           defaultRetention(),
		BookingChallenge:    defaultBookingChallenge(),
		SFU:                 sfu.DefaultSettings(),
	}
}

// Load builds the configuration: defaults, then the optional YAML file
// (-config flag or SPRECHSTUNDE_CONFIG), then SPRECHSTUNDE_* environment
// overrides, then validation. args are the subcommand's flags; getenv is
// injected so tests need not touch the process environment. An empty or
// blank environment value counts as unset.
func Load(args []string, getenv func(string) string) (Config, error) {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller reports the returned error
	path := fs.String("config", "", "path to a YAML config file (env "+ConfigFileEnv+")")
	if err := fs.Parse(args); err != nil {
		return Config{}, fmt.Errorf("config: flags: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("config: unexpected arguments: %q", fs.Args())
	}
	if *path == "" {
		*path = getenv(ConfigFileEnv)
	}

	cfg := DefaultConfig()
	if *path != "" {
		data, err := os.ReadFile(*path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if err := decodeYAML(data, &cfg); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", *path, err)
		}
	}
	if err := applyEnv(&cfg, getenv); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if err := cfg.normalizeAndValidate(); err != nil {
		return Config{}, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, nil
}

// decodeYAML overlays the document onto cfg; keys absent from the file keep
// their current value, unknown keys are an error so typos don't go unnoticed.
func decodeYAML(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		if errors.Is(err, io.EOF) { // empty file: nothing to overlay
			return nil
		}
		return err
	}
	return nil
}

// Location returns the configured time zone, used to display and interpret
// appointment times.
func (c Config) Location() *time.Location {
	if c.loc != nil {
		return c.loc
	}
	// Config built without Load (e.g. in tests).
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// SecureCookies reports whether cookies must carry the Secure attribute.
func (c Config) SecureCookies() bool {
	return strings.HasPrefix(strings.ToLower(c.PublicURL), "https://")
}

// IsPostgres reports whether Database is a PostgreSQL URL rather than a
// SQLite file path.
func (c Config) IsPostgres() bool {
	d := strings.ToLower(c.Database)
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// configField is one settable leaf of Config, addressed by its yaml path.
type configField struct {
	path  []string // yaml keys from the root, e.g. ["sfu", "udp_port"]
	value reflect.Value
}

// key is the dotted yaml path used in error messages ("sfu.udp_port").
func (f configField) key() string { return strings.Join(f.path, ".") }

// env is the environment variable overriding the field.
func (f configField) env() string { return envName(f.path) }

// envName maps a yaml path to its override variable:
// ["sfu", "udp_port"] -> SPRECHSTUNDE_SFU_UDP_PORT.
func envName(path []string) string {
	return envPrefix + strings.ToUpper(strings.Join(path, "_"))
}

// configFields walks cfg by reflection and returns every leaf field in
// declaration order, descending into nested section structs. Unsupported
// field types are an error so a new field can't silently miss env support.
// cfg must be a pointer so the returned values are settable.
func configFields(cfg *Config) ([]configField, error) {
	var out []configField
	err := walkStruct(reflect.ValueOf(cfg).Elem(), nil, &out)
	return out, err
}

func walkStruct(v reflect.Value, prefix []string, out *[]configField) error {
	durationType := reflect.TypeFor[time.Duration]()
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			return fmt.Errorf("config field %s.%s: needs an explicit yaml tag", t.Name(), sf.Name)
		}
		path := append(append([]string(nil), prefix...), name)
		fv := v.Field(i)
		switch {
		case sf.Type == durationType:
		case sf.Type.Kind() == reflect.Struct:
			if err := walkStruct(fv, path, out); err != nil {
				return err
			}
			continue
		case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
		default:
			switch sf.Type.Kind() {
			case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
			default:
				return fmt.Errorf("config field %s (%s): unsupported type %s", strings.Join(path, "."), sf.Name, sf.Type)
			}
		}
		*out = append(*out, configField{path: path, value: fv})
	}
	return nil
}

// configEnvNames lists every override variable Config understands.
func configEnvNames() ([]string, error) {
	var cfg Config
	fields, err := configFields(&cfg)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.env()
	}
	return names, nil
}

// applyEnv overrides fields from SPRECHSTUNDE_* variables.
func applyEnv(cfg *Config, getenv func(string) string) error {
	fields, err := configFields(cfg)
	if err != nil {
		return err
	}
	for _, f := range fields {
		raw := getenv(f.env())
		if strings.TrimSpace(raw) == "" {
			continue
		}
		if err := setFromEnv(f.value, raw); err != nil {
			return fmt.Errorf("environment variable %s: %w", f.env(), err)
		}
	}
	return nil
}

// setFromEnv parses raw into v according to v's type. Lists are
// comma-separated; blank items are dropped.
func setFromEnv(v reflect.Value, raw string) error {
	raw = strings.TrimSpace(raw)
	if v.Type() == reflect.TypeFor[time.Duration]() {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("invalid duration %q (want e.g. 30s, 15m, 8h): %w", raw, err)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("invalid boolean %q (want true or false): %w", raw, err)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid integer %q: %w", raw, err)
		}
		v.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("invalid number %q: %w", raw, err)
		}
		v.SetFloat(x)
	case reflect.Slice:
		items := []string{}
		for item := range strings.SplitSeq(raw, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// normalizeAndValidate canonicalises values (trailing slash, case) and
// reports every problem at once, each naming its key and variable, so an
// operator fixes the file in one pass.
func (c *Config) normalizeAndValidate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("  %s (%s): %s", key, envName(strings.Split(key, ".")), fmt.Sprintf(format, args...)))
	}

	httpPort := 0
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("http_addr", "want host:port, got %q", c.HTTPAddr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("http_addr", "invalid port %q", port)
	} else {
		httpPort = p
	}

	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("metrics_addr", "want host:port such as 127.0.0.1:9090, got %q", c.MetricsAddr)
		} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			bad("metrics_addr", "invalid port %q", port)
		} else if c.MetricsAddr == c.HTTPAddr {
			bad("metrics_addr", "must differ from http_addr: metrics are not served on the public port")
		}
	}

	switch {
	case strings.TrimSpace(c.Database) == "":
		bad("database", "must not be empty: a SQLite file path or a postgres:// URL")
	case c.IsPostgres():
		if u, err := url.Parse(c.Database); err != nil || u.Host == "" {
			bad("database", "invalid PostgreSQL URL (want postgres://user:password@host:5432/dbname)")
		}
	case strings.Contains(c.Database, "://"):
		bad("database", "unsupported URL scheme: only postgres:// or postgresql:// URLs, or a SQLite file path")
	}

	c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("public_url", "want an absolute http(s) URL such as https://termine.example.de, got %q", c.PublicURL)
	} else if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		bad("public_url", "must not contain credentials, a query or a fragment, got %q", c.PublicURL)
	}

	if loc, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		bad("timezone", "unknown time zone %q (want an IANA name such as Europe/Berlin)", c.Timezone)
	} else {
		c.loc = loc
	}

	switch {
	case c.AdminEmail == "" && c.AdminPassword == "":
	case c.AdminEmail == "" || c.AdminPassword == "":
		bad("admin_email", "admin_email and admin_password must be set together")
	default:
		if a, err := mail.ParseAddress(c.AdminEmail); err != nil || a.Address != c.AdminEmail {
			bad("admin_email", "invalid e-mail address %q", c.AdminEmail)
		}
		if n := utf8.RuneCountInString(c.AdminPassword); n < minAdminPasswordLen {
			bad("admin_password", "must be at least %d characters, got %d", minAdminPasswordLen, n)
		}
	}

	if c.RateLimitPerMinute < 0 {
		bad("rate_limit_per_minute", "must be >= 0 (0 disables), got %d", c.RateLimitPerMinute)
	}
	if c.PasswordHashConcurrency < 0 {
		bad("password_hash_concurrency", "must be >= 0 (0 sizes it from memory), got %d", c.PasswordHashConcurrency)
	}
	if c.MaxBookingsPerEmail < 0 {
		bad("max_bookings_per_email", "must be >= 0 (0 disables), got %d", c.MaxBookingsPerEmail)
	}

	c.LogLevel = strings.ToLower(strings.TrimSpace(c.LogLevel))
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	c.LogFormat = strings.ToLower(strings.TrimSpace(c.LogFormat))
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", "want text or json, got %q", c.LogFormat)
	}

	if c.ShutdownTimeout <= 0 {
		bad("shutdown_timeout", "must be positive, got %s", c.ShutdownTimeout)
	}
	if c.SessionTTL <= 0 {
		bad("session_ttl", "must be positive, got %s", c.SessionTTL)
	}
	if c.MaxBodyBytes <= 0 {
		bad("max_body_bytes", "must be positive, got %d", c.MaxBodyBytes)
	}
	if c.JoinEarly < 0 {
		bad("join_early", "must be >= 0, got %s", c.JoinEarly)
	}
	if c.TrustedProxies == nil {
		c.TrustedProxies = []string{}
	}
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil {
			bad("trusted_proxies", "invalid CIDR %q (want e.g. 10.0.0.0/8 or 192.0.2.10/32)", p)
		}
	}

	c.validateSFU(bad, httpPort)
	c.validateAsync(bad)
	c.validateBookingChallenge(bad)
	c.Office.validateOffice(bad)
	return errors.Join(errs...)
}

// minAdminPasswordLen is the minimum length of the bootstrap admin password.
const minAdminPasswordLen = 12

// validateSFU reports the sfu section's own problems under its keys, then
// what only the whole config can see: ports colliding across listeners.
func (c *Config) validateSFU(bad func(key, format string, args ...any), httpPort int) {
	s := &c.SFU
	for _, err := range joined(s.Validate()) {
		if se, ok := errors.AsType[*sfu.SettingError](err); ok {
			bad("sfu."+se.Key, "%s", se.Problem)
		} else {
			bad("sfu", "%v", err)
		}
	}
	if s.TCPPort == httpPort && s.TCPPort != 0 {
		bad("sfu.tcp_port", "collides with the port of http_addr (%d)", httpPort)
	}
	if s.TurnEnabled {
		// TURN listens on UDP and TCP, so it may share neither ICE port.
		if s.TurnPort != 0 && (s.TurnPort == s.UDPPort || s.TurnPort == s.TCPPort || s.TurnPort == httpPort) {
			bad("sfu.turn_port", "%d collides with sfu.udp_port, sfu.tcp_port or http_addr", s.TurnPort)
		}
	}
	for _, list := range []*[]string{&s.PublicIPs, &s.ICEAllowedPrivateNetworks, &s.ListenIPs} {
		if *list == nil {
			*list = []string{}
		}
	}
}

// joined splits an errors.Join result into its parts.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// TrustedProxyNets returns TrustedProxies parsed; Load has validated them.
func (c Config) TrustedProxyNets() []*net.IPNet {
	nets := make([]*net.IPNet, 0, len(c.TrustedProxies))
	for _, p := range c.TrustedProxies {
		if _, n, err := net.ParseCIDR(p); err == nil {
			nets = append(nets, n)
		}
	}
	return nets
}
