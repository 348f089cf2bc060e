# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ing2gw_global_optspecs
    string join \n h/help V/version
end

function __fish_ing2gw_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ing2gw_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ing2gw_using_subcommand
    set -l cmd (__fish_ing2gw_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ing2gw -n "__fish_ing2gw_needs_command" -s h -l help -d 'Print help'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -s V -l version -d 'Print version'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "print" -d 'Translate Ingresses to Gateway API and print the result'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "scan" -d 'Migration readiness report: annotations, risks, shared hosts, blockers'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "diff" -d 'Compare the generated Gateway API objects with files or the live cluster'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "annotations" -d 'List every ingress-nginx annotation and how ing2gw handles it'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "verify" -d 'Compare, request by request, Ingress-NGINX with the Gateway API translation'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "validate" -d 'Check Gateway API manifests against the CRDs\' schema and CEL rules, offline'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "status" -d 'After applying the output: are the generated objects accepted and programmed?'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "completions" -d 'Generate shell completion scripts'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "__kube-names" -d 'Kubeconfig context or namespace names, one a line (used by the completion scripts for --context and --namespace)'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l max-file-size -d 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l max-input-size -d 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l context -d 'Kubeconfig context to use (default: the current context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s l -l selector -d 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l host -d 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l controller -d 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l request-timeout -d 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l ingress-class -d 'The ingress class ingress-nginx serves (its --ingress-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l controller-class -d 'IngressClass spec.controller value of ingress-nginx (its --controller-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-name -d 'Name of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-namespace -d 'Namespace of the generated Gateway' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-class -d 'gatewayClassName of the generated Gateway (default: the implementation\'s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l nginx-configmap -d 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l default-ssl-certificate -d 'The controller\'s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l annotations-prefix -d 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment\'s flag unless given here. Example: --annotations-prefix custom.example.com' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l channel -d 'Gateway API channel the output may use (default: standard; read from the cluster\'s CRDs when reading a cluster). Example: `--channel experimental`' -r -f -a "standard\t'Standard channel only'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-api-version -d 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster\'s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`' -r -f -a "1.4\t''
1.5\t''
1.6\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l quirks -d 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l controller-version -d 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l implementation -d 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l host-map -d 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l regex-dialect -d 'Syntax of the emitted regular expressions: `re2` (Envoy\'s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`' -r -f -a "re2\t'RE2 (Envoy\'s engine): `(?i)`, `(?:…)`, `\\d` as written by the passes'
portable\t'GEP-4359\'s portable subset: case folding as `[Uu][Ss][Ee][Rr]`, plain groups, no flags'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l report -d 'Also write all notifications as JSON (or SARIF, --report-format) to this file' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l report-format -d 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif' -r -f -a "json\t'ing2gw\'s own JSON (every field; see the command\'s docs)'
sarif\t'SARIF 2.1.0, for code scanning (GitHub, GitLab via a converter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l sarif -d 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l sarif-root -d 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l fail-on -d 'Exit 1 when a notification at or above this severity exists' -r -f -a "error\t''
warning\t''
never\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l accept -d 'Accept a known finding: CODE, CODE:NAMESPACE/NAME (an Ingress) or CODE:KIND/NAMESPACE/NAME; repeatable. Accepted notifications are counted in the summary and kept in --report ("accepted": true) but do not count for --fail-on. Example: --accept catch-all-healthz --accept ssl-redirect-trailing-slash:shop/web' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l accept-file -d 'Accept file (YAML, `version: 1`, entries with code, optional object and reason; see docs/commands/print.md). Default: .ing2gw-accept.yaml in the current directory, when present. Example: --accept-file ci/accept.yaml' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s o -l output -d 'Output format on stdout. Not with --output-dir, which always writes YAML files (a kustomization): the combination is a usage error (exit 2)' -r -f -a "yaml\t''
json\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l output-dir -d 'Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l merge-gateway -d 'With a partial selection, merge the selection\'s listeners into the live Gateway read from the cluster (`cluster`) and emit it whole, instead of withholding the Gateway. Example: `ing2gw print -n shop --merge-gateway cluster`' -r -f -a "cluster\t'The cluster of the kubeconfig context (the Gateway API reader)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l shard-ingresses -d 'Ingresses per shard when the run is translated shard by shard (large estates, YAML on stdout; the output is the same): 0 translates the whole input at once. For tests and benchmarks (docs/performance.md)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l follow-symlinks -d 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s A -l all-namespaces -d 'Read Ingresses in every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s v -l verbose -d 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l watch-ingress-without-class -d 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l ingress-class-by-name -d 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-per-namespace -d 'One Gateway in each Ingress namespace (ingress2gateway\'s layout) instead of one shared Gateway'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l allow-insecure-translation -d 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l allow-cross-namespace-grants -d 'Emit ReferenceGrants into namespaces other than the referring Ingress\'s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s q -l quiet -d 'Print only warnings and errors on stderr'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l routes-only -d 'Emit the routes (and their policies) only, never the shared Gateway, ListenerSets or ReferenceGrants; a notification lists the listeners to merge. A partial selection (-n, -l, --host) that does not own the shared objects gets this output anyway. Example: `ing2gw print -n shop --routes-only`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l max-file-size -d 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l max-input-size -d 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l context -d 'Kubeconfig context to use (default: the current context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s l -l selector -d 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l host -d 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l controller -d 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l request-timeout -d 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l ingress-class -d 'The ingress class ingress-nginx serves (its --ingress-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l controller-class -d 'IngressClass spec.controller value of ingress-nginx (its --controller-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l gateway-name -d 'Name of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l gateway-namespace -d 'Namespace of the generated Gateway' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l gateway-class -d 'gatewayClassName of the generated Gateway (default: the implementation\'s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l nginx-configmap -d 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l default-ssl-certificate -d 'The controller\'s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l annotations-prefix -d 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment\'s flag unless given here. Example: --annotations-prefix custom.example.com' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l channel -d 'Gateway API channel the output may use (default: standard; read from the cluster\'s CRDs when reading a cluster). Example: `--channel experimental`' -r -f -a "standard\t'Standard channel only'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l gateway-api-version -d 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster\'s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`' -r -f -a "1.4\t''
1.5\t''
1.6\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l quirks -d 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l controller-version -d 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l implementation -d 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l host-map -d 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l regex-dialect -d 'Syntax of the emitted regular expressions: `re2` (Envoy\'s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`' -r -f -a "re2\t'RE2 (Envoy\'s engine): `(?i)`, `(?:…)`, `\\d` as written by the passes'
portable\t'GEP-4359\'s portable subset: case folding as `[Uu][Ss][Ee][Rr]`, plain groups, no flags'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s o -l output -d 'Report format on stdout' -r -f -a "table\t'Terminal tables'
markdown\t'Markdown, for a pull request or a ticket'
json\t'JSON (stable field names)'
html\t'One self-contained HTML page (inline CSS, no script, printable)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l fail-on -d 'Exit 1 when a served Ingress is at or above this verdict (the report is still written)' -r -f -a "blocked\t'Any blocked Ingress'
review\t'Any Ingress that needs review or is blocked'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l baseline -d 'An earlier `scan -o json`: --fail-on counts only problems it does not list (by namespace, Ingress name and code)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l accept -d 'Accept a known finding (as for print): CODE, CODE:NAMESPACE/NAME or CODE:KIND/NAMESPACE/NAME; repeatable. An accepted notification does not raise an Ingress\'s verdict. Example: --accept cors:shop/web' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l accept-file -d 'Accept file (as for print). Default: .ing2gw-accept.yaml in the current directory, when present' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l follow-symlinks -d 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s A -l all-namespaces -d 'Read Ingresses in every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s v -l verbose -d 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l watch-ingress-without-class -d 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l ingress-class-by-name -d 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l gateway-per-namespace -d 'One Gateway in each Ingress namespace (ingress2gateway\'s layout) instead of one shared Gateway'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l allow-insecure-translation -d 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -l allow-cross-namespace-grants -d 'Emit ReferenceGrants into namespaces other than the referring Ingress\'s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l max-file-size -d 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l max-input-size -d 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l context -d 'Kubeconfig context to use (default: the current context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s l -l selector -d 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l host -d 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l controller -d 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l request-timeout -d 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l ingress-class -d 'The ingress class ingress-nginx serves (its --ingress-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l controller-class -d 'IngressClass spec.controller value of ingress-nginx (its --controller-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l gateway-name -d 'Name of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l gateway-namespace -d 'Namespace of the generated Gateway' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l gateway-class -d 'gatewayClassName of the generated Gateway (default: the implementation\'s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l nginx-configmap -d 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l default-ssl-certificate -d 'The controller\'s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l annotations-prefix -d 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment\'s flag unless given here. Example: --annotations-prefix custom.example.com' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l channel -d 'Gateway API channel the output may use (default: standard; read from the cluster\'s CRDs when reading a cluster). Example: `--channel experimental`' -r -f -a "standard\t'Standard channel only'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l gateway-api-version -d 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster\'s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`' -r -f -a "1.4\t''
1.5\t''
1.6\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l quirks -d 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l controller-version -d 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l implementation -d 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l host-map -d 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l regex-dialect -d 'Syntax of the emitted regular expressions: `re2` (Envoy\'s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`' -r -f -a "re2\t'RE2 (Envoy\'s engine): `(?i)`, `(?:…)`, `\\d` as written by the passes'
portable\t'GEP-4359\'s portable subset: case folding as `[Uu][Ss][Ee][Rr]`, plain groups, no flags'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l against -d 'What to compare with: a manifest file or folder (e.g. the output committed last time), or `cluster` for the live Gateway API objects (reached with --kubeconfig/--context, also when the input comes from -f)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l color -d 'Colour the diff' -r -f -a "auto\t'Only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l ignore-annotation -d 'Label and annotation key prefix never compared (besides the built-in GitOps list), e.g. `team.example.com/`; repeatable' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l ignore-field -d 'Field never compared: a dotted path from the object\'s root, `*` for any key or list item, `[key]` for a key with dots, e.g. `spec.infrastructure`, `metadata.labels[team.example.com/owner]`; repeatable' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l follow-symlinks -d 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s v -l verbose -d 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l watch-ingress-without-class -d 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l ingress-class-by-name -d 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l gateway-per-namespace -d 'One Gateway in each Ingress namespace (ingress2gateway\'s layout) instead of one shared Gateway'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l allow-insecure-translation -d 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l allow-cross-namespace-grants -d 'Emit ReferenceGrants into namespaces other than the referring Ingress\'s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s q -l quiet -d 'Do not print the translation notifications on stderr'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -l include-unmanaged -d 'With --against DIR: also compare the objects ing2gw does not manage there (no generator annotation, not generated now, not in the folder\'s .ing2gw-manifest or kustomization.yaml)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s A -l all-namespaces -d 'Read Ingresses in every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand annotations" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
markdown\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand annotations" -l implementation -d 'Show what this implementation target expresses per annotation (NAME[@VERSION]: standard, envoy-gateway, istio) instead of the catalog. Example: `--implementation envoy-gateway`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand annotations" -s h -l help -d 'Print help'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l max-file-size -d 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l max-input-size -d 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l context -d 'Kubeconfig context to use (default: the current context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s l -l selector -d 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l host -d 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l controller -d 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l request-timeout -d 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l ingress-class -d 'The ingress class ingress-nginx serves (its --ingress-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l controller-class -d 'IngressClass spec.controller value of ingress-nginx (its --controller-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-name -d 'Name of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-namespace -d 'Namespace of the generated Gateway' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-class -d 'gatewayClassName of the generated Gateway (default: the implementation\'s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l nginx-configmap -d 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l default-ssl-certificate -d 'The controller\'s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l annotations-prefix -d 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment\'s flag unless given here. Example: --annotations-prefix custom.example.com' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l channel -d 'Gateway API channel the output may use (default: standard; read from the cluster\'s CRDs when reading a cluster). Example: `--channel experimental`' -r -f -a "standard\t'Standard channel only'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-api-version -d 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster\'s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`' -r -f -a "1.4\t''
1.5\t''
1.6\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l quirks -d 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l controller-version -d 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l implementation -d 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l host-map -d 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l regex-dialect -d 'Syntax of the emitted regular expressions: `re2` (Envoy\'s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`' -r -f -a "re2\t'RE2 (Envoy\'s engine): `(?i)`, `(?:…)`, `\\d` as written by the passes'
portable\t'GEP-4359\'s portable subset: case folding as `[Uu][Ss][Ee][Rr]`, plain groups, no flags'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-api -d 'Gateway API manifests to verify instead of ing2gw\'s own translation (file or folder; repeatable and comma-separated), e.g. your edited `ing2gw print` output' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l budget -d 'Maximum number of probe requests' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l report -d 'Also write the full result (every probe that is not identical) as JSON to this file; with --report-format sarif, the notifications and unexplained divergences as SARIF instead' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l report-format -d 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif' -r -f -a "json\t'ing2gw\'s own JSON (every field; see the command\'s docs)'
sarif\t'SARIF 2.1.0, for code scanning (GitHub, GitLab via a converter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l sarif -d 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l sarif-root -d 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l exclude -d 'Verify as if this Ingress were left out (repeatable), e.g. `--exclude shop/legacy` when ingress-nginx would reject the whole configuration because of it' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l nginx-address -d 'ingress-nginx\'s address: IP[:HTTP_PORT[,HTTPS_PORT]] (default ports 80, 443), e.g. `127.0.0.1:8080,8443`; never a host name' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-address -d 'The Gateway\'s address, same form; with --emit-probes, the script\'s default address' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l concurrency -d 'Requests in flight at once, over both endpoints' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l rate -d 'Requests started per second, over both endpoints (`0`: no limit)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l timeout -d 'Deadline of each request (connect, TLS, response), e.g. `5s`, `500ms`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l ca-file -d 'Verify server certificates against the CA certificates in this PEM file instead of the system\'s' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l emit-probes -d 'Write the probes as a smoke test (no network): `.sh` (POSIX shell + curl) or `.hurl`, with the status and Location expected from the Gateway, e.g. `--emit-probes smoke.sh` then `sh smoke.sh 203.0.113.8`' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l follow-symlinks -d 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s A -l all-namespaces -d 'Read Ingresses in every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s v -l verbose -d 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l watch-ingress-without-class -d 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l ingress-class-by-name -d 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l gateway-per-namespace -d 'One Gateway in each Ingress namespace (ingress2gateway\'s layout) instead of one shared Gateway'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l allow-insecure-translation -d 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l allow-cross-namespace-grants -d 'Emit ReferenceGrants into namespaces other than the referring Ingress\'s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l allow-uncompared -d 'Exit 0 even when nothing, or nothing for some host, could be compared (every probe "not modelled"), e.g. `ing2gw verify -f k8s/ --allow-uncompared`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l live -d 'Send the probes to a running ingress-nginx and a running Gateway and compare their answers (status, Location, CORS/HSTS/modelled headers), e.g. `--live --nginx-address 203.0.113.7 --gateway-address 203.0.113.8`'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l compare-body -d 'Also compare a SHA-256 digest of each response body'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -l insecure-skip-verify -d 'Accept any server certificate (self-signed test domains)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster\'s Gateway API objects are read' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l max-file-size -d 'Largest file (or stdin) read, e.g. `256Mi`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l max-input-size -d 'Largest total input of a run, e.g. `2Gi`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l gateway-api-version -d 'Gateway API release whose rules apply (default: the cluster\'s CRDs when reading a cluster, else the release the --implementation version is built on). Example: `--gateway-api-version 1.4`' -r -f -a "1.4\t''
1.5\t''
1.6\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l channel -d 'Gateway API channel whose CRDs apply (default: the cluster\'s CRDs when reading a cluster, else standard). Example: `--channel experimental`' -r -f -a "standard\t'Standard channel only'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l implementation -d 'The Gateway API implementation, as NAME[@VERSION] (`standard`, `envoy-gateway`, `istio`): its version chooses the default --gateway-api-version. Envoy Gateway\'s policies are always checked against its CRDs' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l report -d 'Also write the notifications as JSON (or SARIF, --report-format) to this file' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l report-format -d 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif' -r -f -a "json\t'ing2gw\'s own JSON (every field; see the command\'s docs)'
sarif\t'SARIF 2.1.0, for code scanning (GitHub, GitLab via a converter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l sarif -d 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l sarif-root -d 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l context -d 'Kubeconfig context to use (default: the current context)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace)' -r -f
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l request-timeout -d 'Deadline of each API request, e.g. `30s`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -l follow-symlinks -d 'Follow symlinks found in -f folders (skipped with a warning by default)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -s q -l quiet -d 'Print only warnings and errors on stderr'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -s A -l all-namespaces -d 'Read every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l context -d 'Kubeconfig context to use (default: the current context)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -s n -l namespace -d 'Namespace to read; repeatable (default: the context\'s namespace). The Gateway\'s namespace and the routes\' namespaces both count' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l request-timeout -d 'Deadline of each API request, e.g. `30s`; `0` waits forever' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l timeout -d 'How long --wait waits, e.g. `5m`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l interval -d 'Time between two reads with --wait, e.g. `2s`' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -s A -l all-namespaces -d 'Read every namespace'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -l wait -d 'Poll until everything is ready (exit 0) or --timeout passes (exit 1)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand __kube-names" -s h -l help -d 'Print help'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "print" -d 'Translate Ingresses to Gateway API and print the result'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "scan" -d 'Migration readiness report: annotations, risks, shared hosts, blockers'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "diff" -d 'Compare the generated Gateway API objects with files or the live cluster'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "annotations" -d 'List every ingress-nginx annotation and how ing2gw handles it'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "verify" -d 'Compare, request by request, Ingress-NGINX with the Gateway API translation'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "validate" -d 'Check Gateway API manifests against the CRDs\' schema and CEL rules, offline'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "status" -d 'After applying the output: are the generated objects accepted and programmed?'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "completions" -d 'Generate shell completion scripts'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "__kube-names" -d 'Kubeconfig context or namespace names, one a line (used by the completion scripts for --context and --namespace)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print scan diff annotations verify validate status completions __kube-names help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# --context and --namespace: names from the kubeconfig (ing2gw __kube-names).
complete -c ing2gw -l context -x -a '(ing2gw __kube-names contexts 2>/dev/null)'
complete -c ing2gw -s n -l namespace -x -a '(ing2gw __kube-names namespaces 2>/dev/null)'
