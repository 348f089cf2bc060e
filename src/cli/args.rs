use crate::options::{Channel, TranslateOptions};
use crate::passes::quirks::Quirks;
use crate::report::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes:\n  0  success\n  1  a notification at or above --fail-on (default: error)\n  2  input or usage error (unreadable file, invalid YAML/JSON, bad flag)";

/// Migrate Ingress-NGINX configuration to Gateway API.
#[derive(Debug, Parser)]
#[command(name = "ing2gw", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run; boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Translate Ingresses to Gateway API and print the result.
    #[command(after_help = concat!(
        "Examples:\n  ing2gw print -f ingresses/ > gateway.yaml\n  ing2gw print -f app.yaml,svc.yaml -o json --report report.json\n  kubectl get ingress -A -o yaml | ing2gw print -f -\n  ing2gw print -f k8s/ --output-dir gateway/ --fail-on warning\n\n",
        "Exit codes:\n  0  success\n  1  a notification at or above --fail-on (default: error)\n  2  input or usage error (unreadable file, invalid YAML/JSON, bad flag)"
    ))]
    Print(PrintArgs),
    /// Compare, request by request, Ingress-NGINX with the Gateway API translation.
    ///
    /// Generates probe requests from the Ingresses (every path, trailing-slash and case
    /// variants, prefix extensions, normalisation variants, regex samples, every host and
    /// an unknown one, http and https), runs them through a model of Ingress-NGINX and a
    /// model of Gateway API HTTPRoute matching, and prints per host every request whose
    /// outcome differs, with the notification that already explains it (if any).
    #[command(after_help = concat!(
        "Examples:\n  ing2gw verify -f ingresses/\n  ing2gw print -f app.yaml > gw.yaml   # then edit gw.yaml\n  ing2gw verify -f app.yaml --gateway-api gw.yaml\n  ing2gw verify -f k8s/ -o json --report verify.json --budget 20000\n\n",
        "A divergence is explained when a warning or error notification of the translation names\n",
        "the Ingress that decided the request in Ingress-NGINX and concerns that request's host or\n",
        "an annotation that changes request handling (see docs/verify.md). With --gateway-api the\n",
        "notifications describe ing2gw's translation, not those manifests: they are shown as hints\n",
        "and every divergence counts.\n\n",
        "Exit codes:\n  0  every divergence is explained by a notification (or there is none)\n  1  an unexplained divergence exists\n  2  input or usage error (unreadable file, invalid YAML/JSON, bad flag)"
    ))]
    Verify(VerifyArgs),
    /// Generate shell completion scripts.
    #[command(after_help = "Example:\n  ing2gw completions bash > /etc/bash_completion.d/ing2gw")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where the Ingresses come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and
    /// comma-separated; `-` reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "PATH", action = clap::ArgAction::Append)]
    pub filename: Vec<String>,
}

/// How the translation behaves.
#[derive(Debug, Clone, Args)]
pub struct TranslateArgs {
    /// The ingress class ingress-nginx serves (its --ingress-class).
    #[arg(long, default_value = "nginx", value_name = "CLASS")]
    pub ingress_class: String,
    /// IngressClass spec.controller value of ingress-nginx (its --controller-class).
    #[arg(
        long,
        default_value = "k8s.io/ingress-nginx",
        value_name = "CONTROLLER"
    )]
    pub controller_class: String,
    /// Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class).
    #[arg(long)]
    pub watch_ingress_without_class: bool,
    /// Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name).
    #[arg(long)]
    pub ingress_class_by_name: bool,
    /// Name of the generated Gateway (default: the ingress class name).
    #[arg(long, value_name = "NAME")]
    pub gateway_name: Option<String>,
    /// Namespace of the generated Gateway.
    #[arg(long, default_value = "gateway-system", value_name = "NAMESPACE")]
    pub gateway_namespace: String,
    /// gatewayClassName of the generated Gateway (default: the ingress class name).
    #[arg(long, value_name = "NAME")]
    pub gateway_class: Option<String>,
    /// One Gateway in each Ingress namespace (ingress2gateway's layout) instead of one shared Gateway.
    #[arg(long)]
    pub gateway_per_namespace: bool,
    /// The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults).
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_ns_name)]
    pub nginx_configmap: Option<(String, String)>,
    /// Annotation prefix of the controller (its --annotations-prefix).
    #[arg(
        long,
        default_value = "nginx.ingress.kubernetes.io",
        value_name = "PREFIX"
    )]
    pub annotations_prefix: String,
    /// Gateway API channel the output may use.
    #[arg(long, value_enum, default_value_t = Channel::Standard)]
    pub channel: Channel,
    /// Emit routes whose access control cannot be expressed in their open (unprotected) form.
    #[arg(long)]
    pub allow_insecure_translation: bool,
    /// ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of
    /// regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect,
    /// ssl-redirect-strip-slash.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub quirks: Quirks,
    /// ingress-nginx controller version whose behaviour is modelled.
    #[arg(long, default_value = "v1.15.1", value_name = "VERSION")]
    pub controller_version: String,
}

impl TranslateArgs {
    pub fn options(&self) -> TranslateOptions {
        let prefix = self.annotations_prefix.trim_end_matches('/');
        TranslateOptions {
            ingress_class: self.ingress_class.clone(),
            controller_class: self.controller_class.clone(),
            watch_without_class: self.watch_ingress_without_class,
            ingress_class_by_name: self.ingress_class_by_name,
            gateway_name: self.gateway_name.clone(),
            gateway_namespace: self.gateway_namespace.clone(),
            gateway_class: self.gateway_class.clone(),
            gateway_per_namespace: self.gateway_per_namespace,
            nginx_configmap: self.nginx_configmap.clone(),
            annotation_prefix: format!("{prefix}/"),
            channel: self.channel,
            allow_insecure_translation: self.allow_insecure_translation,
            quirks: self.quirks.clone(),
            controller_version: self.controller_version.clone(),
        }
    }
}

fn parse_ns_name(s: &str) -> Result<(String, String), String> {
    match s.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.into(), name.into()))
        }
        _ => Err(format!("expected NAMESPACE/NAME, got `{s}`")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Yaml,
    Json,
}

/// Which notifications make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Never => None,
        }
    }
}

/// Reporting flags shared by commands.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Also write all notifications as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Exit 1 when a notification at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Print only warnings and errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct PrintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub translate: TranslateArgs,
    #[command(flatten)]
    pub reporting: ReportArgs,
    /// Output format on stdout.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Yaml)]
    pub output: OutputFormat,
    /// Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
}

/// Output format of `verify` on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub translate: TranslateArgs,
    /// Gateway API manifests to verify instead of ing2gw's own translation (file or
    /// folder; repeatable and comma-separated), e.g. your edited `ing2gw print` output.
    #[arg(long, value_name = "FILE_OR_DIR", action = clap::ArgAction::Append)]
    pub gateway_api: Vec<String>,
    /// Maximum number of probe requests.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub budget: usize,
    /// Also write the full result (every probe that is not identical) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Output format on stdout.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = VerifyFormat::Table)]
    pub output: VerifyFormat,
}
