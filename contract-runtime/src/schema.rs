//! The `Schema` trait: a compile-time description of how a Rust type serializes, which the
//! macros compare against the spec.

/// How a type looks on the wire, as far as the contract checks care.
///
/// Types bound to a spec component are [`Shape::Named`]: checks against them compare names,
/// which keeps recursive types (`Tree { children: Vec<Tree> }`) finite and the checks cheap.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Anything (`serde_json::Value`, or a type that opts out of checking).
    Any,
    /// `true` or `false`.
    Bool,
    /// An integer of `bits` width.
    Int {
        /// 8 to 128.
        bits: u8,
        /// Whether it can be negative.
        signed: bool,
    },
    /// A float of `bits` width.
    Float {
        /// 32 or 64.
        bits: u8,
    },
    /// A string, with the `format` the Rust type guarantees (`""`, `"uuid"`, `"date-time"`, `"date"`).
    Str {
        /// The format the type guarantees, `""` for none.
        format: &'static str,
    },
    /// A string restricted to these values (a unit-only enum).
    Enum(&'static [&'static str]),
    /// A sequence of items of one shape (`Vec<T>`, arrays, sets).
    Array(&'static Shape),
    /// An object with string keys and values of one shape (`HashMap<String, T>`).
    Map(&'static Shape),
    /// `Option<T>`: may be `null` (or absent, as a field).
    Option(&'static Shape),
    /// A type bound to the component of this name (`#/components/schemas/NAME`).
    Named(&'static str),
    /// An object with these fields (an unbound struct).
    Object(&'static [Field]),
    /// One of several shapes (an untagged or internally tagged enum).
    OneOf(&'static [Shape]),
    /// `()`: no body.
    Unit,
    /// A shape that has no OpenAPI equivalent (for example an externally tagged enum).
    Unsupported(&'static str),
}

/// A field of an object shape, after serde's renames.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// The field's own shape.
    pub shape: &'static Shape,
    /// The field may be absent when deserializing (`Option`, `#[serde(default)]`).
    pub optional: bool,
    /// The field may be left out when serializing (`skip_serializing_if`).
    pub omittable: bool,
    /// `#[serde(flatten)]`: the fields of the flattened type take this field's place.
    pub flatten: Option<&'static [Field]>,
}

/// A Rust type whose wire shape the contract checks can compare against the spec.
///
/// Derive it (`#[derive(Schema)]`) for your structs and enums; it is implemented for the
/// std types, `serde_json::Value` and, behind features, `chrono`, `time` and `uuid` types.
/// Implement it by hand for a wrapper by forwarding to the wrapped type:
///
/// ```
/// use contract_runtime::{Schema, Shape};
///
/// struct UserId(u64);
/// impl Schema for UserId {
///     const SHAPE: Shape = <u64 as Schema>::SHAPE;
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no contract `Schema`, so it cannot be checked against the spec",
    label = "this type needs `#[derive(Schema)]`",
    note = "add `#[derive(contract_runtime::Schema)]` to it, or implement `Schema` by hand for a wrapper type"
)]
pub trait Schema {
    /// How the type looks on the wire.
    const SHAPE: Shape;
    /// The fields, when the type serializes as an object (used by `flatten`, `Query<T>` and
    /// `Path<T>` checks even when `SHAPE` is a component name).
    const FIELDS: Option<&'static [Field]> = None;
    /// `&Self::SHAPE`, which `#[derive(Schema)]`'s fields point at: a reference read from a
    /// constant costs rustc no check of its own, where each `&<T as Schema>::SHAPE` borrowed in
    /// a derived const would cost a trait selection. Not meant to be overridden.
    #[doc(hidden)]
    const SHAPE_REF: &'static Shape = &Self::SHAPE;
}

macro_rules! impl_shape {
    ($shape:expr => $($t:ty),*) => {
        $(impl Schema for $t { const SHAPE: Shape = $shape; })*
    };
}

impl_shape!(Shape::Bool => bool);
impl_shape!(Shape::Int { bits: 8, signed: true } => i8);
impl_shape!(Shape::Int { bits: 16, signed: true } => i16);
impl_shape!(Shape::Int { bits: 32, signed: true } => i32);
impl_shape!(Shape::Int { bits: 64, signed: true } => i64, isize);
impl_shape!(Shape::Int { bits: 128, signed: true } => i128);
impl_shape!(Shape::Int { bits: 8, signed: false } => u8);
impl_shape!(Shape::Int { bits: 16, signed: false } => u16);
impl_shape!(Shape::Int { bits: 32, signed: false } => u32);
impl_shape!(Shape::Int { bits: 64, signed: false } => u64, usize);
impl_shape!(Shape::Int { bits: 128, signed: false } => u128);
impl_shape!(Shape::Float { bits: 32 } => f32);
impl_shape!(Shape::Float { bits: 64 } => f64);
impl_shape!(Shape::Str { format: "" } => String, str, char, std::net::IpAddr, std::path::PathBuf);
impl_shape!(Shape::Str { format: "ipv4" } => std::net::Ipv4Addr);
impl_shape!(Shape::Str { format: "ipv6" } => std::net::Ipv6Addr);
impl_shape!(Shape::Any => serde_json::Value, serde_json::Map<String, serde_json::Value>);
impl_shape!(Shape::Unit => ());

macro_rules! impl_forward {
    ($($t:ident),*) => {
        $(impl<T: Schema + ?Sized> Schema for $t<T> {
            const SHAPE: Shape = T::SHAPE;
            const FIELDS: Option<&'static [Field]> = T::FIELDS;
        })*
    };
}
use std::rc::Rc;
use std::sync::Arc;
impl_forward!(Box, Arc, Rc);

impl<T: Schema + ?Sized> Schema for &T {
    const SHAPE: Shape = T::SHAPE;
    const FIELDS: Option<&'static [Field]> = T::FIELDS;
}

impl<T: Schema + ToOwned + ?Sized> Schema for std::borrow::Cow<'_, T> {
    const SHAPE: Shape = T::SHAPE;
    const FIELDS: Option<&'static [Field]> = T::FIELDS;
}

impl<T: Schema> Schema for Option<T> {
    const SHAPE: Shape = Shape::Option(&T::SHAPE);
}

macro_rules! impl_array {
    ($($t:ident),*) => {
        $(impl<T: Schema> Schema for std::collections::$t<T> {
            const SHAPE: Shape = Shape::Array(&T::SHAPE);
        })*
    };
}
impl_array!(VecDeque, BTreeSet, LinkedList, BinaryHeap);
impl<T: Schema> Schema for Vec<T> {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}
impl<T: Schema> Schema for [T] {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}
impl<T: Schema, const N: usize> Schema for [T; N] {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}
impl<T: Schema, S> Schema for std::collections::HashSet<T, S> {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}
impl<K: MapKey, V: Schema, S> Schema for std::collections::HashMap<K, V, S> {
    const SHAPE: Shape = Shape::Map(&V::SHAPE);
}
impl<K: MapKey, V: Schema> Schema for std::collections::BTreeMap<K, V> {
    const SHAPE: Shape = Shape::Map(&V::SHAPE);
}

/// Types that serialize as JSON object keys.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be a JSON object key: use `String`")]
pub trait MapKey {}
impl MapKey for String {}
impl MapKey for &str {}
impl MapKey for std::borrow::Cow<'_, str> {}

#[cfg(feature = "uuid")]
impl Schema for uuid::Uuid {
    const SHAPE: Shape = Shape::Str { format: "uuid" };
}
#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> Schema for chrono::DateTime<Tz> {
    const SHAPE: Shape = Shape::Str {
        format: "date-time",
    };
}
#[cfg(feature = "chrono")]
impl Schema for chrono::NaiveDate {
    const SHAPE: Shape = Shape::Str { format: "date" };
}
#[cfg(feature = "chrono")]
impl Schema for chrono::NaiveDateTime {
    const SHAPE: Shape = Shape::Str { format: "" };
}
#[cfg(feature = "time")]
impl Schema for time::OffsetDateTime {
    const SHAPE: Shape = Shape::Str {
        format: "date-time",
    };
}
#[cfg(feature = "time")]
impl Schema for time::Date {
    const SHAPE: Shape = Shape::Str { format: "date" };
}
