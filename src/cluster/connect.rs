//! Choosing the cluster to talk to: an explicit `--kubeconfig`, `$KUBECONFIG` /
//! `~/.kube/config` (with an optional `--context`), or the in-cluster service
//! account, in the same order of preference as kube's `Config::infer`.

use std::path::Path;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Client, Config};

use super::ClusterOptions;
use super::error::{ClusterError, chain_message};

/// What the reader needs from the configuration step.
pub(crate) struct Connection {
    pub client: Client,
    /// Context name, or `in-cluster` for the service-account configuration.
    pub context: String,
    /// Server URL for error messages.
    pub server: String,
    /// The context's namespace, or the service account's namespace, or `default`.
    pub default_namespace: String,
    /// The exec credential plugin of the context's user, to name it when it fails.
    pub exec_command: Option<String>,
}

const IN_CLUSTER: &str = "in-cluster";

/// `ing2gw/<version>`, sent on every request.
pub(crate) const USER_AGENT: &str = concat!("ing2gw/", env!("CARGO_PKG_VERSION"));

pub(crate) async fn connect(opts: &ClusterOptions) -> Result<Connection, ClusterError> {
    let (mut config, context) = load_config(opts).await?;
    let exec_command = config
        .auth_info
        .exec
        .as_ref()
        .and_then(|e| e.command.clone());
    apply_timeouts(&mut config, opts.timeout);
    // The reader retries on its own terms (bounded, also on dropped connections);
    // kube's built-in layer would multiply the attempts.
    config.default_retry = false;
    // Audit logs attribute requests by User-Agent: say who is reading.
    config.headers.push((
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    ));
    let server = config.cluster_url.to_string();
    let default_namespace = config.default_namespace.clone();
    let client = Client::try_from(config).map_err(|e| match e {
        kube::Error::RustlsTls(tls) => ClusterError::Tls {
            server: server.clone(),
            message: chain_message(&tls),
        },
        kube::Error::Auth(auth) => ClusterError::Credentials {
            context: context.clone(),
            message: exec_plugin_message(exec_command.as_deref(), chain_message(&auth)),
        },
        other => ClusterError::KubeconfigInvalid {
            origin: format!("context \"{context}\""),
            message: chain_message(&other),
        },
    })?;
    Ok(Connection {
        client,
        context,
        server,
        default_namespace,
        exec_command,
    })
}

/// Names the exec credential plugin (kubeconfig `users[].user.exec.command`)
/// in a credentials failure: "No such file or directory" alone does not say
/// which program is missing.
pub(crate) fn exec_plugin_message(command: Option<&str>, message: String) -> String {
    match command {
        Some(cmd) => format!(
            "the exec credential plugin `{cmd}` of the kubeconfig user failed (is it installed and on PATH?): {message}"
        ),
        None => message,
    }
}

/// A zero timeout means "no timeout", as for kubectl's `--request-timeout=0`.
fn apply_timeouts(config: &mut Config, timeout: Duration) {
    if timeout.is_zero() {
        return;
    }
    config.connect_timeout = Some(timeout);
    config.read_timeout = Some(timeout);
    config.write_timeout = Some(timeout);
    // Count the read timeout from when the request is sent, not from when a
    // pooled connection went idle.
    config.reset_reader_on_write = true;
}

async fn load_config(opts: &ClusterOptions) -> Result<(Config, String), ClusterError> {
    if let Some(path) = &opts.kubeconfig {
        let kubeconfig = read_kubeconfig_file(path)?;
        return from_kubeconfig(
            kubeconfig,
            opts.context.as_deref(),
            &path.display().to_string(),
        )
        .await;
    }
    let origin = default_origin();
    if opts.context.is_some() {
        // An explicit context only makes sense with a kubeconfig: no in-cluster fallback.
        let kubeconfig =
            read_default_kubeconfig().map_err(|e| kubeconfig_read_error(&origin, e))?;
        return from_kubeconfig(kubeconfig, opts.context.as_deref(), &origin).await;
    }
    match read_default_kubeconfig() {
        Ok(kubeconfig) => from_kubeconfig(kubeconfig, None, &origin).await,
        Err(kubeconfig_error) => match Config::incluster() {
            Ok(mut config) => {
                config.apply_debug_overrides();
                Ok((config, IN_CLUSTER.to_string()))
            }
            Err(in_cluster_error) => Err(ClusterError::NoConfiguration {
                kubeconfig: match &kubeconfig_error {
                    KubeconfigError::ReadConfig(io, path)
                        if io.kind() == std::io::ErrorKind::NotFound =>
                    {
                        format!("{} does not exist", path.display())
                    }
                    other => chain_message(other),
                },
                in_cluster: chain_message(&in_cluster_error),
                hint: if kubeconfig_env().is_some() {
                    "check the files KUBECONFIG lists, or pass --kubeconfig".into()
                } else {
                    "pass --kubeconfig or set KUBECONFIG".into()
                },
            }),
        },
    }
}

fn kubeconfig_env() -> Option<std::ffi::OsString> {
    std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty())
}

/// `$KUBECONFIG` (a list of files, merged, the first file winning, as kubectl
/// does; files that do not exist are skipped like kubectl skips them), else
/// `~/.kube/config`.
fn read_default_kubeconfig() -> Result<Kubeconfig, KubeconfigError> {
    let Some(value) = kubeconfig_env() else {
        return Kubeconfig::read();
    };
    let listed: Vec<std::path::PathBuf> = std::env::split_paths(&value)
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    let existing: Vec<&std::path::PathBuf> = listed.iter().filter(|p| p.exists()).collect();
    let Some(first) = existing.first() else {
        let missing = listed.first().cloned().unwrap_or_default();
        return Err(KubeconfigError::ReadConfig(
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "none of the files listed in KUBECONFIG exists",
            ),
            missing,
        ));
    };
    let mut merged = Kubeconfig::read_from(first)?;
    for path in existing.iter().skip(1) {
        merged = merged.merge(Kubeconfig::read_from(path)?)?;
    }
    Ok(merged)
}

/// Context names, or the namespaces the contexts set (plus `default`), of
/// the default kubeconfig (`$KUBECONFIG`, `~/.kube/config`), for shell
/// completion; no request is made. Unreadable kubeconfig: nothing.
pub fn kubeconfig_names(namespaces: bool) -> Vec<String> {
    let Ok(kubeconfig) = read_default_kubeconfig() else {
        return Vec::new();
    };
    let mut names: std::collections::BTreeSet<String> = if namespaces {
        kubeconfig
            .contexts
            .iter()
            .filter_map(|c| c.context.as_ref()?.namespace.clone())
            .chain(std::iter::once("default".to_string()))
            .collect()
    } else {
        kubeconfig.contexts.iter().map(|c| c.name.clone()).collect()
    };
    names.retain(|n| !n.is_empty());
    names.into_iter().collect()
}

fn default_origin() -> String {
    match std::env::var_os("KUBECONFIG") {
        Some(value) if !value.is_empty() => format!("$KUBECONFIG ({})", value.to_string_lossy()),
        _ => "~/.kube/config".to_string(),
    }
}

fn read_kubeconfig_file(path: &Path) -> Result<Kubeconfig, ClusterError> {
    if !path.exists() {
        return Err(ClusterError::KubeconfigNotFound {
            path: path.to_path_buf(),
        });
    }
    Kubeconfig::read_from(path).map_err(|e| kubeconfig_read_error(&path.display().to_string(), e))
}

fn kubeconfig_read_error(origin: &str, error: KubeconfigError) -> ClusterError {
    if let KubeconfigError::ReadConfig(io, path) = &error
        && io.kind() == std::io::ErrorKind::NotFound
    {
        return ClusterError::KubeconfigNotFound { path: path.clone() };
    }
    ClusterError::KubeconfigInvalid {
        origin: origin.to_string(),
        message: chain_message(&error),
    }
}

/// Resolve the context up front so that a missing one is reported with the list of
/// those that exist, then let kube build the configuration.
async fn from_kubeconfig(
    kubeconfig: Kubeconfig,
    context: Option<&str>,
    origin: &str,
) -> Result<(Config, String), ClusterError> {
    let available: Vec<String> = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
    let chosen = match context
        .map(str::to_string)
        .or_else(|| kubeconfig.current_context.clone())
    {
        Some(name) if !name.is_empty() => name,
        _ => {
            return Err(ClusterError::NoCurrentContext {
                origin: origin.to_string(),
                available,
            });
        }
    };
    if !available.contains(&chosen) {
        return Err(ClusterError::ContextNotFound {
            context: chosen,
            origin: origin.to_string(),
            available,
        });
    }
    let options = KubeConfigOptions {
        context: Some(chosen.clone()),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| ClusterError::KubeconfigInvalid {
            origin: format!("{origin} (context \"{chosen}\")"),
            message: chain_message(&e),
        })?;
    config.apply_debug_overrides();
    Ok((config, chosen))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_CONTEXTS: &str = r#"
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: dev
  context: {cluster: c, user: u, namespace: team-a}
- name: prod
  context: {cluster: c, user: u}
users:
- name: u
  user: {token: abc}
"#;

    fn kubeconfig(text: &str) -> Kubeconfig {
        Kubeconfig::from_yaml(text).expect("test kubeconfig parses")
    }

    #[tokio::test]
    async fn explicit_context_wins_and_sets_namespace() {
        let (config, name) = from_kubeconfig(kubeconfig(TWO_CONTEXTS), Some("dev"), "test")
            .await
            .expect("context exists");
        assert_eq!(name, "dev");
        assert_eq!(config.default_namespace, "team-a");
        let (config, _) = from_kubeconfig(kubeconfig(TWO_CONTEXTS), Some("prod"), "test")
            .await
            .expect("context exists");
        assert_eq!(config.default_namespace, "default");
    }

    #[tokio::test]
    async fn missing_context_lists_available_ones() {
        let err = from_kubeconfig(kubeconfig(TWO_CONTEXTS), Some("stage"), "kc.yaml")
            .await
            .expect_err("no such context");
        assert!(
            matches!(&err, ClusterError::ContextNotFound { available, .. } if available == &["dev", "prod"]),
            "{err}"
        );
    }

    #[tokio::test]
    async fn no_current_context_is_reported() {
        let err = from_kubeconfig(kubeconfig(TWO_CONTEXTS), None, "kc.yaml")
            .await
            .expect_err("no current-context");
        assert!(
            matches!(err, ClusterError::NoCurrentContext { .. }),
            "{err}"
        );
    }

    #[test]
    fn zero_timeout_means_none() {
        let mut config = Config::new("https://127.0.0.1:1".parse().expect("valid uri"));
        let before = config.read_timeout;
        apply_timeouts(&mut config, Duration::ZERO);
        assert_eq!(config.read_timeout, before);
        apply_timeouts(&mut config, Duration::from_secs(7));
        assert_eq!(config.read_timeout, Some(Duration::from_secs(7)));
        assert_eq!(config.connect_timeout, Some(Duration::from_secs(7)));
    }
}
