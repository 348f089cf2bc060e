
use builtin;
use str;

set edit:completion:arg-completer[ing2gw] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ing2gw'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ing2gw'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand print 'Translate Ingresses to Gateway API and print the result'
            cand scan 'Migration readiness report: annotations, risks, shared hosts, blockers'
            cand diff 'Compare the generated Gateway API objects with files or the live cluster'
            cand annotations 'List every ingress-nginx annotation and how ing2gw handles it'
            cand verify 'Compare, request by request, Ingress-NGINX with the Gateway API translation'
            cand completions 'Generate shell completion scripts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ing2gw;print'= {
            cand -f 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --filename 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --max-file-size 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated'
            cand --max-input-size 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)'
            cand --kubeconfig 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'
            cand --context 'Kubeconfig context to use (default: the current context)'
            cand -n 'Namespace to read; repeatable (default: the context''s namespace)'
            cand --namespace 'Namespace to read; repeatable (default: the context''s namespace)'
            cand -l 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --selector 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --request-timeout 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever'
            cand --ingress-class 'The ingress class ingress-nginx serves (its --ingress-class)'
            cand --controller-class 'IngressClass spec.controller value of ingress-nginx (its --controller-class)'
            cand --gateway-name 'Name of the generated Gateway (default: the ingress class name)'
            cand --gateway-namespace 'Namespace of the generated Gateway'
            cand --gateway-class 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`'
            cand --nginx-configmap 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)'
            cand --default-ssl-certificate 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName'
            cand --annotations-prefix 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com'
            cand --channel 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`'
            cand --gateway-api-version 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`'
            cand --quirks 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash'
            cand --controller-version 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources'
            cand --implementation 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`'
            cand --report 'Also write all notifications as JSON (or SARIF, --report-format) to this file'
            cand --report-format 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif'
            cand --sarif 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif'
            cand --sarif-root 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root '
            cand --fail-on 'Exit 1 when a notification at or above this severity exists'
            cand --accept 'Accept a known finding: CODE, CODE:NAMESPACE/NAME (an Ingress) or CODE:KIND/NAMESPACE/NAME; repeatable. Accepted notifications are counted in the summary and kept in --report ("accepted": true) but do not count for --fail-on. Example: --accept catch-all-healthz --accept ssl-redirect-trailing-slash:shop/web'
            cand --accept-file 'Accept file (YAML, `version: 1`, entries with code, optional object and reason; see docs/commands/print.md). Default: .ing2gw-accept.yaml in the current directory, when present. Example: --accept-file ci/accept.yaml'
            cand -o 'Output format on stdout. Not with --output-dir, which always writes YAML files (a kustomization): the combination is a usage error (exit 2)'
            cand --output 'Output format on stdout. Not with --output-dir, which always writes YAML files (a kustomization): the combination is a usage error (exit 2)'
            cand --output-dir 'Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout'
            cand --follow-symlinks 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
            cand -A 'Read Ingresses in every namespace'
            cand --all-namespaces 'Read Ingresses in every namespace'
            cand --watch-ingress-without-class 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
            cand --ingress-class-by-name 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
            cand --gateway-per-namespace 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway'
            cand --allow-insecure-translation 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
            cand --allow-cross-namespace-grants 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
            cand -q 'Print only warnings and errors on stderr'
            cand --quiet 'Print only warnings and errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ing2gw;scan'= {
            cand -f 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --filename 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --max-file-size 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated'
            cand --max-input-size 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)'
            cand --kubeconfig 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'
            cand --context 'Kubeconfig context to use (default: the current context)'
            cand -n 'Namespace to read; repeatable (default: the context''s namespace)'
            cand --namespace 'Namespace to read; repeatable (default: the context''s namespace)'
            cand -l 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --selector 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --request-timeout 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever'
            cand --ingress-class 'The ingress class ingress-nginx serves (its --ingress-class)'
            cand --controller-class 'IngressClass spec.controller value of ingress-nginx (its --controller-class)'
            cand --gateway-name 'Name of the generated Gateway (default: the ingress class name)'
            cand --gateway-namespace 'Namespace of the generated Gateway'
            cand --gateway-class 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`'
            cand --nginx-configmap 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)'
            cand --default-ssl-certificate 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName'
            cand --annotations-prefix 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com'
            cand --channel 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`'
            cand --gateway-api-version 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`'
            cand --quirks 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash'
            cand --controller-version 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources'
            cand --implementation 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`'
            cand -o 'Report format on stdout'
            cand --output 'Report format on stdout'
            cand --follow-symlinks 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
            cand -A 'Read Ingresses in every namespace'
            cand --all-namespaces 'Read Ingresses in every namespace'
            cand --watch-ingress-without-class 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
            cand --ingress-class-by-name 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
            cand --gateway-per-namespace 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway'
            cand --allow-insecure-translation 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
            cand --allow-cross-namespace-grants 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ing2gw;diff'= {
            cand -f 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --filename 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --max-file-size 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated'
            cand --max-input-size 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)'
            cand --kubeconfig 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'
            cand --context 'Kubeconfig context to use (default: the current context)'
            cand -n 'Namespace to read; repeatable (default: the context''s namespace)'
            cand --namespace 'Namespace to read; repeatable (default: the context''s namespace)'
            cand -l 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --selector 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --request-timeout 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever'
            cand --ingress-class 'The ingress class ingress-nginx serves (its --ingress-class)'
            cand --controller-class 'IngressClass spec.controller value of ingress-nginx (its --controller-class)'
            cand --gateway-name 'Name of the generated Gateway (default: the ingress class name)'
            cand --gateway-namespace 'Namespace of the generated Gateway'
            cand --gateway-class 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`'
            cand --nginx-configmap 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)'
            cand --default-ssl-certificate 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName'
            cand --annotations-prefix 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com'
            cand --channel 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`'
            cand --gateway-api-version 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`'
            cand --quirks 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash'
            cand --controller-version 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources'
            cand --implementation 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`'
            cand --against 'What to compare with: a manifest file or folder (e.g. the output committed last time), or `cluster` for the live Gateway API objects (reached with --kubeconfig/--context, also when the input comes from -f)'
            cand --color 'Colour the diff'
            cand --follow-symlinks 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
            cand -A 'Read Ingresses in every namespace'
            cand --all-namespaces 'Read Ingresses in every namespace'
            cand --watch-ingress-without-class 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
            cand --ingress-class-by-name 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
            cand --gateway-per-namespace 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway'
            cand --allow-insecure-translation 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
            cand --allow-cross-namespace-grants 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
            cand -q 'Do not print the translation notifications on stderr'
            cand --quiet 'Do not print the translation notifications on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ing2gw;annotations'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --implementation 'Show what this implementation target expresses per annotation (NAME[@VERSION]: standard, envoy-gateway, istio) instead of the catalog. Example: `--implementation envoy-gateway`'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ing2gw;verify'= {
            cand -f 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --filename 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin. Without -f, the cluster is read'
            cand --max-file-size 'Largest file (or stdin) read, e.g. `256Mi`, `1G`; a larger file is an input error, the other files are still translated'
            cand --max-input-size 'Largest total input of a run, e.g. `2Gi`; files past it are not read (input error)'
            cand --kubeconfig 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'
            cand --context 'Kubeconfig context to use (default: the current context)'
            cand -n 'Namespace to read; repeatable (default: the context''s namespace)'
            cand --namespace 'Namespace to read; repeatable (default: the context''s namespace)'
            cand -l 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --selector 'Label selector for the Ingresses, e.g. `app=web,tier!=internal`'
            cand --request-timeout 'Deadline of each API request, e.g. `30s`, `2m`; `0` waits forever'
            cand --ingress-class 'The ingress class ingress-nginx serves (its --ingress-class)'
            cand --controller-class 'IngressClass spec.controller value of ingress-nginx (its --controller-class)'
            cand --gateway-name 'Name of the generated Gateway (default: the ingress class name)'
            cand --gateway-namespace 'Namespace of the generated Gateway'
            cand --gateway-class 'gatewayClassName of the generated Gateway (default: the implementation''s usual class: `eg` for envoy-gateway, `istio` for istio; `ing2gw` for standard, a class no implementation installs, so set it). Example: `--gateway-class my-class`'
            cand --nginx-configmap 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)'
            cand --default-ssl-certificate 'The controller''s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName'
            cand --annotations-prefix 'Annotation prefix of the controller (its --annotations-prefix; default nginx.ingress.kubernetes.io). Read from the cluster, it is taken from the controller Deployment''s flag unless given here. Example: --annotations-prefix custom.example.com'
            cand --channel 'Gateway API channel the output may use (default: standard; read from the cluster''s CRDs when reading a cluster). Example: `--channel experimental`'
            cand --gateway-api-version 'Gateway API release the output must fit: only kinds, apiVersions and fields of that release and channel are emitted (e.g. 1.4: ReferenceGrant v1beta1, no TLSRoute/ListenerSet on the standard channel). Default: the cluster''s CRDs when reading a cluster, else the release the --implementation version is built on. Example: `--gateway-api-version 1.4 --channel experimental`'
            cand --quirks 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash'
            cand --controller-version 'ingress-nginx controller version whose behaviour is modelled: which Ingresses it ignores (annotations-risk-level default, value validation) and the defaults of allow-snippet-annotations and allow-cross-namespace-resources'
            cand --implementation 'The Gateway API implementation the output is for, as NAME[@VERSION]: `standard` (any conformant implementation), `envoy-gateway`, `istio`. It chooses the emitted extension resources and, for `verify`, the route precedence of the rules the spec does not rank (regular expressions; `standard` counts a request as divergent when any order the spec allows routes it differently). Example: `--implementation envoy-gateway@1.6`'
            cand --gateway-api 'Gateway API manifests to verify instead of ing2gw''s own translation (file or folder; repeatable and comma-separated), e.g. your edited `ing2gw print` output'
            cand --budget 'Maximum number of probe requests'
            cand --report 'Also write the full result (every probe that is not identical) as JSON to this file; with --report-format sarif, the notifications and unexplained divergences as SARIF instead'
            cand --report-format 'Format of --report: `json` (default) or `sarif` (SARIF 2.1.0). Example: --report findings.sarif --report-format sarif'
            cand --sarif 'Also write the notifications as SARIF 2.1.0 to this file (for code scanning; with --report, both are written). Example: --sarif ing2gw.sarif'
            cand --sarif-root 'Directory SARIF file locations are relative to (default: the git top level of the first -f input, else the current directory). Files outside it get no file location. Example: --sarif-root '
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --exclude 'Verify as if this Ingress were left out (repeatable), e.g. `--exclude shop/legacy` when ingress-nginx would reject the whole configuration because of it'
            cand --follow-symlinks 'Follow symlinks found in -f folders (skipped with a warning by default); never to devices, FIFOs, sockets or /proc, /sys, /dev. A named -f symlink is always read'
            cand -A 'Read Ingresses in every namespace'
            cand --all-namespaces 'Read Ingresses in every namespace'
            cand --watch-ingress-without-class 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
            cand --ingress-class-by-name 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
            cand --gateway-per-namespace 'One Gateway in each Ingress namespace (ingress2gateway''s layout) instead of one shared Gateway'
            cand --allow-insecure-translation 'Emit routes whose access control cannot be expressed (IP lists, basic auth, rate limits, auth-url on the standard channel…) in their open (unprotected) form; without it they are emitted fail-closed (HTTP 500). See docs/security.md'
            cand --allow-cross-namespace-grants 'Emit ReferenceGrants into namespaces other than the referring Ingress''s own (auth-url Service, canary Service, mirror target or CA Secret of another namespace). Each grant names one object but lets every route of the referring namespace use it; without the flag those references are reported and the protected rules fail closed. Example: `ing2gw print -f ingresses/ --channel experimental --allow-cross-namespace-grants`'
            cand --allow-uncompared 'Exit 0 even when nothing, or nothing for some host, could be compared (every probe "not modelled"), e.g. `ing2gw verify -f k8s/ --allow-uncompared`'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ing2gw;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ing2gw;help'= {
            cand print 'Translate Ingresses to Gateway API and print the result'
            cand scan 'Migration readiness report: annotations, risks, shared hosts, blockers'
            cand diff 'Compare the generated Gateway API objects with files or the live cluster'
            cand annotations 'List every ingress-nginx annotation and how ing2gw handles it'
            cand verify 'Compare, request by request, Ingress-NGINX with the Gateway API translation'
            cand completions 'Generate shell completion scripts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ing2gw;help;print'= {
        }
        &'ing2gw;help;scan'= {
        }
        &'ing2gw;help;diff'= {
        }
        &'ing2gw;help;annotations'= {
        }
        &'ing2gw;help;verify'= {
        }
        &'ing2gw;help;completions'= {
        }
        &'ing2gw;help;help'= {
        }
    ]
    $completions[$command]
}
