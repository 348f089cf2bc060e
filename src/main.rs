fn main() -> std::process::ExitCode {
    ing2gw::cli::main()
}
