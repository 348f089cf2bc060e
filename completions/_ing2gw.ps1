
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ing2gw' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ing2gw'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ing2gw' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Translate Ingresses to Gateway API and print the result')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Migration readiness report: annotations, risks, shared hosts, blockers')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare the generated Gateway API objects with files or the live cluster')
            [CompletionResult]::new('annotations', 'annotations', [CompletionResultType]::ParameterValue, 'List every ingress-nginx annotation and how ing2gw handles it')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare, request by request, Ingress-NGINX with the Gateway API translation')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check Gateway API manifests against the CRDs'' schema and CEL rules, offline')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'After applying the output: are the generated objects accepted and programmed?')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Generate shell completion scripts')
            [CompletionResult]::new('__kube-names', '__kube-names', [CompletionResultType]::ParameterValue, 'Kubeconfig context or namespace names, one a line (used by the completion scripts for --context and --namespace)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ing2gw;print' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'The ingress class ingress-nginx serves (its --ingress-class)')
            [CompletionResult]::new('--controller-class', '--controller-class', [CompletionResultType]::ParameterName, 'IngressClass spec.controller value of ingress-nginx (its --controller-class)')
            [CompletionResult]::new('--gateway-name', '--gateway-name', [CompletionResultType]::ParameterName, 'Name of the generated Gateway (default: the ingress class name)')
            [CompletionResult]::new('--gateway-namespace', '--gateway-namespace', [CompletionResultType]::ParameterName, 'Namespace of the generated Gateway')
            [CompletionResult]::new('--gateway-class', '--gateway-class', [CompletionResultType]::ParameterName, 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`')
            [CompletionResult]::new('--nginx-configmap', '--nginx-configmap', [CompletionResultType]::ParameterName, 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)')
            [CompletionResult]::new('--default-ssl-certificate', '--default-ssl-certificate', [CompletionResultType]::ParameterName, 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName')
            [CompletionResult]::new('--annotations-prefix', '--annotations-prefix', [CompletionResultType]::ParameterName, 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`')
            [CompletionResult]::new('--quirks', '--quirks', [CompletionResultType]::ParameterName, 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash')
            [CompletionResult]::new('--controller-version', '--controller-version', [CompletionResultType]::ParameterName, 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`')
            [CompletionResult]::new('--host-map', '--host-map', [CompletionResultType]::ParameterName, 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md')
            [CompletionResult]::new('--regex-dialect', '--regex-dialect', [CompletionResultType]::ParameterName, 'Syntax of the emitted regular expressions: `re2` (Envoy''s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write all notifications as JSON (or SARIF, --report-format) to this file')
            [CompletionResult]::new('--report-format', '--report-format', [CompletionResultType]::ParameterName, 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif')
            [CompletionResult]::new('--sarif', '--sarif', [CompletionResultType]::ParameterName, 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif')
            [CompletionResult]::new('--sarif-root', '--sarif-root', [CompletionResultType]::ParameterName, 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a notification at or above this severity exists')
            [CompletionResult]::new('--accept', '--accept', [CompletionResultType]::ParameterName, 'Accept a known finding: CODE, CODE:NAMESPACE/NAME (an Ingress) or CODE:KIND/NAMESPACE/NAME; repeatable. Accepted notifications are counted in the summary and kept in --report ("accepted": true) but do not count for --fail-on. Example: --accept catch-all-healthz --accept ssl-redirect-trailing-slash:shop/web')
            [CompletionResult]::new('--accept-file', '--accept-file', [CompletionResultType]::ParameterName, 'Accept file (YAML, `version: 1`, entries with code, optional object and reason; see docs/commands/print.md). Default: .ing2gw-accept.yaml in the current directory, when present. Example: --accept-file ci/accept.yaml')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout. Not with --output-dir, which always writes YAML files (a kustomization): the combination is a usage error (exit 2)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout. Not with --output-dir, which always writes YAML files (a kustomization): the combination is a usage error (exit 2)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout')
            [CompletionResult]::new('--merge-gateway', '--merge-gateway', [CompletionResultType]::ParameterName, 'With a partial selection, merge the selection''s listeners into the live Gateway read from the cluster (`cluster`) and emit it whole, instead of withholding the Gateway. Example: `ing2gw print -n shop --merge-gateway cluster`')
            [CompletionResult]::new('--shard-ingresses', '--shard-ingresses', [CompletionResultType]::ParameterName, 'Ingresses per shard when the run is translated shard by shard (large estates, YAML on stdout; the output is the same): 0 translates the whole input at once. For tests and benchmarks (docs/performance.md)')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--watch-ingress-without-class', '--watch-ingress-without-class', [CompletionResultType]::ParameterName, 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)')
            [CompletionResult]::new('--ingress-class-by-name', '--ingress-class-by-name', [CompletionResultType]::ParameterName, 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)')
            [CompletionResult]::new('--gateway-per-namespace', '--gateway-per-namespace', [CompletionResultType]::ParameterName, 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway')
            [CompletionResult]::new('--allow-insecure-translation', '--allow-insecure-translation', [CompletionResultType]::ParameterName, 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md')
            [CompletionResult]::new('--allow-cross-namespace-grants', '--allow-cross-namespace-grants', [CompletionResultType]::ParameterName, 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only warnings and errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only warnings and errors on stderr')
            [CompletionResult]::new('--routes-only', '--routes-only', [CompletionResultType]::ParameterName, 'Emit the routes (and their policies) only, never the shared Gateway, ListenerSets or ReferenceGrants; a notification lists the listeners to merge. A partial selection (-n, -l, --host) that does not own the shared objects gets this output anyway. Example: `ing2gw print -n shop --routes-only`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;scan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'The ingress class ingress-nginx serves (its --ingress-class)')
            [CompletionResult]::new('--controller-class', '--controller-class', [CompletionResultType]::ParameterName, 'IngressClass spec.controller value of ingress-nginx (its --controller-class)')
            [CompletionResult]::new('--gateway-name', '--gateway-name', [CompletionResultType]::ParameterName, 'Name of the generated Gateway (default: the ingress class name)')
            [CompletionResult]::new('--gateway-namespace', '--gateway-namespace', [CompletionResultType]::ParameterName, 'Namespace of the generated Gateway')
            [CompletionResult]::new('--gateway-class', '--gateway-class', [CompletionResultType]::ParameterName, 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`')
            [CompletionResult]::new('--nginx-configmap', '--nginx-configmap', [CompletionResultType]::ParameterName, 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)')
            [CompletionResult]::new('--default-ssl-certificate', '--default-ssl-certificate', [CompletionResultType]::ParameterName, 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName')
            [CompletionResult]::new('--annotations-prefix', '--annotations-prefix', [CompletionResultType]::ParameterName, 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`')
            [CompletionResult]::new('--quirks', '--quirks', [CompletionResultType]::ParameterName, 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash')
            [CompletionResult]::new('--controller-version', '--controller-version', [CompletionResultType]::ParameterName, 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`')
            [CompletionResult]::new('--host-map', '--host-map', [CompletionResultType]::ParameterName, 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md')
            [CompletionResult]::new('--regex-dialect', '--regex-dialect', [CompletionResultType]::ParameterName, 'Syntax of the emitted regular expressions: `re2` (Envoy''s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Report format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Report format on stdout')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a served Ingress is at or above this verdict (the report is still written)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'An earlier `scan -o json`: --fail-on counts only problems it does not list (by namespace, Ingress name and code)')
            [CompletionResult]::new('--accept', '--accept', [CompletionResultType]::ParameterName, 'Accept a known finding (as for print): CODE, CODE:NAMESPACE/NAME or CODE:KIND/NAMESPACE/NAME; repeatable. An accepted notification does not raise an Ingress''s verdict. Example: --accept cors:shop/web')
            [CompletionResult]::new('--accept-file', '--accept-file', [CompletionResultType]::ParameterName, 'Accept file (as for print). Default: .ing2gw-accept.yaml in the current directory, when present')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--watch-ingress-without-class', '--watch-ingress-without-class', [CompletionResultType]::ParameterName, 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)')
            [CompletionResult]::new('--ingress-class-by-name', '--ingress-class-by-name', [CompletionResultType]::ParameterName, 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)')
            [CompletionResult]::new('--gateway-per-namespace', '--gateway-per-namespace', [CompletionResultType]::ParameterName, 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway')
            [CompletionResult]::new('--allow-insecure-translation', '--allow-insecure-translation', [CompletionResultType]::ParameterName, 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md')
            [CompletionResult]::new('--allow-cross-namespace-grants', '--allow-cross-namespace-grants', [CompletionResultType]::ParameterName, 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'The ingress class ingress-nginx serves (its --ingress-class)')
            [CompletionResult]::new('--controller-class', '--controller-class', [CompletionResultType]::ParameterName, 'IngressClass spec.controller value of ingress-nginx (its --controller-class)')
            [CompletionResult]::new('--gateway-name', '--gateway-name', [CompletionResultType]::ParameterName, 'Name of the generated Gateway (default: the ingress class name)')
            [CompletionResult]::new('--gateway-namespace', '--gateway-namespace', [CompletionResultType]::ParameterName, 'Namespace of the generated Gateway')
            [CompletionResult]::new('--gateway-class', '--gateway-class', [CompletionResultType]::ParameterName, 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`')
            [CompletionResult]::new('--nginx-configmap', '--nginx-configmap', [CompletionResultType]::ParameterName, 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)')
            [CompletionResult]::new('--default-ssl-certificate', '--default-ssl-certificate', [CompletionResultType]::ParameterName, 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName')
            [CompletionResult]::new('--annotations-prefix', '--annotations-prefix', [CompletionResultType]::ParameterName, 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`')
            [CompletionResult]::new('--quirks', '--quirks', [CompletionResultType]::ParameterName, 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash')
            [CompletionResult]::new('--controller-version', '--controller-version', [CompletionResultType]::ParameterName, 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`')
            [CompletionResult]::new('--host-map', '--host-map', [CompletionResultType]::ParameterName, 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md')
            [CompletionResult]::new('--regex-dialect', '--regex-dialect', [CompletionResultType]::ParameterName, 'Syntax of the emitted regular expressions: `re2` (Envoy''s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'What to compare with: a manifest file or folder (e.g. the output committed last time), or `cluster` for the live Gateway API objects (reached with --kubeconfig/--context, also when the input comes from -f)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour the diff')
            [CompletionResult]::new('--ignore-annotation', '--ignore-annotation', [CompletionResultType]::ParameterName, 'Label and annotation key prefix never compared (besides the built-in GitOps list), e.g. `team.example.com/`; repeatable')
            [CompletionResult]::new('--ignore-field', '--ignore-field', [CompletionResultType]::ParameterName, 'Field never compared: a dotted path from the object''s root, `*` for any key or list item, `[key]` for a key with dots, e.g. `spec.infrastructure`, `metadata.labels[team.example.com/owner]`; repeatable')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--watch-ingress-without-class', '--watch-ingress-without-class', [CompletionResultType]::ParameterName, 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)')
            [CompletionResult]::new('--ingress-class-by-name', '--ingress-class-by-name', [CompletionResultType]::ParameterName, 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)')
            [CompletionResult]::new('--gateway-per-namespace', '--gateway-per-namespace', [CompletionResultType]::ParameterName, 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway')
            [CompletionResult]::new('--allow-insecure-translation', '--allow-insecure-translation', [CompletionResultType]::ParameterName, 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md')
            [CompletionResult]::new('--allow-cross-namespace-grants', '--allow-cross-namespace-grants', [CompletionResultType]::ParameterName, 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Do not print the translation notifications on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not print the translation notifications on stderr')
            [CompletionResult]::new('--include-unmanaged', '--include-unmanaged', [CompletionResultType]::ParameterName, 'With --against DIR: also compare the objects ing2gw does not manage there (no generator annotation, not generated now, not in the folder''s .ing2gw-manifest or kustomization.yaml)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;annotations' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'Show what this implementation target expresses per annotation (NAME[@VERSION]: standard, envoy-gateway, istio) instead of the catalog. Example: `--implementation envoy-gateway`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ing2gw;verify' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). With -f, selects the Ingresses of these namespaces (the files are their context)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the Ingresses, e.g. `app=web,tier!=internal` (also with -f)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Select the Ingresses with a rule for this host; repeatable. Ingresses of other hosts are left out; those sharing the host are translated as context. Example: `ing2gw print -A --host shop.example.com`')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'The ingress-nginx controller workload that serves these Ingresses, as NAMESPACE/NAME (a Deployment or DaemonSet): its flags give the class, ConfigMap, annotation prefix and version. Default: discovered. Example: `--controller ingress-nginx/ingress-nginx-controller`')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'The ingress class ingress-nginx serves (its --ingress-class)')
            [CompletionResult]::new('--controller-class', '--controller-class', [CompletionResultType]::ParameterName, 'IngressClass spec.controller value of ingress-nginx (its --controller-class)')
            [CompletionResult]::new('--gateway-name', '--gateway-name', [CompletionResultType]::ParameterName, 'Name of the generated Gateway (default: the ingress class name)')
            [CompletionResult]::new('--gateway-namespace', '--gateway-namespace', [CompletionResultType]::ParameterName, 'Namespace of the generated Gateway')
            [CompletionResult]::new('--gateway-class', '--gateway-class', [CompletionResultType]::ParameterName, 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`')
            [CompletionResult]::new('--nginx-configmap', '--nginx-configmap', [CompletionResultType]::ParameterName, 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)')
            [CompletionResult]::new('--default-ssl-certificate', '--default-ssl-certificate', [CompletionResultType]::ParameterName, 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName')
            [CompletionResult]::new('--annotations-prefix', '--annotations-prefix', [CompletionResultType]::ParameterName, 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`')
            [CompletionResult]::new('--quirks', '--quirks', [CompletionResultType]::ParameterName, 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash')
            [CompletionResult]::new('--controller-version', '--controller-version', [CompletionResultType]::ParameterName, 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`')
            [CompletionResult]::new('--host-map', '--host-map', [CompletionResultType]::ParameterName, 'Serve the translation under other hostnames (a parallel test domain), as FROM=TO; repeatable. Exact (`shop.example.com=shop.canary.example.com`) or suffix (`*.example.com=*.canary.example.com`) form. Applied after translation: listeners, routes and redirects get the new names; `verify` still models the original hosts and shows both. See docs/cutover.md')
            [CompletionResult]::new('--regex-dialect', '--regex-dialect', [CompletionResultType]::ParameterName, 'Syntax of the emitted regular expressions: `re2` (Envoy''s engine, with `(?i)` case folding) or `portable` (the POSIX-ERE subset of GEP-4359: case folding spelled as `[Aa][Pp][Ii]`, no inline flags, no `\d`). Example: `ing2gw print -f ingresses/ --regex-dialect portable`')
            [CompletionResult]::new('--gateway-api', '--gateway-api', [CompletionResultType]::ParameterName, 'Gateway API manifests to verify instead of ing2gw''s own translation (file or folder; repeatable and comma-separated), e.g. your edited `ing2gw print` output')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'Maximum number of probe requests')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the full result (every probe that is not identical) as JSON to this file; with --report-format sarif, the notifications and unexplained divergences as SARIF instead')
            [CompletionResult]::new('--report-format', '--report-format', [CompletionResultType]::ParameterName, 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif')
            [CompletionResult]::new('--sarif', '--sarif', [CompletionResultType]::ParameterName, 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif')
            [CompletionResult]::new('--sarif-root', '--sarif-root', [CompletionResultType]::ParameterName, 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Verify as if this Ingress were left out (repeatable), e.g. `--exclude shop/legacy` when ingress-nginx would reject the whole configuration because of it')
            [CompletionResult]::new('--nginx-address', '--nginx-address', [CompletionResultType]::ParameterName, 'ingress-nginx''s address: IP[:HTTP_PORT[,HTTPS_PORT]] (default ports 80, 443), e.g. `127.0.0.1:8080,8443`; never a host name')
            [CompletionResult]::new('--gateway-address', '--gateway-address', [CompletionResultType]::ParameterName, 'The Gateway''s address, same form; with --emit-probes, the script''s default address')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once, over both endpoints')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Requests started per second, over both endpoints (`0`: no limit)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request (connect, TLS, response), e.g. `5s`, `500ms`')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Verify server certificates against the CA certificates in this PEM file instead of the system''s')
            [CompletionResult]::new('--emit-probes', '--emit-probes', [CompletionResultType]::ParameterName, 'Write the probes as a smoke test (no network): `.sh` (POSIX shell + curl) or `.hurl`, with the status and Location expected from the Gateway, e.g. `--emit-probes smoke.sh` then `sh smoke.sh 203.0.113.8`')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read Ingresses in every namespace')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every API request on stderr (method, URL, status, duration), like kubectl -v=6')
            [CompletionResult]::new('--watch-ingress-without-class', '--watch-ingress-without-class', [CompletionResultType]::ParameterName, 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)')
            [CompletionResult]::new('--ingress-class-by-name', '--ingress-class-by-name', [CompletionResultType]::ParameterName, 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)')
            [CompletionResult]::new('--gateway-per-namespace', '--gateway-per-namespace', [CompletionResultType]::ParameterName, 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway')
            [CompletionResult]::new('--allow-insecure-translation', '--allow-insecure-translation', [CompletionResultType]::ParameterName, 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md')
            [CompletionResult]::new('--allow-cross-namespace-grants', '--allow-cross-namespace-grants', [CompletionResultType]::ParameterName, 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`')
            [CompletionResult]::new('--allow-uncompared', '--allow-uncompared', [CompletionResultType]::ParameterName, 'Exit 0 even when nothing, or nothing for some host, could be compared (every probe "not modelled"), e.g. `ing2gw verify -f k8s/ --allow-uncompared`')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Send the probes to a running ingress-nginx and a running Gateway and compare their answers (status, Location, CORS/HSTS/modelled headers), e.g. `--live --nginx-address 203.0.113.7 --gateway-address 203.0.113.8`')
            [CompletionResult]::new('--compare-body', '--compare-body', [CompletionResultType]::ParameterName, 'Also compare a SHA-256 digest of each response body')
            [CompletionResult]::new('--insecure-skip-verify', '--insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (self-signed test domains)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;validate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster''s Gateway API objects are read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster''s Gateway API objects are read')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file (or stdin) read, e.g. `256Mi`')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'Largest total input of a run, e.g. `2Gi`')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'Gateway API release whose rules apply (default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on). Example: `--gateway-api-version 1.4`')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Gateway API channel whose CRDs apply (default: the cluster''s CRDs when reading a cluster, else standard). Example: `--channel experimental`')
            [CompletionResult]::new('--implementation', '--implementation', [CompletionResultType]::ParameterName, 'The Gateway API implementation, as NAME[@VERSION] (`standard`, `envoy-gateway`, `istio`): its version chooses the default --gateway-api-version. Envoy Gateway''s policies are always checked against its CRDs')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the notifications as JSON (or SARIF, --report-format) to this file')
            [CompletionResult]::new('--report-format', '--report-format', [CompletionResultType]::ParameterName, 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif')
            [CompletionResult]::new('--sarif', '--sarif', [CompletionResultType]::ParameterName, 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif')
            [CompletionResult]::new('--sarif-root', '--sarif-root', [CompletionResultType]::ParameterName, 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root ')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`; `0` waits forever')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks found in -f folders (skipped with a warning by default)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only warnings and errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only warnings and errors on stderr')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;status' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). The Gateway''s namespace and the routes'' namespaces both count')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace to read; repeatable (default: the context''s namespace). The Gateway''s namespace and the routes'' namespaces both count')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline of each API request, e.g. `30s`; `0` waits forever')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, e.g. `5m`')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between two reads with --wait, e.g. `2s`')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Poll until everything is ready (exit 0) or --timeout passes (exit 1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ing2gw;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ing2gw;__kube-names' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ing2gw;help' {
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Translate Ingresses to Gateway API and print the result')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Migration readiness report: annotations, risks, shared hosts, blockers')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare the generated Gateway API objects with files or the live cluster')
            [CompletionResult]::new('annotations', 'annotations', [CompletionResultType]::ParameterValue, 'List every ingress-nginx annotation and how ing2gw handles it')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare, request by request, Ingress-NGINX with the Gateway API translation')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check Gateway API manifests against the CRDs'' schema and CEL rules, offline')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'After applying the output: are the generated objects accepted and programmed?')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Generate shell completion scripts')
            [CompletionResult]::new('__kube-names', '__kube-names', [CompletionResultType]::ParameterValue, 'Kubeconfig context or namespace names, one a line (used by the completion scripts for --context and --namespace)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ing2gw;help;print' {
            break
        }
        'ing2gw;help;scan' {
            break
        }
        'ing2gw;help;diff' {
            break
        }
        'ing2gw;help;annotations' {
            break
        }
        'ing2gw;help;verify' {
            break
        }
        'ing2gw;help;validate' {
            break
        }
        'ing2gw;help;status' {
            break
        }
        'ing2gw;help;completions' {
            break
        }
        'ing2gw;help;__kube-names' {
            break
        }
        'ing2gw;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
