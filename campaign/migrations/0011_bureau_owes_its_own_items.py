"""The notice gives 4.2.a–c and 4.3.c (停产整顿), 4.3.d (一案双查) to the county bureau (县局), not to the mines: existing
campaigns (the template and its copies) get the bureau as performer of those items and name the records proving them,
as the template (campaign/data) does for new ones. Items are matched by code and text, so a campaign whose author
rewrote an item is left as it was."""

from django.db import migrations, models

# code, text (as the 2024 notice words it) → performer and capability; kept here, not read from campaign/data, so
# that this migration means the same thing whatever the template later becomes
ITEMS = {
    "4.2.a": ("“四不两直”、明查暗访、交叉检查", "bureau", "bureau_inspections"),
    "4.2.b": ("集中挂牌、公布、曝光一批重大事故隐患", "bureau", "major_hazard_listing"),
    "4.3.c": ("存在重大隐患的，一律依法依规停产停业整顿", "bureau", "suspension_orders"),
    "4.3.d": ("对每一条重大隐患或突出问题坚持“一案双查”", "bureau", "dual_accountability"),
}
PREVIOUS = {"4.2.a": "bureau", "4.2.b": "bureau", "4.3.c": "organizations", "4.3.d": "organizations"}


def forwards(apps, schema_editor):
    Requirement = apps.get_model("campaign", "Requirement")
    for code, (text, performer, evidence) in ITEMS.items():
        Requirement.objects.filter(level="item", code=code, name=text, evidence="").update(
            performed_by=performer, evidence=evidence
        )


def backwards(apps, schema_editor):
    Requirement = apps.get_model("campaign", "Requirement")
    for code, (text, _performer, evidence) in ITEMS.items():
        Requirement.objects.filter(level="item", code=code, name=text, evidence=evidence).update(
            performed_by=PREVIOUS[code], evidence=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0010_working_groups_and_members"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requirement",
            name="evidence",
            field=models.CharField(
                blank=True,
                choices=[
                    ("accident_cases", "警示教育选用的事故案例"),
                    ("warning_education", "事故警示教育"),
                    ("main_leader_lecture", "主要负责人警示教育课"),
                    ("warning_education_coverage", "警示教育覆盖主要负责人、车间和班组"),
                    ("safety_reflection", "全员安全生产大反思"),
                    ("training_archives", "教育培训档案"),
                    ("certificates", "持证上岗"),
                    ("major_hazard_standard_training", "重大事故隐患判定标准纳入培训考核"),
                    ("outside_staff_training", "外包外租、劳务派遣、灵活用工人员统一培训"),
                    ("inspection_exams", "逢查必考、不合格人员脱产培训"),
                    ("face_time", "工作面有效作业时间"),
                    ("underground_time", "出入井时间"),
                    ("zero_shift_plans", "零点班不安排危险作业、双带班"),
                    ("violation_backtracks", "“三违”三项倒查"),
                    ("dispatch_handovers", "调度交接班提前调度"),
                    ("red_line_lists", "红线清单和追责问责清单"),
                    ("typical_case_bulletins", "每月通报典型“三违”案例"),
                    ("bureau_inspections", "县局“四不两直”、明查暗访、交叉检查"),
                    ("major_hazard_listing", "重大事故隐患集中挂牌、公布、曝光、处理"),
                    ("suspension_orders", "存在重大隐患的煤矿停产停业整顿"),
                    ("dual_accountability", "重大隐患“一案双查”"),
                ],
                help_text="填写后，该事项由系统根据煤矿登记的相应记录自动填写，煤矿不能手工填报。",
                max_length=40,
                verbose_name="由记录证明",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
