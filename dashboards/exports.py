"""The dashboard and the charts as one workbook, a sheet per table."""

from core.excel import ExportColumn, write_xlsx


def dashboard_workbook(*, dashboard_figures, chart_figures, title):
    """Every table of the dashboard and the charts, one sheet each (the charts' only when there is a campaign)."""
    d, c = dashboard_figures, chart_figures
    wb = write_xlsx(
        title=f"{title} · 隐患",
        sheet_name="隐患",
        columns=[ExportColumn("项目", lambda r: r[0], 20), ExportColumn("数量", lambda r: r[1], 10)],
        rows=[
            ("隐患总数", d["hazards"]["total"]),
            ("待整改", d["hazards"]["open"]),
            ("整改中", d["hazards"]["rectifying"]),
            ("待验收", d["hazards"]["awaiting_acceptance"]),
            ("已销号", d["hazards"]["closed"]),
            ("一般隐患", d["hazards"]["general"]),
            ("重大隐患", d["hazards"]["major"]),
            ("未销号重大隐患", d["hazards"]["major_open"]),
            ("逾期未整改", d["hazards"]["overdue"]),
            *[(f"专业：{s['label']}", s["count"]) for s in d["hazards_by_specialty"]],
        ],
    )
    controls, limits = d["controls"], d["limits"]
    write_xlsx(
        workbook=wb,
        title=f"特殊时段管控与持证上岗（近 {controls['days']} 天）",
        sheet_name="特殊时段管控",
        columns=[ExportColumn("项目", lambda r: r[0], 28), ExportColumn("数量", lambda r: r[1], 10)],
        rows=[
            (f"出入井超{limits['underground_hours']}小时（人次）", controls["over_underground"]),
            (f"工作面超{limits['face_hours']}小时（人次）", controls["over_face"]),
            ("超时下井合计（人次）", controls["over_time"]),
            (f"调度交接班提前不足{limits['handover_lead_hours']}小时（次）", controls["late_handovers"]),
            ("在岗人员证书已过期（本）", controls["certificates_expired"]),
            ("证书30天内到期（本）", controls["certificates_expiring"]),
            ("屡违人员帮教未完成（人）", controls["repeat_offenders_open"]),
        ],
    )
    write_xlsx(
        workbook=wb,
        title="停产整顿煤矿",
        sheet_name="停产整顿",
        columns=[
            ExportColumn("煤矿", lambda m: m.name, 28),
            ExportColumn("主体企业", lambda m: m.parent.name, 24),
            ExportColumn("未销号重大隐患", lambda m: m.major_open, 14),
        ],
        rows=d["suspended_mines"],
    )
    write_xlsx(
        workbook=wb,
        title="煤矿风险排名",
        sheet_name="风险排名",
        columns=[
            ExportColumn("煤矿", lambda r: r["mine"].name, 28),
            ExportColumn("风险分", lambda r: r["score"], 10),
            ExportColumn("未销号重大隐患", lambda r: r["major_open"], 14),
            ExportColumn("逾期隐患", lambda r: r["overdue"], 10),
            ExportColumn("未销号一般隐患", lambda r: r["open"], 14),
            ExportColumn("严重三违", lambda r: r["serious_violations"], 10),
            ExportColumn("逾期或未报送", lambda r: r["late_or_missing"], 12),
            ExportColumn("疑似重大隐患（待核实）", lambda r: r["suspected_major"], 14),
        ],
        rows=d["ranking"],
    )
    write_xlsx(
        workbook=wb,
        title="自查不实（检查发现、自查未列出的隐患；自查列为一般的疑似重大隐患）",
        sheet_name="自查不实",
        columns=[
            ExportColumn("煤矿", lambda g: g["mine__name"], 28),
            ExportColumn("主体企业", lambda g: g["mine__parent__name"], 24),
            ExportColumn("自查未列出", lambda g: g["missed"], 12),
            ExportColumn("其中重大", lambda g: g["missed_major"], 10),
            ExportColumn("疑似重大隐患（待核实）", lambda g: g["suspected_major"], 14),
        ],
        rows=d["self_check_gaps"],
    )
    if c:
        write_xlsx(
            workbook=wb,
            title="各主体隐患整改情况",
            sheet_name="各主体整改率",
            columns=[
                ExportColumn("主体企业", lambda r: r["enterprise"], 28),
                ExportColumn("隐患", lambda r: r["total"], 8),
                ExportColumn("已销号", lambda r: r["closed"], 8),
                ExportColumn("整改率（%）", lambda r: r["rate"], 10),
                ExportColumn("逾期", lambda r: r["overdue"], 8),
            ],
            rows=c["by_enterprise"],
        )
        write_xlsx(
            workbook=wb,
            title="按期报送情况",
            sheet_name="按期报送",
            columns=[
                ExportColumn("报送事项", lambda r: r["deadline"], 24),
                ExportColumn("应报", lambda r: r["owed"], 8),
                ExportColumn("按期", lambda r: r["on_time"], 8),
                ExportColumn("逾期", lambda r: r["late"], 8),
                ExportColumn("未报", lambda r: r["missing"], 8),
                ExportColumn("按期率（%）", lambda r: r["rate"], 10),
            ],
            rows=c["on_time"],
        )
        write_xlsx(
            workbook=wb,
            title="任务落实完成度",
            sheet_name="任务落实",
            columns=[
                ExportColumn("部分", lambda r: r["section"], 30),
                ExportColumn("应落实", lambda r: r["owed"], 10),
                ExportColumn("已完成", lambda r: r["finished"], 10),
                ExportColumn("其中已核验", lambda r: r["verified"], 10),
                ExportColumn("其中待核验", lambda r: r["declared"], 10),
                ExportColumn("完成率（%）", lambda r: r["rate"], 10),
                ExportColumn("核验率（%）", lambda r: r["verified_rate"], 10),
            ],
            rows=c["progress_by_section"],
        )
        write_xlsx(
            workbook=wb,
            title="“四无”目标",
            sheet_name="四无目标",
            columns=[
                ExportColumn("煤矿", lambda r: r["mine"], 28),
                ExportColumn(
                    "是否实现", lambda r: {"met": "实现", "unreported": "未报"}.get(r.get("status"), "未实现"), 10
                ),
                ExportColumn("原因", lambda r: r["reasons"], 40),
            ],
            rows=c["four_no"],
        )
    return wb


def level_workbook(*, board, title):
    """Above the county (dashboards.level_board): the counties ranked, a province's cities ranked too, and the totals,
    with the same figures as the page."""
    from .level_board import FIGURES

    figure_columns = [ExportColumn(label, lambda r, k=key: r[k], 12) for key, label in FIGURES]
    wb = write_xlsx(
        title=f"{title} · 各县排名",
        sheet_name="各县排名",
        columns=[
            ExportColumn("排名", lambda r: r["rank"], 6),
            ExportColumn("县应急管理局", lambda r: r["name"], 28),
            ExportColumn("行政区划代码", lambda r: r["division_code"], 12),
            ExportColumn("所属市", lambda r: r["city"], 24),
            *figure_columns,
        ],
        rows=[{"rank": n, **r} for n, r in enumerate(board["counties"], 1)],
    )
    if board["level"] == "province":
        write_xlsx(
            workbook=wb,
            title="各市排名（下辖各县合计）",
            sheet_name="各市排名",
            columns=[
                ExportColumn("排名", lambda r: r["rank"], 6),
                ExportColumn("市应急管理局", lambda r: r["name"], 28),
                ExportColumn("行政区划代码", lambda r: r["division_code"], 12),
                ExportColumn("县数", lambda r: r["counties"], 8),
                *figure_columns,
            ],
            rows=[{"rank": n, **r} for n, r in enumerate(board["cities"], 1)],
        )
    write_xlsx(
        workbook=wb,
        title="合计",
        sheet_name="合计",
        columns=[ExportColumn("项目", lambda r: r[0], 20), ExportColumn("数量", lambda r: r[1], 10)],
        rows=[("县数", len(board["counties"])), *[(label, board["totals"][key]) for key, label in FIGURES]],
    )
    return wb
