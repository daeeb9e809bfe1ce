use contract_runtime::Schema;

#[derive(Schema)]
#[serde(rename_all = "Title Case")]
pub struct Inline {
    pub a: i32,
}

#[derive(Schema)]
pub union Bits {
    pub a: u32,
    pub b: f32,
}

fn main() {}
