//! The data types of the standard (첨부2, reference §1.3) and the rule each one imposes on a value.
//!
//! Every value travels as a JSON string; the type says which strings are valid. Lengths are maxima,
//! and `AH(n)` counts UTF-8 bytes (a Hangul syllable is three), because the standard sizes Korean
//! text for EUC-KR-era column widths.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One type of the standard's type column, e.g. `aN(20)`, `F(18,3)`, `DATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// `N(n)`: an integer of at most `n` digits, sign allowed.
    N(u32),
    /// `F(p,s)`: a decimal of `p` digits, `s` of them after the point.
    F(u32, u32),
    /// `AH(n)`: Korean text, at most `n` UTF-8 bytes.
    AH(u32),
    /// `A(n)`: upper-case letters.
    A(u32),
    /// `a(n)`: letters (the standard writes `token_type` "Bearer" as `a(6)`).
    LowerA(u32),
    /// `AN(n)`: upper-case letters and digits.
    AN(u32),
    /// `aN(n)`: letters and digits.
    LowerAN(u32),
    /// `aNS(n)`: letters, digits and special characters (printable ASCII).
    ANS(u32),
    /// `NS(n)`: digits and special characters.
    NS(u32),
    /// `B64(n)`: base64 text.
    B64(u32),
    /// `Boolean`: `"true"` or `"false"`.
    Boolean,
    /// `DATE`: `YYYYMMDD`.
    Date,
    /// `DTIME`: `YYYYMMDDhhmmss`.
    DTime,
    /// `Object`: a JSON object.
    Object,
    /// `Object[]`: a list of objects.
    List,
}

impl FieldType {
    /// The maximum length, where the type has one (bytes for `AH`, characters otherwise).
    pub fn max_len(self) -> Option<u32> {
        use FieldType::*;
        match self {
            N(n) => Some(n + 1),
            F(p, _) => Some(p + 2),
            AH(n) | A(n) | LowerA(n) | AN(n) | LowerAN(n) | ANS(n) | NS(n) | B64(n) => Some(n),
            Date => Some(8),
            DTime => Some(14),
            Boolean | Object | List => None,
        }
    }

    /// Whether a value of this type is a JSON string on the wire (everything but objects and lists).
    pub fn is_scalar(self) -> bool {
        !matches!(self, FieldType::Object | FieldType::List)
    }

    /// Checks one string value against the type; the error says what was expected.
    pub fn check(self, value: &str) -> Result<(), String> {
        use FieldType::*;
        if value.is_empty() {
            return Err("a non-empty value (an absent value is omitted, not sent empty)".into());
        }
        let chars = value.chars().count() as u32;
        let within = |n: u32| chars <= n;
        let ok = match self {
            N(n) => {
                let digits = value.strip_prefix('-').unwrap_or(value);
                !digits.is_empty()
                    && digits.len() as u32 <= n
                    && digits.bytes().all(|b| b.is_ascii_digit())
            }
            F(p, s) => check_decimal(value, p, s),
            AH(n) => value.len() as u32 <= n && !value.chars().any(char::is_control),
            A(n) => within(n) && value.bytes().all(|b| b.is_ascii_uppercase()),
            LowerA(n) => within(n) && value.bytes().all(|b| b.is_ascii_alphabetic()),
            AN(n) => {
                within(n)
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            LowerAN(n) => within(n) && value.bytes().all(|b| b.is_ascii_alphanumeric()),
            ANS(n) => within(n) && value.bytes().all(|b| (0x20..0x7f).contains(&b)),
            NS(n) => {
                within(n)
                    && value
                        .bytes()
                        .all(|b| (0x20..0x7f).contains(&b) && !b.is_ascii_alphabetic())
            }
            B64(n) => {
                within(n)
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b))
            }
            Boolean => value == "true" || value == "false",
            Date => parse_date(value).is_some(),
            DTime => parse_dtime(value).is_some(),
            Object | List => false,
        };
        if ok { Ok(()) } else { Err(self.describe()) }
    }

    /// A sentence naming what a valid value looks like, for error messages.
    pub fn describe(self) -> String {
        use FieldType::*;
        match self {
            N(n) => format!("an integer of at most {n} digits (N({n}))"),
            F(p, s) => format!(
                "a decimal of at most {} integer and {s} fraction digits (F({p},{s}))",
                p - s
            ),
            AH(n) => format!("text of at most {n} UTF-8 bytes (AH({n}))"),
            A(n) => format!("at most {n} upper-case letters (A({n}))"),
            LowerA(n) => format!("at most {n} letters (a({n}))"),
            AN(n) => format!("at most {n} upper-case letters and digits (AN({n}))"),
            LowerAN(n) => format!("at most {n} letters and digits (aN({n}))"),
            ANS(n) => format!("at most {n} printable ASCII characters (aNS({n}))"),
            NS(n) => format!("at most {n} digits and special characters (NS({n}))"),
            B64(n) => format!("at most {n} base64 characters (B64({n}))"),
            Boolean => "\"true\" or \"false\" (Boolean)".into(),
            Date => "a calendar date YYYYMMDD (DATE)".into(),
            DTime => "a timestamp YYYYMMDDhhmmss (DTIME)".into(),
            Object => "an object".into(),
            List => "a list of objects".into(),
        }
    }

    /// A short valid value of the type, for required parameters a test or a check does not
    /// otherwise choose.
    pub fn sample(self) -> String {
        use FieldType::*;
        match self {
            AH(_) => "가".into(),
            Date => "20250101".into(),
            DTime => "20250101000000".into(),
            Boolean => "true".into(),
            N(6) => "202501".into(),
            N(_) | F(..) | NS(_) => "1".into(),
            A(_) | LowerA(_) => "A".into(),
            _ => "A1".into(),
        }
    }

    /// A regular expression for the type, for the OpenAPI document (none where length alone rules).
    pub fn pattern(self) -> Option<String> {
        use FieldType::*;
        Some(match self {
            N(n) => format!("^-?[0-9]{{1,{n}}}$"),
            F(p, s) if s > 0 => format!("^-?[0-9]{{1,{}}}(\\.[0-9]{{1,{s}}})?$", p - s),
            F(p, _) => format!("^-?[0-9]{{1,{p}}}$"),
            A(n) => format!("^[A-Z]{{1,{n}}}$"),
            LowerA(n) => format!("^[A-Za-z]{{1,{n}}}$"),
            AN(n) => format!("^[A-Z0-9]{{1,{n}}}$"),
            LowerAN(n) => format!("^[A-Za-z0-9]{{1,{n}}}$"),
            B64(n) => format!("^[A-Za-z0-9+/=_-]{{1,{n}}}$"),
            Boolean => "^(true|false)$".into(),
            Date => "^[0-9]{8}$".into(),
            DTime => "^[0-9]{14}$".into(),
            AH(_) | ANS(_) | NS(_) | Object | List => return None,
        })
    }
}

fn check_decimal(value: &str, p: u32, s: u32) -> bool {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && int.len() as u32 <= p - s
        && frac.is_none_or(|f| s > 0 && digits(f) && f.len() as u32 <= s)
}

/// Parses a `DATE` value.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y%m%d").ok()
}

/// Parses a `DTIME` value.
pub fn parse_dtime(value: &str) -> Option<NaiveDateTime> {
    if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDateTime::parse_from_str(value, "%Y%m%d%H%M%S").ok()
}

impl FromStr for FieldType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use FieldType::*;
        let s = s.trim();
        match s {
            "Boolean" => return Ok(Boolean),
            "DATE" => return Ok(Date),
            "DTIME" => return Ok(DTime),
            "Object" => return Ok(Object),
            "Object[]" => return Ok(List),
            _ => {}
        }
        let bad =
            || format!("unknown type `{s}` (expected e.g. aN(20), F(18,3), DATE; reference §1.3)");
        let (name, args) = s
            .strip_suffix(')')
            .and_then(|r| r.split_once('('))
            .ok_or_else(bad)?;
        let mut nums = args.split(',').map(|a| a.trim().parse::<u32>());
        let first = nums
            .next()
            .and_then(Result::ok)
            .filter(|n| *n > 0)
            .ok_or_else(bad)?;
        let second = nums.next().map(|r| r.map_err(|_| bad())).transpose()?;
        if nums.next().is_some() {
            return Err(bad());
        }
        let one = |t: FieldType| if second.is_none() { Ok(t) } else { Err(bad()) };
        match name {
            "N" => one(N(first)),
            "F" => match second {
                Some(sc) if sc <= first => Ok(F(first, sc)),
                _ => Err(bad()),
            },
            "AH" => one(AH(first)),
            "A" => one(A(first)),
            "a" => one(LowerA(first)),
            "AN" => one(AN(first)),
            "aN" => one(LowerAN(first)),
            "aNS" => one(ANS(first)),
            "NS" => one(NS(first)),
            "B64" => one(B64(first)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FieldType::*;
        match self {
            N(n) => write!(f, "N({n})"),
            F(p, s) => write!(f, "F({p},{s})"),
            AH(n) => write!(f, "AH({n})"),
            A(n) => write!(f, "A({n})"),
            LowerA(n) => write!(f, "a({n})"),
            AN(n) => write!(f, "AN({n})"),
            LowerAN(n) => write!(f, "aN({n})"),
            ANS(n) => write!(f, "aNS({n})"),
            NS(n) => write!(f, "NS({n})"),
            B64(n) => write!(f, "B64({n})"),
            Boolean => f.write_str("Boolean"),
            Date => f.write_str("DATE"),
            DTime => f.write_str("DTIME"),
            Object => f.write_str("Object"),
            List => f.write_str("Object[]"),
        }
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::FieldType::{self, *};

    fn t(s: &str) -> FieldType {
        s.parse().expect("valid type")
    }

    #[test]
    fn parses_every_type_of_the_standard() {
        assert_eq!(t("N(3)"), N(3));
        assert_eq!(t("F(18,3)"), F(18, 3));
        assert_eq!(t("AH(450)"), AH(450));
        assert_eq!(t("aN(20)"), LowerAN(20));
        assert_eq!(t("AN(25)"), AN(25));
        assert_eq!(t("aNS(1000)"), ANS(1000));
        assert_eq!(t("a(6)"), LowerA(6));
        assert_eq!(t("B64(100)"), B64(100));
        assert_eq!(t("DTIME"), DTime);
        assert_eq!(t("Object[]"), List);
        for bad in ["X(3)", "N()", "N(0)", "F(3,4)", "N(3,1)", "aN", "F(18)"] {
            assert!(bad.parse::<FieldType>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn checks_values_by_type() {
        assert!(N(3).check("500").is_ok());
        assert!(N(3).check("-999").is_ok());
        assert!(N(3).check("1000").is_err());
        assert!(N(3).check("1.5").is_err());
        assert!(F(18, 3).check("1500000.125").is_ok());
        assert!(F(18, 3).check("-3.5").is_ok());
        assert!(F(18, 3).check("1.2345").is_err());
        assert!(F(5, 3).check("123.1").is_err());
        assert!(F(5, 0).check("12.").is_err());
        assert!(AH(6).check("가나").is_ok());
        assert!(AH(6).check("가나다라").is_err());
        assert!(LowerAN(5).check("ab12").is_ok());
        assert!(LowerAN(5).check("ab-12").is_err());
        assert!(AN(3).check("AB1").is_ok());
        assert!(AN(3).check("ab1").is_err());
        assert!(A(3).check("KRW").is_ok());
        assert!(A(3).check("krw").is_err());
        assert!(Boolean.check("true").is_ok());
        assert!(Boolean.check("True").is_err());
        assert!(Date.check("20240229").is_ok());
        assert!(Date.check("20230229").is_err());
        assert!(DTime.check("20240105103015").is_ok());
        assert!(DTime.check("20240105253015").is_err());
        assert!(ANS(10).check("a b/c?=").is_ok());
        assert!(ANS(10).check("").is_err());
    }
}
