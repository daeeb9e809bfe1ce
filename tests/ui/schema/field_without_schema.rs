use contract_runtime::Schema;

pub struct Money(pub i64);

// A field whose type has no `Schema`: the error sits on the field's type.
#[derive(Schema)]
pub struct Invoice {
    pub id: i64,
    pub total: Money,
}

fn main() {}
