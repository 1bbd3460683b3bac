"""selfeval: 部门整体支出绩效自评报告，从 YAML 数据到符合 GB/T 9704-2012 的 Word 文件。"""

__version__ = "0.1.0"
