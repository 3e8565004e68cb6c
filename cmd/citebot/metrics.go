package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"citebot/answer"
	"citebot/bot"
	"citebot/usage"
)

// metrics are citebot's Prometheus metrics. It hears the bot and the
// answer service through the observers they declare, and tracks the
// gateway for /readyz. No label holds a user id or a question.
type metrics struct {
	reg *prometheus.Registry

	questions   *prometheus.CounterVec   // surface, outcome
	answerTime  *prometheus.HistogramVec // surface
	ackTime     prometheus.Histogram
	retrieval   prometheus.Histogram
	modelTime   *prometheus.HistogramVec // purpose
	modelCalls  *prometheus.CounterVec   // purpose, result
	fallbacks   prometheus.Counter
	dropped     prometheus.Counter
	reloads     *prometheus.CounterVec // result
	reloadTime  prometheus.Histogram
	reloadParas *prometheus.CounterVec // change
	connected   prometheus.Gauge
	reconnects  prometheus.Counter

	up    atomic.Bool  // the gateway is connected
	conns atomic.Int64 // connections made
}

var (
	_ bot.Observer    = (*metrics)(nil)
	_ answer.Observer = (*metrics)(nil)
)

// Buckets, in seconds: retrieval takes milliseconds, a model seconds.
var (
	fastBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
	slowBuckets = []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60, 120}
)

// newMetrics registers citebot's metrics, the Go runtime's and the
// process's, each with labels (a shard's number, say). indexSize, if set,
// is read at each scrape.
func newMetrics(indexSize func() (documents, paragraphs int, err error), labels prometheus.Labels) *metrics {
	reg := prometheus.NewRegistry()
	f := factory{prometheus.WrapRegistererWith(labels, reg)}
	f.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &metrics{
		reg: reg,
		questions: f.counterVec("citebot_questions_total",
			"Questions asked, by where they were asked and what became of them.", "surface", "outcome"),
		answerTime: f.histogramVec("citebot_answer_duration_seconds",
			"Time from a question's arrival to its answer computed (answered and refused questions).", slowBuckets, "surface"),
		ackTime: f.histogram("citebot_interaction_ack_duration_seconds",
			"Time Discord took to accept an interaction's acknowledgement.", fastBuckets),
		retrieval:  f.histogram("citebot_retrieval_duration_seconds", "Time to search the index for a question.", fastBuckets),
		modelTime:  f.histogramVec("citebot_model_duration_seconds", "Time of one call to the model, retries included.", slowBuckets, "purpose"),
		modelCalls: f.counterVec("citebot_model_calls_total", "Calls to the model, by purpose and result (ok, error).", "purpose", "result"),
		fallbacks: f.counter("citebot_model_fallbacks_total",
			"Answers made extractively because the model failed, cited nothing or was not supported."),
		dropped:     f.counter("citebot_model_dropped_citations_total", "Citations the model made to passages it was not given, removed."),
		reloads:     f.counterVec("citebot_reloads_total", "Reloads of the corpus, by result (ok, error).", "result"),
		reloadTime:  f.histogram("citebot_reload_duration_seconds", "Time of a reload of the corpus.", slowBuckets),
		reloadParas: f.counterVec("citebot_reload_paragraphs_total", "Paragraphs added or removed by reloads.", "change"),
		connected:   f.gauge("citebot_gateway_connected", "1 while the Discord gateway is connected."),
		reconnects:  f.counter("citebot_gateway_reconnects_total", "Connections to the Discord gateway after the first."),
	}
	for _, s := range usage.Surfaces {
		for _, o := range usage.Outcomes {
			m.questions.WithLabelValues(string(s), string(o)) // exported at 0
		}
	}
	for _, p := range []string{answer.PurposeAnswer, answer.PurposeRewrite} {
		m.modelCalls.WithLabelValues(p, "ok")
		m.modelCalls.WithLabelValues(p, "error")
	}
	if indexSize != nil {
		size := func(pick func(d, p int) int) func() float64 {
			return func() float64 {
				d, p, err := indexSize()
				if err != nil {
					return -1
				}
				return float64(pick(d, p))
			}
		}
		f.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "citebot_index_documents", Help: "Articles in the index."},
				size(func(d, _ int) int { return d })),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "citebot_index_paragraphs", Help: "Paragraphs in the index."},
				size(func(_, p int) int { return p })))
	}
	return m
}

// factory registers metrics as it makes them.
type factory struct{ reg prometheus.Registerer }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.reg.MustRegister(g)
	return g
}

func (f factory) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	f.reg.MustRegister(h)
	return h
}

func (f factory) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}

func (m *metrics) Asked(a bot.Asked) {
	m.questions.WithLabelValues(string(a.Surface), string(a.Outcome)).Inc()
	if a.Latency > 0 {
		m.answerTime.WithLabelValues(string(a.Surface)).Observe(a.Latency.Seconds())
	}
}

func (m *metrics) Acked(d time.Duration) { m.ackTime.Observe(d.Seconds()) }

func (m *metrics) Gateway(connected bool) {
	m.up.Store(connected)
	if !connected {
		m.connected.Set(0)
		return
	}
	m.connected.Set(1)
	if m.conns.Add(1) > 1 {
		m.reconnects.Inc()
	}
}

func (m *metrics) Retrieved(d time.Duration) { m.retrieval.Observe(d.Seconds()) }

func (m *metrics) ModelCalled(c answer.ModelCall) {
	result := "ok"
	if c.Err != nil {
		result = "error"
	}
	m.modelCalls.WithLabelValues(c.Purpose, result).Inc()
	if c.Duration > 0 {
		m.modelTime.WithLabelValues(c.Purpose).Observe(c.Duration.Seconds())
	}
	if c.Fallback {
		m.fallbacks.Inc()
	}
	m.dropped.Add(float64(c.DroppedCitations))
}

// reloaded counts a reload of the corpus.
func (m *metrics) reloaded(rep bot.Report, err error) {
	if err != nil {
		m.reloads.WithLabelValues("error").Inc()
		return
	}
	m.reloads.WithLabelValues("ok").Inc()
	m.reloadTime.Observe(rep.Duration.Seconds())
	m.reloadParas.WithLabelValues("added").Add(float64(rep.ParagraphsAdded))
	m.reloadParas.WithLabelValues("removed").Add(float64(rep.ParagraphsRemoved))
}

// readyBudget bounds /readyz's check of the index.
const readyBudget = 2 * time.Second

// opsServer serves /metrics, /healthz and /readyz on addr until ctx
// ends. /readyz answers 503 unless the gateway is connected and the
// index answers.
func opsServer(ctx context.Context, addr string, m *metrics, index func(context.Context) error, log *slog.Logger) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyBudget)
		defer cancel()
		switch err := index(ctx); {
		case !m.up.Load():
			http.Error(w, "the Discord gateway is not connected", http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, "the index does not answer", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ready")
		}
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("CITEBOT_METRICS_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	log.Info("metrics and health", "addr", ln.Addr().String(), "paths", "/metrics /healthz /readyz")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-done
	}, nil
}
