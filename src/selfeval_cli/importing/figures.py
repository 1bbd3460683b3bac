"""Reading back the sentences that state figures: amounts with their change, income, execution,
"三公" expenses, staffing by kind and assets — as the shipped outlines write them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from selfeval_cli.vocabulary import CENT, THREE_PUBLIC, THREE_PUBLIC_ITEMS, VEHICLE_PARTS

AMOUNT = r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)"
_CHANGE = re.compile(r"^，较上年(?P<dir>增加|减少)(?P<change>\d+(?:\.\d+)?)万元(?:，(?:增长|下降)(?:不足)?[\d.]+%)?"
                     r"|^，与上年持平")
_NUMBER = r"\d+(?:\.\d+)?"
_EXECUTION = re.compile(rf"(?P<label>整体支出|基本支出|项目支出)(?:全年预算数（调整后预算）(?P<adjusted>{_NUMBER})"
                        rf"万元，全年执行数（决算数）|全年实际支出（决算数）)(?P<executed>{_NUMBER})万元"
                        r"(?:，执行率(?:[\d.]+%|—))?。")
_INCOME = re.compile(r"^\d{4}年(?:本年)?收入" + AMOUNT)
_EXPENSE = re.compile(r"(?:预算(?P<budget>\d+(?:\.\d+)?)万元)?，?(?:实际支出(?P<actual>\d+(?:\.\d+)?)万元)?"
                      r"(?:，控制率[\d.]+%)?")


def money(match: re.Match[str], after: str) -> dict[str, Any]:
    """``amount`` (and ``previous``, from a stated change) of an amount matched with AMOUNT."""
    amount = Decimal(match["amount"]).quantize(CENT)
    figures: dict[str, Any] = {"amount": amount}
    change = _CHANGE.match(after.lstrip())
    if change:
        if change["dir"]:
            delta = Decimal(change["change"])
            figures["previous"] = amount - delta if change["dir"] == "增加" else amount + delta
        else:
            figures["previous"] = amount
    return figures


def execution(line: str, targets: dict[str, dict[str, Any]]) -> bool:
    """全年预算数/执行数 (and the reason written after them) into ``targets`` by label; whether one was read."""
    match = _EXECUTION.search(line)
    if not match:
        return False
    target = targets[match["label"]]
    if match["adjusted"]:
        target["adjusted"] = Decimal(match["adjusted"]).quantize(CENT)
    target["executed"] = Decimal(match["executed"]).quantize(CENT)
    reason = line[match.end():].strip()
    if reason:
        target["reason"] = reason
    return True


def states_execution(sentence: str) -> bool:
    """Whether ``sentence`` is the outline's 全年预算数/执行数 sentence (read by ``execution``)."""
    return _EXECUTION.search(sentence) is not None


def income(line: str) -> dict[str, Any] | None:
    """The income sentence: total with its change, and each source after 其中."""
    match = _INCOME.match(line)
    if not match:
        return None
    read = money(match, line[match.end():])
    sources = re.search(r"其中[:：]\s*(?P<items>[^。]*)", line)
    if sources:
        read["sources"] = []
        for piece in (p.strip() for p in re.split(r"[；;]", sources["items"]) if p.strip()):
            item = re.match(r"^(?P<name>[^\d]+?)\s*" + AMOUNT, piece)
            if item:
                read["sources"].append({"name": item["name"].strip("，, "), **money(item, piece[item.end():])})
    return read


def _expense(text: str) -> dict[str, Any]:
    if text.startswith("未安排支出"):  # the outline's words for zero this year and last
        return {"budget": Decimal("0.00"), "actual": Decimal("0.00"), "previous": Decimal("0.00")}
    match = _EXPENSE.match(text)
    figures: dict[str, Any] = {}
    if match and match["budget"]:
        figures["budget"] = Decimal(match["budget"]).quantize(CENT)
    if match and match["actual"]:
        figures["actual"] = Decimal(match["actual"]).quantize(CENT)
        after = text[match.end():]
        change = _CHANGE.match(after)
        if change and change["dir"]:
            delta = Decimal(change["change"])
            figures["previous"] = figures["actual"] - delta if change["dir"] == "增加" else figures["actual"] + delta
        elif change:
            figures["previous"] = figures["actual"]
    return figures


def three_public(line: str) -> dict[str, Any] | None:
    """The "三公" sentence: each item's 预算, 实际支出 and change (the total is derived, not read)."""
    if not line.startswith(THREE_PUBLIC):
        return None
    read: dict[str, Any] = {}
    for index, (key, name) in enumerate(THREE_PUBLIC_ITEMS):
        start = line.find(name)
        if start < 0:
            return None
        later = [line.find(other, start + 1) for _, other in THREE_PUBLIC_ITEMS[index + 1:]]
        end = min([at for at in later if at > 0] or [len(line)])
        piece = line[start + len(name):end].rstrip("；。")
        inner = re.search(r"（(?P<parts>.*)）$", piece)
        read[key] = _expense(piece[:inner.start()] if inner else piece)
        if inner and key == "vehicles":
            whole = re.match(r"全部为(?P<name>[^，]+)", inner["parts"])  # one part is all of it, the other zero
            for part_key, part_name in VEHICLE_PARTS:
                if whole and whole["name"] == part_name:
                    read[key][part_key] = {k: read[key][k] for k in ("budget", "actual", "previous") if k in read[key]}
                    continue
                found = re.search(part_name + r"(?P<text>[^；]*)", inner["parts"])
                if found:
                    read[key][part_key] = _expense(found["text"])
    return read


def staffing(text: str) -> dict[str, Any] | None:
    """编制, 在职 (each possibly by kind) and 退休 from the staffing sentence."""
    # Only the outline's own sentence ("全局编制共36人，…实际在职人员34人"): other wordings are read by
    # ``prose.staffing``, which puts what it read on the review list.
    authorized = re.search(r"^全\S{0,3}?编制共\s*(\d+)\s*人", text)
    actual = re.search(r"实际在职人员\s*(\d+)\s*人", text)
    if not (authorized and actual):
        return None
    read: dict[str, Any] = {"authorized": int(authorized[1]), "actual": int(actual[1])}
    kinds = re.search(r"编制共\d+人，其中(?P<kinds>[^；]+)；", text)
    if kinds:
        read["groups"] = [{"name": m[1], "authorized": int(m[2])}
                          for m in re.finditer(r"([^、\d]+?)(\d+)人", kinds["kinds"])]
        in_post = re.search(r"在职人员\d+人（(?P<kinds>[^）]+)）", text)
        if in_post:
            counts = {m[1]: int(m[2]) for m in re.finditer(r"([^、\d]+?)(\d+)人", in_post["kinds"])}
            for group in read["groups"]:
                if group["name"] in counts:
                    group["actual"] = counts[group["name"]]
    retired = re.search(r"退休人员(\d+)人", text)
    if retired:
        read["retired"] = int(retired[1])
    return read


def assets(text: str) -> dict[str, Any] | None:
    """公务用车 and 固定资产原值 from the assets sentence."""
    vehicles = re.search(r"核定公务用车编制(\d+)辆，实有(\d+)辆", text)
    fixed = re.search(r"固定资产原值" + AMOUNT, text)
    read: dict[str, Any] = {}
    if vehicles:
        read["vehicles"] = {"authorized": int(vehicles[1]), "actual": int(vehicles[2])}
    if fixed:
        read["fixed_assets"] = Decimal(fixed["amount"]).quantize(CENT)
    return read or None
