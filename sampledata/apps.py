from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    name = "sampledata"
    verbose_name = "演示与规模测试数据"
