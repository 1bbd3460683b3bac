"""The figures real reports state beyond the approved budget: income, and the "三公" expenses.

Amounts only, in 万元; every rate (执行率, 控制率, 变动率, 同比) is derived from them, never typed.
Names of income sources come from the data; the three "三公" items are the national definition
(因公出国（境）费、公务用车购置及运行维护费、公务接待费), so they are fields, not names.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from selfeval_cli.model.money import Money
from selfeval_cli.model.types import StrictModel, Text
from selfeval_cli.vocabulary import THREE_PUBLIC_ITEMS, VEHICLE_PARTS


class IncomeSource(StrictModel):
    name: Text = Field(description="收入来源，如“财政拨款收入”“上年结转”“事业收入”“其他收入”")
    amount: Money = Field(description="本年收入（万元）")
    previous: Money | None = Field(None, description="上年收入（万元）；有则报告写出同比增减")


class Income(StrictModel):
    amount: Money = Field(description="本年收入合计（万元）；应等于各来源之和")
    previous: Money | None = Field(None, description="上年收入合计（万元）")
    sources: list[IncomeSource] = Field(default=[], description="按来源列出的收入")


class ExpenseFigures(StrictModel):
    budget: Money | None = Field(None, description="本年预算数（万元）")
    actual: Money | None = Field(None, description="本年实际支出（决算数，万元）")
    previous: Money | None = Field(None, description="上年实际支出（上年决算数，万元）；有则写出变动率")

    def figures(self) -> list[tuple[str, str, Money | None]]:
        """(field, Chinese name, amount) of the three figures, in the order reports give them."""
        return [("budget", "预算数", self.budget), ("actual", "实际支出", self.actual),
                ("previous", "上年实际支出", self.previous)]

    def breakdown(self) -> list[tuple[str, ExpenseFigures]]:
        """The parts this expense is stated in, with their names (none for most)."""
        return []

    @property
    def is_zero(self) -> bool:
        """Nothing budgeted, spent this year or last: the report says 未安排支出."""
        return self.budget == 0 and self.actual == 0 and self.previous == 0


class VehicleExpenses(ExpenseFigures):
    purchase: ExpenseFigures | None = Field(None, description="其中：公务用车购置费")
    operation: ExpenseFigures | None = Field(None, description="其中：公务用车运行维护费")

    def breakdown(self) -> list[tuple[str, ExpenseFigures]]:
        """购置费 and 运行维护费, those the data states."""
        parts = ((name, getattr(self, key)) for key, name in VEHICLE_PARTS)
        return [(name, part) for name, part in parts if part is not None]


class ThreePublic(StrictModel):
    """“三公”经费：因公出国（境）费、公务用车购置及运行维护费、公务接待费。"""

    total: ExpenseFigures | None = Field(
        None, description="合计；可省略（由三项相加），写了就核对是否等于三项之和")
    abroad: ExpenseFigures = Field(description="因公出国（境）费")
    vehicles: VehicleExpenses = Field(description="公务用车购置及运行维护费（可再分购置费、运行维护费）")
    reception: ExpenseFigures = Field(description="公务接待费")

    def summed(self) -> ExpenseFigures:
        """The total as stated, else each figure the three items all state, added up."""
        if self.total is not None:
            return self.total
        sums: dict[str, Decimal] = {}
        for index, (key, _, _) in enumerate(self.abroad.figures()):
            values = [item.figures()[index][2] for _, _, item in self.items()]
            if all(value is not None for value in values):
                sums[key] = sum((v for v in values if v is not None), Decimal("0.00"))
        # Sums of amounts already validated: not validated again (in a file in 元 an amount in 万元 has
        # up to six decimals, which validation without the file's money_unit would refuse).
        return ExpenseFigures.model_construct(None, **sums)

    def items(self) -> list[tuple[str, str, ExpenseFigures]]:
        """(field, Chinese name, figures) of the three items."""
        return [(key, name, getattr(self, key)) for key, name in THREE_PUBLIC_ITEMS]
