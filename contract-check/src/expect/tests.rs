mod encoding {
    use super::super::*;

    #[test]
    fn encodes_nodes_with_their_payload_length() {
        assert_eq!(any(), [tag::ANY, 0, 0, 0, 0]);
        assert_eq!(
            node(tag::INTEGER, b"int32"),
            [tag::INTEGER, 5, 0, 0, 0, b'i', b'n', b't', b'3', b'2']
        );
        assert_eq!(nullable(&any()), [tag::NULLABLE, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            object([("id", true, any())], true),
            [
                tag::OBJECT,
                11,
                0,
                0,
                0,
                1,
                2,
                0,
                b'i',
                b'd',
                1,
                0,
                0,
                0,
                0,
                0
            ]
        );
    }
}

/// The memoized expansions against fresh ones on real specs (`../shared/specs`, next to the
/// repository), in two orders and from non-empty expansion stacks: reuse must never change an
/// expectation.
mod memo {
    use super::super::*;
    use contract_spec::FileId;

    fn component_names(spec: &Spec) -> Vec<String> {
        spec.doc
            .get(&Loc::root(FileId(0)).child("components").child("schemas"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn property_locs(spec: &Spec, names: &[String]) -> Vec<Loc> {
        let fresh = Expecter::new(spec, None);
        names
            .iter()
            .filter_map(|name| fresh.object_model(&contract_spec::root_component_loc(name)))
            .flat_map(|model| model.props.into_iter().filter_map(|p| p.loc))
            .collect()
    }

    #[test]
    fn memoized_expansions_equal_fresh_ones() {
        let Some(dir) = contract_spec::corpus_dir().map(|c| c.join("real")) else {
            return;
        };
        for file in ["stripe-spec3.yaml", "openai.yaml", "asana.yaml"] {
            let spec = Spec::load(&dir.join(file), &dir).expect(file);
            let names = component_names(&spec);
            let locs = property_locs(&spec, &names);
            assert!(locs.len() > 100, "{file}: {} properties", locs.len());
            for reversed in [false, true] {
                let shared = crate::expect::ExpectationMemo::default();
                let mut order: Vec<usize> = (0..names.len()).collect();
                if reversed {
                    order.reverse();
                }
                for &i in &order {
                    let name = &names[i];
                    let loc = contract_spec::root_component_loc(name);
                    let memo =
                        Expecter::new(&spec, Some(&shared)).expect_component_body(name, &loc);
                    let fresh = Expecter::new(&spec, None).expect_component_body(name, &loc);
                    assert!(memo == fresh, "{file}: component {name}");
                }
                for loc in &locs {
                    let memo = Expecter::new(&spec, Some(&shared)).expect(loc);
                    let fresh = Expecter::new(&spec, None).expect(loc);
                    assert!(memo == fresh, "{file}: {}", loc.pointer);
                }
                assert!(
                    !shared.structures.lock().unwrap().is_empty(),
                    "{file}: nothing memoized"
                );
            }
        }
    }

    #[test]
    fn a_memoized_expansion_is_not_reused_where_a_name_it_consulted_is_being_expanded() {
        let Some(dir) = contract_spec::corpus_dir().map(|c| c.join("real")) else {
            return;
        };
        let spec = Spec::load(&dir.join("swagger-petstore3.yaml"), &dir).expect("petstore");
        let expecter = Expecter::new(&spec, None);
        let memoized = Memoized {
            code: any().into(),
            consulted: vec!["Pet".to_string(), "Tag".to_string()].into(),
            reads: Vec::new().into(),
        };
        assert_eq!(expecter.reuse(&memoized), Some(any()));
        assert_eq!(*expecter.consulted.borrow(), ["Pet", "Tag"]);
        expecter.expanding.borrow_mut().push("Tag".to_string());
        assert_eq!(expecter.reuse(&memoized), None);
    }
}
