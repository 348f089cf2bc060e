use super::{AnnotationsArgs, CatalogFormat, EXIT_OK};
use crate::catalog::render;
use std::io::IsTerminal;

/// `ing2gw annotations`: the catalog (or, with `--implementation`, that target's
/// coverage) in the chosen format on stdout.
pub fn run(args: &AnnotationsArgs) -> u8 {
    if let Some(target) = &args.implementation {
        use crate::catalog::coverage;
        let text = match args.output {
            CatalogFormat::Table => {
                coverage::table(target, (!std::io::stdout().is_terminal()).then_some(120))
            }
            CatalogFormat::Json => coverage::json(target),
            CatalogFormat::Markdown => coverage::markdown_for(target),
        };
        return super::stdio::print_or_code(&text).unwrap_or(EXIT_OK);
    }
    let text = match args.output {
        // A fixed width when piped keeps the output stable for scripts and diffs.
        CatalogFormat::Table => render::table((!std::io::stdout().is_terminal()).then_some(120)),
        CatalogFormat::Json => render::json(),
        CatalogFormat::Markdown => render::markdown(),
    };
    super::stdio::print_or_code(&text).unwrap_or(EXIT_OK)
}
