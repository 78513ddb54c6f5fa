"""Yes/no answers: 是/有/√/已建 → yes, 否/无/×/未建 → no, 基本落实 → partial."""

from __future__ import annotations

from decimal import Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, NoteLevel
from checklist.normalize.common import (
    NEGATIVE,
    Normalized,
    Reader,
    Written,
    given,
    lookup_key,
    make_note,
    tidy,
    unreadable,
    word_set,
)
from checklist.normalize.meaning import read_by_meaning
from checklist.normalize.quantity import PERCENT_UNITS, read_quantity
from checklist.normalize.sentences import SENTENCE_NEGATION, bigrams, mentions
from checklist.patterns import lazy_compile
from checklist.text import Text

# Keys are as lookup_key() leaves them: NFKC, no spaces, case-folded.
_YES = word_set(
    "是 是的 有 有的 已 已经 已建 已建立 已设立 已成立 已组建 已落实 已完成 已开展 已配备 已制定 已召开 已实现 已覆盖 已达标 "
    "建立 完成 落实 到位 落实到位 已到位 开展 具备 达标 符合 合格 通过 满足 符合要求 达到要求 满足要求 对 好 √ ✓ ✔ ☑ ■ v y yes "
    "true ok done 1"
)
NO_WORDS = word_set(
    "否 无 没有 没 未 未建 未建立 未设立 未成立 未落实 未完成 未开展 未配备 未制定 未召开 未达标 暂无 暂未 尚未 尚未建立 不是 "
    "不 不达标 不符合 不合格 不具备 × ✗ ✘ ☐ □ x n no false none 0"
)
_PARTIAL = word_set("基本 部分 一般 半 △ partial partly partially inprogress")
# Hedges lead: 基本落实, 部分完成, 正在推进, 筹建中, 未完全落实, 有待加强 …
_PARTIAL_LEAD = lazy_compile(
    r"^(?:基本|部分|正在|筹建|筹备|在建|初步|逐步|有待|有所|有些|有时|尚待|待完善|待建"
    r"|不完全|未完全|不够|不太|不健全|建设中|推进中|进行中|partial|partly|inprogress)"
)
_SEP = r"[,;:()\[\]、。.!?/\-—~·]"
# A yes followed by more text: '已建立，见附件3', '有，3次', '√(见台账)', '有专人负责'.
# '已' and '有' lead almost any phrase, except those that undo them (已撤销,
# 有待…, and the question itself, 有无 / 是否).
_YES_LEAD = lazy_compile(
    r"^(?:[√✓✔☑■]"
    r"|(?:全部|均已|都已|已全部|全员|按时|按期|按规定|按要求)(?!未|没|不|无)"
    r"|已(?!撤销|取消|解散|注销|停止|停办|失效|过期|废止|无|不|未)"
    r"|有(?!待|所|些|时|无|限|一定|点|否)"
    rf"|(?:是|对|达标|符合|合格|建立|完成|落实|yes|y|ok|true)(?:{_SEP}|\d|$))"
)
_NO_LEAD = lazy_compile(
    r"^(?:[×✗✘☐□]"
    r"|未|尚未|暂未|暂无|没有|没|从未|还没"
    r"|已(?:撤销|取消|解散|注销|停止|停办|失效|废止)"
    r"|无(?!需|法|此|该|论)"
    rf"|(?:否|不是|不符合|不达标|不合格|no|n|x|false)(?:{_SEP}|\d|$))"
)


def _text(written: Written, spec: AnswerSpec) -> Normalized | None:
    key, shown = written.key, written.shown
    if key.endswith("了") and len(key) > 1:  # 已建立了, 有了
        key = key[:-1]
    if key in _YES:
        return given(True)
    if key in NO_WORDS:
        return given(False)
    if key in _PARTIAL or _PARTIAL_LEAD.match(key):
        return given(
            "partial",
            make_note(
                NoteCode.hedged_answer,
                f"“{shown}”表示部分做到，记为“部分”",
                f"'{shown}' is a hedged answer; recorded as partial",
            ),
        )
    found = read_quantity(key, spec, percent=False)
    if found is not None:
        if found.value < 0:
            return unreadable(shown, hint(spec), NEGATIVE)
        return _as_quantity(found.value > 0, shown)
    if _NO_LEAD.match(key):
        return given(
            False,
            make_note(
                NoteCode.no_with_text,
                f"“{shown}”以否定词开头，记为“否”",
                f"'{shown}' starts with a no; recorded as no",
            ),
        )
    if _YES_LEAD.match(key):
        return given(
            True,
            make_note(
                NoteCode.yes_with_text,
                f"“{shown}”以肯定词开头，记为“是”",
                f"'{shown}' starts with a yes; recorded as yes",
            ),
        )
    if _MIXED_YES.search(key) and _MIXED_NO.search(key):
        # 经审会已建，女职委未建: one part done, one not.
        return given(
            "partial",
            make_note(
                NoteCode.mixed_answer,
                f"“{shown}”部分已做、部分未做，记为“部分”；请核实",
                f"'{shown}' says part is done and part is not; recorded as partial. Please check",
                NoteLevel.warning,
            ),
        )
    return None


# Words saying a thing was done (2023年4月当选, 全年拨缴46.8万元, 由税务部门代收) …
_DONE = lazy_compile(
    r"取得|办理|成立|组建|设立|建成|签订|挂牌|到位|当选|选举产生|换届|完成(?!率)|拨缴|缴纳|上缴|代收|代扣"
    r"|批复|备案"
)
# … or citing its proof: a certificate or document number (工法证字第0417号, 〔2023〕9号).
_EVIDENCE = lazy_compile(
    r"证号|证书编号|编号|见附件|详见|台账|文号|证字第?\d+号?|第\d{4,}号|[〔\[(（【]\d{4}[〕\])）】]\d+号"
)
# … unless it is only due (2024年应换届, 任期届满, 将于年底拨缴).
_DUE = lazy_compile(r"应|需|须|将|届满|到期|预计")
_MIXED_YES = lazy_compile(r"已(?:建|设|成立|组建|开展|落实|完成|配备|召开|制定|实现)")
_MIXED_NO = lazy_compile(r"未|没有|尚无|暂无|缺")


def _sentence(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    """'团委1个，下设团支部18个', '单独设立账户' for a yes/no rule: yes, unless undone."""
    key, shown = written.key, written.shown
    opposite = read_by_meaning(written, spec, indicator, lambda _: None)
    if opposite is not None:
        return opposite
    if SENTENCE_NEGATION.search(key):
        return None
    counts = [m for m in mentions(key) if m.unit not in PERCENT_UNITS]
    if counts and (
        all(m.number.value > 0 for m in counts) or all(m.number.value == 0 for m in counts)
    ):
        return _as_quantity(counts[0].number.value > 0, shown)
    if indicator and len(bigrams(key) & bigrams(lookup_key(tidy(indicator)))) >= 2:
        return given(
            True,
            make_note(
                NoteCode.restates_indicator,
                f"“{shown}”复述了指标要求，记为“是”，请核实",
                f"'{shown}' restates what the indicator asks; recorded as yes, please check",
                NoteLevel.warning,
            ),
        )
    if indicator and (_DONE.search(key) or _EVIDENCE.search(key)) and not _DUE.search(key):
        # 2019年取得, 证号：工法证字第2015号: it was done, or here is the proof.
        return given(
            True,
            make_note(
                NoteCode.yes_with_text,
                f"“{shown}”说明已做到或给出证明，记为“是”",
                f"'{shown}' says it was done or cites the proof; recorded as yes",
            ),
        )
    return None


def _as_quantity(yes: bool, shown: str) -> Normalized:
    return given(
        yes,
        make_note(
            NoteCode.number_as_yesno,
            f"“{shown}”按数量理解，记为“{'是' if yes else '否'}”",
            f"'{shown}' read as a quantity; recorded as {'yes' if yes else 'no'}",
        ),
    )


def _number(number: Decimal, as_text: str, spec: AnswerSpec, shown: str) -> Normalized:
    if number < 0:
        return unreadable(shown, hint(spec), NEGATIVE)
    if number in (0, 1):
        return given(number == 1)
    return _as_quantity(True, shown)


def hint(spec: AnswerSpec) -> Text:
    """What to type instead."""
    return Text(
        "请填写“是”或“否”，不适用的填“不适用”",
        "enter 是 (yes) or 否 (no), or 不适用 if it does not apply",
    )


READER = Reader(hint, _text, number=_number, yes_no=True, sentence=_sentence)
