"""Data to show and to measure: the demo county (seed_demo runs each app's demo.py in order) and the scale data
set of the benchmark (generate_scale_data)."""

from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    name = "sampledata"
    verbose_name = "演示与规模测试数据"
