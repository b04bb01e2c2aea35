package server

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The deployment files are checked against Config so a renamed key or a
// changed default port can't leave docker-compose.yml or the Dockerfile
// silently broken.

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Build       any               `yaml:"build"`
	Image       string            `yaml:"image"`
	Environment map[string]string `yaml:"environment"` // map form only
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

// resolve expands ${NAME}, ${NAME:-default} and ${NAME-default} as compose
// would with none of the variables set.
func resolve(s string) string {
	interpolation := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}`)
	s = interpolation.ReplaceAllString(s, "$2")
	return strings.ReplaceAll(s, "$$", "$")
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	data, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(data, &cf); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for name, s := range cf.Services {
		for k, v := range s.Environment {
			s.Environment[k] = resolve(v)
		}
		for i, p := range s.Ports {
			s.Ports[i] = resolve(p)
		}
		cf.Services[name] = s
	}
	return cf
}

func TestComposeFile(t *testing.T) {
	cf := loadCompose(t)
	app, ok := cf.Services["sprechstunde"]
	if !ok {
		t.Fatal("service sprechstunde missing")
	}
	pg, ok := cf.Services["postgres"]
	if !ok {
		t.Fatal("service postgres missing")
	}
	if app.Build == nil {
		t.Error("sprechstunde must be built from the repository (build: .)")
	}
	if !strings.HasPrefix(pg.Image, "postgres:") {
		t.Errorf("postgres image = %q", pg.Image)
	}

	envNames, err := configEnvNames()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("env names are config keys", func(t *testing.T) {
		for svc, s := range cf.Services {
			for k := range s.Environment {
				if strings.HasPrefix(k, envPrefix) && k != ConfigFileEnv && !slices.Contains(envNames, k) {
					t.Errorf("service %s: %s is not a config key", svc, k)
				}
			}
		}
	})

	cfg, err := Load(nil, env(app.Environment))
	if err != nil {
		t.Fatalf("sprechstunde environment does not load: %v", err)
	}

	t.Run("database points at postgres service", func(t *testing.T) {
		if !cfg.IsPostgres() {
			t.Fatalf("database %q is not a postgres URL", cfg.Database)
		}
		u, err := url.Parse(cfg.Database)
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		checks := []struct{ what, got, want string }{
			{"host", u.Hostname(), "postgres"},
			{"port", u.Port(), "5432"},
			{"user", u.User.Username(), pg.Environment["POSTGRES_USER"]},
			{"password", pw, pg.Environment["POSTGRES_PASSWORD"]},
			{"database", strings.TrimPrefix(u.Path, "/"), pg.Environment["POSTGRES_DB"]},
		}
		for _, c := range checks {
			if c.got != c.want || c.want == "" {
				t.Errorf("database URL %s = %q, postgres service has %q", c.what, c.got, c.want)
			}
		}
	})

	t.Run("published ports match config", func(t *testing.T) {
		host, httpPort, err := net.SplitHostPort(cfg.HTTPAddr)
		if err != nil {
			t.Fatal(err)
		}
		if host != "0.0.0.0" && host != "" && host != "::" {
			t.Errorf("http_addr %q must listen on all interfaces inside the container", cfg.HTTPAddr)
		}
		published := map[string]string{} // "port/proto" inside -> host port
		for _, p := range app.Ports {
			hostPort, container, err := parsePort(p)
			if err != nil {
				t.Fatal(err)
			}
			published[container] = hostPort
		}
		want := map[string]bool{httpPort + "/tcp": false} // value: must be published 1:1
		for _, p := range []string{strconv.Itoa(cfg.SFU.UDPPort) + "/udp", strconv.Itoa(cfg.SFU.TCPPort) + "/tcp"} {
			want[p] = true
		}
		if cfg.SFU.TurnEnabled {
			want[strconv.Itoa(cfg.SFU.TurnPort)+"/udp"] = true
			want[strconv.Itoa(cfg.SFU.TurnPort)+"/tcp"] = true
		}
		for container, oneToOne := range want {
			hostPort, ok := published[container]
			switch {
			case !ok:
				t.Errorf("container port %s is not published", container)
			case oneToOne && hostPort != strings.Split(container, "/")[0]:
				// ICE candidates carry the port the SFU listens on.
				t.Errorf("media port %s published on host port %s; must be identical", container, hostPort)
			}
		}
		for container := range published {
			if _, ok := want[container]; !ok {
				t.Errorf("published port %s matches no configured listener", container)
			}
		}
	})

	t.Run("volumes declared", func(t *testing.T) {
		if !slices.ContainsFunc(pg.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/var/lib/postgresql/data") }) {
			t.Error("postgres data directory is not on a volume")
		}
		for svc, s := range cf.Services {
			for _, v := range s.Volumes {
				src, _, _ := strings.Cut(v, ":")
				named := !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "~")
				if _, ok := cf.Volumes[src]; named && !ok {
					t.Errorf("service %s uses volume %q not declared under top-level volumes", svc, src)
				}
			}
		}
	})

	t.Run("healthchecks and startup order", func(t *testing.T) {
		if app.Healthcheck == nil || !slices.Equal(app.Healthcheck.Test, []string{"CMD", "/sprechstunde", "healthcheck"}) {
			t.Errorf("sprechstunde healthcheck = %+v, want [CMD /sprechstunde healthcheck]", app.Healthcheck)
		}
		if pg.Healthcheck == nil || !strings.Contains(strings.Join(pg.Healthcheck.Test, " "), "pg_isready") {
			t.Errorf("postgres healthcheck = %+v, want pg_isready", pg.Healthcheck)
		}
		if d, ok := app.DependsOn["postgres"]; !ok || d.Condition != "service_healthy" {
			t.Errorf("sprechstunde must depend on postgres with condition service_healthy, got %+v", app.DependsOn)
		}
	})
}

// parsePort splits compose short syntax [ip:]host:container[/proto] and
// returns the host port and "container/proto".
func parsePort(spec string) (hostPort, container string, err error) {
	ports, proto, ok := strings.Cut(spec, "/")
	if !ok {
		proto = "tcp"
	}
	parts := strings.Split(ports, ":")
	if len(parts) < 2 {
		return "", "", fmt.Errorf("port %q: want [ip:]host:container[/proto]", spec)
	}
	return parts[len(parts)-2], parts[len(parts)-1] + "/" + proto, nil
}

// TestDockerfile checks the image defaults load, the binary path matches
// the compose healthcheck, and the default listener ports are exposed.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	envs := map[string]string{}
	var exposed []string
	for line := range strings.Lines(text) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "ENV":
			for _, kv := range fields[1:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("ENV %q: use KEY=VALUE", kv)
				}
				envs[k] = v
			}
		case "EXPOSE":
			exposed = append(exposed, fields[1:]...)
		}
	}
	if !strings.Contains(text, `ENTRYPOINT ["/sprechstunde"]`) {
		t.Error(`Dockerfile must use ENTRYPOINT ["/sprechstunde"] (compose healthcheck runs /sprechstunde)`)
	}
	if !strings.Contains(text, "USER nonroot") {
		t.Error("image must run as non-root")
	}
	cfg, err := Load(nil, env(envs))
	if err != nil {
		t.Fatalf("Dockerfile ENV does not load: %v", err)
	}
	_, httpPort, _ := net.SplitHostPort(cfg.HTTPAddr)
	s := cfg.SFU
	for _, p := range []string{
		httpPort + "/tcp",
		strconv.Itoa(s.UDPPort) + "/udp", strconv.Itoa(s.TCPPort) + "/tcp",
		strconv.Itoa(s.TurnPort) + "/udp", strconv.Itoa(s.TurnPort) + "/tcp",
	} {
		if !slices.Contains(exposed, p) {
			t.Errorf("Dockerfile does not EXPOSE %s (exposes %v)", p, exposed)
		}
	}
}

func TestResolveInterpolation(t *testing.T) {
	tests := map[string]string{
		"${A:-x}:${B-y}/udp": "x:y/udp",
		"${UNSET}":           "",
		"pa$$word":           "pa$word",
		"plain":              "plain",
	}
	for in, want := range tests {
		if got := resolve(in); got != want {
			t.Errorf("resolve(%q) = %q, want %q", in, got, want)
		}
	}
}
