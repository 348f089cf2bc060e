//! `kubectl-ing2gw`: ing2gw as a kubectl plugin (`kubectl ing2gw scan -A`).
//!
//! kubectl finds `kubectl-ing2gw` on PATH and runs it with the arguments that
//! follow `kubectl ing2gw`; the commands and flags are ing2gw's (the cluster
//! flags `--kubeconfig`, `--context`, `-n`, `-A`, `-l` follow kubectl's), only
//! the help and usage lines say `kubectl ing2gw`. See docs/kubectl-plugin.md.

/// mimalloc instead of the C library's allocator: the run is allocation-bound
/// (docs/performance.md, "allocator"), and musl's allocator in the static build is
/// slower still.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ing2gw::cli::main_as(ing2gw::cli::Flavor::KubectlPlugin)
}
