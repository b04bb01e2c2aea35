package server

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/sfu"
)

// metrics are the Prometheus figures of one App, served on their own
// listener (metrics_addr) so that they never share the public port.
// Labels carry route patterns, job names and states, never a path, a token
// or anything about a person.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	jobRuns     *prometheus.CounterVec
	jobSuccess  *prometheus.GaugeVec
	mailsSent   prometheus.Counter
	remindersQd prometheus.Counter
}

func newMetrics(media func() sfu.Stats) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sprechstunde_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sprechstunde_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sprechstunde_job_runs_total",
			Help: "Background job runs in this process, by job and result (ok or error).",
		}, []string{"job", "result"}),
		jobSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sprechstunde_job_last_success_timestamp_seconds",
			Help: "Unix time of the last successful run of each background job in this process.",
		}, []string{"job"}),
		mailsSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sprechstunde_mails_delivered_total",
			Help: "Mails handed to the SMTP server by this process.",
		}),
		remindersQd: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sprechstunde_reminders_queued_total",
			Help: "Reminder mails queued by this process.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.jobRuns, m.jobSuccess, m.mailsSent, m.remindersQd,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if media != nil {
		m.reg.MustRegister(newMediaCollector(media))
	}
	return m
}

// observe counts every request by its route pattern once the response is
// written (accessLog, inside it, has turned errors into responses).
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := httpapi.RouteLabel(c)
		method := httpapi.MethodLabel(c.Request().Method)
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// jobDone records a background job's run.
func (m *metrics) jobDone(job string, err error) {
	if err != nil {
		m.jobRuns.WithLabelValues(job, "error").Inc()
		return
	}
	m.jobRuns.WithLabelValues(job, "ok").Inc()
	m.jobSuccess.WithLabelValues(job).SetToCurrentTime()
}

// handler serves the figures at GET /metrics; with a token set, only to
// requests that present it as a bearer token.
func (m *metrics) handler(token string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.guard(token, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})))
	return mux
}

func (m *metrics) guard(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token (metrics_token)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// mediaCollector reads the SFU's snapshot at scrape time.
type mediaCollector struct {
	stats                                                  func() sfu.Stats
	rooms, calls, participants, tracks, forwarded, dropped *prometheus.Desc
}

func newMediaCollector(stats func() sfu.Stats) *mediaCollector {
	return &mediaCollector{
		stats: stats,
		rooms: prometheus.NewDesc("sprechstunde_sfu_rooms", "Open rooms of the media server.", nil, nil),
		calls: prometheus.NewDesc("sprechstunde_sfu_calls",
			"Rooms with a call running (two or more admitted participants present).", nil, nil),
		participants: prometheus.NewDesc("sprechstunde_sfu_participants",
			"Connected participants, by state (waiting or admitted).", []string{"state"}, nil),
		tracks: prometheus.NewDesc("sprechstunde_sfu_tracks", "Published tracks being forwarded.", nil, nil),
		forwarded: prometheus.NewDesc("sprechstunde_sfu_forwarded_packets_total",
			"RTP packets taken from publishers and forwarded, once each whatever the number of subscribers.", nil, nil),
		dropped: prometheus.NewDesc("sprechstunde_sfu_send_dropped_total",
			"Datagrams dropped because the ICE send queue was full (CPU or socket buffer exhausted).", nil, nil),
	}
}

func (c *mediaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.rooms, c.calls, c.participants, c.tracks, c.forwarded, c.dropped} {
		ch <- d
	}
}

func (c *mediaCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.stats()
	gauge := func(d *prometheus.Desc, v int, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), labels...)
	}
	gauge(c.rooms, st.Rooms)
	gauge(c.calls, st.Calls)
	gauge(c.participants, st.Waiting, "waiting")
	gauge(c.participants, st.Admitted, "admitted")
	gauge(c.tracks, st.Tracks)
	ch <- prometheus.MustNewConstMetric(c.forwarded, prometheus.CounterValue, float64(st.ForwardedPackets))
	ch <- prometheus.MustNewConstMetric(c.dropped, prometheus.CounterValue, float64(st.SendDropped))
}
