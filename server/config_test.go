package server

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

const exampleConfigPath = "../configs/config.example.yaml"

// env turns a map into an injectable getenv.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeConfig writes a YAML file into a temp dir and returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// comparable drops the cached *time.Location, which differs per load.
func comparable(c Config) Config {
	c.loc = nil
	return c
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := comparable(cfg), DefaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("Load() without file/env = %+v, want defaults %+v", got, want)
	}
	if cfg.Location().String() != "Europe/Berlin" {
		t.Errorf("Location() = %s", cfg.Location())
	}
	if cfg.SecureCookies() || cfg.IsPostgres() {
		t.Errorf("defaults: SecureCookies=%v IsPostgres=%v, want false/false", cfg.SecureCookies(), cfg.IsPostgres())
	}
}

func TestLoadSources(t *testing.T) {
	file := writeConfig(t, `
http_addr: "0.0.0.0:9000"
database: "postgres://u:p@db:5432/s?sslmode=disable"
public_url: "https://termine.example.de/"
log_level: warn
session_ttl: 2h
trusted_proxies: ["10.0.0.0/8"]
sfu:
  udp_port: 40000
  public_ips: ["203.0.113.10"]
`)
	other := writeConfig(t, "log_level: error\n")

	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{
			name: "file via flag",
			args: []string{"-config", file},
			check: func(t *testing.T, c Config) {
				want := DefaultConfig()
				want.HTTPAddr = "0.0.0.0:9000"
				want.Database = "postgres://u:p@db:5432/s?sslmode=disable"
				want.PublicURL = "https://termine.example.de" // trailing slash trimmed
				want.LogLevel = "warn"
				want.SessionTTL = 2 * time.Hour
				want.TrustedProxies = []string{"10.0.0.0/8"}
				want.SFU.UDPPort = 40000 // rest of the section keeps its defaults
				want.SFU.PublicIPs = []string{"203.0.113.10"}
				if got := comparable(c); !reflect.DeepEqual(got, want) {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
				if !c.SecureCookies() || !c.IsPostgres() {
					t.Errorf("SecureCookies=%v IsPostgres=%v, want true/true", c.SecureCookies(), c.IsPostgres())
				}
			},
		},
		{
			name: "file via env",
			env:  map[string]string{ConfigFileEnv: file},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != "warn" {
					t.Errorf("LogLevel = %q, want warn", c.LogLevel)
				}
			},
		},
		{
			name: "flag beats config env",
			args: []string{"-config=" + other},
			env:  map[string]string{ConfigFileEnv: file},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != "error" {
					t.Errorf("LogLevel = %q, want error", c.LogLevel)
				}
			},
		},
		{
			name: "env beats file",
			args: []string{"-config", file},
			env: map[string]string{
				"SPRECHSTUNDE_LOG_LEVEL":       "DEBUG",
				"SPRECHSTUNDE_SESSION_TTL":     "30m",
				"SPRECHSTUNDE_SFU_UDP_PORT":    "41000",
				"SPRECHSTUNDE_SFU_PUBLIC_IPS":  " 198.51.100.1, ,2001:db8::1 ",
				"SPRECHSTUNDE_DEMO":            "true",
				"SPRECHSTUNDE_MAX_BODY_BYTES":  "1048576",
				"SPRECHSTUNDE_TRUSTED_PROXIES": "",   // empty = unset, file value stays
				"SPRECHSTUNDE_PUBLIC_URL":      "  ", // blank = unset too
			},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != "debug" {
					t.Errorf("LogLevel = %q, want debug (lower-cased)", c.LogLevel)
				}
				if c.SessionTTL != 30*time.Minute || c.SFU.UDPPort != 41000 || !c.Demo || c.MaxBodyBytes != 1<<20 {
					t.Errorf("overrides not applied: %+v", c)
				}
				if want := []string{"198.51.100.1", "2001:db8::1"}; !slices.Equal(c.SFU.PublicIPs, want) {
					t.Errorf("PublicIPs = %q, want %q", c.SFU.PublicIPs, want)
				}
				if !slices.Equal(c.TrustedProxies, []string{"10.0.0.0/8"}) || c.PublicURL != "https://termine.example.de" {
					t.Errorf("TrustedProxies = %q, PublicURL = %q: blank env must not override", c.TrustedProxies, c.PublicURL)
				}
			},
		},
		{
			name: "empty file keeps defaults",
			args: []string{"-config", writeConfig(t, "# nothing\n")},
			check: func(t *testing.T, c Config) {
				if !reflect.DeepEqual(comparable(c), DefaultConfig()) {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "admin pair",
			env: map[string]string{
				"SPRECHSTUNDE_ADMIN_EMAIL":    "amt@example.de",
				"SPRECHSTUNDE_ADMIN_PASSWORD": "Bürgeramt-2024", // 14 runes
			},
			check: func(t *testing.T, c Config) {
				if c.AdminEmail != "amt@example.de" {
					t.Errorf("AdminEmail = %q", c.AdminEmail)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, env(tt.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"unknown key", []string{"-config", writeConfig(t, "http_adr: x\n")}, nil, []string{"http_adr", "not found"}},
		{"unknown nested key", []string{"-config", writeConfig(t, "sfu:\n  udp: 1\n")}, nil, []string{"udp", "not found"}},
		{"yaml type mismatch", []string{"-config", writeConfig(t, "rate_limit_per_minute: many\n")}, nil, []string{"config file", "many"}},
		{"yaml bad duration", []string{"-config", writeConfig(t, "join_early: soon\n")}, nil, []string{"soon"}},
		{"missing file", []string{"-config", "/nonexistent/sprechstunde.yaml"}, nil, []string{"/nonexistent/sprechstunde.yaml"}},
		{"missing file via env", nil, map[string]string{ConfigFileEnv: "/nonexistent/x.yaml"}, []string{"/nonexistent/x.yaml"}},
		{"unknown flag", []string{"-verbose"}, nil, []string{"verbose"}},
		{"stray argument", []string{"extra"}, nil, []string{"unexpected arguments"}},

		{"env bad int", nil, map[string]string{"SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE": "lots"}, []string{"SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE", `"lots"`}},
		{"env bad int64", nil, map[string]string{"SPRECHSTUNDE_MAX_BODY_BYTES": "64k"}, []string{"SPRECHSTUNDE_MAX_BODY_BYTES"}},
		{"env bad bool", nil, map[string]string{"SPRECHSTUNDE_DEMO": "ja"}, []string{"SPRECHSTUNDE_DEMO", `"ja"`}},
		{"env bad duration", nil, map[string]string{"SPRECHSTUNDE_SHUTDOWN_TIMEOUT": "15"}, []string{"SPRECHSTUNDE_SHUTDOWN_TIMEOUT", "duration"}},
		{"env bad nested", nil, map[string]string{"SPRECHSTUNDE_SFU_TURN_ENABLED": "maybe"}, []string{"SPRECHSTUNDE_SFU_TURN_ENABLED"}},

		{"http_addr", nil, map[string]string{"SPRECHSTUNDE_HTTP_ADDR": "8080"}, []string{"http_addr (SPRECHSTUNDE_HTTP_ADDR)"}},
		{"metrics_addr", nil, map[string]string{"SPRECHSTUNDE_METRICS_ADDR": "9090"}, []string{"metrics_addr (SPRECHSTUNDE_METRICS_ADDR)", "host:port"}},
		{"metrics_addr public", nil, map[string]string{"SPRECHSTUNDE_METRICS_ADDR": "127.0.0.1:8080"}, []string{"metrics_addr", "http_addr"}},
		{"database scheme", nil, map[string]string{"SPRECHSTUNDE_DATABASE": "mysql://x"}, []string{"database", "postgres://"}},
		{"public_url relative", nil, map[string]string{"SPRECHSTUNDE_PUBLIC_URL": "termine.example.de"}, []string{"public_url"}},
		{"public_url scheme", nil, map[string]string{"SPRECHSTUNDE_PUBLIC_URL": "ftp://example.de"}, []string{"public_url"}},
		{"public_url query", nil, map[string]string{"SPRECHSTUNDE_PUBLIC_URL": "https://example.de/?a=b"}, []string{"public_url", "query"}},
		{"timezone", nil, map[string]string{"SPRECHSTUNDE_TIMEZONE": "Europe/Bonn"}, []string{"timezone", "Europe/Bonn"}},
		{"admin email only", nil, map[string]string{"SPRECHSTUNDE_ADMIN_EMAIL": "a@example.de"}, []string{"admin_email", "together"}},
		{"admin password only", nil, map[string]string{"SPRECHSTUNDE_ADMIN_PASSWORD": "long-enough-pw"}, []string{"together"}},
		{"admin password short", nil, map[string]string{"SPRECHSTUNDE_ADMIN_EMAIL": "a@example.de", "SPRECHSTUNDE_ADMIN_PASSWORD": "kurz"}, []string{"admin_password", "12"}},
		{"admin email invalid", nil, map[string]string{"SPRECHSTUNDE_ADMIN_EMAIL": "Amt <a@example.de>", "SPRECHSTUNDE_ADMIN_PASSWORD": "long-enough-pw"}, []string{"admin_email", "invalid"}},
		{"rate limit negative", nil, map[string]string{"SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE": "-1"}, []string{"rate_limit_per_minute"}},
		{"max bookings negative", nil, map[string]string{"SPRECHSTUNDE_MAX_BOOKINGS_PER_EMAIL": "-1"}, []string{"max_bookings_per_email"}},
		{"log level", nil, map[string]string{"SPRECHSTUNDE_LOG_LEVEL": "verbose"}, []string{"log_level"}},
		{"log format", nil, map[string]string{"SPRECHSTUNDE_LOG_FORMAT": "xml"}, []string{"log_format"}},
		{"shutdown timeout", nil, map[string]string{"SPRECHSTUNDE_SHUTDOWN_TIMEOUT": "0s"}, []string{"shutdown_timeout"}},
		{"session ttl", nil, map[string]string{"SPRECHSTUNDE_SESSION_TTL": "-1h"}, []string{"session_ttl"}},
		{"max body", nil, map[string]string{"SPRECHSTUNDE_MAX_BODY_BYTES": "0"}, []string{"max_body_bytes"}},
		{"join early", nil, map[string]string{"SPRECHSTUNDE_JOIN_EARLY": "-5m"}, []string{"join_early"}},
		{"trusted proxies", nil, map[string]string{"SPRECHSTUNDE_TRUSTED_PROXIES": "10.0.0.1"}, []string{"trusted_proxies", "CIDR"}},
		{"sfu port range", nil, map[string]string{"SPRECHSTUNDE_SFU_UDP_PORT": "70000"}, []string{"sfu.udp_port (SPRECHSTUNDE_SFU_UDP_PORT)"}},
		{"sfu turn collision", nil, map[string]string{"SPRECHSTUNDE_SFU_TURN_PORT": "50000"}, []string{"sfu.turn_port"}},
		{"sfu tcp vs http", nil, map[string]string{"SPRECHSTUNDE_SFU_TCP_PORT": "8080"}, []string{"sfu.tcp_port"}},
		{"sfu read interval", nil, map[string]string{"SPRECHSTUNDE_SFU_UDP_READ_INTERVAL": "1s"}, []string{"sfu.udp_read_interval (SPRECHSTUNDE_SFU_UDP_READ_INTERVAL)"}},
		{"sfu read interval negative", nil, map[string]string{"SPRECHSTUNDE_SFU_UDP_READ_INTERVAL": "-1ms"}, []string{"sfu.udp_read_interval"}},
		{"sfu public ip", nil, map[string]string{"SPRECHSTUNDE_SFU_PUBLIC_IPS": "example.de"}, []string{"sfu.public_ips"}},
		{"sfu ice network", nil, map[string]string{"SPRECHSTUNDE_SFU_ICE_ALLOWED_PRIVATE_NETWORKS": "10.0.0.0/8,10.0.0.1"}, []string{"sfu.ice_allowed_private_networks"}},
		{
			"all problems reported at once",
			nil,
			map[string]string{"SPRECHSTUNDE_LOG_LEVEL": "loud", "SPRECHSTUNDE_TIMEZONE": "Mars/Olympus"},
			[]string{"log_level", "timezone"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, env(tt.env))
			if err == nil {
				t.Fatal("Load succeeded, want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadDisabledTurnMayShareICEPort(t *testing.T) {
	_, err := Load(nil, env(map[string]string{
		"SPRECHSTUNDE_SFU_TURN_ENABLED": "false",
		"SPRECHSTUNDE_SFU_TURN_PORT":    "50000",
	}))
	if err != nil {
		t.Fatal(err)
	}
}

func TestEnvNames(t *testing.T) {
	names, err := configEnvNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"SPRECHSTUNDE_HTTP_ADDR",
		"SPRECHSTUNDE_MAX_BOOKINGS_PER_EMAIL",
		"SPRECHSTUNDE_TRUSTED_PROXIES",
		"SPRECHSTUNDE_SFU_UDP_PORT",
		"SPRECHSTUNDE_SFU_TCP_PORT",
		"SPRECHSTUNDE_SFU_TURN_PORT",
		"SPRECHSTUNDE_SFU_TURN_SECRET",
		"SPRECHSTUNDE_SFU_PUBLIC_IPS",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("env names lack %s: %v", want, names)
		}
	}
	// Two yaml paths must never map to the same variable (sfu.udp_port vs a
	// top-level sfu_udp_port), nor shadow the config-file variable.
	seen := map[string]bool{ConfigFileEnv: true}
	for _, n := range names {
		if seen[n] {
			t.Errorf("duplicate env name %s", n)
		}
		seen[n] = true
	}
}

// TestWalker covers the reflection walker on a synthetic struct: deeper
// nesting, every supported type, and rejection of unsupported ones.
func TestWalker(t *testing.T) {
	type inner struct {
		Ratio float64 `yaml:"ratio"`
	}
	type mid struct {
		Deep inner  `yaml:"deep"`
		Name string `yaml:"name,omitempty"`
	}
	type root struct {
		Mid     mid           `yaml:"mid"`
		Count   int64         `yaml:"count"`
		Wait    time.Duration `yaml:"wait"`
		List    []string      `yaml:"list"`
		private int
	}
	var r root
	var fields []configField
	if err := walkStruct(reflect.ValueOf(&r).Elem(), nil, &fields); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fields {
		got = append(got, f.env())
	}
	want := []string{"SPRECHSTUNDE_MID_DEEP_RATIO", "SPRECHSTUNDE_MID_NAME", "SPRECHSTUNDE_COUNT", "SPRECHSTUNDE_WAIT", "SPRECHSTUNDE_LIST"}
	if !slices.Equal(got, want) {
		t.Fatalf("env names = %v, want %v", got, want)
	}
	vals := map[string]string{
		"SPRECHSTUNDE_MID_DEEP_RATIO": "0.25",
		"SPRECHSTUNDE_MID_NAME":       "Bürgerbüro",
		"SPRECHSTUNDE_COUNT":          "9000000000",
		"SPRECHSTUNDE_WAIT":           "90s",
		"SPRECHSTUNDE_LIST":           "a,b",
	}
	for _, f := range fields {
		if err := setFromEnv(f.value, vals[f.env()]); err != nil {
			t.Fatalf("%s: %v", f.env(), err)
		}
	}
	if r.Mid.Deep.Ratio != 0.25 || r.Mid.Name != "Bürgerbüro" || r.Count != 9e9 || r.Wait != 90*time.Second || !slices.Equal(r.List, []string{"a", "b"}) {
		t.Errorf("values not applied: %+v", r)
	}
	if err := setFromEnv(fields[0].value, "viel"); err == nil {
		t.Error("bad float accepted")
	}

	unsupported := []struct {
		name string
		v    any
	}{
		{"map", &struct {
			M map[string]string `yaml:"m"`
		}{}},
		{"int slice", &struct {
			S []int `yaml:"s"`
		}{}},
		{"missing tag", &struct{ X string }{}},
		{"pointer", &struct {
			P *string `yaml:"p"`
		}{}},
	}
	for _, tt := range unsupported {
		t.Run(tt.name, func(t *testing.T) {
			var fs []configField
			if err := walkStruct(reflect.ValueOf(tt.v).Elem(), nil, &fs); err == nil {
				t.Error("walker accepted unsupported field")
			}
		})
	}
}

func TestConfigHelpers(t *testing.T) {
	tests := []struct {
		db, url         string
		postgres, https bool
	}{
		{"./data/x.db", "http://localhost:8080", false, false},
		{"postgres://u@h/db", "https://termine.example.de", true, true},
		{"postgresql://u@h/db", "HTTPS://TERMINE.EXAMPLE.DE", true, true},
		{"/var/lib/postgres.db", "http://postgres", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.db, func(t *testing.T) {
			c := Config{Database: tt.db, PublicURL: tt.url}
			if c.IsPostgres() != tt.postgres || c.SecureCookies() != tt.https {
				t.Errorf("IsPostgres=%v SecureCookies=%v, want %v %v", c.IsPostgres(), c.SecureCookies(), tt.postgres, tt.https)
			}
		})
	}
	if loc := (Config{Timezone: "Europe/Berlin"}).Location(); loc.String() != "Europe/Berlin" {
		t.Errorf("Location without Load = %s", loc)
	}
	c := Config{TrustedProxies: []string{"10.0.0.0/8", "2001:db8::/32"}}
	if nets := c.TrustedProxyNets(); len(nets) != 2 || nets[0].String() != "10.0.0.0/8" {
		t.Errorf("TrustedProxyNets = %v", nets)
	}
}

// TestExampleConfigMatchesDefaults keeps the documented example in sync: it
// must load, and since it documents the defaults it must equal them.
func TestExampleConfigMatchesDefaults(t *testing.T) {
	cfg, err := Load([]string{"-config", exampleConfigPath}, env(nil))
	if err != nil {
		t.Fatalf("example config does not load: %v", err)
	}
	if got, want := comparable(cfg), DefaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("example values differ from defaults:\n got  %+v\n want %+v", got, want)
	}
}

// TestExampleConfigDocumentsEveryKey requires each key to be written out
// (not only commented) and its env variable to be named in a comment.
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(exampleConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	collectYAMLKeys(&doc, "", keys)

	var cfg Config
	fields, err := configFields(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if !keys[f.key()] {
			t.Errorf("example config lacks key %s", f.key())
		}
		if !strings.Contains(string(data), f.env()) {
			t.Errorf("example config does not mention %s", f.env())
		}
	}
}

// collectYAMLKeys records the dotted path of every mapping key.
func collectYAMLKeys(n *yaml.Node, prefix string, out map[string]bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			collectYAMLKeys(c, prefix, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if prefix != "" {
				key = prefix + "." + key
			}
			out[key] = true
			collectYAMLKeys(n.Content[i+1], key, out)
		}
	}
}
