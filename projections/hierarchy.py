"""Program -> kegiatan -> sub-kegiatan trees with computed subtotals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ledger.basis import Stage
from ledger.kode import Kode, Level
from ledger.line_state import LineState

REPORT_LEVELS = (Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN)


@dataclass
class Node:
    line: LineState
    children: list[Node] = field(default_factory=list)

    @property
    def level(self) -> Level:
        return self.line.level


def sort_key(line: LineState) -> tuple[int, tuple[str, ...], str]:
    # Coded lines in kode order; lines known only by name after them, by name.
    if line.kode:
        return (0, Kode.parse(line.kode).parts, line.nama)
    return (1, (), line.nama.casefold())


def parent_key(line: LineState, by_kode: dict[str, LineState]) -> str | None:
    if line.kode:
        parent = Kode.parse(line.kode).parent
        if parent is not None and str(parent) in by_kode:
            return by_kode[str(parent)].key
    return line.parent_key


def build_tree(lines: dict[str, LineState]) -> list[Node]:
    """Roots are the top-most rows present: programs, or kegiatan (or sub-kegiatan) where a plan
    holds no row above them. Urusan and bidang lines carry only stated OPD totals."""
    by_kode = {line.kode: line for line in lines.values() if line.kode}
    nodes = {key: Node(line) for key, line in lines.items() if line.level in REPORT_LEVELS}
    roots: list[Node] = []
    for node in nodes.values():
        parent = parent_key(node.line, by_kode)
        if parent in nodes and nodes[parent].level.rank < node.level.rank:
            nodes[parent].children.append(node)
        else:
            roots.append(node)
    for node in nodes.values():
        node.children = in_document_order(node.children)
    by_level: dict[int, list[Node]] = {}
    for root in roots:
        by_level.setdefault(root.level.rank, []).append(root)
    return [node for rank in sorted(by_level) for node in in_document_order(by_level[rank])]


def printed_rows(line: LineState) -> dict[tuple[str | None, str | None], int]:
    """Where the documents print the line: (document, table) -> its first row number there."""
    found: dict[tuple[str | None, str | None], int] = {}
    for figures in line.stages.values():
        sources = [s.source for s in figures.statements] + [source for _, _, source in figures.target_statements]
        for source in sources:
            if source is not None and source.row and source.row.isdigit():
                found.setdefault((source.document, source.table), int(source.row))
    return found


def in_document_order(nodes: list[Node]) -> list[Node]:
    """Coded lines in kode order; a line known only by name goes where a document prints it:
    after the coded sibling printed last before it in a table both appear in (else at the end)."""
    ordered = sorted((n for n in nodes if n.line.kode), key=lambda n: sort_key(n.line))
    for node in sorted((n for n in nodes if not n.line.kode), key=lambda n: sort_key(n.line)):
        mine = printed_rows(node.line)
        after = None
        for index, sibling in enumerate(ordered):
            theirs = printed_rows(sibling.line)
            if any(table in theirs and theirs[table] < row for table, row in mine.items()):
                after = index
        ordered.insert(len(ordered) if after is None else after + 1, node)
    return ordered


def walk(roots: list[Node]) -> Iterator[Node]:
    for node in roots:
        yield node
        yield from walk(node.children)


@dataclass(frozen=True)
class Rolled:
    """A row's figure by the roll-up rule, and which branch of the rule gave it: ``rows`` are
    the rows right under it whose figures were added; none means its own statement counts."""

    value: int | None
    rows: tuple[Node, ...] = ()

    @property
    def by_sum(self) -> bool:
        return bool(self.rows)


def rolled_up(node: Node, value: Callable[[LineState], int | None]) -> Rolled:
    """A row's figure by the roll-up rule (docs/stages.md, "Figures at any level").

    A sub-kegiatan counts by its own figure. A kegiatan or program counts by the sum of
    its children when any of them has a figure, and else by its own statement, so a
    document that states money only at kegiatan level still adds up. None when neither
    it nor anything below it has one."""
    if node.level is Level.SUB_KEGIATAN:
        return Rolled(value(node.line))
    present = [(child, v) for child in node.children if (v := computed(child, value)) is not None]
    if present:
        return Rolled(sum(v for _, v in present), tuple(child for child, _ in present))
    return Rolled(value(node.line))


def computed(node: Node, value: Callable[[LineState], int | None]) -> int | None:
    """A row's figure by the roll-up rule (``rolled_up``)."""
    return rolled_up(node, value).value


def plan_total(roots: list[Node], value: Callable[[Node], int | None]) -> int:
    """The plan's total: the figures of its top-most rows, whatever their level (a plan whose
    tables start at kegiatan has kegiatan for roots, and they count as programs would)."""
    return sum(v for node in roots if (v := value(node)) is not None)


def counted(roots: list[Node], value: Callable[[LineState], int | None]) -> Iterator[Node]:
    """The rows whose own figure counts in the totals: the sub-kegiatan, and each parent
    that states a figure while nothing below it does."""
    for node in walk(roots):
        if node.level is Level.SUB_KEGIATAN:
            if value(node.line) is not None:
                yield node
        elif value(node.line) is not None and all(computed(child, value) is None for child in node.children):
            yield node


# --- the plan in force: perubahan over murni, branch by branch (docs/stages.md) -------------------

@dataclass(frozen=True)
class InForce:
    """A row of the plan in force: its figure, whether it is a murni the perubahan did not restate
    (``carried``), and whether its own figure is one the plan's total adds (``counts``)."""

    value: int | None
    carried: bool = False
    counts: bool = False
    by_sum: bool = False  # the figure is the sum of the rows under it (else the row's own)


def whole(amount: object) -> int | None:
    """A figure as a plain int (Rupiah is one), None kept."""
    return None if amount is None else int(amount)  # type: ignore[call-overload]


def plan_in_force(roots: list[Node], restated: Stage = Stage.PERUBAHAN,
                  standing: Stage = Stage.MURNI) -> dict[str, InForce]:
    """Every row's figure in the plan in force, by key. Where the perubahan states a figure in a
    branch, the branch counts by the perubahan's roll-up rule (a row's sum of its rows, or its
    own statement when none below states one), and a row of that branch it does not restate keeps
    its murni (``carried``); a branch it says nothing of stands at its murni, by the same rule.
    Below a row whose own perubahan statement counts (a form printing money at that level only)
    the rows have no figure of their own in force."""
    found: dict[str, InForce] = {}
    stated: dict[str, bool] = {}

    def states(node: Node) -> bool:
        key = node.line.key
        if key not in stated:
            stated[key] = node.line.pagu(restated) is not None or any([states(child) for child in node.children])
        return stated[key]

    def standing_branch(node: Node) -> int | None:
        murni = rolled_up(node, lambda line: whole(line.pagu(standing)))
        own_counts = murni.value is not None and not murni.by_sum
        found[node.line.key] = InForce(murni.value, murni.value is not None, own_counts, murni.by_sum)
        for child in node.children:
            standing_branch(child)
        return murni.value

    def covered(node: Node) -> None:  # under a row whose own perubahan counts
        found[node.line.key] = InForce(None)
        for child in node.children:
            covered(child)

    def visit(node: Node) -> int | None:
        if not states(node):
            return standing_branch(node)
        if node.level is Level.SUB_KEGIATAN or not any(states(child) for child in node.children):
            value = whole(node.line.pagu(restated))
            found[node.line.key] = InForce(value, False, value is not None)
            for child in node.children:
                covered(child)
            return value
        values = [value for child in node.children if (value := visit(child)) is not None]
        total = sum(values) if values else None
        found[node.line.key] = InForce(total, False, False, True)
        return total

    for root in roots:
        visit(root)
    return found


def in_force_total(roots: list[Node], found: dict[str, InForce]) -> int:
    return sum(value for root in roots if (value := found[root.line.key].value) is not None)
