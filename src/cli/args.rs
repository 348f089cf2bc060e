use crate::emit::regex_dialect::RegexDialect;
use crate::input::{
    ByteSize, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_INPUT_SIZE, ReadLimits, ReadOptions,
};
use crate::options::{Channel, TranslateOptions};
use crate::passes::quirks::Quirks;
use crate::report::Severity;
use crate::target::Target;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes (every command; see each command's --help):
  0    success: print/scan wrote their output (no notification at or above --fail-on),
       diff found no difference, verify found no unexplained divergence
  1    print: a notification at or above --fail-on that is not accepted (default: error;
       objects that do not decode are errors); diff: differences found;
       verify: an unexplained divergence
       validate: a manifest that breaks a rule of the CRDs
  2    input, cluster, usage or output error (unreadable file, not YAML/JSON, API server
       error, bad flag or flag combination, output not writable)
  141  stdout closed early (ing2gw print | head): the output stops quietly
An input without any Ingress is not an error: a `no-ingress` warning says so (exit 0
unless --fail-on warning).";

/// `ing2gw --version`: the crate version and the git commit it was built from
/// (recorded by build.rs; "unknown" when built without git).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ING2GW_GIT_COMMIT"),
    ")"
);

/// Migrate Ingress-NGINX configuration to Gateway API.
#[derive(Debug, Parser)]
#[command(name = "ing2gw", version = VERSION, about, long_about = None, after_help = EXIT_CODES)]
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
        "Examples:\n  ing2gw print -f ingresses/ > gateway.yaml\n  ing2gw print -f app.yaml,svc.yaml -o json --report report.json\n  kubectl get ingress -A -o yaml | ing2gw print -f -\n  ing2gw print -f k8s/ --output-dir gateway/ --fail-on warning\n  ing2gw print -f k8s/ --fail-on warning --accept catch-all-healthz --accept ssl-redirect-trailing-slash:shop/web\n  ing2gw print -A -l app=web     (read the cluster of the current kubeconfig context)\n  ing2gw print -f k8s/ --quirks trailing-slash-redirect   # keep only the 301 quirk\n  ing2gw print -f repo/ --follow-symlinks --max-file-size 256Mi\n\n",
        "Exit codes:\n  0  success (no-ingress: an input without Ingress is a warning, not an error)\n  1  a notification at or above --fail-on that is not accepted (default: error; objects that do not decode are errors)\n  2  input, usage or output error (unreadable file, not YAML/JSON, bad flag, -o with --output-dir, invalid accept file, output not writable)\n  141  stdout closed early (ing2gw print | head): the output stops quietly"
    ))]
    Print(PrintArgs),
    /// Migration readiness report: annotations, risks, shared hosts, blockers.
    #[command(after_help = concat!(
        "Examples:\n  ing2gw scan -A\n  ing2gw scan -n shop -n payments -o markdown > readiness.md\n  ing2gw scan -f k8s/ -o json | jq '.summary'\n  ing2gw scan -A -o html > readiness.html\n  ing2gw scan -f k8s/ -o json > baseline.json   # once, committed\n  ing2gw scan -f k8s/ --fail-on blocked --baseline baseline.json\n\n",
        "Exit codes:\n  0  report written (and nothing at or above --fail-on)\n  1  --fail-on: an Ingress at or above the level (with --baseline: a problem the baseline does not list)\n  2  input, cluster or usage error"
    ))]
    Scan(ScanArgs),
    /// Compare the generated Gateway API objects with files or the live cluster.
    #[command(after_help = concat!(
        "Examples:\n  ing2gw diff -f ingresses/ --against gateway/\n  ing2gw diff -A --against cluster\n  ing2gw diff -f k8s/ -A --against cluster      (files against every namespace of the cluster)\n  ing2gw diff -f k8s/ --against gateway.yaml --color never\n  ing2gw diff -A --against cluster --ignore-annotation team.example.com/ --ignore-field spec.infrastructure\n\n",
        "Never compared: status, metadata other than name/namespace/labels/annotations, the labels and\n",
        "annotations of Argo CD, Flux, Helm and kubectl (docs/commands/diff.md lists them) and, against\n",
        "the cluster, labels and annotations ing2gw does not write.\n\n",
        "Exit codes:\n  0  no differences\n  1  differences found, objects that could not be read (unknown), or an --against\n     file that breaks a rule of the CRDs (named at its field before the diff; see ing2gw validate)\n  2  input, cluster or usage error"
    ))]
    // -A with -f: the files are the input, every namespace of the cluster the
    // compared side (stale ing2gw objects anywhere are found).
    #[command(mut_arg("all_namespaces", |a| a.conflicts_with(clap::builder::Resettable::<clap::Id>::Reset)))]
    Diff(DiffArgs),
    /// List every ingress-nginx annotation and how ing2gw handles it.
    #[command(after_help = concat!(
        "Support levels: translated, approximated (a notification explains the difference),\n",
        "implementation-specific (needs an implementation resource, named in the note), unsupported.\n\n",
        "With --implementation: per annotation, translated / approximated / not-expressible on that\n",
        "target, with the emitted kind and field.\n\n",
        "Examples:\n  ing2gw annotations\n  ing2gw annotations -o json | jq '.[] | select(.support == \"unsupported\") | .name'\n  ing2gw annotations -o markdown > annotations.md\n  ing2gw annotations --implementation envoy-gateway\n  ing2gw annotations --implementation istio -o json | jq '.rows[] | select(.level == \"not-expressible\") | .key'"
    ))]
    Annotations(AnnotationsArgs),
    /// Compare, request by request, Ingress-NGINX with the Gateway API translation.
    ///
    /// Generates probe requests from the Ingresses (every path, trailing-slash and case
    /// variants, prefix extensions, normalisation variants, regex samples, every host and
    /// an unknown one, http and https), runs them through a model of Ingress-NGINX and a
    /// model of Gateway API HTTPRoute matching, and prints per host every request whose
    /// outcome differs, with the notification that already explains it (if any).
    #[command(after_help = concat!(
        "Examples:\n  ing2gw verify -f ingresses/\n  ing2gw verify -A                     (read the cluster of the current kubeconfig context)\n  ing2gw print -f app.yaml > gw.yaml   # then edit gw.yaml\n  ing2gw verify -f app.yaml --gateway-api gw.yaml\n  ing2gw verify -f k8s/ -o json --report verify.json --budget 20000\n  ing2gw verify -f k8s/ --exclude shop/legacy   (as if shop/legacy were left out)\n",
        "  ing2gw verify -f k8s/ --live --nginx-address 203.0.113.7 --gateway-address 203.0.113.8\n",
        "  ing2gw verify -f k8s/ --emit-probes smoke.sh   (then: sh smoke.sh GATEWAY_IP)\n\n",
        "A divergence is explained when a warning or error notification of the translation names\n",
        "the Ingress that decided the request in Ingress-NGINX and concerns that request's host or\n",
        "an annotation that changes request handling (see docs/verify.md). With --gateway-api the\n",
        "notifications describe ing2gw's translation, not those manifests: they are shown as hints\n",
        "and every divergence counts.\n\n",
        "Exit codes:\n  0  every probe of every host was compared or explained: every divergence is explained\n     by a notification (or there is none)\n",
        "  1  an unexplained divergence exists; or ingress-nginx would reject the whole configuration\n",
        "     (fix or --exclude the Ingress named first in the report); or nothing, or nothing for\n",
        "     some host, could be compared (--allow-uncompared accepts that); or an Ingress was\n",
        "     skipped because it does not decode; or a --gateway-api manifest breaks a rule of the\n",
        "     CRDs (named at its field, as ing2gw validate does; it is still verified)\n",
        "  2  input or usage error (unreadable file, invalid YAML/JSON, bad flag); the valid\n",
        "     documents are still verified and reported\n\n",
        "With --live, exit 1 means: a live divergence the offline verify does not explain, a\n",
        "probe neither endpoint answered, or nothing compared; a reply that contradicts its\n",
        "model is printed (model bug or implementation difference) but does not change the code."
    ))]
    Verify(VerifyArgs),
    /// Check Gateway API manifests against the CRDs' schema and CEL rules, offline.
    ///
    /// Validates Gateways, routes, ListenerSets, ReferenceGrants, BackendTLSPolicies and
    /// Envoy Gateway policies (e.g. your edited `ing2gw print` output) against the rules
    /// the API server enforces for --gateway-api-version and --channel, and reports each
    /// violation at its file:line:column. Other kinds are named as not validated.
    #[command(after_help = concat!(
        "Examples:\n  ing2gw validate -f gateway/\n  ing2gw validate -f gateway.yaml --gateway-api-version 1.4 --channel experimental\n  ing2gw print -f k8s/ | ing2gw validate -f -\n  ing2gw validate -f gateway/ --sarif validate.sarif\n  ing2gw validate -A          (the Gateway API objects of every namespace of the cluster)\n\n",
        "Exit codes:\n  0  every object is valid\n  1  a violation, or the same object given twice\n  2  input, cluster or usage error (unreadable file, not YAML/JSON, bad flag); the\n     valid documents are still validated and reported"
    ))]
    // -A reads the cluster: not with -f.
    Validate(ValidateArgs),
    /// After applying the output: are the generated objects accepted and programmed?
    ///
    /// Reads the Gateways, ListenerSets, routes, policies (Envoy Gateway's too, when
    /// its CRDs are installed) and ReferenceGrants that ing2gw generated (generator
    /// annotation) and reports, per object, its conditions per listener, parent or
    /// ancestor, and the Gateways' addresses.
    #[command(after_help = concat!(
        "Examples:\n  ing2gw status -A\n  ing2gw status -n gateway-system -n shop -o json | jq '.objects[] | select(.ready | not)'\n  kubectl apply -f gateway.yaml && ing2gw status -A --wait --timeout 5m\n\n",
        "Exit codes:\n  0  every generated object is accepted and programmed (ready)\n  1  something is not ready (or no generated object was found); with --wait: still not ready at --timeout\n  2  cluster, RBAC or usage error (nothing, or not everything, could be read)"
    ))]
    Status(StatusArgs),
    /// Generate shell completion scripts.
    #[command(after_help = "Example:\n  ing2gw completions bash > /etc/bash_completion.d/ing2gw")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Kubeconfig context or namespace names, one a line (used by the
    /// completion scripts for --context and --namespace).
    #[command(name = "__kube-names", hide = true)]
    KubeNames {
        #[arg(value_enum)]
        kind: KubeNameKind,
    },
}

/// What `__kube-names` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KubeNameKind {
    Contexts,
    Namespaces,
}

const CLUSTER_HEADING: &str = "Cluster input (when no -f is given)";

/// Where the Ingresses come from: files with `-f`, else the cluster of the
/// current kubeconfig context (flags as in kubectl).
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and
    /// comma-separated; `-` reads stdin. Without -f, the cluster is read.
    #[arg(short = 'f', long = "filename", value_name = "PATH", action = clap::ArgAction::Append)]
    pub filename: Vec<String>,
    /// Follow symlinks found in -f folders (skipped with a warning by default); never
    /// to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input
    /// error, the other files are still translated.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(DEFAULT_MAX_FILE_SIZE))]
    pub max_file_size: ByteSize,
    /// Largest total input of a run, e.g. `2Gi`; files past it are not read (input error).
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(DEFAULT_MAX_INPUT_SIZE))]
    pub max_input_size: ByteSize,
    /// Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account).
    #[arg(long, value_name = "FILE", help_heading = CLUSTER_HEADING)]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use (default: the current context).
    #[arg(long, value_name = "NAME", value_hint = clap::ValueHint::Other, help_heading = CLUSTER_HEADING)]
    pub context: Option<String>,
    /// Namespace to read; repeatable (default: the context's namespace). With -f,
    /// selects the Ingresses of these namespaces (the files are their context).
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NAMESPACE",
        value_hint = clap::ValueHint::Other,
        action = clap::ArgAction::Append,
        conflicts_with = "all_namespaces",
        help_heading = CLUSTER_HEADING
    )]
    pub namespace: Vec<String>,
    /// Read Ingresses in every namespace.
    #[arg(
        short = 'A',
        long,
        conflicts_with = "filename",
        help_heading = CLUSTER_HEADING
    )]
    pub all_namespaces: bool,
    /// Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f).
    #[arg(
        short = 'l',
        long,
        value_name = "SELECTOR",
        help_heading = CLUSTER_HEADING
    )]
    pub selector: Option<String>,
    /// Select the Ingresses with a rule for this host; repeatable. Ingresses of
    /// other hosts are left out; those sharing the host are translated as context.
    /// Example: `ing2gw print -A --host shop.example.com`
    #[arg(long, value_name = "HOST", action = clap::ArgAction::Append, help_heading = CLUSTER_HEADING)]
    pub host: Vec<String>,
    /// Log every API request on stderr (method, URL, status, duration), like kubectl -v=6.
    #[arg(short = 'v', long, help_heading = CLUSTER_HEADING)]
    pub verbose: bool,
    /// The ingress-nginx controller workload that serves these Ingresses, as
    /// NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class,
    /// ConfigMap, annotation prefix and version. Default: discovered.
    /// Example: `--controller ingress-nginx/ingress-nginx-controller`
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_ns_name, help_heading = CLUSTER_HEADING)]
    pub controller: Option<(String, String)>,
    /// Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30s",
        value_parser = parse_duration,
        help_heading = CLUSTER_HEADING
    )]
    pub request_timeout: std::time::Duration,
}

impl InputArgs {
    /// True when the input comes from the cluster (no `-f`).
    pub fn from_cluster(&self) -> bool {
        self.filename.is_empty()
    }

    /// How -f files are read.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            limits: ReadLimits {
                max_file_size: self.max_file_size,
                max_input_size: self.max_input_size,
            },
            follow_symlinks: self.follow_symlinks,
        }
    }

    /// The cluster reader options; `nginx_configmap` is `--nginx-configmap`.
    pub fn cluster_options(
        &self,
        nginx_configmap: Option<(String, String)>,
        progress: bool,
    ) -> crate::cluster::ClusterOptions {
        crate::cluster::ClusterOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            namespaces: self.namespace.clone(),
            all_namespaces: self.all_namespaces,
            selector: self.selector.clone(),
            nginx_configmap,
            timeout: self.request_timeout,
            progress,
            hosts: self.host.iter().map(|h| h.to_ascii_lowercase()).collect(),
            verbose: self.verbose,
            controller: self.controller.clone(),
        }
    }
}

/// Output format of `ing2gw status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

/// `ing2gw status`: the cluster flags of the other commands, plus waiting.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use (default: the current context).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Namespace to read; repeatable (default: the context's namespace). The
    /// Gateway's namespace and the routes' namespaces both count.
    #[arg(short = 'n', long = "namespace", value_name = "NAMESPACE", action = clap::ArgAction::Append, conflicts_with = "all_namespaces")]
    pub namespace: Vec<String>,
    /// Read every namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Deadline of each API request, e.g. `30s`; `0` waits forever.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: std::time::Duration,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = StatusFormat::Text)]
    pub output: StatusFormat,
    /// Poll until everything is ready (exit 0) or --timeout passes (exit 1).
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits, e.g. `5m`.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration, requires = "wait")]
    pub timeout: std::time::Duration,
    /// Time between two reads with --wait, e.g. `2s`.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration, requires = "wait")]
    pub interval: std::time::Duration,
}

/// kubectl-style durations: a number with an optional `ms`, `s`, `m` or `h` unit
/// (seconds when bare).
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let (n, unit) = crate::input::number_and_unit(s)
        .ok_or_else(|| format!("expected a duration such as 30s or 2m, got `{s}`"))?;
    let millis = match unit {
        "ms" => Some(n),
        "" | "s" => n.checked_mul(1_000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => {
            return Err(format!(
                "unknown duration unit in `{s}` (use ms, s, m or h)"
            ));
        }
    };
    millis
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| format!("duration `{s}` is too large"))
}

/// How the translation behaves.
#[derive(Debug, Clone, Args)]
pub struct TranslateArgs {
    /// The ingress class ingress-nginx serves (its --ingress-class).
    #[arg(long, default_value = DEFAULT_INGRESS_CLASS, value_name = "CLASS")]
    pub ingress_class: String,
    /// IngressClass spec.controller value of ingress-nginx (its --controller-class).
    #[arg(
        long,
        default_value = DEFAULT_CONTROLLER_CLASS,
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
    /// gatewayClassName of the generated Gateway (default: the implementation's usual
    /// class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a
    /// class no implementation installs, so set it). Example: `--gateway-class my-class`
    #[arg(long, value_name = "NAME")]
    pub gateway_class: Option<String>,
    /// One Gateway in each Ingress namespace (ingress2gateway's layout) instead of one shared Gateway.
    #[arg(long)]
    pub gateway_per_namespace: bool,
    /// The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults).
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_ns_name)]
    pub nginx_configmap: Option<(String, String)>,
    /// The controller's default certificate Secret, as NAMESPACE/NAME (its
    /// --default-ssl-certificate): used for TLS hosts without a secretName.
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_ns_name)]
    pub default_ssl_certificate: Option<(String, String)>,
    /// Annotation prefix of the controller (its --annotations-prefix; default
    /// nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the
    /// controller Deployment's flag unless given here. Example: --annotations-prefix custom.example.com
    #[arg(long, value_name = "PREFIX")]
    pub annotations_prefix: Option<String>,
    /// Gateway API channel the output may use (default: standard; read from the
    /// cluster's CRDs when reading a cluster). Example: `--channel experimental`
    #[arg(long, value_enum)]
    pub channel: Option<Channel>,
    /// Gateway API release the output must fit: only kinds, apiVersions and fields
    /// of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1,
    /// no TLSRoute/ListenerSet on the standard channel). Default: the cluster's
    /// CRDs when reading a cluster, else the release the --implementation version
    /// is built on. Example: `--gateway-api-version 1.4 --channel experimental`
    #[arg(long, value_enum, value_name = "VERSION")]
    pub gateway_api_version: Option<crate::target::gateway_api::GatewayApiVersion>,
    /// Emit routes whose access control cannot be expressed (IP lists, basic auth, rate
    /// limits, auth-url on the standard channel…) in their open (unprotected) form; without
    /// it they are emitted fail-closed (HTTP 500). See docs/security.md.
    #[arg(long)]
    pub allow_insecure_translation: bool,
    /// Emit ReferenceGrants into namespaces other than the referring Ingress's own
    /// (auth-url Service, canary Service, mirror target or CA Secret of another
    /// namespace). Each grant names one object but lets every route of the referring
    /// namespace use it; without the flag those references are reported and the
    /// protected rules fail closed. Example:
    /// `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`
    #[arg(long)]
    pub allow_cross_namespace_grants: bool,
    /// ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of
    /// regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect,
    /// ssl-redirect-strip-slash.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub quirks: Quirks,
    /// ingress-nginx controller version whose behaviour is modelled: which Ingresses it
    /// ignores (annotations-risk-level default, value validation) and the defaults of
    /// allow-snippet-annotations and allow-cross-namespace-resources.
    #[arg(long, default_value = DEFAULT_CONTROLLER_VERSION, value_name = "VERSION")]
    pub controller_version: String,
    /// The Gateway API implementation the output is for, as NAME[@VERSION]:
    /// `standard` (any conformant implementation), `envoy-gateway`, `istio`. It
    /// chooses the emitted extension resources and, for `verify`, the route
    /// precedence of the rules the spec does not rank (regular expressions;
    /// `standard` counts a request as divergent when any order the spec allows
    /// routes it differently). Example: `--implementation envoy-gateway@1.6`
    #[arg(long, default_value = "standard", value_name = "NAME[@VERSION]")]
    pub implementation: Target,
    /// Serve the translation under other hostnames (a parallel test domain), as
    /// FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or
    /// suffix (`*.example.com=*.canary.example.com`) form. Applied after
    /// translation: listeners, routes and redirects get the new names; `verify`
    /// still models the original hosts and shows both. See docs/cutover.md.
    #[arg(long, value_name = "FROM=TO", action = clap::ArgAction::Append)]
    pub host_map: Vec<crate::emit::host_map::HostMapEntry>,
    /// Syntax of the emitted regular expressions: `re2` (Envoy's engine, with `(?i)`
    /// case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding
    /// spelled as `[Aa][Pp][Ii]`, no inline flags, no `\d`). Example:
    /// `ing2gw print -f ingresses/ --regex-dialect portable`
    #[arg(long, value_enum, default_value_t = RegexDialect::Re2, value_name = "DIALECT")]
    pub regex_dialect: RegexDialect,
}

/// ingress-nginx's default `--ingress-class`, `--controller-class`, and the
/// controller version modelled by default: a flag left at its default takes the
/// value of the controller found in the cluster.
pub const DEFAULT_INGRESS_CLASS: &str = "nginx";
pub const DEFAULT_CONTROLLER_CLASS: &str = "k8s.io/ingress-nginx";
pub const DEFAULT_CONTROLLER_VERSION: &str = "v1.15.1";

/// ingress-nginx's default `--annotations-prefix`.
pub const DEFAULT_ANNOTATIONS_PREFIX: &str = "nginx.ingress.kubernetes.io";

impl TranslateArgs {
    pub fn options(&self) -> TranslateOptions {
        let prefix = self
            .annotations_prefix
            .as_deref()
            .unwrap_or(DEFAULT_ANNOTATIONS_PREFIX)
            .trim_end_matches('/');
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
            default_ssl_certificate: self.default_ssl_certificate.clone(),
            annotation_prefix: format!("{prefix}/"),
            channel: self.channel.unwrap_or_default(),
            channel_explicit: self.channel.is_some(),
            gateway_api_version: self.gateway_api_version,
            detected_gateway_api: None,
            allow_insecure_translation: self.allow_insecure_translation,
            allow_cross_namespace_grants: self.allow_cross_namespace_grants,
            quirks: self.quirks.clone(),
            controller_version: self.controller_version.clone(),
            target: self.implementation.clone(),
            // Validated by `host_map()` before any command runs.
            host_map: self.host_map().unwrap_or_default(),
            regex_dialect: self.regex_dialect,
        }
    }

    /// `--host-map` validated: two entries that can match one host are a usage error.
    pub fn host_map(&self) -> Result<crate::emit::host_map::HostMap, String> {
        crate::emit::host_map::HostMap::new(&self.host_map)
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

/// Output format of `ing2gw annotations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Args)]
pub struct AnnotationsArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = CatalogFormat::Table)]
    pub output: CatalogFormat,
    /// Show what this implementation target expresses per annotation (NAME[@VERSION]:
    /// standard, envoy-gateway, istio) instead of the catalog. Example:
    /// `--implementation envoy-gateway`
    #[arg(long, value_name = "NAME[@VERSION]")]
    pub implementation: Option<Target>,
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

/// Format of the `--report FILE` of print and verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReportFormat {
    /// ing2gw's own JSON (every field; see the command's docs).
    #[default]
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab via a converter).
    Sarif,
}

/// SARIF output of the notifications, shared by the commands that have
/// notifications (docs/ci.md).
#[derive(Debug, Clone, Args)]
pub struct SarifArgs {
    /// Format of --report: `json` (default) or `sarif` (SARIF 2.1.0).
    /// Example: --report findings.sarif --report-format sarif
    #[arg(long, value_enum, default_value_t = ReportFormat::Json, requires = "report")]
    pub report_format: ReportFormat,
    /// Also write the notifications as SARIF 2.1.0 to this file (for code scanning;
    /// with --report, both are written). Example: --sarif ing2gw.sarif
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Directory SARIF file locations are relative to (default: the git top level
    /// of the first -f input, else the current directory). Files outside it get no
    /// file location. Example: --sarif-root .
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
}

impl SarifArgs {
    /// True when a SARIF file is written at all.
    pub fn wanted(&self) -> bool {
        self.sarif.is_some() || self.report_format == ReportFormat::Sarif
    }
}

/// Reporting flags shared by commands.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Also write all notifications as JSON (or SARIF, --report-format) to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub sarif: SarifArgs,
    /// Exit 1 when a notification at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Print only warnings and errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Accept a known finding: CODE, CODE:NAMESPACE/NAME (an Ingress) or
    /// CODE:KIND/NAMESPACE/NAME; repeatable. Accepted notifications are counted in
    /// the summary and kept in --report ("accepted": true) but do not count for
    /// --fail-on. Example: --accept catch-all-healthz --accept ssl-redirect-trailing-slash:shop/web
    #[arg(long, value_name = "CODE[:OBJECT]", action = clap::ArgAction::Append,
          value_parser = crate::report::accept::AcceptRule::parse_flag)]
    pub accept: Vec<crate::report::accept::AcceptRule>,
    /// Accept file (YAML, `version: 1`, entries with code, optional object and
    /// reason; see docs/commands/print.md). Default: .ing2gw-accept.yaml in the
    /// current directory, when present. Example: --accept-file ci/accept.yaml
    #[arg(long, value_name = "FILE")]
    pub accept_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct PrintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub translate: TranslateArgs,
    #[command(flatten)]
    pub reporting: ReportArgs,
    /// Output format on stdout. Not with --output-dir, which always writes YAML files
    /// (a kustomization): the combination is a usage error (exit 2).
    #[arg(
        short = 'o',
        long = "output",
        value_enum,
        default_value_t = OutputFormat::Yaml,
        conflicts_with = "output_dir"
    )]
    pub output: OutputFormat,
    /// Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout.
    ///
    /// All or nothing; files of an earlier run that this run no longer produces are removed (listed in
    /// DIR/.ing2gw-manifest); symlinks in DIR are refused. Example: --output-dir gateway/
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Emit the routes (and their policies) only, never the shared Gateway,
    /// ListenerSets or ReferenceGrants; a notification lists the listeners to
    /// merge. A partial selection (-n, -l, --host) that does not own the shared
    /// objects gets this output anyway. Example: `ing2gw print -n shop --routes-only`
    #[arg(long)]
    pub routes_only: bool,
    /// With a partial selection, merge the selection's listeners into the live
    /// Gateway read from the cluster (`cluster`) and emit it whole, instead of
    /// withholding the Gateway. Example: `ing2gw print -n shop --merge-gateway cluster`
    #[arg(
        long,
        value_enum,
        value_name = "SOURCE",
        conflicts_with = "routes_only"
    )]
    pub merge_gateway: Option<MergeGateway>,
    /// Ingresses per shard when the run is translated shard by shard (large
    /// estates, YAML on stdout; the output is the same): 0 translates the whole
    /// input at once. For tests and benchmarks (docs/performance.md).
    #[arg(long, hide = true, value_name = "N", default_value_t = crate::shard::SHARD_INGRESSES)]
    pub shard_ingresses: usize,
}

/// Where `--merge-gateway` reads the live Gateway from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeGateway {
    /// The cluster of the kubeconfig context (the Gateway API reader).
    Cluster,
}

/// Format of the `scan` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Terminal tables.
    Table,
    /// Markdown, for a pull request or a ticket.
    Markdown,
    /// JSON (stable field names).
    Json,
    /// One self-contained HTML page (inline CSS, no script, printable).
    Html,
}

/// The verdict at which `scan --fail-on` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFailOn {
    /// Any blocked Ingress.
    Blocked,
    /// Any Ingress that needs review or is blocked.
    Review,
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub translate: TranslateArgs,
    /// Report format on stdout.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = ScanFormat::Table)]
    pub output: ScanFormat,
    /// Exit 1 when a served Ingress is at or above this verdict (the report is
    /// still written).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<ScanFailOn>,
    /// An earlier `scan -o json`: --fail-on counts only problems it does not list
    /// (by namespace, Ingress name and code).
    #[arg(long, value_name = "FILE", requires = "fail_on", value_hint = clap::ValueHint::FilePath)]
    pub baseline: Option<PathBuf>,
    /// Accept a known finding (as for print): CODE, CODE:NAMESPACE/NAME or
    /// CODE:KIND/NAMESPACE/NAME; repeatable. An accepted notification does not
    /// raise an Ingress's verdict. Example: --accept cors:shop/web
    #[arg(long, value_name = "CODE[:OBJECT]", action = clap::ArgAction::Append,
          value_parser = crate::report::accept::AcceptRule::parse_flag)]
    pub accept: Vec<crate::report::accept::AcceptRule>,
    /// Accept file (as for print). Default: .ing2gw-accept.yaml in the current
    /// directory, when present.
    #[arg(long, value_name = "FILE")]
    pub accept_file: Option<PathBuf>,
}

/// When to colour the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Only when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub translate: TranslateArgs,
    /// What to compare with: a manifest file or folder (e.g. the output committed
    /// last time), or `cluster` for the live Gateway API objects (reached with
    /// --kubeconfig/--context, also when the input comes from -f).
    #[arg(long, value_name = "PATH|cluster")]
    pub against: String,
    /// Colour the diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Do not print the translation notifications on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Label and annotation key prefix never compared (besides the built-in GitOps
    /// list), e.g. `team.example.com/`; repeatable.
    #[arg(long, value_name = "PREFIX", action = clap::ArgAction::Append)]
    pub ignore_annotation: Vec<String>,
    /// Field never compared: a dotted path from the object's root, `*` for any key
    /// or list item, `[key]` for a key with dots, e.g. `spec.infrastructure`,
    /// `metadata.labels[team.example.com/owner]`; repeatable.
    #[arg(long, value_name = "PATH", action = clap::ArgAction::Append)]
    pub ignore_field: Vec<String>,
    /// With --against DIR: also compare the objects ing2gw does not manage there
    /// (no generator annotation, not generated now, not in the folder's
    /// .ing2gw-manifest or kustomization.yaml).
    #[arg(long)]
    pub include_unmanaged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_kubectl() {
        use std::time::Duration;
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("1d").is_err());
        assert!(parse_duration("s").is_err());
    }

    #[test]
    fn cluster_flags_conflict_with_files() {
        assert!(Cli::try_parse_from(["ing2gw", "print", "-f", "x", "-A"]).is_err());
        // -n, -l and --host select among the files too.
        assert!(Cli::try_parse_from(["ing2gw", "scan", "-f", "x", "-n", "a"]).is_ok());
        assert!(Cli::try_parse_from(["ing2gw", "print", "-A", "-n", "a"]).is_err());
        let cli = Cli::try_parse_from([
            "ing2gw",
            "diff",
            "-n",
            "a",
            "-n",
            "b",
            "-l",
            "app=web",
            "--context",
            "dev",
            "--against",
            "cluster",
        ])
        .expect("valid");
        let Command::Diff(args) = cli.command else {
            panic!("diff")
        };
        let opts = args.input.cluster_options(None, false);
        assert_eq!(opts.namespaces, ["a", "b"]);
        assert_eq!(opts.selector.as_deref(), Some("app=web"));
        assert_eq!(opts.context.as_deref(), Some("dev"));
        assert!(args.input.from_cluster());
    }
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
    /// Also write the full result (every probe that is not identical) as JSON to this
    /// file; with --report-format sarif, the notifications and unexplained divergences
    /// as SARIF instead.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub sarif: SarifArgs,
    /// Output format on stdout.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = VerifyFormat::Table)]
    pub output: VerifyFormat,
    /// Verify as if this Ingress were left out (repeatable), e.g. `--exclude shop/legacy`
    /// when ingress-nginx would reject the whole configuration because of it.
    #[arg(long, value_name = "NAMESPACE/NAME", action = clap::ArgAction::Append)]
    pub exclude: Vec<String>,
    /// Exit 0 even when nothing, or nothing for some host, could be compared
    /// (every probe "not modelled"), e.g. `ing2gw verify -f k8s/ --allow-uncompared`.
    #[arg(long)]
    pub allow_uncompared: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

const LIVE_HEADING: &str = "Live probing";

/// `verify --live` and `--emit-probes` (docs/commands/verify.md, "Live").
#[derive(Debug, Clone, Args)]
pub struct LiveArgs {
    /// Send the probes to a running ingress-nginx and a running Gateway and compare
    /// their answers (status, Location, CORS/HSTS/modelled headers), e.g.
    /// `--live --nginx-address 203.0.113.7 --gateway-address 203.0.113.8`.
    #[arg(long, requires_all = ["nginx_address", "gateway_address"], help_heading = LIVE_HEADING)]
    pub live: bool,
    /// ingress-nginx's address: IP[:HTTP_PORT[,HTTPS_PORT]] (default ports 80, 443), e.g.
    /// `127.0.0.1:8080,8443`; never a host name.
    #[arg(long, value_name = "IP[:PORT]", requires = "live", help_heading = LIVE_HEADING)]
    pub nginx_address: Option<crate::verify::live::Endpoint>,
    /// The Gateway's address, same form; with --emit-probes, the script's default address.
    #[arg(long, value_name = "IP[:PORT]", help_heading = LIVE_HEADING)]
    pub gateway_address: Option<crate::verify::live::Endpoint>,
    /// Also compare a SHA-256 digest of each response body.
    #[arg(long, requires = "live", help_heading = LIVE_HEADING)]
    pub compare_body: bool,
    /// Requests in flight at once, over both endpoints.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..), help_heading = LIVE_HEADING)]
    pub concurrency: u16,
    /// Requests started per second, over both endpoints (`0`: no limit).
    #[arg(long, value_name = "PER_SECOND", default_value_t = 20.0, value_parser = parse_rate, help_heading = LIVE_HEADING)]
    pub rate: f64,
    /// Deadline of each request (connect, TLS, response), e.g. `5s`, `500ms`.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = LIVE_HEADING)]
    pub timeout: std::time::Duration,
    /// Accept any server certificate (self-signed test domains).
    #[arg(long, conflicts_with = "ca_file", help_heading = LIVE_HEADING)]
    pub insecure_skip_verify: bool,
    /// Verify server certificates against the CA certificates in this PEM file
    /// instead of the system's.
    #[arg(long, value_name = "FILE", help_heading = LIVE_HEADING)]
    pub ca_file: Option<PathBuf>,
    /// Write the probes as a smoke test (no network): `.sh` (POSIX shell + curl) or
    /// `.hurl`, with the status and Location expected from the Gateway, e.g.
    /// `--emit-probes smoke.sh` then `sh smoke.sh 203.0.113.8`.
    #[arg(long, value_name = "FILE", help_heading = LIVE_HEADING)]
    pub emit_probes: Option<PathBuf>,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 0.0)
        .ok_or_else(|| format!("expected requests per second (a number ≥ 0), got `{s}`"))
}

/// `ing2gw validate`: Gateway API manifests from files or the cluster, judged
/// against a Gateway API version and channel.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and
    /// comma-separated; `-` reads stdin. Without -f, the cluster's Gateway API objects are read.
    #[arg(short = 'f', long = "filename", value_name = "PATH", action = clap::ArgAction::Append)]
    pub filename: Vec<String>,
    /// Follow symlinks found in -f folders (skipped with a warning by default).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Largest file (or stdin) read, e.g. `256Mi`.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(DEFAULT_MAX_FILE_SIZE))]
    pub max_file_size: ByteSize,
    /// Largest total input of a run, e.g. `2Gi`.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(DEFAULT_MAX_INPUT_SIZE))]
    pub max_input_size: ByteSize,
    /// Gateway API release whose rules apply (default: the cluster's CRDs when
    /// reading a cluster, else the release the --implementation version is built
    /// on). Example: `--gateway-api-version 1.4`
    #[arg(long, value_enum, value_name = "VERSION")]
    pub gateway_api_version: Option<crate::target::gateway_api::GatewayApiVersion>,
    /// Gateway API channel whose CRDs apply (default: the cluster's CRDs when
    /// reading a cluster, else standard). Example: `--channel experimental`
    #[arg(long, value_enum)]
    pub channel: Option<Channel>,
    /// The Gateway API implementation, as NAME[@VERSION] (`standard`, `envoy-gateway`,
    /// `istio`): its version chooses the default --gateway-api-version. Envoy Gateway's
    /// policies are always checked against its CRDs.
    #[arg(long, default_value = "standard", value_name = "NAME[@VERSION]")]
    pub implementation: Target,
    /// Also write the notifications as JSON (or SARIF, --report-format) to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub sarif: SarifArgs,
    /// Print only warnings and errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account).
    #[arg(long, value_name = "FILE", help_heading = CLUSTER_HEADING)]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use (default: the current context).
    #[arg(long, value_name = "NAME", value_hint = clap::ValueHint::Other, help_heading = CLUSTER_HEADING)]
    pub context: Option<String>,
    /// Namespace to read; repeatable (default: the context's namespace).
    #[arg(short = 'n', long = "namespace", value_name = "NAMESPACE", value_hint = clap::ValueHint::Other,
          action = clap::ArgAction::Append, conflicts_with_all = ["all_namespaces", "filename"], help_heading = CLUSTER_HEADING)]
    pub namespace: Vec<String>,
    /// Read every namespace.
    #[arg(short = 'A', long, conflicts_with = "filename", help_heading = CLUSTER_HEADING)]
    pub all_namespaces: bool,
    /// Deadline of each API request, e.g. `30s`; `0` waits forever.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, help_heading = CLUSTER_HEADING)]
    pub request_timeout: std::time::Duration,
}
