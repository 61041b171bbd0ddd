package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// instrumentCmd loads a needs instrument from a JSON file (see docs/instruments/).
func instrumentCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "load" {
		return errors.New("usage: hearth instrument load FILE")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	sp, err := needs.ParseSpec(f)
	var ve *valid.Error
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Fprintf(stdout, "%s: %s: %s\n", args[1], p.Field, p.Message)
		}
		return fmt.Errorf("%s: %d problems; nothing loaded", args[1], len(ve.Problems))
	}
	if err != nil {
		return err
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, cfg, log, false); err != nil {
		return err
	}
	in, created, err := needs.Install(ctx, pool, sp)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(stdout, "instrument %s version %d is already loaded, unchanged\n", sp.Code, sp.Version)
		return nil
	}
	fmt.Fprintf(stdout, "loaded instrument %s version %d: %q, %d domains rated %d to %d, %d bands\n",
		in.Code, sp.Version, in.Name, len(in.Domains), in.Min, in.Max, len(in.Bands))
	return nil
}
