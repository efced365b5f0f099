"""The order of sending: waves keep the plan's order where it matters, batch the rest."""

from app.plan.operations import Operation, ref
from app.sync.waves import chunks, waves


def op(action: str, entity: str, key: str, *deps: str) -> Operation:
    return Operation(action, entity, key, {"Name": key, **{f"R{i}": ref(d)
                                                          for i, d in enumerate(deps)}},
                     key, depends_on=deps)


def keys(groups) -> list[list[str]]:
    return [[o.key for o in group] for group in groups]


def test_a_wave_is_one_kind_and_never_holds_a_dependency_of_its_own():
    plan = [op("create", "Account", "a1"), op("create", "Account", "a2"),
            op("create", "Account", "a1:sub", "a1"), op("create", "Customer", "c1"),
            op("create", "Customer", "c2"), op("create", "Customer", "c1:kid", "c1"),
            op("create", "Customer", "c2:kid", "c2"), op("create", "Invoice", "i1", "c1:kid"),
            op("update", "Invoice", "i0"), op("void", "Payment", "p0"),
            op("void", "Payment", "p9")]
    assert keys(waves(plan)) == [["a1", "a2"], ["a1:sub"], ["c1", "c2"], ["c1:kid", "c2:kid"],
                                 ["i1"], ["i0"], ["p0", "p9"]]


def test_two_operations_on_one_record_never_share_a_wave():
    plan = [op("update", "Invoice", "i1"), op("update", "Invoice", "i1")]
    assert keys(waves(plan)) == [["i1"], ["i1"]]


def test_creates_and_updates_batch_by_thirty_voids_and_deletes_go_one_by_one():
    creates = [op("create", "Customer", f"c{n}") for n in range(65)]
    assert [len(c) for c in chunks(creates)] == [30, 30, 5]
    voids = [op("void", "Payment", f"p{n}") for n in range(3)]
    assert [len(c) for c in chunks(voids)] == [1, 1, 1]


def test_receipts_and_credit_memos_of_a_day_go_together_voids_before_new_payments():
    plan = [op("create", "RefundReceipt", "r1"), op("create", "CreditMemo", "m1"),
            op("create", "RefundReceipt", "r2"), op("create", "CreditMemo", "m2"),
            op("void", "Payment", "p1"), op("create", "Payment", "p2")]
    assert keys(waves(plan)) == [["r1", "m1", "r2", "m2"], ["p1"], ["p2"]]
    mixed = [op("create", "RefundReceipt", "r1"), op("delete", "CreditMemo", "m0"),
             op("create", "CreditMemo", "m1")]
    assert [[o.key for o in c] for c in chunks(mixed)] == [["r1", "m1"], ["m0"]]
