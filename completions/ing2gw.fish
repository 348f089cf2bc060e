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
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "completions" -d 'Generate shell completion scripts'
complete -c ing2gw -n "__fish_ing2gw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s f -l filename -d 'Manifest file or folder (recursive: *.yaml, *.yml, *.json); repeatable and comma-separated; `-` reads stdin' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l ingress-class -d 'The ingress class ingress-nginx serves (its --ingress-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l controller-class -d 'IngressClass spec.controller value of ingress-nginx (its --controller-class)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-name -d 'Name of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-namespace -d 'Namespace of the generated Gateway' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-class -d 'gatewayClassName of the generated Gateway (default: the ingress class name)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l nginx-configmap -d 'The ingress-nginx controller ConfigMap, as NAMESPACE/NAME (its keys are annotation defaults)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l default-ssl-certificate -d 'The controller\'s default certificate Secret, as NAMESPACE/NAME (its --default-ssl-certificate): used for TLS hosts without a secretName' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l annotations-prefix -d 'Annotation prefix of the controller (its --annotations-prefix)' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l channel -d 'Gateway API channel the output may use' -r -f -a "standard\t'Standard channel only (Gateway API v1.5)'
experimental\t'Also experimental fields (retry, sessionPersistence, ExternalAuth filter)'"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l quirks -d 'ingress-nginx quirks to preserve: `all` (default), `none`, or a comma-separated list of regex-case-insensitive, regex-prefix, host-wide-regex, trailing-slash-redirect, ssl-redirect-strip-slash' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l controller-version -d 'ingress-nginx controller version whose behaviour is modelled' -r
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l report -d 'Also write all notifications as JSON to this file' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l fail-on -d 'Exit 1 when a notification at or above this severity exists' -r -f -a "error\t''
warning\t''
never\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s o -l output -d 'Output format on stdout' -r -f -a "yaml\t''
json\t''"
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l output-dir -d 'Write one file per object (DIR/<namespace>/<kind>-<name>.yaml) and a kustomization.yaml instead of stdout' -r -F
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l watch-ingress-without-class -d 'Also translate Ingresses without any class (ingress-nginx --watch-ingress-without-class)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l ingress-class-by-name -d 'Accept an IngressClass by name equal to --ingress-class (ingress-nginx --ingress-class-by-name)'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l gateway-per-namespace -d 'One Gateway in each Ingress namespace (ingress2gateway\'s layout) instead of one shared Gateway'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -l allow-insecure-translation -d 'Emit routes whose access control cannot be expressed in their open (unprotected) form'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s q -l quiet -d 'Print only warnings and errors on stderr'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand print" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print completions help" -f -a "print" -d 'Translate Ingresses to Gateway API and print the result'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print completions help" -f -a "completions" -d 'Generate shell completion scripts'
complete -c ing2gw -n "__fish_ing2gw_using_subcommand help; and not __fish_seen_subcommand_from print completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
