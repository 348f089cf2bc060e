use super::EXIT_OK;

/// Prints the completion script for `shell` on stdout.
pub fn run(shell: clap_complete::Shell) -> u8 {
    super::stdio::print_or_code(&script(shell)).unwrap_or(EXIT_OK)
}

/// The completion script text (also used by the test that keeps `completions/` current).
pub fn script(shell: clap_complete::Shell) -> String {
    let mut cmd = super::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "ing2gw", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}
