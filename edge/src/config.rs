//! The Worker's configuration, from `wrangler.toml` `[vars]` and secrets, validated as a whole with errors that name
//! the variable and the field.

use latchkey_shared::{Policy, PolicyError};

#[derive(Debug, Clone)]
pub struct Config {
    pub policy: Policy,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("variable `{0}` is not set")]
    Missing(&'static str),
    #[error("variable `POLICY`: {0}")]
    Policy(#[from] PolicyError),
}

impl Config {
    /// Builds the configuration from a variable lookup (the Worker's `Env` in production, a map in tests).
    pub fn parse(var: impl Fn(&'static str) -> Option<String>) -> Result<Config, ConfigError> {
        let policy = var("POLICY").ok_or(ConfigError::Missing("POLICY"))?;
        Ok(Config { policy: Policy::from_config(&policy)? })
    }

    pub fn from_env(env: &worker::Env) -> Result<Config, ConfigError> {
        Config::parse(|name| env.var(name).ok().map(|v| v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_required_and_validated() {
        assert!(matches!(Config::parse(|_| None), Err(ConfigError::Missing("POLICY"))));
        assert_eq!(Config::parse(|_| Some("nist-800-63b".into())).unwrap().policy.name, "nist-800-63b");
        let err = Config::parse(|_| Some(r#"{"rules": {"min_length": 0}}"#.into())).unwrap_err();
        assert!(err.to_string().starts_with("variable `POLICY`"), "{err}");
    }
}
