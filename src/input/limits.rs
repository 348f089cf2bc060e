//! How much input a run reads: a limit per file and per run, so that a manifest
//! folder changed by a pull request cannot make ing2gw exhaust the memory of the
//! machine that runs it (a link to `/dev/zero`, a generated 10 GB file).
//!
//! The defaults are far above real inputs: `kubectl get ingress,svc -A -o yaml` of
//! a cluster with ten thousand Ingresses is 10–30 MB. Translated, Ingress-dense
//! YAML takes about 30 times its size in memory (measured: 26 MB holding 80 000
//! Ingresses peaks at 770 MB resident), so a 64 MiB file of Ingresses peaks near
//! 2 GB, and the 256 MiB per-run limit keeps a run within a few GB for mixed input
//! (about 8 GB at worst). Both can be raised by flag.

use std::fmt;

/// Default largest file (or stdin): 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * MIB;
/// Default largest total input of one run: 256 MiB.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 256 * MIB;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Size limits of one run, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest file (or stdin) read.
    pub max_file_size: ByteSize,
    /// Largest sum of the sizes of all files read.
    pub max_input_size: ByteSize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_size: ByteSize(DEFAULT_MAX_FILE_SIZE),
            max_input_size: ByteSize(DEFAULT_MAX_INPUT_SIZE),
        }
    }
}

/// A number of bytes, written and parsed like a Kubernetes quantity
/// (`64Mi`, `1G`, `500k`, `1048576`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

impl ByteSize {
    pub fn bytes(self) -> u64 {
        self.0
    }
}

impl fmt::Display for ByteSize {
    /// The largest binary unit that divides the size exactly (`64Mi`, `1536Ki`, `10`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        for (unit, suffix) in [(GIB, "Gi"), (MIB, "Mi"), (KIB, "Ki")] {
            if n >= unit && n.is_multiple_of(unit) {
                return write!(f, "{}{suffix}", n / unit);
            }
        }
        write!(f, "{n}")
    }
}

/// A whole number and the unit written right after it (`64Mi` → 64, `Mi`), for
/// sizes and durations given on the command line.
pub(crate) fn number_and_unit(s: &str) -> Option<(u64, &str)> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    Some((number.parse().ok()?, unit))
}

impl std::str::FromStr for ByteSize {
    type Err = String;

    /// A positive whole number with an optional suffix: `k`/`K`, `M`, `G`, `T`
    /// (powers of 1000) or `Ki`, `Mi`, `Gi`, `Ti` (powers of 1024).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (n, suffix) = number_and_unit(s)
            .ok_or_else(|| format!("expected a size such as 64Mi or 1G, got `{s}`"))?;
        let unit: u64 = match suffix {
            "" => 1,
            "k" | "K" => 1_000,
            "M" => 1_000_000,
            "G" => 1_000_000_000,
            "T" => 1_000_000_000_000,
            "Ki" => KIB,
            "Mi" => MIB,
            "Gi" => GIB,
            "Ti" => 1024 * GIB,
            _ => {
                return Err(format!(
                    "unknown size suffix in `{s}` (use k, M, G, T, Ki, Mi, Gi or Ti)"
                ));
            }
        };
        match n.checked_mul(unit) {
            Some(0) => Err(format!("size `{s}` must be greater than zero")),
            Some(bytes) => Ok(ByteSize(bytes)),
            None => Err(format!("size `{s}` is too large")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_kubernetes_quantities() {
        let parse = |s: &str| s.parse::<ByteSize>().map(ByteSize::bytes);
        assert_eq!(parse("64Mi"), Ok(64 * 1024 * 1024));
        assert_eq!(parse("1G"), Ok(1_000_000_000));
        assert_eq!(parse("500k"), Ok(500_000));
        assert_eq!(parse("2Ki"), Ok(2048));
        assert_eq!(parse("1048576"), Ok(1_048_576));
        assert_eq!(parse(" 3Gi "), Ok(3 * 1024 * 1024 * 1024));
        assert!(parse("0").is_err());
        assert!(parse("Mi").is_err());
        assert!(parse("1.5Gi").is_err());
        assert!(parse("64MB").is_err());
        assert!(parse("-1").is_err());
        assert!(parse("99999999999Ti").is_err());
    }

    #[test]
    fn sizes_display_in_the_largest_exact_unit() {
        assert_eq!(ByteSize(DEFAULT_MAX_FILE_SIZE).to_string(), "64Mi");
        assert_eq!(ByteSize(DEFAULT_MAX_INPUT_SIZE).to_string(), "256Mi");
        assert_eq!(ByteSize(1536 * 1024).to_string(), "1536Ki");
        assert_eq!(ByteSize(1000).to_string(), "1000");
        assert_eq!(ByteSize(2 * GIB).to_string(), "2Gi");
    }
}
