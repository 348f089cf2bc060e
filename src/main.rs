/// mimalloc instead of the C library's allocator: the run is allocation-bound
/// (docs/performance.md, "allocator"), and musl's allocator in the static build is
/// slower still.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ing2gw::cli::main()
}
