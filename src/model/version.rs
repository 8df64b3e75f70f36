//! Choosing the framework release to mirror from `frameworkVersion`.

use nodejs_semver::{Range, Version};

use super::Framework;

/// How the target release was chosen, for `--verbose` and machine output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub framework: Framework,
    /// Why this release: "from --framework", "frameworkVersion '3'", "default".
    pub reason: String,
    /// A note for the user, e.g. that v4 is mirrored with v3 behaviour.
    pub note: Option<String>,
}

/// Errors reading `frameworkVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeError {
    /// Not an npm semver range.
    Invalid(String),
    /// A valid range that allows none of the mirrored releases.
    NoRelease(String),
}

fn allows_major(range: &Range, major: u64) -> bool {
    Range::parse(format!(">={major}.0.0 <{}.0.0", major + 1)).is_ok_and(|m| range.allows_any(&m))
}

/// The highest major that `range` allows, mapped to the release a user of that
/// range installs today. A range that allows 4 gets v3 behaviour (v4 is a
/// downloaded binary that cannot be checked here) and a note says so.
pub fn target_for_range(range_text: &str) -> Result<Target, RangeError> {
    let range =
        Range::parse(range_text.trim()).map_err(|_| RangeError::Invalid(range_text.to_owned()))?;
    let reason = format!("frameworkVersion '{range_text}'");
    if (4..=9).any(|m| allows_major(&range, m)) {
        let only_4_plus = ![1, 2, 3].iter().any(|&m| allows_major(&range, m));
        let note = if only_4_plus {
            format!(
                "frameworkVersion '{range_text}' selects Serverless Framework v4, which cannot be run offline; \
                 mirroring 3.40.0, whose http-event output v4 keeps"
            )
        } else {
            format!(
                "frameworkVersion '{range_text}' also allows Serverless Framework v4; mirroring 3.40.0, \
                 whose http-event output v4 keeps"
            )
        };
        return Ok(Target {
            framework: Framework::V3,
            reason,
            note: Some(note),
        });
    }
    let framework = [(3, Framework::V3), (2, Framework::V2), (1, Framework::V1)]
        .into_iter()
        .find(|(m, _)| allows_major(&range, *m))
        .map(|(_, f)| f)
        .ok_or_else(|| RangeError::NoRelease(range_text.to_owned()))?;
    Ok(Target {
        framework,
        reason,
        note: None,
    })
}

/// Does the mirrored release itself satisfy `frameworkVersion`? The framework
/// refuses to run otherwise.
pub fn release_satisfies(framework: Framework, range_text: &str) -> bool {
    let version = match framework {
        Framework::V1 => "1.83.3",
        Framework::V2 => "2.72.4",
        Framework::V3 => "3.40.0",
        Framework::Osls => "3.40.0",
    };
    match (Range::parse(range_text.trim()), Version::parse(version)) {
        (Ok(r), Ok(v)) => r.satisfies(&v),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(r: &str) -> Framework {
        match target_for_range(r) {
            Ok(t) => t.framework,
            Err(e) => panic!("{r}: {e:?}"),
        }
    }

    #[test]
    fn highest_major_wins() {
        assert_eq!(pick(">=1.28.0 <2.0.0"), Framework::V1);
        assert_eq!(pick("3"), Framework::V3);
        assert_eq!(pick("^2.0.0"), Framework::V2);
        assert_eq!(pick(">=1.6.0 <2.1.0"), Framework::V2);
        assert_eq!(pick(">=1.0.0"), Framework::V3);
        assert_eq!(pick("*"), Framework::V3);
        assert_eq!(pick("^4.4.0"), Framework::V3);
    }

    #[test]
    fn v4_ranges_carry_a_note() {
        assert!(target_for_range(">=1.0.0").is_ok_and(|t| t.note.is_some()));
        assert!(target_for_range("3").is_ok_and(|t| t.note.is_none()));
    }

    #[test]
    fn bad_ranges_are_reported() {
        assert!(matches!(
            target_for_range("banana"),
            Err(RangeError::Invalid(_))
        ));
    }

    #[test]
    fn the_framework_checks_its_own_version() {
        assert!(!release_satisfies(Framework::V3, ">=1.28.0 <2.0.0"));
        assert!(release_satisfies(Framework::V1, ">=1.28.0 <2.0.0"));
    }
}
