// Package figures holds the model-based test of Hearth's figures: random
// histories of children in care are applied through the services that
// Hearth's pages and imports use, and every figure is compared with a second,
// deliberately simple computation written from the definitions in docs/
// (design.md §5 and §9, decisions.md, delay-model.md), not from the
// production code. The package has no non-test code.
package figures
