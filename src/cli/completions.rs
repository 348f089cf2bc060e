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
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    text.push_str(match shell {
        clap_complete::Shell::Bash => BASH_KUBE,
        clap_complete::Shell::Fish => FISH_KUBE,
        _ => "",
    });
    text
}

/// `ing2gw __kube-names contexts|namespaces`.
pub fn kube_names(kind: super::KubeNameKind) -> u8 {
    let names = crate::cluster::kubeconfig_names(kind == super::KubeNameKind::Namespaces);
    let mut text = names.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    super::stdio::print_or_code(&text).unwrap_or(EXIT_OK)
}

/// --context and --namespace complete from the kubeconfig (contexts, and the
/// namespaces the contexts set), not from file names: a wrapper around the
/// generated function asks `ing2gw __kube-names`.
const BASH_KUBE: &str = r#"
# --context and --namespace: names from the kubeconfig (ing2gw __kube-names).
_ing2gw_kube() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    case "${prev}" in
        --context)
            COMPREPLY=($(compgen -W "$(ing2gw __kube-names contexts 2>/dev/null)" -- "${cur}"))
            return 0 ;;
        -n|--namespace)
            COMPREPLY=($(compgen -W "$(ing2gw __kube-names namespaces 2>/dev/null)" -- "${cur}"))
            return 0 ;;
    esac
    _ing2gw "$@"
}
complete -F _ing2gw_kube -o bashdefault -o default ing2gw
"#;

const FISH_KUBE: &str = r#"
# --context and --namespace: names from the kubeconfig (ing2gw __kube-names).
complete -c ing2gw -l context -x -a '(ing2gw __kube-names contexts 2>/dev/null)'
complete -c ing2gw -s n -l namespace -x -a '(ing2gw __kube-names namespaces 2>/dev/null)'
"#;
