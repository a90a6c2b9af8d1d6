//! The policy and the estimator's verdict read from a JSON tree that something else parsed: the widget's, where the
//! browser's `JSON.parse` has already done the parsing, and `serde_json` (with serde's generated visitors) would be a
//! fifth of what a parent's phone downloads before the checklist appears.
//!
//! The serde derives on [`Policy`] and [`Verdict`] stay the definition of the formats; these readers follow them
//! (required and optional fields, `deny_unknown_fields`, the names), and the tests hold them to serde on every shape
//! they try.

use crate::chars::CharClass;
use crate::policy::{AudienceOverrides, Policy, PolicyError, Rules, RulesOverride};
use crate::strength::Verdict;

/// A node of a parsed JSON document, as much of it as reading a policy or an estimate needs. Numbers are `f64`, as
/// JavaScript's are.
pub trait JsonNode: Sized {
    /// The value of `key`, if this is an object that has it.
    fn field(&self, key: &str) -> Option<Self>;
    fn is_null(&self) -> bool;
    /// The keys, if this is an object.
    fn keys(&self) -> Option<Vec<String>>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    fn string(&self) -> Option<String>;
    /// The items, if this is an array.
    fn items(&self) -> Option<Vec<Self>>;
}

impl Policy {
    /// Reads and validates a policy from a parsed JSON tree: the same policies [`Policy::from_json`] accepts.
    pub fn read(node: &impl JsonNode) -> Result<Policy, PolicyError> {
        let policy = read_policy(node)?;
        policy.validate()?;
        Ok(policy)
    }
}

impl Verdict {
    /// Reads the estimator's answer; `None` if it is not a well-formed [`Verdict`].
    pub fn read<N: JsonNode>(node: &N) -> Option<Verdict> {
        let score = node.field("score")?.number().filter(|s| (0.0..=4.0).contains(s) && s.fract() == 0.0)?;
        Some(Verdict {
            score: score as u8,
            checking: match optional(node, "checking") {
                Some(checking) => checking.boolean()?,
                None => false,
            },
            warning: match optional(node, "warning") {
                Some(warning) => Some(warning.string()?),
                None => None,
            },
            suggestions: node.field("suggestions")?.items()?.into_iter().map(|s| s.string()).collect::<Option<_>>()?,
        })
    }
}

fn malformed(field: &str, expected: &'static str) -> PolicyError {
    PolicyError::Malformed { field: field.to_owned(), expected }
}

fn path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// An object whose keys are all in `known`.
fn object<N: JsonNode>(node: &N, at: &str, known: &[&str]) -> Result<(), PolicyError> {
    let keys = node.keys().ok_or_else(|| malformed(at, "an object"))?;
    match keys.into_iter().find(|key| !known.contains(&key.as_str())) {
        Some(unknown) => Err(PolicyError::UnknownField(path(at, &unknown))),
        None => Ok(()),
    }
}

fn whole<N: JsonNode>(node: &N, at: &str, max: f64) -> Result<f64, PolicyError> {
    node.number()
        .filter(|n| n.fract() == 0.0 && (0.0..=max).contains(n))
        .ok_or_else(|| malformed(at, "a whole number, not negative"))
}

/// An optional field's value: absent or `null` is none, as serde reads an `Option`.
fn optional<N: JsonNode>(node: &N, key: &str) -> Option<N> {
    node.field(key).filter(|value| !value.is_null())
}

fn optional_u32<N: JsonNode>(node: &N, prefix: &str, key: &str) -> Result<Option<u32>, PolicyError> {
    optional(node, key).map(|n| whole(&n, &path(prefix, key), f64::from(u32::MAX)).map(|n| n as u32)).transpose()
}

fn optional_u8<N: JsonNode>(node: &N, prefix: &str, key: &str) -> Result<Option<u8>, PolicyError> {
    optional(node, key).map(|n| whole(&n, &path(prefix, key), f64::from(u8::MAX)).map(|n| n as u8)).transpose()
}

fn optional_classes<N: JsonNode>(node: &N, prefix: &str, key: &str) -> Result<Option<Vec<CharClass>>, PolicyError> {
    let at = path(prefix, key);
    let Some(list) = optional(node, key) else { return Ok(None) };
    let items = list.items().ok_or_else(|| malformed(&at, "a list of character classes"))?;
    let classes = items.iter().map(|item| {
        let name = item.string().unwrap_or_default();
        CharClass::ALL.into_iter().find(|class| class.as_str() == name)
    });
    classes.collect::<Option<Vec<_>>>().map(Some).ok_or_else(|| malformed(&at, "lower, upper, digit or special"))
}

fn required<T>(value: Option<T>, prefix: &str, key: &str) -> Result<T, PolicyError> {
    value.ok_or_else(|| PolicyError::MissingField(path(prefix, key)))
}

fn read_policy(node: &impl JsonNode) -> Result<Policy, PolicyError> {
    object(node, "", &["name", "rules", "audiences"])?;
    let name = match node.field("name") {
        Some(name) => name.string().ok_or_else(|| malformed("name", "a string"))?,
        None => String::new(),
    };
    let rules = read_rules(&required(node.field("rules"), "", "rules")?)?;
    let audiences = match node.field("audiences") {
        Some(audiences) => {
            object(&audiences, "audiences", &["staff", "parent"])?;
            let read = |key| optional(&audiences, key).map(|o| read_override(&o, &path("audiences", key))).transpose();
            AudienceOverrides { staff: read("staff")?, parent: read("parent")? }
        }
        None => AudienceOverrides::default(),
    };
    Ok(Policy { name, rules, audiences })
}

const RULE_FIELDS: [&str; 7] = [
    "min_length",
    "min_length_two_step",
    "max_length",
    "required_classes",
    "min_score",
    "history_depth",
    "token_lifetime_secs",
];

fn read_override(node: &impl JsonNode, at: &str) -> Result<RulesOverride, PolicyError> {
    object(node, at, &RULE_FIELDS)?;
    Ok(RulesOverride {
        min_length: optional_u32(node, at, "min_length")?,
        min_length_two_step: optional_u32(node, at, "min_length_two_step")?,
        max_length: optional_u32(node, at, "max_length")?,
        required_classes: optional_classes(node, at, "required_classes")?,
        min_score: optional_u8(node, at, "min_score")?,
        history_depth: optional_u32(node, at, "history_depth")?,
        token_lifetime_secs: optional_u32(node, at, "token_lifetime_secs")?,
    })
}

fn read_rules(node: &impl JsonNode) -> Result<Rules, PolicyError> {
    let o = read_override(node, "rules")?;
    let at = "rules";
    Ok(Rules {
        min_length: required(o.min_length, at, "min_length")?,
        min_length_two_step: o.min_length_two_step,
        max_length: required(o.max_length, at, "max_length")?,
        required_classes: required(o.required_classes, at, "required_classes")?,
        min_score: required(o.min_score, at, "min_score")?,
        history_depth: required(o.history_depth, at, "history_depth")?,
        token_lifetime_secs: required(o.token_lifetime_secs, at, "token_lifetime_secs")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// serde_json's tree read the way the browser's is: numbers as f64.
    impl JsonNode for Value {
        fn field(&self, key: &str) -> Option<Value> {
            self.get(key).cloned()
        }
        fn is_null(&self) -> bool {
            Value::is_null(self)
        }
        fn keys(&self) -> Option<Vec<String>> {
            self.as_object().map(|o| o.keys().cloned().collect())
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn items(&self) -> Option<Vec<Value>> {
            self.as_array().cloned()
        }
    }

    fn shapes() -> Vec<Value> {
        let base = serde_json::to_value(Policy::brief_default()).expect("serialises");
        let mut shapes = vec![base.clone(), serde_json::to_value(Policy::nist_800_63b()).expect("serialises")];
        let strange = [json!(null), json!(-1), json!(12.5), json!("12"), json!(4_294_967_296u64), json!([]), json!({})];
        let classes = [json!(["lower", "digit"]), json!(["Lower"]), json!(["lower", "lower"]), json!("lower")];
        for field in RULE_FIELDS {
            let mut without = base.clone();
            without["rules"].as_object_mut().expect("rules").remove(field);
            shapes.push(without);
            for value in strange.iter().chain(&classes) {
                let mut changed = base.clone();
                changed["rules"][field] = value.clone();
                shapes.push(changed);
                let mut overridden = base.clone();
                overridden["audiences"] = json!({ "staff": { field: value.clone() } });
                shapes.push(overridden);
            }
        }
        for (pointer, value) in [
            ("/rules/extra", json!(1)),
            ("/extra", json!(1)),
            ("/name", json!(7)),
            ("/name", json!(null)),
            ("/audiences", json!({ "teacher": {} })),
            ("/audiences", json!({ "parent": { "min_length": 16 }, "staff": { "min_score": 4 } })),
            ("/audiences", json!({ "parent": { "bogus": 1 } })),
            ("/audiences", json!({ "parent": null })),
            ("/rules", json!(null)),
        ] {
            let mut changed = base.clone();
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
            let target = if parent.is_empty() { &mut changed } else { changed.pointer_mut(parent).expect("exists") };
            target[key] = value;
            shapes.push(changed);
        }
        shapes.push(json!([]));
        shapes.push(json!("default"));
        shapes
    }

    #[test]
    fn reads_what_serde_reads_and_refuses_what_it_refuses() {
        for shape in shapes() {
            let by_serde = Policy::from_json(&shape.to_string());
            let by_reader = Policy::read(&shape);
            match (&by_serde, &by_reader) {
                (Ok(expected), Ok(read)) => assert_eq!(read, expected, "{shape}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{shape}: serde {by_serde:?}, reader {by_reader:?}"),
            }
        }
    }

    /// serde also reads a struct from an array, field by field in order; nobody writes a policy that way, and the
    /// reader does not read one.
    #[test]
    fn objects_are_objects() {
        let mut shape = serde_json::to_value(Policy::brief_default()).expect("serialises");
        shape["audiences"] = json!([]);
        assert!(Policy::from_json(&shape.to_string()).is_ok());
        assert!(matches!(Policy::read(&shape), Err(PolicyError::Malformed { .. })));
    }

    #[cfg(feature = "strength")]
    #[test]
    fn reads_every_verdict_serde_writes() {
        use crate::strength::{estimate, Verdict};
        use crate::Locale;
        let samples = ["password", "Tr0ub4dour&3", "correct horse battery staple vortex", "aaaaaa", "qwerty2024"];
        for password in samples {
            for locale in Locale::ALL {
                let json = serde_json::to_value(Verdict::of(&estimate(password, &[]), locale)).expect("serialises");
                assert_eq!(Verdict::read(&json), serde_json::from_value(json.clone()).ok(), "{password}");
                assert!(Verdict::read(&json).is_some());
            }
        }
        let mut broken = serde_json::to_value(Verdict::of(&estimate("password", &[]), Locale::En)).expect("serialises");
        broken["score"] = json!(7);
        assert_eq!(Verdict::read(&broken), None);
        broken["score"] = json!(0);
        broken["suggestions"] = json!([1]);
        assert_eq!(Verdict::read(&broken), None);
        // A lower bound still being checked says so; anything but a boolean there is not a verdict.
        let mut checking =
            serde_json::to_value(Verdict::of(&estimate("password", &[]), Locale::Es)).expect("serialises");
        checking["checking"] = json!(true);
        assert_eq!(Verdict::read(&checking), serde_json::from_value(checking.clone()).ok());
        assert!(Verdict::read(&checking).is_some_and(|v| v.checking));
        checking["checking"] = json!("yes");
        assert_eq!(Verdict::read(&checking), None);
    }

    #[test]
    fn says_which_field_is_wrong() {
        let mut shape = serde_json::to_value(Policy::brief_default()).expect("serialises");
        shape["rules"]["min_score"] = json!("high");
        assert_eq!(
            Policy::read(&shape).expect_err("refused").to_string(),
            "policy field `rules.min_score` must be a whole number, not negative"
        );
        shape["rules"].as_object_mut().expect("rules").remove("min_score");
        assert_eq!(Policy::read(&shape).expect_err("refused").to_string(), "policy field `rules.min_score` is missing");
        shape["rules"]["min_score"] = json!(3);
        shape["audiences"] = json!({ "staff": { "colour": "red" } });
        assert_eq!(
            Policy::read(&shape).expect_err("refused").to_string(),
            "the policy has an unknown field `audiences.staff.colour`"
        );
    }
}
