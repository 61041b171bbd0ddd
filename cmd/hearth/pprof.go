package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"
)

// startPprof serves Go's profiles on HEARTH_PPROF_ADDR when it is set, for
// profiling a server under `hearth bench pages`. Only a loopback address is
// accepted: the profiles show the server's memory, which may hold children's
// records, so they must never be reachable from the network.
func startPprof(log *slog.Logger) {
	addr := os.Getenv("HEARTH_PPROF_ADDR")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		log.Error("HEARTH_PPROF_ADDR must be a loopback address such as 127.0.0.1:6060; profiles not served", "addr", addr)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		log.Info("serving profiles", "url", "http://"+addr+"/debug/pprof/")
		if err := srv.ListenAndServe(); err != nil && !strings.Contains(err.Error(), "closed") {
			log.Error("profiles", "err", err)
		}
	}()
}
