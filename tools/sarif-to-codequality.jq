# ing2gw SARIF (--sarif FILE) → GitLab Code Quality report
# (artifacts:reports:codequality), e.g. in .gitlab-ci.yml:
#   jq -f tools/sarif-to-codequality.jq ing2gw.sarif > gl-code-quality-report.json
# GitLab does not read SARIF; Code Quality is the report every tier shows on
# merge requests. Kept: results with a file location and not accepted
# (--accept: code scanning's "suppressed", which Code Quality cannot express).
# Results without a file (stdin, cluster input, notifications about the whole
# run) are in the job log (stderr) and the SARIF file, not in this report.
# Severity: error → major, warning → minor, note → info.
def unpercent:
  gsub("%(?<h>[0-9A-Fa-f]{2})";
       [.h | ascii_downcase | explode[] | if . >= 97 then . - 87 else . - 48 end]
       | [.[0] * 16 + .[1]] | implode);
[ .runs[].results[]
  | select(((.suppressions // []) | length) == 0)
  | (.locations // [])[0].physicalLocation as $loc
  | select($loc.artifactLocation.uri != null)
  | {
      description: .message.text,
      check_name: .ruleId,
      fingerprint: "\(.partialFingerprints["ing2gwFinding/v1"]):\($loc.artifactLocation.uri):\($loc.region.startLine // 1)",
      severity: ({"error": "major", "warning": "minor", "note": "info"}[.level // "warning"]),
      location: {
        path: ($loc.artifactLocation.uri | unpercent),
        lines: { begin: ($loc.region.startLine // 1) }
      }
    }
]
